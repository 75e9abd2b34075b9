/**
 * The answer shape of each activity type as the player edits it, and the completion rules of curriculum/schema.ts
 * evaluated on the client (the server decides; this keeps progress and resume right while offline).
 */
import type { Activity, ActivityOf } from './types.js';

export interface ReflectionAnswer {
  type: 'reflection';
  responses: Record<string, { text: string; private: boolean }>;
}
export interface ChoiceAnswer {
  type: 'choice';
  selected: string[];
}
export interface PictureChoiceAnswer {
  type: 'picture-choice';
  selected: string[];
}
export interface SortAnswer {
  type: 'sort';
  placements: Record<string, string>;
}
export interface ScaleAnswer {
  type: 'scale';
  ratings: Record<string, number>;
}
export interface ScenarioAnswer {
  type: 'scenario';
  /** The choice ids taken from the start node, in order. */
  path: string[];
}
export interface ResearchAnswer {
  type: 'research';
  fields: Record<string, string>;
}
export interface ExperienceAnswer {
  type: 'experience';
  logEntryId: string | null;
}
export interface PlanAnswer {
  type: 'plan';
  goal: string;
  steps: { text: string; date: string | null }[];
  support: string;
}

export type Answer =
  | ReflectionAnswer
  | ChoiceAnswer
  | PictureChoiceAnswer
  | SortAnswer
  | ScaleAnswer
  | ScenarioAnswer
  | ResearchAnswer
  | ExperienceAnswer
  | PlanAnswer;

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
        filled(a.goal) &&
        steps.length >= activity.minSteps &&
        (!activity.datesRequired || steps.every((s) => filled(s.date)))
      );
    }
  }
}
