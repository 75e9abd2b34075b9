/**
 * Occupation search: MiniSearch (prefix + fuzzy, titles boosted) finds candidates in English and Dutch titles and
 * alternative titles; a documented re-ranking then orders them by how closely ONE title matches the query, so
 * results can be explained ("matches the Dutch title …"). Rules are in docs/careers.md; nothing else (no
 * sponsorship, no popularity from other pupils) affects the order.
 */
import MiniSearch from 'minisearch';
import type { CareersLang, MatchKind, MatchReason } from '../../contract/careers.js';

export interface SearchLabel {
  text: string;
  field: 'title' | 'alternative_title';
  lang: CareersLang;
  tokens: string[];
  chars: number;
}

export interface SearchableOccupation {
  id: string;
  title: { en: string; nl: string };
  alt: { en: string[]; nl: string[] };
}

/** Title weight over alternative titles (rule 2 in docs/careers.md). */
export const ALT_TITLE_WEIGHT = 0.7;
const CANDIDATES = 300;

export const normalize = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
export const tokenize = (s: string) =>
  normalize(s)
    .split(/[\s\p{P}\p{S}]+/u)
    .filter(Boolean);

/** Edit distance, giving up above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j] ?? 0;
      row[j] = Math.min(keep + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
      best = Math.min(best, row[j] ?? 0);
    }
    if (best > max) return max + 1;
  }
  return row[b.length] ?? max + 1;
}

const fuzziness = (term: string) => (term.length >= 4 ? Math.max(1, Math.round(term.length * 0.2)) : 0);

interface TermMatch {
  kind: 'exact' | 'prefix' | 'fuzzy';
  token: string;
  /** Characters of the title this term accounts for, weighted by match quality. */
  credit: number;
}

function matchTerm(q: string, tokens: string[]): TermMatch | null {
  let best: TermMatch | null = null;
  for (const t of tokens) {
    let m: TermMatch | null = null;
    if (t === q) m = { kind: 'exact', token: t, credit: t.length };
    else if (q.length >= 3 && t.startsWith(q)) m = { kind: 'prefix', token: t, credit: q.length * 0.9 };
    else {
      const max = fuzziness(q);
      if (max > 0) {
        const d = distance(q, t, max);
        if (d <= max) m = { kind: 'fuzzy', token: t, credit: t.length * (0.85 - 0.1 * d) };
      }
    }
    if (m && (!best || m.credit > best.credit)) best = m;
  }
  return best;
}

export interface Ranked {
  index: number;
  score: number;
  reasons: MatchReason[];
}

const kindOf = (m: TermMatch, field: SearchLabel['field']): MatchKind => (m.kind === 'exact' ? field : m.kind);

/** Scores one title: the share of its characters the query accounts for, times the field weight. */
function scoreLabel(terms: string[], label: SearchLabel): { score: number; reasons: MatchReason[] } | null {
  const reasons: MatchReason[] = [];
  let credit = 0;
  for (const q of terms) {
    const m = matchTerm(q, label.tokens);
    if (!m) return null;
    credit += m.credit;
    reasons.push({
      kind: kindOf(m, label.field),
      field: label.field,
      lang: label.lang,
      queryTerm: q,
      matchedTerm: m.token,
      matchedText: label.text,
    });
  }
  const weight = label.field === 'title' ? 1 : ALT_TITLE_WEIGHT;
  return { score: Math.min(1, credit / Math.max(1, label.chars)) * weight, reasons };
}

const KIND_ORDER: Record<MatchKind, number> = { title: 0, alternative_title: 1, prefix: 2, fuzzy: 3 };

export class OccupationSearch {
  private readonly index: MiniSearch<{ id: number; titleEn: string; titleNl: string; altEn: string; altNl: string }>;
  private readonly labels: SearchLabel[][];

  constructor(occupations: readonly SearchableOccupation[]) {
    const label = (text: string, field: SearchLabel['field'], lang: CareersLang): SearchLabel => {
      const tokens = tokenize(text);
      return { text, field, lang, tokens, chars: tokens.reduce((n, t) => n + t.length, 0) };
    };
    this.labels = occupations.map((o) => [
      label(o.title.en, 'title', 'en'),
      label(o.title.nl, 'title', 'nl'),
      ...o.alt.en.map((a) => label(a, 'alternative_title', 'en')),
      ...o.alt.nl.map((a) => label(a, 'alternative_title', 'nl')),
    ]);
    this.index = new MiniSearch({
      fields: ['titleEn', 'titleNl', 'altEn', 'altNl'],
      storeFields: [],
      tokenize: (text) => tokenize(text),
      processTerm: (term) => normalize(term),
    });
    this.index.addAll(
      occupations.map((o, id) => ({
        id,
        titleEn: o.title.en,
        titleNl: o.title.nl,
        altEn: o.alt.en.join(' | '),
        altNl: o.alt.nl.join(' | '),
      })),
    );
  }

