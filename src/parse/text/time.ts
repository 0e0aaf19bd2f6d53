/**
 * Timestamps printed in logs, and how they become capture times.
 *
 * Logs print wall-clock time in many shapes; scanners here read them with charCode loops (no
 * regular expressions) and return the parts that were printed. The resolver then turns parts
 * into a Timestamp: printed wall-clock time is read as UTC (logs rarely print their zone); a
 * printed zone offset or a Unix epoch is exact. What the log does not print comes from context:
 * the date of the latest fully dated line, else the `--date` option (the date of the first
 * message), else the file's modification date (the date of the last message), else
 * 1970-01-01 with a `text.no-date` diagnostic. A time of day that jumps back by more than
 * 12 hours is the next day (a midnight rollover); December to January is the next year.
 */
import type { Timestamp } from '../../types.js';

export type TimeKind = 'epoch' | 'full' | 'monthday' | 'time' | 'relative';

/** What a log line printed. Fields that were not printed are 0. */
export interface TimeParts {
  readonly kind: TimeKind;
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  readonly day: number;
  /** Seconds since midnight (wall clock), or since the epoch for 'epoch', or the delta for 'relative'. */
  readonly seconds: number;
  readonly nsec: number;
  /** Zone offset east of UTC in seconds, when printed. */
  readonly offset: number | null;
}

