/** Typed calls to the log API (server/contract/log.ts). */
import type {
  ClassLogSummary,
  CreateGroupEncounterInput,
  CreateLogEntryInput,
  HostRequestView,
  LogEntryList,
  LogEntryView,
  LogOptions,
  UpdateLogEntryInput,
} from '../../../../server/contract/log.js';
import { api, apiBlob } from '../../api/client.js';

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

export const getOptions = () => api<LogOptions>('/log/options');
export const listMyEntries = () => api<LogEntryList>('/log/entries');
export const listPupilEntries = (pupilId: string) => api<LogEntryList>(`/log/pupils/${encodeURIComponent(pupilId)}/entries`);
export const getEntry = (id: string) =>
  api<{ entry: LogEntryView }>(`/log/entries/${encodeURIComponent(id)}`).then((r) => r.entry);
export const createEntry = (input: CreateLogEntryInput) =>
  api<{ entry: LogEntryView }>('/log/entries', json('POST', input)).then((r) => r.entry);
export const updateEntry = (id: string, input: UpdateLogEntryInput) =>
  api<{ entry: LogEntryView }>(`/log/entries/${encodeURIComponent(id)}`, json('PATCH', input)).then((r) => r.entry);
export const verifyEntry = (id: string) =>
  api<{ entry: LogEntryView }>(`/log/entries/${encodeURIComponent(id)}/verify`, json('POST', {})).then((r) => r.entry);
export const commentOn = (id: string, text: string) =>
  api<{ entry: LogEntryView }>(`/log/entries/${encodeURIComponent(id)}/comments`, json('POST', { text })).then((r) => r.entry);
export const createHostLink = (id: string) =>
  api<{ url: string; expiresAt: string }>(`/log/entries/${encodeURIComponent(id)}/host-link`, { method: 'POST' });
export const classSummary = (classId: string) => api<ClassLogSummary>(`/log/classes/${encodeURIComponent(classId)}/pupils`);
export const createGroupEncounter = (input: CreateGroupEncounterInput) =>
  api<{ group: { id: string; pupils: number } }>('/log/group-encounters', json('POST', input));

export function uploadEvidence(id: string, file: Blob, options: { kind: 'file' | 'voice'; name?: string; seconds?: number }) {
  const query = new URLSearchParams({ kind: options.kind });
  if (options.name) query.set('name', options.name);
  if (options.seconds !== undefined) query.set('seconds', String(Math.min(60, Math.max(0, Math.round(options.seconds)))));
  return api<{ entry: LogEntryView }>(`/log/entries/${encodeURIComponent(id)}/evidence?${query.toString()}`, {
    method: 'POST',
    body: file,
    headers: { 'Content-Type': file.type || 'application/octet-stream' },
  }).then((r) => r.entry);
}

export const removeEvidence = (id: string, evidenceId: string) =>
  api<{ entry: LogEntryView }>(`/log/entries/${encodeURIComponent(id)}/evidence/${encodeURIComponent(evidenceId)}`, {
    method: 'DELETE',
  }).then((r) => r.entry);
export const evidenceBlob = (id: string, evidenceId: string) =>
  apiBlob(`/log/entries/${encodeURIComponent(id)}/evidence/${encodeURIComponent(evidenceId)}`);

export const getHostRequest = (token: string) =>
  api<{ request: HostRequestView }>(`/host/${encodeURIComponent(token)}`).then((r) => r.request);
export const confirmHost = (token: string, input: { hostName?: string; feedback?: string }) =>
  api<{ confirmed: true }>(`/host/${encodeURIComponent(token)}`, json('POST', { confirmed: true, ...input }));
