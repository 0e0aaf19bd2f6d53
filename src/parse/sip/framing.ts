/**
 * SIP message framing on a byte stream (RFC 3261 §18.3): a message is its start line and
 * headers up to the empty line, then exactly Content-Length bytes of body. Several messages may
 * share one segment and one message may span many; CRLF keep-alives between messages (RFC 5626
 * §3.5.1) are skipped. After a gap, in a stream seen from the middle, or when the bytes do not
 * start a message, framing resumes at the next start line (findResyncStart).
 *
 * Bounded: at most `maxHeader` bytes are held while looking for the end of the headers, and a
 * message longer than `maxMessage` is cut (its headers and the body present are kept, the rest
 * of the body is skipped). Only the bytes of an unfinished message are copied and held; a
 * segment that holds whole messages is framed in place.
 */
import type { DiagnosticValues, StreamRef } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { ByteQueue, Provenance, type ChunkOrigin, type MemoryBudget, type Span, type StreamConsumer } from '../transport/stream.js';
import { Char } from './chars.js';
import { sipStartAt, StartLine } from './detect.js';
import { messageBytes } from './message-bytes.js';

export interface FramerLimits {
  /** Longest message kept whole (start line, headers and body). */
  readonly maxMessage: number;
  /** Bytes searched for the end of the headers before the stream is declared not SIP. */
  readonly maxHeader: number;
}

export const DEFAULT_FRAMER_LIMITS: FramerLimits = {
  maxMessage: 1024 * 1024,
  maxHeader: 64 * 1024,
};

/** One framed message: owned bytes, and where they came from. */
export interface FramedMessage extends Span {
  readonly bytes: Uint8Array;
  /** The stream ended (or lost bytes) before the body was complete. */
  readonly incomplete: boolean;
}

/** Methods of RFC 3261 and its extensions (RFC 3262, 3265, 3311, 3428, 3515, 3903, 6086). */
const KNOWN_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE'];

/**
 * Where framing resumes in [p, e): the first status line or request with a well-known method,
 * wherever it begins. After a gap the bytes are the tail of something unknown: the first line
 * of a body ("xxxOPTIONS sip:... SIP/2.0" is a valid request line with an extension method),
 * a token cut in two ("NVITE sip:..."), or a body without a final line break followed directly
 * by the next message. Requiring a known method avoids the first two and finds the third.
 * -1 when there is none.
 */
export function findResyncStart(b: Uint8Array, p: number, e: number): number {
  for (let i = p; i < e; i++) {
    const c = b[i]!;
    // First letters of SIP/2.0 and of the well-known methods (I, A, B, C, O, R, P, S, N, U, M).
    if (c < 0x41 || c > 0x55) continue;
    if (sipStartAt(b, i, e) && knownStart(b, i, e)) return i;
  }
  return -1;
}

