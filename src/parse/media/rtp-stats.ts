/**
 * Per-stream RTP figures, computed as Wireshark's RTP stream analysis (4.2 and later) does (ui/tap-rtp-analysis.c,
 * ui/tap-rtp-common.c) so that a user can hold siplens' stream table next to `tshark -z rtp,streams`
 * or Telephony › RTP › RTP Streams and find the same numbers. Where Wireshark departs from RFC 3550
 * the comment says so and says which one is followed.
 *
 * The state of a stream is Rtp.SIZE numbers at an offset of a Float64Array that holds every
 * stream's (the media join's struct of arrays): a packet reads and writes a few adjacent cache
 * lines at an address computed from its stream's number, with no object to follow and no
 * allocation.
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

/**
 * Where each figure sits in a stream's state, from its offset. Doubles all: counts stay exact to
 * 2^53, a frame number or a capture second past 2^31 needs no other type, and one array keeps the
 * state in consecutive lines. The ones every packet reads or writes come first (36 of them, about
 * five cache lines), the ones written now and then after them.
 *
 * A const enum, so that the bundler (esbuild) writes each offset into the code as a number: a
 * module-level constant stays a variable in the bundle, which V8's optimizing compiler loads from
 * the module's context and checks at every use (a load, a small-integer check and an
 * overflow-checked add for each figure a packet reads or writes).
 */
export const enum Rtp {
  /** Packets, RTP or not (the media join counts UDPTL packets here too, countPacket). */
  PACKETS = 0,
  /** UDP payload bytes (RTP header and payload). */
  BYTES = 1,
  FIRST_SEC = 2,
  FIRST_NSEC = 3,
  LAST_SEC = 4,
  LAST_NSEC = 5,
  LAST_FRAME = 6,
  LAST_EXT_TIMESTAMP = 7, // the last packet's timestamp, extended over 32-bit wraps
  ORDER_TIMESTAMP = 8, // Wireshark's seq_timestamp: the last in-order packet's extended timestamp
  ORDER_TIME_MS = 9, // and its arrival, ms after the stream's first packet
  ORDER_FRAME = 10, // the last in-order packet (Wireshark's reference for the delta): frame and capture time
  ORDER_SEC = 11,
  ORDER_NSEC = 12,
  /** The running interarrival jitter, ms (RFC 3550 A.8). */
  JITTER = 13,
  MIN_JITTER = 14, // −1 until there is one
  MEAN_JITTER = 15,
  MAX_JITTER = 16,
  MIN_DELTA = 17, // −1 until there is one
  MEAN_DELTA = 18,
  MAX_DELTA = 19,
  LAST_NOMINAL = 20, // skew and clock drift: Wireshark's lastnominaltime, lastarrivaltime, max_skew, sumt, sumTS, sumt2, sumtTS
  LAST_ARRIVAL = 21,
  MAX_SKEW = 22,
  SUM_T = 23,
  SUM_TS = 24,
  SUM_T_2 = 25,
  SUM_T_TS = 26,
  // Extended sequence numbers (RFC 3550 A.1, without its probation and restart handling).
  MAX_SEQ = 27,
  SEQ_CYCLES = 28,
  HIGHEST_EXT_SEQ = 29,
  // Duplicates: bit i of the 64-bit window (WINDOW_LOW, WINDOW_HIGH, each an int32 value) is set when HIGHEST_EXT_SEQ − i was seen.
  WINDOW_LOW = 30,
  WINDOW_HIGH = 31,
  // Wireshark's sequence check: the last in-order sequence number.
  LAST_SEQ = 32,
  PAYLOAD_TYPE = 33,
  REGULAR_PAYLOAD_TYPE = 34,
  CLOCK_RATE = 35,
  // The figures above are read or written by every packet; the ones below now and then.
  FIRST_FRAME = 36,
  DUPLICATES = 37,
  SEQUENCE_ERRORS = 38,
  PAYLOAD_TYPE_CHANGES = 39,
  MARKERS = 40,
  // Payload types seen, a bit each over four int32 words.
  TYPES = 41, // to 44
  // The largest delta's packets.
  MAX_DELTA_FRAME = 45,
  MAX_DELTA_START_FRAME = 46,
  MAX_DELTA_START_SEC = 47,
  MAX_DELTA_START_NSEC = 48,
  MAX_DELTA_END_SEC = 49,
  MAX_DELTA_END_NSEC = 50,
  FIRST_EXT_SEQ = 51,
  FIRST_PAYLOAD_TYPE = 52,
  /** Numbers in one stream's state. */
  SIZE = 53,
}

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

