/**
 * Per-stream RTP figures, computed as Wireshark's RTP stream analysis (4.2 and later) does (ui/tap-rtp-analysis.c,
 * ui/tap-rtp-common.c) so that a user can hold siplens' stream table next to `tshark -z rtp,streams`
 * or Telephony › RTP › RTP Streams and find the same numbers. Where Wireshark departs from RFC 3550
 * the comment says so and says which one is followed.
 *
 * The state is one object of numbers per stream, updated in place per packet: no allocation, a
 * few integer and float operations (the stream table's per-packet budget).
 */

/** An encoding with its RTP clock rate in Hz. */
export interface PayloadFormat {
  readonly name: string;
  readonly clockRate: number;
}

/**
 * The static payload types of RFC 3551 §6 (Tables 4 and 5) with their RTP clock rates, plus the
 * ones Wireshark also knows (1 "1016" and 2 "G721", reserved since RFC 3551; 19 the old CN).
 * G.722 (PT 9) runs a 16 kHz codec on an 8000 Hz RTP clock, an error RFC 1890 made and RFC 3551
 * §4.5.2 keeps.
 */
export const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, PayloadFormat> = new Map<number, PayloadFormat>([
  [0, { name: 'PCMU', clockRate: 8000 }],
  [1, { name: '1016', clockRate: 8000 }],
  [2, { name: 'G721', clockRate: 8000 }],
  [3, { name: 'GSM', clockRate: 8000 }],
  [4, { name: 'G723', clockRate: 8000 }],
  [5, { name: 'DVI4', clockRate: 8000 }],
  [6, { name: 'DVI4', clockRate: 16000 }],
  [7, { name: 'LPC', clockRate: 8000 }],
  [8, { name: 'PCMA', clockRate: 8000 }],
  [9, { name: 'G722', clockRate: 8000 }],
  [10, { name: 'L16', clockRate: 44100 }],
  [11, { name: 'L16', clockRate: 44100 }],
  [12, { name: 'QCELP', clockRate: 8000 }],
  [13, { name: 'CN', clockRate: 8000 }],
  [14, { name: 'MPA', clockRate: 90000 }],
  [15, { name: 'G728', clockRate: 8000 }],
  [16, { name: 'DVI4', clockRate: 11025 }],
  [17, { name: 'DVI4', clockRate: 22050 }],
  [18, { name: 'G729', clockRate: 8000 }],
  [19, { name: 'CN', clockRate: 8000 }],
  [25, { name: 'CelB', clockRate: 90000 }],
  [26, { name: 'JPEG', clockRate: 90000 }],
  [28, { name: 'nv', clockRate: 90000 }],
  [31, { name: 'H261', clockRate: 90000 }],
  [32, { name: 'MPV', clockRate: 90000 }],
  [33, { name: 'MP2T', clockRate: 90000 }],
  [34, { name: 'H263', clockRate: 90000 }],
]);

/** A payload type's RTP clock rate in Hz, or null when unknown (jitter is then not computed, as in Wireshark). */
export type ClockRateOf = (payloadType: number) => number | null;

/** The clock rate of a static payload type (RFC 3551 §6); null for dynamic and unassigned ones. */
export const staticClockRate: ClockRateOf = (payloadType) => STATIC_PAYLOAD_TYPES.get(payloadType)?.clockRate ?? null;

/** Comfort noise (RFC 3389 on PT 13; 19 is its old number): Wireshark leaves such packets, and the one after, out of the delta and jitter figures. */
function isComfortNoise(payloadType: number): boolean {
  return payloadType === 13 || payloadType === 19;
}

// The running figures that are not small integers, in one typed array per stream: V8 keeps a
// double-valued object field in a box of its own, so fields would be a pointer chase each (and
// a cache miss each with thousands of streams interleaved); the array keeps them in 144 bytes.
const LAST_EXT_TIMESTAMP = 0; // the last packet's timestamp, extended over 32-bit wraps
const ORDER_TIMESTAMP = 1; // Wireshark's seq_timestamp: the last in-order packet's extended timestamp
const ORDER_TIME_MS = 2; // and its arrival, ms after the stream's first packet
const DELTA = 3;
const MIN_DELTA = 4; // −1 until there is one
const MEAN_DELTA = 5;
const MAX_DELTA = 6;
const JITTER = 7;
/** Where RtpStats.d holds the running jitter, ms. */
export const JITTER_SLOT = JITTER;
const MIN_JITTER = 8; // −1 until there is one
const MEAN_JITTER = 9;
const MAX_JITTER = 10;
const LAST_NOMINAL = 11; // skew and clock drift: Wireshark's lastnominaltime, lastarrivaltime, max_skew, sumt, sumTS, sumt2, sumtTS
const LAST_ARRIVAL = 12;
const MAX_SKEW = 13;
const SUM_T = 14;
const SUM_TS = 15;
const SUM_T_2 = 16;
const SUM_T_TS = 17;
// The duplicate window's two 32-bit words (see countDuplicate), as int32 values in doubles: here
// rather than in an array of their own, whose object and data would be two more cache misses.
const WINDOW_LOW = 18;
const WINDOW_HIGH = 19;
const RUNNING_FIGURES = 20;

