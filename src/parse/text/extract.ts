/**
 * Finds SIP messages in the lines of a log. One state machine for every format:
 *
 *   idle ──banner──▶ preamble ──start line──▶ message ──end──▶ idle
 *     └────────── start line (raw SIP) ─────────▲
 *
 * - idle: unrelated log lines are skipped; a banner of a known format (formats.ts) opens a
 *   preamble; a SIP start line with no banner opens a tentative raw message, confirmed only
 *   when the next line is a header line (so a log line quoting a request line is not a message).
 * - preamble: separator rules, blank lines and metadata lines (Cisco `Sent:`, sipdump fields)
 *   until the start line; a new banner replaces the old one; too many lines give up.
 * - message: lines are stripped of what the format added (the indentation or quote prefix the
 *   start line had, ngrep's `.` for CR) and collected. The message ends at the format's end
 *   marker, at the next banner, at a line that lacks the prefix, at a line that starts with a
 *   log timestamp, or when the body announced by Content-Length is complete. Lengths are counted
 *   both with CRLF and with LF line ends, because logs often drop the CRs: the body is complete
 *   when the CRLF count reaches Content-Length, and certainly complete when the LF count does.
 *
 * Memory is bounded: one message at a time, at most MAX_MESSAGE_BYTES.
 */
import { sipStartAt } from '../sip/detect.js';
import { emptyMeta, leadingTime, matchBanner, parseEndpoint, transportOf, type Direction, type LogFormat, type Meta } from './formats.js';
import type { LogicalLine } from './lines.js';
import { scanTime, type TimeParts } from './time.js';

/** Largest message kept; a longer one is cut there (`text.message-too-large`). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Lines allowed between a banner and its start line. */
const MAX_PREAMBLE_LINES = 24;
/** How far back (in lines) a timestamped line still dates a message without its own time. */
const CONTEXT_LINES = 3;

/** One message as found in the log, before parsing. */
export interface Block {
  /** null for raw SIP (no banner). */
  readonly format: LogFormat | null;
  readonly meta: Meta;
  /** Line and byte offset of the start line. */
  readonly line: number;
  readonly offset: number;
  /** Start line and header lines, as the message had them. */
  readonly headers: readonly string[];
  readonly body: readonly string[];
  readonly headerEnded: boolean;
  readonly contentLength: number | null;
  /** The message was cut at MAX_MESSAGE_BYTES. */
  readonly tooLarge: boolean;
  /** The log ended inside the message. */
  readonly atEnd: boolean;
}

export interface ExtractorEvents {
  readonly onBlock: (block: Block) => void;
  /** A line with a full date (or an epoch): it sets the date for time-only stamps after it. */
  readonly onDatedLine: (time: TimeParts) => void;
}

interface Start {
  /** Index of the start line's first char. */
  readonly pos: number;
  /** The start line in the source has a `.` for its CR (ngrep byline). */
  readonly dots: boolean;
}

const ALPHA_LOWER = 0x61;

function isAlpha(c: number): boolean {
  const l = c | 0x20;
  return l >= ALPHA_LOWER && l <= 0x7a;
}

function isPrefixChar(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x3e;
}

function startAt(text: string, pos: number, end: number): boolean {
  // sipStartAt reads bytes; latin1 keeps one byte per char.
  return sipStartAt(Buffer.from(text.slice(pos, Math.min(end, pos + 600)), 'latin1'), 0, Math.min(end, pos + 600) - pos);
}

/**
 * Where a SIP start line begins in a line: after an indentation or quote prefix (spaces, tabs,
 * `>`), or with `midLine`, after any text (a log prefix, tcpdump's header bytes). Linear: a
 * status line is found by indexOf('SIP/2.0 '), a request line must end the line.
 */
export function findStart(text: string, midLine: boolean): Start | null {
  const v = text.indexOf('SIP/2.0');
  if (v < 0) return null;
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  const dots = text.charCodeAt(end - 1) === 0x2e;
  const e = dots ? end - 1 : end;
  let p = 0;
  while (p < e && isPrefixChar(text.charCodeAt(p))) p++;
  if (startAt(text, p, e)) return { pos: p, dots };
  if (!midLine) return null;
  // A status line anywhere: "SIP/2.0 ddd".
  for (let s = v; s >= 0 && s < e; s = text.indexOf('SIP/2.0 ', s + 1)) {
    const d = text.charCodeAt(s + 8);
    if (d >= 0x31 && d <= 0x36 && text.startsWith('SIP/2.0 ', s) && startAt(text, s, e)) return { pos: s, dots };
  }
  // A request line ending the line: METHOD SP URI SP SIP/2.0
  if (e >= 7 && text.startsWith('SIP/2.0', e - 7)) {
    let q = e - 7;
    while (q > 0 && text.charCodeAt(q - 1) === 0x20) q--;
    while (q > 0 && text.charCodeAt(q - 1) > 0x20) q--; // the Request-URI
    if (q > 0 && text.charCodeAt(q - 1) === 0x20) {
      q--;
      let m = q;
      while (m > 0 && isAlpha(text.charCodeAt(m - 1))) m--;
      if (m < q && startAt(text, m, e)) return { pos: m, dots };
    }
  }
  return null;
}

