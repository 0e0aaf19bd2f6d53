/** The caseless codec compare of src/annotate/media.ts: the same answer as comparing codecKey's lowered keys. */
import { describe, expect, it } from 'vitest';
import { codecKey, isMainCodec, sameCaseless, sameCodec } from '../../src/annotate/media.js';
import type { Codec } from '../../src/parse/sip/sdp.js';

const codec = (name: string, rate: number | null = 8000): Codec => ({ payload: 96, name, rate });

const NAMES = [
  'PCMU', 'pcmu', 'PcMu', 'PCMA', 'opus', 'OPUS', 'G729', 'g729', 'G722', 'telephone-event', 'TELEPHONE-EVENT',
  'CN', 'cn', 'Cn', 'RED', 'ulpfec', 'RTX', '', 'K', 'k', '\u212A', '\u212Aa', 'ka', 'KA', 'İ', 'i\u0307', 'I\u0307', 'i',
  'ΑΣ', 'ας', 'ασ', 'Σ', 'σ', 'ς', 'é', 'É', 'e', 'ß', 'SS', '@', '[', '`', '{', 'A@', 'a`',
];

describe('sameCaseless', () => {
  it('agrees with toLowerCase on ASCII and non-ASCII names of equal and unequal length', () => {
    for (const a of NAMES) {
      for (const b of NAMES) expect(sameCaseless(a, b), `${a} / ${b}`).toBe(a.toLowerCase() === b.toLowerCase());
    }
  });

  it('takes the Kelvin sign for a k, as toLowerCase does', () => {
    expect(sameCaseless('\u212A', 'k')).toBe(true);
    expect(sameCaseless('\u212A', 'K')).toBe(true);
    expect(sameCaseless('İ', 'i\u0307')).toBe(true);
  });
});

describe('sameCodec and isMainCodec', () => {
  it('match codecKey and the lowered auxiliary names', () => {
    const rates = [8000, 16000, 48000, 0, null];
    const codecs = NAMES.flatMap((n) => rates.map((r) => codec(n, r)));
    for (const a of codecs) {
      for (const b of codecs) expect(sameCodec(a, b)).toBe(codecKey(a) === codecKey(b));
      expect(isMainCodec(a), a.name).toBe(!['telephone-event', 'cn', 'red', 'ulpfec', 'rtx'].includes(a.name.toLowerCase()));
    }
    // Non-ASCII names are lowered in full: the Kelvin sign is a k, not an auxiliary name.
    expect(isMainCodec(codec('\u212A'))).toBe(true);
    expect(isMainCodec(codec('C\u0130'))).toBe(true);
  });
});