/** The figures of one stream, as plain data. Times in milliseconds unless named otherwise. */
export interface RtpStatsFigures {
  readonly ssrc: number;
  readonly packets: number;
  /** Extended highest sequence number − first + 1 (RFC 3550 §6.4.1, A.3). */
  readonly expected: number;
  /** expected − packets: negative when duplicates outnumber losses (as RFC 3550 §6.4.1 allows). */
  readonly lost: number;
  /** Packets whose sequence number was not the one after the previous (Wireshark's "sequence errors"): jumps, late and duplicated packets. */
  readonly sequenceErrors: number;
  /** Packets whose sequence number was already seen among the 64 below the highest. */
  readonly duplicates: number;
  /** Wireshark's deltas: capture time since the previous in-order packet, over regular packets only (not the first, not marked, not comfort noise nor the packet after it, not out of timestamp order). null until there is one. */
  readonly minDeltaMs: number | null;
  readonly meanDeltaMs: number;
  readonly maxDeltaMs: number;
  /** The frame that ended the largest delta (0 when none). */
  readonly maxDeltaFrame: number;
  /** The in-order packet that began it: its frame (0 when none) and capture time; the gap runs from there to the maxDeltaFrame packet (maxDeltaEndSec, maxDeltaEndNsec). */
  readonly maxDeltaStartFrame: number;
  readonly maxDeltaStartSec: number;
  readonly maxDeltaStartNsec: number;
  readonly maxDeltaEndSec: number;
  readonly maxDeltaEndNsec: number;
  /** RFC 3550 A.8 interarrival jitter after the last packet, in ms. */
  readonly jitterMs: number;
  /** Over regular packets with a known clock rate (Wireshark's mean is the running figure ((n−1)·mean + J)/n with n the packets before). */
  readonly minJitterMs: number | null;
  readonly meanJitterMs: number;
  readonly maxJitterMs: number;
  /** The largest |skew| seen, signed: nominal (RTP timestamp) time minus arrival time, in ms (positive: the sender's clock runs fast). */
  readonly maxSkewMs: number;
  /** Clock drift over the stream from Wireshark's least-squares fit of arrival against nominal time, in ms (0 when it cannot be fitted). */
  readonly clockDriftMs: number;
  /** The last known clock rate used, in Hz (0 when none was known). */
  readonly clockRate: number;
  readonly firstPayloadType: number;
  /** Every payload type seen, ascending. */
  readonly payloadTypes: readonly number[];
  /** Changes of the regular payload type (comfort noise ignored, as Wireshark's "payload changed"). */
  readonly payloadTypeChanges: number;
  readonly markers: number;
  /** RTP bytes (header and payload: the UDP payloads). */
  readonly bytes: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly firstSec: number;
  readonly firstNsec: number;
  readonly lastSec: number;
  readonly lastNsec: number;
  /** Seconds from the first packet to the last. */
  readonly durationSec: number;
}

/**
 * The running state of one RTP stream. `packet()` takes one RTP header's fields and the capture
 * time; `figures()` makes the plain-data snapshot.
 */
export class RtpStats {
  ssrc = 0;
  packets = 0;

  // Extended sequence numbers (RFC 3550 A.1, without its probation and restart handling).
  private firstExtSeq = 0;
  private highestExtSeq = 0;
  private maxSeq = 0;
  private seqCycles = 0;
  // Duplicates: bit i of the 64-bit window (d[WINDOW_LOW], d[WINDOW_HIGH]) is set when highestExtSeq − i was seen.
  duplicates = 0;
  // Wireshark's sequence check: the last in-order sequence number and the count of breaks.
  private lastSeq = 0;
  sequenceErrors = 0;

