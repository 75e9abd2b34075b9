/** Typed calls to the careers API (server/contract/careers.ts). */
import type {
  ClassSharedResponse,
  ClassSubjectResponse,
  ExplorationAggregateResponse,
  GroupResponse,
  GroupsResponse,
  OccupationPage,
  OpportunitiesResponse,
  Opportunity,
  OpportunityInput,
  PeopleAtWorkResponse,
  SavedOccupation,
  SavedOccupationsResponse,
  SaveOccupation,
  SearchResponse,
  SuggestionsRequest,
  SuggestionsResponse,
  ThemeResponse,
  ThemesResponse,
} from '../../../../server/contract/careers.js';
import { api } from '../../api/client.js';
import type { Lang } from './hooks.js';

const enc = encodeURIComponent;

export type ThemeKind = 'subjects' | 'interests';

export const careersApi = {
  search: (q: string, lang: Lang) =>
    api<SearchResponse>(`/careers/search?${new URLSearchParams({ q, lang, limit: '20' }).toString()}`),
  occupation: (id: string) => api<OccupationPage>(`/careers/occupations/${enc(id)}`),
  groups: () => api<GroupsResponse>('/careers/groups'),
  group: (code: string) => api<GroupResponse>(`/careers/groups/${enc(code)}`),
  themes: (kind: ThemeKind) => api<ThemesResponse>(`/careers/${kind}`),
  theme: (kind: ThemeKind, id: string) => api<ThemeResponse>(`/careers/${kind}/${enc(id)}`),
  people: () => api<PeopleAtWorkResponse>('/careers/people-at-work'),
  saved: () => api<SavedOccupationsResponse>('/careers/saved'),
  save: (input: SaveOccupation) => api<SavedOccupation>('/careers/saved', { method: 'POST', body: JSON.stringify(input) }),
  unsave: (id: string) => api<undefined>(`/careers/saved/${enc(id)}`, { method: 'DELETE' }),
  classSubject: (classId: string, subject: string) =>
    api<ClassSubjectResponse>(`/careers/classes/${enc(classId)}/subject?${new URLSearchParams({ subject }).toString()}`),
  classShared: (classId: string) => api<ClassSharedResponse>(`/careers/classes/${enc(classId)}/shared`),
  shareClassSubject: (classId: string, subject: string) =>
    api<ClassSharedResponse>(`/careers/classes/${enc(classId)}/shared`, { method: 'POST', body: JSON.stringify({ subject }) }),
  opportunities: () => api<OpportunitiesResponse>('/careers/opportunities'),
  opportunity: (id: string) => api<Opportunity>(`/careers/opportunities/${enc(id)}`),
  createOpportunity: (input: OpportunityInput) =>
    api<Opportunity>('/careers/opportunities', { method: 'POST', body: JSON.stringify(input) }),
  updateOpportunity: (id: string, input: OpportunityInput) =>
    api<Opportunity>(`/careers/opportunities/${enc(id)}`, { method: 'PUT', body: JSON.stringify(input) }),
  removeOpportunity: (id: string) => api<undefined>(`/careers/opportunities/${enc(id)}`, { method: 'DELETE' }),
  insights: () => api<ExplorationAggregateResponse>('/careers/insights'),
  suggestions: (input: SuggestionsRequest = {}) =>
    api<SuggestionsResponse>('/careers/suggestions', { method: 'POST', body: JSON.stringify(input) }),
};

/** The occupation id used in URLs: the last segment of the ESCO URI. */
export const idOf = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);
