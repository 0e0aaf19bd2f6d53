/**
 * SCTP (RFC 9260) as SIP uses it (RFC 4168): each SIP message is one SCTP user message,
 * carried in DATA chunks, several of which may share a packet. A message split over several
 * DATA chunks (B and E flags, consecutive TSNs) is joined, bounded in size, count and
 * capture time. DATA chunks seen again (same TSN, a retransmission) are dropped.
 */
import { u16be, u32be } from '../capture/bytes.js';
import type { FrameView } from '../capture/frame.js';
import type { DiagnosticValues } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { formatIp, type IpResult } from '../net/ip.js';
import { type Layer, LayerId } from '../layer.js';
import type { Packet } from '../packet.js';
import { sipStartAt } from '../sip/detect.js';
import { messageBytes } from '../sip/message-bytes.js';
import type { Span } from './stream.js';

export interface SctpLimits {
  /** Longest user message joined from fragments. */
  readonly maxMessage: number;
  /** User messages being joined at once (all associations). */
  readonly maxPending: number;
  /** Capture seconds a message may wait for its missing fragments. */
  readonly timeout: number;
  /** Associations whose recent TSNs are remembered (for retransmissions). */
  readonly maxAssociations: number;
}

export const DEFAULT_SCTP_LIMITS: SctpLimits = { maxMessage: 1024 * 1024, maxPending: 256, timeout: 30, maxAssociations: 1024 };

/**
 * A whole user message: `data[start, end)` (a view into the frame when it was not fragmented:
 * copy to keep), its payload protocol id, where it came from, and the frame whose IP header
 * carried its last chunk (for the addresses).
 */
export type SctpMessageHandler = (frame: FrameView, data: Uint8Array, start: number, end: number, ppid: number, span: Span, srcPort: number, dstPort: number) => void;

interface Fragment {
  tsn: number;
  begin: boolean;
  end: boolean;
  data: Uint8Array;
  frame: number;
  sec: number;
  nsec: number;
  offset: number;
}

interface Pending {
  key: string;
  fragments: Fragment[];
  bytes: number;
  firstSec: number;
}

/** TSNs remembered per association. */
const RECENT_TSNS = 1024;

interface Association {
  recent: Set<number>;
  order: number[];
}

function location(frame: FrameView, p: number): { frame: number; offset: number } {
  return { frame: frame.number, offset: frame.fileOffset + p - frame.start };
}

export class SctpDecoder {
  private readonly pending = new Map<string, Pending>();
  private readonly associations = new Map<string, Association>();

  constructor(
    private readonly diagnostics: DiagnosticSink,
    private readonly limits: SctpLimits = DEFAULT_SCTP_LIMITS,
  ) {}

  get pendingMessages(): number {
    return this.pending.size;
  }

  /**
   * The DATA chunks of one SCTP packet (`ip` points at its common header). Calls onMessage for
   * each whole user message: unfragmented ones as a view into the frame (copy to keep), joined
   * ones as an owned copy. `frames`: the frames of a reassembled IP datagram carrying it.
   */
  packet(frame: FrameView, ip: IpResult, frames: readonly number[] | null, onMessage: SctpMessageHandler): void {
    const b = frame.data;
    const s = ip.payloadStart;
    const e = ip.payloadEnd;
    if (e - s < 12) {
      this.diagnostics.report('sctp.bad-chunk', { frame: frame.number, left: Math.max(0, e - s) }, location(frame, s));
      return;
    }
    const srcPort = u16be(b, s);
    const dstPort = u16be(b, s + 2);
    const vtag = u32be(b, s + 4);
    let association: string | null = null;
    const here: Span = { frame: frame.number, frames: frames ?? [frame.number], sec: frame.sec, nsec: frame.nsec, offset: 0 };
    for (let p = s + 12; p + 4 <= e; ) {
      const type = b[p]!;
      const flags = b[p + 1]!;
      const length = u16be(b, p + 2);
      if (length < 4 || p + length > e) {
        this.diagnostics.report('sctp.bad-chunk', { frame: frame.number, chunkType: type, length, left: e - p }, location(frame, p));
        return;
      }
      if (type === 0 && length >= 16) {
        // DATA (RFC 9260 §3.3.1): TSN, stream id, stream sequence number, payload protocol id, user data.
        const tsn = u32be(b, p + 4);
        const stream = u16be(b, p + 8);
        const ssn = u16be(b, p + 10);
        const ppid = u32be(b, p + 12);
        const unordered = (flags & 4) !== 0;
        const begin = (flags & 2) !== 0;
        const end = (flags & 1) !== 0;
        association ??= `${ip.version}:${Buffer.from(b.subarray(ip.srcOffset, ip.srcOffset + (ip.version === 4 ? 4 : 16))).toString('hex')}:${srcPort}>${Buffer.from(b.subarray(ip.dstOffset, ip.dstOffset + (ip.version === 4 ? 4 : 16))).toString('hex')}:${dstPort}:${vtag}`;
        if (this.seen(association, tsn)) {
          this.diagnostics.count('sctp.retransmission', '', { frame: frame.number }, location(frame, p));
        } else if (begin && end) {
          onMessage(frame, b, p + 16, p + length, ppid, { ...here, offset: frame.fileOffset + p + 16 - frame.start }, srcPort, dstPort);
        } else {
          // Fragments of an ordered message share its stream sequence number; unordered ones (rare) are joined per stream.
          const key = `${association}/${stream}/${unordered ? 'u' : ssn}`;
          this.fragment(key, { tsn, begin, end, data: b.slice(p + 16, p + length), frame: frame.number, sec: frame.sec, nsec: frame.nsec, offset: frame.fileOffset + p + 16 - frame.start }, frame, ppid, srcPort, dstPort, onMessage);
        }
      }
      p += (length + 3) & ~3;
    }
  }

