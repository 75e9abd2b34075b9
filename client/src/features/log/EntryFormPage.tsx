import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  FEELING_PICTURES,
  LogLimits,
  REFLECTION_PROMPTS,
  SAW_PICTURES,
  latestLogDate,
  type LogEntryView,
  type LogOptions,
  type ReflectionPrompt,
} from '../../../../server/contract/log.js';
import type { Session } from '../../../../server/contract/session.js';
import { ApiError } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { careersApi } from '../careers/api.js';
import { EntryView, EvidenceItem, useLang } from './EntryView.js';
import { createEntry, createHostLink, getEntry, getOptions, removeEvidence, updateEntry, uploadEvidence } from './log-api.js';
import { VoiceRecorder } from './VoiceRecorder.js';
import { CommentForm } from './CommentForm.js';
import './log.css';

interface FormState {
  encounterType: string;
  date: string;
  organisation: string;
  hours: string;
  competencies: string[];
  reflection: Record<ReflectionPrompt, { text: string; private: boolean }>;
  feelings: string[];
  saw: string[];
  checklist: { preparedBeforehand: boolean; askedQuestions: boolean; reflectedAfterwards: boolean };
}

const emptyForm = (): FormState => ({
  encounterType: '',
  date: '',
  organisation: '',
  hours: '1',
  competencies: [],
  reflection: {
    happened: { text: '', private: false },
    aboutMe: { text: '', private: false },
    aboutWork: { text: '', private: false },
    nextStep: { text: '', private: false },
  },
  feelings: [],
  saw: [],
  checklist: { preparedBeforehand: false, askedQuestions: false, reflectedAfterwards: false },
});

function formFrom(entry: LogEntryView): FormState {
  const reflection = { ...emptyForm().reflection };
  for (const p of REFLECTION_PROMPTS)
    reflection[p] = { text: entry.reflection[p].text ?? '', private: entry.reflection[p].private };
  return {
    encounterType: entry.encounterType.id,
    date: entry.date,
    organisation: entry.organisation,
    hours: String(entry.hours),
    competencies: entry.competencies,
    reflection,
    feelings: entry.pictures.feelings,
    saw: entry.pictures.saw,
    checklist: entry.checklist,
  };
}

/** The contract's rules, checked before sending so every problem is named next to its field in the pupil's language. */
function checkForm(
  form: FormState,
  t: (key: string, options?: Record<string, unknown>) => string,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!form.encounterType) problems.push({ path: 'encounterType', message: t('log.validation.encounterType') });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date) || form.date < LogLimits.earliestDate || form.date > latestLogDate())
    problems.push({ path: 'date', message: t('log.validation.date') });
  if (!form.organisation.trim() || form.organisation.length > LogLimits.organisation)
    problems.push({ path: 'organisation', message: t('log.validation.organisation', { max: LogLimits.organisation }) });
  const hours = Number(form.hours);
  if (!Number.isFinite(hours) || hours < LogLimits.minHours || hours > LogLimits.maxHours || !Number.isInteger(hours * 4)) {
    problems.push({ path: 'hours', message: t('log.validation.hours', { min: LogLimits.minHours, max: LogLimits.maxHours }) });
  }
  return problems;
}

const toggle = (list: string[], value: string, on: boolean) =>
  on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

/** Adding or editing a log entry: facts, Kolb reflection (or pictures and a voice note at 5-7), checklist, evidence. */
export function EntryFormPage() {
  return <SessionGate>{(session) => <EntryForm session={session} />}</SessionGate>;
}

