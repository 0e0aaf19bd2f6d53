/** Key tones in G.711 audio (inband-dtmf.ts): Q.23 keys found with their times, and what is not a key left alone. */
import { describe, expect, it } from 'vitest';
import { ALAW_TO_LINEAR, InbandDtmfDetector, isQuiet, ULAW_TO_LINEAR } from '../../../src/parse/media/inband-dtmf.js';

const ROWS = [697, 770, 852, 941];
const COLS = [1209, 1336, 1477, 1633];
const KEYPAD = ['123A', '456B', '789C', '*0#D'];

/** Peak of a sine at `dbm0` on the 16-bit scale (0 dBm0: peak 22,302, G.711). */
const peak = (dbm0: number): number => 22302 * 10 ** (dbm0 / 20);

/** The G.711 code nearest each sample, searched in the decoding table (a test needs no fast encoder). */
function encoder(table: Int16Array): (x: number) => number {
  const codes = [...table.keys()].sort((a, b) => table[a]! - table[b]!);
  return (x) => {
    let lo = 0;
    let hi = codes.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (table[codes[mid]!]! <= x) lo = mid;
      else hi = mid;
    }
    return Math.abs(table[codes[lo]!]! - x) <= Math.abs(table[codes[hi]!]! - x) ? codes[lo]! : codes[hi]!;
  };
}

interface Segment {
  readonly ms: number;
  /** Sines as [Hz, dBm0]; none is silence. */
  readonly tones: readonly (readonly [number, number])[];
}

const key = (k: string, ms: number, low = -8, high = -8): Segment => {
  const r = KEYPAD.findIndex((row) => row.includes(k));
  return { ms, tones: [[ROWS[r]!, low], [COLS[KEYPAD[r]!.indexOf(k)]!, high]] };
};
const silence = (ms: number): Segment => ({ ms, tones: [] });

/** Audio of the segments in packets of `packetMs` (20 ms: 160 samples), fed to a detector; frame i+1 at i·packetMs. */
function detect(segments: readonly Segment[], table = ALAW_TO_LINEAR, packetMs = 20): InbandDtmfDetector {
  const encode = encoder(table);
  const samples: number[] = [];
  for (const seg of segments) {
    for (let i = 0; i < seg.ms * 8; i++) {
      const t = samples.length / 8000;
      samples.push(seg.tones.reduce((sum, [hz, db]) => sum + peak(db) * Math.sin(2 * Math.PI * hz * t), 0));
    }
  }
  const detector = new InbandDtmfDetector();
  const perPacket = packetMs * 8;
  for (let at = 0, frame = 1; at < samples.length; at += perPacket, frame++) {
    const payload = Uint8Array.from(samples.slice(at, at + perPacket), encode);
    const ms = (frame - 1) * packetMs;
    detector.packet(payload, 0, payload.length, table, 1000 + Math.floor(ms / 1000), (ms % 1000) * 1e6, frame);
  }
  detector.finish();
  return detector;
}

