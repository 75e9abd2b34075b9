import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FEELING_PICTURES,
  REFLECTION_PROMPTS,
  SAW_PICTURES,
  type EvidenceView,
  type LogEntryView,
} from '../../../../server/contract/log.js';
import { evidenceBlob } from './log-api.js';
import './log.css';

export const useLang = (): 'en' | 'nl' => {
  const { i18n } = useTranslation();
  return i18n.language === 'nl' ? 'nl' : 'en';
};

export function formatDate(date: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Opens (pictures, audio) or downloads (PDF) an evidence file fetched with the session's bearer token. */
export function EvidenceItem({ entryId, item }: { entryId: string; item: EvidenceView }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const label =
    item.kind === 'voice' ? t('log.evidence.voiceNote', { seconds: item.seconds ?? 0 }) : (item.name ?? t('log.evidence.file'));
  const load = async () => {
    try {
      const blob = await evidenceBlob(entryId, item.id);
      const objectUrl = URL.createObjectURL(blob);
      if (item.contentType === 'application/pdf') {
        const a = document.createElement('a');
        a.href = objectUrl;
        a.download = item.name ?? 'evidence.pdf';
        a.click();
        return;
      }
      setUrl(objectUrl);
    } catch {
      setFailed(true);
    }
  };
  return (
    <li className="log-evidence">
      <span>
        {label} <span className="meta">({formatSize(item.size)})</span>
      </span>
      {url && item.contentType.startsWith('image/') ? <img src={url} alt={label} className="log-evidence__image" /> : null}
      {url && item.contentType.startsWith('audio/') ? (
        // eslint-disable-next-line jsx-a11y/media-has-caption -- a pupil's own voice note has no captions; their reflection is the text alongside
        <audio controls src={url}>
          {label}
        </audio>
      ) : null}
      {!url ? (
        <button type="button" className="button button--quiet" onClick={() => void load()}>
          {item.contentType === 'application/pdf'
            ? t('log.evidence.download', { name: label })
            : t('log.evidence.open', { name: label })}
        </button>
      ) : null}
      {failed ? <span className="error">{t('log.errors.network')}</span> : null}
    </li>
  );
}

/** An entry as text: facts, Gatsby mapping, reflection (private answers shown as such), evidence, feedback. */
export function EntryView({ entry, headingLevel = 2 }: { entry: LogEntryView; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const lang = useLang();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <article className="card log-entry" aria-labelledby={`entry-${entry.id}`}>
      <H id={`entry-${entry.id}`}>
        {entry.encounterType.title[lang]} · {entry.organisation}
      </H>
      <p className="meta">
        {formatDate(entry.date, lang)} · {t('log.hoursValue', { count: entry.hours })}
      </p>
      <p className="log-badges">
        <span className="log-badge">{t('log.gatsby', { list: entry.encounterType.gatsby.join(', ') })}</span>
        {entry.meaningful ? <span className="log-badge log-badge--ok">{t('log.meaningful')}</span> : null}
        {entry.reflected ? (
          <span className="log-badge log-badge--ok">{t('log.status.reflected')}</span>
        ) : (
          <span className="log-badge">{t('log.status.needsReflection')}</span>
        )}
        {entry.verification ? <span className="log-badge log-badge--ok">{t('log.status.verified')}</span> : null}
        {entry.host ? <span className="log-badge log-badge--ok">{t('log.status.hostConfirmed')}</span> : null}
      </p>
      <Sub>{t('log.reflection.title')}</Sub>
      <dl className="log-reflection">
        {REFLECTION_PROMPTS.map((p) => {
          const answer = entry.reflection[p];
          return (
            <div key={p}>
              <dt>{t(`log.reflection.${p}.label`)}</dt>
              <dd>
                {answer.text === null ? (
                  <em>{t('log.reflection.privateHidden')}</em>
                ) : (
                  answer.text || <span className="meta">{t('log.reflection.empty')}</span>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {entry.pictures.feelings.length || entry.pictures.saw.length ? (
        <p>
          {entry.pictures.feelings.map((f) => (
            <span key={f} className="log-pic-inline" role="img" aria-label={t(`log.pictures.feelings.${f}`)}>
              {FEELING_PICTURES[f as keyof typeof FEELING_PICTURES]}
            </span>
          ))}
          {entry.pictures.saw.map((s) => (
            <span key={s} className="log-pic-inline" role="img" aria-label={t(`log.pictures.saw.${s}`)}>
              {SAW_PICTURES[s as keyof typeof SAW_PICTURES]}
            </span>
          ))}
        </p>
      ) : null}
      {entry.evidence.length ? (
        <>
          <Sub>{t('log.evidence.title')}</Sub>
          <ul className="log-list">
            {entry.evidence.map((e) => (
              <EvidenceItem key={e.id} entryId={entry.id} item={e} />
            ))}
          </ul>
        </>
      ) : null}
      {entry.verification ? (
        <p>
          {t('log.verifiedBy', {
            name: entry.verification.byName ?? t(`log.roles.${entry.verification.role}`),
            date: formatDate(entry.verification.at.slice(0, 10), lang),
          })}
        </p>
      ) : null}
      {entry.host ? (
        <p>
          {t('log.hostConfirmedOn', { date: formatDate(entry.host.confirmedAt.slice(0, 10), lang) })}
          {entry.host.feedback ? <q className="log-quote">{entry.host.feedback}</q> : null}
        </p>
      ) : null}
      {entry.comments.length ? (
        <>
          <Sub>{t('log.comments.title')}</Sub>
          <ul className="log-list">
            {entry.comments.map((c) => (
              <li key={c.id} className="log-comment">
                <span className="meta">{c.authorName ?? t(`log.roles.${c.authorRole}`)}</span>
                <p>{c.text}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}
