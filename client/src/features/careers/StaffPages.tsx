import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type {
  ClassSharedResponse,
  ClassSubjectResponse,
  ExplorationAggregateResponse,
  ThemesResponse,
} from '../../../../server/contract/careers.js';
import { useSession } from '../../session.js';
import { careersApi } from './api.js';
import { useLang, useLoad, useTitle } from './hooks.js';
import { AttributionNote, LoadState, OccupationGrid } from './parts.js';

/** A subject teacher points their class at the occupations linked to their subject. */
export function ClassSubjectPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const session = useSession();
  const selectId = useId();
  useTitle(t('careers.classSubject.title'));
  const cls = session.status === 'ready' ? session.session.class : null;
  const [subjects] = useLoad<ThemesResponse>('subjects', () => careersApi.themes('subjects'));
  const [subject, setSubject] = useState('');
  const [state] = useLoad<ClassSubjectResponse>(cls && subject ? `${cls.id}/${subject}` : null, () =>
    careersApi.classSubject(cls?.id ?? '', subject),
  );
  return (
    <div className="stack">
      <h1>{t('careers.classSubject.title')}</h1>
      <p className="lead">{t('careers.classSubject.intro')}</p>
      {!cls ? (
        <p>{t('careers.classSubject.noClass')}</p>
      ) : (
        <LoadState inline state={subjects}>
          {(data) => (
            <div className="careers-field">
              <label htmlFor={selectId}>{t('careers.classSubject.subject')}</label>
              <select id={selectId} value={subject} onChange={(e) => setSubject(e.target.value)}>
                <option value="">{t('careers.classSubject.choose')}</option>
                {data.themes.map((theme) => (
                  <option key={theme.id} value={theme.id}>
                    {theme.title[lang]}
                  </option>
                ))}
              </select>
            </div>
          )}
        </LoadState>
      )}
      {cls && subject ? (
        <LoadState inline state={state}>
          {(data) => (
            <>
              <p className="careers-note">
                {t('careers.classSubject.share', { className: cls.title ?? cls.id })}{' '}
                <Link to={`/careers/browse/subjects/${data.subject.id}`}>
                  {t('careers.browse.subjectTitle', { subject: data.subject.title[lang] })}
                </Link>
              </p>
              <ShareWithClass
                classId={cls.id}
                className={cls.title ?? cls.id}
                subject={data.subject.id}
                subjectTitle={data.subject.title[lang]}
              />
              {data.groups.map(({ group, occupations }) => (
                <section key={group.code} className="careers-section" aria-labelledby={`cs-${group.code}`}>
                  <h2 id={`cs-${group.code}`}>{group.title[lang]}</h2>
                  <OccupationGrid occupations={occupations} />
                </section>
              ))}
              <AttributionNote items={data.attribution} />
            </>
          )}
        </LoadState>
      ) : null}
    </div>
  );
}

/** "Share these with my class": the class's pupils then see this subject's jobs on the careers home. */
function ShareWithClass({
  classId,
  className,
  subject,
  subjectTitle,
}: {
  classId: string;
  className: string;
  subject: string;
  subjectTitle: string;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [current, setCurrent] = useLoad<ClassSharedResponse>(`shared/${classId}`, () => careersApi.classShared(classId));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const sharedNow = current.status === 'ready' ? current.data.shared : null;
  const share = () => {
    setBusy(true);
    setMessage(null);
    careersApi.shareClassSubject(classId, subject).then(
      (res) => {
        setBusy(false);
        setCurrent(res);
        setMessage({ ok: true, text: t('careers.classSubject.shared', { className, subject: subjectTitle }) });
      },
      () => {
        setBusy(false);
        setMessage({ ok: false, text: t('careers.classSubject.shareFailed') });
      },
    );
  };
  return (
    <div className="stack">
      {sharedNow ? <p>{t('careers.classSubject.currently', { className, subject: sharedNow.subject.title[lang] })}</p> : null}
      <div className="careers-actions">
        <button type="button" className="button" disabled={busy || sharedNow?.subject.id === subject} onClick={share}>
          {t('careers.classSubject.shareButton', { className })}
        </button>
      </div>
      <p role="status" className={message?.ok === false ? 'error' : 'careers-ok'}>
        {message?.text ?? ''}
      </p>
    </div>
  );
}

/** Planners: which occupation groups pupils explore, in aggregate only (no group under the minimum size). */
export function InsightsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  useTitle(t('careers.insights.title'));
  const [state] = useLoad<ExplorationAggregateResponse>('insights', () => careersApi.insights());
  return (
    <div className="stack">
      <h1>{t('careers.insights.title')}</h1>
      <p className="lead">{t('careers.insights.intro')}</p>
      <LoadState inline state={state}>
        {(data) => (
          <>
            <p className="careers-note">{t('careers.insights.privacy', { min: data.minGroupSize })}</p>
            {data.groups.length === 0 ? (
              <p>{t('careers.insights.none')}</p>
            ) : (
              <table className="careers-figures">
                <caption>{t('careers.insights.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('careers.insights.group')}</th>
                    <th scope="col">{t('careers.insights.pupils')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.groups.map((g) => (
                    <tr key={g.code}>
                      <th scope="row">{g.title[lang]}</th>
                      <td>{g.pupils}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {data.suppressedGroups > 0 ? (
              <p>{t('careers.insights.suppressed', { count: data.suppressedGroups, min: data.minGroupSize })}</p>
            ) : null}
            <AttributionNote items={data.attribution} />
          </>
        )}
      </LoadState>
    </div>
  );
}
