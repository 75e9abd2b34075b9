/**
 * Pure calendar arithmetic: country defaults, resolving a date to its academic year and term, and the year-group
 * succession used by the rollover. No storage here (service.ts reads the school's changes and calls these).
 *
 * Defaults (a school changes its own dates in the calendar page):
 * - England: the school year runs from September to July in three terms, autumn (September to Christmas), spring
 *   (January to Easter) and summer (after Easter to July); schools set their own term dates within that
 *   (https://www.gov.uk/school-term-holiday-dates). So that every day belongs to a year, a year here runs from
 *   1 September to 31 August and the summer holiday belongs to the summer term.
 * - The Netherlands: the school year is 1 August to 31 July (CBS, "Schooljaar":
 *   https://www.cbs.nl/nl-nl/onze-diensten/methoden/begrippen/schooljaar). Secondary schools divide it into
 *   periodes, most often three of about thirteen weeks, each ending with a test week and a report (e.g. Roncalli
 *   Mavo: 22 Aug–7 Dec, 8 Dec–7 Apr, 10 Apr–end of June; Metzo College: three periods of about 13 weeks), so the
 *   default is three periodes starting 1 August, 1 December and 1 April.
 * - United States and Canada: September to August in two semesters (fall, spring); other countries: England's.
 */

export type Country = 'england' | 'netherlands' | 'us' | 'canada' | 'other';

export interface TermDef {
  id: string;
  name: string;
  /** First day, YYYY-MM-DD. */
  start: string;
}
export interface YearOverride {
  id: string;
  start: string;
  terms: TermDef[];
}
export interface CalendarSource {
  country: Country;
  /** The school's own years (changes to the defaults). */
  years: readonly YearOverride[];
}

export interface ResolvedTerm {
  id: string;
  name: string;
  start: Date;
  /** The last millisecond of the term's last day (UTC). */
  end: Date;
  startDay: string;
  endDay: string;
}
export interface AcademicYear {
  id: string;
  start: Date;
  /** The last millisecond of the year's last day (UTC). */
  end: Date;
  startDay: string;
  endDay: string;
  custom: boolean;
  terms: ResolvedTerm[];
}

interface DefaultTerm {
  id: string;
  name: { en: string; nl: string };
  /** Month (1-12) and day the term starts; months before the year's start month fall in the second calendar year. */
  month: number;
  day: number;
}

const DEFAULTS: Record<Country, { month: number; day: number; terms: DefaultTerm[] }> = {
  england: {
    month: 9,
    day: 1,
    terms: [
      { id: 'autumn', name: { en: 'Autumn term', nl: 'Herfstperiode' }, month: 9, day: 1 },
      { id: 'spring', name: { en: 'Spring term', nl: 'Voorjaarsperiode' }, month: 1, day: 1 },
      { id: 'summer', name: { en: 'Summer term', nl: 'Zomerperiode' }, month: 4, day: 1 },
    ],
  },
  netherlands: {
    month: 8,
    day: 1,
    terms: [
      { id: 'periode-1', name: { en: 'Period 1', nl: 'Periode 1' }, month: 8, day: 1 },
      { id: 'periode-2', name: { en: 'Period 2', nl: 'Periode 2' }, month: 12, day: 1 },
      { id: 'periode-3', name: { en: 'Period 3', nl: 'Periode 3' }, month: 4, day: 1 },
    ],
  },
  us: {
    month: 9,
    day: 1,
    terms: [
      { id: 'fall', name: { en: 'Fall semester', nl: 'Najaarssemester' }, month: 9, day: 1 },
      { id: 'spring', name: { en: 'Spring semester', nl: 'Voorjaarssemester' }, month: 2, day: 1 },
    ],
  },
  canada: {
    month: 9,
    day: 1,
    terms: [
      { id: 'fall', name: { en: 'Fall semester', nl: 'Najaarssemester' }, month: 9, day: 1 },
      { id: 'spring', name: { en: 'Spring semester', nl: 'Voorjaarssemester' }, month: 2, day: 1 },
    ],
  },
  other: {
    month: 9,
    day: 1,
    terms: [
      { id: 'term-1', name: { en: 'Term 1', nl: 'Periode 1' }, month: 9, day: 1 },
      { id: 'term-2', name: { en: 'Term 2', nl: 'Periode 2' }, month: 1, day: 1 },
      { id: 'term-3', name: { en: 'Term 3', nl: 'Periode 3' }, month: 4, day: 1 },
    ],
  },
};

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const ymd = (y: number, m: number, d: number) => `${String(y)}-${pad(m)}-${pad(d)}`;

/** `2026-27` for the year starting in 2026. */
export const yearIdOf = (startYear: number) => `${String(startYear)}-${pad((startYear + 1) % 100)}`;
export const startYearOf = (yearId: string) => Number(yearId.slice(0, 4));

/** Whether `yearId` is well formed: the second part is the next calendar year (2026-27, not 2026-29). */
export const isYearId = (yearId: string) =>
  /^\d{4}-\d{2}$/.test(yearId) && Number(yearId.slice(5)) === (startYearOf(yearId) + 1) % 100;

/** The country default for the year starting in `startYear`, term names in `lang`. */
export function defaultYear(country: Country, startYear: number, lang: 'en' | 'nl' = 'en'): YearOverride {
  const def = DEFAULTS[country];
  return {
    id: yearIdOf(startYear),
    start: ymd(startYear, def.month, def.day),
    terms: def.terms.map((t) => ({
      id: t.id,
      name: t.name[lang],
      start: ymd(t.month >= def.month ? startYear : startYear + 1, t.month, t.day),
    })),
  };
}

