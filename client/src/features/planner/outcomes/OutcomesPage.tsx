import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHECKPOINTS,
  DESTINATION_DETAILS,
  DESTINATION_STATUSES,
  type Checkpoint,
  type DestinationsList,
  type DestinationStatus,
  type ImportResult,
  type OutcomesSummary,
} from '../../../../../server/contract/outcomes.js';
import { api, apiBlob, ApiError, saveBlob } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import './outcomes.css';

/** Leavers' destinations (record, import, export) and what worked: destinations next to Waymark activity. */
export function OutcomesPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('outcomes.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <Outcomes />}</SessionGate>;
}

function Outcomes() {
  const { t } = useTranslation();
  const ids = useId();
  const [cohort, setCohort] = useState<string | undefined>(undefined);
  const [list, setList] = useState<DestinationsList | 'failed' | null>(null);
  const [checkpoint, setCheckpoint] = useState<Checkpoint>('leaving');
  const [summary, setSummary] = useState<OutcomesSummary | null>(null);
  const [pupilId, setPupilId] = useState('');
  const [point, setPoint] = useState<Checkpoint>('leaving');
  const [status, setStatus] = useState<DestinationStatus | ''>('');
  const [detail, setDetail] = useState('');
  const [message, setMessage] = useState('');
  const [imported, setImported] = useState<ImportResult | null>(null);

  const load = useCallback(() => {
    const q = cohort ? `?cohort=${encodeURIComponent(cohort)}` : '';
    api<DestinationsList>(`/planner/destinations${q}`).then(
      (l) => {
        setList(l);
        setPupilId((p) => p || (l.leavers[0]?.pupilId ?? ''));
      },
      () => setList('failed'),
    );
  }, [cohort]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!list || list === 'failed') return;
    api<OutcomesSummary>(`/planner/destinations/summary?cohort=${encodeURIComponent(list.cohort)}&checkpoint=${checkpoint}`).then(
      setSummary,
      () => setSummary(null),
    );
  }, [list, checkpoint]);

  async function record(e: { preventDefault(): void }) {
    e.preventDefault();
    if (!pupilId || !status) {
      setMessage(t('outcomes.record.incomplete'));
      return;
    }
    try {
      await api(`/planner/destinations/${pupilId}/${point}`, {
        method: 'PUT',
        body: JSON.stringify({ status, detail: detail || null }),
      });
      setMessage(t('outcomes.record.saved'));
      load();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : t('outcomes.errors.network'));
    }
  }

  async function importCsv(file: File | undefined) {
    if (!file) return;
    try {
      const result = await api<ImportResult>('/planner/destinations/import', {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: await file.text(),
      });
      setImported(result);
      load();
    } catch (err) {
      setImported(null);
      setMessage(err instanceof ApiError ? err.message : t('outcomes.errors.network'));
    }
  }

  async function exportCsv() {
    if (!list || list === 'failed') return;
    try {
      saveBlob(
        await apiBlob(`/planner/destinations.csv?cohort=${encodeURIComponent(list.cohort)}`),
        `destinations-${list.cohort}.csv`,
      );
    } catch {
      setMessage(t('outcomes.errors.network'));
    }
  }

  if (list === null) return <p role="status">{t('session.loading')}</p>;
  if (list === 'failed')
    return (
      <p role="alert" className="error">
        {t('outcomes.errors.load')}
      </p>
    );
  const statusText = (s: string | undefined) => (s ? t(`outcomes.status.${s}`) : '—');
  const details: readonly string[] = status ? DESTINATION_DETAILS[status] : [];
  const hidden = (
    <>
      <span aria-hidden="true">&lt;5</span>
      <span className="visually-hidden">{t('outcomes.summary.suppressed')}</span>
    </>
  );
  const figure = (v: number | null, suppressed: boolean) => (suppressed ? hidden : v === null ? '—' : String(v));
  const share = (v: number | null, suppressed: boolean) =>
    suppressed ? hidden : v === null ? '—' : `${String(Math.round(v * 100))}%`;

  return (
    <div className="stack outcomes">
      <h1>{t('outcomes.title')}</h1>
      <p className="lead">{t('outcomes.intro')}</p>
      <div className="outcomes-controls">
        <label htmlFor={`${ids}-cohort`}>{t('outcomes.cohort')}</label>
        <select id={`${ids}-cohort`} value={list.cohort} onChange={(e) => setCohort(e.target.value)}>
          {list.cohorts.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>

      <section className="card stack" aria-labelledby={`${ids}-record`}>
        <h2 id={`${ids}-record`}>{t('outcomes.record.heading')}</h2>
        {list.leavers.length === 0 ? (
          <p>{t('outcomes.none')}</p>
        ) : (
          <form className="outcomes-form" onSubmit={(e) => void record(e)}>
            <label htmlFor={`${ids}-pupil`}>{t('outcomes.record.pupil')}</label>
            <select id={`${ids}-pupil`} value={pupilId} onChange={(e) => setPupilId(e.target.value)}>
              {list.leavers.map((l) => (
                <option key={l.pupilId} value={l.pupilId}>
                  {l.name ?? l.pupilId}
                </option>
              ))}
            </select>
            <label htmlFor={`${ids}-point`}>{t('outcomes.record.checkpoint')}</label>
            <select id={`${ids}-point`} value={point} onChange={(e) => setPoint(e.target.value as Checkpoint)}>
              {CHECKPOINTS.map((c) => (
                <option key={c} value={c}>
                  {t(`outcomes.checkpoints.${c}`)}
                </option>
              ))}
            </select>
            <label htmlFor={`${ids}-status`}>{t('outcomes.record.status')}</label>
            <select
              id={`${ids}-status`}
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as DestinationStatus | '');
                setDetail('');
              }}
            >
              <option value="">{t('outcomes.record.pick')}</option>
              {DESTINATION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`outcomes.status.${s}`)}
                </option>
              ))}
            </select>
            <label htmlFor={`${ids}-detail`}>{t('outcomes.record.detail')}</label>
            <select id={`${ids}-detail`} value={detail} onChange={(e) => setDetail(e.target.value)} disabled={!status}>
              <option value="">{t('outcomes.record.noDetail')}</option>
              {details.map((d) => (
                <option key={d} value={d}>
                  {t(`outcomes.details.${d}`)}
                </option>
              ))}
            </select>
            <div>
              <button type="submit" className="button">
                {t('outcomes.record.save')}
              </button>
            </div>
          </form>
        )}
        <p role="status" className="meta">
          {message}
        </p>
      </section>

      <section className="stack" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`}>{t('outcomes.list.heading', { cohort: list.cohort })}</h2>
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard (WCAG 2.1.1) */}
        <div className="table-scroll" role="region" aria-labelledby={`${ids}-list`} tabIndex={0}>
          <table className="outcomes-table">
            <caption>{t('outcomes.list.caption', { count: list.leavers.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('outcomes.list.pupil')}</th>
                {CHECKPOINTS.map((c) => (
                  <th key={c} scope="col">
                    {t(`outcomes.checkpoints.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.leavers.map((l) => (
                <tr key={l.pupilId}>
                  <th scope="row">{l.name ?? l.pupilId}</th>
                  {CHECKPOINTS.map((c) => {
                    const r = l.records[c];
                    return (
                      <td key={c}>
                        {statusText(r?.status)}
                        {r?.detail ? <span className="meta"> ({t(`outcomes.details.${r.detail}`)})</span> : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="outcomes-actions">
          <button type="button" className="button" onClick={() => void exportCsv()}>
            {t('outcomes.csv.export')}
          </button>
          <label htmlFor={`${ids}-import`}>{t('outcomes.csv.import')}</label>
          <input id={`${ids}-import`} type="file" accept=".csv,text/csv" onChange={(e) => void importCsv(e.target.files?.[0])} />
          <p className="meta">{t('outcomes.csv.help')}</p>
        </div>
        {imported ? (
          <div role="status" className="stack">
            <p>
              {t('outcomes.csv.result', {
                imported: imported.imported,
                skipped: imported.skipped,
                errors: imported.errors.length,
              })}
            </p>
            {imported.errors.length > 0 ? (
              <ul>
                {imported.errors.map((e) => (
                  <li key={e.row}>{t('outcomes.csv.rowError', { row: e.row, message: e.message })}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </section>

      <section className="stack" aria-labelledby={`${ids}-works`}>
        <h2 id={`${ids}-works`}>{t('outcomes.summary.heading')}</h2>
        <p>{t('outcomes.summary.intro', { min: summary?.minGroupSize ?? 5 })}</p>
        <label htmlFor={`${ids}-checkpoint`}>{t('outcomes.summary.checkpoint')}</label>
        <select id={`${ids}-checkpoint`} value={checkpoint} onChange={(e) => setCheckpoint(e.target.value as Checkpoint)}>
          {CHECKPOINTS.map((c) => (
            <option key={c} value={c}>
              {t(`outcomes.checkpoints.${c}`)}
            </option>
          ))}
        </select>
        {summary ? (
          <>
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard (WCAG 2.1.1) */}
            <div className="table-scroll" role="region" aria-label={t('outcomes.summary.byDestination')} tabIndex={0}>
              <table className="outcomes-table">
                <caption>{t('outcomes.summary.byDestination')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('outcomes.summary.destination')}</th>
                    <th scope="col">{t('outcomes.summary.pupils')}</th>
                    <th scope="col">{t('outcomes.summary.modules')}</th>
                    <th scope="col">{t('outcomes.summary.encounters')}</th>
                    <th scope="col">{t('outcomes.summary.withEncounter')}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.byDestination.map((g) => (
                    <tr key={g.key}>
                      <th scope="row">
                        {g.key === 'not-recorded' ? t('outcomes.summary.notRecorded') : t(`outcomes.status.${g.key}`)}
                      </th>
                      <td>{figure(g.pupils, g.suppressed)}</td>
                      <td>{figure(g.modulesCompletedMean, g.suppressed)}</td>
                      <td>{figure(g.encountersMean, g.suppressed)}</td>
                      <td>{share(g.withEncounterShare, g.suppressed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard (WCAG 2.1.1) */}
            <div className="table-scroll" role="region" aria-label={t('outcomes.summary.byActivity')} tabIndex={0}>
              <table className="outcomes-table">
                <caption>{t('outcomes.summary.byActivity')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('outcomes.summary.modulesDone')}</th>
                    <th scope="col">{t('outcomes.summary.pupils')}</th>
                    <th scope="col">{t('outcomes.summary.positive')}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.byActivity.map((b) => (
                    <tr key={b.key}>
                      <th scope="row">{b.key}</th>
                      <td>{figure(b.pupils, b.suppressed)}</td>
                      <td>{share(b.positiveShare, b.suppressed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>
    </div>
  );
}
