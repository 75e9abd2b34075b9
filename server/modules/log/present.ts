/** Allow-list presenters for the log. A private reflection's text reaches only its pupil. */
import type { Curriculum } from '../../../curriculum/index.js';
import type { EncounterType } from '../../../curriculum/schema.js';
import {
  REFLECTION_PROMPTS,
  type EncounterTypeView,
  type EvidenceType,
  type HostRequestView,
  type LogEntryView,
  type LogOptions,
  type ReflectionView,
} from '../../contract/log.js';
import type { RequestContext } from '../../http/authenticate.js';
import type { Access, LogEntryDoc } from './service.js';

export function presentEncounterType(curriculum: Curriculum, id: string): EncounterTypeView {
  const def = curriculum.encounterTypes.get(id as EncounterType);
  if (!def) throw new Error(`unknown encounter type ${id}`);
  return {
    id: def.id,
    title: { en: def.title.en, nl: def.title.nl },
    description: { en: def.description.en, nl: def.description.nl },
    gatsby: [...def.gatsby],
    nlActivity: def.nlActivity,
    countsAs: { employerEncounter: def.countsAs.employerEncounter, workplaceExperience: def.countsAs.workplaceExperience },
    countsWhen: { en: def.countsWhen.en, nl: def.countsWhen.nl },
  };
}

export const presentEncounterTypes = (curriculum: Curriculum): EncounterTypeView[] =>
  [...curriculum.encounterTypes.keys()].map((id) => presentEncounterType(curriculum, id));

export const presentCompetencies = (curriculum: Curriculum): LogOptions['competencies'] =>
  [...curriculum.competencies.values()].map((c) => ({ id: c.id, title: { en: c.title.en, nl: c.title.nl } }));

function presentAnswer(answer: { text?: string; private?: boolean } | undefined, access: Access): ReflectionView {
  const text = answer?.text ?? '';
  const isPrivate = Boolean(answer?.private);
  return { text: isPrivate && access !== 'owner' ? null : text, private: isPrivate, answered: text.trim().length > 0 };
}

export function presentEntry(
  curriculum: Curriculum,
  entry: LogEntryDoc,
  access: Access,
  ctx: RequestContext,
  names: Map<string, string | null>,
  reflected: boolean,
): LogEntryView {
  const reflection = Object.fromEntries(
    REFLECTION_PROMPTS.map((p) => [p, presentAnswer(entry.reflection[p], access)]),
  ) as LogEntryView['reflection'];
  const meaningful = entry.checklist.preparedBeforehand && entry.checklist.askedQuestions && entry.checklist.reflectedAfterwards;
  return {
    id: String(entry._id),
    pupil: { id: entry.pupilId, name: names.get(entry.pupilId) ?? null },
    encounterType: presentEncounterType(curriculum, entry.encounterType),
    date: entry.date,
    organisation: entry.organisation,
    hours: entry.hours,
    competencies: [...entry.competencies],
    reflection,
    pictures: { feelings: [...entry.pictures.feelings], saw: [...entry.pictures.saw] },
    checklist: {
      preparedBeforehand: entry.checklist.preparedBeforehand,
      askedQuestions: entry.checklist.askedQuestions,
      reflectedAfterwards: entry.checklist.reflectedAfterwards,
    },
    meaningful,
    reflected,
    source: entry.source
      ? { moduleId: entry.source.moduleId, moduleVersion: entry.source.moduleVersion, activityId: entry.source.activityId }
      : null,
    group: entry.groupEncounterId ? { id: entry.groupEncounterId, sharedFieldsLocked: true } : null,
    evidence: entry.evidence.map((e) => ({
      id: String(e._id),
      kind: e.kind,
      contentType: e.contentType as EvidenceType,
      size: e.size,
      name: e.name ?? null,
      seconds: e.seconds ?? null,
      uploadedAt: e.uploadedAt.toISOString(),
    })),
    verification: entry.verification
      ? {
          byName: names.get(entry.verification.by) ?? null,
          role: entry.verification.role,
          at: entry.verification.at.toISOString(),
          note: entry.verification.note ?? null,
        }
      : null,
    comments: entry.comments.map((c) => ({
      id: String(c._id),
      authorName: names.get(c.authorId) ?? null,
      authorRole: c.authorRole,
      text: c.text,
      at: c.at.toISOString(),
    })),
    host: entry.host
      ? {
          confirmedAt: entry.host.confirmedAt.toISOString(),
          hostName: entry.host.hostName ?? null,
          feedback: entry.host.feedback ?? null,
        }
      : null,
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
    can: {
      edit: access === 'owner',
      verify: access === 'staff' && !entry.verification,
      comment: true,
      hostLink: !entry.host && (access === 'owner' || ctx.actor.role === 'teacher'),
    },
  };
}

export function presentHostRequest(curriculum: Curriculum, entry: LogEntryDoc, pupilFirstName: string | null): HostRequestView {
  const type = presentEncounterType(curriculum, entry.encounterType);
  return {
    organisation: entry.organisation,
    date: entry.date,
    hours: entry.hours,
    encounterType: { id: type.id, title: type.title },
    pupilFirstName,
  };
}
