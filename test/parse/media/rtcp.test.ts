/** Compound RTCP (RFC 3550 §6.4) and XR VoIP metrics (RFC 3611 §4.7): read within bounds, never throwing. */
import { describe, expect, it } from 'vitest';
import { jitterMs, parseRtcp, roundTripMs } from '../../../src/parse/media/rtcp.js';
import { receiverReport, reportBlock, rtcpPacket, sdes, senderReport } from './rtp.js';

const read = (b: Uint8Array) => parseRtcp(b, 0, b.length);

/** An XR packet (RFC 3611 §2) with one VoIP metrics block (§4.7). */
function voipMetricsXr(reporter: number, source: number): Buffer {
  const block = Buffer.alloc(36);
  block[0] = 7;
  block.writeUInt16BE(8, 2);
  block.writeUInt32BE(source, 4);
  block.set([64, 0, 128, 2], 8); // loss 25 %, discard 0, burst density 50 %, gap density
  block.writeUInt16BE(120, 12);
  block.writeUInt16BE(3000, 14);
  block.writeUInt16BE(80, 16); // round trip
  block.writeUInt16BE(40, 18);
  block.set([0xe2, 127, 127, 16, 82, 127, 41, 127, 0, 0], 20); // signal −30 dBm0, noise n/a, RERL n/a, Gmin, R 82, ext R n/a, MOS-LQ 4.1, MOS-CQ n/a
  block.writeUInt16BE(60, 30);
  block.writeUInt16BE(120, 32);
  block.writeUInt16BE(200, 34);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(reporter, 0);
  return rtcpPacket(207, 0, Buffer.concat([head, block]));
}

describe('RTCP', () => {
  it('SR with a report block, then SDES: sender info, NTP middle bits, block fields, signed cumulative loss', () => {
    const sr = senderReport(0xaabbccdd, 0x12345678, 0x9abcdef0, [reportBlock({ ssrc: 0x01020304, fraction: 64, cumulative: -3, highest: 70000, jitter: 80, lsr: 0x56789abc, dlsr: 0x8000 })]);
    const c = read(Buffer.concat([sr, sdes(0xaabbccdd, 'alice@example.com')]));
    expect([c.intact, c.packets]).toEqual([true, 2]);
    expect(c.senderReports).toEqual([{ ssrc: 0xaabbccdd, ntpSec: 0x12345678, ntpFraction: 0x9abcdef0, ntpMiddle: 0x56789abc, rtpTimestamp: 1234, packetCount: 50, octetCount: 8000 }]);
    expect(c.reportBlocks).toEqual([
      { reporterSsrc: 0xaabbccdd, sourceSsrc: 0x01020304, fractionLost: 0.25, cumulativeLost: -3, extendedHighestSeq: 70000, jitter: 80, lastSr: 0x56789abc, delaySinceLastSrSec: 0.5 },
    ]);
  });

  it('RR, BYE and padding on the last packet', () => {
    const rr = receiverReport(7, [reportBlock({ ssrc: 9, cumulative: 0x7fffff }), reportBlock({ ssrc: 10 })]);
    const bye = Buffer.from([0x81, 203, 0, 1, 0, 0, 0, 7]);
    const padded = rtcpPacket(203, 1, Buffer.from([0, 0, 0, 7]), 4);
    const c = read(Buffer.concat([rr, bye, padded]));
    expect(c.intact).toBe(true);
    expect(c.reportBlocks.map((b) => [b.reporterSsrc, b.sourceSsrc, b.cumulativeLost])).toEqual([
      [7, 9, 0x7fffff],
      [7, 10, 0],
    ]);
    expect(c.byes).toEqual([7, 7]);
  });

  it('XR VoIP metrics: fractions, levels, R factor, MOS; 127 is unavailable', () => {
    const c = read(Buffer.concat([receiverReport(5, []), voipMetricsXr(5, 6)]));
    expect(c.voipMetrics).toEqual([
      {
        reporterSsrc: 5,
        sourceSsrc: 6,
        lossRate: 0.25,
        discardRate: 0,
        burstDensity: 0.5,
        gapDensity: 2 / 256,
        burstDurationMs: 120,
        gapDurationMs: 3000,
        roundTripDelayMs: 80,
        endSystemDelayMs: 40,
        signalLevel: -30,
        noiseLevel: null,
        residualEchoReturnLoss: null,
        gmin: 16,
        rFactor: 82,
        externalRFactor: null,
        mosLq: 4.1,
        mosCq: null,
        jitterBufferNominalMs: 60,
        jitterBufferMaximumMs: 120,
        jitterBufferAbsoluteMaximumMs: 200,
      },
    ]);
  });

  it('lengths that do not tile the datagram (SRTCP trailer, damage) are not read; up to 3 stray bytes are let be', () => {
    const rr = receiverReport(7, [reportBlock({ ssrc: 9 })]);
    // SRTCP (RFC 3711 §3.4): E flag and index, then an 80-bit tag.
    const srtcp = Buffer.concat([rr, Buffer.from([0x80, 0, 0, 1]), Buffer.alloc(10, 0xab)]);
    expect(read(srtcp)).toMatchObject({ intact: false, reportBlocks: [] });
    expect(read(Buffer.concat([rr, Buffer.from([0, 0])]))).toMatchObject({ intact: true, packets: 1 });
    expect(read(rr.subarray(0, rr.length - 4)).intact).toBe(false); // the length runs past the end
    expect(read(Buffer.from([0x80, 100, 0, 0])).intact).toBe(false); // not an RTCP packet type
    expect(read(Buffer.alloc(0)).intact).toBe(false);
    // A report count larger than the packet holds: the blocks that fit.
    const short = rtcpPacket(201, 3, Buffer.concat([Buffer.from([0, 0, 0, 7]), reportBlock({ ssrc: 1 })]));
    expect(read(short).reportBlocks.map((b) => b.sourceSsrc)).toEqual([1]);
  });

  it('never throws on random bytes', () => {
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let i = 0; i < 5000; i++) {
      const b = Uint8Array.from({ length: random() % 120 }, random);
      if (b.length > 0) b[0] = 0x80 | (b[0]! & 0x3f);
      if (b.length > 1) b[1] = 200 + (b[1]! % 8);
      expect(() => parseRtcp(b, 0, b.length)).not.toThrow();
    }
  });

  it('round trip from LSR/DLSR on the capture clock (RFC 3550 §6.4.1), jitter in ms with the clock rate', () => {
    expect(roundTripMs(1000, 1600, 0.5)).toBeCloseTo(100, 9);
    expect(roundTripMs(1000, 1400, 0.5)).toBeNull();
    expect(jitterMs(80, 8000)).toBe(10);
    expect(jitterMs(80, 0)).toBeNull();
  });
});
