import { useSession } from '../../session.js';
import { PeoplePage } from './PeoplePage.js';
import { SearchPage } from './SearchPage.js';

/** /careers: ages 5-11 (stages S1, S2) see people at work; older pupils and staff start with search. */
export function CareersHome() {
  const session = useSession();
  const stage = session.status === 'ready' ? session.session.stage : null;
  return stage === 'S1' || stage === 'S2' ? <PeoplePage /> : <SearchPage />;
}
