import { useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  CareersLimits,
  type LabourFigure,
  type LabourMarket,
  type OccupationPage as Page,
  type Opportunity,
  type RelatedOccupation,
  type Routes,
  type SkillRef,
} from '../../../../server/contract/careers.js';
import { ApiError } from '../../api/client.js';
import { useSession } from '../../session.js';
import { careersApi } from './api.js';
import { useLang, useLoad, useOrigin, useTitle, type Lang } from './hooks.js';
import { AttributionNote, LoadState, OccupationLink } from './parts.js';
import { returnCareerSelection } from './selection.js';
import { Tabs } from './Tabs.js';

const OTHER: Record<Lang, Lang> = { en: 'nl', nl: 'en' };
const SKILLS_SHOWN = 12;

/** What a job involves, the skills it needs, how to get in, US figures where they exist, and local opportunities. */
export function OccupationPage() {
  const { id = '' } = useParams();
  const lang = useLang();
  const [state, setState] = useLoad<Page>(id, () => careersApi.occupation(id));
  useTitle(state.status === 'ready' ? state.data.title[lang] : null);
  return (
    <LoadState state={state}>
      {(page) => <OccupationView page={page} lang={lang} onSaved={(saved) => setState({ ...page, saved })} />}
    </LoadState>
  );
}

