/**
 * Cheap checks run on every UDP payload: does it hold a SIP message, a keep-alive, or neither?
 * No allocation, no string conversion; most non-SIP payloads (RTP starts with 0x80..0xBF)
 * are rejected after reading one byte.
 */

import { ALPHA, Char, isDigitCode, SCHEME, TOKEN } from './chars.js';

/**
 * How far sipStartAt looks for the end of a request line (read for every request datagram): a
 * const enum, so that the bundler writes it into the code as a number (docs/decisions.md
 * "Offsets read per packet as const enums").
 */
export const enum StartLine {
  MAX = 512,
}

/** How far findSipStart looks for a start line, by default. */
export const MAX_JUNK_SCAN = 2048;

/** True when bytes at `at` (inside [0, end)) are "SIP/2.0" (the letters in any case). */
function sipVersionAt(buf: Uint8Array, at: number, end: number): boolean {
  return (
    at + 7 <= end &&
    ((buf[at] as number) | 0x20) === 0x73 && // s
    ((buf[at + 1] as number) | 0x20) === 0x69 && // i
    ((buf[at + 2] as number) | 0x20) === 0x70 && // p
    buf[at + 3] === 0x2f && // /
    buf[at + 4] === 0x32 && // 2
    buf[at + 5] === 0x2e && // .
    buf[at + 6] === 0x30 // 0
  );
}

/**
 * True when the bytes at `start` begin a SIP start line (RFC 3261 §7.1, §7.2):
 * - a status line: `SIP/2.0 ` and three digits (then SP, CR, LF or the end of the data);
 * - a request line: `METHOD SP Request-URI SP SIP/2.0` then CRLF, LF or the end of the data,
 *   where METHOD is any token starting with a letter (extension methods count) and the
 *   Request-URI is `scheme:...` up to the next space (control bytes in it are kept: a malformed
 *   request is still a request).
 * Looks at no more than about StartLine.MAX bytes.
 */
export function sipStartAt(buf: Uint8Array, start: number, end: number): boolean {
  if (end > buf.length) end = buf.length;
  if (start < 0 || start >= end) return false;
  const c0 = buf[start] as number;
  if (ALPHA[c0] !== 1) return false;

  // Status line. A method cannot contain "/", so "SIP/" decides.
  if (start + 3 < end && buf[start + 3] === 0x2f && (c0 | 0x20) === 0x73) {
    if (!sipVersionAt(buf, start, end)) return false;
    if (start + 11 > end || buf[start + 7] !== Char.SP) return false;
    if (!isDigitCode(buf[start + 8] as number) || !isDigitCode(buf[start + 9] as number) || !isDigitCode(buf[start + 10] as number)) {
      return false;
    }
    if (start + 11 === end) return true;
    const c = buf[start + 11] as number;
    return c === Char.SP || c === Char.HTAB || c === Char.CR || c === Char.LF;
  }

  // Request line.
  const lim = Math.min(end, start + StartLine.MAX);
  let i = start + 1;
  while (i < lim && TOKEN[buf[i] as number] === 1) i++;
  if (i >= lim || buf[i] !== Char.SP) return false;
  i++;
  // Request-URI: scheme ":" then non-whitespace.
  if (i >= lim || ALPHA[buf[i] as number] !== 1) return false;
  i++;
  while (i < lim && SCHEME[buf[i] as number] === 1) i++;
  if (i >= lim || buf[i] !== 0x3a) return false;
  i++;
  const afterColon = i;
  // The URI runs to the next space or line end. Other control bytes in it make the message
  // malformed, not something else: it is kept (and shown escaped) rather than lost.
  while (i < lim) {
    const c = buf[i] as number;
    if (c === Char.SP || c === Char.HTAB || c === Char.CR || c === Char.LF) break;
    i++;
  }
  if (i === afterColon || i >= lim || buf[i] !== Char.SP) return false;
  while (i < lim && buf[i] === Char.SP) i++;
  if (!sipVersionAt(buf, i, end)) return false;
  i += 7;
  while (i < end && i < lim && (buf[i] === Char.SP || buf[i] === Char.HTAB)) i++;
  if (i >= end) return true; // cut right after the start line
  const c = buf[i];
  if (c === Char.LF) return true;
  if (c === Char.CR) return i + 1 >= end || buf[i + 1] === Char.LF;
  return false;
}

/**
 * Offset of the first place in [start, start + maxScan) where sipStartAt is true, or -1.
 * Candidates are `start` and every byte that follows a non-token byte (a line end, a space,
 * binary junk), so "\x00\x01 NOTIFY sip:..." is found but the middle of a token is not
 * (RFC 3261 §25.1: a method is a token). Used to skip junk before a message on SIP ports.
 */
export function findSipStart(buf: Uint8Array, start: number, end: number, maxScan: number = MAX_JUNK_SCAN): number {
  if (end > buf.length) end = buf.length;
  if (start < 0) start = 0;
  const lim = Math.min(end, start + maxScan);
  for (let p = start; p < lim; p++) {
    if ((p === start || TOKEN[buf[p - 1] as number] !== 1) && sipStartAt(buf, p, end)) return p;
  }
  return -1;
}

/**
 * True for keep-alive payloads: 1 to 4 bytes of CR/LF only (RFC 5626 §3.5.1 "ping" CRLFCRLF and
 * "pong" CRLF), a single 0x00 byte, or "jaK" (both sent by some phones).
 */
export function isKeepAlive(buf: Uint8Array, start: number, end: number): boolean {
  if (end > buf.length) end = buf.length;
  if (start < 0) start = 0;
  const len = end - start;
  if (len <= 0 || len > 4) return false;
  if (len === 1 && buf[start] === 0) return true;
  if (len === 3 && buf[start] === 0x6a && buf[start + 1] === 0x61 && buf[start + 2] === 0x4b) return true;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== Char.CR && c !== Char.LF) return false;
  }
  return true;
}
