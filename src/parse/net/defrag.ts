/**
 * IP defragmentation (RFC 791 §3.2 for IPv4, RFC 8200 §4.5 for IPv6), bounded and driven by
 * capture time, after gopacket's ip4defrag: fragments are copied out of the frame buffer
 * (frames are views into a reused read buffer), every table has a limit, and a datagram that
 * never completes is reported with what is missing.
 *
 * Overlaps: the bytes received first are kept (RFC 5722 tells a host to drop the datagram, but
 * a trace analyzer should show what was sent); overlapping bytes that differ are reported,
 * identical ones (a retransmission, or a packet captured on two interfaces) are counted.
 * Late copies of the fragments of a datagram just reassembled are recognised (same bytes at the
 * same place) and dropped.
 */
import type { FrameView } from '../capture/frame.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { type Layer, LayerId } from '../layer.js';
import { EtherType } from '../link/link.js';
import type { Datagram, FragmentDrop } from '../../diagnostics.js';
import { formatIp, type IpResult } from './ip.js';

export interface DefragLimits {
  /** Datagrams waiting for fragments; the oldest is dropped (and reported) to make room. */
  readonly maxDatagrams: number;
  /** Fragments kept for one datagram; more drops the datagram. */
  readonly maxFragmentsPerDatagram: number;
  /** Fragment bytes held across all datagrams; the oldest datagrams are dropped to make room. */
  readonly maxBytes: number;
  /** Capture seconds a datagram may wait for its missing fragments (IPv4, IPv6). */
  readonly timeoutV4: number;
  readonly timeoutV6: number;
}

export const DEFAULT_DEFRAG_LIMITS: DefragLimits = {
  maxDatagrams: 1024,
  // 65535 bytes in 1280-byte IPv6 fragments is 52; tiny 8-byte fragments are an attack, not SIP.
  maxFragmentsPerDatagram: 256,
  maxBytes: 16 * 1024 * 1024,
  // Linux ipfrag_time is 30 s; RFC 8200 §4.5 gives IPv6 60 s.
  timeoutV4: 30,
  timeoutV6: 60,
};

/** A reassembled datagram as a synthesized IP packet: a header without options, then the whole payload. */
export interface Reassembled {
  readonly packet: Uint8Array;
  readonly version: 4 | 6;
  /** Every frame that carried a fragment, ascending. */
  readonly frames: readonly number[];
  /** Byte offset in the input of the payload's first byte (inside the fragment at offset 0). */
  readonly payloadOffset: number;
}

interface Piece {
  start: number;
  end: number;
  data: Uint8Array;
}

interface Pending {
  readonly key: string;
  readonly version: 4 | 6;
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  readonly id: number;
  protocol: number;
  /** Sorted by start, never overlapping. */
  readonly pieces: Piece[];
  /** Datagram payload length, known once the last fragment (MF clear) arrived; -1 before. */
  total: number;
  readonly frames: number[];
  fragments: number;
  bytes: number;
  readonly firstFrame: number;
  readonly firstOffset: number;
  readonly firstSec: number;
  payloadOffset: number;
  /** Fragments cut by the snaplen (their end was never captured). */
  cut: number;
}

/** A datagram reassembled recently: late copies of its fragments are recognised and dropped. */
interface Done {
  readonly sec: number;
  readonly timeout: number;
  readonly packet: Uint8Array;
  readonly headerLength: number;
}

function keyBytes(b: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(b[offset + i]!);
  return s;
}

export class Defragmenter {
  private readonly pending = new Map<string, Pending>();
  private readonly done = new Map<string, Done>();
  private bytes = 0;
  private doneBytes = 0;

  constructor(
    private readonly diagnostics: DiagnosticSink,
    private readonly limits: DefragLimits = DEFAULT_DEFRAG_LIMITS,
  ) {}

  /** Datagrams waiting for fragments. */
  get pendingDatagrams(): number {
    return this.pending.size;
  }

  /** Fragment bytes held. */
  get bufferedBytes(): number {
    return this.bytes;
  }

