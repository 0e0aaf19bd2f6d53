/**
 * Streaming line reader for text logs, with bounded memory, and the per-line clean-up every
 * format shares: ANSI colour codes removed, syslog record headers removed (their time kept)
 * and rsyslog's `#012`-style control-character escapes expanded into the lines they stood for.
 *
 * Lines are latin1 strings: one char per byte, so lengths are byte counts and
 * `Buffer.from(text, 'latin1')` gives the original bytes back (UTF-8 survives the round trip).
 */
import { scanTime, type TimeParts } from './time.js';

/** Longest line kept; the rest of a longer line is dropped with `text.line-too-long`. */
export const MAX_LINE_BYTES = 256 * 1024;

export interface RawLine {
  /** The line without its LF (and without a CR before it). */
  readonly text: string;
  /** 1-based line number. */
  readonly line: number;
  /** Byte offset of the line's first byte in the input. */
  readonly offset: number;
  /** The line was longer than MAX_LINE_BYTES and was cut. */
  readonly cut: boolean;
}

/**
 * Splits chunks into lines. Chunks may be views into a reused buffer: the part of a line that
 * straddles two chunks is copied (bounded by MAX_LINE_BYTES), nothing else is kept.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Bytes of the current line seen so far, kept or not. */
  private seen = 0;
  private lineNo = 0;
  private lineStart = 0;
  bytes = 0;

  constructor(
    private readonly onLine: (line: RawLine) => void,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let p = 0;
    for (;;) {
      const lf = buf.indexOf(0x0a, p);
      if (lf < 0) {
        this.keep(buf, p, buf.length);
        break;
      }
      this.keep(buf, p, lf);
      this.emit(1);
      p = lf + 1;
    }
    this.bytes += buf.length;
  }

  /** The last line, when the input does not end with LF. */
  end(): void {
    if (this.seen > 0) this.emit(0);
  }

  private keep(buf: Buffer, s: number, e: number): void {
    if (e <= s) return;
    this.seen += e - s;
    const room = this.maxLine + 1 - this.carryBytes; // one extra byte for a CR before the LF
    if (room <= 0) return;
    const take = Math.min(room, e - s);
    this.carry.push(Buffer.from(buf.subarray(s, s + take)));
    this.carryBytes += take;
  }

  private emit(terminator: number): void {
    const whole = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryBytes);
    let n = this.carryBytes;
    let cut = this.seen > n;
    if (!cut && n > 0 && whole[n - 1] === 0x0d) n--;
    if (n > this.maxLine) {
      n = this.maxLine;
      cut = true;
    }
    this.lineNo++;
    this.onLine({ text: n === 0 ? '' : whole.toString('latin1', 0, n), line: this.lineNo, offset: this.lineStart, cut });
    this.lineStart += this.seen + terminator;
    this.carry = [];
    this.carryBytes = 0;
    this.seen = 0;
  }
}

/** Removes ANSI escape sequences (CSI `ESC [ ... final`, and two-byte `ESC x`). Linear. */
export function stripAnsi(s: string): string {
  if (s.indexOf('\u001b') < 0) return s;
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const esc = s.indexOf('\u001b', i);
    if (esc < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, esc);
    let p = esc + 1;
    if (s.charCodeAt(p) === 0x5b) {
      p++;
      // parameter and intermediate bytes 0x20-0x3f, then one final byte 0x40-0x7e
      while (p < n && s.charCodeAt(p) >= 0x20 && s.charCodeAt(p) <= 0x3f) p++;
      if (p < n) p++;
    } else if (p < n) {
      p++;
    }
    i = p;
  }
  return out;
}

/** One line after clean-up; a syslog record with `#012` escapes gives several. */
export interface LogicalLine {
  readonly text: string;
  readonly line: number;
  readonly offset: number;
  /** Time from the syslog header the line came in, if any. */
  readonly recordTime: TimeParts | null;
  /** The line came out of a record with `#012` escapes (one record holds one whole message). */
  readonly expanded: boolean;
}

