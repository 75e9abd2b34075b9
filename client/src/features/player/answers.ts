/**
 * The answer shape of each activity type as the player edits it, and the completion rules of curriculum/schema.ts
 * evaluated on the client (the server decides; this keeps progress and resume right while offline).
 */
import type { Activity, ActivityOf } from './types.js';

import type {
  Answer,
  ChoiceAnswer,
  ExperienceAnswer,
  PictureChoiceAnswer,
  PlanAnswer,
  ReflectionAnswer,
  ResearchAnswer,
  ScaleAnswer,
  ScenarioAnswer,
  SortAnswer,
} from '../../../../server/contract/progress.js';

export type {
  Answer,
  ChoiceAnswer,
  ExperienceAnswer,
  PictureChoiceAnswer,
  PlanAnswer,
  ReflectionAnswer,
  ResearchAnswer,
  ScaleAnswer,
  ScenarioAnswer,
  SortAnswer,
};

const filled = (s: string | undefined | null): boolean => typeof s === 'string' && s.trim().length > 0;

/** Walks a scenario from its start along the chosen choices; returns the node reached (or null on a broken path). */
export function scenarioNode(activity: ActivityOf<'scenario'>, path: string[]) {
  let node = activity.nodes.find((n) => n.id === activity.start);
  for (const choiceId of path) {
    const choice = node?.choices.find((c) => c.id === choiceId);
    if (!choice) return null;
    node = activity.nodes.find((n) => n.id === choice.next);
  }
  return node ?? null;
}

/** Whether an answer meets its activity's completion rule. */
export function isComplete(activity: Activity, answer: Answer | undefined): boolean {
  if (!answer || answer.type !== activity.type) return false;
  switch (activity.type) {
    case 'reflection': {
      const a = answer as ReflectionAnswer;
      return activity.prompts.every((p) => filled(a.responses[p.id]?.text));
    }
    case 'choice':
    case 'picture-choice':
      return (answer as ChoiceAnswer | PictureChoiceAnswer).selected.length > 0;
    case 'sort': {
      const a = answer as SortAnswer;
      return activity.cards.every((c) => activity.categories.some((cat) => cat.id === a.placements[c.id]));
    }
    case 'scale': {
      const a = answer as ScaleAnswer;
      return activity.statements.every((s) => typeof a.ratings[s.id] === 'number');
    }
    case 'scenario': {
      const node = scenarioNode(activity, (answer as ScenarioAnswer).path);
      return Boolean(node?.end);
    }
    case 'research': {
      const a = answer as ResearchAnswer;
      return activity.fields.every((f) => !f.required || filled(a.fields[f.id]));
    }
    case 'experience':
      return filled((answer as ExperienceAnswer).logEntryId);
    case 'plan': {
      const a = answer as PlanAnswer;
      const steps = a.steps.filter((s) => filled(s.text));
      return (
        filled(a.goal) && steps.length >= activity.minSteps && (!activity.datesRequired || steps.every((s) => filled(s.date)))
      );
    }
  }
}
