import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AdviserSchool } from '../../../../../server/contract/adviser-auth.js';
import { ApiError } from '../../../api/client.js';
import { currentSignIn } from './signin-state.js';
import './adviser-signin.css';

/**
 * /adviser-signin/schools — the schools that share pupils with the adviser now. Choosing one posts a form (like an
 * LTI launch) and the answer is Waymark with a session for that school.
 */
export function SchoolsPage() {
  const { t, i18n } = useTranslation();
  const signIn = currentSignIn();
  const [schools, setSchools] = useState<AdviserSchool[] | 'failed' | null>(null);

  useEffect(() => {
    document.title = `${t('adviserSignin.schools.title')} · Waymark`;
  }, [t]);
  useEffect(() => {
    if (!signIn) return;
    // This call carries the sign-in token, not a launch token, so it does not use the shared api client.
    fetch('/api/adviser-auth/schools', { headers: { Accept: 'application/json', Authorization: `Bearer ${signIn.token}` } })
      .then(async (res) => {
        if (!res.ok) throw new ApiError(res.status, 'http_error', res.statusText);
        setSchools((await res.json()) as AdviserSchool[]);
      })
      .catch(() => setSchools('failed'));
  }, [signIn]);

  if (!signIn)
    return (
      <div className="stack signin">
        <h1>{t('adviserSignin.schools.title')}</h1>
        <p>{t('adviserSignin.schools.signInFirst')}</p>
        <p>
          <Link to="/adviser-signin">{t('adviserSignin.signIn.link')}</Link>
        </p>
      </div>
    );
  return (
    <div className="stack signin">
      <h1>{t('adviserSignin.schools.title')}</h1>
      <p className="lead">{t('adviserSignin.schools.intro', { name: signIn.name })}</p>
      {schools === null ? <p role="status">{t('adviserSignin.loading')}</p> : null}
      {schools === 'failed' ? (
        <p role="alert" className="error">
          {t('adviserSignin.errors.network')}
        </p>
      ) : null}
      {Array.isArray(schools) && schools.length === 0 ? <p>{t('adviserSignin.schools.none')}</p> : null}
      {Array.isArray(schools) && schools.length > 0 ? (
        <ul className="schools">
          {schools.map((s) => (
            <li key={s.id}>
              <form method="post" action="/adviser-signin/enter">
                <input type="hidden" name="token" value={signIn.token} />
                <input type="hidden" name="schoolId" value={s.id} />
                <input type="hidden" name="lang" value={i18n.language === 'nl' ? 'nl' : 'en'} />
                <button type="submit" className="button">
                  {t('adviserSignin.schools.open', { school: s.name })}
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
