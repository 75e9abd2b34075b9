import { useCallback, useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AdviserView,
  AuditEntry,
  GrantView,
  InvitationCreated,
  PartnerView,
  PolicyView,
  PupilConsentView,
  SharingOptions,
} from '../../../../../server/contract/sharing.js';
import { api, apiBlob, ApiError, saveBlob } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import './sharing.css';

const BASE = '/planner/sharing';

/** /planner/sharing — partners and advisers, invitations, grants, consent and the audit log of adviser views. */
export function SharingPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('sharing.page.title')} · Waymark`;
  }, [t]);
  return (
    <SessionGate>
      {(session) =>
        session.user.role === 'planner' ? (
          <Sharing />
        ) : (
          <p role="alert" className="error">
            {t('sharing.errors.plannersOnly')}
          </p>
        )
      }
    </SessionGate>
  );
}

function useMessage() {
  const { t } = useTranslation();
  const [message, setMessage] = useState('');
  const fail = useCallback(
    (err: unknown) => setMessage(err instanceof ApiError ? err.message : t('sharing.errors.network')),
    [t],
  );
  return { message, setMessage, fail };
}

function Sharing() {
  const { t } = useTranslation();
  const [partners, setPartners] = useState<PartnerView[]>([]);
  const [advisers, setAdvisers] = useState<AdviserView[]>([]);
  const [options, setOptions] = useState<SharingOptions | null>(null);
  const [failed, setFailed] = useState(false);
  const reload = useCallback(() => {
    Promise.all([
      api<PartnerView[]>(`${BASE}/partners`),
      api<AdviserView[]>(`${BASE}/advisers`),
      api<SharingOptions>(`${BASE}/options`),
    ]).then(
      ([p, a, o]) => {
        setPartners(p);
        setAdvisers(a);
        setOptions(o);
      },
      () => setFailed(true),
    );
  }, []);
  useEffect(reload, [reload]);
  return (
    <div className="stack sharing">
      <h1>{t('sharing.page.title')}</h1>
      <p className="lead">{t('sharing.page.intro')}</p>
      {failed ? (
        <p role="alert" className="error">
          {t('sharing.errors.load')}
        </p>
      ) : null}
      <AdvisersSection partners={partners} advisers={advisers} options={options} reload={reload} />
      <GrantsSection partners={partners} advisers={advisers} options={options} />
      <ConsentSection options={options} />
      <AuditSection advisers={advisers} options={options} />
    </div>
  );
}

interface Shared {
  partners: PartnerView[];
  advisers: AdviserView[];
  options: SharingOptions | null;
}

function AdvisersSection({ partners, advisers, options, reload }: Shared & { reload: () => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const { message, setMessage, fail } = useMessage();
  const [partner, setPartner] = useState({ code: '', name: '' });
  const [adviser, setAdviser] = useState({ name: '', email: '', partnerId: '' });
  const [links, setLinks] = useState<Record<string, InvitationCreated>>({});

  async function addPartner(e: SyntheticEvent) {
    e.preventDefault();
    try {
      await api(`${BASE}/partners`, { method: 'POST', body: JSON.stringify(partner) });
      setPartner({ code: '', name: '' });
      setMessage(t('sharing.advisers.partnerAdded'));
      reload();
    } catch (err) {
      fail(err);
    }
  }
  async function addAdviser(e: SyntheticEvent) {
    e.preventDefault();
    try {
      const body = {
        name: adviser.name,
        ...(adviser.email ? { email: adviser.email } : {}),
        ...(adviser.partnerId ? { partnerId: adviser.partnerId } : {}),
      };
      await api(`${BASE}/advisers`, { method: 'POST', body: JSON.stringify(body) });
      setAdviser({ name: '', email: '', partnerId: '' });
      setMessage(t('sharing.advisers.adviserAdded'));
      reload();
    } catch (err) {
      fail(err);
    }
  }
  async function invite(id: string) {
    try {
      const created = await api<InvitationCreated>(`${BASE}/advisers/${id}/invitations`, { method: 'POST' });
      setLinks({ ...links, [id]: created });
      setMessage(created.mailed ? t('sharing.advisers.inviteMailed') : t('sharing.advisers.inviteReady'));
    } catch (err) {
      fail(err);
    }
  }
  async function link(id: string, userId: string) {
    try {
      await api(`${BASE}/advisers/${id}/lms-user`, { method: 'PUT', body: JSON.stringify({ userId: userId || null }) });
      setMessage(t('sharing.advisers.linked'));
      reload();
    } catch (err) {
      fail(err);
    }
  }
  const partnerName = (id: string | null) => partners.find((p) => p.id === id)?.name ?? '—';

  return (
    <section className="card stack" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('sharing.advisers.heading')}</h2>
      <form className="inline" onSubmit={(e) => void addPartner(e)} aria-labelledby={`${ids}-ph`}>
        <h3 id={`${ids}-ph`} className="visually-hidden">
          {t('sharing.advisers.addPartner')}
        </h3>
        <div>
          <label htmlFor={`${ids}-pname`}>{t('sharing.advisers.partnerName')}</label>
          <input
            id={`${ids}-pname`}
            required
            value={partner.name}
            onChange={(e) => setPartner({ ...partner, name: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={`${ids}-pcode`}>{t('sharing.advisers.partnerCode')}</label>
          <input
            id={`${ids}-pcode`}
            required
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            value={partner.code}
            onChange={(e) => setPartner({ ...partner, code: e.target.value })}
          />
        </div>
        <button type="submit" className="button">
          {t('sharing.advisers.addPartner')}
        </button>
      </form>
      <form className="inline" onSubmit={(e) => void addAdviser(e)}>
        <div>
          <label htmlFor={`${ids}-aname`}>{t('sharing.advisers.adviserNameField')}</label>
          <input
            id={`${ids}-aname`}
            required
            value={adviser.name}
            onChange={(e) => setAdviser({ ...adviser, name: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={`${ids}-aemail`}>{t('sharing.advisers.adviserEmail')}</label>
          <input
            id={`${ids}-aemail`}
            type="email"
            value={adviser.email}
            onChange={(e) => setAdviser({ ...adviser, email: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={`${ids}-apartner`}>{t('sharing.advisers.partner')}</label>
          <select
            id={`${ids}-apartner`}
            value={adviser.partnerId}
            onChange={(e) => setAdviser({ ...adviser, partnerId: e.target.value })}
          >
            <option value="">{t('sharing.advisers.noPartner')}</option>
            {partners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('sharing.advisers.addAdviser')}
        </button>
      </form>
      {advisers.length === 0 ? (
        <p>{t('sharing.advisers.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('sharing.advisers.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sharing.advisers.adviserName')}</th>
                <th scope="col">{t('sharing.advisers.partner')}</th>
                <th scope="col">{t('sharing.advisers.signIn')}</th>
                <th scope="col">{t('sharing.advisers.lmsUser')}</th>
                <th scope="col">{t('sharing.advisers.invitation')}</th>
              </tr>
            </thead>
            <tbody>
              {advisers.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    {a.name}
                    {a.email ? <div className="meta">{a.email}</div> : null}
                  </th>
                  <td>{partnerName(a.partnerId)}</td>
                  <td>
                    {a.signIn.passkeys > 0 || a.signIn.password
                      ? t('sharing.advisers.signInReady')
                      : t('sharing.advisers.signInNone')}
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`${ids}-lms-${a.id}`}>
                      {t('sharing.advisers.lmsUserFor', { name: a.name })}
                    </label>
                    <select id={`${ids}-lms-${a.id}`} value={a.lmsUserId ?? ''} onChange={(e) => void link(a.id, e.target.value)}>
                      <option value="">{t('sharing.advisers.noLmsUser')}</option>
                      {(options?.lmsAdvisers ?? []).map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name ?? u.id}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      onClick={() => void invite(a.id)}
                      aria-label={t('sharing.advisers.inviteFor', { name: a.name })}
                    >
                      {t('sharing.advisers.invite')}
                    </button>
                    {links[a.id]?.url ? (
                      <p>
                        {t('sharing.advisers.passOn')}{' '}
                        <span className="link-box" data-testid="invite-link">
                          {links[a.id]?.url}
                        </span>
                      </p>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status">{message}</p>
    </section>
  );
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();

function GrantsSection({ partners, advisers, options }: Shared) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const { message, setMessage, fail } = useMessage();
  const [grants, setGrants] = useState<GrantView[]>([]);
  const [form, setForm] = useState({
    to: '',
    kind: 'pupil' as GrantView['kind'],
    values: [] as string[],
    until: inDays(90),
    capacity: '',
  });
  const [renewTo, setRenewTo] = useState<Record<string, string>>({});
  const load = useCallback(() => {
    api<GrantView[]>(`${BASE}/grants`).then(setGrants, () => setGrants([]));
  }, []);
  useEffect(load, [load]);

  async function share(e: SyntheticEvent) {
    e.preventDefault();
    const [kind, id] = form.to.split(':');
    try {
      await api(`${BASE}/grants`, {
        method: 'POST',
        body: JSON.stringify({
          ...(kind === 'partner' ? { partnerId: id } : { adviserId: id }),
          kind: form.kind,
          values: form.values,
          expiresAt: endOfDay(form.until),
          ...(form.capacity ? { capacity: Number(form.capacity) } : {}),
        }),
      });
      setForm({ ...form, values: [] });
      setMessage(t('sharing.grants.created'));
      load();
    } catch (err) {
      fail(err);
    }
  }
  async function act(id: string, action: 'renew' | 'revoke') {
    try {
      await api(`${BASE}/grants/${id}/${action}`, {
        method: 'POST',
        ...(action === 'renew' ? { body: JSON.stringify({ expiresAt: endOfDay(renewTo[id] ?? inDays(90)) }) } : {}),
      });
      setMessage(t(action === 'renew' ? 'sharing.grants.renewed' : 'sharing.grants.revoked'));
      load();
    } catch (err) {
      fail(err);
    }
  }

  const choices =
    form.kind === 'class'
      ? (options?.classes ?? []).map((c) => ({ id: c.id, label: c.title ?? c.id }))
      : form.kind === 'yearGroup'
        ? (options?.yearGroups ?? []).map((y) => ({ id: y, label: y }))
        : (options?.pupils ?? []).map((p) => ({ id: p.id, label: `${p.name ?? p.id}${p.yearGroup ? ` (${p.yearGroup})` : ''}` }));
  const label = (kind: GrantView['kind'], v: string) =>
    kind === 'class'
      ? (options?.classes.find((c) => c.id === v)?.title ?? v)
      : kind === 'pupil'
        ? (options?.pupils.find((p) => p.id === v)?.name ?? v)
        : v;
  const toName = (g: GrantView) =>
    g.adviserId
      ? (advisers.find((a) => a.id === g.adviserId)?.name ?? '—')
      : (partners.find((p) => p.id === g.partnerId)?.name ?? '—');
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB');

  return (
    <section className="card stack" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('sharing.grants.heading')}</h2>
      <form className="inline" onSubmit={(e) => void share(e)}>
        <div>
          <label htmlFor={`${ids}-to`}>{t('sharing.grants.to')}</label>
          <select id={`${ids}-to`} required value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })}>
            <option value="">{t('sharing.grants.choose')}</option>
            {advisers.map((a) => (
              <option key={a.id} value={`adviser:${a.id}`}>
                {a.name}
              </option>
            ))}
            {partners.map((p) => (
              <option key={p.id} value={`partner:${p.id}`}>
                {t('sharing.grants.partnerOption', { name: p.name })}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-kind`}>{t('sharing.grants.by')}</label>
          <select
            id={`${ids}-kind`}
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.target.value as GrantView['kind'], values: [] })}
          >
            <option value="pupil">{t('sharing.grants.kind.pupil')}</option>
            <option value="class">{t('sharing.grants.kind.class')}</option>
            <option value="yearGroup">{t('sharing.grants.kind.yearGroup')}</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-values`}>{t(`sharing.grants.which.${form.kind}`)}</label>
          <select
            id={`${ids}-values`}
            multiple
            required
            value={form.values}
            onChange={(e) => setForm({ ...form, values: [...e.target.selectedOptions].map((o) => o.value) })}
          >
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-until`}>{t('sharing.grants.until')}</label>
          <input
            id={`${ids}-until`}
            type="date"
            required
            min={inDays(1)}
            value={form.until}
            onChange={(e) => setForm({ ...form, until: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={`${ids}-cap`}>{t('sharing.grants.capacity')}</label>
          <input
            id={`${ids}-cap`}
            type="number"
            min={0}
            inputMode="numeric"
            value={form.capacity}
            onChange={(e) => setForm({ ...form, capacity: e.target.value })}
          />
        </div>
        <button type="submit" className="button">
          {t('sharing.grants.share')}
        </button>
      </form>
      {grants.length === 0 ? (
        <p>{t('sharing.grants.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('sharing.grants.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sharing.grants.to')}</th>
                <th scope="col">{t('sharing.grants.what')}</th>
                <th scope="col">{t('sharing.grants.pupils')}</th>
                <th scope="col">{t('sharing.grants.until')}</th>
                <th scope="col">{t('sharing.grants.status')}</th>
                <th scope="col">{t('sharing.grants.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {grants.map((g) => (
                <tr key={g.id}>
                  <th scope="row">{toName(g)}</th>
                  <td>
                    {t(`sharing.grants.kind.${g.kind}`)}: {g.values.map((v) => label(g.kind, v)).join(', ')}
                  </td>
                  <td>{g.pupils}</td>
                  <td>{date(g.expiresAt)}</td>
                  <td>{t(`sharing.grants.statuses.${g.status}`)}</td>
                  <td>
                    {g.status !== 'revoked' ? (
                      <>
                        <label className="visually-hidden" htmlFor={`${ids}-renew-${g.id}`}>
                          {t('sharing.grants.renewUntil')}
                        </label>
                        <input
                          id={`${ids}-renew-${g.id}`}
                          type="date"
                          min={inDays(1)}
                          value={renewTo[g.id] ?? inDays(90)}
                          onChange={(e) => setRenewTo({ ...renewTo, [g.id]: e.target.value })}
                        />{' '}
                        <button type="button" className="button" onClick={() => void act(g.id, 'renew')}>
                          {t('sharing.grants.renew')}
                        </button>{' '}
                        <button type="button" className="button" onClick={() => void act(g.id, 'revoke')}>
                          {t('sharing.grants.revoke')}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status">{message}</p>
    </section>
  );
}

/** The consent policy (planners) and per-pupil consent; teachers see one class they teach (`classId`). */
export function ConsentSection({ options, classId }: { options: SharingOptions | null; classId?: string }) {
  const { t } = useTranslation();
  const ids = useId();
  const { message, setMessage, fail } = useMessage();
  const [policy, setPolicy] = useState<PolicyView | null>(null);
  const [pupils, setPupils] = useState<PupilConsentView[]>([]);
  const [yearGroup, setYearGroup] = useState('');
  const load = useCallback(() => {
    const query = new URLSearchParams({ ...(classId ? { classId } : {}), ...(yearGroup ? { yearGroup } : {}) }).toString();
    api<PupilConsentView[]>(`/sharing/consents${query ? `?${query}` : ''}`).then(setPupils, () => setPupils([]));
  }, [yearGroup, classId]);
  useEffect(() => {
    if (!classId) api<PolicyView>(`${BASE}/policy`).then(setPolicy, () => setPolicy(null));
  }, [classId]);
  useEffect(load, [load]);

  async function savePolicy(e: SyntheticEvent) {
    e.preventDefault();
    if (!policy) return;
    try {
      setPolicy(
        await api<PolicyView>(`${BASE}/policy`, {
          method: 'PUT',
          body: JSON.stringify({ consent: policy.consent, pupilFromAge: policy.pupilFromAge }),
        }),
      );
      setMessage(t('sharing.consent.policySaved'));
      load();
    } catch (err) {
      fail(err);
    }
  }
  async function record(p: PupilConsentView, status: 'given' | 'withdrawn') {
    try {
      await api(`/sharing/consents/${p.pupilId}`, { method: 'PUT', body: JSON.stringify({ kind: 'parent', status }) });
      setMessage(t(status === 'given' ? 'sharing.consent.recorded' : 'sharing.consent.withdrawnNow', { name: p.name ?? '' }));
      load();
    } catch (err) {
      fail(err);
    }
  }
  const state = (s: { status: string | null }) => t(`sharing.consent.state.${s.status ?? 'none'}`);

  return (
    <section className="card stack" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('sharing.consent.heading')}</h2>
      {policy ? (
        <form className="inline" onSubmit={(e) => void savePolicy(e)}>
          <div>
            <label htmlFor={`${ids}-mode`}>{t('sharing.consent.mode')}</label>
            <select
              id={`${ids}-mode`}
              value={policy.consent}
              onChange={(e) => setPolicy({ ...policy, consent: e.target.value as PolicyView['consent'] })}
            >
              <option value="by-age">{t('sharing.consent.byAge')}</option>
              <option value="none">{t('sharing.consent.noneNeeded')}</option>
            </select>
          </div>
          <div>
            <label htmlFor={`${ids}-age`}>{t('sharing.consent.age')}</label>
            <input
              id={`${ids}-age`}
              type="number"
              min={0}
              max={19}
              disabled={policy.consent === 'none'}
              value={policy.pupilFromAge}
              onChange={(e) => setPolicy({ ...policy, pupilFromAge: Number(e.target.value) })}
            />
          </div>
          <button type="submit" className="button">
            {t('sharing.consent.savePolicy')}
          </button>
        </form>
      ) : null}
      <p className="meta">{t('sharing.consent.ageNote')}</p>
      <div>
        <label htmlFor={`${ids}-yg`}>{t('sharing.consent.filterYear')}</label>
        <select id={`${ids}-yg`} value={yearGroup} onChange={(e) => setYearGroup(e.target.value)}>
          <option value="">{t('sharing.consent.allYears')}</option>
          {(options?.yearGroups ?? []).map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('sharing.consent.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sharing.consent.pupil')}</th>
              <th scope="col">{t('sharing.consent.required')}</th>
              <th scope="col">{t('sharing.consent.parent')}</th>
              <th scope="col">{t('sharing.consent.own')}</th>
              <th scope="col">{t('sharing.grants.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {pupils.map((p) => (
              <tr key={p.pupilId}>
                <th scope="row">
                  {p.name ?? p.pupilId}
                  {p.yearGroup ? <div className="meta">{p.yearGroup}</div> : null}
                </th>
                <td>{t(`sharing.consent.requires.${p.required ?? 'none'}`)}</td>
                <td>{state(p.parent)}</td>
                <td>{state(p.pupil)}</td>
                <td>
                  {p.parent.status === 'given' ? (
                    <button
                      type="button"
                      className="button"
                      onClick={() => void record(p, 'withdrawn')}
                      aria-label={t('sharing.consent.withdrawFor', { name: p.name ?? '' })}
                    >
                      {t('sharing.consent.withdraw')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button"
                      onClick={() => void record(p, 'given')}
                      aria-label={t('sharing.consent.recordFor', { name: p.name ?? '' })}
                    >
                      {t('sharing.consent.record')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p role="status">{message}</p>
    </section>
  );
}

function AuditSection({ advisers, options }: { advisers: AdviserView[]; options: SharingOptions | null }) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const { message, fail } = useMessage();
  const [filter, setFilter] = useState({ adviserId: '', pupilId: '', from: '', to: '' });
  const [rows, setRows] = useState<AuditEntry[] | null>(null);
  const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== '')).toString();
  const load = useCallback(() => {
    api<AuditEntry[]>(`${BASE}/audit${query ? `?${query}` : ''}`).then(setRows, fail);
  }, [query, fail]);
  useEffect(load, [load]);

  async function download() {
    try {
      const blob = await apiBlob(`${BASE}/audit?${query ? `${query}&` : ''}format=csv`);
      saveBlob(blob, 'adviser-audit.csv');
    } catch (err) {
      fail(err);
    }
  }
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB');
  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) => setFilter({ ...filter, [k]: e.target.value });

  return (
    <section className="card stack" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('sharing.audit.heading')}</h2>
      <p>{t('sharing.audit.intro')}</p>
      <div className="inline" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem 1rem' }}>
        <div>
          <label htmlFor={`${ids}-adv`}>{t('sharing.audit.adviser')}</label>
          <select id={`${ids}-adv`} value={filter.adviserId} onChange={set('adviserId')}>
            <option value="">{t('sharing.audit.all')}</option>
            {advisers.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-pup`}>{t('sharing.audit.pupil')}</label>
          <select id={`${ids}-pup`} value={filter.pupilId} onChange={set('pupilId')}>
            <option value="">{t('sharing.audit.all')}</option>
            {(options?.pupils ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name ?? p.id}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-from`}>{t('sharing.audit.from')}</label>
          <input id={`${ids}-from`} type="date" value={filter.from} onChange={set('from')} />
        </div>
        <div>
          <label htmlFor={`${ids}-to`}>{t('sharing.audit.to')}</label>
          <input id={`${ids}-to`} type="date" value={filter.to} onChange={set('to')} />
        </div>
        <div>
          <button type="button" className="button" onClick={() => void download()}>
            {t('sharing.audit.csv')}
          </button>
        </div>
      </div>
      {rows === null ? null : rows.length === 0 ? (
        <p>{t('sharing.audit.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('sharing.audit.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sharing.audit.when')}</th>
                <th scope="col">{t('sharing.audit.adviser')}</th>
                <th scope="col">{t('sharing.audit.pupil')}</th>
                <th scope="col">{t('sharing.audit.what')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.at}-${String(i)}`}>
                  <td>{when(r.at)}</td>
                  <td>{r.adviser.name ?? r.adviser.userId}</td>
                  <td>{r.pupil.name ?? r.pupil.id}</td>
                  <td>{r.what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status">{message}</p>
    </section>
  );
}