/** Back to a stream with no packet: the state at `at` is cleared. */
export function clearRtpState(f: Float64Array, at: number): void {
  f.fill(0, at, at + Rtp.SIZE);
  f[at + Rtp.MIN_DELTA] = f[at + Rtp.MIN_JITTER] = -1;
}

/** A packet of a stream that is not RTP (UDPTL): counted, with its time and frame. */
export function countPacket(f: Float64Array, at: number, sec: number, nsec: number, frame: number, bytes: number): void {
  if (f[at + Rtp.PACKETS] === 0) {
    f[at + Rtp.FIRST_SEC] = sec;
    f[at + Rtp.FIRST_NSEC] = nsec;
    f[at + Rtp.FIRST_FRAME] = frame;
  }
  f[at + Rtp.PACKETS]++;
  f[at + Rtp.BYTES] += bytes;
  f[at + Rtp.LAST_SEC] = sec;
  f[at + Rtp.LAST_NSEC] = nsec;
  f[at + Rtp.LAST_FRAME] = frame;
}

/**
 * Capture time `sec`, `nsec` in ms after the first packet of the stream whose state is at `at`
 * (Wireshark uses the capture's first frame; differences are what count); 0 before its first.
 */
export function msSinceFirst(f: Float64Array, at: number, sec: number, nsec: number): number {
  return f[at + Rtp.PACKETS] === 0 ? 0 : (sec - f[at + Rtp.FIRST_SEC]!) * 1000 + (nsec - f[at + Rtp.FIRST_NSEC]!) / 1e6;
}

/**
 * One RTP packet of the stream whose state is at `at`: its sequence number (16 bits), timestamp
 * (32 bits, signed or unsigned: only differences modulo 2^32 count, and a signed one stays a
 * small integer for V8), payload type, marker bit, capture time, frame and size; `clockRate` in
 * Hz for this payload type, 0 when unknown (or a telephone event, whose timestamp marks the
 * event's start, RFC 4733 §2.5.1.2: Wireshark computes no jitter for those).
 */
export function rtpPacket(f: Float64Array, at: number, seq: number, timestamp: number, payloadType: number, marker: boolean, sec: number, nsec: number, frame: number, bytes: number, clockRate: number): void {
  const n = f[at + Rtp.PACKETS]!;
  f[at + Rtp.BYTES] += bytes;
  f[at + Rtp.LAST_FRAME] = frame;
  f[at + Rtp.LAST_SEC] = sec;
  f[at + Rtp.LAST_NSEC] = nsec;
  // The last packet's type is marked already.
  if (payloadType !== f[at + Rtp.PAYLOAD_TYPE] || n === 0) f[at + Rtp.TYPES + (payloadType >> 5)] = (f[at + Rtp.TYPES + (payloadType >> 5)]! | (1 << (payloadType & 31)));
  if (marker) f[at + Rtp.MARKERS]++;
  if (n === 0) {
    first(f, at, seq, timestamp, payloadType, sec, nsec, frame, clockRate);
    return;
  }
  // Computed here again rather than passed in by the media join, which has it for its bucket: V8
  // does not inline this function, and a fractional double passed to a call is boxed (a heap
  // number allocated per packet).
  const now = msSinceFirst(f, at, sec, nsec);
  countDuplicate(f, at, extendSequence(f, at, seq));

  const lastExt = f[at + Rtp.LAST_EXT_TIMESTAMP]!;
  const extTimestamp = lastExt + ((timestamp - lastExt) | 0);
  f[at + Rtp.LAST_EXT_TIMESTAMP] = extTimestamp;
  // Wireshark's "in time sequence": the timestamp does not go back from the last in-order packet's.
  const orderTimestamp = f[at + Rtp.ORDER_TIMESTAMP]!;
  const inOrder = orderTimestamp <= extTimestamp;

  checkSequence(f, at, seq, inOrder);

  const comfortNoise = isComfortNoise(payloadType);
  const afterComfortNoise = isComfortNoise(f[at + Rtp.PAYLOAD_TYPE]!);
  f[at + Rtp.PAYLOAD_TYPE] = payloadType;

  const orderTime = f[at + Rtp.ORDER_TIME_MS]!;
  const delta = now - orderTime;
  let jitter = f[at + Rtp.JITTER]!;
  if (clockRate > 0) {
    f[at + Rtp.CLOCK_RATE] = clockRate;
    // Wireshark divides by the integer clock_rate / 1000, which is wrong for 11025 or 44100 Hz; the exact rate is used here.
    const nominalDelta = ((extTimestamp - orderTimestamp) * 1000) / clockRate;
    // RFC 3550 A.8: D is the difference between arrival spacing and timestamp spacing; J += (|D| − J) / 16.
    const transit = Math.abs(now - (orderTime + nominalDelta));
    jitter = (15 * jitter + transit) / 16;
    f[at + Rtp.JITTER] = jitter;
    const nominal = f[at + Rtp.LAST_NOMINAL]! + nominalDelta;
    const arrival = f[at + Rtp.LAST_ARRIVAL]! + delta;
    const skew = nominal - arrival;
    if (Math.abs(skew) > Math.abs(f[at + Rtp.MAX_SKEW]!)) f[at + Rtp.MAX_SKEW] = skew;
    f[at + Rtp.SUM_T] += arrival;
    f[at + Rtp.SUM_TS] += nominal;
    f[at + Rtp.SUM_T_2] += arrival * arrival;
    f[at + Rtp.SUM_T_TS] += arrival * nominal;
    f[at + Rtp.LAST_NOMINAL] = nominal;
    f[at + Rtp.LAST_ARRIVAL] = arrival;
  }

  // Wireshark's "regular" packets feed the delta and jitter statistics: a marked packet starts a
  // talkspurt after silence suppression (RFC 3551 §4.1), comfort noise is sent sparsely (RFC 3389).
  if (!marker && !comfortNoise && !afterComfortNoise && inOrder) {
    if (delta > f[at + Rtp.MAX_DELTA]!) {
      f[at + Rtp.MAX_DELTA] = delta;
      f[at + Rtp.MAX_DELTA_FRAME] = frame;
      f[at + Rtp.MAX_DELTA_START_FRAME] = f[at + Rtp.ORDER_FRAME]!;
      f[at + Rtp.MAX_DELTA_START_SEC] = f[at + Rtp.ORDER_SEC]!;
      f[at + Rtp.MAX_DELTA_START_NSEC] = f[at + Rtp.ORDER_NSEC]!;
      f[at + Rtp.MAX_DELTA_END_SEC] = sec;
      f[at + Rtp.MAX_DELTA_END_NSEC] = nsec;
    }
    const minDelta = f[at + Rtp.MIN_DELTA]!;
    if (minDelta === -1 || delta < minDelta) f[at + Rtp.MIN_DELTA] = delta;
    f[at + Rtp.MEAN_DELTA] = (f[at + Rtp.MEAN_DELTA]! * (n - 1) + delta) / n;
    if (clockRate > 0) {
      if (jitter > f[at + Rtp.MAX_JITTER]!) f[at + Rtp.MAX_JITTER] = jitter;
      f[at + Rtp.MEAN_JITTER] = (f[at + Rtp.MEAN_JITTER]! * (n - 1) + jitter) / n;
      const minJitter = f[at + Rtp.MIN_JITTER]!;
      if (minJitter === -1 || jitter < minJitter) f[at + Rtp.MIN_JITTER] = jitter;
    }
  }
  if (!comfortNoise) {
    if (payloadType !== f[at + Rtp.REGULAR_PAYLOAD_TYPE]) f[at + Rtp.PAYLOAD_TYPE_CHANGES]++;
    f[at + Rtp.REGULAR_PAYLOAD_TYPE] = payloadType;
  }
  if (inOrder) {
    f[at + Rtp.ORDER_TIME_MS] = now;
    f[at + Rtp.ORDER_TIMESTAMP] = extTimestamp;
    f[at + Rtp.ORDER_FRAME] = frame;
    f[at + Rtp.ORDER_SEC] = sec;
    f[at + Rtp.ORDER_NSEC] = nsec;
  }
  f[at + Rtp.PACKETS] = n + 1;
}

