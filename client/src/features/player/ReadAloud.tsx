import { useTranslation } from 'react-i18next';
import { speechLang, useLang } from './lang.js';

/**
 * Reads a prompt aloud with the browser's speech synthesis, in the UI language. The call is made directly
 * on `window.speechSynthesis` so that tests can observe it (headless browsers have no voices).
 */
export function ReadAloud({ text, describedBy, large = false }: { text: string; describedBy?: string; large?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (typeof window === 'undefined' || !('speechSynthesis' in window)) return null;
  const speak = () => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = speechLang(lang);
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  };
  return (
    <button
      type="button"
      className={large ? 'read-aloud read-aloud--large' : 'read-aloud'}
      aria-describedby={describedBy}
      onClick={speak}
    >
      <span aria-hidden="true">🔊</span> {t('player.readAloud')}
    </button>
  );
}
