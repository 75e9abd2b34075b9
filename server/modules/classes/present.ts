/** Allow-list presenters for the class view, and the progress CSV. Private reflection texts never leave here. */
import type { Module } from '../../../curriculum/schema.js';
import type {
  ClassModule,
  ClassOverview,
  FeedbackView,
  PupilModuleProgress,
  PupilModuleWork,
  SharedAnswer,
} from '../../contract/classes.js';
import { ClassesLimits } from '../../contract/classes.js';
import type { Answer } from '../../contract/progress.js';
import type { ActivityState } from '../progress/model.js';
import type { AttemptDoc } from '../progress/service.js';
import type { AssignmentDoc, FeedbackDoc, OverviewData, PupilWork, Stuck } from './service.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function presentModule({ module, viaLms, assignment }: OverviewData['modules'][number]): ClassModule {
  return {
    moduleId: module.id,
    version: module.version,
    stage: module.stage,
    title: module.title,
    activities: module.activities.map((a) => ({ id: a.id, type: a.type, title: a.title })),
    viaLms,
    assignment: assignment ? presentAssignment(assignment) : null,
  };
}

export function presentAssignment(a: AssignmentDoc) {
  return { moduleId: a.moduleId, dueAt: iso(a.dueAt), assignedAt: new Date(a.assignedAt).toISOString() };
}

function presentProgress(module: Module, attempt: AttemptDoc | null, stuck: Stuck): PupilModuleProgress {
  const activities = module.activities.map((a) => {
    const state = attempt?.activities[a.id];
    return {
      id: a.id,
      status: state?.status ?? ('not_started' as const),
      completedAt: iso(state?.completedAt),
      score: state?.score ? { correct: state.score.correct, total: state.score.total } : null,
    };
  });
  return {
    moduleId: module.id,
    status: attempt?.status ?? 'not_started',
    activitiesDone: activities.filter((a) => a.status === 'completed').length,
    activitiesTotal: activities.length,
    startedAt: iso(attempt?.startedAt),
    completedAt: iso(attempt?.completedAt),
    score: typeof attempt?.score === 'number' ? attempt.score : null,
    stuck,
    activities,
  };
}

export function presentOverview(data: OverviewData): ClassOverview {
  const pupils = data.pupils.map((p) => {
    const modules = p.modules.map((m) => presentProgress(m.module, m.attempt, m.stuck));
    return {
      id: p.id,
      name: p.name,
      launched: p.launched,
      fromRoster: p.fromRoster,
      stuck: modules.some((m) => m.stuck !== null),
      modules,
    };
  });
  const cells = pupils.flatMap((p) => p.modules);
  return {
    class: data.cls,
    stuckAfterDays: ClassesLimits.stuckAfterDays,
    modules: data.modules.map(presentModule),
    pupils,
    counts: {
      pupils: pupils.length,
      notLaunched: pupils.filter((p) => !p.launched).length,
      stuck: pupils.filter((p) => p.stuck).length,
      completed: cells.filter((c) => c.status === 'completed').length,
      inProgress: cells.filter((c) => c.status === 'in_progress').length,
      notStarted: cells.filter((c) => c.status === 'not_started').length,
    },
  };
}

/** The answer as others may see it: a private reflection response keeps only that it exists. */
export function shareAnswer(answer: Answer): SharedAnswer {
  if (answer.type !== 'reflection') return answer;
  const responses: Record<string, { text: string | null; private: boolean }> = {};
  for (const [id, r] of Object.entries(answer.responses))
    responses[id] = r.private ? { text: null, private: true } : { text: r.text, private: false };
  return { type: 'reflection', responses };
}

export function presentFeedback(f: FeedbackDoc & { authorName: string | null }): FeedbackView {
  return { id: String(f._id), text: f.text, authorName: f.authorName, createdAt: new Date(f.createdAt).toISOString() };
}

export function presentPupilWork({ pupil, module, attempt, feedback }: PupilWork): PupilModuleWork {
  return {
    pupil,
    moduleId: module.id,
    moduleVersion: module.version,
    status: attempt?.status ?? 'not_started',
    startedAt: iso(attempt?.startedAt),
    completedAt: iso(attempt?.completedAt),
    score: typeof attempt?.score === 'number' ? attempt.score : null,
    rating: typeof attempt?.rating === 'number' ? attempt.rating : null,
    activities: module.activities.map((a) => {
      const state: ActivityState | undefined = attempt?.activities[a.id];
      return {
        id: a.id,
        type: a.type,
        status: state?.status ?? 'not_started',
        savedAt: iso(state?.savedAt),
        answer: state && (state.answer as Answer | null)?.type === a.type ? shareAnswer(state.answer as Answer) : null,
      };
    }),
    feedback: feedback.map(presentFeedback),
  };
}

/**
 * A cell that a spreadsheet would read as a formula (=, +, -, @, or a tab/carriage return that some apps strip
 * first) is prefixed with a quote (OWASP, CSV injection), then RFC 4180 quoting applies.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const CSV_COLUMNS = [
  'pupil',
  'pupil_id',
  'opened_waymark',
  'module_id',
  'module_title',
  'assigned_in',
  'due_date',
  'status',
  'activities_done',
  'activities_total',
  'started_at',
  'completed_at',
  'score',
  'stuck',
] as const;

/**
 * The class's progress as CSV, one row per pupil × module: UTF-8 with a byte-order mark so Excel reads the
 * accents, CRLF line ends, English module titles (the column names are English too).
 */
export function presentCsv(view: ClassOverview): string {
  const modules = new Map(view.modules.map((m) => [m.moduleId, m]));
  const rows: (string | number | null)[][] = [[...CSV_COLUMNS]];
  for (const p of view.pupils) {
    for (const progress of p.modules) {
      const m = modules.get(progress.moduleId);
      rows.push([
        p.name ?? '',
        p.id,
        p.launched ? 'yes' : 'no',
        progress.moduleId,
        m?.title.en ?? '',
        [m?.viaLms ? 'lms' : null, m?.assignment ? 'waymark' : null].filter(Boolean).join('+'),
        m?.assignment?.dueAt?.slice(0, 10) ?? '',
        progress.status,
        progress.activitiesDone,
        progress.activitiesTotal,
        progress.startedAt ?? '',
        progress.completedAt ?? '',
        progress.score,
        progress.stuck ?? '',
      ]);
    }
  }
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