describe('in-band DTMF (Goertzel over G.711)', () => {
  it('finds each of the 16 keys of a 100 ms tone, at the packet where it starts, in A-law and µ-law', () => {
    for (const table of [ALAW_TO_LINEAR, ULAW_TO_LINEAR]) {
      for (const k of KEYPAD.join('')) {
        const { digits } = detect([silence(200), key(k, 100), silence(200)], table);
        expect(digits.map((d) => d.key), k).toEqual([k]);
        // The tone starts at 200 ms, the first packet of frame 11; the block holding its start may begin there.
        expect(digits[0]!.frame).toBe(11);
        expect(digits[0]!.durationMs).toBeGreaterThanOrEqual(76);
        expect(digits[0]!.durationMs).toBeLessThanOrEqual(102);
      }
    }
  });

  it('a sequence of keys with 100 ms pauses, the same key twice, over 30 ms packets; each at the packet holding its start (tones at 100, 300, 500, 700 ms)', () => {
    const { digits } = detect([silence(100), key('1', 100), silence(100), key('5', 100), silence(100), key('5', 100), silence(100), key('#', 100), silence(100)], ALAW_TO_LINEAR, 30);
    expect(digits.map((d) => d.key).join('')).toBe('155#');
    expect(digits.map((d) => [d.sec, Math.round(d.nsec / 1e6)])).toEqual([
      [1000, 90],
      [1000, 300],
      [1000, 480],
      [1000, 690],
    ]);
  });

  it('keys at the edges Q.24 accepts: a 40 ms tone; twist +4 dB and −8 dB; each tone at −25 dBm0', () => {
    expect(detect([silence(100), key('8', 40), silence(100)]).digits.map((d) => d.key)).toEqual(['8']);
    expect(detect([silence(100), key('8', 100, -10, -6.5), silence(100)]).digits.map((d) => d.key)).toEqual(['8']);
    expect(detect([silence(100), key('8', 100, -4, -11.5), silence(100)]).digits.map((d) => d.key)).toEqual(['8']);
    expect(detect([silence(100), key('8', 100, -25, -25), silence(100)]).digits.map((d) => d.key)).toEqual(['8']);
  });

  it('not a key: one tone, two tones of one group, a twist past 4 or 8 dB, tones too quiet, a tone too short, a chord with a third tone', () => {
    const none = (segments: readonly Segment[]) => detect([silence(100), ...segments, silence(100)]).digits;
    expect(none([{ ms: 500, tones: [[425, -10]] }])).toEqual([]);
    expect(none([{ ms: 200, tones: [[697, -8], [852, -8]] }])).toEqual([]);
    expect(none([key('8', 200, -12, -6)])).toEqual([]);
    expect(none([key('8', 200, -4, -14)])).toEqual([]);
    expect(none([key('8', 200, -36, -36)])).toEqual([]);
    expect(none([key('8', 20)])).toEqual([]);
    expect(none([{ ms: 200, tones: [[852, -10], [1477, -10], [400, -10]] }])).toEqual([]);
  });

  it('quiet audio costs no filtering and ends a digit; digits past the bound are counted', () => {
    const detector = new InbandDtmfDetector(2);
    const encode = encoder(ALAW_TO_LINEAR);
    let frame = 1;
    const feed = (seg: Segment) => {
      for (let p = 0; p < seg.ms / 20; p++) {
        const payload = Uint8Array.from({ length: 160 }, (_, i) => encode(seg.tones.reduce((sum, [hz, db]) => sum + peak(db) * Math.sin((2 * Math.PI * hz * (p * 160 + i)) / 8000), 0)));
        detector.packet(payload, 0, 160, ALAW_TO_LINEAR, 0, frame * 20e6, frame++);
      }
    };
    for (const k of '1234') {
      feed(key(k, 100));
      feed(silence(100));
    }
    detector.finish();
    expect([detector.digits.map((d) => d.key), detector.dropped]).toEqual([['1', '2'], 2]);
  });

  it('isQuiet says what the mean power of every 4th sample says, whatever shortcut decides (segment 0, the per-byte table, the sum)', () => {
    // The definition: the mean square of samples start, start + 4, ... below two tones at −36 dBm0
    // (a 0 dBm0 sine has peak 22,302, so mean square 22,302² / 2).
    const threshold = 2 * ((22302 * 22302) / 2) * 10 ** (-36 / 10);
    const byDefinition = (b: Uint8Array, table: Int16Array): boolean => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < b.length; i += 4, n++) sum += table[b[i]!]! ** 2;
      return sum / n < threshold;
    };
    let seed = 7;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const verdicts = new Set<string>();
    for (const table of [ALAW_TO_LINEAR, ULAW_TO_LINEAR]) {
      // Every byte alone, repeated; then payloads mixing a quiet base with a few bytes of any level.
      const payloads = [...table.keys()].map((byte) => new Uint8Array(160).fill(byte));
      for (let k = 0; k < 2000; k++) {
        const base = payloads[Math.floor(random() * 256)]!;
        const p = base.slice();
        for (let j = Math.floor(random() * 4); j > 0; j--) p[4 * Math.floor(random() * 40)] = Math.floor(random() * 256);
        payloads.push(p);
      }
      for (const p of payloads) {
        const expected = byDefinition(p, table);
        expect(isQuiet(p, 0, p.length, table)).toBe(expected);
        verdicts.add(String(expected));
      }
    }
    expect([...verdicts].sort()).toEqual(['false', 'true']);
  });

  it('isQuiet reads every 4th sample of any length and start, the last ones too (its first loop takes four at a time)', () => {
    // A quiet payload with one loud sample at each sampled place in turn, at every length up to
    // 70 bytes and four starts inside a larger buffer: the loud sample is heard wherever it is,
    // and a loud byte between the sampled ones or outside the payload is not.
    for (const [table, quiet, loud] of [[ALAW_TO_LINEAR, 0xd5, 0xaa], [ULAW_TO_LINEAR, 0xff, 0x80]] as const) {
      expect(isQuiet(new Uint8Array(8).fill(quiet), 0, 8, table)).toBe(true);
      for (let length = 1; length <= 70; length++) {
        for (let start = 0; start < 4; start++) {
          for (let at = 0; at < length; at++) {
            const b = new Uint8Array(start + length + 8).fill(loud);
            b.fill(quiet, start, start + length);
            b[start + at] = loud;
            expect(isQuiet(b, start, start + length, table)).toBe(at % 4 !== 0);
          }
        }
      }
    }
  });
});
