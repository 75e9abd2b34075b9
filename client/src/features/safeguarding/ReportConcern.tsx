import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SafeguardingLimits, type CreateConcern } from '../../../../server/contract/safeguarding.js';
import { api, ApiError } from '../../api/client.js';
import './safeguarding.css';

const FOCUSABLE = 'button:not([disabled]), textarea, input, select, a[href], [tabindex]:not([tabindex="-1"])';

/**
 * "Report a concern" for staff reading a pupil's work: a labelled modal dialog (native <dialog> opened with
 * showModal, so the page behind is inert), Tab kept inside, Escape closes, focus returns to the button.
 */
export function ReportConcernButton({
  pupilId,
  source,
  about,
}: {
  pupilId: string;
  source: CreateConcern['source'];
  about: string;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [sent, setSent] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      d.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    } else if (!open && d.open) d.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    setError('');
    opener.current?.focus();
  };

  // Tab and Shift+Tab cycle inside the dialog (showModal makes the page inert, but not the browser's own UI).
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    const trap = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const items = [...d.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = items[0];
      const last = items.at(-1);
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    d.addEventListener('keydown', trap);
    return () => d.removeEventListener('keydown', trap);
  }, []);

  async function submit() {
    if (!text.trim()) {
      setError(t('safeguarding.report.empty'));
      return;
    }
    setBusy(true);
    try {
      await api('/safeguarding/concerns', { method: 'POST', body: JSON.stringify({ pupilId, source, text }) });
      setText('');
      setSent(t('safeguarding.report.sent'));
      close();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('safeguarding.errors.network'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        ref={opener}
        type="button"
        className="button button--quiet"
        aria-label={t('safeguarding.report.buttonFor', { about })}
        onClick={() => {
          setSent('');
          setOpen(true);
        }}
      >
        {t('safeguarding.report.button')}
      </button>
      <span role="status" className="meta">
        {sent}
      </span>
      <dialog
        ref={dialog}
        className="concern-dialog"
        aria-labelledby={`${ids}-title`}
        aria-describedby={`${ids}-help`}
        onCancel={(e) => {
          // Escape: close through our state so focus returns to the button.
          e.preventDefault();
          close();
        }}
      >
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h2 id={`${ids}-title`}>{t('safeguarding.report.title')}</h2>
          <p id={`${ids}-help`}>{t('safeguarding.report.help')}</p>
          <label htmlFor={`${ids}-text`}>{t('safeguarding.report.label')}</label>
          <textarea
            id={`${ids}-text`}
            rows={6}
            maxLength={SafeguardingLimits.concernText}
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-error` : undefined}
            onChange={(e) => setText(e.target.value)}
          />
          {error ? (
            <p id={`${ids}-error`} role="alert" className="error">
              {error}
            </p>
          ) : null}
          <div className="concern-actions">
            <button type="submit" className="button" disabled={busy}>
              {t('safeguarding.report.submit')}
            </button>
            <button type="button" className="button button--quiet" onClick={close}>
              {t('safeguarding.report.cancel')}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
