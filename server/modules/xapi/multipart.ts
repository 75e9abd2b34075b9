/**
 * multipart/mixed for statements with attachments (Communication 1.5.2): the first part is the statement JSON,
 * each further part an attachment identified by its `X-Experience-API-Hash` (SHA-2 of the bytes).
 */
import { randomBytes } from 'node:crypto';

export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

export class MultipartError extends Error {}

/** The boundary parameter of a multipart content type. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/**
 * Splits a multipart body into parts.
 * @throws MultipartError when the framing is broken.
 */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('the body does not contain the boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new MultipartError('a boundary line is malformed');
    pos += 2;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), pos);
    if (next < 0) throw new MultipartError('the body ends before the closing boundary');
    const raw = body.subarray(pos, next);
    const split = raw.indexOf('\r\n\r\n');
    const head = split < 0 ? raw.toString('latin1') : raw.subarray(0, split).toString('latin1');
    const content = split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4);
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      if (!line) continue;
      const colon = line.indexOf(':');
      if (colon < 0) throw new MultipartError('a part header is malformed');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: content });
    pos = next + 2;
  }
  return parts;
}

/** Builds a multipart/mixed body: JSON first, then the given attachments. */
export function buildMultipart(json: string, attachments: { sha2: string; contentType: string; data: Buffer }[]) {
  const boundary = `xapi-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n`), Buffer.from(json)];
  for (const a of attachments) {
    chunks.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${a.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${a.sha2}\r\n\r\n`,
      ),
      a.data,
    );
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
