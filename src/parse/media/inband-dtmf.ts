/**
 * DTMF sent in-band: key tones in G.711 audio (PCMU, PCMA), found with the Goertzel algorithm
 * over blocks of 102 samples (12.75 ms at 8000 Hz: the block common software detectors use, for
 * which the eight keypad frequencies fall close to the centres of their bins).
 *
 * A key is two sines, one of the low group and one of the high group (ITU-T Q.23). A block holds
 * a key when, as ITU-T Q.24 asks a receiver to check:
 * - each of the two strongest bins, one per group, is at least MIN_TONE_DBM0;
 * - the twist (high-group level over low-group level) is between −8 dB and +4 dB;
 * - each is at least 6 dB above every other bin of its group;
 * - together they hold at least 80 % of the block's energy (speech and music spread theirs).
 * A digit begins after 2 blocks in a row with the same key (25.5 ms: Q.24 has a receiver accept
 * tones of 40 ms, any of which covers two whole blocks) and ends after 2 blocks without it (a
 * pause between keys lasts 40 ms or more). Its time is the first packet of its first block.
 *
 * Cost: per packet whose audio is loud enough to hold a key (a sum of squares over a quarter of
 * its samples decides), eight filter updates per sample; quiet packets cost that sum only. The
 * join runs it only on streams whose SDP also offered RFC 4733 events, the case where in-band
 * digits are a finding (join.ts).
 */

/** ITU-T Q.23: the keypad's low-group (rows) and high-group (columns) frequencies, Hz. */
const LOW = [697, 770, 852, 941] as const;
const HIGH = [1209, 1336, 1477, 1633] as const;
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

const SAMPLE_RATE = 8000;
const BLOCK = 102;
/** Goertzel coefficients 2·cos(2πf/fs), low group then high group. */
const COEFFICIENTS = Float64Array.from([...LOW, ...HIGH], (f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));

/** G.711 decoding tables (ITU-T G.711), to the 16-bit linear scale of the reference code. */
export const ULAW_TO_LINEAR = Int16Array.from({ length: 256 }, (_, byte) => {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return (u & 0x80) !== 0 ? 0x84 - t : t - 0x84;
});
export const ALAW_TO_LINEAR = Int16Array.from({ length: 256 }, (_, byte) => {
  const a = byte ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  t = segment === 0 ? t + 8 : (t + 0x108) << (segment - 1);
  return (a & 0x80) !== 0 ? t : -t;
});

/**
 * Mean power of a 0 dBm0 sine on that scale: a full-scale G.711 sine (peak 32,124) is +3.17
 * dBm0 (G.711 §2), so 0 dBm0 has peak 22,302 and mean square 22,302² / 2.
 */
const ZERO_DBM0_POWER = (22302 * 22302) / 2;
const dbm0 = (db: number): number => ZERO_DBM0_POWER * 10 ** (db / 10);

/** Each tone of a key at least this loud (Q.24's receivers accept keys well above it; speech pauses and line noise are far below). */
const MIN_TONE_DBM0 = -30;
const MIN_TONE_POWER = dbm0(MIN_TONE_DBM0);
/** A block whose mean power is below two tones at the minimum holds no key; the cheap check runs on every 4th sample, with 6 dB of margin for its estimate. */
const QUIET_POWER = 2 * dbm0(MIN_TONE_DBM0 - 6);
const HIGH_OVER_LOW_MAX = 10 ** (4 / 10);
const HIGH_OVER_LOW_MIN = 10 ** (-8 / 10);
const RELATIVE_PEAK = 10 ** (6 / 10);
const TONES_SHARE = 0.8;
const HITS_TO_BEGIN = 2;
const MISSES_TO_END = 2;

export interface InbandDigit {
  /** '0'-'9', '*', '#', 'A'-'D'. */
  readonly key: string;
  /** Capture time and frame of the packet where the digit's first block began. */
  readonly sec: number;
  readonly nsec: number;
  readonly frame: number;
  /** Whole blocks that held it, in ms. */
  readonly durationMs: number;
}

/** Per byte of each law: 1 when that sample's power alone is below QUIET_POWER. */
const ALAW_QUIET_SAMPLE = Uint8Array.from(ALAW_TO_LINEAR, (x) => (x * x < QUIET_POWER ? 1 : 0));
const ULAW_QUIET_SAMPLE = Uint8Array.from(ULAW_TO_LINEAR, (x) => (x * x < QUIET_POWER ? 1 : 0));

/**
 * The byte that G.711 sends for the quietest level (sign bit aside): A-law inverts its even bits
 * (G.711 Table 1a), μ-law all of them (Table 2a). A byte XORed with it shows the segment in bits
 * 4-6; segment 0 is |x| ≤ 248 on the A-law scale, ≤ 120 on the μ-law one (the tables above), a
 * power below QUIET_POWER (|x| < 353) for every sample.
 */
