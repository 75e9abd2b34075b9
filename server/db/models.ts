/** Registers every schema on a connection; services receive these models through the app's deps. */
import type { Connection, Model } from 'mongoose';
import { platformSchema, type PlatformDoc } from '../modules/platforms/model.js';
import { schoolSchema, type SchoolDoc } from '../modules/schools/model.js';

export interface Models {
  School: Model<SchoolDoc>;
  Platform: Model<PlatformDoc>;
}

export function createModels(connection: Connection): Models {
  return {
    School: connection.model<SchoolDoc>('School', schoolSchema),
    Platform: connection.model<PlatformDoc>('Platform', platformSchema),
  };
}