function isHostChar(c: number): boolean {
  return c > 0x20 && c < 0x7f && c !== 0x5b && c !== 0x5d && c !== 0x3a;
}

/**
 * Length of a syslog header at the start of s (RFC 3164 `<PRI>Mmm dd hh:mm:ss host tag[pid]: ` or
 * RFC 5424-style `YYYY-MM-DDThh:mm:ss(.f)(zone) host tag[pid]: `), with its time; null if none.
 * A log line that merely starts with a time (`Mar  1 00:10:28.123: //...`) is not one: the host
 * and the tag with its colon must follow.
 */
export function syslogHeader(s: string): { length: number; time: TimeParts } | null {
  let p = 0;
  if (s.charCodeAt(0) === 0x3c) {
    // <PRI>
    const close = s.indexOf('>', 1);
    if (close < 2 || close > 4) return null;
    p = close + 1;
    if (s.charCodeAt(p) === 0x31 && s.charCodeAt(p + 1) === 0x20) p += 2; // RFC 5424 version
  }
  const c = s.charCodeAt(p);
  const isoForm = c >= 0x30 && c <= 0x39;
  const t = scanTime(s, p);
  if (t === null) return null;
  if (isoForm ? t.parts.kind !== 'full' || s.charCodeAt(p + 10) !== 0x54 : t.parts.kind !== 'monthday' && t.parts.kind !== 'full') return null;
  if (s.charCodeAt(t.end) !== 0x20) return null;
  let q = t.end + 1;
  const hostStart = q;
  while (q < s.length && isHostChar(s.charCodeAt(q))) q++;
  if (q === hostStart || s.charCodeAt(q) !== 0x20) return null;
  q++;
  const tagStart = q;
  while (q < s.length && isHostChar(s.charCodeAt(q)) && q - tagStart < 64) q++;
  if (q === tagStart) return null;
  if (s.charCodeAt(q) === 0x5b) {
    const close = s.indexOf(']', q);
    if (close < 0 || close - q > 16) return null;
    q = close + 1;
  }
  if (s.charCodeAt(q) !== 0x3a) return null;
  q++;
  if (s.charCodeAt(q) === 0x20) q++;
  return { length: q, time: t.parts };
}

/** Expands rsyslog's `#ooo` escapes of control characters (octal below 040): `#012` LF, `#015` CR, `#011` TAB. */
export function unescapeSyslog(s: string): string {
  if (s.indexOf('#0') < 0) return s;
  let out = '';
  let i = 0;
  for (;;) {
    const h = s.indexOf('#0', i);
    if (h < 0) break;
    const a = s.charCodeAt(h + 2);
    const b = s.charCodeAt(h + 3);
    if (a >= 0x30 && a <= 0x33 && b >= 0x30 && b <= 0x37) {
      out += s.slice(i, h) + String.fromCharCode((a - 0x30) * 8 + (b - 0x30));
      i = h + 4;
    } else {
      out += s.slice(i, h + 1);
      i = h + 1;
    }
  }
  return out + s.slice(i);
}

/** Cleans one physical line into logical lines. */
export function normalize(raw: RawLine, emit: (l: LogicalLine) => void): void {
  let text = stripAnsi(raw.text);
  let recordTime: TimeParts | null = null;
  const header = syslogHeader(text);
  if (header !== null) {
    recordTime = header.time;
    text = text.slice(header.length);
  }
  if (text.indexOf('#0') >= 0 && (text.indexOf('#012') >= 0 || text.indexOf('#015') >= 0)) {
    const expanded = unescapeSyslog(text);
    let p = 0;
    for (;;) {
      const lf = expanded.indexOf('\n', p);
      const e = lf < 0 ? expanded.length : lf;
      let end = e;
      if (end > p && expanded.charCodeAt(end - 1) === 0x0d) end--;
      if (lf >= 0 || e > p) emit({ text: expanded.slice(p, end), line: raw.line, offset: raw.offset, recordTime, expanded: true });
      if (lf < 0) break;
      p = lf + 1;
    }
    return;
  }
  emit({ text, line: raw.line, offset: raw.offset, recordTime, expanded: false });
}
