/** The occupation search's ranking rules (docs/careers.md), on a small fixed catalogue. */
import { describe, expect, it } from 'vitest';
import { explain, OccupationSearch, tokenize } from '../../../server/modules/careers/search.js';

const occ = (id: string, en: string, nl: string, altEn: string[] = [], altNl: string[] = []) => ({
  id,
  title: { en, nl },
  alt: { en: altEn, nl: altNl },
});
const catalogue = [
  occ('a', 'specialist nurse', 'gespecialiseerd verpleegkundige', [], ['IC-verpleegkundige', 'verpleegkundige urologie']),
  occ('b', 'nurse responsible for general care', 'algemeen verpleegkundige', ['ward nurse'], ['basisverpleegkundige']),
  occ('c', 'electrician', 'monteur elektrische installaties', ['wireman', 'installation electrician']),
  occ('d', 'mining electrician', 'elektromonteur mijnbouw', ['electrician']),
  occ('e', 'plumber', 'loodgieter'),
];
const search = new OccupationSearch(catalogue);
const top = (q: string, lang: 'en' | 'nl' = 'en') => search.search(q, lang).map((r) => catalogue[r.index]?.id);

describe('OccupationSearch', () => {
  it('ranks the title closest to the query first', () => {
    expect(top('verpleegkundige', 'nl')[0]).toBe('b');
    expect(top('electrician')[0]).toBe('c');
  });

  it('prefers a title to an alternative title of the same closeness', () => {
    expect(top('electrician').indexOf('c')).toBeLessThan(top('electrician').indexOf('d'));
  });

  it('tolerates typos and explains them', () => {
    const [first] = search.search('electrcian', 'en');
    expect(catalogue[first?.index ?? -1]?.id).toBe('c');
    expect(first?.reasons[0]).toMatchObject({ kind: 'fuzzy', matchedTerm: 'electrician' });
    expect(explain(first?.reasons ?? []).en).toContain('spelling');
  });

  it('finds prefixes and alternative titles', () => {
    expect(top('plumb')[0]).toBe('e');
    const [wire] = search.search('wireman', 'en');
    expect(wire?.reasons[0]).toMatchObject({ kind: 'alternative_title', matchedText: 'wireman' });
  });

  it('returns nothing for a query that matches no title', () => {
    expect(search.search('zzzzqqq', 'en')).toEqual([]);
  });

  it('tokenizes accents and punctuation away', () => {
    expect(tokenize('Ingénieur, IC-verpleegkundige')).toEqual(['ingenieur', 'ic', 'verpleegkundige']);
  });
});
