import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeedbackView, MyFeedback } from '../../../../server/contract/classes.js';
import { api } from '../../api/client.js';
import { useLang } from './lang.js';

const formatDate = (iso: string, lang: string) =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long' }).format(new Date(iso));

/**
 * "Feedback from your teacher" on this module (GET /api/feedback/modules/:moduleId), newest first. Shows
 * nothing while loading, when there is none, or when it cannot be loaded: the module itself stays usable.
 */
export function TeacherFeedback({ moduleId }: { moduleId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const id = useId();
  const [feedback, setFeedback] = useState<FeedbackView[]>([]);

  useEffect(() => {
    let cancelled = false;
    api<MyFeedback>(`/feedback/modules/${encodeURIComponent(moduleId)}`).then(
      (r) => {
        if (!cancelled) setFeedback(r.feedback);
      },
      () => {
        // Feedback is extra: without it the pupil can still do the module.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [moduleId]);

  if (feedback.length === 0) return null;
  return (
    <section className="teacher-feedback card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="teacher-feedback__title">
        {t('player.teacherFeedback.title')}
      </h2>
      <ul className="teacher-feedback__list">
        {feedback.map((f) => (
          <li key={f.id} className="teacher-feedback__item">
            <p className="teacher-feedback__text">{f.text}</p>
            <p className="meta">
              {f.authorName
                ? t('player.teacherFeedback.byOn', { name: f.authorName, date: formatDate(f.createdAt, lang) })
                : t('player.teacherFeedback.on', { date: formatDate(f.createdAt, lang) })}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