  /** The running figures that are not small integers (see RUNNING_FIGURES). */
  /** Readable by the stream table for the running jitter (d[JITTER_SLOT]) without a call that would box the double. */
  readonly d = new Float64Array(RUNNING_FIGURES);
  private maxDeltaFrame = 0;
  private maxDeltaStartFrame = 0;
  private maxDeltaStartSec = 0;
  private maxDeltaStartNsec = 0;
  private maxDeltaEndSec = 0;
  private maxDeltaEndNsec = 0;
  // The last in-order packet (Wireshark's reference for the delta): frame and capture time.
  private orderFrame = 0;
  private orderSec = 0;
  private orderNsec = 0;
  private clockRate = 0;

  private payloadType = 0;
  private regularPayloadType = 0;
  private firstPayloadType = 0;
  private payloadTypeChanges = 0;
  // Payload types seen, a bit each over four words.
  private types0 = 0;
  private types1 = 0;
  private types2 = 0;
  private types3 = 0;
  markers = 0;
  bytes = 0;

  firstFrame = 0;
  lastFrame = 0;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;

  /** Back to a stream with no packet (the stream table reuses the object). */
  reset(): void {
    this.ssrc = 0;
    this.packets = 0;
    this.firstExtSeq = this.highestExtSeq = this.maxSeq = this.seqCycles = 0;
    this.duplicates = 0;
    this.lastSeq = this.sequenceErrors = 0;
    this.d.fill(0);
    this.d[MIN_DELTA] = this.d[MIN_JITTER] = -1;
    this.maxDeltaFrame = this.clockRate = 0;
    this.maxDeltaStartFrame = this.maxDeltaStartSec = this.maxDeltaStartNsec = this.maxDeltaEndSec = this.maxDeltaEndNsec = 0;
    this.orderFrame = this.orderSec = this.orderNsec = 0;
    this.payloadType = this.regularPayloadType = this.firstPayloadType = this.payloadTypeChanges = 0;
    this.types0 = this.types1 = this.types2 = this.types3 = 0;
    this.markers = this.bytes = 0;
    this.firstFrame = this.lastFrame = this.firstSec = this.firstNsec = this.lastSec = this.lastNsec = 0;
  }

  /**
   * One RTP packet: its sequence number (16 bits), timestamp (32 bits, signed or unsigned: only
   * differences modulo 2^32 count, and a signed one stays a small integer for V8), payload type,
   * marker bit, capture time, frame and size; `clockRate` in Hz for this payload type, 0 when
   * unknown (or a telephone event, whose timestamp marks the event's start, RFC 4733 §2.5.1.2:
   * Wireshark computes no jitter for those).
   */
  packet(seq: number, timestamp: number, payloadType: number, marker: boolean, sec: number, nsec: number, frame: number, bytes: number, clockRate: number): void {
    this.bytes += bytes;
    this.lastFrame = frame;
    this.lastSec = sec;
    this.lastNsec = nsec;
    this.markPayloadType(payloadType);
    if (marker) this.markers++;
    if (this.packets === 0) {
      this.first(seq, timestamp, payloadType, sec, nsec, frame, clockRate);
      return;
    }
    // Arrival time relative to the stream's first packet (Wireshark uses the capture's first frame; differences are what count).
    const now = (sec - this.firstSec) * 1000 + (nsec - this.firstNsec) / 1e6;

    const extSeq = this.extendSequence(seq);
    this.countDuplicate(extSeq);

    const extTimestamp = this.d[LAST_EXT_TIMESTAMP] + ((timestamp - this.d[LAST_EXT_TIMESTAMP]) | 0);
    this.d[LAST_EXT_TIMESTAMP] = extTimestamp;
    // Wireshark's "in time sequence": the timestamp does not go back from the last in-order packet's.
    const inOrder = this.d[ORDER_TIMESTAMP] <= extTimestamp;

    this.checkSequence(seq, inOrder);

    const comfortNoise = isComfortNoise(payloadType);
    const afterComfortNoise = isComfortNoise(this.payloadType);
    this.payloadType = payloadType;

    this.d[DELTA] = now - this.d[ORDER_TIME_MS];
    let currentJitter = 0;
    if (clockRate > 0) {
      this.clockRate = clockRate;
      // Wireshark divides by the integer clock_rate / 1000, which is wrong for 11025 or 44100 Hz; the exact rate is used here.
      const nominalDelta = ((extTimestamp - this.d[ORDER_TIMESTAMP]) * 1000) / clockRate;
      // RFC 3550 A.8: D is the difference between arrival spacing and timestamp spacing; J += (|D| − J) / 16.
      const transit = Math.abs(now - (this.d[ORDER_TIME_MS] + nominalDelta));
      currentJitter = (15 * this.d[JITTER] + transit) / 16;
      this.d[JITTER] = currentJitter;
      const nominal = this.d[LAST_NOMINAL] + nominalDelta;
      const arrival = this.d[LAST_ARRIVAL] + this.d[DELTA];
      const skew = nominal - arrival;
      if (Math.abs(skew) > Math.abs(this.d[MAX_SKEW])) this.d[MAX_SKEW] = skew;
      this.d[SUM_T] += arrival;
      this.d[SUM_TS] += nominal;
      this.d[SUM_T_2] += arrival * arrival;
      this.d[SUM_T_TS] += arrival * nominal;
      this.d[LAST_NOMINAL] = nominal;
      this.d[LAST_ARRIVAL] = arrival;
    }

    // Wireshark's "regular" packets feed the delta and jitter statistics: a marked packet starts a
    // talkspurt after silence suppression (RFC 3551 §4.1), comfort noise is sent sparsely (RFC 3389).
    if (!marker && !comfortNoise && !afterComfortNoise && inOrder) {
      const n = this.packets;
      if (this.d[DELTA] > this.d[MAX_DELTA]) {
        this.d[MAX_DELTA] = this.d[DELTA];
        this.maxDeltaFrame = frame;
        this.maxDeltaStartFrame = this.orderFrame;
        this.maxDeltaStartSec = this.orderSec;
        this.maxDeltaStartNsec = this.orderNsec;
        this.maxDeltaEndSec = sec;
        this.maxDeltaEndNsec = nsec;
      }
      if (this.d[MIN_DELTA] === -1 || this.d[DELTA] < this.d[MIN_DELTA]) this.d[MIN_DELTA] = this.d[DELTA];
      this.d[MEAN_DELTA] = (this.d[MEAN_DELTA] * (n - 1) + this.d[DELTA]) / n;
      if (clockRate > 0) {
        if (this.d[JITTER] > this.d[MAX_JITTER]) this.d[MAX_JITTER] = this.d[JITTER];
        this.d[MEAN_JITTER] = (this.d[MEAN_JITTER] * (n - 1) + currentJitter) / n;
        if (this.d[MIN_JITTER] === -1 || this.d[JITTER] < this.d[MIN_JITTER]) this.d[MIN_JITTER] = this.d[JITTER];
      }
    }
    if (!comfortNoise) {
      if (payloadType !== this.regularPayloadType) this.payloadTypeChanges++;
      this.regularPayloadType = payloadType;
    }
    if (inOrder) {
      this.d[ORDER_TIME_MS] = now;
      this.d[ORDER_TIMESTAMP] = extTimestamp;
      this.orderFrame = frame;
      this.orderSec = sec;
      this.orderNsec = nsec;
    }
    this.packets++;
  }

