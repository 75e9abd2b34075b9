/** Allow-list presenters: attempts, save results and the home list as the contract describes them. */
import type { Module } from '../../../curriculum/schema.js';
import type { ActivityProgress, Answer, AttemptView, MyModule, MyProgress, SaveResult } from '../../contract/progress.js';
import type { ActivityState } from './model.js';
import { reEvaluate, type AttemptDoc, type MyModuleRow, type SaveOutcome } from './service.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : undefined);

export function presentSaveResult(outcome: SaveOutcome): SaveResult {
  const { state, evaluation } = outcome;
  return {
    savedAt: new Date(state.savedAt).toISOString(),
    seq: state.seq,
    status: state.status,
    ...(evaluation.feedback ? { feedback: evaluation.feedback } : {}),
    ...(state.score ? { score: { correct: state.score.correct, total: state.score.total } } : {}),
    moduleStatus: outcome.moduleStatus,
  };
}

function presentActivity(activity: Module['activities'][number], state: ActivityState | undefined): ActivityProgress {
  if (!state) return { id: activity.id, type: activity.type, status: 'not_started' };
  const evaluation = reEvaluate(activity, state);
  return {
    id: activity.id,
    type: activity.type,
    status: state.status,
    answer: state.answer as Answer,
    seq: state.seq,
    savedAt: new Date(state.savedAt).toISOString(),
    ...(evaluation.feedback ? { feedback: evaluation.feedback } : {}),
    ...(state.score ? { score: { correct: state.score.correct, total: state.score.total } } : {}),
  };
}

export function presentAttempt(module: Module, attempt: AttemptDoc | null): AttemptView {
  const activities = module.activities.map((a) => presentActivity(a, attempt?.activities[a.id]));
  const resume = activities.find((a) => a.status !== 'completed') ?? activities[activities.length - 1];
  const startedAt = iso(attempt?.startedAt);
  const completedAt = iso(attempt?.completedAt);
  return {
    moduleId: module.id,
    moduleVersion: module.version,
    status: attempt?.status ?? 'not_started',
    activities,
    resumeActivityId: resume?.id ?? '',
    ...(startedAt ? { startedAt } : {}),
    ...(completedAt ? { completedAt } : {}),
    ...(typeof attempt?.rating === 'number' ? { rating: attempt.rating } : {}),
    ...(typeof attempt?.comment === 'string' ? { comment: attempt.comment } : {}),
    ...(typeof attempt?.score === 'number' ? { score: attempt.score } : {}),
  };
}

function presentMyModule({ module, assigned, attempt, dueAt }: MyModuleRow): MyModule {
  return {
    moduleId: module.id,
    moduleVersion: module.version,
    stage: module.stage,
    title: module.title,
    summary: module.summary,
    minutes: module.minutes,
    assigned,
    // Due dates come with in-Waymark assignments (class view); placements from the LMS carry none.
    dueAt: iso(dueAt) ?? null,
    status: attempt?.status ?? 'not_started',
    activitiesDone: module.activities.filter((a) => attempt?.activities[a.id]?.status === 'completed').length,
    activitiesTotal: module.activities.length,
    startedAt: iso(attempt?.startedAt) ?? null,
    completedAt: iso(attempt?.completedAt) ?? null,
  };
}

export function presentMyProgress(result: { rows: MyModuleRow[]; next: string | null; stage: string | null }): MyProgress {
  return { modules: result.rows.map(presentMyModule), next: result.next, stage: result.stage };
}