function EntryForm({ session }: { session: Session }) {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const { entryId } = useParams();
  const [search] = useSearchParams();
  const isNew = !entryId;
  const young = session.stage === 'S1';
  const [options, setOptions] = useState<LogOptions | null>(null);
  const [entry, setEntry] = useState<LogEntryView | null>(null);
  const [form, setForm] = useState<FormState>(emptyForm);
  const [errors, setErrors] = useState<{ path: string; message: string }[]>([]);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'failed' | 'loadFailed'>('idle');
  const ids = useId();

  useEffect(() => {
    document.title = `${t(isNew ? 'log.form.newTitle' : 'log.form.editTitle')} · Waymark`;
  }, [t, isNew]);
  useEffect(() => {
    getOptions().then(setOptions, () => setStatus('loadFailed'));
    if (entryId) {
      getEntry(entryId).then(
        (e) => {
          setEntry(e);
          setForm(formFrom(e));
        },
        () => setStatus('loadFailed'),
      );
    }
  }, [entryId]);

  // "I took this up" on an occupation page: prefill a new entry from the school's opportunity (once options are known).
  const opportunityId = isNew ? search.get('opportunity') : null;
  const [prefilledFrom, setPrefilledFrom] = useState<string | null>(null);
  useEffect(() => {
    if (!opportunityId || !options) return;
    let live = true;
    careersApi.opportunity(opportunityId).then(
      (o) => {
        if (!live) return;
        const date = o.startsOn ?? o.endsOn;
        setForm((f) => ({
          ...f,
          organisation: o.employer.slice(0, LogLimits.organisation),
          encounterType: options.encounterTypes.some((e) => e.id === o.encounterType) ? o.encounterType : f.encounterType,
          date: date && date >= LogLimits.earliestDate && date <= latestLogDate() ? date : f.date,
        }));
        setPrefilledFrom(o.title);
      },
      () => undefined, // an unknown or removed opportunity leaves the form empty
    );
    return () => {
      live = false;
    };
  }, [opportunityId, options]);

  const source =
    search.get('module') && search.get('activity')
      ? { moduleId: search.get('module') ?? '', activityId: search.get('activity') ?? '' }
      : undefined;
  const locked = Boolean(entry?.group);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setAnswer = (p: ReflectionPrompt, patch: Partial<{ text: string; private: boolean }>) =>
    setForm((f) => ({ ...f, reflection: { ...f.reflection, [p]: { ...f.reflection[p], ...patch } } }));

  async function onSubmit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = checkForm(form, t);
    setErrors(problems);
    if (problems.length) {
      setStatus('failed');
      return;
    }
    setStatus('saving');
    const pictures = young ? { feelings: form.feelings, saw: form.saw } : undefined;
    const common = {
      competencies: form.competencies,
      reflection: form.reflection,
      checklist: form.checklist,
      ...(pictures ? { pictures: pictures as { feelings: never[]; saw: never[] } } : {}),
    };
    const facts = {
      encounterType: form.encounterType as 'employer-talk',
      date: form.date,
      organisation: form.organisation,
      hours: Number(form.hours),
    };
    try {
      if (isNew) {
        const created = await createEntry({ ...facts, ...common, ...(source ? { source } : {}) });
        setStatus('saved');
        void navigate(`/pupil/log/${created.id}`, { replace: true });
      } else if (entryId) {
        const updated = await updateEntry(entryId, locked ? common : { ...facts, ...common });
        setEntry(updated);
        setStatus('saved');
      }
    } catch (err) {
      setStatus('failed');
      setErrors([{ path: '', message: err instanceof ApiError ? err.message : t('log.errors.network') }]);
    }
  }

  if (status === 'loadFailed') return <p className="error">{t('log.errors.load')}</p>;
  if (!options || (!isNew && !entry)) return <p role="status">{t('session.loading')}</p>;
  const type = options.encounterTypes.find((e) => e.id === form.encounterType);
  const fieldError = (path: string) => errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  const errorId = (path: string) => `${ids}-${path.replace(/\W/g, '-')}-error`;
  const described = (path: string) => (fieldError(path) ? { 'aria-invalid': true, 'aria-describedby': errorId(path) } : {});
  const fieldErrorText = (path: string) =>
    fieldError(path) ? (
      <p className="error" id={errorId(path)}>
        {fieldError(path)}
      </p>
    ) : null;

  return (
    <div className="stack log-form">
      <p>
        <Link to="/pupil/log">{t('log.backToLog')}</Link>
      </p>
      <h1>{t(isNew ? 'log.form.newTitle' : 'log.form.editTitle')}</h1>
      {prefilledFrom ? <p role="status">{t('careers.opportunities.prefilled', { title: prefilledFrom })}</p> : null}
      {errors.length ? (
        <div role="alert" className="log-error-summary">
          <h2>{t('log.form.errorsTitle')}</h2>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="stack">
        <fieldset className="stack">
          <legend>{t('log.form.whatHappened')}</legend>
          {locked ? <p className="meta">{t('log.form.lockedByTeacher')}</p> : null}
          <div className="log-field">
            <label htmlFor={`${ids}-type`}>{t('log.fields.encounterType')}</label>
            <select
              id={`${ids}-type`}
              value={form.encounterType}
              disabled={locked}
              required
              onChange={(e) => set('encounterType', e.target.value)}
              {...described('encounterType')}
            >
              <option value="">{t('log.form.chooseType')}</option>
              {options.encounterTypes.map((et) => (
                <option key={et.id} value={et.id}>
                  {et.title[lang]}
                </option>
              ))}
            </select>
            {fieldErrorText('encounterType')}
            {type ? (
              <p className="meta" aria-live="polite">
                {type.description[lang]} {t('log.form.mapping', { gatsby: type.gatsby.join(', '), nl: type.nlActivity })}
              </p>
            ) : null}
          </div>
          <div className="log-field">
            <label htmlFor={`${ids}-date`}>{t('log.fields.date')}</label>
            <input
              id={`${ids}-date`}
              type="date"
              value={form.date}
              min={LogLimits.earliestDate}
              max={latestLogDate()}
              disabled={locked}
              required
              onChange={(e) => set('date', e.target.value)}
              {...described('date')}
            />
            {fieldErrorText('date')}
          </div>
          <div className="log-field">
            <label htmlFor={`${ids}-org`}>{t('log.fields.organisation')}</label>
            <input
              id={`${ids}-org`}
              type="text"
              value={form.organisation}
              maxLength={LogLimits.organisation}
              disabled={locked}
              required
              autoComplete="organization"
              onChange={(e) => set('organisation', e.target.value)}
              {...described('organisation')}
            />
            {fieldErrorText('organisation')}
          </div>
          <div className="log-field">
            <label htmlFor={`${ids}-hours`}>{t('log.fields.hours')}</label>
            <input
              id={`${ids}-hours`}
              type="number"
              inputMode="decimal"
              value={form.hours}
              min={LogLimits.minHours}
              max={LogLimits.maxHours}
              step={0.25}
              disabled={locked}
              required
              onChange={(e) => set('hours', e.target.value)}
              {...described('hours')}
            />
            {fieldErrorText('hours')}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('log.fields.competencies')}</legend>
          <ul className="choice-list log-columns">
            {options.competencies.map((c) => (
              <li key={c.id}>
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={form.competencies.includes(c.id)}
                    onChange={(e) => set('competencies', toggle(form.competencies, c.id, e.target.checked))}
                  />
                  <span>{c.title[lang]}</span>
                </label>
              </li>
            ))}
          </ul>
          {fieldErrorText('competencies')}
        </fieldset>

        {young ? (
          <>
            <PictureChoices
              legend={t('log.pictures.feelingsQuestion')}
              group="feelings"
              pictures={FEELING_PICTURES}
              selected={form.feelings}
              onChange={(v) => set('feelings', v)}
            />
            <PictureChoices
              legend={t('log.pictures.sawQuestion')}
              group="saw"
              pictures={SAW_PICTURES}
              selected={form.saw}
              onChange={(v) => set('saw', v)}
            />
            {fieldErrorText('pictures')}
          </>
        ) : null}

        <fieldset className="stack">
          <legend>{t('log.reflection.title')}</legend>
          <p className="meta">{t(young ? 'log.reflection.introYoung' : 'log.reflection.intro')}</p>
          {REFLECTION_PROMPTS.map((p) => (
            <div key={p} className="log-field">
              <label htmlFor={`${ids}-${p}`}>{t(`log.reflection.${p}.label`)}</label>
              <p className="meta" id={`${ids}-${p}-hint`}>
                {t(`log.reflection.${p}.hint`)}
              </p>
              <textarea
                id={`${ids}-${p}`}
                rows={young ? 2 : 4}
                value={form.reflection[p].text}
                maxLength={LogLimits.reflectionText}
                aria-describedby={`${ids}-${p}-hint ${ids}-${p}-count`}
                onChange={(e) => setAnswer(p, { text: e.target.value })}
              />
              <p className="meta log-count" id={`${ids}-${p}-count`}>
                {t('log.form.charactersLeft', { count: LogLimits.reflectionText - form.reflection[p].text.length })}
              </p>
              <label className="choice">
                <input
                  type="checkbox"
                  checked={form.reflection[p].private}
                  onChange={(e) => setAnswer(p, { private: e.target.checked })}
                />
                <span>{t('log.reflection.private')}</span>
              </label>
              {fieldErrorText(`reflection.${p}`)}
            </div>
          ))}
        </fieldset>

        <fieldset>
          <legend>{t('log.checklist.title')}</legend>
          <p className="meta">{t('log.checklist.intro')}</p>
          <ul className="choice-list">
            {(['preparedBeforehand', 'askedQuestions', 'reflectedAfterwards'] as const).map((k) => (
              <li key={k}>
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={form.checklist[k]}
                    onChange={(e) => set('checklist', { ...form.checklist, [k]: e.target.checked })}
                  />
                  <span>{t(`log.checklist.${k}`)}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>

        <div>
          <button type="submit" className="button" disabled={status === 'saving'}>
            {t(isNew ? 'log.form.create' : 'log.form.save')}
          </button>
          <p role="status" className="meta">
            {status === 'saving' ? t('log.form.saving') : status === 'saved' ? t('log.form.saved') : ''}
          </p>
        </div>
      </form>

      {entry ? (
        <EntryExtras entry={entry} young={young} onChange={setEntry} />
      ) : (
        <p className="meta">{t('log.form.evidenceAfterSave')}</p>
      )}
    </div>
  );
}

function PictureChoices({
  legend,
  group,
  pictures,
  selected,
  onChange,
}: {
  legend: string;
  group: 'feelings' | 'saw';
  pictures: Record<string, string>;
  selected: string[];
  onChange: (v: string[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset>
      <legend>{legend}</legend>
      <ul className="log-pictures">
        {Object.entries(pictures).map(([id, emoji]) => (
          <li key={id}>
            <label className="log-picture">
              <input
                type="checkbox"
                checked={selected.includes(id)}
                onChange={(e) => onChange(toggle(selected, id, e.target.checked))}
              />
              <span aria-hidden="true" className="log-picture__emoji">
                {emoji}
              </span>
              <span>{t(`log.pictures.${group}.${id}`)}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** After the first save: evidence files, a voice note (5-7), the host's confirmation link, feedback and comments. */
function EntryExtras({ entry, young, onChange }: { entry: LogEntryView; young: boolean; onChange: (e: LogEntryView) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [hostLink, setHostLink] = useState<string | null>(null);

  const explain = (err: unknown) => {
    if (err instanceof ApiError) {
      const known = [
        'evidence_too_large',
        'evidence_type_not_allowed',
        'evidence_type_mismatch',
        'evidence_limit',
        'payload_too_large',
      ];
      return known.includes(err.code) ? t(`log.errors.${err.code}`) : err.message;
    }
    return t('log.errors.network');
  };

  async function onFile(file: File | undefined) {
    if (!file) return;
    if (file.size > LogLimits.fileBytes) {
      setMessage({ kind: 'error', text: t('log.errors.evidence_too_large') });
      return;
    }
    try {
      onChange(await uploadEvidence(entry.id, file, { kind: 'file', name: file.name }));
      setMessage({ kind: 'ok', text: t('log.evidence.uploaded', { name: file.name }) });
    } catch (err) {
      setMessage({ kind: 'error', text: explain(err) });
    }
  }

  return (
    <section className="stack" aria-labelledby={`${ids}-extras`}>
      <h2 id={`${ids}-extras`}>{t('log.evidence.title')}</h2>
      <p className="meta" id={`${ids}-limits`}>
        {t('log.evidence.limits', { max: LogLimits.maxEvidence })}
      </p>
      {entry.evidence.length ? (
        <ul className="log-list">
          {entry.evidence.map((e) => (
            <li key={e.id} className="log-evidence-row">
              <ul className="log-list">
                <EvidenceItem entryId={entry.id} item={e} />
              </ul>
              <button
                type="button"
                className="button button--quiet"
                onClick={() =>
                  void removeEvidence(entry.id, e.id).then(onChange, (err: unknown) =>
                    setMessage({ kind: 'error', text: explain(err) }),
                  )
                }
              >
                {t('log.evidence.remove', { name: e.name ?? t('log.evidence.file') })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="log-field">
        <label htmlFor={`${ids}-file`}>{t('log.evidence.add')}</label>
        <input
          id={`${ids}-file`}
          type="file"
          accept="image/jpeg,image/png,application/pdf"
          aria-describedby={`${ids}-limits`}
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
      </div>
      {young ? (
        <VoiceRecorder
          onRecorded={(blob, seconds) => uploadEvidence(entry.id, blob, { kind: 'voice', seconds }).then(onChange)}
        />
      ) : null}
      <p role="status" className={message?.kind === 'error' ? 'error' : 'meta'}>
        {message?.text ?? ''}
      </p>

      <h2>{t('log.host.title')}</h2>
      {entry.host ? (
        <p>{t('log.status.hostConfirmed')}</p>
      ) : (
        <>
          <p className="meta">{t('log.host.intro')}</p>
          <button
            type="button"
            className="button button--quiet"
            onClick={() =>
              void createHostLink(entry.id).then(
                (r) => setHostLink(r.url),
                (err: unknown) => setMessage({ kind: 'error', text: explain(err) }),
              )
            }
          >
            {t('log.host.create')}
          </button>
          {hostLink ? (
            <div className="log-field">
              <label htmlFor={`${ids}-host`}>{t('log.host.linkLabel')}</label>
              <input id={`${ids}-host`} type="text" readOnly value={hostLink} onFocus={(e) => e.target.select()} />
              <button
                type="button"
                className="button button--quiet"
                onClick={() =>
                  void navigator.clipboard?.writeText(hostLink).then(() => setMessage({ kind: 'ok', text: t('log.host.copied') }))
                }
              >
                {t('log.host.copy')}
              </button>
            </div>
          ) : null}
        </>
      )}

      <EntryView entry={entry} />

      <CommentForm
        entryId={entry.id}
        label={t('log.comments.reply')}
        onSaved={onChange}
        onError={(err: unknown) => setMessage({ kind: 'error', text: explain(err) })}
      />
    </section>
  );
}
