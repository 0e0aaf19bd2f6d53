/**
 * The RTP stream table: every RTP packet handed to the media sink (parse/outputs.ts MediaPacket)
 * goes to the stream of its UDP 4-tuple and SSRC (RFC 3550 §3: a synchronization source, as
 * Wireshark keys its streams), whose figures are updated in place (rtp-stats.ts); RTCP reports
 * are read (rtcp.ts) and attached to the streams they describe by SSRC; RFC 4733 events are
 * decoded (dtmf.ts) on the payload types the caller names as telephone-event.
 *
 * Per packet: a hash of the key's integers (no string), one probe of an open-addressing table and
 * the integer updates of the stream; nothing is allocated. Strings (the endpoints) are made once
 * per new stream, for the caller's `describe` and the snapshot.
 *
 * A stream an SDP announced (the caller's `describe` says so) is taken from its first packet.
 * Other RTP-looking packets become candidates: kept apart in a fixed pool, with their figures
 * counted from the first packet, and made streams once `heuristicPackets` packets came in
 * sequence (each within 16 numbers after the last), so one stray datagram whose first byte looks
 * like RTP (any byte 0x80-0xBF does, RFC 7983 §7) is not a stream. The table and the pool are
 * bounded; what they turn away is counted (counters()) for the caller's diagnostics.
 */
import type { MediaPacket } from '../../parse/outputs.js';
import type { Endpoint } from '../../types.js';
import { DtmfDecoder, type DtmfEvent } from './dtmf.js';
import { jitterMs, parseRtcp, roundTripMs, type RtcpReportBlock, type RtcpSenderReport, type RtcpVoipMetrics } from './rtcp.js';
import { RtpStats, staticClockRate, type RtpStatsFigures } from './rtp-stats.js';

/** What the caller knows of a stream's payload types (from the SDP rtpmap, RFC 4566 §6). */
export interface PayloadFormats {
  /** RTP clock rate in Hz, or null when unknown (no jitter is computed then, as in Wireshark). */
  clockRate(payloadType: number): number | null;
  /** The payload type carries RFC 4733 telephone events (decoded as digits; no jitter, as in Wireshark). */
  telephoneEvent(payloadType: number): boolean;
}

/** Static payload types only (RFC 3551 §6): what is known without SDP. */
export const STATIC_FORMATS: PayloadFormats = { clockRate: staticClockRate, telephoneEvent: () => false };

export interface StreamIdentity {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly ssrc: number;
}

/** What the caller says of a new stream. */
export interface StreamContext {
  /** Default: STATIC_FORMATS. */
  readonly formats?: PayloadFormats;
  /** An SDP announced the stream's address and port: taken from its first packet, without the RTP heuristic. */
  readonly announced?: boolean;
}

export interface StreamTableOptions {
  /** Streams kept (default 10,000); past it new streams are counted in streamsDropped. */
  readonly maxStreams?: number;
  /** Unannounced streams waiting for the heuristic (default 4,096); past it the oldest is forgotten. */
  readonly maxCandidates?: number;
  /** Packets in sequence that make an unannounced candidate a stream (default 3). */
  readonly heuristicPackets?: number;
  /** Called once per new stream (or candidate): its formats and whether an SDP announced it. */
  readonly describe?: (stream: StreamIdentity) => StreamContext | null;
}

/** RTCP about one stream: reports by its sender (SR) and by its receivers (report blocks, XR). */
export interface RtcpFigures {
  /** SRs whose sender is this stream's SSRC. */
  readonly senderReports: number;
  readonly lastSenderReport: RtcpSenderReport | null;
  /** Report blocks (in SRs and RRs) describing this stream. */
  readonly reportBlocks: number;
  readonly lastReportBlock: RtcpReportBlock | null;
  /** Its jitter in ms with the stream's clock rate, null without one. */
  readonly lastReportedJitterMs: number | null;
  readonly maxReportedJitterMs: number | null;
  readonly maxFractionLost: number;
  /** Round trips from report blocks that echo an SR of this stream seen in the capture (rtcp.ts roundTripMs). */
  readonly roundTrips: number;
  readonly lastRoundTripMs: number | null;
  readonly maxRoundTripMs: number | null;
  readonly lastVoipMetrics: RtcpVoipMetrics | null;
  /** Its sender said BYE (RFC 3550 §6.6). */
  readonly bye: boolean;
}

