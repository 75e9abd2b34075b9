/** The player's calls to the progress API (shapes from server/contract/progress.ts). */
import { api } from '../../api/client.js';
import type { PupilModule } from './types.js';

// PROVISIONAL until server/contract/progress.ts lands.
export interface ActivityProgress {
  answer: unknown;
  seq: number;
  status: 'in-progress' | 'completed';
  feedback?: unknown;
  score?: number | null;
}
export interface AttemptView {
  moduleId: string;
  moduleVersion: number;
  status: 'not-started' | 'in-progress' | 'completed';
  activities: Record<string, ActivityProgress>;
  rating?: number | null;
}
export interface SaveResult {
  savedAt: string;
  seq: number;
  status: 'in-progress' | 'completed';
  feedback?: unknown;
  score?: number | null;
}

const base = (moduleId: string) => `/progress/modules/${encodeURIComponent(moduleId)}`;

export const getAttempt = (moduleId: string) => api<AttemptView>(base(moduleId));

export const getModule = (moduleId: string, version?: number) =>
  api<{ module: PupilModule }>(`/modules/${encodeURIComponent(moduleId)}${version ? `?version=${version}` : ''}`).then((r) => r.module);

export const saveAnswer = (moduleId: string, activityId: string, answer: unknown, clientSeq: number) =>
  api<SaveResult>(`${base(moduleId)}/activities/${encodeURIComponent(activityId)}`, {
    method: 'PUT',
    body: JSON.stringify({ answer, clientSeq }),
    keepalive: true,
  });

export const completeModule = (moduleId: string, body: { rating?: number; comment?: string }) =>
  api<unknown>(`${base(moduleId)}/complete`, { method: 'POST', body: JSON.stringify(body) });

export interface MyModule {
  moduleId: string;
  title: { en: string; nl: string };
  summary?: { en: string; nl: string };
  assigned: boolean;
  dueAt?: string | null;
  status: 'not-started' | 'in-progress' | 'completed';
  activitiesDone: number;
  activitiesTotal: number;
}

export const getMyProgress = () => api<{ modules: MyModule[] }>('/progress/me').then((r) => r.modules);