function first(f: Float64Array, at: number, seq: number, timestamp: number, payloadType: number, sec: number, nsec: number, frame: number, clockRate: number): void {
  f[at + Rtp.PACKETS] = 1;
  f[at + Rtp.FIRST_EXT_SEQ] = f[at + Rtp.HIGHEST_EXT_SEQ] = f[at + Rtp.MAX_SEQ] = f[at + Rtp.LAST_SEQ] = seq;
  f[at + Rtp.WINDOW_LOW] = 1;
  f[at + Rtp.LAST_EXT_TIMESTAMP] = f[at + Rtp.ORDER_TIMESTAMP] = timestamp;
  f[at + Rtp.MIN_DELTA] = f[at + Rtp.MIN_JITTER] = -1;
  f[at + Rtp.PAYLOAD_TYPE] = f[at + Rtp.REGULAR_PAYLOAD_TYPE] = f[at + Rtp.FIRST_PAYLOAD_TYPE] = payloadType;
  f[at + Rtp.FIRST_FRAME] = f[at + Rtp.ORDER_FRAME] = frame;
  f[at + Rtp.FIRST_SEC] = f[at + Rtp.ORDER_SEC] = sec;
  f[at + Rtp.FIRST_NSEC] = f[at + Rtp.ORDER_NSEC] = nsec;
  if (clockRate > 0) f[at + Rtp.CLOCK_RATE] = clockRate;
}

/** RFC 3550 A.1: a sequence number less than 2^15 ahead of the highest is newer (a wrap when it is smaller); anything else is an older one. */
function extendSequence(f: Float64Array, at: number, seq: number): number {
  const maxSeq = f[at + Rtp.MAX_SEQ]!;
  const ahead = (seq - maxSeq) & 0xffff;
  if (ahead < 0x8000) {
    // A wrap adds a cycle. The sum is made on every packet (adding 0 without a wrap): a branch first
    // taken at the stream's first wrap, minutes in, met optimized code with no feedback for it, and
    // V8 dropped and recompiled the whole per-packet path (rtpPacket and what it inlines).
    f[at + Rtp.SEQ_CYCLES] += seq < maxSeq ? 0x10000 : 0;
    f[at + Rtp.MAX_SEQ] = seq;
    return f[at + Rtp.SEQ_CYCLES]! + seq;
  }
  return f[at + Rtp.SEQ_CYCLES]! + seq - (seq > maxSeq ? 0x10000 : 0);
}

function countDuplicate(f: Float64Array, at: number, ext: number): void {
  let low = f[at + Rtp.WINDOW_LOW]! | 0;
  let high = f[at + Rtp.WINDOW_HIGH]! | 0;
  const ahead = ext - f[at + Rtp.HIGHEST_EXT_SEQ]!;
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
    f[at + Rtp.HIGHEST_EXT_SEQ] = ext;
  } else {
    const back = -ahead;
    if (back >= 64) return; // too old to tell
    if (back < 32) {
      const bit = 1 << back;
      if ((low & bit) !== 0) f[at + Rtp.DUPLICATES]++;
      else low |= bit;
    } else {
      const bit = 1 << (back - 32);
      if ((high & bit) !== 0) f[at + Rtp.DUPLICATES]++;
      else high |= bit;
    }
  }
  f[at + Rtp.WINDOW_LOW] = low;
  f[at + Rtp.WINDOW_HIGH] = high;
}

/**
 * Wireshark's sequence check: the next number, or 65535 then 0, is in order; a jump forward (or
 * a wrap with packets lost, a fall of more than 0xFF00) is an error that moves on; a number not
 * after the last (late or duplicated) is an error that does not. Packets out of timestamp order
 * only count when they are late.
 */
function checkSequence(f: Float64Array, at: number, seq: number, inOrder: boolean): void {
  const last = f[at + Rtp.LAST_SEQ]!;
  // The next number modulo 2^16 (65535 then 0) in one comparison: a separate wrap test, first
  // true at the stream's first wrap, would meet optimized code with no feedback for it (a deopt).
  if (inOrder && ((last + 1) & 0xffff) === seq) {
    f[at + Rtp.LAST_SEQ] = seq;
  } else if (inOrder && (last + 1 < seq || last - seq > 0xff00)) {
    f[at + Rtp.LAST_SEQ] = seq;
    f[at + Rtp.SEQUENCE_ERRORS]++;
  } else if (last + 1 > seq) {
    f[at + Rtp.SEQUENCE_ERRORS]++;
  }
}

