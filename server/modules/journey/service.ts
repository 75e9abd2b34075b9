/**
 * My career journey: the pupil's own portfolio, gathered from what is already recorded (module attempts, the
 * experiential-learning log, saved occupations). It stores nothing of its own: changing a reflection's privacy
 * goes through the progress or log service, which writes the LearningEvent (the fact and the xAPI outbox) first.
 */
import type { Curriculum } from '../../../curriculum/index.js';
import type { EncounterType, Module } from '../../../curriculum/schema.js';
import type { Config } from '../../config.js';
import type { ReflectionAnswer, PlanAnswer } from '../../contract/progress.js';
import { REFLECTION_PROMPTS, type ReflectionPrompt } from '../../contract/log.js';
import type { JourneyItem, JourneyPdfQuery, SetReflectionPrivacy } from '../../contract/journey.js';
import type { Models } from '../../db/models.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { notesForPupil } from '../advising/service.js';
import { getModule } from '../curriculum/service.js';
import * as log from '../log/service.js';
import * as progress from '../progress/service.js';
import { renderJourneyPdf } from './pdf.js';
import type { AttemptDoc } from '../progress/service.js';

export interface JourneyDeps {
  models: Models;
  curriculum: Curriculum;
  config: Pick<Config, 'publicUrl'>;
  now?: () => Date;
}

/** The log's Kolb prompts, as the pupil saw them (client/src/i18n/locales/<lang>/log.json words them the same). */
export const LOG_PROMPTS: Record<ReflectionPrompt, { en: string; nl: string }> = {
  happened: { en: 'What happened?', nl: 'Wat gebeurde er?' },
  aboutMe: { en: 'What did I learn about myself?', nl: 'Wat leerde ik over mezelf?' },
  aboutWork: { en: 'What did I learn about work?', nl: 'Wat leerde ik over werk?' },
  nextStep: { en: 'What will I do next?', nl: 'Wat ga ik nu doen?' },
};

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : new Date(0).toISOString());
const loc = (t: { en: string; nl: string }) => ({ en: t.en, nl: t.nl });

function assertPupil(ctx: RequestContext): void {
  if (ctx.actor.role !== 'pupil')
    throw forbidden('The career journey belongs to the pupil; open a pupil from your class to see their work.');
}

/** The module an attempt was made on, or null when it no longer exists (left out rather than breaking the page). */
async function moduleOf(deps: JourneyDeps, ctx: RequestContext, attempt: AttemptDoc): Promise<Module | null> {
  try {
    return (await getModule(deps.models, deps.curriculum, ctx, attempt.moduleId, attempt.moduleVersion)).module;
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  }
}

/**
 * The pupil's own timeline, newest first: completed modules with their outcomes, every reflection answer
 * (private ones included: the reader is their author), log entries with their Kolb answers, plan goals and steps,
 * and saved occupations.
 * @throws AppError 403 for anyone but a pupil.
 */
export async function getJourney(deps: JourneyDeps, ctx: RequestContext): Promise<JourneyItem[]> {
  assertPupil(ctx);
  const { models, curriculum } = deps;
  const filter = { schoolId: ctx.schoolId, userId: ctx.actor.id };
  const [attempts, entries, saved] = await Promise.all([
    models.ModuleAttempt.find(filter).lean() as Promise<AttemptDoc[]>,
    models.LogEntry.find({ schoolId: ctx.schoolId, pupilId: ctx.actor.id }).sort({ date: -1 }).lean<log.LogEntryDoc[]>(),
    models.SavedOccupation.find(filter).lean(),
  ]);
  const items: JourneyItem[] = [];

  for (const attempt of attempts) {
    const module = await moduleOf(deps, ctx, attempt);
    if (!module) continue;
    const title = loc(module.title);
    if (attempt.status === 'completed')
      items.push({
        kind: 'module',
        id: `module:${module.id}`,
        at: iso(attempt.completedAt),
        moduleId: module.id,
        title,
        outcomes: module.outcomes.map(loc),
        score: typeof attempt.score === 'number' ? attempt.score : null,
      });
    for (const activity of module.activities) {
      const state = attempt.activities[activity.id];
      if (!state) continue;
      if (activity.type === 'reflection' && state.type === 'reflection') {
        const answer = state.answer as ReflectionAnswer;
        for (const prompt of activity.prompts) {
          const response = answer.responses[prompt.id];
          if (!response?.text.trim()) continue;
          items.push({
            kind: 'reflection',
            id: `reflection:${module.id}:${activity.id}:${prompt.id}`,
            at: iso(state.savedAt),
            ref: { type: 'module', moduleId: module.id, activityId: activity.id, promptId: prompt.id },
            context: title,
            prompt: loc(prompt.text),
            text: response.text,
            private: response.private,
            privateAllowed: prompt.privateAllowed,
          });
        }
      } else if (activity.type === 'plan' && state.type === 'plan') {
        const plan = state.answer as PlanAnswer;
        if (!plan.goal.trim() && !plan.steps.length) continue;
        items.push({
          kind: 'plan',
          id: `plan:${module.id}:${activity.id}`,
          at: iso(state.savedAt),
          moduleId: module.id,
          moduleTitle: title,
          goal: plan.goal,
          steps: plan.steps.filter((s) => s.text.trim()).map((s) => ({ text: s.text, date: s.date ?? null })),
          support: plan.support?.trim() ? plan.support : null,
        });
      }
    }
  }

  for (const entry of entries) {
    const def = curriculum.encounterTypes.get(entry.encounterType as EncounterType);
    const encounterTitle = def ? loc(def.title) : { en: entry.encounterType, nl: entry.encounterType };
    const at = new Date(`${entry.date}T12:00:00Z`).toISOString();
    items.push({
      kind: 'log',
      id: `log:${String(entry._id)}`,
      at,
      entryId: String(entry._id),
      encounterType: entry.encounterType,
      encounterTitle,
      organisation: entry.organisation,
      hours: entry.hours,
      verified: Boolean(entry.verification),
      hostConfirmed: Boolean(entry.host?.confirmedAt),
    });
    for (const prompt of REFLECTION_PROMPTS) {
      const answer = entry.reflection[prompt];
      if (!answer.text.trim()) continue;
      items.push({
        kind: 'reflection',
        id: `reflection:log:${String(entry._id)}:${prompt}`,
        at,
        ref: { type: 'log', entryId: String(entry._id), prompt },
        context: { en: `${encounterTitle.en}: ${entry.organisation}`, nl: `${encounterTitle.nl}: ${entry.organisation}` },
        prompt: LOG_PROMPTS[prompt],
        text: answer.text,
        private: answer.private,
        privateAllowed: true,
      });
    }
  }

  if (saved.length) {
    const occupations = await models.CareerOccupation.find(
      { _id: { $in: saved.map((s) => s.occupationId) } },
      { title: 1 },
    ).lean();
    const titles = new Map(occupations.map((o) => [o._id, o.title]));
    for (const s of saved) {
      const title = titles.get(s.occupationId);
      if (!title?.en) continue; // the dataset dropped it
      items.push({
        kind: 'occupation',
        id: `occupation:${s.occupationId}`,
        at: iso(s.savedAt),
        occupationId: s.occupationId,
        title: { en: title.en, nl: title.nl ?? title.en },
        note: s.note,
      });
    }
  }

  // Notes the pupil's careers adviser marked for them (never the adviser's other notes).
  for (const note of await notesForPupil(models, ctx.schoolId, ctx.actor.id))
    items.push({
      kind: 'adviser-note',
      id: `adviser-note:${note.id}`,
      at: note.at.toISOString(),
      text: note.text,
      adviserName: note.adviserName,
    });

  // Newest first; within one moment, a module before its reflections (stable for equal keys).
  const order: Record<JourneyItem['kind'], number> = {
    module: 0,
    log: 1,
    plan: 2,
    reflection: 3,
    occupation: 4,
    'adviser-note': 5,
  };
  return items.sort((a, b) => b.at.localeCompare(a.at) || order[a.kind] - order[b.kind]);
}

