/** The root pino logger. Ids only in logs: never names, e-mails, tokens or pupils' text. */
import { pino, type Logger } from 'pino';

export const REDACT_PATHS = [
  'id_token',
  '*.id_token',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'authorization',
  '*.authorization',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'text',
  '*.text',
  'email',
  '*.email',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: 'waymark' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
