/**
 * ICMP errors tied to calls: the pipeline hands out every ICMP error with the packet it quotes
 * (net/icmp.ts, the `onIcmp` sink); this table keeps them until the call whose packet they quote
 * is handed over, then gives each to that call: to the SIP message it bounced (the quoted 5-tuple,
 * the latest message of the call on it at or before the error, and the quoted Call-ID when the
 * quote reaches it) or to the media stream whose packet it quotes (the stream's 5-tuple, within
 * the stream's time).
 *
 * Memory is bounded: at most `max` errors are held (the oldest are let go beyond it, counted), and
 * an error that no call took within `windowMs` of capture time is forgotten (STUN to a closed
 * port, traffic of no call).
 */
import type { Call } from './dialog/types.js';
import type { CallMedia } from './media/types.js';
import type { IcmpError, IcmpErrorKind } from './outputs.js';
import { toMs } from '../time.js';
import type { Endpoint, Timestamp } from '../types.js';

/** An ICMP error as a call's evidence (owned: rules read it after the capture moved on). */
export interface CallIcmpError {
  readonly file: string;
  /** The frame that carried the ICMP error. */
  readonly frame: number;
  readonly time: Timestamp;
  readonly icmpVersion: 4 | 6;
  readonly type: number;
  readonly code: number;
  readonly kind: IcmpErrorKind;
  /** The host that sent the error (the destination itself for a port unreachable, else a router). */
  readonly reporter: string;
  /** The MTU a "fragmentation needed" or "packet too big" error gives, else null. */
  readonly mtu: number | null;
  /** IP protocol of the quoted packet (17 UDP, 6 TCP, 132 SCTP). */
  readonly protocol: number;
  /** The quoted packet's source and destination. */
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** The quoted packet's length (its IP header's word). */
  readonly length: number;
  /** The Call-ID of the quoted SIP message, when the quote reaches it. */
  readonly callId: string | null;
  /** Index into call.messages of the SIP message it quotes, or null. */
  readonly message: number | null;
  /** Index into the call's media streams of the stream whose packet it quotes, or null. */
  readonly stream: number | null;
}

/** What the table holds per error, before it is tied to a call. */
type Held = Omit<CallIcmpError, 'message' | 'stream'> & { readonly ms: number; taken: boolean };

/** The Call-ID header, long or compact form (RFC 3261 §20.8). */
const CALL_ID = /(?:^|\n)(?:call-id|i)[ \t]*:[ \t]*([^\r\n]+)/i;

/**
 * The Call-ID of a quoted SIP message, or null when the quote does not reach it (or is not SIP).
 * Not the message parser (sip/parse.ts): a quote is a message cut at an arbitrary byte (RFC 792
 * quotes 8 bytes past the IP header, RFC 1812 up to 576), and the parser would read a header line
 * cut in the middle as a whole value; here a Call-ID counts only when its line ends inside the quote.
 */
export function quotedCallId(payload: Uint8Array | null): string | null {
  if (payload === null || payload.length < 12) return null;
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1');
  if (!/^(?:SIP\/2\.0 \d{3}|[A-Z]+ \S+ SIP\/2\.0)/.test(text)) return null;
  const m = CALL_ID.exec(text);
  // A Call-ID cut by the end of the quote is no Call-ID.
  if (m === null || m.index + m[0].length >= text.length) return null;
  return m[1]!.trim();
}

function key(src: Endpoint, dst: Endpoint): string {
  return `${src.ip}|${src.port}|${dst.ip}|${dst.port}`;
}

/** How long after a SIP message an error without a Call-ID may still be its bounce. */
const UNNAMED_SIP_MS = 2000;
/** The errors of a call when none is held, shared. */
const NO_ERRORS: readonly CallIcmpError[] = [];

/** How long after a stream's last packet an error may still be about it. */
const STREAM_GRACE_MS = 2000;

export interface IcmpTableOptions {
  /** Errors held at once (default 10,000). */
  readonly max?: number;
  /** Capture time after which an error no call took is forgotten (default 1 hour). */
  readonly windowMs?: number;
}

export class IcmpTable {
  readonly max: number;
  readonly windowMs: number;
  /** Errors let go because the table was full. */
  dropped = 0;
  /** Errors of no use to a call (no ports quoted, or a kind no call reads). */
  ignored = 0;
  private readonly byKey = new Map<string, Held[]>();
  /** Every held error in arrival order (taken ones are skipped when let go). */
  private queue: Held[] = [];
  private head = 0;
  private held = 0;

  constructor(options: IcmpTableOptions = {}) {
    this.max = options.max ?? 10_000;
    this.windowMs = options.windowMs ?? 3_600_000;
  }

