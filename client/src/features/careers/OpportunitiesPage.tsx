import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  CareersLimits,
  OpportunityKind,
  type OccupationRef,
  type OpportunitiesResponse,
  type Opportunity,
  type OpportunityInput,
} from '../../../../server/contract/careers.js';
import { ApiError } from '../../api/client.js';
import { careersApi } from './api.js';
import { useLang, useLoad, useTitle } from './hooks.js';
import { LoadState, OccupationLink } from './parts.js';

type Linked = Pick<OccupationRef, 'id' | 'uri' | 'title'>;

interface Draft {
  kind: OpportunityKind;
  title: string;
  employer: string;
  description: string;
  location: string;
  url: string;
  contact: string;
  startsOn: string;
  endsOn: string;
  occupations: Linked[];
}

const emptyDraft = (): Draft => ({
  kind: 'work-experience',
  title: '',
  employer: '',
  description: '',
  location: '',
  url: '',
  contact: '',
  startsOn: '',
  endsOn: '',
  occupations: [],
});

const draftOf = (o: Opportunity): Draft => ({
  kind: o.kind,
  title: o.title,
  employer: o.employer,
  description: o.description,
  location: o.location ?? '',
  url: o.url ?? '',
  contact: o.contact ?? '',
  startsOn: o.startsOn ?? '',
  endsOn: o.endsOn ?? '',
  occupations: o.occupations,
});

const orNull = (v: string) => (v.trim() ? v.trim() : null);

function inputOf(d: Draft): OpportunityInput {
  return {
    kind: d.kind,
    title: d.title.trim(),
    employer: d.employer.trim(),
    description: d.description.trim(),
    location: orNull(d.location),
    url: orNull(d.url),
    contact: orNull(d.contact),
    startsOn: orNull(d.startsOn),
    endsOn: orNull(d.endsOn),
    occupationUris: d.occupations.map((o) => o.uri),
  };
}

type Field = 'title' | 'employer' | 'url' | 'endsOn' | 'occupations';

/** The contract's rules, checked before sending so each problem is named next to its field. */
function check(d: Draft): Field[] {
  const bad: Field[] = [];
  if (!d.title.trim()) bad.push('title');
  if (!d.employer.trim()) bad.push('employer');
  if (d.url.trim() && !/^https?:\/\/\S+\.\S+/.test(d.url.trim())) bad.push('url');
  if (d.startsOn && d.endsOn && d.endsOn < d.startsOn) bad.push('endsOn');
  if (d.occupations.length === 0) bad.push('occupations');
  return bad;
}

/** Planners and teachers: the school's local employers and opportunities, each linked to occupations. */
export function OpportunitiesPage() {
  const { t } = useTranslation();
  useTitle(t('careers.manage.title'));
  const [state, setData] = useLoad<OpportunitiesResponse>('opportunities', () => careersApi.opportunities());
  const [editing, setEditing] = useState<Opportunity | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [status, setStatus] = useState('');
  const formRef = useRef<HTMLElement>(null);

  const list = state.status === 'ready' ? state.data.opportunities : [];
  const startEdit = (o: Opportunity) => {
    setEditing(o);
    setFormKey((k) => k + 1);
    setStatus('');
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('h2')?.focus());
  };
  const done = (saved: Opportunity, created: boolean) => {
    setData({ opportunities: [saved, ...list.filter((o) => o.id !== saved.id)] });
    setEditing(null);
    setFormKey((k) => k + 1);
    setStatus(t(created ? 'careers.manage.added' : 'careers.manage.updated', { title: saved.title }));
  };
  const removed = (o: Opportunity) => {
    setData({ opportunities: list.filter((x) => x.id !== o.id) });
    if (editing?.id === o.id) {
      setEditing(null);
      setFormKey((k) => k + 1);
    }
    setStatus(t('careers.manage.removed', { title: o.title }));
  };

  return (
    <div className="stack">
      <h1>{t('careers.manage.title')}</h1>
      <p className="lead">{t('careers.manage.intro')}</p>
      <p role="status" className="careers-ok">
        {status}
      </p>
      <section className="careers-section" aria-labelledby="opp-list">
        <h2 id="opp-list">{t('careers.manage.listTitle')}</h2>
        <LoadState inline state={state}>
          {(data) =>
            data.opportunities.length === 0 ? (
              <p>{t('careers.manage.empty')}</p>
            ) : (
              <ul className="careers-results careers-opportunities">
                {data.opportunities.map((o) => (
                  <OpportunityItem key={o.id} item={o} onEdit={startEdit} onRemoved={removed} />
                ))}
              </ul>
            )
          }
        </LoadState>
      </section>
      <section className="careers-section" aria-labelledby="opp-form" ref={formRef}>
        <h2 id="opp-form" tabIndex={-1}>
          {editing ? t('careers.manage.editTitle', { title: editing.title }) : t('careers.manage.addTitle')}
        </h2>
        <OpportunityForm
          key={formKey}
          editing={editing}
          onSaved={done}
          onCancel={() => {
            setEditing(null);
            setFormKey((k) => k + 1);
          }}
        />
      </section>
    </div>
  );
}

