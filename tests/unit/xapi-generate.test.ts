/** The xAPI profile as code: every event kind maps to valid statements (both versions) or is skipped with a reason. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  agentOf,
  buildErasureNoticeStatement,
  buildStatements,
  buildVoidingStatement,
  EVENT_KINDS,
  GENERATED_KINDS,
  logEntryStatementId,
  MAPPINGS,
  registrationFor,
  statementIdFor,
  uuidV5,
  WAYMARK_NAMESPACE,
} from '../../server/modules/xapi/generate.js';
import { XAPI_PROFILE, XAPI_PROFILE_JSON } from '../../server/modules/xapi/profile.js';
import { assertStatement, isUuid, type JsonObject } from '../../server/modules/xapi/validate.js';
import { CLASS, envFor, EVENTS, ISSUER, LOG_ENTRY, PUBLIC_URL, PUPIL, SCHOOL, TEACHER } from './xapi-generate-fixtures.js';

type Obj = Record<string, unknown>;
const statementsOf = (kind: string, identifiable = false): JsonObject[] =>
  (EVENTS[kind] ?? []).flatMap((e) => {
    const mapped = buildStatements(e, envFor(identifiable, { progress: 50 }));
    return 'statements' in mapped ? mapped.statements : [];
  });
const allStatements = (identifiable = false) => EVENT_KINDS.flatMap((k) => statementsOf(k, identifiable));

describe('xAPI generation: the mapping table', () => {
  it('has a fixture for every kind, and every kind either builds statements or gives a reason to skip', () => {
    for (const kind of EVENT_KINDS) {
      expect(EVENTS[kind], `fixture for ${kind}`).toBeDefined();
      const mapping = MAPPINGS[kind];
      expect(Boolean(mapping?.build) !== Boolean(mapping?.skip), `${kind}: build xor skip`).toBe(true);
      if (mapping?.skip) expect(mapping.skip.length).toBeGreaterThan(20);
    }
  });

  it.each(GENERATED_KINDS.map((k) => [k]))('%s makes statements valid under xAPI 1.0.3 and 2.0.0', (kind) => {
    const statements = statementsOf(kind);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(() => assertStatement(s, '1.0.3')).not.toThrow();
      expect(() => assertStatement(s, '2.0')).not.toThrow();
      expect(isUuid(s.id as string)).toBe(true);
    }
  });

  it.each(EVENT_KINDS.filter((k) => !GENERATED_KINDS.includes(k)).map((k) => [k]))('%s is skipped with its reason', (kind) => {
    for (const e of EVENTS[kind] ?? []) {
      const mapped = buildStatements(e, envFor(false));
      expect(mapped).toEqual({ skip: MAPPINGS[kind]?.skip });
    }
  });

  it('skips an unknown kind, and an event whose pupil is unknown, naming why', () => {
    const event = { ...EVENTS['careers.viewed']![0]!, kind: 'careers.teleported' };
    expect(buildStatements(event, envFor(false))).toEqual({ skip: 'no xAPI mapping for kind careers.teleported' });
    const orphan = { ...EVENTS['progress.module-completed']![0]!, userId: '65a0000000000000000000ff' };
    expect('skip' in buildStatements(orphan, envFor(false))).toBe(true);
  });

  it('derives statement ids from the event id: the same event gives the same ids, another event other ids', () => {
    const event = EVENTS['progress.activity-completed']![0]!;
    const first = buildStatements(event, envFor(false, { progress: 50 }));
    const again = buildStatements(event, envFor(false, { progress: 50 }));
    expect(first).toEqual(again);
    const ids = 'statements' in first ? first.statements.map((s) => s.id) : [];
    expect(ids).toEqual([statementIdFor(event._id, 0), statementIdFor(event._id, 1)]);
    expect(new Set(allStatements().map((s) => s.id)).size).toBe(allStatements().length);
    expect(statementIdFor('other-event')).not.toBe(statementIdFor(event._id));
  });

  it('computes RFC 9562 version-5 UUIDs (the RFC test vector for www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(isUuid(WAYMARK_NAMESPACE)).toBe(true);
  });

  it('gives one registration per pupil and module attempt, shared by the attempt statements', () => {
    const registration = registrationFor(SCHOOL, PUPIL, 's3-my-strengths');
    for (const kind of ['progress.answer-saved', 'progress.activity-completed', 'progress.module-completed', 'progress.rated'])
      for (const s of statementsOf(kind)) expect((s.context as Obj).registration).toBe(registration);
    expect(registrationFor(SCHOOL, TEACHER, 's3-my-strengths')).not.toBe(registration);
  });

  it('points verifications, host confirmations and comments at the statement of the entry (StatementRef)', () => {
    const created = statementsOf('log.created')[0]!;
    expect(created.id).toBe(logEntryStatementId(SCHOOL, PUPIL, LOG_ENTRY));
    for (const kind of ['log.verified', 'log.confirmed', 'log.commented']) {
      const [s] = statementsOf(kind);
      expect(s?.object).toEqual({ objectType: 'StatementRef', id: created.id });
    }
  });

  it('fills context: parent module, grouping by stage and competency, platform, language, class team, instructor', () => {
    const [answer] = statementsOf('progress.answer-saved');
    const context = answer?.context as Obj;
    const activities = context.contextActivities as Record<string, Obj[]>;
    expect(activities.parent?.map((a) => a.id)).toEqual([`${PUBLIC_URL}/xapi/activities/modules/s3-my-strengths`]);
    expect(activities.grouping?.map((a) => a.id)).toEqual([
      `${PUBLIC_URL}/xapi/activities/stages/s3`,
      `${PUBLIC_URL}/xapi/activities/competencies/self-concept`,
      `${PUBLIC_URL}/xapi/activities/competencies/exploring`,
    ]);
    expect(activities.category?.map((a) => a.id)).toEqual([XAPI_PROFILE.versions[0]?.id]);
    expect(context.platform).toBe('Waymark');
    expect(context.language).toBe('en');
    expect(context.team).toEqual({ objectType: 'Group', account: { homePage: ISSUER, name: 'ctx-8b' } });
    const group = statementsOf('log.created')[1]!;
    expect((group.verb as Obj).id).toBe('http://adlnet.gov/expapi/verbs/attended');
    expect((group.context as Obj).instructor).toEqual({
      objectType: 'Agent',
      account: { homePage: ISSUER, name: 'lti-sub-teacher' },
    });
  });

  it('reports module progress with the cmi5 progress extension on progressed', () => {
    const progressed = statementsOf('progress.activity-completed')[1]!;
    expect((progressed.verb as Obj).id).toBe('http://adlnet.gov/expapi/verbs/progressed');
    expect((progressed.result as Obj).extensions).toEqual({ 'https://w3id.org/xapi/cmi5/result/extensions/progress': 50 });
  });
});

describe('xAPI generation: privacy', () => {
  it('names actors pseudonymously by default: LMS issuer and LTI sub, no name, no e-mail', () => {
    for (const s of allStatements(false)) {
      const text = JSON.stringify(s);
      expect(text).not.toContain('Amira');
      expect(text).not.toContain('Tom Teacher');
      expect(text).not.toContain('8B careers');
      expect(text).not.toContain('mbox');
    }
    expect(statementsOf('careers.viewed')[0]?.actor).toEqual({
      objectType: 'Agent',
      account: { homePage: ISSUER, name: 'lti-sub-pupil' },
    });
  });

  it('adds names (people and class titles) only when the school turned xapi.identifiable on', () => {
    expect(statementsOf('careers.viewed', true)[0]?.actor).toEqual({
      objectType: 'Agent',
      name: 'Amira Pupil',
      account: { homePage: ISSUER, name: 'lti-sub-pupil' },
    });
    expect(((statementsOf('lesson.recorded', true)[0]?.actor as Obj).name as string) ?? '').toBe('8B careers');
  });

  it('never sends free text: reflections, comments, notes, feedback, organisations, search queries', () => {
    for (const identifiable of [false, true])
      for (const s of allStatements(identifiable)) expect(JSON.stringify(s)).not.toContain('PRIVATE');
  });

  it('falls back to a Waymark account when the user has no platform', () => {
    expect(agentOf({ _id: 'u1', sub: 's1', name: 'N' }, { publicUrl: PUBLIC_URL, identifiable: false })).toEqual({
      objectType: 'Agent',
      account: { homePage: PUBLIC_URL, name: 'user:u1' },
    });
  });
});

describe('xAPI generation: voiding and erasure notices', () => {
  const at = new Date('2026-11-21T08:00:00Z');

  it('builds a voiding statement with a stable id, valid in both versions', () => {
    const target = statementIdFor('ev-x');
    const voiding = buildVoidingStatement({ publicUrl: PUBLIC_URL, statementId: target.toUpperCase(), at });
    expect(voiding.object).toEqual({ objectType: 'StatementRef', id: target });
    expect(buildVoidingStatement({ publicUrl: PUBLIC_URL, statementId: target, at }).id).toBe(voiding.id);
    assertStatement(voiding, '1.0.3');
    assertStatement(voiding, '2.0');
  });

  it('builds one erasure notice per school and agent, naming the identifier only', () => {
    const agent = agentOf(
      { _id: PUPIL, sub: 'lti-sub-pupil', name: 'Amira Pupil' },
      { issuer: ISSUER, publicUrl: PUBLIC_URL, identifiable: true },
    );
    const notice = buildErasureNoticeStatement({ publicUrl: PUBLIC_URL, schoolId: SCHOOL, agent, at });
    expect(notice.object).toEqual({ objectType: 'Agent', account: { homePage: ISSUER, name: 'lti-sub-pupil' } });
    expect(buildErasureNoticeStatement({ publicUrl: PUBLIC_URL, schoolId: SCHOOL, agent, at: new Date() }).id).toBe(notice.id);
    expect(buildErasureNoticeStatement({ publicUrl: PUBLIC_URL, schoolId: 'school-b', agent, at }).id).not.toBe(notice.id);
    assertStatement(notice, '1.0.3');
    assertStatement(notice, '2.0');
  });
});

// ---------------------------------------------------------------------------------------- kinds in the source

/** Kind literals in server files that write learning events (recordLearningEvent, the log's recordEvent). */
function kindsInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.includes(`${path.sep}xapi${path.sep}`)) {
        const text = readFileSync(file, 'utf8');
        if (!/recordLearningEvent|recordEvents?\(|LogEventKind|EVENT_KINDS?\b/.test(text)) continue;
        for (const m of text.matchAll(/['"`]([a-z]+\.[a-z]+(?:-[a-z]+)*)['"`]/g)) {
          const kind = m[1] ?? '';
          if (/\.(js|ts|json|css|html|csv|pdf)$/.test(kind)) continue;
          if (/^(xapi|subject|data|verification|host|activities)\./.test(kind)) continue; // field paths, not kinds
          found.set(kind, path.relative(process.cwd(), file));
        }
      }
    }
  };
  walk(path.resolve('server'));
  return found;
}

