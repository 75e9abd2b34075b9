/** Types the player shares: the pupil's view of a module (no teacher notes) and its activities. */
import type { Activity, LocalizedText, Module } from '../../../../curriculum/schema.js';

export type Lang = 'en' | 'nl';
export type PupilModule = Omit<Module, 'teacherNotes'>;
export type { Activity, LocalizedText };
export type ActivityOf<T extends Activity['type']> = Extract<Activity, { type: T }>;

/** Every activity component gets its activity, the pupil's answer so far, and a way to change it. */
export interface ActivityProps<T extends Activity['type'], A> {
  activity: ActivityOf<T>;
  answer: A | undefined;
  /** `save: false` shows a change without saving it (an answer the server would refuse as incomplete). */
  onChange: (answer: A, save?: boolean) => void;
  /** Save now (a field lost focus, a choice was made). */
  onCommit: () => void;
  lang: Lang;
}
