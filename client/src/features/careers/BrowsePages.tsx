import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { GroupResponse, GroupsResponse, ThemeResponse, ThemesResponse } from '../../../../server/contract/careers.js';
import { careersApi, type ThemeKind } from './api.js';
import { useLang, useLoad, useOrigin, useTitle } from './hooks.js';
import { AttributionNote, LoadState, OccupationGrid } from './parts.js';

/** Three ways in: by occupation group (ISCO-08), by school subject, by what I like doing. */
export function BrowsePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { to } = useOrigin();
  useTitle(t('careers.browse.title'));
  const [groups] = useLoad<GroupsResponse>('groups', () => careersApi.groups());
  const [subjects] = useLoad<ThemesResponse>('subjects', () => careersApi.themes('subjects'));
  const [interests] = useLoad<ThemesResponse>('interests', () => careersApi.themes('interests'));
  return (
    <div className="stack">
      <h1>{t('careers.browse.title')}</h1>
      <p className="lead">{t('careers.browse.intro')}</p>

      <section className="careers-section" aria-labelledby="browse-subjects">
        <h2 id="browse-subjects">{t('careers.browse.bySubject')}</h2>
        <LoadState inline state={subjects}>
          {(data) => <ThemeLinks kind="subjects" data={data} />}
        </LoadState>
      </section>

      <section className="careers-section" aria-labelledby="browse-interests">
        <h2 id="browse-interests">{t('careers.browse.byInterest')}</h2>
        <LoadState inline state={interests}>
          {(data) => <ThemeLinks kind="interests" data={data} />}
        </LoadState>
      </section>

      <section className="careers-section" aria-labelledby="browse-groups">
        <h2 id="browse-groups">{t('careers.browse.byGroup')}</h2>
        <p className="careers-hint">{t('careers.browse.groupsHint')}</p>
        <LoadState inline state={groups}>
          {(data) => (
            <>
              <ul className="careers-grid">
                {data.groups.map((g) => (
                  <li key={g.code}>
                    <Link to={to(`/careers/browse/groups/${g.code}`)}>{g.title[lang]}</Link>
                    <span className="careers-hint"> {t('careers.browse.count', { count: g.occupationCount })}</span>
                  </li>
                ))}
              </ul>
              <AttributionNote items={data.attribution} />
            </>
          )}
        </LoadState>
      </section>
    </div>
  );
}

function ThemeLinks({ kind, data }: { kind: ThemeKind; data: ThemesResponse }) {
  const lang = useLang();
  const { to } = useOrigin();
  return (
    <ul className="careers-grid">
      {data.themes.map((theme) => (
        <li key={theme.id}>
          <Link to={to(`/careers/browse/${kind}/${theme.id}`)}>{theme.title[lang]}</Link>
          <span className="careers-hint"> {theme.blurb[lang]}</span>
        </li>
      ))}
    </ul>
  );
}

/** One ISCO-08 group: its place in the tree, its child groups and the occupations in it. */
export function GroupPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const { to } = useOrigin();
  const [state] = useLoad<GroupResponse>(code, () => careersApi.group(code));
  useTitle(state.status === 'ready' ? state.data.group.title[lang] : null);
  return (
    <LoadState state={state}>
      {(data) => (
        <div className="stack">
          <nav aria-label={t('careers.browse.breadcrumb')}>
            <ol className="careers-crumbs">
              <li>
                <Link to={to('/careers/browse')}>{t('careers.browse.title')}</Link>
              </li>
              {data.path
                .filter((p) => p.code !== data.group.code)
                .map((p) => (
                  <li key={p.code}>
                    <Link to={to(`/careers/browse/groups/${p.code}`)}>{p.title[lang]}</Link>
                  </li>
                ))}
            </ol>
          </nav>
          <h1>{data.group.title[lang]}</h1>
          {data.group.description ? <p className="lead">{data.group.description[lang]}</p> : null}
          {data.group.children.length > 0 ? (
            <section className="careers-section" aria-labelledby="group-children">
              <h2 id="group-children">{t('careers.browse.subgroups')}</h2>
              <ul className="careers-grid">
                {data.group.children.map((c) => (
                  <li key={c.code}>
                    <Link to={to(`/careers/browse/groups/${c.code}`)}>{c.title[lang]}</Link>
                    <span className="careers-hint"> {t('careers.browse.count', { count: c.occupationCount })}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section className="careers-section" aria-labelledby="group-occupations">
            <h2 id="group-occupations">{t('careers.browse.occupations', { count: data.occupations.length })}</h2>
            <OccupationGrid occupations={data.occupations} />
          </section>
          <AttributionNote items={data.attribution} />
        </div>
      )}
    </LoadState>
  );
}

/** A school subject ("Where can maths take me?") or an interest, with example occupations per group. */
export function ThemePage({ kind }: { kind: ThemeKind }) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const { to } = useOrigin();
  const [state] = useLoad<ThemeResponse>(`${kind}/${id}`, () => careersApi.theme(kind, id));
  const title =
    state.status === 'ready'
      ? kind === 'subjects'
        ? t('careers.browse.subjectTitle', { subject: state.data.theme.title[lang] })
        : state.data.theme.title[lang]
      : null;
  useTitle(title);
  return (
    <LoadState state={state}>
      {(data) => (
        <div className="stack">
          <p>
            <Link to={to('/careers/browse')}>{t('careers.browse.back')}</Link>
          </p>
          <h1>{title}</h1>
          <p className="lead">{data.theme.blurb[lang]}</p>
          {data.groups.map(({ group, why, occupations }) => (
            <section key={group.code} className="careers-section" aria-labelledby={`theme-${group.code}`}>
              <h2 id={`theme-${group.code}`}>{group.title[lang]}</h2>
              <p>{why[lang]}</p>
              <OccupationGrid occupations={occupations} />
              <p>
                <Link to={to(`/careers/browse/groups/${group.code}`)}>
                  {t('careers.browse.allInGroup', { group: group.title[lang] })}
                </Link>
              </p>
            </section>
          ))}
          <AttributionNote items={data.attribution} />
        </div>
      )}
    </LoadState>
  );
}