/** True when the start line at p (sipStartAt holds) is a status line or a request with a well-known method. */
export function knownStart(b: Uint8Array, p: number, e: number): boolean {
  let sp = p;
  while (sp < e && b[sp] !== 0x20) sp++;
  if (sp - p === 7 && b[p + 3] === 0x2f) return true; // SIP/2.0
  for (const m of KNOWN_METHODS) {
    if (m.length !== sp - p) continue;
    let same = true;
    for (let i = 0; i < m.length && same; i++) same = b[p + i] === m.charCodeAt(i);
    if (same) return true;
  }
  return false;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** True when the header line at `p` is named `name` (lower case), i.e. `name *WSP ":"`. */
function headerNamed(b: Uint8Array, p: number, end: number, name: string): number {
  const n = name.length;
  if (p + n >= end) return -1;
  for (let i = 0; i < n; i++) if (lower(b[p + i]!) !== name.charCodeAt(i)) return -1;
  let q = p + n;
  while (q < end && (b[q] === 0x20 || b[q] === 0x09)) q++;
  return q < end && b[q] === Char.COLON ? q + 1 : -1;
}

/**
 * Content-Length (or its compact form `l`) of the header section [start, end): the value, -1
 * when absent, -2 when it is not a number. Over a stream it is mandatory (RFC 3261 §18.3); the
 * parser reports a missing or invalid one, and framing takes the body as empty.
 */
export function contentLengthOf(b: Uint8Array, start: number, end: number): number {
  let p = start;
  while (p < end) {
    let lf = p;
    while (lf < end && b[lf] !== Char.LF) lf++;
    const c = lower(b[p]!);
    if (c === 0x63 || c === 0x6c) {
      const colon = c === 0x63 ? headerNamed(b, p, lf, 'content-length') : headerNamed(b, p, lf, 'l');
      if (colon >= 0) {
        let q = colon;
        while (q < lf && (b[q] === 0x20 || b[q] === 0x09)) q++;
        let value = 0;
        let digits = 0;
        while (q < lf && b[q]! >= 0x30 && b[q]! <= 0x39 && digits < 10) {
          value = value * 10 + (b[q]! - 0x30);
          digits++;
          q++;
        }
        while (q < lf && (b[q] === 0x20 || b[q] === 0x09 || b[q] === Char.CR)) q++;
        return digits > 0 && q === lf ? value : -2;
      }
    }
    p = lf + 1;
  }
  return -1;
}

export class SipStreamFramer implements StreamConsumer {
  private readonly queue: ByteQueue;
  private readonly provenance: Provenance;
  /** Stream position of the first byte not yet consumed. */
  private pos = 0;
  /** Looking for a start line (stream seen from the middle, after a gap, after junk). */
  private resync: boolean;
  /** Junk was found in a stream that was in step: report the skipped bytes when the next start line is found. */
  private junkFrom = -1;
  /** Body bytes of a cut oversized message still to be dropped. */
  private skip = 0;
  /** Bytes of the current message already searched for the end of its headers. */
  private scanned = 0;
  /** Once known: length of the current message's headers (with the empty line) and of the whole message. */
  private headerLength = -1;
  private total = -1;
  /** The frame being decoded (see StreamConsumer). */
  private now: ChunkOrigin | null = null;

  constructor(
    private readonly onMessage: (message: FramedMessage) => void,
    private readonly diagnostics: DiagnosticSink,
    /** The stream, as its diagnostics name it (TCP 10.0.0.1:5060 → 10.0.0.2:40000). */
    private readonly stream: StreamRef,
    options: { readonly resync?: boolean; readonly limits?: FramerLimits; readonly budget?: MemoryBudget | null } = {},
  ) {
    this.resync = options.resync ?? false;
    this.limits = options.limits ?? DEFAULT_FRAMER_LIMITS;
    this.queue = new ByteQueue(options.budget ?? null);
    this.provenance = new Provenance(options.budget ?? null);
  }

  private readonly limits: FramerLimits;

  /** Bytes held (an unfinished message, or the tail kept while looking for a start line). */
  get buffered(): number {
    return this.queue.length;
  }

  data(bytes: Uint8Array, start: number, end: number, origin: ChunkOrigin, now: ChunkOrigin | null): void {
    if (end <= start) return;
    this.now = now;
    const queue = this.queue;
    this.provenance.add(this.pos + queue.length, origin);
    let consumed: number;
    if (queue.length === 0) {
      // Nothing held: frame in place, copy only an unfinished message.
      consumed = this.frame(bytes, start, end);
      this.pos += consumed;
      if (start + consumed < end) queue.append(bytes, start + consumed, end);
    } else {
      queue.append(bytes, start, end);
      consumed = this.frame(queue.bytes, queue.head, queue.tail);
      this.pos += consumed;
      queue.consume(consumed);
    }
    this.provenance.release(this.pos);
  }

  gap(lost: number, origin: ChunkOrigin, now: ChunkOrigin | null): void {
    this.now = now;
    if (this.skip > 0 && lost <= this.skip) {
      // The bytes lost lie inside a body being skipped anyway.
      this.skip -= lost;
      this.pos += lost;
      return;
    }
    if (this.queue.length > 0 && !this.resync) this.incomplete({ reason: 'gap', lost }, origin);
    this.dropHeld();
    this.pos += lost;
    this.skip = 0;
    this.resync = true;
    this.junkFrom = -1;
  }

  end(): void {
    this.now = null;
    if (this.queue.length > 0 && !this.resync) this.incomplete({ reason: 'ended' }, null);
    else if (this.junkFrom >= 0) this.reportJunk(this.pos + this.queue.length);
    this.dropHeld();
  }

  private dropHeld(): void {
    this.pos += this.queue.length;
    this.queue.free();
    this.provenance.clear();
    this.resetMessage();
  }

  private resetMessage(): void {
    this.scanned = 0;
    this.headerLength = -1;
    this.total = -1;
  }

  /** A message that never completed: kept (cut) when its headers are whole, else only reported. */
  private incomplete(why: DiagnosticValues['sip.stream-incomplete']['why'], origin: ChunkOrigin | null): void {
    const queue = this.queue;
    const held = queue.length;
    const at = this.provenance.offsetAt(this.pos);
    const first = this.provenance.originAt(this.pos);
    if (this.headerLength >= 0) {
      // Cut short, not completed: it belongs to the frames its bytes came from.
      this.now = null;
      this.emit(queue.bytes, queue.head, queue.tail, this.pos, true);
      this.diagnostics.report(
        'sip.stream-incomplete',
        { stream: this.stream, why, held, total: this.total, frame: first?.frame ?? null },
        { frame: origin?.frame ?? first?.frame, offset: at },
      );
    } else {
      this.diagnostics.report(
        'sip.stream-incomplete',
        { stream: this.stream, why, held, total: null, frame: first?.frame ?? null },
        { frame: first?.frame, offset: at },
      );
    }
  }

  private reportJunk(until: number): void {
    const from = this.junkFrom;
    this.junkFrom = -1;
    this.diagnostics.report(
      'sip.stream-junk',
      { stream: this.stream, bytes: until - from },
      this.where(from),
    );
  }

  private where(pos: number): { frame?: number; offset?: number } {
    const origin = this.provenance.originAt(pos);
    return origin === null ? {} : { frame: origin.frame, offset: this.provenance.offsetAt(pos) };
  }

  /** Hands out b[start, end), which begins at stream position `pos`. */
  private emit(b: Uint8Array, start: number, end: number, pos: number, incomplete: boolean): void {
    const span = this.provenance.span(pos, pos + (end - start), this.now);
    this.onMessage({ ...span, bytes: messageBytes(b, start, end), incomplete });
  }

  /** Frames as many messages as [s, e) of `b` holds (b[s] is at stream position this.pos); returns the bytes consumed. */
  private frame(b: Uint8Array, s: number, e: number): number {
    const limits = this.limits;
    const posOf = (i: number): number => this.pos + (i - s);
    let p = s;
    while (p < e) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, e - p);
        this.skip -= k;
        p += k;
        continue;
      }
      if (this.resync) {
        const found = findResyncStart(b, p, e);
        if (found < 0) {
          // Keep the tail that may hold the beginning of a start line cut by the end of the segment.
          p = Math.max(p, e - StartLine.MAX);
          break;
        }
        p = found;
        this.resync = false;
        if (this.junkFrom >= 0) this.reportJunk(posOf(p));
        continue;
      }
      if (this.headerLength < 0) {
        // Keep-alives between messages (RFC 5626 §3.5.1: CRLFCRLF ping, CRLF pong).
        if (b[p] === Char.CR || b[p] === Char.LF) {
          this.keepAlive(posOf(p));
          while (p < e && (b[p] === Char.CR || b[p] === Char.LF)) p++;
          continue;
        }
        // A start line: wait until it is whole before judging it.
        let lf = p;
        const lineLimit = Math.min(e, p + StartLine.MAX);
        while (lf < lineLimit && b[lf] !== Char.LF) lf++;
        if (lf >= lineLimit && e - p < StartLine.MAX) break;
        if (!sipStartAt(b, p, e)) {
          if (this.junkFrom < 0) this.junkFrom = posOf(p);
          p++;
          this.resync = true;
          continue;
        }
        // The end of the headers: an empty line (CRLF CRLF, or bare LF LF).
        let i = p + Math.max(0, this.scanned - 3);
        let bodyStart = -1;
        for (; i < e; i++) {
          if (b[i] !== Char.LF) continue;
          if (i + 1 >= e) break;
          if (b[i + 1] === Char.LF) {
            bodyStart = i + 2;
            break;
          }
          if (b[i + 1] === Char.CR) {
            if (i + 2 >= e) break;
            if (b[i + 2] === Char.LF) {
              bodyStart = i + 3;
              break;
            }
          }
        }
        if (bodyStart < 0) {
          this.scanned = i - p;
          if (e - p <= limits.maxHeader) break;
          this.diagnostics.report(
            'sip.no-message-boundary',
            { stream: this.stream, max: limits.maxHeader },
            this.where(posOf(p)),
          );
          this.resetMessage();
          p++;
          this.resync = true;
          continue;
        }
        this.headerLength = bodyStart - p;
        this.total = this.headerLength + Math.max(0, contentLengthOf(b, p, bodyStart));
      }
      const total = this.total;
      if (total > limits.maxMessage) {
        // Too long to hold: keep its first maxMessage bytes, skip the rest of the body.
        if (e - p < limits.maxMessage) break;
        this.emit(b, p, p + limits.maxMessage, posOf(p), true);
        this.diagnostics.report(
          'sip.message-too-large',
          { stream: this.stream, total, max: limits.maxMessage },
          this.where(posOf(p)),
        );
        this.skip = total - limits.maxMessage;
        p += limits.maxMessage;
        this.resetMessage();
        continue;
      }
      if (e - p < total) break;
      this.emit(b, p, p + total, posOf(p), false);
      p += total;
      this.resetMessage();
    }
    return p - s;
  }

  private keepAlive(pos: number): void {
    this.diagnostics.count('sip.keepalive', 'stream', { on: 'stream', stream: this.stream }, this.where(pos));
  }
}
