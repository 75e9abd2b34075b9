/**
 * Statement comparison (Data 2.3.1 / 2.0 "Statement Comparison Requirements"): two statements with the same id are
 * the same when they agree on everything except what the LRS sets (stored, authority, version), the case of UUIDs,
 * timestamps written in other offsets, and single Activities sent where arrays are allowed.
 */
import { parseTimestamp, type JsonObject } from './validate.js';
import type { XapiVersion } from './version.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** A stable string for comparing statements as the spec compares them. */
export function statementSignature(statement: JsonObject, version: XapiVersion): string {
  const { stored: _stored, authority: _authority, version: _version, ...rest } = statement;
  const copy = JSON.parse(JSON.stringify(rest)) as JsonObject;
  if (typeof copy.id === 'string') copy.id = copy.id.toLowerCase();
  const normalise = (s: JsonObject) => {
    if (typeof s.timestamp === 'string') {
      try {
        s.timestamp = String(parseTimestamp(s.timestamp, version));
      } catch {
        /* left as is; validation reports it */
      }
    }
    const context = s.context as JsonObject | undefined;
    const ca = context?.contextActivities as JsonObject | undefined;
    if (ca) for (const key of Object.keys(ca)) if (!Array.isArray(ca[key])) ca[key] = [ca[key] ?? null];
    if (typeof context?.registration === 'string') context.registration = context.registration.toLowerCase();
    const object = s.object as JsonObject | undefined;
    if (object?.objectType === 'StatementRef' && typeof object.id === 'string') object.id = object.id.toLowerCase();
    if (object?.objectType === 'SubStatement') normalise(object);
  };
  normalise(copy);
  return JSON.stringify(canonical(copy));
}