export interface ScannedTime {
  readonly parts: TimeParts;
  /** Index just after the timestamp (and its closing bracket). */
  readonly end: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Value of exactly `n` digits at i, or -1. */
function digits(s: string, i: number, n: number): number {
  if (i + n > s.length) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/** Month index (1-12) of a three-letter English month name at i, or 0. */
function monthAt(s: string, i: number): number {
  if (i + 3 > s.length) return 0;
  const m = s.slice(i, i + 3).toLowerCase();
  const k = MONTHS.indexOf(m);
  return k < 0 ? 0 : k + 1;
}

interface Clock {
  seconds: number;
  nsec: number;
  end: number;
}

/** HH:MM:SS with an optional fraction (`.` or `,`, up to 9 digits) at i; 1-digit hours allowed. */
function clockAt(s: string, i: number): Clock | null {
  let h = digits(s, i, 2);
  let p = i + 2;
  if (h < 0) {
    h = digits(s, i, 1);
    p = i + 1;
  }
  if (h < 0 || h > 23 || s.charCodeAt(p) !== 0x3a) return null;
  const mi = digits(s, p + 1, 2);
  if (mi < 0 || mi > 59 || s.charCodeAt(p + 3) !== 0x3a) return null;
  const sec = digits(s, p + 4, 2);
  if (sec < 0 || sec > 60) return null;
  p += 6;
  let nsec = 0;
  const sep = s.charCodeAt(p);
  if ((sep === 0x2e || sep === 0x2c) && isDigit(s.charCodeAt(p + 1))) {
    p++;
    let scale = 100_000_000;
    while (p < s.length && isDigit(s.charCodeAt(p))) {
      if (scale >= 1) nsec += (s.charCodeAt(p) - 0x30) * scale;
      scale /= 10;
      p++;
    }
    nsec = Math.floor(nsec);
  }
  // A following digit means this was not a clock (e.g. part of a longer number).
  if (isDigit(s.charCodeAt(p))) return null;
  return { seconds: h * 3600 + mi * 60 + sec, nsec, end: p };
}

/** ` AM` / ` PM` after a 12-hour clock. */
function meridiem(s: string, clock: Clock): Clock {
  if (s.charCodeAt(clock.end) !== 0x20) return clock;
  const m = s.slice(clock.end + 1, clock.end + 3).toUpperCase();
  if (m !== 'AM' && m !== 'PM') return clock;
  let seconds = clock.seconds % (12 * 3600);
  if (m === 'PM') seconds += 12 * 3600;
  return { seconds, nsec: clock.nsec, end: clock.end + 3 };
}

/** Z, +HH:MM, +HHMM, -HH after an ISO time. */
function zoneAt(s: string, i: number): { offset: number | null; end: number } {
  const c = s.charCodeAt(i);
  if (c === 0x5a) return { offset: 0, end: i + 1 };
  if (c !== 0x2b && c !== 0x2d) return { offset: null, end: i };
  const sign = c === 0x2b ? 1 : -1;
  const h = digits(s, i + 1, 2);
  if (h < 0) return { offset: null, end: i };
  let p = i + 3;
  if (s.charCodeAt(p) === 0x3a) p++;
  const m = digits(s, p, 2);
  if (m < 0) return { offset: sign * h * 3600, end: i + 3 };
  return { offset: sign * (h * 3600 + m * 60), end: p + 2 };
}

function parts(kind: TimeKind, year: number, month: number, day: number, clock: Clock, offset: number | null = null): TimeParts {
  return { kind, year, month, day, seconds: clock.seconds, nsec: clock.nsec, offset };
}

/** Skips one separator between date and time: a space run, `T`, `-` (sipp short logs use a tab), or `@`. */
function skipDateTimeSeparator(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 0x54 || c === 0x09) return i + 1;
  let p = i;
  while (s.charCodeAt(p) === 0x20) p++;
  return p;
}

/**
 * A timestamp starting exactly at i (after an optional `[`, `*` or `.`), in one of the shapes
 * logs print:
 * - `2024-03-21 10:15:24.123`, `2024/03/21 10:15:24.123456`, `2024-03-21T10:15:24.1+01:00`
 * - `Mar 21 10:15:24(.123)` (syslog, Asterisk, Cisco), `Mar 21 2024 10:15:24`
 * - `Aug 07, 2024 11:42:17 PM` (java.util.logging)
 * - `03-27 19:55:24.130` (Android logcat)
 * - `10:15:24.123` (time of day only)
 * - `1559123758.904466` (Unix epoch with a fraction, 10 digits)
 * - `+1.108971` (ngrep -T: seconds since the previous match)
 */
export function scanTime(s: string, i = 0): ScannedTime | null {
  let p = i;
  let bracket = false;
  const c0 = s.charCodeAt(p);
  if (c0 === 0x5b) {
    bracket = true;
    p++;
  } else if (c0 === 0x2a || c0 === 0x2e) {
    p++; // Cisco: '*' = clock not synchronised, '.' = synchronised once
  }
  const done = (t: TimeParts, end: number): ScannedTime => {
    let e = end;
    if (bracket && s.charCodeAt(e) === 0x5d) e++;
    return { parts: t, end: e };
  };
  const c = s.charCodeAt(p);
  if (c === 0x2b) {
    // +SECONDS.FRACTION
    let q = p + 1;
    let secs = 0;
    const a = q;
    while (isDigit(s.charCodeAt(q))) secs = secs * 10 + (s.charCodeAt(q++) - 0x30);
    if (q === a || s.charCodeAt(q) !== 0x2e) return null;
    q++;
    let nsec = 0;
    let scale = 100_000_000;
    const f = q;
    while (isDigit(s.charCodeAt(q))) {
      if (scale >= 1) nsec += (s.charCodeAt(q) - 0x30) * scale;
      scale /= 10;
      q++;
    }
    if (q === f) return null;
    return done(parts('relative', 0, 0, 0, { seconds: secs, nsec: Math.floor(nsec), end: q }), q);
  }
  if (isDigit(c)) {
    const year = digits(s, p, 4);
    const sep = s.charCodeAt(p + 4);
    if (year >= 1970 && (sep === 0x2d || sep === 0x2f)) {
      const month = digits(s, p + 5, 2);
      const day = digits(s, p + 8, 2);
      if (month < 1 || month > 12 || day < 1 || day > 31 || s.charCodeAt(p + 7) !== sep) return null;
      const clock = clockAt(s, skipDateTimeSeparator(s, p + 10));
      if (clock === null) return null;
      const zone = zoneAt(s, clock.end);
      return done(parts('full', year, month, day, clock, zone.offset), zone.end);
    }
    // Unix epoch: ten digits, a dot, a fraction.
    const ten = digits(s, p, 10);
    if (ten >= 0 && s.charCodeAt(p + 10) === 0x2e && isDigit(s.charCodeAt(p + 11))) {
      let q = p + 11;
      let nsec = 0;
      let scale = 100_000_000;
      while (isDigit(s.charCodeAt(q))) {
        if (scale >= 1) nsec += (s.charCodeAt(q) - 0x30) * scale;
        scale /= 10;
        q++;
      }
      return done(parts('epoch', 0, 0, 0, { seconds: ten, nsec: Math.floor(nsec), end: q }), q);
    }
    // MM-DD HH:MM:SS (logcat)
    const mm = digits(s, p, 2);
    if (mm >= 1 && mm <= 12 && s.charCodeAt(p + 2) === 0x2d) {
      const dd = digits(s, p + 3, 2);
      if (dd < 1 || dd > 31 || s.charCodeAt(p + 5) !== 0x20) return null;
      const clock = clockAt(s, p + 6);
      return clock === null ? null : done(parts('monthday', 0, mm, dd, clock), clock.end);
    }
    const clock = clockAt(s, p);
    return clock === null ? null : done(parts('time', 0, 0, 0, clock), clock.end);
  }
  const month = monthAt(s, p);
  if (month === 0) return null;
  let q = p + 3;
  if (s.charCodeAt(q) !== 0x20) return null;
  while (s.charCodeAt(q) === 0x20) q++;
  let day = digits(s, q, 2);
  if (day < 0) {
    day = digits(s, q, 1);
    q += 1;
  } else q += 2;
  if (day < 1 || day > 31) return null;
  let year = 0;
  if (s.charCodeAt(q) === 0x2c) q++; // "Aug 07, 2024"
  if (s.charCodeAt(q) !== 0x20) return null;
  q++;
  const y = digits(s, q, 4);
  if (y >= 1970 && s.charCodeAt(q + 4) === 0x20) {
    year = y;
    q += 5;
  }
  let clock = clockAt(s, q);
  if (clock === null) return null;
  clock = meridiem(s, clock);
  // "Mar  1 00:10:28.123 UTC" (Cisco) and "... 2024" after the clock
  let end = clock.end;
  if (year === 0 && s.charCodeAt(end) === 0x20) {
    const y2 = digits(s, end + 1, 4);
    if (y2 >= 1970 && !isDigit(s.charCodeAt(end + 5))) {
      year = y2;
      end += 5;
    }
  }
  return done(parts(year > 0 ? 'full' : 'monthday', year, month, day, clock), end);
}

/** A `YYYY-MM-DD` date (the `--date` option); null when it is not one. */
export function parseDate(text: string): { year: number; month: number; day: number } | null {
  if (text.length !== 10 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

const DAY = 86400;

function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / 1000 / DAY);
}

/** Where the date of time-only stamps came from. */
export type DateSource = 'log' | 'option' | 'mtime' | 'none';

/** A resolved time; `anchored` when its date came from the --date option, the file date or nothing. */
export interface ResolvedTime {
  readonly sec: number;
  readonly nsec: number;
  /** What the log printed (settledAnchor shifts time-only stamps by days, month-day ones by years). */
  readonly kind: TimeKind;
  readonly anchored: boolean;
}

/**
 * Turns printed parts into timestamps, in log order. One per input.
 * With the file's modification date as anchor, a log is read twice (reader.ts): a first reading
 * of its times only asks `settledAnchor()` for the date that puts its last anchored time on the
 * file date (a log is modified when its last line is written), and the second reading anchors on
 * that date, so no message waits for the end of the log.
 */
export class TimeResolver {
  /** Day number of the current date context, or null before any. */
  private day: number | null = null;
  private year = 0;
  private month = 0;
  private contextFromLog = false;
  /** Latest resolved second of the day (for rollovers). */
  private lastTod: number | null = null;
  private lastAbs: { sec: number; nsec: number } | null = null;
  /** The last time dated by the anchor (for settledAnchor). */
  private lastAnchored: ResolvedTime | null = null;
  private anchorUsed = false;
  private readonly anchorDay: number | null;