  private first(seq: number, timestamp: number, payloadType: number, sec: number, nsec: number, frame: number, clockRate: number): void {
    this.packets = 1;
    this.firstExtSeq = this.highestExtSeq = this.maxSeq = this.lastSeq = seq;
    this.d[WINDOW_LOW] = 1;
    this.d[LAST_EXT_TIMESTAMP] = this.d[ORDER_TIMESTAMP] = timestamp;
    this.d[MIN_DELTA] = this.d[MIN_JITTER] = -1;
    this.payloadType = this.regularPayloadType = this.firstPayloadType = payloadType;
    this.firstFrame = this.orderFrame = frame;
    this.firstSec = this.orderSec = sec;
    this.firstNsec = this.orderNsec = nsec;
    if (clockRate > 0) this.clockRate = clockRate;
  }

  /** RFC 3550 A.1: a sequence number less than 2^15 ahead of the highest is newer (a wrap when it is smaller); anything else is an older one. */
  private extendSequence(seq: number): number {
    const ahead = (seq - this.maxSeq) & 0xffff;
    let ext: number;
    if (ahead < 0x8000) {
      if (seq < this.maxSeq) this.seqCycles += 0x10000;
      this.maxSeq = seq;
      ext = this.seqCycles + seq;
    } else {
      ext = this.seqCycles + seq - (seq > this.maxSeq ? 0x10000 : 0);
    }
    return ext;
  }

  private countDuplicate(ext: number): void {
    const d = this.d;
    let low = d[WINDOW_LOW]! | 0;
    let high = d[WINDOW_HIGH]! | 0;
    const ahead = ext - this.highestExtSeq;
    if (ahead > 0) {
      if (ahead >= 64) {
        high = 0;
        low = 1;
      } else if (ahead >= 32) {
        high = low << (ahead - 32);
        low = 1;
      } else {
        high = (high << ahead) | (low >>> (32 - ahead));
        low = (low << ahead) | 1;
      }
      this.highestExtSeq = ext;
    } else {
      const back = -ahead;
      if (back >= 64) return; // too old to tell
      if (back < 32) {
        const bit = 1 << back;
        if ((low & bit) !== 0) this.duplicates++;
        else low |= bit;
      } else {
        const bit = 1 << (back - 32);
        if ((high & bit) !== 0) this.duplicates++;
        else high |= bit;
      }
    }
    d[WINDOW_LOW] = low;
    d[WINDOW_HIGH] = high;
  }

