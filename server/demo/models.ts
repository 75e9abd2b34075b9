/**
 * The demo LMS's own data, in collections prefixed `demo_`. It is a separate platform that happens to share the
 * server process and database: nothing here is read by the tool side, and nothing here reads the tool's models.
 */
import { Schema, type Connection, type Model } from 'mongoose';

/** The platform's signing key pair (one document, `_id: 'platform'`); the private JWK only AES-256-GCM encrypted. */
const keySchema = new Schema(
  {
    _id: { type: String, required: true },
    kid: { type: String, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
    encryptedPrivateJwk: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_keys' },
);

/** A person of the demo school. `_id` is the LTI `sub`. */
const personSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['pupil', 'teacher', 'adviser', 'planner'], required: true },
    givenName: { type: String, required: true },
    familyName: { type: String, required: true },
    email: { type: String, default: null },
    /** Institution roles (full URIs). */
    institutionRoles: { type: [String], default: [] },
    /** Subs of the pupils this person mentors (role_scope_mentor). */
    mentees: { type: [String], default: [] },
    blurb: { type: String, default: '' },
    order: { type: Number, default: 0 },
  },
  { versionKey: false, collection: 'demo_people' },
);

/** A course (LTI context) with its members and the placement's custom parameters. */
const courseSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    label: { type: String, required: true },
    custom: { type: Schema.Types.Mixed, default: {} },
    members: { type: [{ _id: false, personId: String, roles: [String] }], default: [] },
    order: { type: Number, default: 0 },
  },
  { versionKey: false, collection: 'demo_courses' },
);

/** A tool registered by Dynamic Registration. `_id` is the client_id the platform assigned. */
const registrationSchema = new Schema(
  {
    _id: { type: String, required: true },
    deploymentId: { type: String, required: true },
    clientName: { type: String, default: 'Tool' },
    jwksUri: { type: String, required: true },
    initiateLoginUri: { type: String, required: true },
    redirectUris: { type: [String], required: true },
    targetLinkUri: { type: String, required: true },
    domain: { type: String, default: '' },
    scopes: { type: [String], default: [] },
    claims: { type: [String], default: [] },
    messages: {
      type: [{ _id: false, messageType: String, targetLinkUri: String, label: String, placements: [String] }],
      default: [],
    },
    customParameters: { type: Schema.Types.Mixed, default: {} },
    /** The client registration request as received, for display and audit. */
    request: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_registrations' },
);
registrationSchema.index({ createdAt: -1 });

/** One-time Dynamic Registration tokens the platform issues (stored as SHA-256). */
const registrationTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'demo_registration_tokens' },
);
registrationTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 24 * 3600 });

/** A signed-in demo browser (cookie value stored as SHA-256) so every server process agrees. */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true },
    /** The language launches from this browser ask for (launch_presentation.locale). */
    locale: { type: String, enum: ['en-GB', 'nl-NL'], default: 'en-GB' },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_sessions' },
);
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** What an `lti_message_hint` stands for: who launches which link (or a deep linking request) in which course. */
const launchHintSchema = new Schema(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true },
    courseId: { type: String, required: true },
    clientId: { type: String, required: true },
    messageType: { type: String, enum: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'], required: true },
    resourceLinkId: { type: String, default: null },
    documentTarget: { type: String, enum: ['iframe', 'window'], required: true },
    locale: { type: String, default: 'en-GB' },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_launch_hints' },
);
launchHintSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** A resource link placed in a course (the default placement, or one created by deep linking). */
const resourceLinkSchema = new Schema(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true, index: true },
    clientId: { type: String, required: true },
    title: { type: String, required: true },
    text: { type: String, default: '' },
    url: { type: String, default: null },
    custom: { type: Schema.Types.Mixed, default: {} },
    isPlacement: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_resource_links' },
);

/** An AGS line item (gradebook column). */
const lineItemSchema = new Schema(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true, index: true },
    clientId: { type: String, required: true },
    label: { type: String, required: true },
    scoreMaximum: { type: Number, required: true },
    resourceLinkId: { type: String, default: null },
    resourceId: { type: String, default: null },
    tag: { type: String, default: null },
    startDateTime: { type: String, default: null },
    endDateTime: { type: String, default: null },
    gradesReleased: { type: Boolean, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_line_items' },
);

/** Every score received; the gradebook shows the latest per pupil (by the tool's timestamp). */
const scoreSchema = new Schema(
  {
    lineItemId: { type: String, required: true },
    userId: { type: String, required: true },
    scoreGiven: { type: Number, default: null },
    scoreMaximum: { type: Number, default: null },
    comment: { type: String, default: null },
    activityProgress: { type: String, required: true },
    gradingProgress: { type: String, required: true },
    timestamp: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_scores' },
);
scoreSchema.index({ lineItemId: 1, userId: 1, timestamp: -1 });

/** Bearer tokens the token endpoint issued (SHA-256 of the token). */
const accessTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    clientId: { type: String, required: true },
    scopes: { type: [String], required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_access_tokens' },
);
accessTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** Seen client-assertion jtis and deep linking response nonces: the unique _id makes "seen" atomic. */
const usedIdSchema = new Schema(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'demo_used_ids' },
);
usedIdSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** Demo switches shared by every process (`_id: 'control'`). */
const controlSchema = new Schema(
  {
    _id: { type: String, required: true },
    agsDown: { type: Boolean, default: false },
    /** When true, scores may exceed their scoreMaximum (extra credit); refused otherwise. */
    allowExtraCredit: { type: Boolean, default: false },
  },
  { versionKey: false, collection: 'demo_control' },
);