const ALAW_FLIP = 0x55;
const ULAW_FLIP = 0xff;
const SEGMENT_BITS = 0x70;

/** The G.711 payload b[start, end) (start < end) is too quiet to hold a key: its mean power over every 4th sample is below QUIET_POWER. */
export function isQuiet(b: Uint8Array, start: number, end: number, table: Int16Array): boolean {
  // The join runs this on every packet of a G.711 stream that offered RFC 4733 (the check was a
  // quarter of its time per packet), and most packets of a call are pauses in speech: when every
  // sampled byte is in segment 0, each sample and so their mean is below the threshold, told with
  // one OR per sample. Failing that, the same from the per-byte table (quiet samples of higher
  // segments), then the sum of squares, which decides.
  const quietSample = table === ALAW_TO_LINEAR ? ALAW_QUIET_SAMPLE : table === ULAW_TO_LINEAR ? ULAW_QUIET_SAMPLE : null;
  if (quietSample !== null) {
    const flip = quietSample === ALAW_QUIET_SAMPLE ? ALAW_FLIP : ULAW_FLIP;
    let segments = 0;
    let i = start;
    // Four samples an iteration, then the rest one by one (the same bytes): TurboFan checks the
    // array's map, reloads its length and checks for interrupts once an iteration, not once a sample
    // (perf annotate of the 1 GB capture: that loop was about half of the join's rtp self time).
    for (; i + 12 < end; i += 16) segments |= (b[i]! ^ flip) | (b[i + 4]! ^ flip) | (b[i + 8]! ^ flip) | (b[i + 12]! ^ flip);
    for (; i < end; i += 4) segments |= b[i]! ^ flip;
    if ((segments & SEGMENT_BITS) === 0) return true;
    let all = 1;
    for (let i = start; i < end; i += 4) all &= quietSample[b[i]!]!;
    if (all === 1) return true;
  }
  let sum = 0;
  let n = 0;
  for (let i = start; i < end; i += 4, n++) {
    const x = table[b[i]!]!;
    sum += x * x;
  }
  return sum / n < QUIET_POWER;
}

/** The key tones of one stream's audio, bounded: past `limit` digits only `dropped` grows. */
export class InbandDtmfDetector {
  readonly digits: InbandDigit[] = [];
  dropped = 0;

  /** Goertzel state s1, s2 per frequency (8 each), then the block's energy. */
  private readonly s = new Float64Array(17);
  /** The eight bins' mean power of the last block (reused). */
  private readonly power = new Float64Array(8);
  private filled = 0;
  private blockSec = 0;
  private blockNsec = 0;
  private blockFrame = 0;
  /** The key of the last block(s) and how many in a row; the digit being heard, its start, blocks and misses. */
  private candidate = -1;
  private hits = 0;
  private current = -1;
  private currentSec = 0;
  private currentNsec = 0;
  private currentFrame = 0;
  private currentBlocks = 0;
  private misses = 0;
  private pendingSec = 0;
  private pendingNsec = 0;
  private pendingFrame = 0;

  constructor(private readonly limit = 1000) {}

  /**
   * The G.711 payload b[start, end) of one packet (`table` decodes its law) with its capture time
   * and frame. Packets too quiet to hold a key are not filtered: they end the block and count as
   * blocks without a key.
   */
  packet(b: Uint8Array, start: number, end: number, table: Int16Array, sec: number, nsec: number, frame: number): void {
    if (start >= end) return;
    if (isQuiet(b, start, end, table)) {
      this.filled = 0;
      this.s.fill(0);
      if (this.current !== -1 || this.hits > 0) for (let blocks = Math.max(1, Math.floor((end - start) / BLOCK)); blocks > 0; blocks--) this.block(-1);
      return;
    }
    const s = this.s;
    let i = start;
    while (i < end) {
      if (this.filled === 0) {
        this.blockSec = sec;
        this.blockNsec = nsec;
        this.blockFrame = frame;
      }
      const take = Math.min(BLOCK - this.filled, end - i);
      this.filter(b, i, i + take, table);
      i += take;
      this.filled += take;
      if (this.filled === BLOCK) {
        this.block(this.keyOfBlock());
        this.filled = 0;
        s.fill(0);
      }
    }
  }

