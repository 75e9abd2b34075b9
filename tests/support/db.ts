/** Each test file gets its own database on the shared server, dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { connectDatabase, syncIndexes, type Database } from '../../server/db/connect.js';
import { createModels, type Models } from '../../server/db/models.js';

export interface TestDatabase {
  uri: string;
  name: string;
  db: Database;
  models: Models;
}

export async function useTestDatabase(): Promise<TestDatabase> {
  const uri = inject('mongoUri');
  const name = `wm_test_${randomBytes(6).toString('hex')}`;
  const db = await connectDatabase(uri, { dbName: name });
  const models = createModels(db.connection);
  await syncIndexes(db.connection);
  afterAll(async () => {
    await db.connection.dropDatabase();
    await db.close();
  });
  return { uri, name, db, models };
}

/** A MongoDB URI naming the test database, for child processes. */
export function uriWithDatabase(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}
