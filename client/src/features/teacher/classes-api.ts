/** Typed calls to the class view API (server/contract/classes.ts). */
import type { AssignModule, AssignmentView, ClassOverview, PupilModuleWork } from '../../../../server/contract/classes.js';
import { api, apiBlob, saveBlob } from '../../api/client.js';

const base = (classId: string) => `/classes/${encodeURIComponent(classId)}`;

export const getOverview = (classId: string) => api<ClassOverview>(`${base(classId)}/overview`);

export const assignModule = (classId: string, input: AssignModule) =>
  api<{ assignment: AssignmentView }>(`${base(classId)}/assignments`, { method: 'POST', body: JSON.stringify(input) });

export const unassignModule = (classId: string, moduleId: string) =>
  api<undefined>(`${base(classId)}/assignments/${encodeURIComponent(moduleId)}`, { method: 'DELETE' });

const workPath = (classId: string, pupilId: string, moduleId: string) =>
  `${base(classId)}/pupils/${encodeURIComponent(pupilId)}/modules/${encodeURIComponent(moduleId)}`;

export const getPupilWork = (classId: string, pupilId: string, moduleId: string) =>
  api<PupilModuleWork>(workPath(classId, pupilId, moduleId));

export const sendFeedback = (classId: string, pupilId: string, moduleId: string, text: string) =>
  api<PupilModuleWork>(`${workPath(classId, pupilId, moduleId)}/feedback`, { method: 'POST', body: JSON.stringify({ text }) });

/** The CSV needs the bearer token, so it is fetched and handed to the browser as a file. */
export async function downloadCsv(classId: string, fileName: string): Promise<void> {
  saveBlob(await apiBlob(`${base(classId)}/export.csv`), fileName);
}
