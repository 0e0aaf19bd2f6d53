/**
 * Compound RTCP (RFC 3550 §6): what the sender and receiver reports say about the streams they
 * describe, and RTCP XR VoIP metrics (RFC 3611 §4.7). Read from a datagram's bytes with bounds
 * checked at every step; garbage gives an empty result with `intact` false, never an exception.
 * RTCP is a few packets per stream every few seconds (RFC 3550 §6.2), so results are objects.
 */

/** Sender information of an SR (RFC 3550 §6.4.1). */
export interface RtcpSenderReport {
  /** The sender: the SSRC of the stream it sends. */
  readonly ssrc: number;
  /** NTP timestamp (seconds since 1900 and fraction of 2^32). */
  readonly ntpSec: number;
  readonly ntpFraction: number;
  /** The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR. */
  readonly ntpMiddle: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
}

/** One report block of an SR or RR (RFC 3550 §6.4.1): what `reporterSsrc` received from `sourceSsrc`. */
export interface RtcpReportBlock {
  readonly reporterSsrc: number;
  /** The stream described. */
  readonly sourceSsrc: number;
  /** Fraction of packets lost since the previous report, 0 to 255/256. */
  readonly fractionLost: number;
  /** Cumulative number of packets lost: signed 24 bits, negative when duplicates arrived. */
  readonly cumulativeLost: number;
  readonly extendedHighestSeq: number;
  /** Interarrival jitter in RTP timestamp units (see jitterMs). */
  readonly jitter: number;
  /** LSR: the middle 32 bits of the NTP time of the last SR received from the source, 0 when none. */
  readonly lastSr: number;
  /** DLSR: delay since that SR, in seconds (unit 1/65536 s on the wire). */
  readonly delaySinceLastSrSec: number;
}

/** RTCP XR VoIP metrics report block (RFC 3611 §4.7); null fields are the "unavailable" value 127. */
export interface RtcpVoipMetrics {
  readonly reporterSsrc: number;
  readonly sourceSsrc: number;
  /** Fractions 0 to 255/256 (§4.7.1). */
  readonly lossRate: number;
  readonly discardRate: number;
  readonly burstDensity: number;
  readonly gapDensity: number;
  /** Milliseconds (§4.7.1, §4.7.2). */
  readonly burstDurationMs: number;
  readonly gapDurationMs: number;
  readonly roundTripDelayMs: number;
  readonly endSystemDelayMs: number;
  /** dBm0 and dB (§4.7.4). */
  readonly signalLevel: number | null;
  readonly noiseLevel: number | null;
  readonly residualEchoReturnLoss: number | null;
  readonly gmin: number;
  /** §4.7.5: R factor 0-100, MOS 1.0-5.0. */
  readonly rFactor: number | null;
  readonly externalRFactor: number | null;
  readonly mosLq: number | null;
  readonly mosCq: number | null;
  /** §4.7.7: jitter buffer delays in ms. */
  readonly jitterBufferNominalMs: number;
  readonly jitterBufferMaximumMs: number;
  readonly jitterBufferAbsoluteMaximumMs: number;
}

export interface RtcpCompound {
  /**
   * Every packet's header is RTCP (version 2, packet type 192-223) and their lengths add up to
   * the datagram, give or take fewer than 4 trailing bytes (RFC 3550 §6.1, A.2). When false nothing else is reported: the bytes are SRTCP
   * (the encrypted part, its index and tag follow the first header, RFC 3711 §3.4) or damaged,
   * and their figures would be noise.
   */
  readonly intact: boolean;
  /** RTCP packets in the compound. */
  readonly packets: number;
  readonly senderReports: readonly RtcpSenderReport[];
  readonly reportBlocks: readonly RtcpReportBlock[];
  readonly voipMetrics: readonly RtcpVoipMetrics[];
  /** SSRCs that said BYE (RFC 3550 §6.6). */
  readonly byes: readonly number[];
}

const SR = 200;
const RR = 201;
const BYE = 203;
const XR = 207;
const XR_VOIP_METRICS = 7;
const REPORT_BLOCK_BYTES = 24;
const UNAVAILABLE = 127;

const NOT_INTACT: RtcpCompound = { intact: false, packets: 0, senderReports: [], reportBlocks: [], voipMetrics: [], byes: [] };

function u16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function optional(value: number): number | null {
  return value === UNAVAILABLE ? null : value;
}

function signedByte(value: number): number | null {
  return value === UNAVAILABLE ? null : (value << 24) >> 24;
}