function OccupationView({ page, lang, onSaved }: { page: Page; lang: Lang; onSaved: (saved: Page['saved']) => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const isPupil = session.status === 'ready' && session.session.user.role === 'pupil';
  const unit = page.groupPath[page.groupPath.length - 1];
  return (
    <article className="stack">
      <h1>{page.title[lang]}</h1>
      <p className="lead">
        {unit ? t('careers.occupation.group', { group: unit.title[lang] }) : null}{' '}
        {page.regulated.isRegulated ? <span className="careers-badge">{t('careers.occupation.regulatedBadge')}</span> : null}
      </p>

      <section className="careers-section" aria-labelledby="occ-work">
        <h2 id="occ-work">{t('careers.occupation.work')}</h2>
        <p className="careers-saved-note">{page.description[lang]}</p>
        <AlternativeTitles page={page} lang={lang} />
      </section>

      {isPupil ? <SaveForm page={page} lang={lang} onSaved={onSaved} /> : null}

      <Skills page={page} />

      <section className="careers-section" aria-labelledby="occ-regulated">
        <h2 id="occ-regulated">{t('careers.occupation.regulatedTitle')}</h2>
        <p>{page.regulated.isRegulated ? t('careers.occupation.regulatedYes') : t('careers.occupation.regulatedNo')}</p>
        {page.regulated.note ? <p>{page.regulated.note[lang]}</p> : null}
      </section>

      <RoutesIn routes={page.routes} lang={lang} />

      {page.labourMarket ? <Figures market={page.labourMarket} lang={lang} /> : null}

      <Opportunities items={page.opportunities} occupationId={page.id} />

      <Related page={page} />

      <AttributionNote items={page.attribution} />
    </article>
  );
}

function AlternativeTitles({ page, lang }: { page: Page; lang: Lang }) {
  const { t } = useTranslation();
  const mine = page.alternativeTitles[lang];
  const other = page.alternativeTitles[OTHER[lang]];
  if (mine.length === 0 && other.length === 0) return null;
  return (
    <>
      <h3>{t('careers.occupation.alternativeTitles')}</h3>
      {mine.length > 0 ? (
        <ul className="careers-tags">
          {mine.map((title) => (
            <li key={title}>{title}</li>
          ))}
        </ul>
      ) : null}
      {other.length > 0 ? (
        <details>
          <summary>
            {t(`careers.occupation.alternativeIn.${OTHER[lang]}`)} ({other.length})
          </summary>
          <ul className="careers-tags" lang={OTHER[lang]}>
            {other.map((title) => (
              <li key={title}>{title}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

/** Skill names exist only in English: each list carries lang="en" (WCAG 3.1.2). Transversal skills come first. */
function SkillList({ skills, label }: { skills: SkillRef[]; label: string }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const sorted = [...skills].sort((a, b) => Number(b.transversal) - Number(a.transversal));
  const shown = all ? sorted : sorted.slice(0, SKILLS_SHOWN);
  return (
    <>
      <ul className="careers-tags" aria-label={label}>
        {shown.map((skill) => (
          <li key={skill.uri} className={skill.transversal ? 'careers-skill--transversal' : undefined}>
            {skill.transversal ? <span aria-hidden="true">★ </span> : null}
            <span className="careers-skill__name" lang={skill.lang}>
              {skill.label}
            </span>
            {skill.transversal ? <span className="visually-hidden"> ({t('careers.occupation.transversalShort')})</span> : null}
          </li>
        ))}
      </ul>
      {sorted.length > SKILLS_SHOWN ? (
        <button type="button" className="careers-link-button" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('careers.occupation.showFewer') : t('careers.occupation.showAll', { count: sorted.length })}
        </button>
      ) : null}
    </>
  );
}

function Skills({ page }: { page: Page }) {
  const { t } = useTranslation();
  const { essential, optional } = page.skills;
  if (essential.length === 0 && optional.length === 0) return null;
  const hasTransversal = [...essential, ...optional].some((s) => s.transversal);
  return (
    <section className="careers-section" aria-labelledby="occ-skills">
      <h2 id="occ-skills">{t('careers.occupation.skills')}</h2>
      <p className="careers-hint">{t('careers.occupation.skillsEnglish')}</p>
      {hasTransversal ? (
        <p className="careers-legend">
          <span className="careers-legend__sample" aria-hidden="true">
            ★
          </span>{' '}
          {t('careers.occupation.transversalLegend')}
        </p>
      ) : null}
      {essential.length > 0 ? (
        <>
          <h3>{t('careers.occupation.essential')}</h3>
          <SkillList skills={essential} label={t('careers.occupation.essential')} />
        </>
      ) : null}
      {optional.length > 0 ? (
        <>
          <h3>{t('careers.occupation.optional')}</h3>
          <SkillList skills={optional} label={t('careers.occupation.optional')} />
        </>
      ) : null}
    </section>
  );
}

const COUNTRY_KEYS = { NL: 'nl', England: 'england', 'US-Canada': 'usCanada' } as const;

function RoutesIn({ routes, lang }: { routes: Routes; lang: Lang }) {
  const { t } = useTranslation();
  if (routes.countries.length === 0) return null;
  return (
    <section className="careers-section" aria-labelledby="occ-routes">
      <h2 id="occ-routes">{t('careers.occupation.routes')}</h2>
      <p>{t('careers.occupation.skillLevel', { level: routes.skillLevelLabel[lang] })}</p>
      <p className="careers-note">{routes.note[lang]}</p>
      <Tabs
        label={t('careers.occupation.routesByCountry')}
        tabs={routes.countries.map((route) => ({
          id: COUNTRY_KEYS[route.country],
          label: t(`careers.occupation.country.${COUNTRY_KEYS[route.country]}`),
          content: (
            <div className="stack">
              <h3>{route.title[lang]}</h3>
              {route.paths.map((path, i) => (
                <div key={i}>
                  {route.paths.length > 1 ? <h4>{t('careers.occupation.pathN', { n: i + 1 })}</h4> : null}
                  <ol className="careers-steps">
                    {path.steps.map((step, j) => (
                      <li key={j}>
                        <strong>{step.label[lang]}</strong>: {step.detail[lang]}
                      </li>
                    ))}
                  </ol>
                </div>
              ))}
            </div>
          ),
        }))}
      />
    </section>
  );
}

function formatFigure(figure: LabourFigure, lang: Lang, t: (key: string, options?: Record<string, unknown>) => string): string {
  const locale = lang === 'nl' ? 'nl-NL' : 'en-US';
  switch (figure.unit) {
    case 'usd_per_year': {
      const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(
        figure.value,
      );
      return figure.topCoded ? t('careers.figures.atLeast', { value: money }) : t('careers.figures.perYear', { value: money });
    }
    case 'percent':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(
        figure.value / 100,
      );
    default:
      return t('careers.figures.jobs', {
        value: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(figure.value * 1000),
      });
  }
}

/** US figures only, each with country, source and year, and a plain sentence that they are not Dutch or British. */
function Figures({ market, lang }: { market: LabourMarket; lang: Lang }) {
  const { t } = useTranslation();
  const entry = market.entry;
  return (
    <section className="careers-section" aria-labelledby="occ-figures">
      <h2 id="occ-figures">{t('careers.figures.title')}</h2>
      <p className="careers-note">
        <strong>{t('careers.figures.usOnly')}</strong> {market.note[lang]}
      </p>
      <p className="careers-hint">
        {t('careers.figures.basedOn')} <span lang="en">{market.soc.title}</span> (SOC {market.soc.code})
        {market.via === 'broader' ? ` ${t('careers.figures.viaBroader')}` : ''}
      </p>
      <div className="careers-table-wrap">
        <table className="careers-figures">
          <caption>
            {t('careers.figures.caption', { country: t('careers.figures.us'), source: market.source, year: market.year })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('careers.figures.what')}</th>
              <th scope="col">{t('careers.figures.value')}</th>
              <th scope="col">{t('careers.figures.sourceYear')}</th>
            </tr>
          </thead>
          <tbody>
            {market.figures.map((figure) => (
              <tr key={figure.id}>
                <th scope="row">{figure.label[lang]}</th>
                <td>{formatFigure(figure, lang, t)}</td>
                <td>
                  {t('careers.figures.us')}, <span lang="en">{figure.source}</span>, {figure.year}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entry.education || entry.workExperience || entry.training ? (
        <>
          <h3>{t('careers.figures.entryTitle')}</h3>
          <dl className="careers-facts">
            {entry.education ? (
              <>
                <dt>{t('careers.figures.education')}</dt>
                <dd lang={entry.lang}>{entry.education}</dd>
              </>
            ) : null}
            {entry.workExperience ? (
              <>
                <dt>{t('careers.figures.experience')}</dt>
                <dd lang={entry.lang}>{entry.workExperience}</dd>
              </>
            ) : null}
            {entry.training ? (
              <>
                <dt>{t('careers.figures.training')}</dt>
                <dd lang={entry.lang}>{entry.training}</dd>
              </>
            ) : null}
          </dl>
          <p className="careers-hint">
            {t('careers.figures.us')}, <span lang="en">{entry.source}</span>, {entry.year}
          </p>
        </>
      ) : null}
    </section>
  );
}

function Opportunities({ items, occupationId }: { items: Opportunity[]; occupationId: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const role = session.status === 'ready' ? session.session.user.role : null;
  const isPupil = role === 'pupil';
  const date = (iso: string) =>
    new Date(iso).toLocaleDateString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium' });
  return (
    <section className="careers-section" aria-labelledby="occ-local">
      <h2 id="occ-local">{t('careers.opportunities.title')}</h2>
      {items.length === 0 ? (
        <p>{t('careers.opportunities.none')}</p>
      ) : (
        <ul className="careers-results">
          {items.map((o) => (
            <li key={o.id} className="card">
              <h3>{o.title}</h3>
              <p className="meta">
                {t(`careers.opportunities.kind.${o.kind}`)} · {o.employer}
                {o.location ? ` · ${o.location}` : ''}
              </p>
              {o.startsOn ? (
                <p className="meta">
                  {o.endsOn && o.endsOn !== o.startsOn
                    ? t('careers.opportunities.dates', { from: date(o.startsOn), to: date(o.endsOn) })
                    : date(o.startsOn)}
                </p>
              ) : null}
              {o.description ? <p className="careers-saved-note">{o.description}</p> : null}
              {o.contact ? <p>{t('careers.opportunities.contact', { contact: o.contact })}</p> : null}
              {o.url ? (
                <p>
                  <a href={o.url} target="_blank" rel="noopener noreferrer">
                    {t('careers.opportunities.more', { employer: o.employer })}
                    <span className="visually-hidden"> {t('careers.newWindow')}</span>
                  </a>
                </p>
              ) : null}
              {isPupil ? (
                <p>
                  <Link className="button button--secondary" to={`/pupil/log/new?opportunity=${encodeURIComponent(o.id)}`}>
                    {t('careers.opportunities.tookUp')}
                    <span className="visually-hidden"> {t('careers.opportunities.tookUpWhat', { title: o.title })}</span>
                  </Link>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <p className="careers-hint">{t('careers.opportunities.fromSchool')}</p>
      {role === 'teacher' || role === 'planner' ? (
        <p>
          <Link to={`/careers/opportunities?occupation=${encodeURIComponent(occupationId)}`}>
            {t('careers.opportunities.addForThis')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

function Related({ page }: { page: Page }) {
  const { t } = useTranslation();
  const list = (items: RelatedOccupation[], shared: boolean) => (
    <ul className="careers-grid">
      {items.map((o) => (
        <li key={o.id}>
          <OccupationLink occupation={o} />
          {shared && o.sharedEssentialSkills > 0 ? (
            <span className="careers-hint"> {t('careers.occupation.sharedSkills', { count: o.sharedEssentialSkills })}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
  const { sameGroup, sharedSkills } = page.related;
  if (sameGroup.length === 0 && sharedSkills.length === 0) return null;
  return (
    <section className="careers-section" aria-labelledby="occ-related">
      <h2 id="occ-related">{t('careers.occupation.related')}</h2>
      {sharedSkills.length > 0 ? (
        <>
          <h3>{t('careers.occupation.relatedSkills')}</h3>
          {list(sharedSkills, true)}
        </>
      ) : null}
      {sameGroup.length > 0 ? (
        <>
          <h3>{t('careers.occupation.relatedGroup')}</h3>
          {list(sameGroup, false)}
        </>
      ) : null}
    </section>
  );
}

/** "Save with a note": the pupil's favourites; opened from a research activity it also returns the choice there. */
function SaveForm({ page, lang, onSaved }: { page: Page; lang: Lang; onSaved: (saved: Page['saved']) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { origin } = useOrigin();
  const noteId = useId();
  const hintId = useId();
  const [note, setNote] = useState(page.saved.note ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = (event: SyntheticEvent<HTMLFormElement, SubmitEvent>) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    careersApi
      .save({ uri: page.uri, note, ...(origin ? { from: { moduleId: origin.moduleId, activityId: origin.activityId } } : {}) })
      .then(
        (saved) => {
          onSaved({ isSaved: true, note: saved.note });
          if (origin) {
            returnCareerSelection(navigate, origin, { uri: page.uri, title: page.title[lang], lang, note: saved.note });
            return;
          }
          setBusy(false);
          setMessage({ ok: true, text: t('careers.save.saved') });
        },
        (err: unknown) => {
          setBusy(false);
          setMessage({
            ok: false,
            text:
              err instanceof ApiError && err.code === 'invalid_request' ? t('careers.save.invalid') : t('careers.save.failed'),
          });
        },
      );
  };

  const remove = () => {
    setBusy(true);
    setMessage(null);
    careersApi.unsave(page.id).then(
      () => {
        setBusy(false);
        setNote('');
        onSaved({ isSaved: false, note: null });
        setMessage({ ok: true, text: t('careers.save.removed') });
      },
      () => {
        setBusy(false);
        setMessage({ ok: false, text: t('careers.save.failed') });
      },
    );
  };

  return (
    <section className="careers-section" aria-labelledby="occ-save">
      <h2 id="occ-save">{origin ? t('careers.save.titleActivity') : t('careers.save.title')}</h2>
      <form className="stack" onSubmit={submit}>
        <div className="careers-field">
          <label htmlFor={noteId}>{t('careers.save.note')}</label>
          <p id={hintId} className="careers-hint">
            {t('careers.save.noteHint', { max: CareersLimits.noteMaxLength })}
          </p>
          <textarea
            id={noteId}
            className="careers-input"
            rows={4}
            value={note}
            maxLength={CareersLimits.noteMaxLength}
            aria-describedby={hintId}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        <div className="careers-actions">
          <button type="submit" className="button" disabled={busy}>
            {origin ? t('careers.save.submitActivity') : page.saved.isSaved ? t('careers.save.update') : t('careers.save.submit')}
          </button>
          {page.saved.isSaved ? (
            <button type="button" className="button button--secondary" disabled={busy} onClick={remove}>
              {t('careers.save.remove')}
            </button>
          ) : null}
        </div>
        <p role="status" className={message?.ok === false ? 'error' : 'careers-ok'}>
          {message?.text ?? (page.saved.isSaved ? t('careers.save.already') : '')}
        </p>
      </form>
    </section>
  );
}
