/** Allow-list presenters for safeguarding. */
import type { ConcernView, SafeguardingContact } from '../../contract/safeguarding.js';
import type { ContactInfo, listConcerns } from './service.js';

export function presentContact(info: ContactInfo): SafeguardingContact {
  return {
    contact: info.contact
      ? { userId: info.contact.userId, name: info.contact.name, role: info.contact.role, setAt: info.contact.setAt.toISOString() }
      : null,
    canViewConcerns: info.canViewConcerns,
  };
}

export function presentConcerns({ concerns, names }: Awaited<ReturnType<typeof listConcerns>>): ConcernView[] {
  return concerns.map((c) => ({
    id: String(c._id),
    pupil: { id: c.pupilId, name: names.get(c.pupilId) ?? null },
    reporter: { id: c.reporterId, name: names.get(c.reporterId) ?? null, role: c.reporterRole },
    source: { kind: c.source?.kind ?? 'log-entry', id: c.source?.id ?? '' },
    text: c.text,
    reportedAt: c.reportedAt.toISOString(),
  }));
}