/** The compound RTCP packet in b[start, end). */
export function parseRtcp(b: Uint8Array, start: number, end: number): RtcpCompound {
  // First pass: the packets' lengths must tile the datagram, or nothing is read. Fewer than 4
  // bytes left after the last packet (too few for any header, seen from real stacks) are let be;
  // SRTCP's trailer, an index and a tag (RFC 3711 §3.4), is longer and does not read as a header.
  let packets = 0;
  let at = start;
  while (end - at >= 4) {
    if (b[at]! >> 6 !== 2) return NOT_INTACT;
    const type = b[at + 1]!;
    if (type < 192 || type > 223) return NOT_INTACT;
    const length = (u16(b, at + 2) + 1) * 4;
    if (at + length > end) return NOT_INTACT;
    // RFC 3550 §6.4.1: padding (P) only on the last packet, its last byte counting the padding.
    const last = end - (at + length) < 4;
    if ((b[at]! & 0x20) !== 0 && (!last || b[at + length - 1]! === 0 || b[at + length - 1]! > length - 4)) return NOT_INTACT;
    at += length;
    packets++;
  }
  if (packets === 0) return NOT_INTACT;
  const compoundEnd = at;

  const senderReports: RtcpSenderReport[] = [];
  const reportBlocks: RtcpReportBlock[] = [];
  const voipMetrics: RtcpVoipMetrics[] = [];
  const byes: number[] = [];
  for (at = start; at < compoundEnd; ) {
    const count = b[at]! & 0x1f;
    const type = b[at + 1]!;
    const length = (u16(b, at + 2) + 1) * 4;
    const padding = (b[at]! & 0x20) !== 0 ? b[at + length - 1]! : 0;
    const packetEnd = at + length - padding;
    if (type === SR && packetEnd - at >= 28) {
      const ssrc = u32(b, at + 4);
      const ntpSec = u32(b, at + 8);
      const ntpFraction = u32(b, at + 12);
      senderReports.push({
        ssrc,
        ntpSec,
        ntpFraction,
        ntpMiddle: (((ntpSec & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0,
        rtpTimestamp: u32(b, at + 16),
        packetCount: u32(b, at + 20),
        octetCount: u32(b, at + 24),
      });
      readBlocks(b, at + 28, packetEnd, count, ssrc, reportBlocks);
    } else if (type === RR && packetEnd - at >= 8) {
      readBlocks(b, at + 8, packetEnd, count, u32(b, at + 4), reportBlocks);
    } else if (type === BYE) {
      for (let i = 0; i < count && at + 4 + i * 4 + 4 <= packetEnd; i++) byes.push(u32(b, at + 4 + i * 4));
    } else if (type === XR && packetEnd - at >= 8) {
      readXr(b, at + 8, packetEnd, u32(b, at + 4), voipMetrics);
    }
    at += length;
  }
  return { intact: true, packets, senderReports, reportBlocks, voipMetrics, byes };
}

/** Report blocks (RFC 3550 §6.4.1), as many of `count` as fit before `end`. */
function readBlocks(b: Uint8Array, at: number, end: number, count: number, reporterSsrc: number, out: RtcpReportBlock[]): void {
  for (let i = 0; i < count && at + REPORT_BLOCK_BYTES <= end; i++, at += REPORT_BLOCK_BYTES) {
    out.push({
      reporterSsrc,
      sourceSsrc: u32(b, at),
      fractionLost: b[at + 4]! / 256,
      // Cumulative loss is a signed 24-bit integer (RFC 3550 §6.4.1, A.3 clamps it to ±0x7FFFFF).
      cumulativeLost: ((b[at + 5]! << 24) | (b[at + 6]! << 16) | (b[at + 7]! << 8)) >> 8,
      extendedHighestSeq: u32(b, at + 8),
      jitter: u32(b, at + 12),
      lastSr: u32(b, at + 16),
      delaySinceLastSrSec: u32(b, at + 20) / 65536,
    });
  }
}

/** XR report blocks (RFC 3611 §3): block type, type-specific byte, length in 32-bit words; only VoIP metrics are read. */
function readXr(b: Uint8Array, at: number, end: number, reporterSsrc: number, out: RtcpVoipMetrics[]): void {
  while (at + 4 <= end) {
    const blockEnd = at + 4 + u16(b, at + 2) * 4;
    if (blockEnd > end) return;
    if (b[at] === XR_VOIP_METRICS && blockEnd - at >= 36) {
      out.push({
        reporterSsrc,
        sourceSsrc: u32(b, at + 4),
        lossRate: b[at + 8]! / 256,
        discardRate: b[at + 9]! / 256,
        burstDensity: b[at + 10]! / 256,
        gapDensity: b[at + 11]! / 256,
        burstDurationMs: u16(b, at + 12),
        gapDurationMs: u16(b, at + 14),
        roundTripDelayMs: u16(b, at + 16),
        endSystemDelayMs: u16(b, at + 18),
        signalLevel: signedByte(b[at + 20]!),
        noiseLevel: signedByte(b[at + 21]!),
        residualEchoReturnLoss: optional(b[at + 22]!),
        gmin: b[at + 23]!,
        rFactor: optional(b[at + 24]!),
        externalRFactor: optional(b[at + 25]!),
        mosLq: b[at + 26] === UNAVAILABLE ? null : b[at + 26]! / 10,
        mosCq: b[at + 27] === UNAVAILABLE ? null : b[at + 27]! / 10,
        jitterBufferNominalMs: u16(b, at + 30),
        jitterBufferMaximumMs: u16(b, at + 32),
        jitterBufferAbsoluteMaximumMs: u16(b, at + 34),
      });
    }
    at = blockEnd;
  }
}

/**
 * Round-trip time from a report block and the SR it echoes (RFC 3550 §6.4.1), measured on the
 * capture's clock: the RR's capture time minus the echoed SR's, minus DLSR. When the capture
 * is taken at the SR's sender this is the RFC's round trip; elsewhere it is the round trip from
 * the capture point to the reporter and back. null when the result is negative (clock steps,
 * a DLSR the reporter got wrong).
 */
export function roundTripMs(srCaptureMs: number, rrCaptureMs: number, delaySinceLastSrSec: number): number | null {
  const rtt = rrCaptureMs - srCaptureMs - delaySinceLastSrSec * 1000;
  return rtt >= 0 ? rtt : null;
}

/** A report block's jitter in ms, with the clock rate of the stream it describes; null without one. */
export function jitterMs(jitter: number, clockRate: number): number | null {
  return clockRate > 0 ? (jitter * 1000) / clockRate : null;
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

/** Round trips need the SRs a report block may echo: the last few per stream. */
const SR_HISTORY = 4;

/**
 * What RTCP said about one RTP stream, accumulated: the SRs its sender sent (kept for the round
 * trips of the report blocks that echo them, RFC 3550 §6.4.1), the report blocks and XR VoIP
 * metrics its receivers sent, and its BYE.
 */
export class RtcpState {
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

