/**
 * HEP, the Homer Encapsulation Protocol: capture agents (heplify, captagent, Kamailio and
 * OpenSIPS siptrace, FreeSWITCH, sngrep -H) wrap each SIP message with where and when it was
 * seen and send it to a collector. Versions 1 and 2: a fixed header (version, length, family,
 * protocol, ports, addresses; v2 adds seconds, microseconds and a capture id in the sender's
 * byte order). Version 3: "HEP3", a total length, then chunks (vendor, type, length, value) in
 * any order, vendor chunks skipped, the payload possibly zlib-compressed (chunk 0x0010).
 * The inner message keeps the HEP header's addresses, ports, transport and timestamp.
 */
import { u16be, u32be, u32le } from '../capture/bytes.js';
import type { HepProblem, InflateFailure, StreamRef } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { formatIp } from '../net/address.js';
import { ByteQueue, inflateFailure, Provenance, type ChunkOrigin, type MemoryBudget, type Span, type StreamConsumer } from './stream.js';
import type { Endpoint, Transport } from '../../types.js';
import { type Layer, LayerId } from '../layer.js';
import { sipStartAt } from '../sip/detect.js';
import { zlib } from '../lazy-builtins.js';
import type { SipEmitter } from '../sip/emit.js';
import { messageBytes } from '../sip/message-bytes.js';


/** HEP payload types (chunk 0x000b) siplens reads; the others are counted and skipped. */
export const HEP_TYPE_SIP = 1;

const HEP_TYPE_NAMES: Record<number, string> = {
  1: 'SIP',
  2: 'XMPP',
  3: 'SDP',
  4: 'RTP',
  5: 'RTCP (JSON)',
  6: 'MGCP',
  7: 'MEGACO (H.248)',
  8: 'M2UA (SS7/SIGTRAN)',
  9: 'M3UA (SS7/SIGTRAN)',
  10: 'IAX',
  11: 'H.322',
  12: 'H.321',
  13: 'M2PA',
  32: 'QoS report (JSON)',
  34: 'RTP statistics (JSON)',
  35: 'RTCP-XR',
  53: 'DNS',
  54: 'SMPP',
  56: 'Diameter',
  100: 'log',
};

/** True when decoding failed: a HepProblem, not a packet. */
export function isHepProblem(decoded: HepPacket | HepProblem): decoded is HepProblem {
  return 'reason' in decoded;
}

/** One decoded HEP packet. */
export interface HepPacket {
  readonly version: 1 | 2 | 3;
  /** IP protocol of the original packet (17 UDP, 6 TCP, 132 SCTP), 0 when absent. */
  readonly protocol: number;
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly dstPort: number;
  /** Capture time from the HEP header; null when the packet carries none (then the frame's time is used). */
  readonly sec: number | null;
  readonly nsec: number;
  /** Payload type (chunk 0x000b); versions 1 and 2 carry SIP only. */
  readonly type: number;
  readonly payload: Uint8Array;
  /** Index of the payload in the decoded bytes, or -1 when it was inflated. */
  readonly payloadAt: number;
  readonly captureId: number | null;
  readonly correlationId: string | null;
  /** Bytes of input the packet took. */
  readonly length: number;
}

/** True when b[s..] begins with the HEPv3 magic "HEP3". */
export function isHep3(b: Uint8Array, s: number, e: number): boolean {
  return e - s >= 6 && b[s] === 0x48 && b[s + 1] === 0x45 && b[s + 2] === 0x50 && b[s + 3] === 0x33;
}

/** Header lengths of HEPv1/v2 (the 8-byte header and the two addresses). */
const HEP2_V4 = 16;
const HEP2_V6 = 40;
const HEP2_TIME = 12;

/** True when b[s..] is plausibly a HEPv1/v2 packet (there is no magic: the header fields must agree). */
export function isHep2(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < HEP2_V4) return false;
  const version = b[s]!;
  const length = b[s + 1]!;
  const family = b[s + 2]!;
  const protocol = b[s + 3]!;
  if (version !== 1 && version !== 2) return false;
  if (!(family === 2 && length === HEP2_V4) && !(family === 10 && length === HEP2_V6)) return false;
  if (protocol !== 17 && protocol !== 6 && protocol !== 132) return false;
  return e - s >= length + (version === 2 ? HEP2_TIME : 0);
}

