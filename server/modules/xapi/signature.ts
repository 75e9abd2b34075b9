/**
 * Signed statements (Data 2.6): the signature attachment is a JWS (compact serialisation) whose payload is the
 * statement as it was before signing. We check the structure (RS256/384/512, JSON payload), that the payload
 * matches the statement it came with, and, when the header carries an x5c chain, the signature itself.
 */
import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { statementSignature } from './compare.js';
import type { JsonObject } from './validate.js';
import type { XapiVersion } from './version.js';

const ALGS = ['RS256', 'RS384', 'RS512'];

export class SignatureError extends Error {}

/**
 * Validates a statement's JWS signature against the statement.
 * @throws SignatureError with the reason.
 */
export async function assertSignature(jws: string, statement: JsonObject, version: XapiVersion): Promise<void> {
  const segments = jws.trim().split('.');
  if (segments.length !== 3) throw new SignatureError('the signature is not a JWS in compact serialisation');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws.trim());
  } catch {
    throw new SignatureError('the JWS header is not valid');
  }
  if (!header.alg || !ALGS.includes(header.alg)) throw new SignatureError('the JWS must use RS256, RS384 or RS512');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(segments[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    throw new SignatureError('the JWS payload is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new SignatureError('the JWS payload is not a statement');
  // Data 2.6: the payload is the statement without its signature attachment; compare as statements.
  const unsigned: JsonObject = { ...statement };
  const attachments = Array.isArray(statement.attachments) ? statement.attachments : [];
  const rest = attachments.filter((a) => (a as JsonObject).usageType !== 'http://adlnet.gov/expapi/attachments/signature');
  if (rest.length) unsigned.attachments = rest;
  else delete unsigned.attachments;
  const signed = { ...(payload as JsonObject) };
  if (Array.isArray(signed.attachments)) {
    const r = signed.attachments.filter((a) => (a as JsonObject).usageType !== 'http://adlnet.gov/expapi/attachments/signature');
    if (r.length) signed.attachments = r;
    else delete signed.attachments;
  }
  if (statementSignature(signed, version) !== statementSignature(unsigned, version))
    throw new SignatureError('the JWS payload does not match the statement');
  const cert = header.x5c?.[0];
  if (cert) {
    try {
      const key = await importX509(`-----BEGIN CERTIFICATE-----\n${cert}\n-----END CERTIFICATE-----`, header.alg);
      await compactVerify(jws.trim(), key);
    } catch {
      throw new SignatureError('the JWS signature does not verify with the x5c certificate');
    }
  }
}
