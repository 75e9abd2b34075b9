/** Registers every schema on a connection; services receive these models through the app's deps. */
import type { Connection } from 'mongoose';
import {
  loginStateSchema,
  nonceSchema,
  pendingDeploymentSchema,
  registrationLinkSchema,
  toolKeySchema,
} from '../modules/lti/model.js';
import { platformSchema } from '../modules/platforms/model.js';
import { schoolSchema } from '../modules/schools/model.js';

export function createModels(connection: Connection) {
  return {
    School: connection.model('School', schoolSchema),
    Platform: connection.model('Platform', platformSchema),
    LoginState: connection.model('LtiLoginState', loginStateSchema),
    Nonce: connection.model('LtiNonce', nonceSchema),
    ToolKey: connection.model('LtiToolKey', toolKeySchema),
    PendingDeployment: connection.model('LtiPendingDeployment', pendingDeploymentSchema),
    RegistrationLink: connection.model('LtiRegistrationLink', registrationLinkSchema),
  };
}

export type Models = ReturnType<typeof createModels>;
