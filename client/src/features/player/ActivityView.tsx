import type { Answer } from './answers.js';
import { Choice } from './activities/Choice.js';
import { Experience } from './activities/Experience.js';
import { Plan } from './activities/Plan.js';
import { Reflection } from './activities/Reflection.js';
import { Research } from './activities/Research.js';
import { Scale } from './activities/Scale.js';
import { Scenario } from './activities/Scenario.js';
import { Sort } from './activities/Sort.js';
import type { Activity, Lang } from './types.js';

interface Props {
  activity: Activity;
  answer: Answer | undefined;
  onChange: (answer: Answer, save?: boolean) => void;
  onCommit: () => void;
  lang: Lang;
  moduleId: string;
}

/** Picks the component for an activity type; an answer of another type (a changed module) counts as none. */
export function ActivityView({ activity, answer, onChange, onCommit, lang, moduleId }: Props) {
  const common = { onChange, onCommit, lang };
  const mine = <T extends Answer['type']>(type: T) =>
    answer?.type === type ? (answer as Extract<Answer, { type: T }>) : undefined;
  switch (activity.type) {
    case 'reflection':
      return <Reflection activity={activity} answer={mine('reflection')} {...common} />;
    case 'choice':
      return <Choice activity={activity} answer={mine('choice')} {...common} />;
    case 'picture-choice':
      return <Choice activity={activity} answer={mine('picture-choice')} {...common} />;
    case 'sort':
      return <Sort activity={activity} answer={mine('sort')} {...common} />;
    case 'scale':
      return <Scale activity={activity} answer={mine('scale')} {...common} />;
    case 'scenario':
      return <Scenario activity={activity} answer={mine('scenario')} {...common} />;
    case 'research':
      return <Research activity={activity} answer={mine('research')} {...common} />;
    case 'experience':
      return <Experience activity={activity} answer={mine('experience')} {...common} moduleId={moduleId} />;
    case 'plan':
      return <Plan activity={activity} answer={mine('plan')} {...common} />;
  }
}
