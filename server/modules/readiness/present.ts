/** Presenters for readiness results: allow-lists returning the contract types. */
import type { Curriculum } from '../../../curriculum/index.js';
import type { PupilReadinessSummary } from '../../contract/readiness.js';
import type { ReadinessResultDoc } from './service.js';

/** The pupil's kind view of a result: strengths and things to explore, no level, band or score. */
export function pupilSummary(curriculum: Curriculum, doc: ReadinessResultDoc): PupilReadinessSummary {
  const title = (id: string) => {
    const c = curriculum.competencies.get(id);
    return c ? { en: c.title.en, nl: c.title.nl } : { en: id, nl: id };
  };
  let strengths: string[] = [];
  let toExplore: string[] = [];
  let total: number;
  if (doc.kind === 'pictorial') {
    const items = curriculum.readiness.pictorial.items;
    total = items.length;
    strengths = [...new Set(items.filter((i) => doc.answers[i.id] === 3).map((i) => i.competency))].slice(0, 3);
  } else {
    total = curriculum.readiness.instrument.items.length;
    const scored = Object.entries(doc.competencies).filter((e): e is [string, number] => e[1] !== null);
    // Strengths: the pupil's most confident answers (agree or above). To explore: the least confident, framed as
    // growth; a competency is never in both.
    strengths = scored
      .filter(([, s]) => s >= 3.5)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([id]) => id);
    toExplore = scored
      .filter(([id, s]) => s < 3.5 && !strengths.includes(id))
      .sort((a, b) => a[1] - b[1])
      .slice(0, 3)
      .map(([id]) => id);
  }
  return {
    id: String(doc._id),
    at: new Date(doc.at).toISOString(),
    kind: doc.kind,
    stage: doc.stage,
    strengths: strengths.map((id) => ({ id, title: title(id) })),
    toExplore: toExplore.map((id) => ({ id, title: title(id) })),
    answered: doc.answered,
    total,
  };
}