/** `name:` with a token name, or a continuation line (leading SP/HTAB). */
function isHeaderLine(s: string): boolean {
  const c0 = s.charCodeAt(0);
  if (c0 === 0x20 || c0 === 0x09) return s.trim().length > 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e) i++;
    else break;
  }
  if (i === 0) return false;
  while (i < s.length && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
  return s.charCodeAt(i) === 0x3a;
}

/** True for a Content-Type (or compact `c`) header line. */
function isContentType(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon < 1 || colon > 14) return false;
  const name = s.slice(0, colon).trim().toLowerCase();
  return name === 'content-type' || name === 'c';
}

/** Content-Length (or `l`) header value; undefined when the line is another header. */
function contentLengthOf(s: string): number | null | undefined {
  const colon = s.indexOf(':');
  if (colon < 1) return undefined;
  const name = s.slice(0, colon).trim().toLowerCase();
  if (name !== 'content-length' && name !== 'l') return undefined;
  const v = s.slice(colon + 1).trim();
  if (v.length === 0 || v.length > 9) return null;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

/** A line that starts a new log record: a leading timestamp (also after a dashed rule, sipp), or Kamailio's ` 4(5) ERROR:`. */
export function isLogRecord(line: string): boolean {
  if (line.length === 0) return false;
  if (leadingTime(line) !== null || ruleTime(line) !== null) return true;
  let p = 0;
  while (line.charCodeAt(p) === 0x20) p++;
  const d = p;
  while (line.charCodeAt(p) >= 0x30 && line.charCodeAt(p) <= 0x39) p++;
  if (p === d || line.charCodeAt(p) !== 0x28) return false;
  const close = line.indexOf(') ', p);
  return close > p && close - p < 12 && line.indexOf(':', close) > close;
}

/** A time printed after a dashed rule (`----------- 2019-08-17 16:28:42.417383`, sipp). */
function ruleTime(line: string): TimeParts | null {
  let p = 0;
  while (line.charCodeAt(p) === 0x2d) p++;
  if (p < 10 || line.charCodeAt(p) !== 0x20) return null;
  return scanTime(line, p + 1)?.parts ?? null;
}

const RECEIVED_WORDS = ['received', 'receive', 'recv', 'rcv', 'rcvd', 'incoming', 'response from'];
const SENT_WORDS = ['sent', 'send', 'sending', 'transmitting', 'outgoing'];

function hasWord(lower: string, word: string): boolean {
  for (let i = lower.indexOf(word); i >= 0; i = lower.indexOf(word, i + 1)) {
    const before = i === 0 ? 0x20 : lower.charCodeAt(i - 1);
    const after = i + word.length >= lower.length ? 0x20 : lower.charCodeAt(i + word.length);
    if (!isAlpha(before) && !isAlpha(after)) return true;
  }
  return false;
}

/**
 * What a log line just before a raw message says about it: a direction word (received, sending,
 * ...) and a peer written `PROTO://host:port` (belle-sip, Linphone).
 */
export function hint(text: string): Partial<Meta> {
  const lower = text.toLowerCase();
  const received = RECEIVED_WORDS.some((w) => hasWord(lower, w));
  const sent = SENT_WORDS.some((w) => hasWord(lower, w));
  const out: Partial<Meta> = {};
  if (received !== sent) out.direction = received ? 'received' : 'sent';
  if (out.direction === undefined) return out;
  // The peer: "UDP://host:port" (belle-sip) or "udp:host:port" (Kamailio, Asterisk).
  for (let colon = text.indexOf(':'); colon > 0; colon = text.indexOf(':', colon + 1)) {
    let s = colon;
    while (s > 0 && isAlpha(text.charCodeAt(s - 1))) s--;
    const transport = s < colon && (s === 0 || !isAlpha(text.charCodeAt(s - 1))) ? transportOf(text.slice(s, colon)) : null;
    if (transport === null) continue;
    let b = colon + 1;
    if (text.startsWith('//', b)) b += 2;
    let e = b;
    while (e < text.length && text.charCodeAt(e) > 0x20 && text.charCodeAt(e) !== 0x5d) e++;
    if (e > b && text.charCodeAt(e - 1) === 0x3a) e--;
    const endpoint = parseEndpoint(text.slice(b, e));
    if (endpoint !== null) {
      out.transport = transport;
      out.remote = endpoint;
      break;
    }
  }
  return out;
}

interface Building {
  format: LogFormat | null;
  meta: Meta;
  line: number;
  offset: number;
  /** Prefix every line of the message carries (indentation, quoting); null for none. */
  prefix: string | null;
  dots: boolean;
  headers: string[];
  body: string[];
  headerEnded: boolean;
  contentLength: number | null;
  hasContentType: boolean;
  bodyCrlf: number;
  bodyLf: number;
  size: number;
  tentative: boolean;
  /** Physical line of a `#012`-escaped record the message started in: the record's end is the message's end. */
  record: number | null;
  /** The previous body line was blank (raw SIP without Content-Length ends at a new start line after one). */
  lastBlank: boolean;
}

type State = 'idle' | 'preamble' | 'message';

export class Extractor {
  private state: State = 'idle';
  private pending: { format: LogFormat; meta: Meta; waited: number; line: number } | null = null;
  private msg: Building | null = null;
  private contextTime: { time: TimeParts; line: number } | null = null;
  /** The last non-blank line seen while idle (for direction hints), with its number. */
  private previous: { text: string; line: number } | null = null;

  constructor(private readonly events: ExtractorEvents) {}

  push(l: LogicalLine): void {
    for (let guard = 0; guard < 4; guard++) {
      if (!this.step(l)) return;
    }
  }

  /** End of input: a message still open is emitted as it is. */
  end(): void {
    if (this.msg !== null) this.finish(true);
  }

  /** Returns true when the line must be processed again in the new state. */
  private step(l: LogicalLine): boolean {
    switch (this.state) {
      case 'idle':
        this.idle(l);
        return false;
      case 'preamble':
        return this.preamble(l);
      case 'message':
        return this.message(l);
    }
  }

  private noteTime(l: LogicalLine): void {
    const t = leadingTime(l.text) ?? ruleTime(l.text);
    if (t !== null) {
      this.contextTime = { time: t, line: l.line };
      if (t.kind === 'full' || t.kind === 'epoch') this.events.onDatedLine(t);
    } else if (l.recordTime !== null) {
      this.contextTime = { time: l.recordTime, line: l.line };
    }
  }

  private idle(l: LogicalLine): void {
    this.noteTime(l);
    const banner = matchBanner(l.text);
    if (banner !== null) {
      this.openPreamble(banner.format, banner.meta, l);
      return;
    }
    const start = findStart(l.text, true);
    if (start !== null) {
      const inline = start.pos > 0 && !isPrefixOnly(l.text, start.pos);
      const m = emptyMeta();
      const prev = this.previous !== null && l.line - this.previous.line <= 2 ? this.previous.text : '';
      Object.assign(m, hint(inline ? l.text.slice(0, start.pos) : prev));
      m.time = leadingTime(l.text) ?? this.nearTime(l) ?? l.recordTime;
      this.begin(null, m, l, start, true);
      return;
    }
    if (l.text.trim().length > 0) this.previous = { text: l.text, line: l.line };
  }

  private nearTime(l: LogicalLine): TimeParts | null {
    const c = this.contextTime;
    return c !== null && l.line - c.line <= CONTEXT_LINES ? c.time : null;
  }

  private openPreamble(format: LogFormat, meta: Meta, l: LogicalLine): void {
    if (meta.time === null) meta.time = format.timeFromContext ? (this.nearTime(l) ?? l.recordTime) : l.recordTime;
    this.pending = { format, meta, waited: 0, line: l.line };
    this.state = 'preamble';
    // Some tools print the start line on the banner's own line (tcpdump -A summary): not used, the payload line follows.
  }

  private preamble(l: LogicalLine): boolean {
    const p = this.pending!;
    if (++p.waited > MAX_PREAMBLE_LINES) {
      this.pending = null;
      this.state = 'idle';
      return true;
    }
    const banner = matchBanner(l.text);
    if (banner !== null) {
      this.noteTime(l);
      this.openPreamble(banner.format, banner.meta, l);
      return false;
    }
    if (p.format.preamble?.(l.text, p.meta)) return false;
    const start = findStart(l.text, p.format.midLineStart === true);
    if (start !== null) {
      this.pending = null;
      this.begin(p.format, p.meta, l, start, false);
      return false;
    }
    return false;
  }

  private begin(format: LogFormat | null, meta: Meta, l: LogicalLine, start: Start, tentative: boolean): void {
    const prefixOnly = isPrefixOnly(l.text, start.pos);
    const dots = start.dots && (format === null || format.crDots === true);
    let first = l.text.slice(start.pos);
    if (dots) first = first.trimEnd().slice(0, -1);
    this.msg = {
      format,
      meta,
      line: l.line,
      offset: l.offset + start.pos,
      prefix: prefixOnly && start.pos > 0 ? l.text.slice(0, start.pos) : null,
      dots,
      headers: [first.trimEnd()],
      body: [],
      headerEnded: false,
      contentLength: null,
      hasContentType: false,
      bodyCrlf: 0,
      bodyLf: 0,
      size: first.length + 2,
      tentative,
      record: l.expanded ? l.line : null,
      lastBlank: false,
    };
    this.state = 'message';
  }

  /** The line as the message had it, or null when the line does not belong to the message. */
  private content(text: string): string | null {
    const m = this.msg!;
    let s = text;
    if (m.prefix !== null) {
      if (s.startsWith(m.prefix)) s = s.slice(m.prefix.length);
      else if (s.trim().length === 0 || s.trim() === '>' || (m.dots && s.trim() === '.')) s = s.trim() === '>' ? '' : s.trim();
      else return null;
    }
    if (m.dots) {
      if (s.length === 0) return null; // ngrep: a line with no "." is past the packet
      if (s.charCodeAt(s.length - 1) === 0x2e) s = s.slice(0, -1);
    }
    return s;
  }

  private message(l: LogicalLine): boolean {
    const m = this.msg!;
    const raw = l.text;
    const format = m.format;
    if (format?.isEnd?.(raw)) {
      this.finish(false);
      return false;
    }
    if (format?.endSuffix !== undefined && raw.endsWith(format.endSuffix)) {
      const c = this.content(raw.slice(0, raw.length - format.endSuffix.length));
      if (c !== null && c.length > 0) this.add(c);
      this.finish(false);
      return false;
    }
    if (matchBanner(raw) !== null) {
      this.finish(false);
      return true;
    }
    if (m.record !== null && l.line !== m.record) {
      this.finish(false);
      return true;
    }
    const c = this.content(raw);
    if (c === null) {
      this.finish(false);
      return true;
    }
    if (m.tentative) {
      if (!isHeaderLine(c) || c.charCodeAt(0) === 0x20 || c.charCodeAt(0) === 0x09) {
        this.abandon();
        return true;
      }
      m.tentative = false;
    }
    if (!m.headerEnded) {
      if (c.trim().length === 0) {
        m.headerEnded = true;
        // RFC 3261 §20.15: a message with a body has a Content-Type; without one (and without
        // Content-Length, as WebSocket loggers print them) there is no body to wait for.
        if (m.contentLength === 0 || (m.contentLength === null && !m.hasContentType)) this.finish(false);
        return false;
      }
      if (!isHeaderLine(c) && (isLogRecord(raw) || findStart(c, false) !== null)) {
        this.finish(false);
        return true;
      }
      const cl = contentLengthOf(c);
      if (cl !== undefined && m.contentLength === null) m.contentLength = cl;
      if (isContentType(c)) m.hasContentType = true;
      this.add(c);
      return false;
    }
    // Body.
    const cl = m.contentLength;
    const complete = cl !== null && m.bodyCrlf >= cl;
    const blank = c.trim().length === 0;
    if (complete && blank) {
      this.finish(false);
      return false;
    }
    if (isLogRecord(raw) && !blank) {
      this.finish(false);
      return true;
    }
    // After a complete body (or a blank line when there is no Content-Length), a start line is the next message.
    if ((complete || (cl === null && (m.lastBlank || m.body.length === 0))) && !blank && findStart(c, complete) !== null) {
      this.finish(false);
      return true;
    }
    this.add(c);
    if (cl !== null && m.bodyLf >= cl) this.finish(false);
    return false;
  }

  private add(c: string): void {
    const m = this.msg!;
    if (m.size + c.length + 2 > MAX_MESSAGE_BYTES) {
      this.finish(false, true);
      this.state = 'idle';
      return;
    }
    m.size += c.length + 2;
    if (m.headerEnded) {
      m.body.push(c);
      m.bodyCrlf += c.length + 2;
      m.bodyLf += c.length + 1;
      m.lastBlank = c.trim().length === 0;
    } else {
      m.headers.push(c);
    }
  }

  private abandon(): void {
    this.msg = null;
    this.state = 'idle';
  }

  private finish(atEnd: boolean, tooLarge = false): void {
    const m = this.msg;
    this.msg = null;
    this.state = 'idle';
    if (m === null || m.tentative) return;
    this.events.onBlock({
      format: m.format,
      meta: m.meta,
      line: m.line,
      offset: m.offset,
      headers: m.headers,
      body: m.body,
      headerEnded: m.headerEnded,
      contentLength: m.contentLength,
      tooLarge,
      atEnd,
    });
  }
}

function isPrefixOnly(text: string, pos: number): boolean {
  for (let i = 0; i < pos; i++) if (!isPrefixChar(text.charCodeAt(i))) return false;
  return true;
}

export type { Direction };
