/**
 * The xAPI part of an erasure. Statements Waymark generated about the pupil are voided (so LRSs they were forwarded
 * to, and partners who read them, drop them) and then deleted here; statements other tools stored through a
 * `--scope all` credential are kept but the pupil's agent is replaced by an anonymous one; state and agent-profile
 * documents about the pupil are deleted. An erasure notice (Waymark `erased` the agent) asks receiving LRSs to
 * erase what else they hold. Voiding statements and the notice are stored in the local store, from where the
 * forwarding worker (server/modules/xapi/forward) sends them like any other statement.
 */
import type { Models } from '../../db/models.js';
import { agentKey, indexStatement } from '../xapi/agents.js';
import { statementSignature } from '../xapi/compare.js';
import { buildErasureNoticeStatement, buildVoidingStatement, VERBS } from '../xapi/generate.js';
import { WAYMARK_CREDENTIAL_KEY, waymarkStoreContext } from '../xapi/generator.js';
import { MAX_BATCH, storeStatements } from '../xapi/statements.js';
import type { JsonObject } from '../xapi/validate.js';

export interface XapiSubject {
  schoolId: string;
  /** Agent keys (agents.ts `agentKey`) the pupil's statements use. */
  keys: string[];
  /** The pupil's agent as Waymark's statements name it. */
  agent: JsonObject;
  /** The pseudonym an anonymised agent gets. */
  tombstone: string;
  publicUrl: string;
  at: Date;
}

export interface XapiCounts {
  voided: number;
  deleted: number;
  anonymised: number;
  notices: number;
}

/** Replaces every agent in `value` whose key is one of `keys` with `anon`; true when something changed. */
function replaceAgents(value: unknown, keys: ReadonlySet<string>, anon: JsonObject): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = replaceAgents(v, keys, anon);
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  if (typeof value !== 'object' || value === null) return { value, changed: false };
  const key = agentKey(value);
  if (key && keys.has(key)) return { value: { ...anon }, changed: true };
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = replaceAgents(v, keys, anon);
    changed ||= r.changed;
    out[k] = r.value;
  }
  return { value: out, changed };
}

/**
 * Voids and deletes Waymark's statements about the pupil, anonymises other tools' statements, deletes documents.
 * Idempotent: voiding statements and the notice have ids derived from their targets, and a second run finds
 * nothing left to delete or anonymise.
 */
export async function eraseStatements(models: Models, s: XapiSubject): Promise<XapiCounts> {
  const counts: XapiCounts = { voided: 0, deleted: 0, anonymised: 0, notices: 0 };
  const { schoolId } = s;
  const about = { schoolId, relatedAgents: { $in: s.keys } };
  const ours = await models.XapiStatement.find(
    // Not voiding statements, and not an earlier erasure notice (it names the agent so that LRSs know whom to erase).
    { ...about, credentialKey: WAYMARK_CREDENTIAL_KEY, voids: { $exists: false }, verbIds: { $ne: VERBS.erased } },
    { statementId: 1 },
  ).lean();
  const others = await models.XapiStatement.countDocuments({ ...about, credentialKey: { $ne: WAYMARK_CREDENTIAL_KEY } });
  const destinations = await models.LrsDestination.countDocuments({ schoolId });
  const ctx = waymarkStoreContext(schoolId, s.publicUrl);

  const voiding = ours.map((d) => buildVoidingStatement({ publicUrl: s.publicUrl, statementId: d.statementId, at: s.at }));
  for (let i = 0; i < voiding.length; i += MAX_BATCH) await storeStatements(models, ctx, voiding.slice(i, i + MAX_BATCH), []);
  counts.voided = voiding.length;
  if (ours.length > 0 || others > 0 || destinations > 0) {
    await storeStatements(
      models,
      ctx,
      buildErasureNoticeStatement({ publicUrl: s.publicUrl, schoolId, agent: s.agent, at: s.at }),
      [],
    );
    counts.notices = 1;
  }
  // The targets go only after their voiding statements are stored (a crash in between leaves them voided).
  counts.deleted = (
    await models.XapiStatement.deleteMany({ schoolId, statementId: { $in: ours.map((d) => d.statementId) } })
  ).deletedCount;

  // A voiding statement's index inherits its target's agents (so agent queries find it, Communication 2.1.3); with
  // the target gone, that would be the pupil's last trace in the store: the notice alone keeps the agent.
  await models.XapiStatement.updateMany(
    { schoolId, credentialKey: WAYMARK_CREDENTIAL_KEY, voids: { $exists: true }, relatedAgents: { $in: s.keys } },
    { $pull: { agentKeys: { $in: s.keys }, relatedAgents: { $in: s.keys } } },
  );

  const keys = new Set(s.keys);
  const anon: JsonObject = {
    objectType: 'Agent',
    account: { homePage: `${s.publicUrl.replace(/\/$/, '')}/erased`, name: s.tombstone },
  };
  const theirs = await models.XapiStatement.find(
    { ...about, credentialKey: { $ne: WAYMARK_CREDENTIAL_KEY } },
    { json: 1 },
  ).lean();
  for (const doc of theirs) {
    const parsed = JSON.parse(doc.json) as JsonObject;
    const { value, changed } = replaceAgents(parsed, keys, anon);
    if (!changed) continue;
    const statement = value as JsonObject;
    const index = indexStatement(statement);
    const version = typeof statement.version === 'string' && statement.version.startsWith('2') ? '2.0' : '1.0.3';
    await models.XapiStatement.updateOne(
      { schoolId, _id: doc._id },
      {
        $set: {
          json: JSON.stringify(statement),
          signature: statementSignature(statement, version),
          agentKeys: index.agentKeys,
          relatedAgents: index.relatedAgents,
        },
        ...(index.actorAccountName ? {} : { $unset: { actorAccountName: 1 } }),
      },
    );
    if (index.actorAccountName)
      await models.XapiStatement.updateOne({ schoolId, _id: doc._id }, { $set: { actorAccountName: index.actorAccountName } });
    counts.anonymised++;
  }
  return counts;
}

/** Deletes state and agent-profile documents stored for the pupil's agent. */
export async function eraseDocuments(models: Models, s: Pick<XapiSubject, 'schoolId' | 'keys'>): Promise<number> {
  return (await models.XapiDocument.deleteMany({ schoolId: s.schoolId, agentKey: { $in: s.keys } })).deletedCount;
}
