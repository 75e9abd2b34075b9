/**
 * The rules of each activity type, as pure functions over the module content and the pupil's answer:
 * whether an answer fits the activity (`checkAnswer`), whether it completes it and what it scores (`evaluate`),
 * and the module's score for the gradebook (`moduleScore`).
 */
import type { Activity, Module } from '../../../curriculum/schema.js';
import type { Answer, Feedback, Score } from '../../contract/progress.js';
import { ProgressLimits } from '../../contract/progress.js';
import type { ErrorDetail } from '../../errors.js';

type Of<T extends Activity['type']> = Extract<Activity, { type: T }>;

const filled = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim().length > 0;

/** Keys of `record` that are not among `known`, as one detail each. */
function unknownKeys(record: Record<string, unknown>, known: Iterable<string>, path: string, what: string): ErrorDetail[] {
  const ids = new Set(known);
  return Object.keys(record)
    .filter((k) => !ids.has(k))
    .map((k) => ({ path: `${path}.${k}`, message: `unknown ${what} "${k}"` }));
}

/** Walks a scenario from its start along the chosen choice ids. Returns the node reached, or the failing step. */
export function walkScenario(activity: Of<'scenario'>, path: string[]) {
  const nodes = new Map(activity.nodes.map((n) => [n.id, n]));
  let node = nodes.get(activity.start);
  const taken: Of<'scenario'>['nodes'][number]['choices'] = [];
  for (const [i, choiceId] of path.entries()) {
    const choice = node?.choices.find((c) => c.id === choiceId);
    if (!node || !choice) return { ok: false as const, step: i, node: node?.id ?? null };
    taken.push(choice);
    node = nodes.get(choice.next);
  }
  return node ? { ok: true as const, node, taken } : { ok: false as const, step: path.length, node: null };
}

const URL_PATTERN = /^https?:\/\/[^\s]+$/i;

/**
 * Checks an answer against its activity's content: the answer type, every referenced id, ranges and per-field
 * formats. Structure and text limits were checked by the contract already.
 * @returns one detail per problem; empty when the answer fits.
 */
export function checkAnswer(activity: Activity, answer: Answer): ErrorDetail[] {
  if (answer.type !== activity.type)
    return [{ path: 'answer.type', message: `this is a ${activity.type} activity, not ${answer.type}` }];
  switch (activity.type) {
    case 'reflection': {
      const a = answer as Extract<Answer, { type: 'reflection' }>;
      const details = unknownKeys(
        a.responses,
        activity.prompts.map((p) => p.id),
        'answer.responses',
        'prompt',
      );
      for (const p of activity.prompts)
        if (a.responses[p.id]?.private && !p.privateAllowed)
          details.push({ path: `answer.responses.${p.id}.private`, message: 'this prompt cannot be kept private' });
      return details;
    }
    case 'choice':
    case 'picture-choice': {
      const a = answer as Extract<Answer, { type: 'choice' | 'picture-choice' }>;
      const known = new Set<string>(activity.options.map((o) => o.id));
      const details: ErrorDetail[] = a.selected
        .filter((id) => !known.has(id))
        .map((id) => ({ path: 'answer.selected', message: `unknown option "${id}"` }));
      if (new Set(a.selected).size !== a.selected.length)
        details.push({ path: 'answer.selected', message: 'an option is chosen twice' });
      if (activity.mode === 'single' && a.selected.length !== 1)
        details.push({ path: 'answer.selected', message: 'choose exactly one option' });
      return details;
    }
    case 'sort': {
      const a = answer as Extract<Answer, { type: 'sort' }>;
      const categories = new Set(activity.categories.map((c) => c.id));
      const details = unknownKeys(
        a.placements,
        activity.cards.map((c) => c.id),
        'answer.placements',
        'card',
      );
      for (const [card, category] of Object.entries(a.placements))
        if (!categories.has(category))
          details.push({ path: `answer.placements.${card}`, message: `unknown category "${category}"` });
      return details;
    }
    case 'scale': {
      const a = answer as Extract<Answer, { type: 'scale' }>;
      const max = activity.style === 'faces' ? 3 : 5;
      const details = unknownKeys(
        a.ratings,
        activity.statements.map((s) => s.id),
        'answer.ratings',
        'statement',
      );
      for (const [id, rating] of Object.entries(a.ratings))
        if (rating > max) details.push({ path: `answer.ratings.${id}`, message: `must be between 1 and ${String(max)}` });
      return details;
    }
    case 'scenario': {
      const a = answer as Extract<Answer, { type: 'scenario' }>;
      const walk = walkScenario(activity, a.path);
      if (walk.ok) return [];
      return [
        {
          path: `answer.path.${String(walk.step)}`,
          message: walk.node
            ? `"${a.path[walk.step] ?? ''}" is not a choice at "${walk.node}"`
            : 'the path leads to a missing node',
        },
      ];
    }
    case 'research': {
      const a = answer as Extract<Answer, { type: 'research' }>;
      const details = unknownKeys(
        a.fields,
        activity.fields.map((f) => f.id),
        'answer.fields',
        'field',
      );
      for (const field of activity.fields) {
        const value = a.fields[field.id];
        if (!filled(value)) continue;
        const path = `answer.fields.${field.id}`;
        if (field.kind === 'short' && value.length > ProgressLimits.shortText)
          details.push({ path, message: `must be at most ${String(ProgressLimits.shortText)} characters` });
        if (field.kind === 'number' && !Number.isFinite(Number(value.trim().replace(',', '.'))))
          details.push({ path, message: 'must be a number' });
        if (field.kind === 'url' && (value.length > ProgressLimits.url || !URL_PATTERN.test(value.trim())))
          details.push({ path, message: 'must be a web address (http or https)' });
      }
      return details;
    }
    case 'experience':
      // The log entry is checked against the database by the service.
      return [];
    case 'plan': {
      const a = answer as Extract<Answer, { type: 'plan' }>;
      if (a.steps.length > activity.maxSteps)
        return [{ path: 'answer.steps', message: `at most ${String(activity.maxSteps)} steps` }];
      return [];
    }
  }
}

