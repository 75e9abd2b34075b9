/**
 * Gives the tests a MongoDB: MONGODB_URI when set, else mongodb-memory-server (which honours
 * MONGOMS_SYSTEM_BINARY). When neither can start a server, fail at once with a message naming both.
 */
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.MONGODB_URI;
  if (given) {
    project.provide('mongoUri', given);
    return async () => undefined;
  }
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  let server: Awaited<ReturnType<typeof MongoMemoryServer.create>>;
  try {
    server = await Promise.race([
      MongoMemoryServer.create(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not start within 45 s')), 45_000).unref()),
    ]);
  } catch (err) {
    throw new Error(
      `No MongoDB for the tests: MONGODB_URI is not set and mongodb-memory-server could not start mongod ` +
        `(${(err as Error).message.split('\n')[0]}). Set MONGODB_URI to a running MongoDB, or MONGOMS_SYSTEM_BINARY ` +
        `to a mongod binary (on machines without internet: ../shared/mongo-standin/mongod).`,
    );
  }
  project.provide('mongoUri', server.getUri());
  return async () => {
    await server.stop();
  };
}
