import { startAuthentication } from '@simplewebauthn/browser';
import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { SignedIn } from '../../../../../server/contract/adviser-auth.js';
import { api, ApiError } from '../../../api/client.js';
import { rememberSignIn } from './signin-state.js';
import './adviser-signin.css';

type Options = { challengeId: string; options: Parameters<typeof startAuthentication>[0]['optionsJSON'] };

/** /adviser-signin — external advisers sign in with a passkey, or a password and a code from their app. */
export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ids = useId();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ email: '', password: '', code: '' });

  useEffect(() => {
    document.title = `${t('adviserSignin.signIn.title')} · Waymark`;
  }, [t]);

  const done = (signedIn: SignedIn) => {
    rememberSignIn(signedIn);
    void navigate('/adviser-signin/schools');
  };

  async function passkey() {
    setBusy(true);
    setError('');
    try {
      const { challengeId, options } = await api<Options>('/adviser-auth/passkey/options', { method: 'POST' });
      const response = await startAuthentication({ optionsJSON: options });
      done(await api<SignedIn>('/adviser-auth/passkey', { method: 'POST', body: JSON.stringify({ challengeId, response }) }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('adviserSignin.errors.passkey'));
    } finally {
      setBusy(false);
    }
  }

  async function password(e: SyntheticEvent) {
    e.preventDefault();
    setError('');
    try {
      done(
        await api<SignedIn>('/adviser-auth/password', {
          method: 'POST',
          body: JSON.stringify({ email: form.email.trim(), password: form.password, code: form.code.trim() }),
        }),
      );
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('adviserSignin.errors.network'));
    }
  }

  const field = (name: keyof typeof form) => ({
    id: `${ids}-${name}`,
    value: form[name],
    required: true,
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });

  return (
    <div className="stack signin">
      <h1>{t('adviserSignin.signIn.title')}</h1>
      <p className="lead">{t('adviserSignin.signIn.intro')}</p>
      <section className="card stack" aria-labelledby={`${ids}-pk`}>
        <h2 id={`${ids}-pk`}>{t('adviserSignin.signIn.passkeyHeading')}</h2>
        <button type="button" className="button" onClick={() => void passkey()} disabled={busy}>
          {t('adviserSignin.signIn.passkeyButton')}
        </button>
      </section>
      <section className="card stack" aria-labelledby={`${ids}-pw`}>
        <h2 id={`${ids}-pw`}>{t('adviserSignin.signIn.passwordHeading')}</h2>
        <form onSubmit={(e) => void password(e)}>
          <label htmlFor={`${ids}-email`}>{t('adviserSignin.fields.email')}</label>
          <input type="email" autoComplete="username" {...field('email')} />
          <label htmlFor={`${ids}-password`}>{t('adviserSignin.fields.password')}</label>
          <input type="password" autoComplete="current-password" {...field('password')} />
          <label htmlFor={`${ids}-code`}>{t('adviserSignin.fields.code')}</label>
          <input type="text" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" {...field('code')} />
          <p>
            <button type="submit" className="button">
              {t('adviserSignin.signIn.passwordButton')}
            </button>
          </p>
        </form>
      </section>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
