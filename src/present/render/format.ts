import type { Timestamp } from '../../types.js';


export { formatEndpoint } from '../values.js';

/** ISO 8601 UTC with nanoseconds: exact for every capture resolution. */
export function formatTimestampIso(t: Timestamp): string {
  const second = isoSecond(t.sec);
  const fraction = String(t.nsec).padStart(9, '0');
  return second === null ? `${t.sec}.${fraction}` : `${second}.${fraction}Z`;
}

/** The date and time part of `formatTimestampIso` ("2026-11-24T09:00:00"), null when `sec` is no date. */
export function isoSecond(sec: number): string | null {
  return textOfSlot[slotOf(sec)] ?? null;
}

/**
 * `isoSecond(sec)` and the point after it ("2026-11-24T09:00:00.") as ASCII bytes, null when
 * `sec` is no date: what the JSON writer copies for every time it writes.
 */
export function isoSecondPointBytes(sec: number): Uint8Array | null {
  const slot = slotOf(sec);
  return (bytesOfSlot[slot] ??= textOfSlot[slot] === null ? null : Buffer.from(`${textOfSlot[slot]}.`, 'latin1'));
}

/** The slot of `sec` in the tables below, filled with its text if it held another second. */
function slotOf(sec: number): number {
  // Messages of a call come seconds apart, and the calls written together overlap in time: the
  // texts of recent seconds are kept, one slot per second modulo the table's size.
  const slot = (sec >>> 0) % SECOND_SLOTS;
  if (secondOfSlot[slot] !== sec) {
    const date = new Date(sec * 1000);
    secondOfSlot[slot] = sec;
    textOfSlot[slot] = Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 19);
    bytesOfSlot[slot] = undefined;
  }
  return slot;
}

const SECOND_SLOTS = 256;
const secondOfSlot = new Float64Array(SECOND_SLOTS).fill(NaN);
const textOfSlot: (string | null)[] = Array<string | null>(SECOND_SLOTS).fill(null);
/** Made when first asked (the JSON writer's), undefined until then. */
const bytesOfSlot: (Uint8Array | null | undefined)[] = Array<Uint8Array | null | undefined>(SECOND_SLOTS).fill(undefined);

/** "2024-05-01 12:00:00.123456" (UTC, µs) for text output. */
export function formatTimestampText(t: Timestamp): string {
  const iso = formatTimestampIso(t);
  return iso.length >= 26 ? `${iso.slice(0, 10)} ${iso.slice(11, 26)}` : iso;
}
