import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConcernView, SafeguardingContact } from '../../../../server/contract/safeguarding.js';
import type { Session } from '../../../../server/contract/session.js';
import { api, ApiError } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import './safeguarding.css';

/** The designated contact and planners: the concern list; planners also name the contact. */
export function SafeguardingPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('safeguarding.page.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{(session) => <Safeguarding session={session} />}</SessionGate>;
}

interface Staff {
  id: string;
  name: string | null;
  role: string;
}

function Safeguarding({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const [contact, setContact] = useState<SafeguardingContact | 'failed' | null>(null);
  const [concerns, setConcerns] = useState<ConcernView[] | 'forbidden' | 'failed' | null>(null);
  const [staff, setStaff] = useState<Staff[]>([]);
  const [choice, setChoice] = useState('');
  const [message, setMessage] = useState('');
  const isPlanner = session.user.role === 'planner';

  useEffect(() => {
    api<SafeguardingContact>('/safeguarding/contact').then(
      (c) => {
        setContact(c);
        setChoice(c.contact?.userId ?? '');
        if (c.canViewConcerns)
          api<{ concerns: ConcernView[] }>('/safeguarding/concerns').then(
            (r) => setConcerns(r.concerns),
            (err: unknown) => setConcerns(err instanceof ApiError && err.status === 403 ? 'forbidden' : 'failed'),
          );
        else setConcerns('forbidden');
      },
      () => setContact('failed'),
    );
    if (isPlanner)
      api<{ staff: Staff[] }>('/safeguarding/staff').then(
        (r) => setStaff(r.staff),
        () => setStaff([]),
      );
  }, [isPlanner]);

  async function saveContact() {
    try {
      const c = await api<SafeguardingContact>('/safeguarding/contact', {
        method: 'PUT',
        body: JSON.stringify({ userId: choice }),
      });
      setContact(c);
      setMessage(t('safeguarding.contact.saved'));
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : t('safeguarding.errors.network'));
    }
  }

  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB');
  const current = contact && contact !== 'failed' ? contact.contact : null;

  return (
    <div className="stack">
      <h1>{t('safeguarding.page.title')}</h1>
      <p className="lead">{t('safeguarding.page.intro')}</p>
      {contact === 'failed' ? (
        <p role="alert" className="error">
          {t('safeguarding.errors.load')}
        </p>
      ) : null}
      <section className="card stack" aria-labelledby={`${ids}-contact`}>
        <h2 id={`${ids}-contact`}>{t('safeguarding.contact.heading')}</h2>
        <p>
          {current ? t('safeguarding.contact.current', { name: current.name ?? current.userId }) : t('safeguarding.contact.none')}
        </p>
        {isPlanner ? (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (choice) void saveContact();
            }}
          >
            <label htmlFor={`${ids}-choice`}>{t('safeguarding.contact.choose')}</label>
            <select id={`${ids}-choice`} value={choice} onChange={(e) => setChoice(e.target.value)}>
              <option value="">{t('safeguarding.contact.pick')}</option>
              {staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name ?? s.id} ({t(`safeguarding.roles.${s.role === 'planner' ? 'planner' : 'teacher'}`)})
                </option>
              ))}
            </select>
            <div>
              <button type="submit" className="button">
                {t('safeguarding.contact.save')}
              </button>
            </div>
          </form>
        ) : null}
        <p role="status" className="meta">
          {message}
        </p>
      </section>

      <section className="stack" aria-labelledby={`${ids}-concerns`}>
        <h2 id={`${ids}-concerns`}>{t('safeguarding.list.heading')}</h2>
        {concerns === null ? <p role="status">{t('session.loading')}</p> : null}
        {concerns === 'forbidden' ? <p>{t('safeguarding.list.forbidden')}</p> : null}
        {concerns === 'failed' ? (
          <p role="alert" className="error">
            {t('safeguarding.errors.load')}
          </p>
        ) : null}
        {Array.isArray(concerns) && concerns.length === 0 ? <p>{t('safeguarding.list.none')}</p> : null}
        {Array.isArray(concerns) ? (
          <ul className="concern-list">
            {concerns.map((c) => (
              <li key={c.id} className="card">
                <h3>{t('safeguarding.list.about', { name: c.pupil.name ?? c.pupil.id })}</h3>
                <p className="meta">
                  {t('safeguarding.list.reported', { name: c.reporter.name ?? c.reporter.id, when: when(c.reportedAt) })} ·{' '}
                  {t(`safeguarding.sources.${c.source.kind}`)}
                </p>
                <p className="concern-text">{c.text}</p>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
