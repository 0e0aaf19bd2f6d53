/**
 * Per-stream RTP figures as Wireshark's RTP stream analysis computes them: expected and lost from
 * extended sequence numbers, sequence errors, duplicates, deltas over regular packets, RFC 3550
 * A.8 jitter in ms, payload-type changes and markers.
 */
import { describe, expect, it } from 'vitest';
import { clearRtpState, Rtp, rtpFigures, rtpPacket, staticClockRate, STATIC_PAYLOAD_TYPES, type RtpStatsFigures } from '../../../src/parse/media/rtp-stats.js';

interface P {
  seq: number;
  ts?: number;
  pt?: number;
  marker?: boolean;
  /** Arrival in ms. */
  at?: number;
}

/** Feeds packets; by default 20 ms apart with 160 timestamp units each (G.711, 8000 Hz). */
/** One stream's state, alone in its array (the media join keeps every stream's in one, at an offset each). */
class Stream {
  readonly f = new Float64Array(Rtp.SIZE);

  constructor() {
    clearRtpState(this.f, 0);
  }

  packet(...args: Parameters<typeof rtpPacket> extends [Float64Array, number, ...infer Rest] ? Rest : never): void {
    rtpPacket(this.f, 0, ...args);
  }

  figures(): RtpStatsFigures {
    return rtpFigures(this.f, 0, 0);
  }
}

function run(packets: P[], clockRate: (pt: number) => number | null = staticClockRate): Stream {
  const s = new Stream();
  packets.forEach((p, i) => {
    const at = p.at ?? i * 20;
    const pt = p.pt ?? 0;
    s.packet(p.seq & 0xffff, (p.ts ?? p.seq * 160) >>> 0, pt, p.marker ?? false, 1000 + Math.floor(at / 1000), Math.round((at % 1000) * 1e6), i + 1, 172, clockRate(pt) ?? 0);
  });
  return s;
}

const seqs = (from: number, n: number): P[] => Array.from({ length: n }, (_, i) => ({ seq: from + i }));

