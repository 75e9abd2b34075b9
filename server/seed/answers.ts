/**
 * What a pupil's player sends while they work on one activity: the sequence of autosaved answers, as the player
 * sends them (it saves after a short pause in typing, on every card placed, rating given or scenario step), ending
 * with a complete answer, or an incomplete one when the pupil stops part-way.
 *
 * Texts are generated from neutral sentence pools (no names, nothing personal); older pupils write more.
 */
import type { Activity } from '../../curriculum/schema.js';
import type { Answer } from '../contract/progress.js';
import type { Rng } from './random.js';

type Of<T extends Activity['type']> = Extract<Activity, { type: T }>;

const SENTENCES: Record<'young' | 'middle' | 'older', readonly string[]> = {
  young: [
    'I liked it.',
    'I am good at helping.',
    'I want to try again.',
    'It was fun to build.',
    'I can count well.',
    'My friend helped me.',
    'I like animals.',
    'I would like to be a vet.',
    'I was a bit shy.',
    'We worked as a team.',
  ],
  middle: [
    'I found out that many jobs need good teamwork.',
    'I was surprised how many people work behind the scenes.',
    'I am good at explaining things to my friends.',
    'Next time I will ask more questions.',
    'I would like to find out what an engineer does all day.',
    'It helped me see that mistakes are how you learn.',
    'I liked planning the stall with my group.',
    'Maths is used in more jobs than I thought.',
    'I want to practise speaking in front of the class.',
    'The visitor said they changed jobs twice, which I did not expect.',
  ],
  older: [
    'I realised that the skills I use in my part-time job transfer to many other roles.',
    'Before this I assumed the course only led to one kind of job, but there are several routes.',
    'I need to check the entry requirements and the deadlines for the courses I am considering.',
    'Talking to someone who actually does the work changed how I see it.',
    'My next step is to ask my tutor about a placement in this area.',
    'I am more confident about interviews now that I have practised my answers.',
    'I compared two routes and the apprenticeship suits the way I learn better.',
    'The figures showed that demand is growing, but the pay varies a lot by region.',
    'I want to keep my options open, so I will pick subjects that fit both plans.',
    'Feedback from the host showed me I work well under pressure.',
    'I should keep a record of what I did so I can use it in applications.',
    'I noticed that I enjoy solving practical problems more than writing reports.',
  ],
};

export type Voice = keyof typeof SENTENCES;

export function voiceOf(stage: string): Voice {
  if (stage === 'S1' || stage === 'S2') return 'young';
  return stage === 'S3' ? 'middle' : 'older';
}

/** A short text of `sentences` sentences in the pupil's voice. */
export function text(rng: Rng, voice: Voice, sentences: number): string {
  return rng.sample(SENTENCES[voice], Math.max(1, sentences)).join(' ');
}

/**
 * The texts the player saves while `full` is typed: a save roughly every `chunk` characters (a pause in typing),
 * the last being the whole text.
 */
function typing(rng: Rng, full: string, chunk: number): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < full.length) {
    at = Math.min(full.length, at + Math.max(8, Math.round(rng.normal(chunk, chunk / 3))));
    // Cut at a word boundary, as a pause usually falls between words.
    const space = full.indexOf(' ', at);
    at = space < 0 || space - at > 12 ? at : space;
    out.push(full.slice(0, at));
  }
  return out;
}

export interface AnswerPlan {
  /** The answers the player saves, in order. */
  saves: Answer[];
  /** Whether the last save completes the activity (experience activities: decided by the log entry). */
  complete: boolean;
}

export interface WorkStyle {
  voice: Voice;
  /** Mean characters between autosaves while typing. */
  chunk: number;
  /** Sentences per written answer (mean). */
  sentences: number;
  /** Chance that the pupil stops part-way through this activity. */
  quitChance: number;
  /** An occupation the pupil can take from the careers explorer into a research activity. */
  occupation?: { uri: string; title: string } | undefined;
  /** Today, for plan step dates (YYYY-MM-DD). */
  today: string;
}