  /**
   * Adds the fragment `ip` describes (decodeIp set `ip.fragment`). Returns the whole datagram
   * when this fragment completes it, else null. `frames`: the frames the fragment itself came
   * from when it was reassembled from fragments of an outer tunnel (else frame.number alone).
   */
  add(frame: FrameView, ip: IpResult, frames: readonly number[] | null = null): Reassembled | null {
    const b = frame.data;
    const addrLength = ip.version === 4 ? 4 : 16;
    // RFC 791: source, destination, protocol and identification; RFC 8200: source, destination and identification.
    const key = `${ip.version}${keyBytes(b, ip.srcOffset, addrLength)}${keyBytes(b, ip.dstOffset, addrLength)}${ip.version === 4 ? ip.protocol : ''}:${ip.fragmentId}`;
    const start = ip.fragmentOffset;
    const captured = ip.payloadEnd - ip.payloadStart;
    const claimedEnd = start + captured + ip.missing;
    const fileOffset = frame.fileOffset + ip.payloadStart - frame.start;
    const location = { frame: frame.number, offset: frame.fileOffset + ip.headerStart - frame.start };
    const maxPayload = ip.version === 4 ? 65535 - 20 : 65535;

    const done = this.done.get(key);
    if (done !== undefined) {
      if (this.sameAsDone(done, b, ip.payloadStart, start, captured)) {
        this.duplicate(frame, location);
        return null;
      }
      // The identification was reused for a new datagram.
      this.forget(key, done);
    }

    if (claimedEnd > maxPayload) {
      this.diagnostics.report(
        'ip.fragment-limit',
        { frame: frame.number, reason: 'datagram-size', datagram: this.describe(ip.version, b, ip.srcOffset, ip.dstOffset, ip.fragmentId), end: claimedEnd, max: maxPayload },
        location,
      );
      return null;
    }

    let entry = this.pending.get(key);
    if (entry === undefined) {
      if (this.pending.size >= this.limits.maxDatagrams) {
        const oldest = this.pending.values().next();
        if (!oldest.done) this.drop(oldest.value, 'ip.fragment-limit', { reason: 'table-full', max: this.limits.maxDatagrams });
      }
      entry = {
        key,
        version: ip.version,
        src: b.slice(ip.srcOffset, ip.srcOffset + addrLength),
        dst: b.slice(ip.dstOffset, ip.dstOffset + addrLength),
        id: ip.fragmentId,
        protocol: ip.protocol,
        pieces: [],
        total: -1,
        frames: [],
        fragments: 0,
        bytes: 0,
        firstFrame: frame.number,
        firstOffset: location.offset,
        firstSec: frame.sec,
        payloadOffset: -1,
        cut: 0,
      };
      this.pending.set(key, entry);
    }
    if (entry.fragments >= this.limits.maxFragmentsPerDatagram) {
      this.drop(entry, 'ip.fragment-limit', { reason: 'too-many-fragments', max: this.limits.maxFragmentsPerDatagram, frame: frame.number });
      return null;
    }
    entry.fragments++;
    if (frames !== null) entry.frames.push(...frames);
    else if (entry.frames[entry.frames.length - 1] !== frame.number) entry.frames.push(frame.number);
    if (ip.missing > 0) entry.cut++;
    if (start === 0) {
      entry.payloadOffset = fileOffset;
      // RFC 8200 §4.5: the Next Header of the fragment at offset 0 is the datagram's.
      entry.protocol = ip.protocol;
    }

    if (!ip.moreFragments) {
      if (entry.total >= 0 && entry.total !== claimedEnd) {
        this.diagnostics.report(
          'ip.fragment-overlap',
          { frame: frame.number, datagram: this.name(entry), reason: 'second-last', claimed: claimedEnd, first: entry.total },
          location,
        );
      } else {
        entry.total = claimedEnd;
      }
    }
    if (entry.total >= 0 && start + captured > entry.total) {
      this.diagnostics.report('ip.fragment-overlap', { frame: frame.number, datagram: this.name(entry), reason: 'past-end', total: entry.total }, location);
    }

    const end = entry.total >= 0 ? Math.min(start + captured, entry.total) : start + captured;
    if (end > start) this.insert(entry, b, ip.payloadStart, start, end, frame, location);
    this.trimToBudget(entry);
    if (!this.pending.has(key)) return null;

    if (!this.complete(entry)) return null;
    this.pending.delete(key);
    this.bytes -= entry.bytes;
    const whole = this.build(entry);
    this.remember(entry, whole.packet, frame.sec);
    return whole;
  }