function definitionOf(source: CalendarSource, startYear: number, lang: 'en' | 'nl'): { def: YearOverride; custom: boolean } {
  const id = yearIdOf(startYear);
  const own = source.years.find((y) => y.id === id);
  return own ? { def: own, custom: true } : { def: defaultYear(source.country, startYear, lang), custom: false };
}

/** The academic year starting in `startYear`: it runs to the day before the next year's start. */
export function resolveYearByStart(source: CalendarSource, startYear: number, lang: 'en' | 'nl' = 'en'): AcademicYear {
  const { def, custom } = definitionOf(source, startYear, lang);
  const nextStart = dayStart(definitionOf(source, startYear + 1, lang).def.start);
  const end = new Date(nextStart.getTime() - 1);
  const terms = [...def.terms].sort((a, b) => a.start.localeCompare(b.start));
  return {
    id: def.id,
    start: dayStart(def.start),
    end,
    startDay: def.start,
    endDay: dayOf(new Date(nextStart.getTime() - DAY_MS)),
    custom,
    terms: terms.map((t, i) => {
      const next = terms[i + 1];
      const termEnd = next ? new Date(dayStart(next.start).getTime() - 1) : end;
      return { id: t.id, name: t.name, start: dayStart(t.start), end: termEnd, startDay: t.start, endDay: dayOf(termEnd) };
    }),
  };
}

/** The academic year that holds `date`. */
export function resolveYear(source: CalendarSource, date: Date, lang: 'en' | 'nl' = 'en'): AcademicYear {
  const y = date.getUTCFullYear();
  for (const startYear of [y, y - 1, y + 1, y - 2]) {
    const year = resolveYearByStart(source, startYear, lang);
    if (year.start <= date && date <= year.end) return year;
  }
  // Only reachable with overlapping custom years, which setYear refuses.
  return resolveYearByStart(source, y - 1, lang);
}

/** The term of `year` that holds `date`, or null outside the year. */
export function termOf(year: AcademicYear, date: Date): ResolvedTerm | null {
  if (date < year.start || date > year.end) return null;
  return year.terms.find((t) => t.start <= date && date <= t.end) ?? null;
}

/**
 * Checks a school's change to a year: the start within three months of the default, the terms in order, the
 * first term starting on the year's first day, and every term before the next year starts.
 * @returns problems as {path, message}; empty when valid.
 */
export function checkYear(source: CalendarSource, change: YearOverride): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const startYear = startYearOf(change.id);
  const dflt = dayStart(defaultYear(source.country, startYear).start).getTime();
  if (Math.abs(dayStart(change.start).getTime() - dflt) > 92 * DAY_MS)
    problems.push({ path: 'start', message: `must be within three months of ${defaultYear(source.country, startYear).start}` });
  const next = resolveYearByStart({ ...source, years: source.years.filter((y) => y.id !== change.id) }, startYear + 1);
  const prev = resolveYearByStart({ ...source, years: source.years.filter((y) => y.id !== change.id) }, startYear - 1);
  if (dayStart(change.start) <= prev.start) problems.push({ path: 'start', message: 'must be after the previous year starts' });
  if (change.terms[0]?.start !== change.start)
    problems.push({ path: 'terms.0.start', message: 'the first term starts on the first day of the year' });
  const ids = new Set<string>();
  change.terms.forEach((t, i) => {
    if (ids.has(t.id)) problems.push({ path: `terms.${String(i)}.id`, message: 'term ids must differ' });
    ids.add(t.id);
    if (i > 0 && t.start <= (change.terms[i - 1]?.start ?? ''))
      problems.push({ path: `terms.${String(i)}.start`, message: 'must be after the previous term starts' });
    if (dayStart(t.start) >= next.start)
      problems.push({ path: `terms.${String(i)}.start`, message: `must be before the next year starts (${next.startDay})` });
  });
  return problems;
}

/**
 * The year group a pupil moves up to, or null when `code` is the last of its kind (EN-Y13, NL-G8, NL-HAVO5, ...).
 * EN-R → EN-Y1, US-K → US-G1, NL-G7 → NL-G8; a next code must be a known one.
 */
export function nextYearGroup(code: string, known: ReadonlySet<string>): string | null {
  const upper = code.toUpperCase();
  const first: Record<string, string> = { 'EN-R': 'EN-Y1', 'US-K': 'US-G1', 'CA-K': 'CA-G1' };
  if (first[upper]) return known.has(first[upper]) ? first[upper] : null;
  const m = /^([A-Z]{2}-[A-Z]*)(\d+)$/.exec(upper);
  if (!m?.[1] || !m[2]) return null;
  const next = `${m[1]}${String(Number(m[2]) + 1)}`;
  return known.has(next) ? next : null;
}

/** Year groups with no successor: by default their pupils leave at the end of the year. */
export function defaultLeavingYearGroups(known: ReadonlySet<string>, country: Country): string[] {
  const prefix =
    country === 'england'
      ? 'EN-'
      : country === 'netherlands'
        ? 'NL-'
        : country === 'us'
          ? 'US-'
          : country === 'canada'
            ? 'CA-'
            : '';
  return [...known].filter((c) => c.startsWith(prefix) && nextYearGroup(c, known) === null).sort();
}