const n = (rng: Rng, mean: number) => Math.max(1, Math.round(rng.normal(mean, mean / 3)));

/** The saves for one activity (not `experience`: that one links a log entry, see activity.ts). */
export function planAnswers(rng: Rng, activity: Activity, style: WorkStyle): AnswerPlan {
  const quit = rng.chance(style.quitChance);
  switch (activity.type) {
    case 'reflection':
      return reflection(rng, activity, style, quit);
    case 'choice':
    case 'picture-choice':
      return choice(rng, activity);
    case 'sort':
      return sort(rng, activity, quit);
    case 'scale':
      return scale(rng, activity, quit);
    case 'scenario':
      return scenario(rng, activity, quit);
    case 'research':
      return research(rng, activity, style, quit);
    case 'plan':
      return plan(rng, activity, style, quit);
    case 'experience':
      throw new TypeError('experience activities link a log entry');
  }
}

function reflection(rng: Rng, activity: Of<'reflection'>, style: WorkStyle, quit: boolean): AnswerPlan {
  const saves: Answer[] = [];
  const responses: Record<string, { text: string; private: boolean }> = {};
  const prompts = quit ? activity.prompts.slice(0, Math.max(1, activity.prompts.length - 1)) : activity.prompts;
  for (const prompt of prompts) {
    const isPrivate = prompt.privateAllowed && rng.chance(0.12);
    for (const t of typing(rng, text(rng, style.voice, n(rng, style.sentences)), style.chunk)) {
      responses[prompt.id] = { text: t, private: isPrivate };
      saves.push({ type: 'reflection', responses: { ...responses } });
    }
  }
  return { saves, complete: prompts.length === activity.prompts.length };
}

function choice(rng: Rng, activity: Of<'choice'> | Of<'picture-choice'>): AnswerPlan {
  const ids = activity.options.map((o) => o.id);
  const right = activity.options.filter((o) => o.correct === true).map((o) => o.id);
  const pickOnce = (): string[] => {
    if (activity.mode === 'single') {
      // Most pupils find a right answer where there is one; some change their mind.
      return [right.length && rng.chance(0.7) ? rng.pick(right) : rng.pick(ids)];
    }
    const chosen = ids.filter((id) => (right.includes(id) ? rng.chance(0.8) : rng.chance(0.25)));
    return chosen.length ? chosen : [rng.pick(ids)];
  };
  const saves: Answer[] = [];
  const changes = rng.chance(0.25) ? 2 : 1;
  for (let i = 0; i < changes; i += 1) saves.push({ type: activity.type, selected: pickOnce() });
  return { saves, complete: true };
}

function sort(rng: Rng, activity: Of<'sort'>, quit: boolean): AnswerPlan {
  const placements: Record<string, string> = {};
  const saves: Answer[] = [];
  const categories = activity.categories.map((c) => c.id);
  const cards = rng.shuffle(activity.cards);
  const placed = quit ? cards.slice(0, Math.max(1, Math.floor(cards.length / 2))) : cards;
  for (const card of placed) {
    placements[card.id] = card.category && rng.chance(0.8) ? card.category : rng.pick(categories);
    saves.push({ type: 'sort', placements: { ...placements } });
    // Now and then a card is moved again.
    if (rng.chance(0.1)) {
      placements[card.id] = rng.pick(categories);
      saves.push({ type: 'sort', placements: { ...placements } });
    }
  }
  return { saves, complete: placed.length === cards.length };
}

function scale(rng: Rng, activity: Of<'scale'>, quit: boolean): AnswerPlan {
  const max = activity.style === 'faces' ? 3 : 5;
  const ratings: Record<string, number> = {};
  const saves: Answer[] = [];
  const statements = quit ? activity.statements.slice(0, 1) : activity.statements;
  const lean = rng.normal(0, 1);
  for (const s of statements) {
    ratings[s.id] = Math.min(max, Math.max(1, Math.round(rng.normal((max + 1) / 2 + lean * 0.6, max / 4))));
    saves.push({ type: 'scale', ratings: { ...ratings } });
  }
  return { saves, complete: statements.length === activity.statements.length };
}

