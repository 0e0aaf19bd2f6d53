/** E-model estimate (ITU-T G.107 simplified): the formula's values at known points. */
import { describe, expect, it } from 'vitest';
import { codecImpairment, estimateQuality, mosFromR } from '../../../src/parse/media/quality.js';

describe('E-model quality estimate', () => {
  it('MOS from R (G.107 Annex B)', () => {
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
    expect(mosFromR(93.2)).toBeCloseTo(1 + 0.035 * 93.2 + 93.2 * 33.2 * 6.8 * 7e-6, 12);
    expect(mosFromR(50)).toBeCloseTo(2.575, 9);
  });

  it('G.711 without loss, RTT or jitter: only the 10 ms codec delay impairs', () => {
    const q = estimateQuality({ codec: codecImpairment('PCMU')!, lossPercent: 0, rttMs: null, jitterMs: 0 });
    expect(q.delayMs).toBe(10);
    expect(q.r).toBeCloseTo(93.2 - 0.24, 12);
    expect(q.mos).toBeCloseTo(4.4046, 4);
  });

  it('loss through Ie,eff with BurstR 1; delay past 177.3 ms adds the second term', () => {
    const lossy = estimateQuality({ codec: codecImpairment('pcma')!, lossPercent: 2, rttMs: 100, jitterMs: 5 });
    expect(lossy.delayMs).toBe(70);
    expect(lossy.effectiveEquipmentImpairment).toBeCloseTo((95 * 2) / (2 + 25.1), 12);
    expect(lossy.r).toBeCloseTo(93.2 - 0.024 * 70 - (95 * 2) / 27.1, 12);
    const far = estimateQuality({ codec: codecImpairment('G729')!, lossPercent: 0, rttMs: 400, jitterMs: 0 });
    expect(far.delayImpairment).toBeCloseTo(0.024 * 210 + 0.11 * (210 - 177.3), 12);
    expect(far.effectiveEquipmentImpairment).toBe(11);
    expect(estimateQuality({ codec: codecImpairment('pcmu')!, lossPercent: -3, rttMs: null, jitterMs: 0 }).effectiveEquipmentImpairment).toBe(0);
  });

  it('codecs without constants (wideband, unknown) get none', () => {
    expect([codecImpairment('G722'), codecImpairment('opus'), codecImpairment('')]).toEqual([null, null, null]);
    expect(codecImpairment('G723')).toEqual({ ie: 15, bpl: 16.1 });
  });
});
