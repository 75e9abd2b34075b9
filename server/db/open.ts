/** Opens the configured database (MONGODB_URI, else the embedded one) with models and indexes ready. */
import { connectDatabase, syncIndexes, type Database } from './connect.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded.js';
import { createModels, type Models } from './models.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

export interface OpenDatabase {
  db: Database;
  models: Models;
  embedded: EmbeddedMongo | undefined;
  close(): Promise<void>;
}

/** @throws EmbeddedMongoError when no MONGODB_URI is set and the embedded server cannot start. */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
  let embedded: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    logger.info({ dataDir: config.mongoDir }, 'no MONGODB_URI: starting the embedded MongoDB');
    embedded = await startEmbeddedMongo(config.mongoDir, {
      onWarnings: (lines) => lines.forEach((line) => logger.debug({ line }, 'mongodb-memory-server')),
    });
    uri = embedded.uri;
  }
  const db = await connectDatabase(uri);
  const models = createModels(db.connection);
  await syncIndexes(db.connection);
  logger.info({ database: db.connection.name, embedded: Boolean(embedded) }, 'database ready');
  return {
    db,
    models,
    embedded,
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
}