function scenario(rng: Rng, activity: Of<'scenario'>, quit: boolean): AnswerPlan {
  const nodes = new Map(activity.nodes.map((node) => [node.id, node]));
  const path: string[] = [];
  const saves: Answer[] = [];
  let node = nodes.get(activity.start);
  while (node && node.choices.length && path.length < 20) {
    const choice = rng.pick(node.choices);
    path.push(choice.id);
    saves.push({ type: 'scenario', path: [...path] });
    node = nodes.get(choice.next);
    if (quit && path.length >= 1) break;
  }
  return { saves, complete: !quit && Boolean(node?.end) };
}

function fieldValue(rng: Rng, kind: 'short' | 'long' | 'number' | 'url', style: WorkStyle, occupation?: string): string {
  switch (kind) {
    case 'number':
      return String(rng.int(1, 60) * 500);
    case 'url':
      return `https://careers.example.org/${rng.pick(['jobs', 'courses', 'routes', 'employers'])}/${String(rng.int(100, 999))}`;
    case 'short':
      return occupation ?? text(rng, style.voice, 1).slice(0, 120);
    case 'long':
      return text(rng, style.voice, n(rng, style.sentences));
  }
}

function research(rng: Rng, activity: Of<'research'>, style: WorkStyle, quit: boolean): AnswerPlan {
  const fields: Record<string, string> = {};
  const saves: Answer[] = [];
  const occupation = activity.openExplorer && activity.subject === 'occupation' ? style.occupation : undefined;
  const todo = quit ? activity.fields.filter((f) => !f.required).concat(activity.fields.slice(0, 1)) : activity.fields;
  for (const [i, field] of todo.entries()) {
    if (!field.required && rng.chance(0.4)) continue;
    const value = fieldValue(rng, field.kind, style, i === 0 ? occupation?.title : undefined);
    const steps = field.kind === 'long' ? typing(rng, value, style.chunk) : [value];
    for (const v of steps) {
      fields[field.id] = v;
      saves.push({ type: 'research', fields: { ...fields }, ...(occupation ? { occupation } : {}) });
    }
  }
  const complete = activity.fields.every((f) => !f.required || (fields[f.id] ?? '').trim().length > 0);
  if (!saves.length) saves.push({ type: 'research', fields: {} });
  return { saves, complete };
}

function plan(rng: Rng, activity: Of<'plan'>, style: WorkStyle, quit: boolean): AnswerPlan {
  const saves: Answer[] = [];
  let goal = '';
  for (const t of typing(rng, text(rng, style.voice, 1), style.chunk)) {
    goal = t;
    saves.push({ type: 'plan', goal, steps: [] });
  }
  const want = Math.min(activity.maxSteps, Math.max(activity.minSteps, rng.int(activity.minSteps, activity.minSteps + 2)));
  const count = quit ? Math.max(0, activity.minSteps - 1) : want;
  const steps: { text: string; date?: string | null }[] = [];
  const [y, m] = style.today.split('-').map(Number) as [number, number];
  for (let i = 0; i < count; i += 1) {
    const month = ((m - 1 + i + 1) % 12) + 1;
    const year = y + Math.floor((m - 1 + i + 1) / 12);
    const date = activity.datesRequired || rng.chance(0.5) ? `${String(year)}-${String(month).padStart(2, '0')}-15` : null;
    steps.push({ text: text(rng, style.voice, 1), date });
    saves.push({ type: 'plan', goal, steps: steps.map((s) => ({ ...s })) });
  }
  const support = activity.supportPrompt && !quit && rng.chance(0.6) ? text(rng, style.voice, 1) : undefined;
  if (support) saves.push({ type: 'plan', goal, steps: steps.map((s) => ({ ...s })), support });
  return { saves, complete: !quit && count >= activity.minSteps };
}
