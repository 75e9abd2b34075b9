/**
 * Agent identity: the key an Agent or identified Group is indexed and compared by (its inverse functional
 * identifier), and the agents and activities a statement mentions, computed once at write time.
 */
import type { JsonObject } from './validate.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** `mbox:mailto:a@b`, `mbox_sha1sum:<hex>`, `openid:<iri>` or `account:<homePage>|<name>`; undefined without an IFI. */
export function agentKey(agent: unknown): string | undefined {
  const a = asObj(agent);
  if (!a) return undefined;
  if (typeof a.mbox === 'string') return `mbox:${a.mbox.toLowerCase()}`;
  if (typeof a.mbox_sha1sum === 'string') return `mbox_sha1sum:${a.mbox_sha1sum.toLowerCase()}`;
  if (typeof a.openid === 'string') return `openid:${a.openid}`;
  const account = asObj(a.account);
  if (account && typeof account.homePage === 'string' && typeof account.name === 'string')
    return `account:${account.homePage}|${account.name}`;
  return undefined;
}

/** Keys of an Agent or Group, including an anonymous or identified Group's members. */
function actorKeys(actor: unknown, into: Set<string>): void {
  const a = asObj(actor);
  if (!a) return;
  const key = agentKey(a);
  if (key) into.add(key);
  if (Array.isArray(a.member)) for (const m of a.member) actorKeys(m, into);
}

function activitiesOf(value: unknown): Obj[] {
  if (Array.isArray(value)) return value.map(asObj).filter((v): v is Obj => Boolean(v));
  const one = asObj(value);
  return one ? [one] : [];
}

export interface StatementIndex {
  agentKeys: string[];
  relatedAgents: string[];
  verbIds: string[];
  activityIds: string[];
  relatedActivities: string[];
  registrations: string[];
  actorAccountName?: string;
}

/** The statement's own index fields (Communication 2.1.3 filters), sub-statement and 2.0 context agents included. */
export function indexStatement(statement: JsonObject): StatementIndex {
  const agents = new Set<string>();
  const related = new Set<string>();
  const activities = new Set<string>();
  const relatedActivities = new Set<string>();
  const verbs = new Set<string>();
  const registrations = new Set<string>();

  const body = (s: Obj, top: boolean) => {
    const verb = asObj(s.verb);
    if (top && verb && typeof verb.id === 'string') verbs.add(verb.id);
    const object = asObj(s.object);
    const objectType = object?.objectType ?? 'Activity';
    if (top) {
      const actorKey = agentKey(s.actor);
      if (actorKey) agents.add(actorKey);
      if ((objectType === 'Agent' || objectType === 'Group') && agentKey(object)) agents.add(agentKey(object) as string);
    }
    actorKeys(s.actor, related);
    if (objectType === 'Agent' || objectType === 'Group') actorKeys(object, related);
    if (objectType === 'Activity' && object && typeof object.id === 'string') {
      if (top) activities.add(object.id);
      relatedActivities.add(object.id);
    }
    const context = asObj(s.context);
    if (context) {
      actorKeys(context.instructor, related);
      actorKeys(context.team, related);
      if (Array.isArray(context.contextAgents)) for (const c of context.contextAgents) actorKeys(asObj(c)?.agent, related);
      if (Array.isArray(context.contextGroups)) for (const c of context.contextGroups) actorKeys(asObj(c)?.group, related);
      const ca = asObj(context.contextActivities);
      if (ca)
        for (const list of Object.values(ca))
          for (const a of activitiesOf(list)) if (typeof a.id === 'string') relatedActivities.add(a.id);
      if (top && typeof context.registration === 'string') registrations.add(context.registration.toLowerCase());
    }
    if (objectType === 'SubStatement' && object) body(object, false);
  };
  body(statement, true);
  actorKeys(statement.authority, related);
  for (const k of agents) related.add(k);

  const actor = asObj(statement.actor);
  const account = asObj(actor?.account);
  return {
    agentKeys: [...agents],
    relatedAgents: [...related],
    verbIds: [...verbs],
    activityIds: [...activities],
    relatedActivities: [...relatedActivities],
    registrations: [...registrations],
    ...(actor?.objectType !== 'Group' && account && typeof account.name === 'string' ? { actorAccountName: account.name } : {}),
  };
}

/** Every Activity object in a statement (object, context activities, sub-statement), for canonical definitions. */
export function activitiesIn(statement: JsonObject): Obj[] {
  const out: Obj[] = [];
  const body = (s: Obj) => {
    const object = asObj(s.object);
    const objectType = object?.objectType ?? 'Activity';
    if (object && objectType === 'Activity') out.push(object);
    const ca = asObj(asObj(s.context)?.contextActivities);
    if (ca) for (const list of Object.values(ca)) out.push(...activitiesOf(list));
    if (object && objectType === 'SubStatement') body(object);
  };
  body(statement);
  return out;
}
