/**
 * The experiential-learning log. `LogEntry` is a pupil's current state of one encounter; every change is first
 * written as an immutable LearningEvent (the fact and the xAPI outbox), so entries can be rebuilt from events.
 * Evidence bytes live in their own collection in chunks (well under MongoDB's 16 MB document limit), never on
 * the entry. Host links are stored by the hash of their token only.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

const answerSchema = new Schema(
  { text: { type: String, default: '' }, private: { type: Boolean, default: false } },
  { _id: false },
);

export const logEntrySchema = new Schema(
  {
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    /** The launch context the entry was recorded in, when there was one. */
    classId: { type: String },
    createdBy: { type: String, required: true },
    encounterType: { type: String, required: true },
    /** Calendar date, YYYY-MM-DD (no time zone games). */
    date: { type: String, required: true },
    organisation: { type: String, required: true },
    hours: { type: Number, required: true },
    competencies: { type: [String], default: [] },
    reflection: {
      happened: { type: answerSchema, default: () => ({}) },
      aboutMe: { type: answerSchema, default: () => ({}) },
      aboutWork: { type: answerSchema, default: () => ({}) },
      nextStep: { type: answerSchema, default: () => ({}) },
    },
    pictures: { feelings: { type: [String], default: [] }, saw: { type: [String], default: [] } },
    checklist: {
      preparedBeforehand: { type: Boolean, default: false },
      askedQuestions: { type: Boolean, default: false },
      reflectedAfterwards: { type: Boolean, default: false },
    },
    source: {
      type: new Schema({ moduleId: String, moduleVersion: Number, activityId: String }, { _id: false }),
      default: undefined,
    },
    groupEncounterId: { type: String },
    evidence: {
      type: [
        new Schema(
          {
            _id: { type: Schema.Types.ObjectId, required: true },
            kind: { type: String, enum: ['file', 'voice'], required: true },
            contentType: { type: String, required: true },
            size: { type: Number, required: true },
            name: { type: String },
            seconds: { type: Number },
            uploadedAt: { type: Date, required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    verification: {
      type: new Schema({ by: String, role: String, at: Date, note: String }, { _id: false }),
      default: undefined,
    },
    comments: {
      type: [
        new Schema(
          { _id: { type: Schema.Types.ObjectId, required: true }, authorId: String, authorRole: String, text: String, at: Date },
          { _id: false },
        ),
      ],
      default: [],
    },
    host: { type: new Schema({ confirmedAt: Date, hostName: String, feedback: String }, { _id: false }), default: undefined },
    /** First time the reflection was complete (what the `experience` activity's completion checks). */
    reflectedAt: { type: Date },
    /** Number of events applied; the next event's id derives from it, so a concurrent change cannot slip in twice. */
    revision: { type: Number, required: true, default: 0 },
  },
  { timestamps: true, versionKey: false, collection: 'log_entries' },
);
logEntrySchema.plugin(tenantScoped);
logEntrySchema.index({ schoolId: 1, pupilId: 1, date: -1 });
logEntrySchema.index(
  { schoolId: 1, groupEncounterId: 1, pupilId: 1 },
  { unique: true, partialFilterExpression: { groupEncounterId: { $type: 'string' } } },
);

/** Evidence bytes: one document per chunk of one file. */
export const logEvidenceChunkSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    entryId: { type: String, required: true },
    evidenceId: { type: String, required: true },
    n: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { versionKey: false, collection: 'log_evidence_chunks' },
);
logEvidenceChunkSchema.plugin(tenantScoped);
logEvidenceChunkSchema.index({ schoolId: 1, evidenceId: 1, n: 1 }, { unique: true });
logEvidenceChunkSchema.index({ schoolId: 1, entryId: 1 });

/** One encounter recorded for a whole class or year group; each pupil gets their own entry to reflect on. */
export const groupEncounterSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    createdBy: { type: String, required: true },
    classId: { type: String },
    yearGroup: { type: String },
    encounterType: { type: String, required: true },
    date: { type: String, required: true },
    organisation: { type: String, required: true },
    hours: { type: Number, required: true },
    competencies: { type: [String], default: [] },
    pupilIds: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false, collection: 'log_group_encounters' },
);
groupEncounterSchema.plugin(tenantScoped);

/**
 * A one-time link for the organisation that hosted an encounter. Found by token hash before the school is known,
 * so it is not tenant-scoped; it carries the schoolId that every later query uses.
 */
export const hostLinkSchema = new Schema(
  {
    _id: { type: String },
    schoolId: { type: String, required: true },
    entryId: { type: String, required: true },
    createdBy: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'log_host_links' },
);
hostLinkSchema.index({ schoolId: 1, entryId: 1 });
// Expired links disappear a week after expiry; until then they answer 404 like any bad token.
hostLinkSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });
