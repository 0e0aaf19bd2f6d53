/**
 * TCP (RFC 9293): header decoding, and reassembly of each direction of the connections worth
 * following into an in-order byte stream, after gopacket's tcpassembly: sequence numbers
 * compared modulo 2^32, retransmitted and overlapping bytes dropped, out-of-order segments
 * copied and held until the hole is filled, and a hole that will not be filled (the peer
 * acknowledged past it, too much is held, or too much capture time passed) skipped as a gap
 * the consumer is told about, with the number of bytes lost.
 *
 * Only connections the caller opens are followed (those that look like SIP, a WebSocket
 * upgrade, HEP or TLS); every other segment costs one hash lookup. Tables and buffers are
 * bounded: connections (least recently used evicted), out-of-order bytes per direction, and a
 * memory budget shared with the stream consumers; every limit hit is a diagnostic.
 */
import { u16be, u32be } from '../capture/bytes.js';
import type { FrameView } from '../capture/frame.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { formatIp, type IpResult } from '../net/ip.js';
import { MemoryBudget, type ChunkOrigin, type StreamConsumer } from './stream.js';
import { ActivityList } from '../activity-list.js';
import type { StreamRef, TcpEnd, TcpGapReason, TcpLimit } from '../../diagnostics.js';
import type { Endpoint } from '../../types.js';

/** TCP header flag bits (RFC 9293 §3.1); a const enum, so that the bundler writes each into the code as a number (docs/decisions.md "Offsets read per packet as const enums"). */
export const enum TcpFlag {
  FIN = 0x01,
  SYN = 0x02,
  RST = 0x04,
  ACK = 0x10,
}

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payloadStart: number;
  payloadEnd: number;
}

export function newTcpHeader(): TcpHeader {
  return { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, payloadStart: 0, payloadEnd: 0 };
}

/** RFC 9293 §3.1 header; the checksum is not verified (offloading leaves it wrong in captures). */
export function decodeTcp(frame: FrameView, ip: IpResult, out: TcpHeader, diagnostics: DiagnosticSink): boolean {
  const b = frame.data;
  const p = ip.payloadStart;
  const end = ip.payloadEnd;
  const at = { frame: frame.number, offset: frame.fileOffset + p - frame.start };
  if (end - p < 20) {
    diagnostics.report('tcp.truncated', { frame: frame.number, left: Math.max(0, end - p) }, at);
    return false;
  }
  const headerLength = (b[p + 12]! >> 4) * 4;
  if (headerLength < 20) {
    diagnostics.report('tcp.bad-header', { frame: frame.number, dataOffset: headerLength / 4 }, { ...at, offset: at.offset + 12 });
    return false;
  }
  if (end - p < headerLength) {
    diagnostics.report('tcp.truncated', { frame: frame.number, headerLength, left: end - p }, at);
    return false;
  }
  out.srcPort = u16be(b, p);
  out.dstPort = u16be(b, p + 2);
  out.seq = u32be(b, p + 4);
  out.ack = u32be(b, p + 8);
  out.flags = b[p + 13]!;
  out.payloadStart = p + headerLength;
  out.payloadEnd = end;
  return true;
}

export interface TcpLimits {
  /** Connections followed at once; the least recently active is dropped for a new one. */
  readonly maxConnections: number;
  /** Out-of-order bytes held per direction before the hole in front of them is given up. */
  readonly maxPendingBytes: number;
  readonly maxPendingSegments: number;
  /** Capture seconds an out-of-order segment waits for the hole in front of it. */
  readonly gapTimeout: number;
  /** Capture seconds without a packet after which a connection is forgotten. */
  readonly idleTimeout: number;
  /** Capture seconds a closed connection is remembered (late retransmissions are dropped, not re-read). */
  readonly closedTimeout: number;
  /** Bytes held by all connections and their consumers together. */
  readonly budget: number;
}

export const DEFAULT_TCP_LIMITS: TcpLimits = {
  maxConnections: 10_000,
  maxPendingBytes: 1024 * 1024,
  maxPendingSegments: 512,
  gapTimeout: 10,
  idleTimeout: 900,
  closedTimeout: 60,
  budget: 64 * 1024 * 1024,
};

