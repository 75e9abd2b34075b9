/**
 * The experiential-learning log: request and response shapes shared by the API and the client. Limits live here
 * so the form and the server agree.
 */
import { z } from 'zod';

export const LogLimits = {
  organisation: 200,
  reflectionText: 3000,
  comment: 2000,
  hostFeedback: 2000,
  hostName: 200,
  minHours: 0.25,
  maxHours: 500,
  maxCompetencies: 11,
  maxEvidence: 10,
  fileBytes: 5 * 1024 * 1024,
  voiceBytes: 2 * 1024 * 1024,
  voiceSeconds: 60,
  earliestDate: '2000-01-01',
  hostLinkDays: 30,
} as const;

export const ENCOUNTER_TYPE_IDS = [
  'employer-talk',
  'workplace-visit',
  'job-shadowing',
  'work-experience',
  'volunteering',
  'enterprise-project',
  'careers-fair',
  'role-model-talk',
  'virtual-encounter',
] as const;
export const EncounterTypeId = z.enum(ENCOUNTER_TYPE_IDS);

/** Kolb's cycle as four guided prompts. */
export const REFLECTION_PROMPTS = ['happened', 'aboutMe', 'aboutWork', 'nextStep'] as const;
export type ReflectionPrompt = (typeof REFLECTION_PROMPTS)[number];

/** Picture answers for the youngest pupils (stage S1): how it felt, and what they saw. */
export const FEELING_PICTURES = {
  happy: '😊',
  excited: '🤩',
  proud: '🥰',
  curious: '🤔',
  surprised: '😮',
  worried: '😟',
  bored: '😴',
} as const;
export const SAW_PICTURES = {
  tools: '🔧',
  computers: '💻',
  animals: '🐄',
  vehicles: '🚒',
  food: '🍞',
  buildings: '🏗️',
  helping: '🤝',
  nature: '🌳',
} as const;
export const FeelingPicture = z.enum(
  Object.keys(FEELING_PICTURES) as [keyof typeof FEELING_PICTURES, ...(keyof typeof FEELING_PICTURES)[]],
);
export const SawPicture = z.enum(Object.keys(SAW_PICTURES) as [keyof typeof SAW_PICTURES, ...(keyof typeof SAW_PICTURES)[]]);

export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'application/pdf', 'audio/webm', 'audio/ogg', 'audio/mp4'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date as YYYY-MM-DD in the time zone furthest ahead (UTC+14), so no pupil's "today" is refused. */
export function latestLogDate(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

export const LogDate = z
  .string()
  .regex(ISO_DATE, 'must be a date (YYYY-MM-DD)')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'must be a real date',
  )
  .refine((d) => d >= LogLimits.earliestDate, 'must not be before 2000')
  .refine((d) => d <= latestLogDate(), 'must not be in the future');

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an id')
  .max(80);
export const ObjectIdString = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');

export const ReflectionAnswer = z.strictObject({
  text: z.string().max(LogLimits.reflectionText, `must be at most ${LogLimits.reflectionText} characters`),
  private: z.boolean().default(false),
});

export const ReflectionInput = z.strictObject({
  happened: ReflectionAnswer.optional(),
  aboutMe: ReflectionAnswer.optional(),
  aboutWork: ReflectionAnswer.optional(),
  nextStep: ReflectionAnswer.optional(),
});

export const PicturesInput = z.strictObject({
  feelings: z.array(FeelingPicture).max(7).default([]),
  saw: z.array(SawPicture).max(8).default([]),
});

export const ChecklistInput = z.strictObject({
  preparedBeforehand: z.boolean().default(false),
  askedQuestions: z.boolean().default(false),
  reflectedAfterwards: z.boolean().default(false),
});

const Hours = z
  .number()
  .min(LogLimits.minHours, `must be at least ${LogLimits.minHours}`)
  .max(LogLimits.maxHours, `must be at most ${LogLimits.maxHours}`)
  .refine((h) => Number.isInteger(h * 4), 'must be in quarter hours');

