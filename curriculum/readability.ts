/**
 * Reading-ease formulas for pupil-facing text.
 *
 * - English: Flesch reading ease, 206.835 − 1.015·(words/sentences) − 84.6·(syllables/words). Syllables come
 *   from the `syllable` package (wooorm; rules plus an exception list for English).
 * - Dutch: Flesch–Douma (Douma 1960), 206.835 − 0.93·(words/sentences) − 77·(syllables/words). Syllables are
 *   counted as vowel groups (see `countSyllablesNl`), the usual approach of Dutch readability tools: in Dutch
 *   spelling every syllable has exactly one vowel group (a single vowel, a long vowel written double, or a
 *   diphthong such as ei, ij, ui, ou, au, oe, ie, eu, ieu, eeuw, oei, aai, ooi), and a trema (ë, ï, ö, ü, ä)
 *   marks a vowel that starts a new syllable (ideeën = i-dee-ën).
 *
 * Text is measured as a whole: the counts of several strings are added before the formula is applied, and
 * every string counts as at least one sentence (labels and options have no full stop but are read as units).
 */
import { syllable } from 'syllable';
import type { Language } from './schema.js';

export interface TextCounts {
  sentences: number;
  words: number;
  syllables: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** The words of a text: runs of letters and digits, with inner apostrophes and hyphens (don't, e-mail). */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Sentences: pieces ending in . ! ? … (or the end of the text) that hold at least one word; at least 1. */
export function countSentences(text: string): number {
  const pieces = text.split(/[.!?…]+(?=\s|$|["'”’)])/u).filter((p) => words(p).length > 0);
  return Math.max(1, pieces.length);
}

/** English syllables of one word (at least 1). */
export function countSyllablesEn(word: string): number {
  return Math.max(1, syllable(word));
}

const NL_VOWEL = 'aeiouyáéíóúàèìòùâêîôû';
const NL_TREMA = 'äëïöü';

/**
 * Dutch syllables of one word (at least 1): the number of vowel groups. A vowel with a trema always starts a
 * new group. Known limits: loan words with vowel hiatus and no trema (bioscoop, piano) count one short.
 */
export function countSyllablesNl(word: string): number {
  let groups = 0;
  let inGroup = false;
  for (const ch of word.toLowerCase()) {
    if (NL_TREMA.includes(ch)) {
      groups += 1;
      inGroup = true;
    } else if (NL_VOWEL.includes(ch)) {
      if (!inGroup) groups += 1;
      inGroup = true;
    } else {
      inGroup = false;
    }
  }
  return Math.max(1, groups);
}

/** Sentence, word and syllable counts of one string in the given language. */
export function countText(text: string, language: Language): TextCounts {
  const ws = words(text);
  const count = language === 'en' ? countSyllablesEn : countSyllablesNl;
  return { sentences: countSentences(text), words: ws.length, syllables: ws.reduce((n, w) => n + count(w), 0) };
}

/** Adds the counts of several strings (each string at least one sentence). */
export function sumCounts(texts: readonly string[], language: Language): TextCounts {
  return texts
    .map((t) => countText(t, language))
    .reduce(
      (a, b) => ({ sentences: a.sentences + b.sentences, words: a.words + b.words, syllables: a.syllables + b.syllables }),
      {
        sentences: 0,
        words: 0,
        syllables: 0,
      },
    );
}

/** Flesch reading ease from counts (English). Higher is easier; 80+ is easy, 60–70 plain English. */
export function fleschReadingEase(c: TextCounts): number {
  if (c.words === 0) return 100;
  return 206.835 - 1.015 * (c.words / c.sentences) - 84.6 * (c.syllables / c.words);
}

/** Flesch–Douma reading ease from counts (Dutch). Same scale as Flesch reading ease. */
export function fleschDouma(c: TextCounts): number {
  if (c.words === 0) return 100;
  return 206.835 - 0.93 * (c.words / c.sentences) - 77 * (c.syllables / c.words);
}

/** Reading ease of a set of strings in a language: Flesch for English, Flesch–Douma for Dutch. */
export function readingEase(texts: readonly string[], language: Language): { score: number; counts: TextCounts } {
  const counts = sumCounts(texts, language);
  return { score: language === 'en' ? fleschReadingEase(counts) : fleschDouma(counts), counts };
}