interface PendingSegment {
  seq: number;
  data: Uint8Array;
  /** Bytes announced past the captured ones (snaplen). */
  missing: number;
  origin: ChunkOrigin;
}

/** One direction of a connection. */
export class TcpDirection {
  consumer: StreamConsumer | null = null;
  initialized = false;
  /** Sequence number of the next byte to deliver. */
  nextSeq = 0;
  /** The first bytes seen were not the start of the stream (no SYN). */
  midstream = false;
  readonly pending: PendingSegment[] = [];
  pendingBytes = 0;
  /** Capture time when the oldest held segment arrived. */
  pendingSince = 0;
  /** Sequence number after the last byte, once a FIN was seen; -1 before. */
  finSeq = -1;
  ended = false;
  constructor(readonly index: 0 | 1) {}
}

/** A followed connection; `S` is the typed state its owner keeps for it (stream-factory.ts StreamState). */
export class TcpConnection<S = unknown> {
  readonly addrA: Uint8Array;
  readonly addrB: Uint8Array;
  readonly ipA: string;
  readonly ipB: string;
  readonly dirs: readonly [TcpDirection, TcpDirection] = [new TcpDirection(0), new TcpDirection(1)];
  /** What the owner knows of the connection: what it carries and that protocol's per-connection state. */
  state: S;
  packets = 0;
  bytes = 0;
  readonly firstFrame: number;
  readonly firstOffset: number;
  lastSec: number;
  closedAt = -1;
  /** Hash chain and least-recently-used list links. */
  chain: TcpConnection<S> | null = null;
  /** Neighbours in the list of connections by activity. */
  older: TcpConnection<S> | null = null;
  newer: TcpConnection<S> | null = null;

  constructor(
    readonly hash: number,
    readonly version: 4 | 6,
    b: Uint8Array,
    ip: IpResult,
    readonly portA: number,
    readonly portB: number,
    state: S,
    frame: FrameView,
  ) {
    const n = version === 4 ? 4 : 16;
    this.addrA = b.slice(ip.srcOffset, ip.srcOffset + n);
    this.addrB = b.slice(ip.dstOffset, ip.dstOffset + n);
    this.ipA = formatIp(b, ip.srcOffset, version);
    this.ipB = formatIp(b, ip.dstOffset, version);
    this.state = state;
    this.firstFrame = frame.number;
    this.firstOffset = frame.fileOffset + ip.headerStart - frame.start;
    this.lastSec = frame.sec;
  }

  /** Direction `dir` (0: A to B) as diagnostics name it, carrying `protocol`. */
  stream(dir: 0 | 1, protocol: StreamRef['protocol'] = 'TCP'): StreamRef {
    const a: Endpoint = { ip: this.ipA, port: this.portA };
    const b: Endpoint = { ip: this.ipB, port: this.portB };
    return dir === 0 ? { protocol, src: a, dst: b } : { protocol, src: b, dst: a };
  }
}

/** What the reassembler asks of its owner. */
export interface TcpHooks<S = unknown> {
  /** The consumer for a direction, created when its first in-order bytes arrive (b[start, end)). */
  consumer(connection: TcpConnection<S>, dir: 0 | 1, b: Uint8Array, start: number, end: number): StreamConsumer;
  /** The connection is forgotten (closed and expired, idle, or evicted). */
  closed?(connection: TcpConnection<S>): void;
}

function hashEndpoint(b: Uint8Array, offset: number, length: number, port: number): number {
  let h = 0x811c9dc5 ^ port;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ b[offset + i]!, 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array, offset: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[offset + i]) return false;
  return true;
}