// Plain interfaces of the stored (lean) documents: simpler to read than inferred mongoose types.
export interface DemoKeyDoc {
  _id: string;
  kid: string;
  publicJwk: Record<string, unknown>;
  encryptedPrivateJwk: string;
  createdAt: Date;
}
export interface DemoPersonDoc {
  _id: string;
  kind: 'pupil' | 'teacher' | 'adviser' | 'planner';
  givenName: string;
  familyName: string;
  email: string | null;
  institutionRoles: string[];
  mentees: string[];
  blurb: string;
  order: number;
}
export interface DemoCourseDoc {
  _id: string;
  title: string;
  label: string;
  custom: Record<string, string>;
  members: { personId: string; roles: string[] }[];
  order: number;
}
export interface DemoRegistrationDoc {
  _id: string;
  deploymentId: string;
  clientName: string;
  jwksUri: string;
  initiateLoginUri: string;
  redirectUris: string[];
  targetLinkUri: string;
  domain: string;
  scopes: string[];
  claims: string[];
  messages: { messageType: string; targetLinkUri: string; label: string; placements: string[] }[];
  customParameters: Record<string, string>;
  request: Record<string, unknown>;
  createdAt: Date;
}
export interface DemoRegistrationTokenDoc {
  _id: string;
  expiresAt: Date;
  usedAt: Date | null;
}
export interface DemoSessionDoc {
  _id: string;
  personId: string;
  locale?: string;
  expiresAt: Date;
}
export interface DemoLaunchHintDoc {
  _id: string;
  personId: string;
  courseId: string;
  clientId: string;
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  resourceLinkId: string | null;
  documentTarget: 'iframe' | 'window';
  locale?: string;
  expiresAt: Date;
}
export interface DemoResourceLinkDoc {
  _id: string;
  courseId: string;
  clientId: string;
  title: string;
  text: string;
  url: string | null;
  custom: Record<string, string>;
  isPlacement: boolean;
  createdAt: Date;
}
export interface DemoLineItemDoc {
  _id: string;
  courseId: string;
  clientId: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId: string | null;
  resourceId: string | null;
  tag: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  gradesReleased: boolean | null;
  createdAt: Date;
}
export interface DemoScoreDoc {
  lineItemId: string;
  userId: string;
  scoreGiven: number | null;
  scoreMaximum: number | null;
  comment: string | null;
  activityProgress: string;
  gradingProgress: string;
  timestamp: Date;
  receivedAt: Date;
}
export interface DemoAccessTokenDoc {
  _id: string;
  clientId: string;
  scopes: string[];
  expiresAt: Date;
}
export interface DemoUsedIdDoc {
  _id: string;
  expiresAt: Date;
}
export interface DemoControlDoc {
  _id: string;
  agsDown: boolean;
  allowExtraCredit: boolean;
}

export interface DemoModels {
  Key: Model<DemoKeyDoc>;
  Person: Model<DemoPersonDoc>;
  Course: Model<DemoCourseDoc>;
  Registration: Model<DemoRegistrationDoc>;
  RegistrationToken: Model<DemoRegistrationTokenDoc>;
  Session: Model<DemoSessionDoc>;
  LaunchHint: Model<DemoLaunchHintDoc>;
  ResourceLink: Model<DemoResourceLinkDoc>;
  LineItem: Model<DemoLineItemDoc>;
  Score: Model<DemoScoreDoc>;
  AccessToken: Model<DemoAccessTokenDoc>;
  UsedId: Model<DemoUsedIdDoc>;
  Control: Model<DemoControlDoc>;
}

/** Registers the demo models on `connection` (idempotent: a second call returns the same models). */
export function demoModels(connection: Connection): DemoModels {
  // Deliberately untyped here (cast per model below): a generic helper over mongoose's model() overloads makes
  // the type checker run out of memory.
  const get = (name: string, schema: Schema): unknown => connection.models[name] ?? connection.model(name, schema);
  return {
    Key: get('DemoKey', keySchema) as Model<DemoKeyDoc>,
    Person: get('DemoPerson', personSchema) as Model<DemoPersonDoc>,
    Course: get('DemoCourse', courseSchema) as Model<DemoCourseDoc>,
    Registration: get('DemoRegistration', registrationSchema) as Model<DemoRegistrationDoc>,
    RegistrationToken: get('DemoRegistrationToken', registrationTokenSchema) as Model<DemoRegistrationTokenDoc>,
    Session: get('DemoSession', sessionSchema) as Model<DemoSessionDoc>,
    LaunchHint: get('DemoLaunchHint', launchHintSchema) as Model<DemoLaunchHintDoc>,
    ResourceLink: get('DemoResourceLink', resourceLinkSchema) as Model<DemoResourceLinkDoc>,
    LineItem: get('DemoLineItem', lineItemSchema) as Model<DemoLineItemDoc>,
    Score: get('DemoScore', scoreSchema) as Model<DemoScoreDoc>,
    AccessToken: get('DemoAccessToken', accessTokenSchema) as Model<DemoAccessTokenDoc>,
    UsedId: get('DemoUsedId', usedIdSchema) as Model<DemoUsedIdDoc>,
    Control: get('DemoControl', controlSchema) as Model<DemoControlDoc>,
  };
}