  constructor(
    anchor: { year: number; month: number; day: number } | null,
    readonly source: DateSource,
  ) {
    this.anchorDay = anchor === null ? null : dayNumber(anchor.year, anchor.month, anchor.day);
  }

  /** True once a time was dated by the anchor (option, file date or nothing). */
  get usedAnchor(): boolean {
    return this.anchorUsed;
  }

  /** True once a time was dated by nothing at all (no log date, no option, no file date). */
  get undated(): boolean {
    return this.anchorUsed && this.source === 'none';
  }

  private setContext(day: number, fromLog: boolean): void {
    this.day = day;
    const d = new Date(day * DAY * 1000);
    this.year = d.getUTCFullYear();
    this.month = d.getUTCMonth() + 1;
    this.contextFromLog = fromLog;
  }

  private anchorContext(): void {
    this.anchorUsed = true;
    this.setContext(this.anchorDay ?? 0, false);
  }

  /** Resolves the time of a message (or of a dated log line when `observeOnly`). */
  resolve(p: TimeParts): ResolvedTime {
    let sec: number;
    let anchored = false;
    switch (p.kind) {
      case 'epoch': {
        sec = p.seconds;
        this.setContext(Math.floor(sec / DAY), true);
        this.lastTod = sec - Math.floor(sec / DAY) * DAY;
        break;
      }
      case 'full': {
        const day = dayNumber(p.year, p.month, p.day);
        sec = day * DAY + p.seconds - (p.offset ?? 0);
        this.setContext(day, true);
        this.lastTod = p.seconds;
        break;
      }
      case 'monthday': {
        if (this.day === null) this.anchorContext();
        let year = this.year;
        // December to January: the next year.
        if (this.month - p.month > 6) year++;
        else if (p.month - this.month > 6 && this.contextFromLog) year--;
        const day = dayNumber(year, p.month, p.day);
        anchored = !this.contextFromLog;
        const fromLog = this.contextFromLog;
        this.setContext(day, fromLog);
        sec = day * DAY + p.seconds;
        this.lastTod = p.seconds;
        break;
      }
      case 'time': {
        if (this.day === null) this.anchorContext();
        // Midnight rollover: the clock jumps back by more than 12 hours.
        if (this.lastTod !== null && p.seconds < this.lastTod - DAY / 2) this.setContext(this.day! + 1, this.contextFromLog);
        anchored = !this.contextFromLog;
        sec = this.day! * DAY + p.seconds;
        this.lastTod = p.seconds;
        break;
      }
      case 'relative': {
        if (this.lastAbs === null) {
          if (this.day === null) this.anchorContext();
          anchored = !this.contextFromLog;
          this.lastAbs = { sec: this.day! * DAY, nsec: 0 };
        }
        let s = this.lastAbs.sec + p.seconds;
        let ns = this.lastAbs.nsec + p.nsec;
        if (ns >= 1e9) {
          s++;
          ns -= 1e9;
        }
        const r: ResolvedTime = { sec: s, nsec: ns, kind: p.kind, anchored };
        this.lastAbs = { sec: s, nsec: ns };
        if (anchored) this.lastAnchored = r;
        return r;
      }
    }
    const r: ResolvedTime = { sec, nsec: p.nsec, kind: p.kind, anchored };
    this.lastAbs = { sec, nsec: p.nsec };
    if (anchored) this.lastAnchored = r;
    return r;
  }