  /** Ranked occupation indexes with their reasons; `filter` limits candidates (e.g. to an ISCO group). */
  search(query: string, lang: CareersLang, filter?: (index: number) => boolean): Ranked[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0) return [];
    const options = {
      boost: { titleEn: 3, titleNl: 3 },
      prefix: (term: string) => term.length >= 3,
      fuzzy: (term: string) => (term.length >= 4 ? 0.2 : false),
      ...(filter ? { filter: (r: { id: unknown }) => filter(r.id as number) } : {}),
    };
    let candidates = this.index.search(terms.join(' '), { ...options, combineWith: 'AND' });
    if (candidates.length === 0) candidates = this.index.search(terms.join(' '), { ...options, combineWith: 'OR' });
    const ranked = candidates.slice(0, CANDIDATES).map((c) => {
      const index = c.id as number;
      const labels = this.labels[index] ?? [];
      let best: { score: number; reasons: MatchReason[] } | null = null;
      for (const l of labels) {
        const s = scoreLabel(terms, l);
        // Ties between titles: the pupil's language first.
        if (s && (!best || s.score > best.score || (s.score === best.score && l.lang === lang && best.reasons[0]?.lang !== lang)))
          best = s;
      }
      if (!best) best = this.scatteredMatch(terms, labels);
      const tiebreak = Math.min(c.score, 999) / 1e6; // MiniSearch's BM25 score only orders otherwise equal results
      return { index, score: Math.round(best.score * 1000) / 1000 + tiebreak, reasons: best.reasons };
    });
    ranked.sort((a, b) => b.score - a.score || a.index - b.index);
    return ranked.filter((r) => r.reasons.length > 0);
  }

  /** No single title holds every term (or some term did not match at all): each term's best title, scored low. */
  private scatteredMatch(terms: string[], labels: SearchLabel[]): { score: number; reasons: MatchReason[] } {
    const reasons: MatchReason[] = [];
    let total = 0;
    for (const q of terms) {
      let best: { m: TermMatch; l: SearchLabel; share: number } | null = null;
      for (const l of labels) {
        const m = matchTerm(q, l.tokens);
        const share = m ? m.credit / Math.max(1, l.chars) : 0;
        if (m && (!best || share > best.share)) best = { m, l, share };
      }
      if (best) {
        total += best.share * (best.l.field === 'title' ? 1 : ALT_TITLE_WEIGHT);
        reasons.push({
          kind: kindOf(best.m, best.l.field),
          field: best.l.field,
          lang: best.l.lang,
          queryTerm: q,
          matchedTerm: best.m.token,
          matchedText: best.l.text,
        });
      }
    }
    reasons.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    // Rule 4: matches spread over several titles rank below any single-title match of the same strength.
    return { score: (total / terms.length) * 0.3, reasons };
  }
}

const LANG_NAME = { en: { en: 'English', nl: 'Engelse' }, nl: { en: 'Dutch', nl: 'Nederlandse' } } as const;

/** One sentence per language from the reasons. */
export function explain(reasons: MatchReason[]): { en: string; nl: string } {
  const first = reasons[0];
  if (!first) return { en: '', nl: '' };
  const text = first.matchedText;
  const fieldEn = first.field === 'title' ? 'title' : 'alternative title';
  const fieldNl = first.field === 'title' ? 'titel' : 'andere benaming';
  const fuzzy = reasons.filter((r) => r.kind === 'fuzzy');
  const prefix = reasons.filter((r) => r.kind === 'prefix');
  let en = `Matches the ${LANG_NAME[first.lang].en} ${fieldEn} “${text}”`;
  let nl = `Komt overeen met de ${LANG_NAME[first.lang].nl} ${fieldNl} “${text}”`;
  if (prefix.length > 0) {
    en += `; “${prefix.map((r) => r.queryTerm).join('”, “')}” is the start of a word`;
    nl += `; “${prefix.map((r) => r.queryTerm).join('”, “')}” is het begin van een woord`;
  }
  if (fuzzy.length > 0) {
    en += `; read “${fuzzy.map((r) => r.queryTerm).join('”, “')}” as “${fuzzy.map((r) => r.matchedTerm).join('”, “')}” (spelling)`;
    nl += `; “${fuzzy.map((r) => r.queryTerm).join('”, “')}” gelezen als “${fuzzy.map((r) => r.matchedTerm).join('”, “')}” (spelling)`;
  }
  return { en: `${en}.`, nl: `${nl}.` };
}