/** The largest payload kept after inflating a compressed chunk. */
const MAX_INFLATED = 1024 * 1024;

/**
 * Inflates a compressed HEP payload (chunk 0x0010): senders use zlib, gzip or raw deflate, so
 * each is tried in turn. Returns the payload, or why it does not inflate: zlib's reason for the
 * format the first bytes announce (RFC 1952 1f 8b is gzip; RFC 1950 CMF/FLG a zlib header).
 */
function inflate(data: Uint8Array): Uint8Array | InflateFailure {
  const announced = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b ? 1 : data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0 ? 0 : 2;
  const failures: unknown[] = [];
  const { inflateSync, gunzipSync, inflateRawSync } = zlib();
  for (const f of [inflateSync, gunzipSync, inflateRawSync]) {
    try {
      return new Uint8Array(f(data, { maxOutputLength: MAX_INFLATED }));
    } catch (err) {
      // diagnostic: hep.bad-packet, reported by the pipeline with the reason returned below
      failures.push(err);
    }
  }
  return inflateFailure(failures[announced], MAX_INFLATED);
}

/** Decodes the HEP packet at b[s, e). Returns why it cannot, when it cannot. */
export function decodeHep(b: Uint8Array, s: number, e: number): HepPacket | HepProblem {
  if (isHep3(b, s, e)) return decodeHep3(b, s, e);
  if (isHep2(b, s, e)) return decodeHep2(b, s, e);
  return { reason: 'not-hep' };
}

function decodeHep2(b: Uint8Array, s: number, e: number): HepPacket {
  const version = b[s] as 1 | 2;
  const length = b[s + 1]!;
  const v6 = b[s + 2] === 10;
  const n = v6 ? 16 : 4;
  let sec: number | null = null;
  let nsec = 0;
  let captureId: number | null = null;
  let p = s + length;
  if (version === 2) {
    // Senders copy struct timeval in host byte order (little-endian on x86); accept big-endian when that reads as a valid time.
    let seconds = u32le(b, p);
    let micros = u32le(b, p + 4);
    if (micros >= 1_000_000 && u32be(b, p + 4) < 1_000_000) {
      seconds = u32be(b, p);
      micros = u32be(b, p + 4);
    }
    if (micros < 1_000_000) {
      sec = seconds;
      nsec = micros * 1000;
    }
    captureId = b[p + 8]! | (b[p + 9]! << 8);
    p += HEP2_TIME;
  }
  return {
    version,
    protocol: b[s + 3]!,
    srcIp: formatIp(b, s + 8, v6 ? 6 : 4),
    srcPort: u16be(b, s + 4),
    dstIp: formatIp(b, s + 8 + n, v6 ? 6 : 4),
    dstPort: u16be(b, s + 6),
    sec,
    nsec,
    type: HEP_TYPE_SIP,
    payload: b.subarray(p, e),
    payloadAt: p,
    captureId,
    correlationId: null,
    length: e - s,
  };
}

