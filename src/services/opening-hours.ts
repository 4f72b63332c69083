
/**
 * Opening hours as data (issue 17 point 2): the weekly windows of a contact method in its own IANA
 * zone, and the instants it next opens or closes. Pure functions of a window and an instant; every
 * local time is turned into an instant through the zone database (`Intl`), so a daylight-saving switch
 * between now and the next opening moves the instant, never the local time.
 */

/** Days of the week, Sunday first (the index is the day's number in `WeeklyWindow` minutes). */
export enum Weekday {
  SUNDAY = 'SUNDAY',
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
}

export const WEEKDAYS: readonly Weekday[] = [Weekday.SUNDAY, Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY];

const DAY = 24 * 60;
const WEEK = 7 * DAY;

/** A recurring weekly window: half-open intervals of minutes since Sunday 00:00 local time. */
export interface WeeklyWindow {
  /** A label for logs and code (not for display: texts come from the catalogs). */
  name: string;
  timeZone: string;
  intervals: readonly (readonly [number, number])[];
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const weekFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes since Sunday 00:00 of `now` as a wall clock in `timeZone` shows it. */
export function localWeekMinute(now: Date, timeZone: string): number {
  let fmt = weekFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    weekFormats.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(now).map((p) => [p.type, p.value]));
  return WEEKDAY_INDEX[parts.weekday] * DAY + Number(parts.hour) * 60 + Number(parts.minute);
}

/** Whether `now` falls inside the window (start inclusive, end exclusive). */
export function isOpen(window: WeeklyWindow, now: Date): boolean {
  const minute = localWeekMinute(now, window.timeZone);
  return window.intervals.some(([start, end]) => minute >= start && minute < end);
}

/**
 * One recurring opening: on each of `days` it opens at `opens` (local "HH:mm") and closes at `closes`
 * local time `closesDaysLater` days later (0: the same day; Enterprise Support's Sunday 17:00 to
 * Friday 17:00 is `days: [SUNDAY], closesDaysLater: 5`).
 */
export interface HoursWindow {
  days: Weekday[];
  opens: string;
  closes: string;
  closesDaysLater: number;
  timeZone: string;
}

/** How a method's hours are organised. */
export enum HoursKind {
  /** Around the clock (24×7). */
  ALWAYS = 'ALWAYS',
  /** In the weekly windows listed. */
  WEEKLY = 'WEEKLY',
  /** Not offered at all (in this language). */
  NOT_OFFERED = 'NOT_OFFERED',
  /** No opening hours: a date and time is booked (conference calls, ENT-3). */
  BY_APPOINTMENT = 'BY_APPOINTMENT',
}

/** The hours of one method in one language, and where they stand at an instant. */
export interface Hours {
  kind: HoursKind;
  /** IANA zone of the windows; null unless WEEKLY. */
  timeZone: string | null;
  windows: HoursWindow[];
  /** Open at the instant asked about (always true for ALWAYS and BY_APPOINTMENT, false for NOT_OFFERED). */
  openNow: boolean;
  /** When closed: the next opening. */
  opensAt: Date | null;
  /** When open in a window: the end of that window. */
  closesAt: Date | null;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (minuteOfDay: number) => `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;

/** The windows of a weekly window as data, intervals with the same times grouped by day. */
export function windowsOf(window: WeeklyWindow): HoursWindow[] {
  const groups = new Map<string, HoursWindow>();
  for (const [start, end] of window.intervals) {
    const day = Math.floor(start / DAY);
    const opens = clock(start % DAY);
    const closesDaysLater = Math.floor((end - 1) / DAY) - day;
    // an end at 24:00 is said as 24:00 of that day, not 00:00 of the next
    const endOfDay = end - (day + closesDaysLater) * DAY;
    const closes = clock(endOfDay);
    const id = `${opens}-${closes}-${closesDaysLater}`;
    const group = groups.get(id) ?? { days: [], opens, closes, closesDaysLater, timeZone: window.timeZone };
    group.days.push(WEEKDAYS[day]);
    groups.set(id, group);
  }
  return [...groups.values()];
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of `t` in `timeZone`, as numbers. */
function wallClock(t: number, timeZone: string) {
  let fmt = partFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    partFormats.set(timeZone, fmt);
  }
  const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** The zone's offset from UTC at instant `t`, in ms. */
function offsetAt(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows `minuteOfDay` on the local date
 * year-month-day (month 1-based; the day may overflow, Date.UTC normalises it). The offset is read
 * twice: once at the naive guess, once at the corrected instant, so a switch between them counts.
 */
export function localInstant(timeZone: string, year: number, month: number, day: number, minuteOfDay: number): Date {
  const naive = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  return new Date(second);
}

/** Where `window` stands at `now`: open until `closesAt`, or closed until `opensAt`. */
export function openingState(window: WeeklyWindow, now: Date): { openNow: boolean; opensAt: Date | null; closesAt: Date | null } {
  const minute = localWeekMinute(now, window.timeZone);
  const today = wallClock(now.getTime(), window.timeZone);
  const todayIndex = Math.floor(minute / DAY);
  // the local date `weekMinute` falls on (possibly next week), at that minute of its day
  const at = (weekMinute: number) => localInstant(window.timeZone, today.year, today.month, today.day + Math.floor(weekMinute / DAY) - todayIndex, weekMinute % DAY);
  const current = window.intervals.find(([start, end]) => minute >= start && minute < end);
  if (current) return { openNow: true, opensAt: null, closesAt: at(current[1]) };
  const starts = window.intervals.map(([start]) => (start > minute ? start : start + WEEK));
  return { openNow: false, opensAt: at(Math.min(...starts)), closesAt: null };
}

/** The instant the window next opens (now while it is open), daylight saving included. */
export function nextOpening(window: WeeklyWindow, now: Date): Date {
  return openingState(window, now).opensAt ?? now;
}

/**
 * Minutes from `now` (to the minute) until the window next opens: 0 while it is open. Measured
 * between instants, so a daylight-saving switch in between counts.
 */
export function minutesUntilOpen(window: WeeklyWindow, now: Date): number {
  const { opensAt } = openingState(window, now);
  if (!opensAt) return 0;
  return Math.round((opensAt.getTime() - Math.floor(now.getTime() / 60_000) * 60_000) / 60_000);
}

/** The hours of a window (or 24×7, not offered, by appointment) and where they stand at `now`. */
export function hoursOf(window: WeeklyWindow | 'ALWAYS' | 'NOT_OFFERED' | 'BY_APPOINTMENT', now: Date): Hours {
  if (window === 'ALWAYS' || window === 'BY_APPOINTMENT') {
    return { kind: window === 'ALWAYS' ? HoursKind.ALWAYS : HoursKind.BY_APPOINTMENT, timeZone: null, windows: [], openNow: true, opensAt: null, closesAt: null };
  }
  if (window === 'NOT_OFFERED') return { kind: HoursKind.NOT_OFFERED, timeZone: null, windows: [], openNow: false, opensAt: null, closesAt: null };
  return { kind: HoursKind.WEEKLY, timeZone: window.timeZone, windows: windowsOf(window), ...openingState(window, now) };
}