  /**
   * Wireshark's sequence check: the next number, or 65535 then 0, is in order; a jump forward (or
   * a wrap with packets lost, a fall of more than 0xFF00) is an error that moves on; a number not
   * after the last (late or duplicated) is an error that does not. Packets out of timestamp order
   * only count when they are late.
   */
  private checkSequence(seq: number, inOrder: boolean): void {
    const last = this.lastSeq;
    if (inOrder && (last + 1 === seq || (last === 65535 && seq === 0))) {
      this.lastSeq = seq;
    } else if (inOrder && (last + 1 < seq || last - seq > 0xff00)) {
      this.lastSeq = seq;
      this.sequenceErrors++;
    } else if (last + 1 > seq) {
      this.sequenceErrors++;
    }
  }

  private markPayloadType(pt: number): void {
    const bit = 1 << (pt & 31);
    if (pt < 32) this.types0 |= bit;
    else if (pt < 64) this.types1 |= bit;
    else if (pt < 96) this.types2 |= bit;
    else this.types3 |= bit;
  }

  /** The current payload type (the last packet's). */
  get currentPayloadType(): number {
    return this.payloadType;
  }

  figures(): RtpStatsFigures {
    const expected = this.packets === 0 ? 0 : this.highestExtSeq - this.firstExtSeq + 1;
    const payloadTypes: number[] = [];
    const words = [this.types0, this.types1, this.types2, this.types3];
    for (let pt = 0; pt < 128; pt++) if ((words[pt >> 5]! & (1 << (pt & 31))) !== 0) payloadTypes.push(pt);
    return {
      ssrc: this.ssrc,
      packets: this.packets,
      expected,
      lost: expected - this.packets,
      sequenceErrors: this.sequenceErrors,
      duplicates: this.duplicates,
      minDeltaMs: this.d[MIN_DELTA] === -1 ? null : this.d[MIN_DELTA],
      meanDeltaMs: this.d[MEAN_DELTA],
      maxDeltaMs: this.d[MAX_DELTA],
      maxDeltaFrame: this.maxDeltaFrame,
      maxDeltaStartFrame: this.maxDeltaStartFrame,
      maxDeltaStartSec: this.maxDeltaStartSec,
      maxDeltaStartNsec: this.maxDeltaStartNsec,
      maxDeltaEndSec: this.maxDeltaEndSec,
      maxDeltaEndNsec: this.maxDeltaEndNsec,
      jitterMs: this.d[JITTER],
      minJitterMs: this.d[MIN_JITTER] === -1 ? null : this.d[MIN_JITTER],
      meanJitterMs: this.d[MEAN_JITTER],
      maxJitterMs: this.d[MAX_JITTER],
      maxSkewMs: this.d[MAX_SKEW],
      clockDriftMs: this.clockDrift(),
      clockRate: this.clockRate,
      firstPayloadType: this.firstPayloadType,
      payloadTypes,
      payloadTypeChanges: this.payloadTypeChanges,
      markers: this.markers,
      bytes: this.bytes,
      firstFrame: this.firstFrame,
      lastFrame: this.lastFrame,
      firstSec: this.firstSec,
      firstNsec: this.firstNsec,
      lastSec: this.lastSec,
      lastNsec: this.lastNsec,
      durationSec: this.lastSec - this.firstSec + (this.lastNsec - this.firstNsec) / 1e9,
    };
  }

  /**
   * Wireshark's clock drift (rtpstream_info_calculate): the slope x of the least-squares line of
   * nominal against arrival time, x = (n·Σt·TS − Σt·ΣTS) / (n·Σt² − (Σt)²), times the duration to
   * the last in-order packet: duration·(x − 1). Like Wireshark, n is the packet count although
   * the sums leave the first packet out.
   */
  private clockDrift(): number {
    const n = this.packets;
    if (n === 0 || this.d[SUM_T_2] <= 0) return 0;
    const denominator = n * this.d[SUM_T_2] - this.d[SUM_T] * this.d[SUM_T];
    if (denominator === 0) return 0;
    const slope = (n * this.d[SUM_T_TS] - this.d[SUM_T] * this.d[SUM_TS]) / denominator;
    return this.d[ORDER_TIME_MS] * (slope - 1);
  }
}