  /** Eight Goertzel filters over b[from, to), the state in locals (one pass over the samples). */
  private filter(b: Uint8Array, from: number, to: number, table: Int16Array): void {
    const s = this.s;
    const c0 = COEFFICIENTS[0]!, c1 = COEFFICIENTS[1]!, c2 = COEFFICIENTS[2]!, c3 = COEFFICIENTS[3]!;
    const c4 = COEFFICIENTS[4]!, c5 = COEFFICIENTS[5]!, c6 = COEFFICIENTS[6]!, c7 = COEFFICIENTS[7]!;
    let a0 = s[0]!, b0 = s[1]!, a1 = s[2]!, b1 = s[3]!, a2 = s[4]!, b2 = s[5]!, a3 = s[6]!, b3 = s[7]!;
    let a4 = s[8]!, b4 = s[9]!, a5 = s[10]!, b5 = s[11]!, a6 = s[12]!, b6 = s[13]!, a7 = s[14]!, b7 = s[15]!;
    let energy = s[16]!;
    for (let i = from; i < to; i++) {
      const x = table[b[i]!]!;
      energy += x * x;
      let t = x + c0 * a0 - b0; b0 = a0; a0 = t;
      t = x + c1 * a1 - b1; b1 = a1; a1 = t;
      t = x + c2 * a2 - b2; b2 = a2; a2 = t;
      t = x + c3 * a3 - b3; b3 = a3; a3 = t;
      t = x + c4 * a4 - b4; b4 = a4; a4 = t;
      t = x + c5 * a5 - b5; b5 = a5; a5 = t;
      t = x + c6 * a6 - b6; b6 = a6; a6 = t;
      t = x + c7 * a7 - b7; b7 = a7; a7 = t;
    }
    s[0] = a0; s[1] = b0; s[2] = a1; s[3] = b1; s[4] = a2; s[5] = b2; s[6] = a3; s[7] = b3;
    s[8] = a4; s[9] = b4; s[10] = a5; s[11] = b5; s[12] = a6; s[13] = b6; s[14] = a7; s[15] = b7;
    s[16] = energy;
  }

  /** The key a full block holds (index into the keypad, row·4 + column), or −1. */
  private keyOfBlock(): number {
    const s = this.s;
    // Goertzel power of bin k: s1² + s2² − c·s1·s2; a sine of mean power P gives P·N²/2 in its bin.
    const toMeanPower = 2 / (BLOCK * BLOCK);
    let row = 0;
    let col = 4;
    const power = this.power;
    for (let k = 0; k < 8; k++) {
      const s1 = s[2 * k]!;
      const s2 = s[2 * k + 1]!;
      power[k] = (s1 * s1 + s2 * s2 - COEFFICIENTS[k]! * s1 * s2) * toMeanPower;
      if (k < 4 && power[k]! > power[row]!) row = k;
      if (k >= 4 && power[k]! > power[col]!) col = k;
    }
    const low = power[row]!;
    const high = power[col]!;
    if (low < MIN_TONE_POWER || high < MIN_TONE_POWER) return -1;
    if (high > low * HIGH_OVER_LOW_MAX || high < low * HIGH_OVER_LOW_MIN) return -1;
    for (let k = 0; k < 8; k++) {
      if (k === row || k === col) continue;
      if (power[k]! * RELATIVE_PEAK > (k < 4 ? low : high)) return -1;
    }
    if (low + high < TONES_SHARE * (s[16]! / BLOCK)) return -1;
    return row * 4 + (col - 4);
  }

  /** One block's verdict into the digit being heard. */
  private block(key: number): void {
    if (key !== -1 && key === this.candidate) {
      this.hits++;
    } else {
      this.candidate = key;
      this.hits = key === -1 ? 0 : 1;
      this.pendingSec = this.blockSec;
      this.pendingNsec = this.blockNsec;
      this.pendingFrame = this.blockFrame;
    }
    if (this.current !== -1) {
      if (key === this.current) {
        this.currentBlocks++;
        this.misses = 0;
        return;
      }
      if (++this.misses < MISSES_TO_END) return;
      this.emit();
    }
    if (this.candidate !== -1 && this.hits >= HITS_TO_BEGIN) {
      this.current = this.candidate;
      this.currentSec = this.pendingSec;
      this.currentNsec = this.pendingNsec;
      this.currentFrame = this.pendingFrame;
      this.currentBlocks = this.hits;
      this.misses = 0;
    }
  }

  /** Nothing is held: no partial block, no key being heard or confirmed. A quiet packet leaves such a detector as it is (so the caller may skip it). */
  get idle(): boolean {
    return this.filled === 0 && this.current === -1 && this.hits === 0;
  }

  /** The stream is over: a digit still heard is reported. */
  finish(): void {
    if (this.current !== -1) this.emit();
  }

  private emit(): void {
    const key = this.current;
    this.current = -1;
    this.misses = 0;
    if (this.digits.length >= this.limit) {
      this.dropped++;
      return;
    }
    this.digits.push({
      key: KEYPAD[key >> 2]![key & 3]!,
      sec: this.currentSec,
      nsec: this.currentNsec,
      frame: this.currentFrame,
      durationMs: (this.currentBlocks * BLOCK * 1000) / SAMPLE_RATE,
    });
  }
}
