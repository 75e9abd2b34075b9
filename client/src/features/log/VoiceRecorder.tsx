import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LogLimits } from '../../../../server/contract/log.js';

const TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];

/** A short voice note (at most 60 seconds) for pupils aged 5-7, recorded with MediaRecorder. */
export function VoiceRecorder({ onRecorded }: { onRecorded: (blob: Blob, seconds: number) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [state, setState] = useState<
    'idle' | 'recording' | 'recorded' | 'saving' | 'saved' | 'denied' | 'unsupported' | 'failed'
  >(() => (typeof window.MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia ? 'unsupported' : 'idle'));
  const [seconds, setSeconds] = useState(0);
  const [preview, setPreview] = useState<{ url: string; blob: Blob; seconds: number } | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const started = useRef(0);

  useEffect(
    () => () => {
      window.clearInterval(timer.current);
      recorder.current?.stream.getTracks().forEach((track) => track.stop());
    },
    [],
  );

  async function start() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
      const rec = new MediaRecorder(stream, mimeType ? { mimeType, audioBitsPerSecond: 32_000 } : { audioBitsPerSecond: 32_000 });
      const parts: Blob[] = [];
      rec.ondataavailable = (e) => parts.push(e.data);
      rec.onstop = () => {
        stream.getTracks().forEach((track) => track.stop());
        window.clearInterval(timer.current);
        const length = Math.min(LogLimits.voiceSeconds, (Date.now() - started.current) / 1000);
        const blob = new Blob(parts, { type: (rec.mimeType || 'audio/webm').split(';')[0] });
        setPreview({ url: URL.createObjectURL(blob), blob, seconds: length });
        setState('recorded');
      };
      recorder.current = rec;
      started.current = Date.now();
      setSeconds(0);
      rec.start();
      setState('recording');
      timer.current = window.setInterval(() => {
        const elapsed = Math.floor((Date.now() - started.current) / 1000);
        setSeconds(elapsed);
        if (elapsed >= LogLimits.voiceSeconds) rec.stop();
      }, 250);
    } catch {
      setState('denied');
    }
  }

  async function save() {
    if (!preview) return;
    setState('saving');
    try {
      await onRecorded(preview.blob, preview.seconds);
      setState('saved');
      setPreview(null);
    } catch {
      setState('failed');
    }
  }

  if (state === 'unsupported') return <p className="meta">{t('log.voice.unsupported')}</p>;
  return (
    <fieldset className="stack log-voice">
      <legend>{t('log.voice.title')}</legend>
      <p className="meta">{t('log.voice.intro', { seconds: LogLimits.voiceSeconds })}</p>
      {state === 'recording' ? (
        <button type="button" className="button" onClick={() => recorder.current?.stop()}>
          {t('log.voice.stop')}
        </button>
      ) : (
        <button type="button" className="button button--quiet" onClick={() => void start()} disabled={state === 'saving'}>
          {t(preview ? 'log.voice.again' : 'log.voice.start')}
        </button>
      )}
      {state === 'recording' ? (
        <p className="log-countdown">{t('log.voice.recording', { seconds: LogLimits.voiceSeconds - seconds })}</p>
      ) : null}
      {preview ? (
        <>
          {/* eslint-disable-next-line jsx-a11y/media-has-caption -- a pupil's own voice note has no captions; their written or picture reflection is the text alongside */}
          <audio controls src={preview.url}>
            {t('log.voice.preview')}
          </audio>
          <button type="button" className="button" onClick={() => void save()} disabled={state === 'saving'}>
            {t('log.voice.save')}
          </button>
        </>
      ) : null}
      <p role="status" className={state === 'denied' || state === 'failed' ? 'error' : 'meta'}>
        {state === 'recording'
          ? t('log.voice.recordingStarted')
          : state === 'saved'
            ? t('log.voice.saved')
            : state === 'denied'
              ? t('log.voice.denied')
              : state === 'failed'
                ? t('log.errors.network')
                : ''}
      </p>
    </fieldset>
  );
}
