import { startRegistration } from '@simplewebauthn/browser';
import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { InvitationInfo, SignedIn, TotpSetup } from '../../../../../server/contract/adviser-auth.js';
import { AdviserAuthLimits } from '../../../../../server/contract/adviser-auth.js';
import { api, ApiError } from '../../../api/client.js';
import { rememberSignIn } from './signin-state.js';
import './adviser-signin.css';

type Options = { challengeId: string; options: Parameters<typeof startRegistration>[0]['optionsJSON'] };

/** /adviser-signin/invite/:token — set up a passkey, or a password with an authenticator app, from the invitation. */
export function InvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const ids = useId();
  const [info, setInfo] = useState<InvitationInfo | 'gone' | 'failed' | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const base = `/adviser-auth/invitations/${encodeURIComponent(token)}`;

  useEffect(() => {
    document.title = `${t('adviserSignin.invite.title')} · Waymark`;
  }, [t]);
  useEffect(() => {
    api<InvitationInfo>(base).then(setInfo, (err: unknown) =>
      setInfo(err instanceof ApiError && (err.status === 404 || err.status === 410) ? 'gone' : 'failed'),
    );
  }, [base]);

  const done = (signedIn: SignedIn) => {
    rememberSignIn(signedIn);
    void navigate('/adviser-signin/schools');
  };
  const fail = (err: unknown) => setError(err instanceof ApiError ? err.message : t('adviserSignin.errors.network'));

  async function passkey() {
    setBusy(true);
    setError('');
    try {
      const { challengeId, options } = await api<Options>(`${base}/passkey/options`, { method: 'POST' });
      const response = await startRegistration({ optionsJSON: options });
      done(await api<SignedIn>(`${base}/passkey`, { method: 'POST', body: JSON.stringify({ challengeId, response }) }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('adviserSignin.errors.passkey'));
    } finally {
      setBusy(false);
    }
  }

  async function choosePassword(e: SyntheticEvent) {
    e.preventDefault();
    setError('');
    try {
      setTotp(await api<TotpSetup>(`${base}/password`, { method: 'POST', body: JSON.stringify({ password }) }));
    } catch (err) {
      fail(err);
    }
  }

  async function confirm(e: SyntheticEvent) {
    e.preventDefault();
    setError('');
    try {
      done(await api<SignedIn>(`${base}/totp`, { method: 'POST', body: JSON.stringify({ code: code.trim() }) }));
    } catch (err) {
      fail(err);
    }
  }

  if (info === null) return <p role="status">{t('adviserSignin.loading')}</p>;
  if (info === 'gone' || info === 'failed')
    return (
      <div className="stack signin">
        <h1>{t('adviserSignin.invite.title')}</h1>
        <p role="alert" className="error">
          {t(info === 'gone' ? 'adviserSignin.invite.gone' : 'adviserSignin.errors.network')}
        </p>
        <p>
          <Link to="/adviser-signin">{t('adviserSignin.signIn.link')}</Link>
        </p>
      </div>
    );
  return (
    <div className="stack signin">
      <h1>{t('adviserSignin.invite.title')}</h1>
      <p className="lead">{t('adviserSignin.invite.intro', { name: info.adviserName, school: info.schoolName })}</p>
      {info.hasSignIn ? (
        <p>
          {t('adviserSignin.invite.hasSignIn')} <Link to="/adviser-signin">{t('adviserSignin.signIn.link')}</Link>
        </p>
      ) : (
        <>
          <section className="card stack" aria-labelledby={`${ids}-pk`}>
            <h2 id={`${ids}-pk`}>{t('adviserSignin.invite.passkeyHeading')}</h2>
            <p>{t('adviserSignin.invite.passkeyHelp')}</p>
            <button type="button" className="button" onClick={() => void passkey()} disabled={busy}>
              {t('adviserSignin.invite.passkeyButton')}
            </button>
          </section>
          <section className="card stack" aria-labelledby={`${ids}-pw`}>
            <h2 id={`${ids}-pw`}>{t('adviserSignin.invite.passwordHeading')}</h2>
            {totp === null ? (
              <form onSubmit={(e) => void choosePassword(e)}>
                <label htmlFor={`${ids}-password`}>{t('adviserSignin.fields.newPassword')}</label>
                <input
                  id={`${ids}-password`}
                  type="password"
                  autoComplete="new-password"
                  minLength={AdviserAuthLimits.passwordMin}
                  required
                  aria-describedby={`${ids}-password-help`}
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
                <p id={`${ids}-password-help`} className="meta">
                  {t('adviserSignin.fields.passwordHelp', { min: AdviserAuthLimits.passwordMin })}
                </p>
                <button type="submit" className="button">
                  {t('adviserSignin.invite.passwordButton')}
                </button>
              </form>
            ) : (
              <form onSubmit={(e) => void confirm(e)} className="stack">
                <p>{t('adviserSignin.invite.totpHelp')}</p>
                <p>
                  <a href={totp.otpauthUri}>{t('adviserSignin.invite.totpLink')}</a>
                </p>
                <p>
                  {t('adviserSignin.invite.totpSecret')} <span className="secret">{totp.secret}</span>
                </p>
                <div>
                  <label htmlFor={`${ids}-code`}>{t('adviserSignin.fields.code')}</label>
                  <input
                    id={`${ids}-code`}
                    type="text"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    pattern="[0-9]{6}"
                    required
                    value={code}
                    onChange={(e) => setCode(e.target.value)}
                  />
                </div>
                <button type="submit" className="button">
                  {t('adviserSignin.invite.totpButton')}
                </button>
              </form>
            )}
          </section>
        </>
      )}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