const Organisation = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LogLimits.organisation, `must be at most ${LogLimits.organisation} characters`);
const Competencies = z.array(Slug).max(LogLimits.maxCompetencies).default([]);

export const CreateLogEntry = z.strictObject({
  encounterType: EncounterTypeId,
  date: LogDate,
  organisation: Organisation,
  hours: Hours,
  competencies: Competencies,
  reflection: ReflectionInput.default({}),
  pictures: PicturesInput.optional(),
  checklist: ChecklistInput.default({ preparedBeforehand: false, askedQuestions: false, reflectedAfterwards: false }),
  /** The `experience` activity this entry answers, when it came from a module. */
  source: z.strictObject({ moduleId: Slug, activityId: Slug }).optional(),
});
export type CreateLogEntry = z.infer<typeof CreateLogEntry>;
export type CreateLogEntryInput = z.input<typeof CreateLogEntry>;

export const UpdateLogEntry = z
  .strictObject({
    encounterType: EncounterTypeId.optional(),
    date: LogDate.optional(),
    organisation: Organisation.optional(),
    hours: Hours.optional(),
    competencies: z.array(Slug).max(LogLimits.maxCompetencies).optional(),
    reflection: ReflectionInput.optional(),
    pictures: PicturesInput.optional(),
    checklist: ChecklistInput.partial().optional(),
  })
  .refine((u) => Object.keys(u).length > 0, 'nothing to change');
export type UpdateLogEntry = z.infer<typeof UpdateLogEntry>;
export type UpdateLogEntryInput = z.input<typeof UpdateLogEntry>;

export const CreateComment = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(LogLimits.comment, `must be at most ${LogLimits.comment} characters`),
});
export const VerifyEntry = z.strictObject({ note: z.string().trim().max(LogLimits.comment).optional() });

export const CreateGroupEncounter = z.strictObject({
  /** A class the teacher teaches, or (planners) a year-group code. */
  scope: z.union([
    z.strictObject({ classId: ObjectIdString }),
    z.strictObject({ yearGroup: z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,12}$/, 'must be a year-group code') }),
  ]),
  encounterType: EncounterTypeId,
  date: LogDate,
  organisation: Organisation,
  hours: Hours,
  competencies: Competencies,
});
export type CreateGroupEncounter = z.infer<typeof CreateGroupEncounter>;
export type CreateGroupEncounterInput = z.input<typeof CreateGroupEncounter>;

export const HostConfirmation = z.strictObject({
  confirmed: z.literal(true, { error: 'must be true to confirm' }),
  hostName: z.string().trim().max(LogLimits.hostName).optional(),
  feedback: z.string().trim().max(LogLimits.hostFeedback, `must be at most ${LogLimits.hostFeedback} characters`).optional(),
});
export type HostConfirmation = z.infer<typeof HostConfirmation>;

export const EntryParams = z.strictObject({ id: ObjectIdString });
export const EvidenceParams = z.strictObject({ id: ObjectIdString, evidenceId: ObjectIdString });
export const PupilParams = z.strictObject({ pupilId: ObjectIdString });
export const ClassParams = z.strictObject({ classId: ObjectIdString });
export const HostParams = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a link token') });
export const EvidenceQuery = z.strictObject({
  kind: z.enum(['file', 'voice']).default('file'),
  /** Voice notes: the recorder's length in seconds (the byte limit bounds it on the server as well). */
  seconds: z.coerce
    .number()
    .min(0)
    .max(LogLimits.voiceSeconds, `a voice note must be at most ${LogLimits.voiceSeconds} seconds`)
    .optional(),
  name: z.string().max(200).optional(),
});

const Localized = z.object({ en: z.string(), nl: z.string() });

export const EncounterTypeView = z.object({
  id: EncounterTypeId,
  title: Localized,
  description: Localized,
  gatsby: z.array(z.string()),
  nlActivity: z.string(),
  countsAs: z.object({ employerEncounter: z.boolean(), workplaceExperience: z.boolean() }),
  countsWhen: Localized,
});
export type EncounterTypeView = z.infer<typeof EncounterTypeView>;