  /**
   * After every time of the log was resolved with the file date as anchor: the anchor that puts
   * the last anchored time on or before that date (whole days back for time-only stamps, whole
   * years for month-day stamps, which keep their month and day), or the anchor itself when no
   * shift is needed.
   */
  settledAnchor(): { year: number; month: number; day: number } | null {
    if (this.anchorDay === null) return null;
    const anchor = new Date(this.anchorDay * DAY * 1000);
    const last = this.lastAnchored;
    const lastDay = last === null ? this.anchorDay : Math.floor(last.sec / DAY);
    if (last === null || lastDay <= this.anchorDay) return { year: anchor.getUTCFullYear(), month: anchor.getUTCMonth() + 1, day: anchor.getUTCDate() };
    if (last.kind === 'monthday') {
      let years = 0;
      const d = new Date(last.sec * 1000);
      while (dayNumber(d.getUTCFullYear() - years, d.getUTCMonth() + 1, d.getUTCDate()) > this.anchorDay && years < 10) years++;
      return { year: anchor.getUTCFullYear() - years, month: anchor.getUTCMonth() + 1, day: anchor.getUTCDate() };
    }
    const settled = new Date((this.anchorDay - (lastDay - this.anchorDay)) * DAY * 1000);
    return { year: settled.getUTCFullYear(), month: settled.getUTCMonth() + 1, day: settled.getUTCDate() };
  }
}

export function toTimestamp(r: ResolvedTime): Timestamp {
  return { sec: r.sec, nsec: r.nsec };
}

/** The local calendar date of a file modification time (the log host is usually this host). */
export function localDate(ms: number): { year: number; month: number; day: number } {
  const d = new Date(ms);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}
