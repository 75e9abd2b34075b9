import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { ActivityView } from './ActivityView.js';
import { isComplete, type Answer } from './answers.js';
import { Autosaver, readStored, type Pending, type SaveStatus } from './autosave.js';
import { FinishScreen } from './FinishScreen.js';
import { useLang } from './lang.js';
import { getAttempt, getModule, saveAnswer, type SaveResult } from './progress-api.js';
import { ReadAloud } from './ReadAloud.js';
import { TeacherFeedback } from './TeacherFeedback.js';
import type { Activity, PupilModule } from './types.js';
import './player.css';

/** The pupil's activity player: one activity at a time, answers saved as the pupil works. */
export function PlayerPage() {
  const { moduleId = '' } = useParams();
  return (
    <SessionGate>
      {(session) => (
        <Player key={`${session.user.id}:${moduleId}`} moduleId={moduleId} userId={session.user.id} stage={session.stage} />
      )}
    </SessionGate>
  );
}

type Load =
  { status: 'loading' } | { status: 'error'; code: string } | { status: 'ready'; module: PupilModule; completed: boolean };

const storageKeyFor = (userId: string, moduleId: string) => `waymark.player.${userId}.${moduleId}`;

function Player({ moduleId, userId, stage }: { moduleId: string; userId: string; stage: string | null }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [params, setParams] = useSearchParams();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [serverDone, setServerDone] = useState<Record<string, boolean>>({});
  const [index, setIndex] = useState(0);
  const [finished, setFinished] = useState(false);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>('idle');
  const saver = useRef<Autosaver<SaveResult> | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const young = stage === 'S1' || stage === 'S2';

  useEffect(() => {
    let cancelled = false;
    const storageKey = storageKeyFor(userId, moduleId);
    void (async () => {
      const attempt = await getAttempt(moduleId);
      const module = await getModule(moduleId, attempt.moduleVersion);
      if (cancelled) return;
      const known = new Set(module.activities.map((a) => a.id));
      const fromServer: Record<string, Answer> = {};
      const done: Record<string, boolean> = {};
      const serverSeq: Record<string, number> = {};
      let seq = 0;
      for (const progress of attempt.activities) {
        if (!known.has(progress.id)) continue;
        if (progress.answer) fromServer[progress.id] = progress.answer;
        done[progress.id] = progress.status === 'completed';
        serverSeq[progress.id] = progress.seq ?? 0;
        seq = Math.max(seq, progress.seq ?? 0);
      }
      // Answers this browser typed but the server never received (offline, closed tab) win over older saves.
      const stored = readStored(storageKey);
      const resend: Record<string, Pending> = {};
      // What the server already holds, or an activity this module version no longer has: the stored copy can go.
      const settled: Record<string, number> = {};
      for (const [activityId, entry] of Object.entries(stored.pending)) {
        if (known.has(activityId) && entry.clientSeq > (serverSeq[activityId] ?? 0)) {
          resend[activityId] = entry;
          fromServer[activityId] = entry.answer as Answer;
        } else settled[activityId] = entry.clientSeq;
      }
      seq = Math.max(seq, stored.seq);
      saver.current = new Autosaver<SaveResult>(
        {
          storageKey,
          send: (activityId, answer, clientSeq) => saveAnswer(moduleId, activityId, answer, clientSeq),
          onSaved: (activityId, result) => {
            saver.current?.bump(result.seq);
            setServerDone((d) => ({ ...d, [activityId]: result.status === 'completed' }));
          },
          onStatus: setSaveStatus,
        },
        { seq, pending: resend, settled },
      );
      // Coming back from the experience log with a new entry: link it to its experience activity.
      const logEntry = params.get('logEntry');
      const logActivity = module.activities.find((a) => a.id === params.get('activity') && a.type === 'experience');
      if (logEntry && logActivity) {
        fromServer[logActivity.id] = { type: 'experience', logEntryId: logEntry };
        saver.current.change(logActivity.id, fromServer[logActivity.id]);
        void saver.current.flush();
      }
      if (params.has('logEntry')) setParams({}, { replace: true });
      setAnswers(fromServer);
      setServerDone(done);
      const wanted = module.activities.findIndex((a) => a.id === params.get('activity'));
      // Resume at the first unfinished activity, counting answers kept in this browser too.
      const firstOpen = module.activities.findIndex((a) => !done[a.id] && !isComplete(a, fromServer[a.id]));
      const resume = module.activities.findIndex((a) => a.id === attempt.resumeActivityId);
      setIndex(wanted >= 0 ? wanted : firstOpen >= 0 ? firstOpen : Math.max(resume, 0));
      setLoad({ status: 'ready', module, completed: attempt.status === 'completed' });
    })().catch((err: unknown) => {
      if (!cancelled) setLoad({ status: 'error', code: err instanceof ApiError ? err.code : 'network' });
    });
    return () => {
      cancelled = true;
      saver.current?.dispose();
      saver.current = null;
    };
    // The activity query parameter is read once, when the module opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [moduleId, userId]);

  const module = load.status === 'ready' ? load.module : null;

  useEffect(() => {
    if (module) document.title = `${module.title[lang]} · Waymark`;
  }, [module, lang]);

  // Move focus to the new activity's heading, as a page change would.
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    headingRef.current?.focus();
  }, [index, finished]);

  const change = useCallback((activityId: string, answer: Answer, save = true) => {
    setAnswers((a) => ({ ...a, [activityId]: answer }));
    if (save) saver.current?.change(activityId, answer);
  }, []);
  const commit = useCallback(() => void saver.current?.flush(), []);

  if (load.status === 'loading') return <p role="status">{t('player.loading')}</p>;
  if (load.status === 'error' || !module) {
    return (
      <div className="stack">
        <h1>{t('player.notFoundTitle')}</h1>
        <p>{t('player.notFoundText')}</p>
        <p>
          <Link to="/pupil">{t('player.backHome')}</Link>
        </p>
      </div>
    );
  }

  const total = module.activities.length;
  const doneOf = (a: Activity) => serverDone[a.id] === true || isComplete(a, answers[a.id]);
  const doneCount = module.activities.filter(doneOf).length;
  const activity = module.activities[Math.min(index, total - 1)] ?? module.activities[0];
  if (!activity) return null;
  const go = (next: number) => {
    void saver.current?.flush();
    moved.current = true;
    if (next >= total) setFinished(true);
    else {
      setFinished(false);
      setIndex(Math.max(0, next));
    }
  };

  return (
    <article className="player stack" lang={lang}>
      <header className="player__head">
        <h1 className="player__title">{module.title[lang]}</h1>
        <div className="player__status">
          <p className="player__position">
            {finished ? t('player.doneOf', { done: doneCount, total }) : t('player.activityOf', { n: index + 1, total })}
          </p>
          <div
            className="progress"
            role="progressbar"
            aria-label={t('player.progressLabel')}
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={doneCount}
            aria-valuetext={t('player.doneOf', { done: doneCount, total })}
          >
            <div className="progress__bar" style={{ width: `${(doneCount / total) * 100}%` }} />
          </div>
          <p role="status" className={`save-status save-status--${saveStatus}`}>
            {t(`player.save.${saveStatus}`)}
          </p>
        </div>
        <nav aria-label={t('player.activities')}>
          <ol className="steps">
            {module.activities.map((a, i) => (
              <li key={a.id}>
                <button
                  type="button"
                  className={doneOf(a) ? 'step step--done' : 'step'}
                  aria-current={!finished && i === index ? 'step' : undefined}
                  aria-label={`${t('player.goTo', { n: i + 1, title: a.title[lang] })} (${doneOf(a) ? t('player.activityDone') : t('player.activityNotDone')})`}
                  onClick={() => go(i)}
                >
                  <span aria-hidden="true">{doneOf(a) ? '✓' : i + 1}</span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
      </header>
      <TeacherFeedback moduleId={module.id} />
      {finished ? (
        <FinishScreen
          module={module}
          headingRef={headingRef}
          allDone={doneCount === total}
          alreadyCompleted={load.completed}
          flush={() => saver.current?.flush() ?? Promise.resolve()}
          onReview={() => go(0)}
        />
      ) : (
        <section className="activity stack" aria-labelledby="activity-title" key={activity.id}>
          <h2 id="activity-title" ref={headingRef} tabIndex={-1}>
            {activity.title[lang]}
          </h2>
          {activity.instructions ? (
            <div className="instructions">
              <p id="activity-instructions">{activity.instructions[lang]}</p>
              <ReadAloud text={activity.instructions[lang]} describedBy="activity-instructions" large={young} />
            </div>
          ) : null}
          <ActivityView
            activity={activity}
            answer={answers[activity.id]}
            onChange={(answer, save) => change(activity.id, answer, save)}
            onCommit={commit}
            lang={lang}
            moduleId={module.id}
          />
          <div className="player__nav">
            {index > 0 ? (
              <button type="button" className="button button--secondary" onClick={() => go(index - 1)}>
                <span aria-hidden="true">← </span>
                {t('player.previous')}
              </button>
            ) : (
              <span />
            )}
            <button type="button" className="button" onClick={() => go(index + 1)}>
              {index + 1 < total ? t('player.next') : t('player.finish')}
              <span aria-hidden="true"> →</span>
            </button>
          </div>
          {!doneOf(activity) ? <p className="meta">{t('player.notFinishedHint')}</p> : null}
        </section>
      )}
    </article>
  );
}
