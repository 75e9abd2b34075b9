/**
 * The embedded MongoDB used when no MONGODB_URI is configured: one command on a fresh machine.
 * mongodb-memory-server runs a real mongod (downloaded on first use, or the binary in MONGOMS_SYSTEM_BINARY)
 * with its files in the data folder, so a restart keeps the data.
 */
import fs from 'node:fs';
import type { MongoMemoryServer } from 'mongodb-memory-server';

export interface EmbeddedMongo {
  uri: string;
  stop(): Promise<void>;
}

export class EmbeddedMongoError extends Error {
  constructor(readonly reason: string) {
    super(
      [
        'Waymark could not start its embedded MongoDB.',
        `Reason: ${reason}`,
        'The embedded database needs the mongod binary, which mongodb-memory-server downloads on first use;',
        'without internet access that download fails. Either set MONGODB_URI to a MongoDB you run',
        '(e.g. MONGODB_URI=mongodb://127.0.0.1:27017/waymark npm start), or point MONGOMS_SYSTEM_BINARY at a',
        'local mongod binary.',
      ].join('\n'),
    );
    this.name = 'EmbeddedMongoError';
  }
}

/**
 * Starts mongod with its data in `dbPath`.
 * @throws EmbeddedMongoError when the binary cannot be obtained or mongod does not start within `timeoutMs`.
 */
export async function startEmbeddedMongo(
  dbPath: string,
  { timeoutMs = 45_000, onWarnings }: { timeoutMs?: number; onWarnings?: (lines: string[]) => void } = {},
): Promise<EmbeddedMongo> {
  fs.mkdirSync(dbPath, { recursive: true });
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  let server: MongoMemoryServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new EmbeddedMongoError(`mongod did not start within ${Math.round(timeoutMs / 1000)} s`)),
      timeoutMs,
    );
    timer.unref();
  });
  // mongodb-memory-server writes its own warnings and stack traces with console.warn; keep them out of the
  // operator's terminal (our message says what happened) and hand them to the caller's debug log instead.
  /* eslint-disable no-console -- capturing a dependency's console output, not logging */
  const warn = console.warn;
  const captured: string[] = [];
  console.warn = (...args: unknown[]) => {
    captured.push(args.map(String).join(' '));
  };
  const creating = MongoMemoryServer.create({
    instance: { dbPath, storageEngine: 'wiredTiger', dbName: 'waymark' },
  });
  try {
    server = await Promise.race([creating, timeout]);
  } catch (err) {
    // A late start after the timeout must not leave an orphan mongod behind.
    creating
      .then(
        (late) => late.stop(),
        () => undefined,
      )
      .catch(() => undefined);
    if (err instanceof EmbeddedMongoError) throw err;
    throw new EmbeddedMongoError(firstLine(err));
  } finally {
    clearTimeout(timer);
    console.warn = warn;
    /* eslint-enable no-console */
    onWarnings?.(captured);
  }
  const started = server;
  return {
    uri: started.getUri('waymark'),
    // Keep the data folder: it is the school's database.
    stop: async () => {
      await started.stop({ doCleanup: false });
    },
  };
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, ' ').trim().slice(0, 300) || 'unknown error';
}
