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