  /** Drops datagrams whose first fragment is older than the timeout, reporting what they miss. */
  expire(sec: number): void {
    for (const entry of this.pending.values()) {
      const timeout = entry.version === 4 ? this.limits.timeoutV4 : this.limits.timeoutV6;
      if (sec - entry.firstSec > timeout) this.drop(entry, 'ip.fragment-incomplete', { reason: 'timeout', seconds: timeout });
    }
    for (const [key, done] of this.done) {
      if (sec - done.sec > done.timeout) this.forget(key, done);
    }
  }

  /** End of input: every datagram still waiting is reported incomplete. */
  finish(): void {
    for (const entry of this.pending.values()) this.drop(entry, 'ip.fragment-incomplete', { reason: 'capture-ended' });
    this.done.clear();
    this.doneBytes = 0;
  }

  /** Copies the bytes of [start, end) that no piece covers yet; compares the ones already there. */
  private insert(entry: Pending, b: Uint8Array, payloadStart: number, start: number, end: number, frame: FrameView, location: { frame: number; offset: number }): void {
    const pieces = entry.pieces;
    let cursor = start;
    let overlapped = false;
    let conflict = false;
    let i = 0;
    while (i < pieces.length && pieces[i]!.end <= start) i++;
    while (cursor < end) {
      const next = pieces[i];
      if (next === undefined || next.start >= end) {
        this.addPiece(entry, i, cursor, end, b, payloadStart - start);
        break;
      }
      if (next.start > cursor) {
        this.addPiece(entry, i, cursor, next.start, b, payloadStart - start);
        i++;
        cursor = next.start;
        continue;
      }
      // next covers cursor: compare the overlapping bytes.
      const overlapEnd = Math.min(end, next.end);
      overlapped = true;
      for (let k = cursor; k < overlapEnd && !conflict; k++) {
        if (next.data[k - next.start] !== b[payloadStart + k - start]) conflict = true;
      }
      cursor = overlapEnd;
      i++;
    }
    if (conflict) {
      this.diagnostics.report(
        'ip.fragment-overlap',
        { frame: frame.number, datagram: this.name(entry), reason: 'different-bytes', from: start, to: end - 1 },
        location,
      );
    } else if (overlapped) {
      this.duplicate(frame, location);
    }
  }

  private addPiece(entry: Pending, index: number, start: number, end: number, b: Uint8Array, delta: number): void {
    entry.pieces.splice(index, 0, { start, end, data: b.slice(start + delta, end + delta) });
    entry.bytes += end - start;
    this.bytes += end - start;
  }

  private duplicate(frame: FrameView, location: { frame: number; offset: number }): void {
    this.diagnostics.count('ip.fragment-duplicate', '', { frame: frame.number }, location);
  }

  private complete(entry: Pending): boolean {
    if (entry.total < 0) return false;
    let cursor = 0;
    for (const piece of entry.pieces) {
      if (piece.start > cursor) return false;
      cursor = Math.max(cursor, piece.end);
    }
    return cursor >= entry.total;
  }

  private build(entry: Pending): Reassembled {
    const total = entry.total;
    const headerLength = entry.version === 4 ? 20 : 40;
    const packet = new Uint8Array(headerLength + total);
    if (entry.version === 4) {
      packet[0] = 0x45;
      packet[2] = (headerLength + total) >> 8;
      packet[3] = (headerLength + total) & 0xff;
      packet[4] = entry.id >> 8;
      packet[5] = entry.id & 0xff;
      packet[8] = 64;
      packet[9] = entry.protocol;
      packet.set(entry.src, 12);
      packet.set(entry.dst, 16);
    } else {
      packet[0] = 0x60;
      packet[4] = total >> 8;
      packet[5] = total & 0xff;
      packet[6] = entry.protocol;
      packet[7] = 64;
      packet.set(entry.src, 8);
      packet.set(entry.dst, 24);
    }
    for (const piece of entry.pieces) packet.set(piece.data, headerLength + piece.start);
    const frames = [...entry.frames].sort((x, y) => x - y);
    return { packet, version: entry.version, frames: frames.filter((f, i) => i === 0 || frames[i - 1] !== f), payloadOffset: entry.payloadOffset };
  }