/** The figures of the stream whose state is at `at`, as plain data. */
export function rtpFigures(f: Float64Array, at: number, ssrc: number): RtpStatsFigures {
  const packets = f[at + Rtp.PACKETS]!;
  const expected = packets === 0 ? 0 : f[at + Rtp.HIGHEST_EXT_SEQ]! - f[at + Rtp.FIRST_EXT_SEQ]! + 1;
  // The set bits of the four 32-bit words, lowest first: a step per payload type seen, not 128 per
  // stream (the 128-step loop, run for every stream handed over, made V8 compile this function
  // with TurboFan, 50-180 ms of compile for a few milliseconds of work).
  const payloadTypes: number[] = [];
  for (let word = 0; word < 4; word++) {
    let bits = f[at + Rtp.TYPES + word]! | 0;
    while (bits !== 0) {
      const lowest = bits & -bits;
      payloadTypes.push(32 * word + 31 - Math.clz32(lowest));
      bits ^= lowest;
    }
  }
  const minDelta = f[at + Rtp.MIN_DELTA]!;
  const minJitter = f[at + Rtp.MIN_JITTER]!;
  return {
    ssrc,
    packets,
    expected,
    lost: expected - packets,
    sequenceErrors: f[at + Rtp.SEQUENCE_ERRORS]!,
    duplicates: f[at + Rtp.DUPLICATES]!,
    minDeltaMs: minDelta === -1 ? null : minDelta,
    meanDeltaMs: f[at + Rtp.MEAN_DELTA]!,
    maxDeltaMs: f[at + Rtp.MAX_DELTA]!,
    maxDeltaFrame: f[at + Rtp.MAX_DELTA_FRAME]!,
    maxDeltaStartFrame: f[at + Rtp.MAX_DELTA_START_FRAME]!,
    maxDeltaStartSec: f[at + Rtp.MAX_DELTA_START_SEC]!,
    maxDeltaStartNsec: f[at + Rtp.MAX_DELTA_START_NSEC]!,
    maxDeltaEndSec: f[at + Rtp.MAX_DELTA_END_SEC]!,
    maxDeltaEndNsec: f[at + Rtp.MAX_DELTA_END_NSEC]!,
    jitterMs: f[at + Rtp.JITTER]!,
    minJitterMs: minJitter === -1 ? null : minJitter,
    meanJitterMs: f[at + Rtp.MEAN_JITTER]!,
    maxJitterMs: f[at + Rtp.MAX_JITTER]!,
    maxSkewMs: f[at + Rtp.MAX_SKEW]!,
    clockDriftMs: clockDrift(f, at),
    clockRate: f[at + Rtp.CLOCK_RATE]!,
    firstPayloadType: f[at + Rtp.FIRST_PAYLOAD_TYPE]!,
    payloadTypes,
    payloadTypeChanges: f[at + Rtp.PAYLOAD_TYPE_CHANGES]!,
    markers: f[at + Rtp.MARKERS]!,
    bytes: f[at + Rtp.BYTES]!,
    firstFrame: f[at + Rtp.FIRST_FRAME]!,
    lastFrame: f[at + Rtp.LAST_FRAME]!,
    firstSec: f[at + Rtp.FIRST_SEC]!,
    firstNsec: f[at + Rtp.FIRST_NSEC]!,
    lastSec: f[at + Rtp.LAST_SEC]!,
    lastNsec: f[at + Rtp.LAST_NSEC]!,
    durationSec: f[at + Rtp.LAST_SEC]! - f[at + Rtp.FIRST_SEC]! + (f[at + Rtp.LAST_NSEC]! - f[at + Rtp.FIRST_NSEC]!) / 1e9,
  };
}

/**
 * Wireshark's clock drift (rtpstream_info_calculate): the slope x of the least-squares line of
 * nominal against arrival time, x = (n·Σt·TS − Σt·ΣTS) / (n·Σt² − (Σt)²), times the duration to
 * the last in-order packet: duration·(x − 1). Like Wireshark, n is the packet count although
 * the sums leave the first packet out.
 */
function clockDrift(f: Float64Array, at: number): number {
  const n = f[at + Rtp.PACKETS]!;
  const sumT = f[at + Rtp.SUM_T]!;
  if (n === 0 || f[at + Rtp.SUM_T_2]! <= 0) return 0;
  const denominator = n * f[at + Rtp.SUM_T_2]! - sumT * sumT;
  if (denominator === 0) return 0;
  const slope = (n * f[at + Rtp.SUM_T_TS]! - sumT * f[at + Rtp.SUM_TS]!) / denominator;
  return f[at + Rtp.ORDER_TIME_MS]! * (slope - 1);
}
