import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ClassesLimits, type PupilModuleWork, type SharedAnswer } from '../../../../server/contract/classes.js';
import type { Session } from '../../../../server/contract/session.js';
import { SessionGate } from '../../ui/Status.js';
import { useLang } from '../player/lang.js';
import { getModule } from '../player/progress-api.js';
import type { Activity, Lang, PupilModule } from '../player/types.js';
import { getPupilWork, sendFeedback } from './classes-api.js';
import { useFormatDate } from './ClassViewPage.js';
import './classes.css';

/** `/teacher/pupils/:pupilId/modules/:moduleId`: one pupil's answers for the teacher, and feedback to them. */
export function PupilWorkPage() {
  const { pupilId = '', moduleId = '' } = useParams();
  return (
    <SessionGate>
      {(session) => <PupilWork key={`${pupilId}:${moduleId}`} session={session} pupilId={pupilId} moduleId={moduleId} />}
    </SessionGate>
  );
}

function PupilWork({ session, pupilId, moduleId }: { session: Session; pupilId: string; moduleId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const format = useFormatDate();
  const [data, setData] = useState<{ work: PupilModuleWork; module: PupilModule } | 'failed' | null>(null);
  const classId = session.class?.id;
  useEffect(() => {
    if (!classId) return;
    void (async () => {
      try {
        const work = await getPupilWork(classId, pupilId, moduleId);
        setData({ work, module: await getModule(moduleId, work.moduleVersion) });
      } catch {
        setData('failed');
      }
    })();
  }, [classId, pupilId, moduleId]);
  const name = data && data !== 'failed' ? (data.work.pupil.name ?? t('classes.progress.unnamed')) : '';
  const title = data && data !== 'failed' ? data.module.title[lang] : '';
  useEffect(() => {
    if (title) document.title = `${t('classes.work.title', { name, title })} · Waymark`;
  }, [t, name, title]);

  if (data === null && classId) return <p role="status">{t('session.loading')}</p>;
  if (data === null || data === 'failed')
    return (
      <div className="stack">
        <h1>{t('classes.work.notFound')}</h1>
        <p>
          <Link to="/teacher">{t('classes.work.back')}</Link>
        </p>
      </div>
    );
  const { work, module } = data;
  return (
    <div className="stack">
      <p>
        <Link to="/teacher">{t('classes.work.back')}</Link>
      </p>
      <h1>{t('classes.work.title', { name, title })}</h1>
      <section aria-labelledby="work-summary">
        <h2 id="work-summary">{t('classes.work.summary')}</h2>
        <dl className="facts">
          <dt>{t('classes.progress.title')}</dt>
          <dd>{t(`classes.status.${work.status}`)}</dd>
          {work.startedAt ? (
            <>
              <dt>{t('classes.work.started')}</dt>
              <dd>{format(work.startedAt)}</dd>
            </>
          ) : null}
          {work.completedAt ? (
            <>
              <dt>{t('classes.work.completed')}</dt>
              <dd>{format(work.completedAt)}</dd>
            </>
          ) : null}
          {work.score !== null ? (
            <>
              <dt>{t('classes.work.score')}</dt>
              <dd>{work.score}%</dd>
            </>
          ) : null}
          {work.rating !== null ? (
            <>
              <dt>{t('classes.work.rating')}</dt>
              <dd>{t('classes.work.ratingValue', { rating: work.rating })}</dd>
            </>
          ) : null}
        </dl>
        <p>
          <Link to={`/teacher/log/pupils/${work.pupil.id}`}>{t('classes.work.logLink', { name })}</Link>
        </p>
      </section>
      <section className="stack" aria-labelledby="work-answers">
        <h2 id="work-answers">{t('classes.work.answers')}</h2>
        {module.activities.map((activity) => {
          const progress = work.activities.find((a) => a.id === activity.id);
          return (
            <article key={activity.id} className="card stack work-activity">
              <h3>{activity.title[lang]}</h3>
              <p className="meta">{t(`classes.status.${progress?.status ?? 'not_started'}`)}</p>
              {progress?.answer ? (
                <AnswerView activity={activity} answer={progress.answer} lang={lang} />
              ) : (
                <p>{t('classes.work.noAnswer')}</p>
              )}
            </article>
          );
        })}
      </section>
      <FeedbackSection classId={session.class?.id ?? ''} work={work} onSent={(next) => setData({ work: next, module })} />
    </div>
  );
}

const Text = ({ value }: { value: string | null | undefined }) => {
  const { t } = useTranslation();
  return value?.trim() ? <p className="work-text">{value}</p> : <p className="meta">{t('classes.work.empty')}</p>;
};

/** A read-only rendering of one answer against the activity's content. */
function AnswerView({ activity, answer, lang }: { activity: Activity; answer: SharedAnswer; lang: Lang }) {
  const { t } = useTranslation();
  if (activity.type === 'reflection' && answer.type === 'reflection')
    return (
      <dl className="work-answers">
        {activity.prompts.map((p) => {
          const r = answer.responses[p.id];
          return (
            <div key={p.id}>
              <dt>{p.text[lang]}</dt>
              <dd>{r?.private ? <p className="meta">{t('classes.work.private')}</p> : <Text value={r?.text} />}</dd>
            </div>
          );
        })}
      </dl>
    );
  if (
    (activity.type === 'choice' || activity.type === 'picture-choice') &&
    (answer.type === 'choice' || answer.type === 'picture-choice')
  )
    return (
      <>
        <p>{activity.question[lang]}</p>
        <ul>
          {activity.options
            .filter((o) => answer.selected.includes(o.id))
            .map((o) => (
              <li key={o.id}>{o.label[lang]}</li>
            ))}
        </ul>
      </>
    );
  if (activity.type === 'sort' && answer.type === 'sort')
    return (
      <dl className="work-answers">
        {activity.categories.map((c) => (
          <div key={c.id}>
            <dt>{c.label[lang]}</dt>
            <dd>
              {activity.cards
                .filter((card) => answer.placements[card.id] === c.id)
                .map((card) => card.label[lang])
                .join(', ') || '—'}
            </dd>
          </div>
        ))}
      </dl>
    );
  if (activity.type === 'scale' && answer.type === 'scale') {
    const max = activity.style === 'faces' ? 3 : 5;
    return (
      <dl className="work-answers">
        {activity.statements.map((s) => (
          <div key={s.id}>
            <dt>{s.text[lang]}</dt>
            <dd>{answer.ratings[s.id] !== undefined ? `${String(answer.ratings[s.id])} / ${String(max)}` : '—'}</dd>
          </div>
        ))}
      </dl>
    );
  }
  if (activity.type === 'scenario' && answer.type === 'scenario') {
    const labels = new Map(activity.nodes.flatMap((n) => n.choices.map((c) => [c.id, c.label[lang]] as const)));
    return (
      <ol>
        {answer.path.map((id, i) => (
          <li key={`${id}-${String(i)}`}>{labels.get(id) ?? id}</li>
        ))}
      </ol>
    );
  }
  if (activity.type === 'research' && answer.type === 'research')
    return (
      <dl className="work-answers">
        {activity.fields.map((f) => (
          <div key={f.id}>
            <dt>{f.label[lang]}</dt>
            <dd>
              <Text value={answer.fields[f.id]} />
            </dd>
          </div>
        ))}
        {answer.occupation ? (
          <div>
            <dt>{t('classes.work.occupation')}</dt>
            <dd>{answer.occupation.title}</dd>
          </div>
        ) : null}
      </dl>
    );
  if (activity.type === 'experience' && answer.type === 'experience')
    return answer.logEntryId ? <p>{t('classes.work.linkedEntry')}</p> : <p>{t('classes.work.noAnswer')}</p>;
  if (activity.type === 'plan' && answer.type === 'plan')
    return (
      <dl className="work-answers">
        <div>
          <dt>{t('classes.work.goal')}</dt>
          <dd>
            <Text value={answer.goal} />
          </dd>
        </div>
        <div>
          <dt>{t('classes.work.steps')}</dt>
          <dd>
            <ol>
              {answer.steps.map((s, i) => (
                <li key={i}>
                  {s.text}
                  {s.date ? ` (${s.date})` : ''}
                </li>
              ))}
            </ol>
          </dd>
        </div>
        {answer.support ? (
          <div>
            <dt>{t('classes.work.support')}</dt>
            <dd>{answer.support}</dd>
          </div>
        ) : null}
      </dl>
    );
  return <p>{t('classes.work.noAnswer')}</p>;
}

function FeedbackSection({
  classId,
  work,
  onSent,
}: {
  classId: string;
  work: PupilModuleWork;
  onSent: (work: PupilModuleWork) => void;
}) {
  const { t } = useTranslation();
  const format = useFormatDate();
  const id = useId();
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setMessage(null);
    sendFeedback(classId, work.pupil.id, work.moduleId, text).then(
      (next) => {
        setText('');
        setMessage({ kind: 'ok', text: t('classes.work.feedbackSent') });
        onSent(next);
      },
      () => setMessage({ kind: 'error', text: t('classes.modules.failed') }),
    );
  };
  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('classes.work.feedback')}</h2>
      {work.feedback.length === 0 ? <p>{t('classes.work.feedbackEmpty')}</p> : null}
      <ul className="card-list">
        {work.feedback.map((f) => (
          <li key={f.id} className="card">
            <p className="work-text">{f.text}</p>
            <p className="meta">{t('classes.work.feedbackBy', { name: f.authorName ?? '', date: format(f.createdAt) })}</p>
          </li>
        ))}
      </ul>
      <form className="stack" onSubmit={submit}>
        <label htmlFor={`${id}-text`}>{t('classes.work.feedbackLabel')}</label>
        <p id={`${id}-hint`} className="meta">
          {t('classes.work.feedbackHint')}
        </p>
        <textarea
          id={`${id}-text`}
          className="class-textbox"
          rows={3}
          maxLength={ClassesLimits.feedback}
          aria-describedby={`${id}-hint`}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <p>
          <button type="submit" className="button">
            {t('classes.work.feedbackSend')}
          </button>
        </p>
      </form>
      <p role="status" className={message?.kind === 'error' ? 'error' : 'class-note'}>
        {message?.text ?? ''}
      </p>
    </section>
  );
}