  /** Keeps the datagram for the timeout, within the byte budget (oldest forgotten first). */
  private remember(entry: Pending, packet: Uint8Array, sec: number): void {
    this.done.set(entry.key, { sec, timeout: entry.version === 4 ? this.limits.timeoutV4 : this.limits.timeoutV6, packet, headerLength: entry.version === 4 ? 20 : 40 });
    this.doneBytes += packet.length;
    for (const [key, done] of this.done) {
      if (this.doneBytes <= this.limits.maxBytes && this.done.size <= this.limits.maxDatagrams) break;
      this.forget(key, done);
    }
  }

  private forget(key: string, done: Done): void {
    this.done.delete(key);
    this.doneBytes -= done.packet.length;
  }

  /** True when a fragment's bytes are exactly those the reassembled datagram has at its offset. */
  private sameAsDone(done: Done, b: Uint8Array, payloadStart: number, start: number, captured: number): boolean {
    const at = done.headerLength + start;
    if (at + captured > done.packet.length) return false;
    for (let i = 0; i < captured; i++) if (done.packet[at + i] !== b[payloadStart + i]) return false;
    return true;
  }

  /** Keeps the bytes held under the budget by dropping the oldest datagrams (never the one just added to, unless alone). */
  private trimToBudget(current: Pending): void {
    while (this.bytes > this.limits.maxBytes) {
      let victim: Pending | undefined;
      for (const entry of this.pending.values()) {
        if (entry !== current) {
          victim = entry;
          break;
        }
      }
      this.drop(victim ?? current, 'ip.fragment-limit', { reason: 'bytes-held', max: this.limits.maxBytes });
    }
  }

  private drop(entry: Pending, code: 'ip.fragment-limit' | 'ip.fragment-incomplete', why: FragmentDrop['why']): void {
    this.pending.delete(entry.key);
    this.bytes -= entry.bytes;
    this.diagnostics.report(
      code,
      { datagram: this.name(entry), why, received: entry.bytes, frames: entry.frames, ...this.missing(entry), cut: entry.cut },
      { frame: entry.firstFrame, offset: entry.firstOffset },
    );
  }

  /** The byte ranges not received, and where the unknown end starts when the last fragment never came. */
  private missing(entry: Pending): Pick<FragmentDrop, 'gaps' | 'missingFrom'> {
    const gaps: { from: number; to: number }[] = [];
    let cursor = 0;
    for (const piece of entry.pieces) {
      if (piece.start > cursor) gaps.push({ from: cursor, to: piece.start - 1 });
      cursor = Math.max(cursor, piece.end);
    }
    if (entry.total < 0) return { gaps, missingFrom: cursor };
    if (cursor < entry.total) gaps.push({ from: cursor, to: entry.total - 1 });
    return { gaps, missingFrom: null };
  }

  private name(entry: Pending): Datagram {
    return { version: entry.version, src: { ip: formatIp(entry.src, 0, entry.version) }, dst: { ip: formatIp(entry.dst, 0, entry.version) }, id: entry.id };
  }

  private describe(version: 4 | 6, b: Uint8Array, src: number, dst: number, id: number): Datagram {
    return { version, src: { ip: formatIp(b, src, version) }, dst: { ip: formatIp(b, dst, version) }, id };
  }
}

/**
 * The fragment layer: the fragment is copied into the defragmenter; when it completes its
 * datagram, the whole datagram is decoded from IP on, as a view numbered and timed as the frame
 * that completed it. Offsets into it map onto the input exactly within the first fragment's
 * payload (later bytes lie in other frames).
 */
export const fragmentLayer: Layer = (p) => {
  const frame = p.frame;
  const whole = p.defrag.add(frame, p.ip, p.fragmentFrames);
  if (whole === null || p.tooDeep(p.ip.headerStart)) return LayerId.DONE;
  const headerLength = whole.version === 4 ? 20 : 40;
  p.frame = {
    number: frame.number,
    sec: frame.sec,
    nsec: frame.nsec,
    linkType: frame.linkType,
    interfaceId: frame.interfaceId,
    data: whole.packet,
    start: 0,
    end: whole.packet.length,
    origLen: whole.packet.length,
    fileOffset: whole.payloadOffset - headerLength,
  };
  p.fragmentFrames = whole.frames;
  p.depth++;
  p.netType = whole.version === 4 ? EtherType.IPV4 : EtherType.IPV6;
  p.netOffset = 0;
  p.netEnd = whole.packet.length;
  return LayerId.IP;
};
