/** Invitations and the short-lived WebAuthn challenges of the adviser sign-in outside the LMS. */
import { Schema } from 'mongoose';

/** A one-time invite link: `_id` is the SHA-256 of the token in the link; the token itself is never stored. */
export const adviserInviteSchema = new Schema(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    adviserId: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    mailed: { type: Boolean, default: false },
  },
  { versionKey: false, collection: 'adviser_invites' },
);
adviserInviteSchema.index({ schoolId: 1, createdAt: -1 });

/** A WebAuthn challenge, consumed once (findOneAndDelete) and removed by TTL otherwise. */
export const adviserChallengeSchema = new Schema(
  {
    _id: { type: String, required: true },
    purpose: { type: String, enum: ['register', 'authenticate'], required: true },
    adviserId: { type: String },
    challenge: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'adviser_challenges' },
);
adviserChallengeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