describe('RTP stream figures', () => {
  it('a clean 20 ms stream: nothing lost, 20 ms deltas, no jitter', () => {
    const f = run(seqs(100, 50)).figures();
    expect([f.packets, f.expected, f.lost, f.sequenceErrors, f.duplicates]).toEqual([50, 50, 0, 0, 0]);
    expect([f.minDeltaMs, f.meanDeltaMs, f.maxDeltaMs]).toEqual([20, 20, 20]);
    expect([f.jitterMs, f.maxJitterMs, f.meanJitterMs]).toEqual([0, 0, 0]);
    expect([f.clockRate, f.firstPayloadType, f.payloadTypes, f.payloadTypeChanges, f.markers, f.bytes]).toEqual([8000, 0, [0], 0, 0, 50 * 172]);
    expect([f.firstFrame, f.lastFrame, f.firstSec, f.lastSec, f.lastNsec, f.durationSec]).toEqual([1, 50, 1000, 1000, 980_000_000, 0.98]);
    expect(Math.abs(f.clockDriftMs)).toBeLessThan(1e-6);
  });

  it('loss: expected from the extended highest number; one sequence error; the gap is the max delta and its frame', () => {
    const packets = seqs(1, 20).filter((p) => p.seq !== 10 && p.seq !== 11);
    packets.forEach((p) => (p.at = (p.seq - 1) * 20));
    const f = run(packets).figures();
    expect([f.packets, f.expected, f.lost, f.sequenceErrors]).toEqual([18, 20, 2, 1]);
    expect(f.maxDeltaMs).toBe(60);
    expect(f.maxDeltaFrame).toBe(10); // the packet with seq 12 is the 10th fed
    expect(f.jitterMs).toBeLessThan(1e-9); // timestamps follow the gap: no jitter
  });

  it('a duplicate: lost goes negative (RFC 3550 §6.4.1), counted as duplicate and sequence error', () => {
    const packets = seqs(1, 10);
    packets.splice(5, 0, { seq: 5 });
    packets.forEach((p, i) => (p.at = i * 20));
    const f = run(packets).figures();
    expect([f.packets, f.expected, f.lost, f.duplicates, f.sequenceErrors]).toEqual([11, 10, -1, 1, 1]);
  });

  it('a late packet is not a duplicate; one seen 70 numbers back is too old to tell', () => {
    const late = run([{ seq: 1 }, { seq: 3 }, { seq: 2, ts: 320 }, { seq: 4 }]).figures();
    expect([late.lost, late.duplicates, late.sequenceErrors]).toEqual([0, 0, 2]);
    const packets = seqs(1, 80);
    packets.push({ seq: 5 });
    expect(run(packets).figures().duplicates).toBe(0);
  });

  it('sequence numbers wrapping past 65535 (RFC 3550 A.1), timestamps past 2^32', () => {
    const packets = seqs(65530, 16).map((p) => ({ ...p, ts: 0xffffff00 + (p.seq - 65530) * 160 }));
    const f = run(packets).figures();
    expect([f.packets, f.expected, f.lost, f.sequenceErrors]).toEqual([16, 16, 0, 0]);
    expect(f.maxJitterMs).toBeLessThan(1e-9);
    expect(f.maxDeltaMs).toBe(20);
  });

  it('jitter per RFC 3550 A.8 in ms: J += (|D| − J) / 16, with the payload type clock rate', () => {
    // Packet 3 arrives 5 ms late, packet 4 on time.
    const packets = seqs(0, 4);
    packets[2]!.at = 45;
    const s = run(packets);
    const j3 = 5 / 16;
    const j4 = (15 * j3 + 5) / 16;
    const f = s.figures();
    expect(f.jitterMs).toBeCloseTo(j4, 12);
    expect(f.maxJitterMs).toBeCloseTo(j4, 12);
    // Wireshark's running mean over packets before: ((n−1)·mean + J)/n with n = 1, 2, 3.
    const mean2 = 0;
    const mean3 = (mean2 * 1 + j3) / 2;
    expect(f.meanJitterMs).toBeCloseTo((mean3 * 2 + j4) / 3, 12);
    expect([f.minDeltaMs, f.maxDeltaMs]).toEqual([15, 25]);
    // A 16 kHz clock (DVI4, PT 6) halves the timestamp step in ms: 160 units is 10 ms, so 20 ms spacing is 10 ms of jitter input each.
    const wide = run(seqs(0, 3).map((p) => ({ ...p, pt: 6 }))).figures();
    expect(wide.jitterMs).toBeCloseTo((10 / 16) * (1 + 15 / 16), 12);
  });

  it('marked packets, comfort noise and the packet after it stay out of the delta and jitter figures', () => {
    const talk = [...seqs(0, 5), { seq: 5, at: 300, ts: 5 * 160 + 1600, marker: true }, { seq: 6, at: 320, ts: 6 * 160 + 1600 }];
    const f = run(talk).figures();
    expect([f.maxDeltaMs, f.markers]).toEqual([20, 1]);
    const cn = [...seqs(0, 3), { seq: 3, pt: 13, at: 60 }, { seq: 4, at: 500, ts: 4 * 160 + 3000 }, { seq: 5, at: 520, ts: 5 * 160 + 3000 }];
    const g = run(cn).figures();
    expect(g.maxDeltaMs).toBe(20);
    expect(g.payloadTypes).toEqual([0, 13]);
    expect(g.payloadTypeChanges).toBe(0); // comfort noise is not a change of the regular payload type
  });

  it('payload type changes, and no jitter for a payload type without a known clock rate', () => {
    const f = run([{ seq: 0 }, { seq: 1 }, { seq: 2, pt: 8 }, { seq: 3, pt: 8 }]).figures();
    expect([f.payloadTypes, f.payloadTypeChanges, f.firstPayloadType]).toEqual([[0, 8], 1, 0]);
    const dynamic = run(
      seqs(0, 4).map((p, i) => ({ ...p, pt: 111, at: i * 20 + (i === 2 ? 7 : 0) })),
      () => null,
    ).figures();
    expect([dynamic.jitterMs, dynamic.maxJitterMs, dynamic.minJitterMs, dynamic.clockRate]).toEqual([0, 0, null, 0]);
    expect(dynamic.maxDeltaMs).toBe(27);
  });

  it('a packet whose timestamp goes back is out of the delta figures and leaves the reference in place', () => {
    const f = run([{ seq: 0 }, { seq: 1 }, { seq: 2, ts: 0, at: 500 }, { seq: 3, at: 60 }]).figures();
    expect(f.maxDeltaMs).toBe(40);
  });

  it('payload types seen, in order, across the four 32-bit words of the set (bit 31 of a word included)', () => {
    const types = [127, 0, 101, 31, 32, 63, 96, 8, 0, 101];
    const f = run(types.map((pt, i) => ({ seq: 10 + i, pt }))).figures();
    expect(f.payloadTypes).toEqual([0, 8, 31, 32, 63, 96, 101, 127]);
    expect(f.firstPayloadType).toBe(127);
  });

  it('a cleared state is a stream with no packet (a slot reused)', () => {
    const s = run(seqs(0, 5));
    clearRtpState(s.f, 0);
    expect(s.figures()).toMatchObject({ packets: 0, expected: 0, lost: 0, bytes: 0, payloadTypes: [] });
  });

  it('the static payload-type table (RFC 3551 §6): G.722 on an 8000 Hz clock, nothing for dynamic types', () => {
    expect([0, 3, 4, 8, 9, 13, 18].map((pt) => [STATIC_PAYLOAD_TYPES.get(pt)?.name, staticClockRate(pt)])).toEqual([
      ['PCMU', 8000],
      ['GSM', 8000],
      ['G723', 8000],
      ['PCMA', 8000],
      ['G722', 8000],
      ['CN', 8000],
      ['G729', 8000],
    ]);
    expect([staticClockRate(96), staticClockRate(101), staticClockRate(72)]).toEqual([null, null, null]);
  });
});
