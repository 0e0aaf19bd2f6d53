/**
 * A listening-quality estimate from a stream's figures: the E-model of ITU-T G.107 (06/2015),
 * reduced to what a capture shows (docs/media.md, "Quality estimate", says the same):
 *
 *   R   = R0 − Is − Id − Ie,eff + A, with R0 − Is = 93.2 (G.107 with every default value) and A = 0
 *   Id  = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3), H the step function (Cole and Rosenbluth,
 *         "Voice over IP performance monitoring", 2001: G.107's delay impairment with default echo)
 *   d   = RTT/2 (0 without an RTCP round trip) + 2·jitter (the jitter buffer assumed) + 10 ms (codec)
 *   Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl/BurstR + Bpl) (G.107 §7.4 eq. 7-29), Ppl the loss in %,
 *         BurstR = 1 (random loss: a capture does not show the jitter buffer's discards or bursts)
 *   MOS = 1 for R < 0, 4.5 for R > 100, else 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶ (G.107 Annex B)
 *
 * Ie and Bpl are the planning values of ITU-T G.113 Appendix I for narrowband codecs only:
 * G.711 with packet loss concealment (Ie 0, Bpl 25.1), G.729A with VAD (Ie 11, Bpl 19.0),
 * G.723.1 6.3 kbit/s with VAD (Ie 15, Bpl 16.1). Wideband codecs (G.722, Opus, AMR-WB) need the
 * wideband E-model (G.107.1, another R scale) and get no estimate.
 */

export interface CodecImpairment {
  /** Equipment impairment factor without loss (G.113 Appendix I). */
  readonly ie: number;
  /** Packet-loss robustness factor (G.113 Appendix I). */
  readonly bpl: number;
}

/** By encoding name in lower case, as SDP rtpmap and RFC 3551 name them. */
const CODECS: ReadonlyMap<string, CodecImpairment> = new Map([
  ['pcmu', { ie: 0, bpl: 25.1 }],
  ['pcma', { ie: 0, bpl: 25.1 }],
  ['g729', { ie: 11, bpl: 19.0 }],
  ['g723', { ie: 15, bpl: 16.1 }],
]);

/** The impairment constants of an encoding (rtpmap name, any case), or null when the model has none for it. */
export function codecImpairment(encodingName: string): CodecImpairment | null {
  return CODECS.get(encodingName.toLowerCase()) ?? null;
}

export interface QualityInput {
  readonly codec: CodecImpairment;
  /** Packets lost, in percent of those expected (negative values count as 0). */
  readonly lossPercent: number;
  /** RTCP round-trip time in ms, or null when no report gave one. */
  readonly rttMs: number | null;
  /** Jitter in ms (the stream's mean jitter is the usual choice). */
  readonly jitterMs: number;
}

export interface QualityEstimate {
  readonly r: number;
  readonly mos: number;
  /** The one-way delay assumed, in ms. */
  readonly delayMs: number;
  readonly delayImpairment: number;
  readonly effectiveEquipmentImpairment: number;
}

const R0_MINUS_IS = 93.2;
const CODEC_DELAY_MS = 10;
const BURST_RATIO = 1;

/** MOS-CQE from R (ITU-T G.107 Annex B, eq. B-4). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export function estimateQuality(input: QualityInput): QualityEstimate {
  const d = (input.rttMs ?? 0) / 2 + 2 * Math.max(0, input.jitterMs) + CODEC_DELAY_MS;
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const ppl = Math.max(0, input.lossPercent);
  const { ie, bpl } = input.codec;
  const ieEff = ie + ((95 - ie) * ppl) / (ppl / BURST_RATIO + bpl);
  const r = R0_MINUS_IS - id - ieEff;
  return { r, mos: mosFromR(r), delayMs: d, delayImpairment: id, effectiveEquipmentImpairment: ieEff };
}