export interface Evaluation {
  status: 'in_progress' | 'completed';
  /** Present for scored activities once completed. */
  score?: Score;
  /** Authored feedback for what was chosen (choice, picture-choice, scenario). */
  feedback?: Feedback[];
}

/**
 * Applies the activity's `completion` rule and `scoring` method to a checked answer.
 * `logEntryReflected` answers the experience rule: the linked entry exists for this pupil and is reflected on.
 */
export function evaluate(activity: Activity, answer: Answer, facts: { logEntryReflected: boolean }): Evaluation {
  const done = (complete: boolean) => (complete ? ('completed' as const) : ('in_progress' as const));
  switch (activity.type) {
    case 'reflection': {
      const a = answer as Extract<Answer, { type: 'reflection' }>;
      return { status: done(activity.prompts.every((p) => filled(a.responses[p.id]?.text))) };
    }
    case 'choice':
    case 'picture-choice': {
      const a = answer as Extract<Answer, { type: 'choice' | 'picture-choice' }>;
      const options: { id: string; feedback: Feedback['text']; correct?: boolean | undefined }[] = activity.options;
      const feedback = options
        .filter((o) => a.selected.includes(o.id))
        .map((o) => ({ id: o.id, text: o.feedback, ...(o.correct === undefined ? {} : { correct: o.correct }) }));
      const status = done(a.selected.length > 0);
      // correct-options: a single-mode question is one item, right when the chosen option is a correct one; in
      // multiple mode every option with a right answer is an item, right when chosen exactly if it is correct.
      const keyed = options.filter((o) => o.correct !== undefined);
      let score: Score | undefined;
      if (activity.scoring && keyed.length && status === 'completed') {
        score =
          activity.mode === 'single'
            ? { correct: keyed.some((o) => o.correct === true && a.selected.includes(o.id)) ? 1 : 0, total: 1 }
            : { correct: keyed.filter((o) => a.selected.includes(o.id) === o.correct).length, total: keyed.length };
      }
      return { status, feedback, ...(score ? { score } : {}) };
    }
    case 'sort': {
      const a = answer as Extract<Answer, { type: 'sort' }>;
      const status = done(activity.cards.every((c) => a.placements[c.id] !== undefined));
      // correct-placements: cards with an expected category are the items; open cards are not scored.
      const keyed = activity.cards.filter((c) => c.category !== undefined);
      const score =
        activity.scoring && keyed.length && status === 'completed'
          ? { correct: keyed.filter((c) => a.placements[c.id] === c.category).length, total: keyed.length }
          : undefined;
      return { status, ...(score ? { score } : {}) };
    }
    case 'scale': {
      const a = answer as Extract<Answer, { type: 'scale' }>;
      // self-rating: there is no right answer, so no score.
      return { status: done(activity.statements.every((s) => a.ratings[s.id] !== undefined)) };
    }
    case 'scenario': {
      const a = answer as Extract<Answer, { type: 'scenario' }>;
      const walk = walkScenario(activity, a.path);
      if (!walk.ok) return { status: 'in_progress' };
      const feedback = walk.taken.flatMap((c) => (c.feedback ? [{ id: c.id, text: c.feedback }] : []));
      const end = walk.node.end;
      const status = done(Boolean(end));
      // considered-ending: one item, right when the ending reached is a considered one.
      const score = activity.scoring && end ? { correct: end.considered ? 1 : 0, total: 1 } : undefined;
      return { status, ...(feedback.length ? { feedback } : {}), ...(score ? { score } : {}) };
    }
    case 'research': {
      const a = answer as Extract<Answer, { type: 'research' }>;
      return { status: done(activity.fields.every((f) => !f.required || filled(a.fields[f.id]))) };
    }
    case 'experience':
      return { status: done(facts.logEntryReflected) };
    case 'plan': {
      const a = answer as Extract<Answer, { type: 'plan' }>;
      const steps = a.steps.filter((s) => filled(s.text));
      const complete =
        filled(a.goal) && steps.length >= activity.minSteps && (!activity.datesRequired || steps.every((s) => filled(s.date)));
      return { status: done(complete) };
    }
  }
}

/**
 * The module's score for the gradebook, 0..100. Rule: where the module has scored activities (correct options,
 * correct placements, a considered scenario ending), the score is the share of their scored items the pupil got
 * right, over all scored activities together; a module without scored items scores 100 for completion.
 * Self-ratings, reflections, research, experience and plans are never scored.
 */
export function moduleScore(module: Module, scores: Record<string, Score | undefined>): number {
  let correct = 0;
  let total = 0;
  for (const activity of module.activities) {
    const s = scores[activity.id];
    if (!s) continue;
    correct += s.correct;
    total += s.total;
  }
  return total === 0 ? 100 : Math.round((10000 * correct) / total) / 100;
}
