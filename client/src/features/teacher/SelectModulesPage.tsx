import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModuleSummary } from '../../../../server/contract/curriculum.js';
import { api, ApiError } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';

const STAGES = ['S1', 'S2', 'S3', 'S4', 'S5'] as const;

/**
 * Deep Linking: the teacher picks modules; Waymark answers the LMS with a signed response, posted back to the
 * LMS from a form (the LMS then creates the links and gradebook columns).
 */
export function SelectModulesPage() {
  return <SessionGate>{(session) => <SelectModules initialStage={session.class?.stage ?? 'S3'} />}</SessionGate>;
}

function SelectModules({ initialStage }: { initialStage: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'nl' ? 'nl' : 'en';
  const [stage, setStage] = useState<string>(initialStage);
  const [loaded, setLoaded] = useState<{ stage: string; modules: ModuleSummary[] } | null>(null);
  const modules = loaded?.stage === stage ? loaded.modules : null;
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [response, setResponse] = useState<{ returnUrl: string; jwt: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const stageId = useId();

  useEffect(() => {
    document.title = `${t('deepLinking.title')} · Waymark`;
  }, [t]);
  useEffect(() => {
    api<{ modules: ModuleSummary[] }>(`/modules?stage=${stage}`).then(
      (r) => setLoaded({ stage, modules: r.modules }),
      () => setLoaded({ stage, modules: [] }),
    );
  }, [stage]);
  useEffect(() => {
    if (response) formRef.current?.submit();
  }, [response]);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (chosen.size === 0) {
      setError(t('deepLinking.chooseOne'));
      return;
    }
    setSending(true);
    setError(null);
    try {
      setResponse(
        await api<{ returnUrl: string; jwt: string }>('/deep-linking/response', {
          method: 'POST',
          body: JSON.stringify({ moduleIds: [...chosen] }),
        }),
      );
    } catch (err) {
      setSending(false);
      setError(err instanceof ApiError ? err.message : t('deepLinking.failed'));
    }
  };

  const current = stage;
  return (
    <div className="stack">
      <h1>{t('deepLinking.title')}</h1>
      <p>{t('deepLinking.intro')}</p>
      <label htmlFor={stageId}>{t('deepLinking.stage')}</label>
      <select id={stageId} value={current} onChange={(e) => setStage(e.target.value)}>
        {STAGES.map((s) => (
          <option key={s} value={s}>
            {t(`stages.${s}`)}
          </option>
        ))}
      </select>
      <form onSubmit={(e) => void submit(e)} className="stack" aria-describedby={error ? 'dl-error' : undefined}>
        <fieldset>
          <legend>{t('deepLinking.modules')}</legend>
          {!modules ? (
            <p role="status">{t('session.loading')}</p>
          ) : (
            <ul className="choice-list">
              {modules.map((m) => (
                <li key={m.id}>
                  <label className="choice">
                    <input
                      type="checkbox"
                      name="module"
                      value={m.id}
                      checked={chosen.has(m.id)}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(m.id);
                        else next.delete(m.id);
                        setChosen(next);
                      }}
                    />
                    <span>
                      <strong>{m.title[lang]}</strong>
                      <span className="meta"> · {t('modules.minutes', { count: m.minutes })}</span>
                      <br />
                      <span>{m.summary[lang]}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        {error ? (
          <p id="dl-error" role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button className="button" type="submit" disabled={sending}>
          {t('deepLinking.add', { count: chosen.size })}
        </button>
      </form>
      {response ? (
        <form ref={formRef} method="post" action={response.returnUrl}>
          <input type="hidden" name="JWT" value={response.jwt} />
          <p role="status">{t('deepLinking.returning')}</p>
        </form>
      ) : null}
    </div>
  );
}
