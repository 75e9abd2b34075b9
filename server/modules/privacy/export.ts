/**
 * Everything Waymark holds about a pupil (GDPR Art. 15 and 20), machine-readable: one JSON document with a key per
 * collection (from the registry, so a new collection is exported once it is classified), the evidence files
 * (base64) and the xAPI statements and documents about the pupil. Safeguarding concerns are withheld; the export
 * says so and why (docs/privacy.md).
 */
import type { Models } from '../../db/models.js';
import { bytesOf } from '../xapi/model.js';
import { agentKey } from '../xapi/agents.js';
import { xapiAgentForUser } from '../xapi/generator.js';
import { eraseEntries, REGISTRY, type ModelName, type Subject } from './registry.js';

export interface PupilExport {
  format: 'waymark-pupil-export';
  version: 1;
  generatedAt: string;
  school: { id: string; name: string | null };
  pupil: { id: string; name: string | null };
  collections: Record<string, unknown[]>;
  evidence: { entryId: string; evidenceId: string; contentType: string; name: string | null; size: number; base64: string }[];
  xapi: { statements: unknown[]; documents: unknown[] };
  withheld: { collection: string; reason: string }[];
}

const isBinary = (v: unknown) =>
  Buffer.isBuffer(v) || (typeof v === 'object' && v !== null && (v as { _bsontype?: string })._bsontype === 'Binary');

/** Lean documents to plain JSON: ids and dates as strings, bytes as base64. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (isBinary(value)) return bytesOf(value).toString('base64');
  if (typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'ObjectId')
    return (value as { toHexString(): string }).toHexString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

type Finder = { find(f: unknown): { lean(): Promise<unknown[]> } };

/** Builds the export; undefined when the school has no such pupil. */
export async function buildExport(
  deps: { models: Models; publicUrl: string; now?: () => Date },
  schoolId: string,
  pupilId: string,
): Promise<PupilExport | undefined> {
  const { models } = deps;
  const user = await models.User.findOne({ schoolId, _id: pupilId, role: 'pupil' }, { sub: 1, name: 1 }).lean();
  if (!user) return undefined;
  const school = await models.School.findById(schoolId, { name: 1 }).lean();
  const entries = await models.LogEntry.find({ schoolId, pupilId }).lean();
  const subject: Subject = { schoolId, pupilId, sub: user.sub, entryIds: entries.map((e) => String(e._id)) };

  const collections: Record<string, unknown[]> = {};
  for (const [name, entry] of eraseEntries()) {
    if (!entry.exportAs) continue;
    const docs = await (models[name] as unknown as Finder).find(entry.filter(subject)).lean();
    // A document several pupils share shows only this pupil in it: the others are not theirs to receive.
    const shared = entry.shared;
    collections[entry.exportAs] = docs.map((d) =>
      plain(shared ? { ...(d as object), [shared.field]: [shared.value(subject)] } : d),
    );
  }

  const evidence: PupilExport['evidence'] = [];
  for (const e of entries)
    for (const ev of e.evidence) {
      const chunks = await models.LogEvidenceChunk.find({ schoolId, evidenceId: String(ev._id) })
        .sort({ n: 1 })
        .lean();
      evidence.push({
        entryId: String(e._id),
        evidenceId: String(ev._id),
        contentType: ev.contentType,
        name: ev.name ?? null,
        size: ev.size,
        base64: Buffer.concat(chunks.map((c) => bytesOf(c.data))).toString('base64'),
      });
    }

  const agent = await xapiAgentForUser(models, { schoolId, userId: pupilId, publicUrl: deps.publicUrl });
  const keys = [`account:${deps.publicUrl}|user:${pupilId}`, ...(agent && agentKey(agent) ? [agentKey(agent) as string] : [])];
  const statements = await models.XapiStatement.find({ schoolId, relatedAgents: { $in: keys } }, { json: 1 })
    .sort({ stored: 1 })
    .lean();
  const documents = await models.XapiDocument.find({ schoolId, agentKey: { $in: keys } }).lean();

  const withheld = (Object.entries(REGISTRY) as [ModelName, (typeof REGISTRY)[ModelName]][])
    .filter(([name]) => name === 'SafeguardingConcern')
    .map(([, e]) => ({ collection: 'safeguarding_concerns', reason: e && e.action === 'keep' ? e.reason : '' }));

  return {
    format: 'waymark-pupil-export',
    version: 1,
    generatedAt: (deps.now ? deps.now() : new Date()).toISOString(),
    school: { id: schoolId, name: school?.name ?? null },
    pupil: { id: pupilId, name: user.name ?? null },
    collections,
    evidence,
    xapi: {
      statements: statements.map((s) => JSON.parse(s.json) as unknown),
      documents: documents.map((d) => plain({ ...d, content: bytesOf(d.content).toString('base64') })),
    },
    withheld,
  };
}
