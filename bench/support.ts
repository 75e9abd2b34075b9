/** What every benchmark script needs: a MongoDB (MONGODB_URI or embedded), a loopback server, percentiles. */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The p-th percentile of an ascending list (nearest rank); NaN for an empty list. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Starts `server` on a free port of 127.0.0.1 and returns the port. */
export async function listenOnLoopback(server: http.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** MONGODB_URI when set, else an embedded mongodb-memory-server (which honours MONGOMS_SYSTEM_BINARY). */
export async function openMongo(): Promise<{ uri: string; kind: 'uri' | 'embedded'; stop(): Promise<void> }> {
  const given = process.env.MONGODB_URI;
  if (given) return { uri: given, kind: 'uri', stop: async () => undefined };
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create();
  return { uri: server.getUri(), kind: 'embedded', stop: () => server.stop().then(() => undefined) };
}
