/** The readiness check as the generator uses it: the pupil's submit through the readiness service. */
import type { Curriculum } from '../../curriculum/index.js';
import { isUniversalTierStage } from '../../curriculum/readiness.js';
import { SubmitReadiness } from '../contract/readiness.js';
import type { Models } from '../db/models.js';
import { parse } from '../http/validate.js';
import { submitReadiness } from '../modules/readiness/service.js';
import type { ReadinessPort } from './activity.js';

export function readinessPort(models: Models, curriculum: Curriculum): ReadinessPort {
  const { instrument, pictorial } = curriculum.readiness;
  const scale = Array.from(
    { length: instrument.responseScale.max - instrument.responseScale.min + 1 },
    (_, i) => instrument.responseScale.min + i,
  );
  const faces = pictorial.faces.map((f) => f.value);
  return {
    async submit(ctx, now, input) {
      await submitReadiness({ models, curriculum, now: () => now }, ctx, parse(SubmitReadiness, input));
    },
    itemsFor(stage) {
      if (isUniversalTierStage(stage)) return pictorial.items.map((i) => ({ id: i.id, values: faces, reverse: false }));
      if (!instrument.stages.includes(stage)) return [];
      return instrument.items.map((i) => ({ id: i.id, values: scale, reverse: i.reverse }));
    },
  };
}
