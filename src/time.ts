import type { Timestamp } from './types.js';

/** b - a in milliseconds (fractional). */
export function diffMs(a: Timestamp, b: Timestamp): number {
  return (b.sec - a.sec) * 1000 + (b.nsec - a.nsec) / 1e6;
}

export function compareTime(a: Timestamp, b: Timestamp): number {
  return a.sec - b.sec || a.nsec - b.nsec;
}

export function laterOf(a: Timestamp, b: Timestamp): Timestamp {
  return compareTime(a, b) >= 0 ? a : b;
}

/** Milliseconds since the epoch (a double: sub-microsecond precision is lost, which deadlines do not need). */
export function toMs(t: Timestamp): number {
  return t.sec * 1000 + t.nsec / 1e6;
}

/** The timestamp of a number of milliseconds since the epoch. */
export function fromMs(ms: number): Timestamp {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6)) };
}
