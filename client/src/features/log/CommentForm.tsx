import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LogLimits, type LogEntryView } from '../../../../server/contract/log.js';
import { commentOn } from './log-api.js';

/** The comment box under a log entry, shared by the pupil's and the staff's views of it. */
export function CommentForm({
  entryId,
  label,
  onSaved,
  onError,
}: {
  entryId: string;
  label: string;
  onSaved: (entry: LogEntryView) => void;
  onError: (err: unknown) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [comment, setComment] = useState('');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (!comment.trim()) return;
        void commentOn(entryId, comment).then((updated) => {
          setComment('');
          onSaved(updated);
        }, onError);
      }}
    >
      <label htmlFor={`${id}-comment`}>{label}</label>
      <textarea
        id={`${id}-comment`}
        rows={2}
        maxLength={LogLimits.comment}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <div>
        <button type="submit" className="button button--quiet">
          {t('log.comments.send')}
        </button>
      </div>
    </form>
  );
}