  /** One error from the sink; the quote is copied (the sink's object is owned, but kept small here). */
  add(e: IcmpError): void {
    const q = e.quote;
    if (q === null || q.srcPort === null || q.dstPort === null || (e.kind !== 'unreachable' && e.kind !== 'packet-too-big')) {
      this.ignored++;
      return;
    }
    const ms = e.sec * 1000 + e.nsec / 1e6;
    this.forgetBefore(ms - this.windowMs);
    while (this.held >= this.max) {
      if (this.letGo()) this.dropped++;
    }
    const src = { ip: q.src, port: q.srcPort };
    const dst = { ip: q.dst, port: q.dstPort };
    const held: Held = {
      file: e.file,
      frame: e.frame,
      time: { sec: e.sec, nsec: e.nsec },
      icmpVersion: e.icmpVersion,
      type: e.type,
      code: e.code,
      kind: e.kind,
      reporter: e.reporter,
      mtu: e.mtu,
      protocol: q.protocol,
      src,
      dst,
      length: q.length,
      callId: q.protocol === 17 ? quotedCallId(q.payload) : null,
      ms,
      taken: false,
    };
    const k = key(src, dst);
    const list = this.byKey.get(k);
    if (list === undefined) this.byKey.set(k, [held]);
    else list.push(held);
    this.queue.push(held);
    this.held++;
  }

  /** Errors held now. */
  get size(): number {
    return this.held;
  }

  /**
   * The errors that quote a packet of this call (its SIP messages, its media streams), taken out
   * of the table, in capture order.
   */
  take(call: Call, media: CallMedia | null): readonly CallIcmpError[] {
    // Nothing held (a capture without ICMP errors): one shared empty list, not one per call.
    if (this.held === 0) return NO_ERRORS;
    const found: CallIcmpError[] = [];
    // SIP messages: each error goes to the latest message of the call on its 5-tuple at or before it.
    const messagesByKey = new Map<string, number[]>();
    call.messages.forEach((m, i) => {
      const k = key(m.captured.src, m.captured.dst);
      const list = messagesByKey.get(k);
      if (list === undefined) messagesByKey.set(k, [i]);
      else list.push(i);
    });
    for (const [k, indices] of messagesByKey) {
      const errors = this.byKey.get(k);
      if (errors === undefined) continue;
      // A copy: taking an error takes it out of the list.
      for (const e of [...errors]) {
        if (e.taken || (e.callId !== null && e.callId !== call.callId)) continue;
        let best: number | null = null;
        for (const i of indices) {
          const at = toMs(call.messages[i]!.captured.time);
          if (at <= e.ms + 1) best = i;
        }
        if (best === null) continue;
        if (e.callId === null && e.ms - toMs(call.messages[best]!.captured.time) > UNNAMED_SIP_MS) continue;
        found.push(this.takeOne(e, k, best, null));
      }
    }
    // Media: an error that quotes a packet of one of the call's streams (SIP quotes are not media).
    media?.streams.forEach((s, i) => {
      const k = key(s.src, s.dst);
      const errors = this.byKey.get(k);
      if (errors === undefined) return;
      const first = toMs(s.first) - 1;
      const last = toMs(s.last) + STREAM_GRACE_MS;
      for (const e of [...errors]) {
        if (e.taken || e.callId !== null || e.ms < first || e.ms > last) continue;
        found.push(this.takeOne(e, k, null, i));
      }
    });
    this.compact();
    return found.sort((a, b) => a.frame - b.frame);
  }

  private takeOne(e: Held, k: string, message: number | null, stream: number | null): CallIcmpError {
    e.taken = true;
    this.held--;
    const list = this.byKey.get(k)!;
    list.splice(list.indexOf(e), 1);
    if (list.length === 0) this.byKey.delete(k);
    const { ms: _ms, taken: _taken, ...rest } = e;
    return { ...rest, message, stream };
  }

  /** Lets go of errors older than `ms` (capture time). */
  private forgetBefore(ms: number): void {
    while (this.head < this.queue.length) {
      const e = this.queue[this.head]!;
      if (!e.taken && e.ms >= ms) break;
      this.letGo();
    }
  }

  /** Lets go of the oldest entry of the queue; true when it was still held (not taken by a call). */
  private letGo(): boolean {
    const e = this.queue[this.head++];
    if (e === undefined) return false;
    if (!e.taken) {
      e.taken = true;
      this.held--;
      const k = key(e.src, e.dst);
      const list = this.byKey.get(k);
      if (list !== undefined) {
        list.splice(list.indexOf(e), 1);
        if (list.length === 0) this.byKey.delete(k);
      }
      this.compact();
      return true;
    }
    this.compact();
    return false;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