  /** True when this association's TSN was seen before; remembers it otherwise. */
  private seen(association: string, tsn: number): boolean {
    let a = this.associations.get(association);
    if (a === undefined) {
      if (this.associations.size >= this.limits.maxAssociations) {
        const oldest = this.associations.keys().next();
        if (!oldest.done) this.associations.delete(oldest.value);
      }
      a = { recent: new Set(), order: [] };
      this.associations.set(association, a);
    }
    if (a.recent.has(tsn)) return true;
    a.recent.add(tsn);
    a.order.push(tsn);
    if (a.order.length > RECENT_TSNS) a.recent.delete(a.order.shift()!);
    return false;
  }

  private fragment(
    key: string,
    f: Fragment,
    frame: FrameView,
    ppid: number,
    srcPort: number,
    dstPort: number,
    onMessage: SctpMessageHandler,
  ): void {
    let entry = this.pending.get(key);
    if (entry === undefined) {
      if (this.pending.size >= this.limits.maxPending) {
        const oldest = this.pending.values().next();
        if (!oldest.done) this.drop(oldest.value, { reason: 'pending-limit', max: this.limits.maxPending });
      }
      entry = { key, fragments: [], bytes: 0, firstSec: frame.sec };
      this.pending.set(key, entry);
    }
    entry.fragments.push(f);
    entry.bytes += f.data.length;
    if (entry.bytes > this.limits.maxMessage) {
      this.drop(entry, { reason: 'too-long', max: this.limits.maxMessage });
      return;
    }
    const fragments = entry.fragments.sort((x, y) => (x.tsn - y.tsn) | 0);
    const first = fragments[0]!;
    const last = fragments[fragments.length - 1]!;
    if (!first.begin || !last.end) return;
    for (let i = 1; i < fragments.length; i++) if (((fragments[i]!.tsn - fragments[i - 1]!.tsn) | 0) !== 1) return;
    this.pending.delete(entry.key);
    const data = new Uint8Array(entry.bytes);
    let at = 0;
    for (const x of fragments) {
      data.set(x.data, at);
      at += x.data.length;
    }
    const framesSeen = [...new Set(fragments.map((x) => x.frame))].sort((a, b) => a - b);
    onMessage(frame, data, 0, data.length, ppid, { frame: frame.number, frames: framesSeen, sec: frame.sec, nsec: frame.nsec, offset: first.offset }, srcPort, dstPort);
  }

  expire(sec: number): void {
    for (const entry of this.pending.values()) {
      if (sec - entry.firstSec > this.limits.timeout) this.drop(entry, { reason: 'timeout', seconds: this.limits.timeout });
    }
  }

  finish(): void {
    for (const entry of this.pending.values()) this.drop(entry, { reason: 'capture-ended' });
    this.associations.clear();
  }

  private drop(entry: Pending, why: DiagnosticValues['sctp.incomplete-message']['why']): void {
    this.pending.delete(entry.key);
    const first = entry.fragments.reduce((a, b) => (a.frame <= b.frame ? a : b));
    this.diagnostics.report(
      'sctp.incomplete-message',
      { why, chunks: entry.fragments.length, bytes: entry.bytes, frames: [...new Set(entry.fragments.map((x) => x.frame))] },
      { frame: first.frame, offset: first.offset },
    );
  }
}

/** SCTP (IP protocol 132): its DATA chunks, joined into user messages for packet.onSctpMessage. */
export const sctpLayer: Layer = (p) => {
  p.sctp.packet(p.frame, p.ip, p.fragmentFrames, p.onSctpMessage);
  return LayerId.DONE;
};

/** SIP in SCTP user messages (RFC 4168: one message each), for the packets of `p`. */
export function sipOverSctp(p: Packet): SctpMessageHandler {
  return (frame, data, start, end, ppid, span, srcPort, dstPort) => {
    const ip = p.ip;
    if (!sipStartAt(data, start, end)) {
      p.diagnostics.count('sctp.not-sip', String(ppid), { frame: span.frame, ppid }, { frame: span.frame, offset: span.offset });
      return;
    }
    p.sip.emit(
      messageBytes(data, start, end),
      true,
      span,
      { ip: formatIp(frame.data, ip.srcOffset, ip.version), port: srcPort },
      { ip: formatIp(frame.data, ip.dstOffset, ip.version), port: dstPort },
      'SCTP',
    );
  };
}