/** Signed distance from sequence number b to a, modulo 2^32 (RFC 9293 §3.4). */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export class TcpReassembler<S = unknown> {
  private readonly table = new Map<number, TcpConnection<S>>();
  private count = 0;
  /** Least recently active first. */
  private readonly byActivity = new ActivityList<TcpConnection<S>>();
  /** Directions holding out-of-order segments. */
  private readonly holding = new Set<TcpDirection>();
  private readonly owner = new Map<TcpDirection, TcpConnection<S>>();
  readonly budget: MemoryBudget;
  /** Direction of the segment last matched by find(). */
  dir: 0 | 1 = 0;
  /** The frame being decoded, while segment() runs (see StreamConsumer). */
  private now: ChunkOrigin | null = null;

  constructor(
    private readonly diagnostics: DiagnosticSink,
    private readonly hooks: TcpHooks<S>,
    readonly limits: TcpLimits = DEFAULT_TCP_LIMITS,
  ) {
    this.budget = new MemoryBudget(limits.budget);
  }

  /** Connections followed now. */
  get connections(): number {
    return this.count;
  }

  /** The followed connection this segment belongs to (setting this.dir), or null. No allocation. */
  find(b: Uint8Array, ip: IpResult, tcp: TcpHeader): TcpConnection<S> | null {
    if (this.count === 0) return null;
    const n = ip.version === 4 ? 4 : 16;
    const hash = (hashEndpoint(b, ip.srcOffset, n, tcp.srcPort) ^ hashEndpoint(b, ip.dstOffset, n, tcp.dstPort)) >>> 0;
    for (let c: TcpConnection<S> | null = this.table.get(hash) ?? null; c !== null; c = c.chain) {
      if (c.version !== ip.version) continue;
      if (c.portA === tcp.srcPort && c.portB === tcp.dstPort && sameBytes(c.addrA, b, ip.srcOffset) && sameBytes(c.addrB, b, ip.dstOffset)) {
        this.dir = 0;
        return c;
      }
      if (c.portB === tcp.srcPort && c.portA === tcp.dstPort && sameBytes(c.addrB, b, ip.srcOffset) && sameBytes(c.addrA, b, ip.dstOffset)) {
        this.dir = 1;
        return c;
      }
    }
    return null;
  }

  /** Starts following the connection of this segment (its sender is side A), with the owner's state for it. */
  open(frame: FrameView, ip: IpResult, tcp: TcpHeader, state: S): TcpConnection<S> {
    if (this.count >= this.limits.maxConnections && this.byActivity.oldest !== null) {
      this.evict(this.byActivity.oldest, { reason: 'connections', max: this.limits.maxConnections });
    }
    const b = frame.data;
    const n = ip.version === 4 ? 4 : 16;
    const hash = (hashEndpoint(b, ip.srcOffset, n, tcp.srcPort) ^ hashEndpoint(b, ip.dstOffset, n, tcp.dstPort)) >>> 0;
    const c = new TcpConnection<S>(hash, ip.version, b, ip, tcp.srcPort, tcp.dstPort, state, frame);
    c.chain = this.table.get(hash) ?? null;
    this.table.set(hash, c);
    this.count++;
    this.byActivity.append(c);
    this.owner.set(c.dirs[0], c);
    this.owner.set(c.dirs[1], c);
    this.dir = 0;
    return c;
  }

  /**
   * One segment of a followed connection, in direction `dir`. `frames`: the frames of a
   * reassembled IP datagram carrying it, else null.
   */
  segment(c: TcpConnection<S>, dir: 0 | 1, frame: FrameView, ip: IpResult, tcp: TcpHeader, frames: readonly number[] | null, countOnly: boolean): void {
    this.touch(c, frame.sec);
    c.packets++;
    c.bytes += tcp.payloadEnd - tcp.payloadStart;
    const flags = tcp.flags;
    const d = c.dirs[dir];
    if (countOnly) {
      // Counted, not read (TLS): only its end matters, so that it is reported and forgotten.
      if ((flags & TcpFlag.FIN) !== 0) d.finSeq = 0;
      if ((flags & TcpFlag.RST) !== 0 || (c.dirs[0].finSeq >= 0 && c.dirs[1].finSeq >= 0)) this.markClosed(c);
      return;
    }
    if (c.closedAt >= 0) {
      if ((flags & TcpFlag.SYN) === 0 || (flags & TcpFlag.ACK) !== 0) {
        if (tcp.payloadEnd > tcp.payloadStart) this.retransmission(frame, tcp);
        return;
      }
      // A new connection on the same ports.
      this.reopen(c);
    }
    if ((flags & TcpFlag.RST) !== 0) {
      this.close(c, { reason: 'reset', frame: frame.number });
      return;
    }
    let seq = tcp.seq;
    if ((flags & TcpFlag.SYN) !== 0) {
      const behind = seqDiff(d.nextSeq, seq + 1);
      if (d.initialized && d.consumer !== null && (behind < 0 || behind > this.limits.maxPendingBytes * 4)) {
        // A SYN with a new initial sequence number on a followed connection: the ports were reused.
        // (A SYN just behind the stream is a retransmission of the first one.)
        this.reopen(c);
      }
      seq = (seq + 1) >>> 0;
      if (!d.initialized || d.consumer === null) {
        d.nextSeq = seq;
        d.initialized = true;
        d.midstream = false;
      }
    }
    const captured = tcp.payloadEnd - tcp.payloadStart;
    const missing = captured > 0 || ip.missing > 0 ? ip.missing : 0;
    if (!d.initialized) {
      d.nextSeq = seq;
      d.initialized = true;
      d.midstream = true;
    }
    const origin: ChunkOrigin = { frame: frame.number, sec: frame.sec, nsec: frame.nsec, offset: frame.fileOffset + tcp.payloadStart - frame.start, frames };
    this.now = origin;
    if (captured + missing > 0) this.data(c, d, frame.data, tcp.payloadStart, tcp.payloadEnd, seq, missing, origin, frame, tcp);
    // The peer acknowledged bytes of the other direction that were never captured: the hole will not be filled.
    const other = c.dirs[dir === 0 ? 1 : 0];
    if ((flags & TcpFlag.ACK) !== 0 && other.pending.length > 0 && seqDiff(tcp.ack, other.pending[0]!.seq) > 0) {
      this.skipGap(c, other, { reason: 'acknowledged', frame: frame.number });
    }
    if (d.pending.length > 0 && frame.sec - d.pendingSince > this.limits.gapTimeout) {
      this.skipGap(c, d, { reason: 'no-retransmission', seconds: this.limits.gapTimeout });
    }
    if ((flags & TcpFlag.FIN) !== 0 && d.finSeq < 0) {
      d.finSeq = (seq + captured + missing) >>> 0;
    }
    this.checkEnd(c, d);
    if (this.budget.exceeded) this.trimToBudget(c);
    this.now = null;
  }

  /** Expiry by capture time: idle and closed connections, and holes waited on too long. */
  sweep(sec: number): void {
    for (const d of this.holding) {
      if (sec - d.pendingSince > this.limits.gapTimeout) this.skipGap(this.owner.get(d)!, d, { reason: 'no-retransmission', seconds: this.limits.gapTimeout });
    }
    // The list is ordered by activity: stop at the first connection too recent to expire either way.
    const recent = Math.min(this.limits.closedTimeout, this.limits.idleTimeout);
    for (let c = this.byActivity.oldest; c !== null && sec - c.lastSec > recent; ) {
      const next = c.newer;
      if (c.closedAt >= 0 ? sec - c.closedAt > this.limits.closedTimeout : sec - c.lastSec > this.limits.idleTimeout) {
        if (c.closedAt < 0) this.flush(c, { reason: 'idle', seconds: this.limits.idleTimeout });
        this.remove(c);
      }
      c = next;
    }
  }

  /** End of input: every stream is flushed and ended. */
  finish(): void {
    for (let c = this.byActivity.oldest; c !== null; c = c.newer) {
      if (c.closedAt < 0) this.flush(c, { reason: 'capture-ended' });
    }
    for (let c = this.byActivity.oldest; c !== null; ) {
      const next = c.newer;
      this.remove(c);
      c = next;
    }
  }

  private data(c: TcpConnection<S>, d: TcpDirection, b: Uint8Array, start: number, end: number, seq: number, missing: number, origin: ChunkOrigin, frame: FrameView, tcp: TcpHeader): void {
    const length = end - start + missing;
    const diff = seqDiff(seq, d.nextSeq);
    if (diff > 0) {
      if (d.ended) return;
      if (diff > this.limits.maxPendingBytes * 4) {
        // Far ahead: the capture missed a lot (or the stream was picked up again); do not wait.
        this.gap(c, d, diff, origin, { reason: 'far-ahead' });
        d.nextSeq = seq;
        this.deliver(c, d, b, start, end, missing, origin);
        this.drain(c, d);
        return;
      }
      // Out of order: hold a copy until the hole in front of it is filled.
      const item: PendingSegment = { seq, data: b.slice(start, end), missing, origin };
      const pending = d.pending;
      let i = pending.length;
      while (i > 0 && seqDiff(pending[i - 1]!.seq, seq) > 0) i--;
      pending.splice(i, 0, item);
      if (pending.length === 1) {
        d.pendingSince = frame.sec;
        this.holding.add(d);
      }
      d.pendingBytes += end - start;
      this.budget.used += end - start;
      while (d.pending.length > 0 && (d.pendingBytes > this.limits.maxPendingBytes || d.pending.length > this.limits.maxPendingSegments)) {
        this.skipGap(c, d, { reason: 'held-limit', bytes: this.limits.maxPendingBytes, segments: this.limits.maxPendingSegments });
      }
      return;
    }
    if (diff + length <= 0) {
      this.retransmission(frame, tcp);
      return;
    }
    if (diff < 0) this.retransmission(frame, tcp);
    const skip = -diff;
    const capturedSkip = Math.min(skip, end - start);
    const trimmed = skip === 0 ? origin : { ...origin, offset: origin.offset + capturedSkip };
    this.deliver(c, d, b, start + capturedSkip, end, missing - (skip - capturedSkip), trimmed);
    this.drain(c, d);
  }

  /** In-order bytes: to the consumer (created on the first ones), then any bytes the snaplen cut as a gap. */
  private deliver(c: TcpConnection<S>, d: TcpDirection, b: Uint8Array, start: number, end: number, missing: number, origin: ChunkOrigin): void {
    if (d.ended) return;
    if (end > start) {
      d.consumer ??= this.hooks.consumer(c, d.index, b, start, end);
      d.consumer.data(b, start, end, origin, this.now);
      d.nextSeq = (d.nextSeq + end - start) >>> 0;
    }
    if (missing > 0) {
      this.gap(c, d, missing, origin, { reason: 'snaplen' });
      d.nextSeq = (d.nextSeq + missing) >>> 0;
    }
  }

  /** Delivers held segments that the stream has now reached. */
  private drain(c: TcpConnection<S>, d: TcpDirection): void {
    const pending = d.pending;
    while (pending.length > 0) {
      const p = pending[0]!;
      const diff = seqDiff(p.seq, d.nextSeq);
      if (diff > 0) break;
      pending.shift();
      d.pendingBytes -= p.data.length;
      this.budget.used -= p.data.length;
      const skip = -diff;
      if (skip >= p.data.length + p.missing) continue; // wholly delivered already
      const capturedSkip = Math.min(skip, p.data.length);
      const origin = skip === 0 ? p.origin : { ...p.origin, offset: p.origin.offset + capturedSkip };
      this.deliver(c, d, p.data, capturedSkip, p.data.length, p.missing - (skip - capturedSkip), origin);
    }
    if (pending.length === 0) this.holding.delete(d);
    else d.pendingSince = Math.max(d.pendingSince, pending[0]!.origin.sec);
  }

  /** Gives up the hole in front of the first held segment: the consumer is told how many bytes were lost. */
  private skipGap(c: TcpConnection<S>, d: TcpDirection, why: TcpGapReason): void {
    const first = d.pending[0];
    if (first === undefined) return;
    const lost = seqDiff(first.seq, d.nextSeq);
    if (lost > 0) {
      this.gap(c, d, lost, first.origin, why);
      d.nextSeq = first.seq;
    }
    this.drain(c, d);
    this.checkEnd(c, d);
  }

  private gap(c: TcpConnection<S>, d: TcpDirection, lost: number, origin: ChunkOrigin, why: TcpGapReason): void {
    this.diagnostics.report(
      'tcp.gap',
      { stream: c.stream(d.index), lost, before: origin.frame, why },
      { frame: origin.frame, offset: origin.offset },
    );
    if (d.consumer !== null) d.consumer.gap(lost, origin, this.now);
    else d.midstream = true;
  }

  private retransmission(frame: FrameView, tcp: TcpHeader): void {
    this.diagnostics.count('tcp.retransmission', '', { frame: frame.number }, {
      frame: frame.number,
      offset: frame.fileOffset + tcp.payloadStart - frame.start,
    });
  }

  /** A direction whose FIN has been reached is ended; a connection with both ended is closed. */
  private checkEnd(c: TcpConnection<S>, d: TcpDirection): void {
    if (!d.ended && d.finSeq >= 0 && d.pending.length === 0 && seqDiff(d.nextSeq, d.finSeq) >= 0) this.endDirection(d);
    if (c.dirs[0].ended && c.dirs[1].ended) this.markClosed(c);
  }

  private endDirection(d: TcpDirection): void {
    d.ended = true;
    if (d.consumer !== null) d.consumer.end();
    d.consumer = null;
  }

  private markClosed(c: TcpConnection<S>): void {
    if (c.closedAt < 0) c.closedAt = c.lastSec;
  }

  /** RST: both directions are flushed (held segments delivered after their holes) and ended. */
  private close(c: TcpConnection<S>, why: TcpEnd): void {
    this.flush(c, why);
    this.markClosed(c);
  }

  private flush(c: TcpConnection<S>, why: TcpEnd): void {
    for (const d of c.dirs) {
      while (d.pending.length > 0) this.skipGap(c, d, { reason: 'ended', end: why });
      if (!d.ended) this.endDirection(d);
    }
  }

  /** The ports were reused for a new connection: forget the old one's state. */
  private reopen(c: TcpConnection<S>): void {
    this.flush(c, { reason: 'ports-reused' });
    c.closedAt = -1;
    for (const d of c.dirs) {
      d.initialized = false;
      d.ended = false;
      d.finSeq = -1;
      d.midstream = false;
    }
  }

  private evict(c: TcpConnection<S>, why: TcpLimit): void {
    if (c.closedAt < 0) {
      this.diagnostics.report('tcp.limit', { stream: c.stream(0), why }, { frame: c.firstFrame, offset: c.firstOffset });
      this.flush(c, why);
    }
    this.remove(c);
  }

  /** Over the memory budget: drop the least recently active connections (never the current one first). */
  private trimToBudget(current: TcpConnection<S>): void {
    for (let c = this.byActivity.oldest; c !== null && this.budget.exceeded; ) {
      const next = c.newer;
      if (c !== current) this.evict(c, { reason: 'budget', bytes: this.limits.budget });
      c = next;
    }
    if (this.budget.exceeded) this.evict(current, { reason: 'budget', bytes: this.limits.budget });
  }

  private remove(c: TcpConnection<S>): void {
    let prev: TcpConnection<S> | null = null;
    for (let x: TcpConnection<S> | null = this.table.get(c.hash) ?? null; x !== null; prev = x, x = x.chain) {
      if (x !== c) continue;
      if (prev === null) {
        if (c.chain === null) this.table.delete(c.hash);
        else this.table.set(c.hash, c.chain);
      } else {
        prev.chain = c.chain;
      }
      this.count--;
      break;
    }
    for (const d of c.dirs) {
      if (d.pendingBytes > 0) this.budget.used -= d.pendingBytes;
      d.pending.length = 0;
      d.pendingBytes = 0;
      this.holding.delete(d);
      this.owner.delete(d);
    }
    this.byActivity.remove(c);
    this.hooks.closed?.(c);
  }

  private touch(c: TcpConnection<S>, sec: number): void {
    if (sec > c.lastSec) c.lastSec = sec;
    this.byActivity.touch(c);
  }
}
