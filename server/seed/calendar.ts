/**
 * When things happen in a synthetic school year: school days of an English academic year (September to July,
 * weekdays, without the usual half-term, Christmas, Easter and summer holidays), lesson and homework times.
 * Approximate on purpose (holiday dates differ per school); the point is that activity clusters in term time.
 */
import type { Rng } from './random.js';

const DAY_MS = 86_400_000;

export interface SeedYear {
  /** `2025-26`. */
  id: string;
  start: Date;
  /** The last millisecond of the year (31 August). */
  end: Date;
  /** Every school day (UTC midnight), in order. */
  schoolDays: Date[];
}

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/** Whether the academic year id is well formed (`2025-26`). */
export function isYearId(id: string): boolean {
  return /^\d{4}-\d{2}$/.test(id) && Number(id.slice(5)) === (Number(id.slice(0, 4)) + 1) % 100;
}

/** The academic year holding `date` (England: 1 September to 31 August). */
export function yearIdOf(date: Date): string {
  const y = date.getUTCMonth() >= 8 ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
  return `${String(y)}-${String((y + 1) % 100).padStart(2, '0')}`;
}

/** The last academic year that has ended by `now` (the default for a full year of activity). */
export function lastCompletedYearId(now: Date): string {
  const current = yearIdOf(now);
  const y = Number(current.slice(0, 4)) - 1;
  return `${String(y)}-${String((y + 1) % 100).padStart(2, '0')}`;
}

export function seedYear(id: string): SeedYear {
  if (!isYearId(id)) throw new RangeError(`not an academic year: ${id} (expected e.g. 2025-26)`);
  const y = Number(id.slice(0, 4));
  const holidays: [Date, Date][] = [
    [utc(y, 10, 25), utc(y, 11, 2)], // autumn half term
    [utc(y, 12, 20), utc(y + 1, 1, 4)], // Christmas
    [utc(y + 1, 2, 14), utc(y + 1, 2, 22)], // spring half term
    [utc(y + 1, 3, 28), utc(y + 1, 4, 12)], // Easter
    [utc(y + 1, 5, 23), utc(y + 1, 5, 31)], // summer half term
  ];
  const first = utc(y, 9, 3);
  const last = utc(y + 1, 7, 21);
  const schoolDays: Date[] = [];
  for (let t = first.getTime(); t <= last.getTime(); t += DAY_MS) {
    const d = new Date(t);
    const weekday = d.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    if (holidays.some(([a, b]) => d >= a && d <= b)) continue;
    schoolDays.push(d);
  }
  return { id, start: utc(y, 9, 1), end: new Date(utc(y + 1, 9, 1).getTime() - 1), schoolDays };
}

/** A time during lessons (09:00-15:20 UTC) on `day`. */
export function lessonTime(rng: Rng, day: Date): Date {
  return new Date(day.getTime() + (9 * 60 + rng.int(0, 380)) * 60_000 + rng.int(0, 59_999));
}

/** A homework time (16:00-21:00 UTC) on `day` or, now and then, the weekend after it. */
export function homeworkTime(rng: Rng, day: Date): Date {
  const shift = rng.chance(0.15) ? (6 - day.getUTCDay()) * DAY_MS : 0;
  return new Date(day.getTime() + shift + (16 * 60 + rng.int(0, 300)) * 60_000 + rng.int(0, 59_999));
}

/** The school day `n` school days after `day` (or the last one of the year). */
export function schoolDayAfter(year: SeedYear, day: Date, n: number): Date {
  const i = year.schoolDays.findIndex((d) => d.getTime() >= day.getTime());
  const days = year.schoolDays;
  return days[Math.min(days.length - 1, Math.max(0, (i < 0 ? days.length - 1 : i) + n))] as Date;
}

export const dayString = (d: Date) => d.toISOString().slice(0, 10);
export { DAY_MS };
