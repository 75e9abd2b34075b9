/**
 * A stored statement in the form a destination LRS of a given version takes. Pure: the frozen JSON in, a new
 * object out.
 *
 * - `stored` and `authority` are the receiving LRS's to set (1.0.3 Data 2.4.8 "stored ... set by the LRS", 2.4.9
 *   "the LRS SHOULD overwrite the authority"; the same in 2.0), so they are not sent. A signed statement stays
 *   verifiable: signature checks ignore what LRS processing adds or changes (Data 2.6).
 * - `version`: a 1.0.3 LRS rejects a version that does not start with "1.0." and statements of any 1.0.x are
 *   "1.0.0" (Data 2.4.10); a 2.0 LRS gets "2.0.0".
 * - 2.0-only properties (context.contextAgents, context.contextGroups, also in a SubStatement) are not sent to a
 *   1.0.3 LRS, which would reject them as unknown properties.
 * - A 2.0 LRS requires RFC 3339 timestamps with an offset; a 1.0.x statement stored without one is sent in UTC.
 */
import { toUtc, type JsonObject } from '../validate.js';

export type DestinationVersion = '1.0.3' | '2.0.0';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const RFC3339_OFFSET = /(Z|[+-]\d{2}:\d{2})$/i;

function convertBody(s: Obj, version: DestinationVersion): Obj {
  const out: Obj = { ...s };
  if (
    isObj(s.context) &&
    version === '1.0.3' &&
    (s.context.contextAgents !== undefined || s.context.contextGroups !== undefined)
  ) {
    const { contextAgents: _a, contextGroups: _g, ...rest } = s.context;
    out.context = rest;
  }
  if (version === '2.0.0' && typeof s.timestamp === 'string' && !RFC3339_OFFSET.test(s.timestamp))
    out.timestamp = toUtc(s.timestamp, '1.0.3');
  if (isObj(s.object) && s.object.objectType === 'SubStatement') out.object = convertBody(s.object, version);
  return out;
}

/** The statement to send to an LRS of `version`. */
export function convertStatement(stored: JsonObject, version: DestinationVersion): JsonObject {
  const { stored: _stored, authority: _authority, ...rest } = stored;
  const out = convertBody(rest, version);
  out.version = version === '2.0.0' ? '2.0.0' : '1.0.0';
  return out as JsonObject;
}

/** The version to speak from an About resource body: 2.0.0 when it lists any 2.0.x, else 1.0.3 (Communication 2.6). */
export function versionFromAbout(body: unknown): DestinationVersion {
  const versions = isObj(body) && Array.isArray(body.version) ? body.version : [];
  return versions.some((v) => typeof v === 'string' && /^2\.0(\.\d+)?$/.test(v)) ? '2.0.0' : '1.0.3';
}