export interface RtpStreamFigures extends RtpStatsFigures {
  /** The stream's number in the table, in order of confirmation. */
  readonly id: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly announced: boolean;
  readonly rtcp: RtcpFigures;
  /** RFC 4733 events on the payload types `formats` names (closed ones; finish() closes the last). */
  readonly dtmf: readonly DtmfEvent[];
  readonly dtmfDropped: number;
}

export interface StreamTableCounters {
  readonly rtpPackets: number;
  readonly rtcpPackets: number;
  readonly streams: number;
  /** Streams turned away because the table was full (one forgotten and seen again counts again), and their packets. */
  readonly streamsDropped: number;
  readonly packetsDropped: number;
  /** Packets with an unassigned payload type (RFC 3551 §6) on no announced port: not even candidates. */
  readonly strayPackets: number;
  /** Candidates forgotten (pushed out of the pool before showing sequence continuity), and the packets of all unconfirmed candidates. */
  readonly candidatesForgotten: number;
  readonly unconfirmedPackets: number;
  /** RTCP compounds not read: SRTCP or damaged (rtcp.ts RtcpCompound.intact). */
  readonly rtcpNotRead: number;
  /** SRs, report blocks, XR blocks and BYEs about an SSRC of no stream in the table. */
  readonly rtcpUnmatched: number;
}

/** Words of a key: ports, SSRC, IP version, source address (4 words), destination address (4 words). */
const W = 11;
/** The most a candidate's sequence number may advance and still count as in sequence. */
const HEURISTIC_STEP = 16;
/** Round trips need the SRs a report block may echo: the last few per stream. */
const SR_HISTORY = 4;

/**
 * Payload types an unannounced stream may start with: the assigned static ones (RFC 3551 §6)
 * and the dynamic range 96-127; 72-76 are RTCP's (RFC 5761 §4) and the rest unassigned.
 */
function plausiblePayloadType(pt: number): boolean {
  return pt >= 96 || pt <= 18 || pt === 19 || pt === 25 || pt === 26 || pt === 28 || (pt >= 31 && pt <= 34);
}

