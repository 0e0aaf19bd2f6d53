import type { Timestamp } from '../../types.js';


export { formatEndpoint } from '../values.js';

/** ISO 8601 UTC with nanoseconds: exact for every capture resolution. */
export function formatTimestampIso(t: Timestamp): string {
  // Messages of a call come seconds apart: the date and time part is kept for the last second seen.
  if (t.sec !== lastSecond) {
    const date = new Date(t.sec * 1000);
    lastSecond = t.sec;
    lastSecondText = Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 19);
  }
  const fraction = String(t.nsec).padStart(9, '0');
  return lastSecondText === null ? `${t.sec}.${fraction}` : `${lastSecondText}.${fraction}Z`;
}

let lastSecond = NaN;
let lastSecondText: string | null = null;

/** "2024-05-01 12:00:00.123456" (UTC, µs) for text output. */
export function formatTimestampText(t: Timestamp): string {
  const iso = formatTimestampIso(t);
  return iso.length >= 26 ? `${iso.slice(0, 10)} ${iso.slice(11, 26)}` : iso;
}
