import { describe, expect, it } from 'vitest';
import {
  countSentences,
  countSyllablesEn,
  countSyllablesNl,
  fleschDouma,
  fleschReadingEase,
  readingEase,
  sumCounts,
  words,
} from '../../../curriculum/readability.js';

describe('readability formulas', () => {
  it('computes Flesch reading ease from counts', () => {
    // 206.835 − 1.015 × (100 / 5) − 84.6 × (150 / 100) = 206.835 − 20.3 − 126.9 = 59.635
    expect(fleschReadingEase({ sentences: 5, words: 100, syllables: 150 })).toBeCloseTo(59.635, 6);
  });

  it('computes Flesch–Douma from counts', () => {
    // 206.835 − 0.93 × (100 / 5) − 77 × (150 / 100) = 206.835 − 18.6 − 115.5 = 72.735
    expect(fleschDouma({ sentences: 5, words: 100, syllables: 150 })).toBeCloseTo(72.735, 6);
  });

  it('scores a short English sentence as hand-computed', () => {
    // 6 words, 6 syllables, 1 sentence: 206.835 − 1.015 × 6 − 84.6 × 1 = 116.145
    const r = readingEase(['The cat sat on the mat.'], 'en');
    expect(r.counts).toEqual({ sentences: 1, words: 6, syllables: 6 });
    expect(r.score).toBeCloseTo(116.145, 6);
  });

  it('scores a hard English sentence as hand-computed', () => {
    // un-der-stand-ing (4) re-spon-si-bil-i-ty (6) is (1) im-por-tant (3) = 14 syllables, 4 words:
    // 206.835 − 1.015 × 4 − 84.6 × 3.5 = −93.325
    const r = readingEase(['Understanding responsibility is important.'], 'en');
    expect(r.counts).toEqual({ sentences: 1, words: 4, syllables: 14 });
    expect(r.score).toBeCloseTo(-93.325, 6);
  });

  it('scores Dutch text with Flesch–Douma as hand-computed', () => {
    // ik ga naar school | daar leer ik le-zen: 8 words, 9 syllables, 2 sentences:
    // 206.835 − 0.93 × 4 − 77 × 9/8 = 206.835 − 3.72 − 86.625 = 116.49
    const r = readingEase(['Ik ga naar school. Daar leer ik lezen.'], 'nl');
    expect(r.counts).toEqual({ sentences: 2, words: 8, syllables: 9 });
    expect(r.score).toBeCloseTo(116.49, 6);
  });

  it('counts every string as at least one sentence when measuring several', () => {
    expect(sumCounts(['Brandweer', 'Bakker', 'Wie helpt?'], 'nl')).toEqual({ sentences: 3, words: 4, syllables: 6 });
  });
});

describe('syllables and sentences', () => {
  it('counts Dutch syllables as vowel groups, a trema starting a new one', () => {
    expect(countSyllablesNl('school')).toBe(1);
    expect(countSyllablesNl('eeuw')).toBe(1);
    expect(countSyllablesNl('huisje')).toBe(2);
    expect(countSyllablesNl('beroepen')).toBe(3);
    expect(countSyllablesNl('nieuwsgierig')).toBe(3);
    expect(countSyllablesNl('ideeën')).toBe(3);
    expect(countSyllablesNl('Australië')).toBe(4);
    expect(countSyllablesNl('vrijwilligerswerk')).toBe(5);
    expect(countSyllablesNl('3')).toBe(1);
  });

  it('counts English syllables with the syllable package', () => {
    expect(countSyllablesEn('cat')).toBe(1);
    expect(countSyllablesEn('beautiful')).toBe(3);
    expect(countSyllablesEn('responsibility')).toBe(6);
  });

  it('splits sentences on end punctuation but not inside numbers', () => {
    expect(countSentences('Hi. I am Sam... Wow! "Yes." ok')).toBe(5);
    expect(countSentences('3.5 is a number')).toBe(1);
    expect(countSentences('')).toBe(1);
  });

  it('finds words, keeping inner apostrophes and hyphens and skipping emoji', () => {
    expect(words("Don't stop 🚒 e-mail me, 2 times")).toEqual(["Don't", 'stop', 'e-mail', 'me', '2', 'times']);
  });
});
