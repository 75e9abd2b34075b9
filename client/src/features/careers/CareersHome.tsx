import { useTranslation } from 'react-i18next';
import type { ClassSharedResponse } from '../../../../server/contract/careers.js';
import { useSession } from '../../session.js';
import { careersApi } from './api.js';
import { useLang, useLoad } from './hooks.js';
import { AttributionNote, OccupationGrid } from './parts.js';
import { PeoplePage } from './PeoplePage.js';
import { SearchPage } from './SearchPage.js';

/** /careers: ages 5-11 (stages S1, S2) see people at work; older pupils and staff start with search. */
export function CareersHome() {
  const session = useSession();
  const ready = session.status === 'ready' ? session.session : null;
  const stage = ready?.stage ?? null;
  const sharedFor = ready?.user.role === 'pupil' ? (ready.class?.id ?? null) : null;
  return (
    <>
      {stage === 'S1' || stage === 'S2' ? <PeoplePage /> : <SearchPage />}
      {sharedFor ? <SharedWithClass classId={sharedFor} /> : null}
    </>
  );
}

/** The jobs linked to a subject that the pupil's teacher shared with their class (nothing when none is shared). */
function SharedWithClass({ classId }: { classId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [state] = useLoad<ClassSharedResponse>(`shared/${classId}`, () => careersApi.classShared(classId));
  if (state.status !== 'ready' || !state.data.shared) return null;
  const { subject, groups } = state.data.shared;
  return (
    <section className="careers-section careers-shared" aria-labelledby="careers-shared">
      <h2 id="careers-shared">{t('careers.shared.title', { subject: subject.title[lang] })}</h2>
      <p>{t('careers.shared.intro', { subject: subject.title[lang] })}</p>
      {groups.map(({ group, occupations }) => (
        <section key={group.code} aria-labelledby={`shared-${group.code}`}>
          <h3 id={`shared-${group.code}`}>{group.title[lang]}</h3>
          <OccupationGrid occupations={occupations} />
        </section>
      ))}
      <AttributionNote items={state.data.attribution} />
    </section>
  );
}