function decodeHep3(b: Uint8Array, s: number, e: number): HepPacket | HepProblem {
  const total = u16be(b, s + 4);
  if (total < 6) return { reason: 'length-below-header', length: total };
  if (total > e - s) return { reason: 'length-past-end', length: total, available: e - s };
  const end = s + total;
  let family = 0;
  let protocol = 0;
  let src4 = -1;
  let dst4 = -1;
  let src6 = -1;
  let dst6 = -1;
  let srcPort = 0;
  let dstPort = 0;
  let sec: number | null = null;
  let usec = 0;
  let type = -1;
  let captureId: number | null = null;
  let correlationId: string | null = null;
  let payload: Uint8Array | null = null;
  let payloadAt = -1;
  let compressed: Uint8Array | null = null;
  for (let p = s + 6; p < end; ) {
    if (end - p < 6) return { reason: 'chunk-header-cut', at: p - s };
    const vendor = u16be(b, p);
    const chunkType = u16be(b, p + 2);
    const length = u16be(b, p + 4);
    if (length < 6 || p + length > end) return { reason: 'chunk-past-end', chunk: chunkType, at: p - s, length };
    const v = p + 6;
    const n = length - 6;
    if (vendor === 0) {
      switch (chunkType) {
        case 1:
          if (n >= 1) family = b[v]!;
          break;
        case 2:
          if (n >= 1) protocol = b[v]!;
          break;
        case 3:
          if (n >= 4) src4 = v;
          break;
        case 4:
          if (n >= 4) dst4 = v;
          break;
        case 5:
          if (n >= 16) src6 = v;
          break;
        case 6:
          if (n >= 16) dst6 = v;
          break;
        case 7:
          if (n >= 2) srcPort = u16be(b, v);
          break;
        case 8:
          if (n >= 2) dstPort = u16be(b, v);
          break;
        case 9:
          if (n >= 4) sec = u32be(b, v);
          break;
        case 10:
          if (n >= 4) usec = u32be(b, v);
          break;
        case 11:
          if (n >= 1) type = b[v]!;
          break;
        case 12:
          if (n >= 4) captureId = u32be(b, v);
          break;
        case 15:
          payload = b.subarray(v, v + n);
          payloadAt = v;
          break;
        case 16:
          compressed = b.subarray(v, v + n);
          break;
        case 17:
          correlationId = Buffer.from(b.subarray(v, v + n)).toString('utf8');
          break;
        default:
          break; // authentication key, keep-alive timer, VLAN, group, MACs, TOS, MOS, ...
      }
    }
    p += length;
  }
  if (payload === null && compressed !== null) {
    const inflated = inflate(compressed);
    if (!(inflated instanceof Uint8Array)) return { reason: 'inflate', failure: inflated };
    payload = inflated;
  }
  if (payload === null) return { reason: 'no-payload' };
  const v6 = family === 10 || (src4 < 0 && src6 >= 0);
  const srcIp = v6 ? (src6 >= 0 ? formatIp(b, src6, 6) : '::') : src4 >= 0 ? formatIp(b, src4, 4) : '0.0.0.0';
  const dstIp = v6 ? (dst6 >= 0 ? formatIp(b, dst6, 6) : '::') : dst4 >= 0 ? formatIp(b, dst4, 4) : '0.0.0.0';
  return {
    version: 3,
    protocol,
    srcIp,
    srcPort,
    dstIp,
    dstPort,
    sec,
    nsec: usec < 1_000_000 ? usec * 1000 : 0,
    // HEP3 without a type chunk: assume SIP, the payload is checked anyway.
    type: type < 0 ? HEP_TYPE_SIP : type,
    payload,
    payloadAt,
    captureId,
    correlationId,
    length: total,
  };
}

export interface HepStreamPacket {
  readonly packet: HepPacket;
  readonly span: Span;
}

/** The largest HEP packet a stream may announce (its length field is 16 bits). */
const MAX_HEP = 65535;

/**
 * HEPv3 over TCP: packets follow one another, each framed by its length field. Bytes that do
 * not start with "HEP3" are skipped to the next magic.
 */
export class HepStream implements StreamConsumer {
  private readonly queue: ByteQueue;
  private readonly provenance: Provenance;
  private pos = 0;
  private now: ChunkOrigin | null = null;
  private junk = 0;

  constructor(
    private readonly onPacket: (p: HepStreamPacket) => void,
    private readonly diagnostics: DiagnosticSink,
    private readonly stream: StreamRef,
    budget: MemoryBudget | null = null,
  ) {
    this.queue = new ByteQueue(budget);
    this.provenance = new Provenance(budget);
  }

  data(bytes: Uint8Array, start: number, end: number, origin: ChunkOrigin, now: ChunkOrigin | null): void {
    if (end <= start) return;
    this.now = now;
    this.provenance.add(this.pos + this.queue.length, origin);
    this.queue.append(bytes, start, end);
    const q = this.queue;
    while (q.length >= 6) {
      const b = q.bytes;
      const s = q.head;
      if (!isHep3(b, s, q.tail)) {
        // Skip to the next "HEP3".
        let i = s + 1;
        while (i + 4 <= q.tail && !(b[i] === 0x48 && b[i + 1] === 0x45 && b[i + 2] === 0x50 && b[i + 3] === 0x33)) i++;
        if (i + 4 > q.tail) i = Math.max(s + 1, q.tail - 3);
        if (this.junk === 0) this.reportBad({ reason: 'junk' }, this.pos);
        this.junk += i - s;
        this.consume(i - s);
        continue;
      }
      const total = u16be(b, s + 4);
      if (total < 6 || total > MAX_HEP) {
        this.consume(4);
        continue;
      }
      if (q.length < total) break;
      const packet = decodeHep(b, s, s + total);
      if (isHepProblem(packet)) this.reportBad(packet, this.pos);
      else this.onPacket({ packet: { ...packet, payload: packet.payloadAt >= 0 ? ownPayload(packet) : packet.payload }, span: this.provenance.span(this.pos, this.pos + total, this.now) });
      this.junk = 0;
      this.consume(total);
    }
    this.provenance.release(this.pos);
  }