function OpportunityItem({
  item,
  onEdit,
  onRemoved,
}: {
  item: Opportunity;
  onEdit: (o: Opportunity) => void;
  onRemoved: (o: Opportunity) => void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const remove = () => {
    setBusy(true);
    setFailed(false);
    careersApi.removeOpportunity(item.id).then(
      () => onRemoved(item),
      () => {
        setBusy(false);
        setFailed(true);
      },
    );
  };
  return (
    <li className="card">
      <h3>{item.title}</h3>
      <p className="meta">
        {t(`careers.opportunities.kind.${item.kind}`)} · {item.employer}
        {item.location ? ` · ${item.location}` : ''}
        {item.startsOn ? ` · ${item.startsOn}${item.endsOn && item.endsOn !== item.startsOn ? ` – ${item.endsOn}` : ''}` : ''}
      </p>
      <p>{t('careers.manage.linkedTo')}</p>
      <ul className="careers-tags">
        {item.occupations.map((o) => (
          <li key={o.id}>
            <OccupationLink occupation={o} />
          </li>
        ))}
      </ul>
      <div className="careers-actions">
        {confirming ? (
          <>
            <button type="button" className="button" disabled={busy} onClick={remove}>
              {t('careers.manage.confirmRemove', { title: item.title })}
            </button>
            <button type="button" className="button button--secondary" disabled={busy} onClick={() => setConfirming(false)}>
              {t('careers.manage.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button button--secondary" onClick={() => onEdit(item)}>
              {t('careers.manage.edit')}
              <span className="visually-hidden"> {item.title}</span>
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
              {t('careers.manage.remove')}
              <span className="visually-hidden"> {item.title}</span>
            </button>
          </>
        )}
      </div>
      {failed ? <p className="error">{t('careers.manage.failed')}</p> : null}
    </li>
  );
}

function OpportunityForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing: Opportunity | null;
  onSaved: (o: Opportunity, created: boolean) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const base = useId();
  const [draft, setDraft] = useState<Draft>(() => (editing ? draftOf(editing) : emptyDraft()));
  // Opened from an occupation page ("Add an opportunity for this job"): that job is linked already.
  const [search] = useSearchParams();
  const preset = editing ? null : search.get('occupation');
  useEffect(() => {
    if (!preset) return;
    let live = true;
    careersApi.occupation(preset).then(
      (o) => {
        if (live)
          setDraft((d) =>
            d.occupations.some((x) => x.id === o.id)
              ? d
              : { ...d, occupations: [...d.occupations, { id: o.id, uri: o.uri, title: o.title }] },
          );
      },
      () => undefined, // an unknown id links nothing; the picker is still there
    );
    return () => {
      live = false;
    };
  }, [preset]);
  const [invalid, setInvalid] = useState<Field[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const id = (name: string) => `${base}-${name}`;
  const errorOf = (field: Field) =>
    invalid.includes(field) ? (
      <p id={id(`${field}-error`)} className="error">
        {t(`careers.manage.invalid.${field}`)}
      </p>
    ) : null;
  const described = (field: Field, hint?: string) =>
    [hint, invalid.includes(field) ? id(`${field}-error`) : undefined].filter(Boolean).join(' ') || undefined;

  const submit = (event: SyntheticEvent<HTMLFormElement, SubmitEvent>) => {
    event.preventDefault();
    const bad = check(draft);
    setInvalid(bad);
    setMessage('');
    if (bad.length > 0) {
      setMessage(t('careers.manage.fix', { count: bad.length }));
      const first = bad[0] ?? 'title';
      document.getElementById(id(first === 'occupations' ? 'find' : first))?.focus();
      return;
    }
    setBusy(true);
    const input = inputOf(draft);
    (editing ? careersApi.updateOpportunity(editing.id, input) : careersApi.createOpportunity(input)).then(
      (saved) => onSaved(saved, !editing),
      (err: unknown) => {
        setBusy(false);
        setMessage(
          err instanceof ApiError && err.code === 'invalid_request' ? t('careers.manage.rejected') : t('careers.manage.failed'),
        );
      },
    );
  };

  const text = (field: 'title' | 'employer' | 'location' | 'contact' | 'url', required = false) => (
    <div className="careers-field">
      <label htmlFor={id(field)}>
        {t(`careers.manage.fields.${field}`)}
        {required ? '' : ` ${t('careers.manage.optional')}`}
      </label>
      <input
        id={id(field)}
        className="careers-input"
        type={field === 'url' ? 'url' : 'text'}
        value={draft[field]}
        maxLength={field === 'url' ? 500 : CareersLimits.opportunityTitle}
        required={required}
        aria-invalid={field === 'title' || field === 'employer' || field === 'url' ? invalid.includes(field) : undefined}
        aria-describedby={field === 'title' || field === 'employer' || field === 'url' ? described(field) : undefined}
        onChange={(e) => set(field, e.target.value)}
      />
      {field === 'title' || field === 'employer' || field === 'url' ? errorOf(field) : null}
    </div>
  );

  return (
    <form className="stack careers-opportunity-form" onSubmit={submit} noValidate>
      <div className="careers-field">
        <label htmlFor={id('kind')}>{t('careers.manage.fields.kind')}</label>
        <select id={id('kind')} value={draft.kind} onChange={(e) => set('kind', e.target.value as OpportunityKind)}>
          {OpportunityKind.options.map((k) => (
            <option key={k} value={k}>
              {t(`careers.opportunities.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {text('title', true)}
      {text('employer', true)}
      <div className="careers-field">
        <label htmlFor={id('description')}>
          {t('careers.manage.fields.description')} {t('careers.manage.optional')}
        </label>
        <textarea
          id={id('description')}
          className="careers-input"
          rows={3}
          value={draft.description}
          maxLength={CareersLimits.opportunityText}
          onChange={(e) => set('description', e.target.value)}
        />
      </div>
      {text('location')}
      <div className="careers-field">
        <label htmlFor={id('startsOn')}>
          {t('careers.manage.fields.startsOn')} {t('careers.manage.optional')}
        </label>
        <input
          id={id('startsOn')}
          className="careers-input"
          type="date"
          value={draft.startsOn}
          onChange={(e) => set('startsOn', e.target.value)}
        />
      </div>
      <div className="careers-field">
        <label htmlFor={id('endsOn')}>
          {t('careers.manage.fields.endsOn')} {t('careers.manage.optional')}
        </label>
        <input
          id={id('endsOn')}
          className="careers-input"
          type="date"
          value={draft.endsOn}
          aria-invalid={invalid.includes('endsOn')}
          aria-describedby={described('endsOn')}
          onChange={(e) => set('endsOn', e.target.value)}
        />
        {errorOf('endsOn')}
      </div>
      {text('contact')}
      {text('url')}
      <OccupationPicker
        inputId={id('find')}
        linked={draft.occupations}
        invalid={invalid.includes('occupations')}
        errorId={id('occupations-error')}
        error={errorOf('occupations')}
        onChange={(occupations) => set('occupations', occupations)}
      />
      <div className="careers-actions">
        <button type="submit" className="button" disabled={busy}>
          {editing ? t('careers.manage.saveChanges') : t('careers.manage.add')}
        </button>
        {editing ? (
          <button type="button" className="button button--secondary" disabled={busy} onClick={onCancel}>
            {t('careers.manage.cancel')}
          </button>
        ) : null}
      </div>
      <p role="status" className="error">
        {message}
      </p>
    </form>
  );
}

/** Links occupations to the opportunity by searching the explorer (same search as pupils use). */
function OccupationPicker({
  inputId,
  linked,
  invalid,
  errorId,
  error,
  onChange,
}: {
  inputId: string;
  linked: Linked[];
  invalid: boolean;
  errorId: string;
  error: ReactNode;
  onChange: (occupations: Linked[]) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const hintId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Linked[] | null>(null);
  const [status, setStatus] = useState('');
  const find = () => {
    const q = query.trim();
    if (!q) return;
    setStatus(t('careers.loading'));
    careersApi.search(q, lang).then(
      (res) => {
        setResults(res.results.slice(0, 8));
        setStatus(t('careers.manage.found', { count: res.results.length, query: q }));
      },
      () => setStatus(t('careers.manage.failed')),
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    find();
  };
  const full = linked.length >= CareersLimits.opportunityOccupations;
  return (
    <fieldset className="careers-field careers-picker" aria-describedby={invalid ? errorId : undefined}>
      <legend>{t('careers.manage.fields.occupations')}</legend>
      {linked.length === 0 ? (
        <p>{t('careers.manage.noneLinked')}</p>
      ) : (
        <ul className="careers-tags" aria-label={t('careers.manage.linkedLabel')}>
          {linked.map((o) => (
            <li key={o.id}>
              <span>{o.title[lang]}</span>{' '}
              <button type="button" className="careers-link-button" onClick={() => onChange(linked.filter((x) => x.id !== o.id))}>
                {t('careers.manage.unlink', { title: o.title[lang] })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error}
      <label htmlFor={inputId}>{t('careers.manage.find')}</label>
      <p id={hintId} className="careers-hint">
        {t('careers.manage.findHint')}
      </p>
      <div className="careers-actions">
        <input
          id={inputId}
          className="careers-input"
          type="search"
          value={query}
          aria-describedby={hintId}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="button button--secondary" onClick={find}>
          {t('careers.manage.findButton')}
        </button>
      </div>
      <p role="status" className="careers-status">
        {status}
      </p>
      {results && results.length > 0 ? (
        <ul className="careers-grid">
          {results.map((o) => {
            const isLinked = linked.some((x) => x.id === o.id);
            return (
              <li key={o.id}>
                <button
                  type="button"
                  className="careers-link-button"
                  disabled={isLinked || full}
                  onClick={() => onChange([...linked, { id: o.id, uri: o.uri, title: o.title }])}
                >
                  {isLinked
                    ? t('careers.manage.linked', { title: o.title[lang] })
                    : t('careers.manage.link', { title: o.title[lang] })}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </fieldset>
  );
}
