/** The player's calls to the progress API (shapes from server/contract/progress.ts). */
import { api } from '../../api/client.js';
import type { AttemptView, CompleteModule, MyProgress, SaveResult } from '../../../../server/contract/progress.js';
import type { PupilModule } from './types.js';

export type { AttemptView, MyModule, MyProgress, SaveResult } from '../../../../server/contract/progress.js';

const base = (moduleId: string) => `/progress/modules/${encodeURIComponent(moduleId)}`;

export const getAttempt = (moduleId: string) => api<AttemptView>(base(moduleId));

export const getModule = (moduleId: string, version?: number) =>
  api<{ module: PupilModule }>(`/modules/${encodeURIComponent(moduleId)}${version ? `?version=${version}` : ''}`).then(
    (r) => r.module,
  );

export const saveAnswer = (moduleId: string, activityId: string, answer: unknown, clientSeq: number) =>
  api<SaveResult>(`${base(moduleId)}/activities/${encodeURIComponent(activityId)}`, {
    method: 'PUT',
    body: JSON.stringify({ answer, clientSeq }),
    keepalive: true,
  });

export const completeModule = (moduleId: string, body: CompleteModule) =>
  api<AttemptView>(`${base(moduleId)}/complete`, { method: 'POST', body: JSON.stringify(body) });

export const getMyProgress = () => api<MyProgress>('/progress/me');