  gap(lost: number): void {
    this.pos += this.queue.length + lost;
    this.queue.reset();
    this.provenance.clear();
  }

  end(): void {
    if (this.queue.length > 0) this.reportBad({ reason: 'stream-ended', bytes: this.queue.length }, this.pos);
    this.pos += this.queue.length;
    this.queue.free();
    this.provenance.clear();
  }

  private consume(n: number): void {
    this.queue.consume(n);
    this.pos += n;
  }

  private reportBad(problem: HepProblem, pos: number): void {
    const origin = this.provenance.originAt(pos);
    this.diagnostics.report('hep.bad-packet', { stream: this.stream, problem }, origin === null ? {} : { frame: origin.frame, offset: this.provenance.offsetAt(pos) });
  }
}

/** A copy of a HEP packet's payload, out of a buffer that is reused: a SIP payload's where a message's bytes are made. */
function ownPayload(packet: HepPacket): Uint8Array {
  const b = packet.payload;
  return packet.type === HEP_TYPE_SIP ? messageBytes(b, 0, b.length) : b.slice();
}

/**
 * The SIP a HEP packet carries (its payload owned): the message keeps the addresses, ports,
 * transport and time of the HEP header (the capture agent's view), not those of the packet that
 * carried it. Other payload types are counted and skipped.
 */
export function emitHep(packet: HepPacket, at: Span, sip: SipEmitter, diagnostics: DiagnosticSink): void {
  const b = packet.payload;
  if (packet.type !== HEP_TYPE_SIP || !sipStartAt(b, 0, b.length)) {
    const sipTyped = packet.type === HEP_TYPE_SIP;
    diagnostics.count('hep.not-sip', String(packet.type), { frame: at.frame, type: sipTyped ? null : packet.type, name: sipTyped ? null : (HEP_TYPE_NAMES[packet.type] ?? null) }, { frame: at.frame, offset: at.offset });
    return;
  }
  const time: Span = packet.sec === null ? at : { ...at, sec: packet.sec, nsec: packet.nsec };
  const src: Endpoint = { ip: packet.srcIp, port: packet.srcPort };
  const dst: Endpoint = { ip: packet.dstIp, port: packet.dstPort };
  const transport: Transport = packet.protocol === 6 ? 'TCP' : packet.protocol === 132 ? 'SCTP' : 'UDP';
  if (transport !== 'TCP') {
    sip.emit(b, true, time, src, dst, transport);
    return;
  }
  // A TCP payload may hold several messages: frame them by Content-Length.
  let p = 0;
  while (p < b.length && sipStartAt(b, p, b.length)) {
    const rest = p === 0 ? b : b.subarray(p);
    const consumed = sip.emit(rest, false, p === 0 ? time : { ...time, offset: time.offset + p }, src, dst, transport);
    if (consumed <= 0) break;
    p += consumed;
    while (p < b.length && (b[p] === 0x0d || b[p] === 0x0a)) p++;
  }
}

/** A HEP packet in a UDP datagram (any port; dispatch.ts). */
export const hepDatagramLayer: Layer = (p) => {
  const frame = p.frame;
  const b = frame.data;
  const { payloadStart: start, payloadEnd: end } = p.udp;
  const packet = decodeHep(b, start, end);
  const at = frame.fileOffset + start - frame.start;
  if (isHepProblem(packet)) {
    p.diagnostics.report('hep.bad-packet', { frame: frame.number, problem: packet }, { frame: frame.number, offset: at });
    return LayerId.DONE;
  }
  // Copy: the frame buffer is reused (an inflated payload is already a copy).
  const owned = packet.payloadAt >= 0 ? { ...packet, payload: ownPayload(packet) } : packet;
  const offset = packet.payloadAt >= 0 ? at + packet.payloadAt - start : at;
  emitHep(owned, { frame: frame.number, frames: p.fragmentFrames ?? [frame.number], sec: frame.sec, nsec: frame.nsec, offset }, p.sip, p.diagnostics);
  return LayerId.DONE;
};
