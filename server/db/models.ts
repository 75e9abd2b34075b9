/** Registers every schema on a connection; services receive these models through the app's deps. */
import type { Connection } from 'mongoose';
import {
  deepLinkSessionSchema,
  loginStateSchema,
  nonceSchema,
  pendingDeploymentSchema,
  registrationLinkSchema,
  toolKeySchema,
} from '../modules/lti/model.js';
import { classSchema, membershipSchema, resourceLinkSchema, userSchema } from '../modules/people/model.js';
import { platformSchema } from '../modules/platforms/model.js';
import { scoreJobSchema } from '../modules/grades/model.js';
import { leaseSchema } from './lease-model.js';
import { moduleVersionSchema } from '../modules/curriculum/model.js';
import { schoolSchema } from '../modules/schools/model.js';
import { careersModels } from '../modules/careers/model.js';
import { learningEventSchema } from '../modules/events/model.js';
import { readinessResultSchema } from '../modules/readiness/model.js';
import { adviserReviewSchema } from '../modules/advising/model.js';
import { moduleAttemptSchema } from '../modules/progress/model.js';
import { assignmentSchema, moduleFeedbackSchema } from '../modules/classes/model.js';
import {
  safeguardingAccessLogSchema,
  safeguardingConcernSchema,
  safeguardingContactSchema,
} from '../modules/safeguarding/model.js';
import { lessonRecordSchema } from '../modules/lessons/model.js';
import { groupEncounterSchema, hostLinkSchema, logEntrySchema, logEvidenceChunkSchema } from '../modules/log/model.js';
import {
  lrsCredentialSchema,
  xapiAccessLogSchema,
  xapiActivitySchema,
  xapiAttachmentSchema,
  xapiDocumentSchema,
  xapiStatementSchema,
} from '../modules/xapi/model.js';
import { lrsDeadLetterSchema, lrsDestinationSchema } from '../modules/xapi/forward/model.js';
import * as sharing from '../modules/sharing/model.js';
import * as adviserAuth from '../modules/adviser-auth/model.js';
import { destinationSchema } from '../modules/outcomes/model.js';
import { erasureJobSchema, retentionPolicySchema } from '../modules/privacy/model.js';
import { schoolCalendarSchema, yearRolloverSchema } from '../modules/calendar/model.js';
import { pupilGroupSchema, pupilSummarySchema } from '../modules/dashboard/model.js';

export function createModels(connection: Connection) {
  return {
    School: connection.model('School', schoolSchema),
    Platform: connection.model('Platform', platformSchema),
    LoginState: connection.model('LtiLoginState', loginStateSchema),
    Nonce: connection.model('LtiNonce', nonceSchema),
    ToolKey: connection.model('LtiToolKey', toolKeySchema),
    PendingDeployment: connection.model('LtiPendingDeployment', pendingDeploymentSchema),
    RegistrationLink: connection.model('LtiRegistrationLink', registrationLinkSchema),
    DeepLinkSession: connection.model('LtiDeepLinkSession', deepLinkSessionSchema),
    User: connection.model('User', userSchema),
    Class: connection.model('Class', classSchema),
    Membership: connection.model('Membership', membershipSchema),
    ResourceLink: connection.model('ResourceLink', resourceLinkSchema),
    ScoreJob: connection.model('ScoreJob', scoreJobSchema),
    Lease: connection.model('Lease', leaseSchema),
    ModuleVersion: connection.model('ModuleVersion', moduleVersionSchema),
    LogEntry: connection.model('LogEntry', logEntrySchema),
    LogEvidenceChunk: connection.model('LogEvidenceChunk', logEvidenceChunkSchema),
    GroupEncounter: connection.model('GroupEncounter', groupEncounterSchema),
    HostLink: connection.model('HostLink', hostLinkSchema),
    ...careersModels(connection),
    LearningEvent: connection.model('LearningEvent', learningEventSchema),
    ReadinessResult: connection.model('ReadinessResult', readinessResultSchema),
    AdviserReview: connection.model('AdviserReview', adviserReviewSchema),
    ModuleAttempt: connection.model('ModuleAttempt', moduleAttemptSchema),
    Assignment: connection.model('Assignment', assignmentSchema),
    ModuleFeedback: connection.model('ModuleFeedback', moduleFeedbackSchema),
    SafeguardingContact: connection.model('SafeguardingContact', safeguardingContactSchema),
    SafeguardingConcern: connection.model('SafeguardingConcern', safeguardingConcernSchema),
    SafeguardingAccessLog: connection.model('SafeguardingAccessLog', safeguardingAccessLogSchema),
    LessonRecord: connection.model('LessonRecord', lessonRecordSchema),
    LrsCredential: connection.model('LrsCredential', lrsCredentialSchema),
    XapiStatement: connection.model('XapiStatement', xapiStatementSchema),
    XapiAttachment: connection.model('XapiAttachment', xapiAttachmentSchema),
    XapiDocument: connection.model('XapiDocument', xapiDocumentSchema),
    XapiActivity: connection.model('XapiActivity', xapiActivitySchema),
    XapiAccessLog: connection.model('XapiAccessLog', xapiAccessLogSchema),
    SchoolCalendar: connection.model('SchoolCalendar', schoolCalendarSchema),
    YearRollover: connection.model('YearRollover', yearRolloverSchema),
    PupilSummary: connection.model('PupilSummary', pupilSummarySchema),
    PupilGroup: connection.model('PupilGroup', pupilGroupSchema),
    LrsDestination: connection.model('LrsDestination', lrsDestinationSchema),
    LrsDeadLetter: connection.model('LrsDeadLetter', lrsDeadLetterSchema),
    PartnerOrg: connection.model('PartnerOrg', sharing.partnerOrgSchema),
    AdviserAccount: connection.model('AdviserAccount', sharing.adviserAccountSchema),
    SharingGrant: connection.model('SharingGrant', sharing.sharingGrantSchema),
    SharingPolicy: connection.model('SharingPolicy', sharing.sharingPolicySchema),
    SharingConsent: connection.model('SharingConsent', sharing.sharingConsentSchema),
    AdviserView: connection.model('AdviserView', sharing.adviserViewSchema),
    AdviserInvite: connection.model('AdviserInvite', adviserAuth.adviserInviteSchema),
    AdviserChallenge: connection.model('AdviserChallenge', adviserAuth.adviserChallengeSchema),
    Destination: connection.model('Destination', destinationSchema),
    ErasureJob: connection.model('ErasureJob', erasureJobSchema),
    RetentionPolicy: connection.model('RetentionPolicy', retentionPolicySchema),
  };
}

export type Models = ReturnType<typeof createModels>;