/**
 * Marks one of the pupil's reflections private (only they see its text) or shared. A module reflection is saved
 * as a new answer through the progress service (an answer-saved LearningEvent at the next sequence number, which
 * the player picks up when it resumes); a log reflection goes through the log service (a `log.reflected` event).
 * @throws AppError 403 for anyone but a pupil; 404 for a reflection that is not theirs or has no text; 400
 * `private_not_allowed` when the activity does not let this answer be private.
 */
export async function setReflectionPrivacy(deps: JourneyDeps, ctx: RequestContext, input: SetReflectionPrivacy): Promise<void> {
  assertPupil(ctx);
  const { ref } = input;
  if (ref.type === 'log') {
    const { entry, access } = await log.getEntry(deps, ctx, ref.entryId);
    const answer = entry.reflection[ref.prompt];
    if (access !== 'owner' || !answer.text.trim()) throw notFound('reflection');
    if (answer.private === input.private) return;
    await log.updateEntry(deps, ctx, ref.entryId, {
      reflection: { [ref.prompt]: { text: answer.text, private: input.private } },
    });
    return;
  }
  const { module, attempt } = await progress.getAttempt(deps, ctx, ref.moduleId);
  const activity = module.activities.find((a) => a.id === ref.activityId);
  const state = attempt?.activities[ref.activityId];
  if (activity?.type !== 'reflection' || state?.type !== 'reflection') throw notFound('reflection');
  const prompt = activity.prompts.find((p) => p.id === ref.promptId);
  const answer = state.answer as ReflectionAnswer;
  const response = answer.responses[ref.promptId];
  if (!prompt || !response?.text.trim()) throw notFound('reflection');
  if (input.private && !prompt.privateAllowed)
    throw new AppError({ status: 400, code: 'private_not_allowed', message: 'This answer cannot be made private.' });
  if (response.private === input.private) return;
  const next: ReflectionAnswer = {
    type: 'reflection',
    responses: { ...answer.responses, [ref.promptId]: { text: response.text, private: input.private } },
  };
  await progress.saveAnswer(deps, ctx, ref.moduleId, ref.activityId, { answer: next, clientSeq: state.seq + 1 });
}

/**
 * The journey as a PDF in the pupil's language. Private reflection texts are included only when the pupil asks
 * (`includePrivate=true`, off by default): the PDF is meant for applications, where a private answer should not
 * travel by accident.
 * @throws AppError 403 for anyone but a pupil.
 */
export async function journeyPdf(
  deps: JourneyDeps,
  ctx: RequestContext,
  query: JourneyPdfQuery,
): Promise<{ pdf: Buffer; filename: string }> {
  const items = await getJourney(deps, ctx);
  const lang = query.lang ?? ctx.lang;
  const [user, school] = await Promise.all([
    deps.models.User.findOne({ schoolId: ctx.schoolId, _id: ctx.actor.id }, { name: 1 }).lean(),
    deps.models.School.findById(ctx.schoolId, { name: 1 }).lean(),
  ]);
  const pdf = await renderJourneyPdf({
    items,
    lang,
    pupilName: user?.name ?? null,
    schoolName: school?.name ?? null,
    includePrivate: query.includePrivate === 'true',
    now: deps.now ? deps.now() : new Date(),
  });
  return { pdf, filename: lang === 'nl' ? 'mijn-loopbaanreis.pdf' : 'my-career-journey.pdf' };
}