export const ReflectionView = z.object({
  /** null when the pupil marked it private and the reader is not the pupil. */
  text: z.string().nullable(),
  private: z.boolean(),
  answered: z.boolean(),
});
export type ReflectionView = z.infer<typeof ReflectionView>;

export const EvidenceView = z.object({
  id: z.string(),
  kind: z.enum(['file', 'voice']),
  contentType: z.enum(EVIDENCE_TYPES),
  size: z.number(),
  name: z.string().nullable(),
  seconds: z.number().nullable(),
  uploadedAt: z.string(),
});
export type EvidenceView = z.infer<typeof EvidenceView>;

export const LogEntryView = z.object({
  id: z.string(),
  pupil: z.object({ id: z.string(), name: z.string().nullable() }),
  encounterType: EncounterTypeView,
  date: z.string(),
  organisation: z.string(),
  hours: z.number(),
  competencies: z.array(z.string()),
  reflection: z.object({
    happened: ReflectionView,
    aboutMe: ReflectionView,
    aboutWork: ReflectionView,
    nextStep: ReflectionView,
  }),
  pictures: z.object({ feelings: z.array(z.string()), saw: z.array(z.string()) }),
  checklist: z.object({ preparedBeforehand: z.boolean(), askedQuestions: z.boolean(), reflectedAfterwards: z.boolean() }),
  /** All three checklist items ticked: a meaningful encounter as the Gatsby benchmarks define it. */
  meaningful: z.boolean(),
  reflected: z.boolean(),
  source: z.object({ moduleId: z.string(), moduleVersion: z.number(), activityId: z.string() }).nullable(),
  group: z.object({ id: z.string(), sharedFieldsLocked: z.boolean() }).nullable(),
  evidence: z.array(EvidenceView),
  verification: z
    .object({ byName: z.string().nullable(), role: z.string(), at: z.string(), note: z.string().nullable() })
    .nullable(),
  comments: z.array(
    z.object({ id: z.string(), authorName: z.string().nullable(), authorRole: z.string(), text: z.string(), at: z.string() }),
  ),
  host: z.object({ confirmedAt: z.string(), hostName: z.string().nullable(), feedback: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the reader may do with the entry. */
  can: z.object({ edit: z.boolean(), verify: z.boolean(), comment: z.boolean(), hostLink: z.boolean() }),
});
export type LogEntryView = z.infer<typeof LogEntryView>;

export const LogOptions = z.object({
  encounterTypes: z.array(EncounterTypeView),
  competencies: z.array(z.object({ id: z.string(), title: Localized })),
});
export type LogOptions = z.infer<typeof LogOptions>;

export const LogEntryList = z.object({ entries: z.array(LogEntryView), encounterTypes: z.array(EncounterTypeView) });
export type LogEntryList = z.infer<typeof LogEntryList>;

export const ClassLogSummary = z.object({
  classId: z.string(),
  pupils: z.array(z.object({ id: z.string(), name: z.string().nullable(), entries: z.number(), toVerify: z.number() })),
});
export type ClassLogSummary = z.infer<typeof ClassLogSummary>;

export const GroupEncounterView = z.object({
  id: z.string(),
  pupils: z.number(),
  scope: z.object({ classId: z.string().nullable(), yearGroup: z.string().nullable() }),
});
export type GroupEncounterView = z.infer<typeof GroupEncounterView>;

export const HostLinkView = z.object({ url: z.string(), expiresAt: z.string() });
export type HostLinkView = z.infer<typeof HostLinkView>;

export const HostRequestView = z.object({
  organisation: z.string(),
  date: z.string(),
  encounterType: z.object({ id: EncounterTypeId, title: Localized }),
  pupilFirstName: z.string().nullable(),
  hours: z.number(),
});
export type HostRequestView = z.infer<typeof HostRequestView>;
