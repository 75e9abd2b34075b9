import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SessionGate } from '../../../ui/Status.js';
import { ConsentSection } from './SharingPage.js';
import './sharing.css';

/** /teacher/sharing — a teacher records parents' consent to sharing for the class of this launch. */
export function TeacherConsentPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('sharing.teacher.title')} · Waymark`;
  }, [t]);
  return (
    <SessionGate>
      {(session) => (
        <div className="stack sharing">
          <h1>{t('sharing.teacher.title')}</h1>
          <p className="lead">{t('sharing.teacher.intro')}</p>
          {session.class ? <ConsentSection options={null} classId={session.class.id} /> : <p>{t('sharing.teacher.noClass')}</p>}
        </div>
      )}
    </SessionGate>
  );
}