describe('xAPI generation: every recorded kind is mapped', () => {
  it('finds the kinds recorded in the source, and each has an entry in the table (add one to MAPPINGS)', () => {
    const found = kindsInSource();
    expect(found.has('progress.answer-saved')).toBe(true);
    expect(found.has('log.verified')).toBe(true);
    expect(found.has('lesson.recorded')).toBe(true);
    const unmapped = [...found].filter(([kind]) => !EVENT_KINDS.includes(kind)).map(([kind, file]) => `${kind} (${file})`);
    expect(unmapped).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------- the profile

function termsUsed(statements: JsonObject[]) {
  const verbs = new Set<string>();
  const types = new Set<string>();
  const extensions = new Set<string>();
  const activity = (a: unknown) => {
    const type = ((a as Obj).definition as Obj | undefined)?.type;
    if (typeof type === 'string') types.add(type);
  };
  for (const s of statements) {
    verbs.add((s.verb as Obj).id as string);
    if ((s.object as Obj).objectType === 'Activity') activity(s.object);
    const context = (s.context ?? {}) as Obj;
    for (const list of Object.values((context.contextActivities ?? {}) as Record<string, unknown[]>)) list.forEach(activity);
    for (const key of Object.keys(context.extensions ?? {})) extensions.add(key);
    for (const key of Object.keys((s.result as Obj | undefined)?.extensions ?? {})) extensions.add(key);
  }
  return { verbs, types, extensions };
}

function termsInProfile(profile: typeof XAPI_PROFILE) {
  const verbs = new Set<string>();
  const types = new Set<string>();
  const extensions = new Set<string>();
  for (const c of profile.concepts) {
    if (c.type === 'Verb') verbs.add(c.id);
    if (c.type === 'ActivityType') types.add(c.id);
    if (c.type.endsWith('Extension')) extensions.add(c.id);
  }
  for (const t of profile.templates as Obj[]) {
    verbs.add(t.verb as string);
    if (typeof t.objectActivityType === 'string') types.add(t.objectActivityType);
    for (const key of ['contextParentActivityType', 'contextGroupingActivityType', 'contextCategoryActivityType'])
      for (const type of (t[key] ?? []) as string[]) types.add(type);
    for (const rule of t.rules as { location: string }[]) {
      const m = /extensions\['([^']+)'\]/.exec(rule.location);
      if (m?.[1]) extensions.add(m[1]);
    }
  }
  return { verbs, types, extensions };
}

describe('the xAPI Profile document', () => {
  const at = new Date('2026-11-21T08:00:00Z');
  const used = termsUsed([
    ...allStatements(),
    buildVoidingStatement({ publicUrl: PUBLIC_URL, statementId: statementIdFor('x'), at }),
    buildErasureNoticeStatement({
      publicUrl: PUBLIC_URL,
      schoolId: SCHOOL,
      agent: { objectType: 'Agent', account: { homePage: ISSUER, name: 's' } },
      at,
    }),
  ]);
  const listed = termsInProfile(XAPI_PROFILE);

  it('lists every verb, activity type and extension the generator uses, and nothing it does not', () => {
    expect([...listed.verbs].sort()).toEqual([...used.verbs].sort());
    expect([...listed.types].sort()).toEqual([...used.types].sort());
    expect([...listed.extensions].sort()).toEqual([...used.extensions].sort());
  });

  it('has a statement template for every kind that makes statements', () => {
    const ids = (XAPI_PROFILE.templates as { id: string }[]).map((t) => t.id);
    for (const kind of GENERATED_KINDS)
      expect(
        ids.some((id) => id.startsWith(`https://w3id.org/xapi/waymark/templates/${kind.replace('.', '-')}`)),
        kind,
      ).toBe(true);
  });

  it('defines the terms Waymark mints under its w3id base, in the current version scheme', () => {
    for (const c of XAPI_PROFILE.concepts) {
      if (!c.id.startsWith('https://w3id.org/xapi/waymark/')) throw new Error(`${c.id} is not a Waymark term`);
      expect(c.inScheme).toBe(XAPI_PROFILE.versions[0]?.id);
    }
  });

  it('is published unchanged as docs/xapi-profile.jsonld', () => {
    expect(readFileSync(path.resolve('docs/xapi-profile.jsonld'), 'utf8')).toBe(XAPI_PROFILE_JSON);
  });

  it('keeps the fixtures honest: the class and teacher they name exist', () => {
    expect(envFor(false).classes.has(CLASS)).toBe(true);
    expect(envFor(false).agents.has(TEACHER)).toBe(true);
  });
});