function mix(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** A hash of the key's words; an IPv4 key's address words past the first are zero and skipped. */
function hashKey(k: Int32Array): number {
  let h = mix(mix(mix(mix(0x2545f491 ^ k[2]!, k[0]!), k[1]!), k[3]!), k[7]!);
  if (k[2] === 6) for (let i = 4; i < 7; i++) h = mix(mix(h, k[i]!), k[i + 4]!);
  h = Math.imul(h ^ (h >>> 13), 0x85ebca6b);
  return h ^ (h >>> 16);
}

/** Open addressing with linear probing over keys of W words; entries are numbers the owner chooses. */
class KeyIndex {
  private keys: Int32Array;
  private hashes: Int32Array;
  /** entry + 1, 0 for an empty slot. */
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(entries: number) {
    this.keys = new Int32Array(entries * W);
    this.hashes = new Int32Array(entries);
    let n = 16;
    while (n < entries * 2) n *= 2;
    this.slots = new Int32Array(n);
    this.mask = n - 1;
  }

  find(k: Int32Array, h: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = slots[i]! - 1;
      if (e < 0) return -1;
      if (this.hashes[e] === h && this.same(e, k)) return e;
    }
  }

  /** Ports, SSRC, version and the first address words first: all of an IPv4 key. */
  same(e: number, k: Int32Array): boolean {
    const keys = this.keys;
    const o = e * W;
    if (keys[o] !== k[0] || keys[o + 1] !== k[1] || keys[o + 2] !== k[2] || keys[o + 3] !== k[3] || keys[o + 7] !== k[7]) return false;
    if (k[2] !== 6) return true;
    for (let i = 4; i < 7; i++) if (keys[o + i] !== k[i] || keys[o + i + 4] !== k[i + 4]) return false;
    return true;
  }

  add(e: number, k: Int32Array, h: number): void {
    if (e >= this.hashes.length) {
      const keys = new Int32Array(Math.max(e + 1, this.hashes.length * 2) * W);
      keys.set(this.keys);
      this.keys = keys;
      const hashes = new Int32Array(keys.length / W);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.keys.set(k, e * W);
    this.hashes[e] = h;
    if ((this.size + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    this.place(e);
    this.size++;
  }

  /** Backward-shift deletion keeps every probe sequence unbroken without tombstones. */
  remove(e: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = this.hashes[e]! & mask;
    while (slots[i] !== e + 1) {
      if (slots[i] === 0) return;
      i = (i + 1) & mask;
    }
    slots[i] = 0;
    this.size--;
    for (let j = (i + 1) & mask; slots[j] !== 0; j = (j + 1) & mask) {
      const home = this.hashes[slots[j]! - 1]! & mask;
      // Move the entry at j into the hole at i unless its home lies cyclically in (i, j].
      const homeBetween = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!homeBetween) {
        slots[i] = slots[j]!;
        slots[j] = 0;
        i = j;
      }
    }
  }

  private place(e: number): void {
    const mask = this.mask;
    let i = this.hashes[e]! & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = e + 1;
  }

  private rehash(n: number): void {
    const old = this.slots;
    this.slots = new Int32Array(n);
    this.mask = n - 1;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.place(old[i]! - 1);
  }
}

class RtcpState {
  senderReports = 0;
  lastSenderReport: RtcpSenderReport | null = null;
  readonly srNtpMiddle = new Float64Array(SR_HISTORY);
  readonly srTimeMs = new Float64Array(SR_HISTORY);
  private srNext = 0;
  reportBlocks = 0;
  lastReportBlock: RtcpReportBlock | null = null;
  maxReportedJitter = -1;
  maxFractionLost = 0;
  roundTrips = 0;
  lastRoundTripMs: number | null = null;
  maxRoundTripMs: number | null = null;
  lastVoipMetrics: RtcpVoipMetrics | null = null;
  bye = false;

  senderReport(sr: RtcpSenderReport, timeMs: number): void {
    this.senderReports++;
    this.lastSenderReport = sr;
    this.srNtpMiddle[this.srNext] = sr.ntpMiddle;
    this.srTimeMs[this.srNext] = timeMs;
    this.srNext = (this.srNext + 1) % SR_HISTORY;
  }

  reportBlock(block: RtcpReportBlock, timeMs: number): void {
    this.reportBlocks++;
    this.lastReportBlock = block;
    if (block.jitter > this.maxReportedJitter) this.maxReportedJitter = block.jitter;
    if (block.fractionLost > this.maxFractionLost) this.maxFractionLost = block.fractionLost;
    if (block.lastSr === 0) return; // no SR received yet (RFC 3550 §6.4.1)
    for (let i = 0; i < SR_HISTORY; i++) {
      if (this.srNtpMiddle[i] !== block.lastSr || this.srTimeMs[i] === 0) continue;
      const rtt = roundTripMs(this.srTimeMs[i]!, timeMs, block.delaySinceLastSrSec);
      if (rtt === null) return;
      this.roundTrips++;
      this.lastRoundTripMs = rtt;
      if (this.maxRoundTripMs === null || rtt > this.maxRoundTripMs) this.maxRoundTripMs = rtt;
      return;
    }
  }

  figures(clockRate: number): RtcpFigures {
    return {
      senderReports: this.senderReports,
      lastSenderReport: this.lastSenderReport,
      reportBlocks: this.reportBlocks,
      lastReportBlock: this.lastReportBlock,
      lastReportedJitterMs: this.lastReportBlock === null ? null : jitterMs(this.lastReportBlock.jitter, clockRate),
      maxReportedJitterMs: this.maxReportedJitter < 0 ? null : jitterMs(this.maxReportedJitter, clockRate),
      maxFractionLost: this.maxFractionLost,
      roundTrips: this.roundTrips,
      lastRoundTripMs: this.lastRoundTripMs,
      maxRoundTripMs: this.maxRoundTripMs,
      lastVoipMetrics: this.lastVoipMetrics,
      bye: this.bye,
    };
  }
}

const NO_RTCP = new RtcpState();

class Stream {
  readonly stats = new RtpStats();
  src: Endpoint = { ip: '', port: 0 };
  dst: Endpoint = { ip: '', port: 0 };
  ssrc = 0;
  announced = false;
  formats: PayloadFormats = STATIC_FORMATS;
  /** The last payload type's clock rate (0 unknown) and whether it is a telephone event, asked of `formats` when the type changes. */
  cachedPayloadType = -1;
  cachedClockRate = 0;
  cachedEventRate = 0;
  cachedTelephoneEvent = false;
  /** Candidates: packets in sequence so far and the last sequence number; refused: the table was full. */
  run = 0;
  lastSeq = 0;
  refused = false;
  dtmf: DtmfDecoder | null = null;
  rtcp: RtcpState | null = null;

  reset(src: Endpoint, dst: Endpoint, ssrc: number, context: StreamContext | null): void {
    this.stats.reset();
    this.stats.ssrc = ssrc;
    this.src = src;
    this.dst = dst;
    this.ssrc = ssrc;
    this.announced = context?.announced === true;
    this.formats = context?.formats ?? STATIC_FORMATS;
    this.cachedPayloadType = -1;
    this.run = 0;
    this.refused = false;
    this.dtmf = null;
    this.rtcp = null;
  }
}

export class StreamTable {
  private readonly maxStreams: number;
  private readonly maxCandidates: number;
  private readonly heuristicPackets: number;
  private readonly describe: ((stream: StreamIdentity) => StreamContext | null) | null;

  private readonly key = new Int32Array(W);
  private readonly index = new KeyIndex(64);
  private readonly list: Stream[] = [];
  private readonly bySsrc = new Map<number, Stream[]>();
  private readonly candidateIndex: KeyIndex;
  private readonly candidates: (Stream | null)[];
  private nextCandidate = 0;
  /** The pool slot newStream() put its stream in, −1 when it went into the table. */
  private newSlot = -1;
  /** The entry of the last packet's stream: consecutive packets of one stream skip the hash. */
  private last = -1;

  private rtpPackets = 0;
  private rtcpPackets = 0;
  private streamsDropped = 0;
  private packetsDropped = 0;
  private strayPackets = 0;
  private candidatesForgotten = 0;
  private forgottenPackets = 0;
  private rtcpNotRead = 0;
  private rtcpUnmatched = 0;

  constructor(options: StreamTableOptions = {}) {
    this.maxStreams = Math.max(1, options.maxStreams ?? 10_000);
    this.maxCandidates = Math.max(1, options.maxCandidates ?? 4096);
    this.heuristicPackets = Math.max(1, options.heuristicPackets ?? 3);
    this.describe = options.describe ?? null;
    this.candidateIndex = new KeyIndex(this.maxCandidates);
    this.candidates = new Array<Stream | null>(this.maxCandidates).fill(null);
  }

  /** The media sink: pass it as `onMedia` (it is bound). Packets other than RTP and RTCP are ignored. */
  readonly onMedia = (m: MediaPacket): void => {
    if (m.kind === 'rtp') this.rtp(m);
    else if (m.kind === 'rtcp') this.rtcpPacket(m);
  };

  private rtp(m: MediaPacket): void {
    const b = m.bytes;
    const s = m.start;
    if (m.end - s < 12) return;
    this.rtpPackets++;
    const ssrc = ((b[s + 8]! << 24) | (b[s + 9]! << 16) | (b[s + 10]! << 8) | b[s + 11]!) >>> 0;
    const k = this.key;
    k[0] = (m.srcPort << 16) | m.dstPort;
    k[1] = ssrc | 0;
    k[2] = m.version;
    const words = m.version === 4 ? 1 : 4;
    for (let i = 0; i < 4; i++) {
      k[3 + i] = i < words ? word(b, m.srcAddress + i * 4) : 0;
      k[7 + i] = i < words ? word(b, m.dstAddress + i * 4) : 0;
    }

    let stream: Stream;
    let candidate = -1;
    if (this.last >= 0 && this.index.same(this.last, k)) {
      stream = this.list[this.last]!;
    } else {
      const h = hashKey(k);
      const e = this.index.find(k, h);
      if (e >= 0) {
        this.last = e;
        stream = this.list[e]!;
      } else {
        candidate = this.candidateIndex.find(k, h);
        if (candidate >= 0) {
          stream = this.candidates[candidate]!;
        } else {
          const created = this.newStream(m, ssrc, h);
          if (created === null) return;
          stream = created;
          candidate = this.newSlot;
        }
        if (stream.refused) {
          this.packetsDropped++;
          return;
        }
      }
    }

    const b1 = b[s + 1]!;
    const pt = b1 & 0x7f;
    const seq = (b[s + 2]! << 8) | b[s + 3]!;
    const timestamp = ((b[s + 4]! << 24) | (b[s + 5]! << 16) | (b[s + 6]! << 8) | b[s + 7]!) >>> 0;
    if (pt !== stream.cachedPayloadType) resolvePayloadType(stream, pt);
    stream.stats.packet(seq, timestamp, pt, (b1 & 0x80) !== 0, m.sec, m.nsec, m.frame, m.end - s, stream.cachedClockRate);
    if (stream.cachedTelephoneEvent) this.telephoneEvent(stream, m, timestamp);
    if (candidate >= 0) this.heuristic(stream, candidate, seq);
  }

  /**
   * A new stream: straight into the table when announced and there is room (newSlot −1), else a
   * candidate in pool slot newSlot. null when the packet is stray.
   */
  private newStream(m: MediaPacket, ssrc: number, h: number): Stream | null {
    const src = m.src();
    const dst = m.dst();
    const context = this.describe === null ? null : this.describe({ src, dst, ssrc });
    const announced = context?.announced === true;
    if (!announced && !plausiblePayloadType(m.bytes[m.start + 1]! & 0x7f)) {
      this.strayPackets++;
      return null;
    }
    if (announced && this.list.length < this.maxStreams) {
      const stream = new Stream();
      stream.reset(src, dst, ssrc, context);
      this.admit(stream, h);
      this.newSlot = -1;
      return stream;
    }
    const slot = this.nextCandidate;
    this.nextCandidate = (slot + 1) % this.maxCandidates;
    let stream = this.candidates[slot];
    if (stream) {
      this.candidateIndex.remove(slot);
      if (!stream.refused) {
        this.candidatesForgotten++;
        this.forgottenPackets += stream.stats.packets;
      }
    } else {
      stream = new Stream();
      this.candidates[slot] = stream;
    }
    stream.reset(src, dst, ssrc, context);
    this.candidateIndex.add(slot, this.key, h);
    // An announced stream finds the table full: kept as a refused candidate so that its next packets are only counted.
    if (announced) this.refuse(stream);
    this.newSlot = slot;
    return stream;
  }

  private admit(stream: Stream, h: number): void {
    const e = this.list.length;
    this.list.push(stream);
    this.index.add(e, this.key, h);
    this.last = e;
    const same = this.bySsrc.get(stream.ssrc);
    if (same) same.push(stream);
    else this.bySsrc.set(stream.ssrc, [stream]);
  }

  private refuse(stream: Stream): void {
    stream.refused = true;
    this.streamsDropped++;
    this.packetsDropped += stream.stats.packets;
  }

  /** Sequence continuity over the first packets makes a candidate a stream (or refused when the table is full). */
  private heuristic(stream: Stream, slot: number, seq: number): void {
    const step = (seq - stream.lastSeq) & 0xffff;
    stream.run = stream.run > 0 && step >= 1 && step <= HEURISTIC_STEP ? stream.run + 1 : 1;
    stream.lastSeq = seq;
    if (stream.run < this.heuristicPackets) return;
    if (this.list.length >= this.maxStreams) {
      this.refuse(stream);
      return;
    }
    this.candidateIndex.remove(slot);
    this.candidates[slot] = null;
    this.admit(stream, hashKey(this.key));
  }

  private telephoneEvent(stream: Stream, m: MediaPacket, timestamp: number): void {
    const b = m.bytes;
    const s = m.start;
    let start = s + 12 + (b[s]! & 0x0f) * 4;
    let end = m.end;
    if ((b[s]! & 0x10) !== 0) start += 4 + ((b[start + 2]! << 8) | b[start + 3]!) * 4;
    if ((b[s]! & 0x20) !== 0) end -= b[end - 1]!;
    if (start >= end) return;
    stream.dtmf ??= new DtmfDecoder();
    stream.dtmf.packet(b, start, end, timestamp, m.sec, m.nsec, m.frame, stream.cachedEventRate);
  }

  private rtcpPacket(m: MediaPacket): void {
    this.rtcpPackets++;
    const compound = parseRtcp(m.bytes, m.start, m.end);
    if (!compound.intact) {
      this.rtcpNotRead++;
      return;
    }
    const from = m.src().ip;
    const timeMs = m.sec * 1000 + m.nsec / 1e6;
    for (const sr of compound.senderReports) {
      const stream = this.find(sr.ssrc, from, true);
      if (stream) rtcpOf(stream).senderReport(sr, timeMs);
    }
    for (const block of compound.reportBlocks) {
      const stream = this.find(block.sourceSsrc, from, false);
      if (stream) rtcpOf(stream).reportBlock(block, timeMs);
    }
    for (const metrics of compound.voipMetrics) {
      const stream = this.find(metrics.sourceSsrc, from, false);
      if (stream) rtcpOf(stream).lastVoipMetrics = metrics;
    }
    for (const ssrc of compound.byes) {
      const stream = this.find(ssrc, from, true);
      if (stream) rtcpOf(stream).bye = true;
    }
  }

  /**
   * The stream an RTCP item is about, by SSRC: its sender sends the SR and BYE (`fromSender`),
   * its receiver the report blocks; among streams with the same SSRC, the one whose address
   * matches, else the first.
   */
  private find(ssrc: number, from: string, fromSender: boolean): Stream | null {
    const streams = this.bySsrc.get(ssrc);
    if (streams === undefined) {
      this.rtcpUnmatched++;
      return null;
    }
    for (const s of streams) if ((fromSender ? s.src.ip : s.dst.ip) === from) return s;
    return streams[0]!;
  }

  /** Closes each stream's last telephone event (call at the end of the input). */
  finish(): void {
    for (const s of this.list) s.dtmf?.finish();
  }

  /** The streams' figures, in order of confirmation, as plain data. */
  streams(): RtpStreamFigures[] {
    return this.list.map((s, id) => {
      const stats = s.stats.figures();
      return {
        ...stats,
        id,
        src: s.src,
        dst: s.dst,
        announced: s.announced,
        rtcp: (s.rtcp ?? NO_RTCP).figures(stats.clockRate),
        dtmf: s.dtmf === null ? [] : [...s.dtmf.events],
        dtmfDropped: s.dtmf === null ? 0 : s.dtmf.dropped,
      };
    });
  }

  counters(): StreamTableCounters {
    let pending = 0;
    for (const c of this.candidates) if (c !== null && !c.refused) pending += c.stats.packets;
    return {
      rtpPackets: this.rtpPackets,
      rtcpPackets: this.rtcpPackets,
      streams: this.list.length,
      streamsDropped: this.streamsDropped,
      packetsDropped: this.packetsDropped,
      strayPackets: this.strayPackets,
      candidatesForgotten: this.candidatesForgotten,
      unconfirmedPackets: this.forgottenPackets + pending,
      rtcpNotRead: this.rtcpNotRead,
      rtcpUnmatched: this.rtcpUnmatched,
    };
  }
}

function word(b: Uint8Array, i: number): number {
  return (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
}

function rtcpOf(stream: Stream): RtcpState {
  return (stream.rtcp ??= new RtcpState());
}

function resolvePayloadType(stream: Stream, pt: number): void {
  stream.cachedPayloadType = pt;
  stream.cachedTelephoneEvent = stream.formats.telephoneEvent(pt);
  const rate = stream.formats.clockRate(pt);
  const known = rate !== null && rate > 0 ? rate : 0;
  // RFC 4733 §2.5.1.2: an event's packets all carry its start as timestamp, so Wireshark computes no jitter on them.
  stream.cachedClockRate = stream.cachedTelephoneEvent ? 0 : known;
  stream.cachedEventRate = known > 0 ? known : 8000;
}
