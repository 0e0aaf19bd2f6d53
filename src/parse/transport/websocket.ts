/**
 * SIP over WebSocket (RFC 7118): the HTTP/1.1 upgrade (RFC 6455 §4), then frames (§5.2) that
 * are unmasked (§5.3), joined when a message is fragmented (§5.4, control frames may come in
 * between), and inflated when permessage-deflate (RFC 7692) was negotiated. Each WebSocket
 * message carries one SIP message (RFC 7118 §5), so a message is parsed as a datagram.
 *
 * Detection is by content on any port: a GET with `Upgrade: websocket`, or a `101` response.
 * Frames are copied out of the reused read buffer; a message longer than the limit ends the
 * stream with a diagnostic.
 */
import type { InflateFailure, StreamRef, WebSocketProblem } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { zlib } from '../lazy-builtins.js';
import { messageBytes } from '../sip/message-bytes.js';
import { ByteQueue, inflateFailure, Provenance, type ChunkOrigin, type MemoryBudget, type Span, type StreamConsumer } from './stream.js';

const CR = 0x0d;
const LF = 0x0a;

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

function startsWith(b: Uint8Array, s: number, e: number, text: string): boolean {
  if (e - s < text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Index of `needle` (lower case ASCII) in b[s, e) compared case-insensitively, or -1. */
function indexOfCi(b: Uint8Array, s: number, e: number, needle: string): number {
  const n = needle.length;
  const first = needle.charCodeAt(0);
  outer: for (let i = s; i + n <= e; i++) {
    if (lower(b[i]!) !== first) continue;
    for (let k = 1; k < n; k++) if (lower(b[i + k]!) !== needle.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}

/** How far into a segment the upgrade request's headers are searched. */
const MAX_HANDSHAKE = 16 * 1024;

/**
 * 'request' for an HTTP GET asking to upgrade to WebSocket, 'response' for an HTTP 101, else
 * null. Looks only at this segment's bytes (an upgrade request fits in one).
 */
export function webSocketHandshake(b: Uint8Array, s: number, e: number): 'request' | 'response' | null {
  if (startsWith(b, s, e, 'GET ')) {
    const end = Math.min(e, s + MAX_HANDSHAKE);
    const upgrade = indexOfCi(b, s, end, '\nupgrade:');
    if (upgrade < 0) return null;
    let lf = upgrade + 9;
    while (lf < end && b[lf] !== LF) lf++;
    return indexOfCi(b, upgrade + 9, lf, 'websocket') >= 0 ? 'request' : null;
  }
  if ((startsWith(b, s, e, 'HTTP/1.1 101') || startsWith(b, s, e, 'HTTP/1.0 101')) && (e - s === 12 || b[s + 12] === 0x20 || b[s + 12] === CR)) return 'response';
  return null;
}

/** What both directions of one WebSocket connection share: the negotiated extensions. */
export class WebSocketSession {
  /** permessage-deflate was accepted (null: the handshake was not seen). */
  deflate: boolean | null = null;
  clientNoContextTakeover = false;
  serverNoContextTakeover = false;
}

export interface WebSocketMessage extends Span {
  readonly bytes: Uint8Array;
  readonly text: boolean;
}

export interface WebSocketLimits {
  /** Longest message (after joining fragments and inflating). */
  readonly maxMessage: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = { maxMessage: 1024 * 1024 };

const enum State {
  Http,
  Frames,
  Dead,
}

/** The deflate window kept for context takeover (RFC 7692 §7.1.1: at most 2^15 bytes). */
const WINDOW = 32 * 1024;
const DEFLATE_TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

/** One direction of a WebSocket connection. */
export class WebSocketStream implements StreamConsumer {
  private readonly queue: ByteQueue;
  private readonly provenance: Provenance;
  private pos = 0;
  private state: State;
  private now: ChunkOrigin | null = null;
  /** Role, once known: the client masks its frames. */
  private client: boolean | null;
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private messageStart = -1;
  private messageText = false;
  private messageCompressed = false;
  private window: Uint8Array | null = null;

  constructor(
    private readonly onMessage: (message: WebSocketMessage) => void,
    private readonly diagnostics: DiagnosticSink,
    private readonly stream: StreamRef,
    private readonly session: WebSocketSession,
    options: { readonly handshake: 'request' | 'response' | null; readonly budget?: MemoryBudget | null; readonly limits?: WebSocketLimits },
  ) {
    this.state = options.handshake === null ? State.Frames : State.Http;
    this.client = options.handshake === null ? null : options.handshake === 'request';
    this.queue = new ByteQueue(options.budget ?? null);
    this.provenance = new Provenance(options.budget ?? null);
    this.limits = options.limits ?? DEFAULT_WEBSOCKET_LIMITS;
  }

  private readonly limits: WebSocketLimits;

  data(bytes: Uint8Array, start: number, end: number, origin: ChunkOrigin, now: ChunkOrigin | null): void {
    if (this.state === State.Dead || end <= start) {
      this.pos += Math.max(0, end - start);
      return;
    }
    this.now = now;
    this.provenance.add(this.pos + this.queue.length, origin);
    this.queue.append(bytes, start, end);
    this.process();
    // Keep where the first frame of a fragmented message came from until the message is complete.
    this.provenance.release(this.messageStart >= 0 ? Math.min(this.pos, this.messageStart) : this.pos);
  }

  gap(lost: number, origin: ChunkOrigin): void {
    // Frame boundaries are lost with the bytes: nothing after a gap can be read reliably.
    if (this.state !== State.Dead) {
      this.diagnostics.report('ws.bad-frame', { stream: this.stream, reason: 'gap', lost, after: origin.frame }, {
        frame: origin.frame,
        offset: origin.offset,
      });
    }
    this.kill();
    this.pos += lost;
  }

  end(): void {
    if (this.state === State.Frames && this.parts.length > 0) {
      this.diagnostics.report('ws.bad-frame', { stream: this.stream, reason: 'ended-in-message', bytes: this.partsBytes }, this.where(this.messageStart));
    }
    this.kill();
  }

  private kill(): void {
    this.state = State.Dead;
    this.pos += this.queue.length;
    this.queue.free();
    this.provenance.clear();
    this.parts = [];
    this.partsBytes = 0;
    this.window = null;
  }

  private where(pos: number): { frame?: number; offset?: number } {
    const origin = this.provenance.originAt(pos);
    return origin === null ? {} : { frame: origin.frame, offset: this.provenance.offsetAt(pos) };
  }

  private bad(problem: WebSocketProblem, pos: number): void {
    this.diagnostics.report('ws.bad-frame', { stream: this.stream, reason: 'unreadable', problem }, this.where(pos));
    this.kill();
  }

  private consume(n: number): void {
    this.queue.consume(n);
    this.pos += n;
  }

  private process(): void {
    const q = this.queue;
    while (this.state !== State.Dead) {
      const b = q.bytes;
      const s = q.head;
      const e = q.tail;
      if (this.state === State.Http) {
        if (!this.handshake(b, s, e)) return;
        continue;
      }
      if (e - s < 2) return;
      const b0 = b[s]!;
      const b1 = b[s + 1]!;
      const fin = (b0 & 0x80) !== 0;
      const rsv = b0 & 0x70;
      const opcode = b0 & 0x0f;
      const masked = (b1 & 0x80) !== 0;
      let length = b1 & 0x7f;
      let h = 2;
      if (length === 126) {
        if (e - s < 4) return;
        length = (b[s + 2]! << 8) | b[s + 3]!;
        h = 4;
      } else if (length === 127) {
        if (e - s < 10) return;
        // RFC 6455 §5.2: the most significant bit must be 0; anything past 2^53 is over every limit anyway.
        const high = ((b[s + 2]! << 24) | (b[s + 3]! << 16) | (b[s + 4]! << 8) | b[s + 5]!) >>> 0;
        const low = ((b[s + 6]! << 24) | (b[s + 7]! << 16) | (b[s + 8]! << 8) | b[s + 9]!) >>> 0;
        length = high > 0x1fffff ? Number.MAX_SAFE_INTEGER : high * 2 ** 32 + low;
        h = 10;
      }
      if (masked) h += 4;
      if ((rsv & 0x30) !== 0 || (rsv & 0x40 && opcode >= 8)) return this.bad({ reason: 'reserved-bits', bits: rsv }, this.pos);
      if ((opcode > 2 && opcode < 8) || opcode > 10) return this.bad({ reason: 'reserved-opcode', opcode }, this.pos);
      if (opcode >= 8 && (length > 125 || !fin)) return this.bad({ reason: 'control-frame' }, this.pos);
      if (this.partsBytes + length > this.limits.maxMessage) return this.bad({ reason: 'too-long', max: this.limits.maxMessage }, this.pos);
      if (e - s < h + length) return;
      if (this.client === null) this.client = masked;
      const framePos = this.pos;
      const total = h + length;
      if (opcode >= 8) {
        // Control frames (close, ping, pong) may come between the fragments of a message.
        this.consume(total);
        if (opcode === 8) {
          this.kill();
          return;
        }
        continue;
      }
      if (opcode !== 0) {
        if (this.parts.length > 0) {
          this.diagnostics.report('ws.bad-frame', { stream: this.stream, reason: 'new-message-early' }, this.where(framePos));
          this.parts = [];
          this.partsBytes = 0;
        }
        this.messageStart = framePos;
        this.messageText = opcode === 1;
        this.messageCompressed = (rsv & 0x40) !== 0;
      } else if (this.parts.length === 0 && this.messageStart < 0) {
        return this.bad({ reason: 'orphan-continuation' }, framePos);
      }
      // Unmask into a copy (RFC 6455 §5.3), made where a message's bytes are: most messages are one frame, and this copy is theirs.
      const payload = messageBytes(b, s + h, s + total);
      if (masked) {
        const k = s + h - 4;
        const m0 = b[k]!;
        const m1 = b[k + 1]!;
        const m2 = b[k + 2]!;
        const m3 = b[k + 3]!;
        for (let i = 0; i + 3 < length; i += 4) {
          payload[i] ^= m0;
          payload[i + 1] ^= m1;
          payload[i + 2] ^= m2;
          payload[i + 3] ^= m3;
        }
        for (let i = length & ~3; i < length; i++) payload[i] ^= b[k + (i & 3)]!;
      }
      this.parts.push(payload);
      this.partsBytes += length;
      this.consume(total);
      if (fin) this.complete(this.pos);
    }
  }

  /** The HTTP request or response before the frames: read the negotiated extensions. */
  private handshake(b: Uint8Array, s: number, e: number): boolean {
    let end = -1;
    for (let i = s + 3; i < e && i - s < MAX_HANDSHAKE; i++) {
      if (b[i] === LF && b[i - 1] === CR && b[i - 2] === LF && b[i - 3] === CR) {
        end = i + 1;
        break;
      }
    }
    if (end < 0) {
      if (e - s >= MAX_HANDSHAKE) this.bad({ reason: 'no-handshake-end', max: MAX_HANDSHAKE }, this.pos);
      return false;
    }
    if (startsWith(b, s, e, 'HTTP/')) {
      if (webSocketHandshake(b, s, end) !== 'response') {
        // The upgrade was refused: no WebSocket on this connection.
        this.kill();
        return false;
      }
      const ext = indexOfCi(b, s, end, '\nsec-websocket-extensions:');
      if (ext >= 0) {
        let lf = ext + 1;
        while (lf < end && b[lf] !== LF) lf++;
        const value = Buffer.from(b.subarray(ext + 26, lf)).toString('latin1').toLowerCase();
        this.session.deflate = value.includes('permessage-deflate');
        this.session.clientNoContextTakeover = value.includes('client_no_context_takeover');
        this.session.serverNoContextTakeover = value.includes('server_no_context_takeover');
      } else {
        this.session.deflate = false;
      }
    }
    this.consume(end - s);
    this.state = State.Frames;
    return true;
  }

  /** A whole message: joined, inflated if compressed, handed out. */
  private complete(endPos: number): void {
    const parts = this.parts;
    let data: Uint8Array;
    if (parts.length === 1) data = parts[0]!;
    else {
      data = new Uint8Array(this.partsBytes);
      let at = 0;
      for (const p of parts) {
        data.set(p, at);
        at += p.length;
      }
    }
    const start = this.messageStart;
    this.parts = [];
    this.partsBytes = 0;
    this.messageStart = -1;
    if (this.messageCompressed) {
      const inflated = this.inflate(data);
      if (!(inflated instanceof Uint8Array)) {
        this.diagnostics.report(
          'ws.compressed',
          { stream: this.stream, failure: inflated, handshakeMissing: this.session.deflate === null },
          this.where(start),
        );
        return;
      }
      data = inflated;
    }
    if (data.length === 0) return;
    this.onMessage({ ...this.provenance.span(start, endPos, this.now), bytes: data, text: this.messageText });
  }

  /** The inflated message, or why it does not inflate (reported by the caller as ws.compressed). */
  private inflate(data: Uint8Array): Uint8Array | InflateFailure {
    const noContext = this.client === true ? this.session.clientNoContextTakeover : this.session.serverNoContextTakeover;
    const input = new Uint8Array(data.length + 4);
    input.set(data);
    input.set(DEFLATE_TAIL, data.length);
    try {
      const dictionary = !noContext && this.window !== null ? this.window : undefined;
      // The message ends with a sync flush, not a final block: inflate up to it.
      const { constants, inflateRawSync } = zlib();
      const out = new Uint8Array(inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: this.limits.maxMessage, ...(dictionary ? { dictionary } : {}) }));
      if (!noContext) {
        // RFC 7692 §7.2.3: the sliding window carries over to the next message.
        const previous = this.window ?? new Uint8Array(0);
        const joined = new Uint8Array(Math.min(WINDOW, previous.length + out.length));
        const fromOut = Math.min(out.length, joined.length);
        joined.set(previous.subarray(previous.length - (joined.length - fromOut)), 0);
        joined.set(out.subarray(out.length - fromOut), joined.length - fromOut);
        this.window = joined;
      }
      return out;
    } catch (err) {
      // diagnostic: ws.compressed, reported by complete() with this reason
      return inflateFailure(err, this.limits.maxMessage);
    }
  }
}

