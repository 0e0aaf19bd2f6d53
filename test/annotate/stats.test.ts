import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { renderStatisticsText } from '../../src/present/render/stats.js';
import { computeStatistics, distribution, percentile } from '../../src/present/stats.js';
import { buildTimeline } from '../../src/present/timeline.js';
import { CORPUS_PCAP_DIR } from '../support/captures.js';

describe('statistics', () => {
  it('percentiles are nearest-rank: always a measured value', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect([percentile(sorted, 0), percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 100)]).toEqual([10, 50, 100, 100]);
    expect(percentile([], 50)).toBeNull();
    expect(distribution([3, 1, 2])).toEqual({ count: 3, min: 1, median: 2, p95: 3, max: 3 });
    expect(distribution([])).toEqual({ count: 0, min: null, median: null, p95: null, max: null });
  });

  it('counts calls by type and outcome, ASR and NER over INVITE calls, and the timing distributions', async () => {
    const s = computeStatistics(buildTimeline(await analyze(['samples/demo.pcap'])));
    expect(s).toMatchObject({ calls: 3, messages: 15, byType: { call: 2, registration: 1 }, seizures: 2, answered: 1, asr: 0.5, ner: 0.5 });
    expect(s.postDialDelayMs).toEqual({ count: 1, min: 85, median: 85, p95: 85, max: 85 });
    expect(s.setupMs.median).toBe(2400);
    expect(s.talkMs.count).toBe(1);
  });

  it('gives response codes by method and request → response times per peer, on every hop', async () => {
    const s = computeStatistics(buildTimeline(await analyze(['fixtures/real/kamailio-proxy-call.pcap'])));
    expect(s.responses).toEqual([
      { method: 'BYE', statuses: [{ status: 200, count: 2 }] },
      { method: 'INVITE', statuses: [{ status: 100, count: 1 }, { status: 180, count: 2 }, { status: 200, count: 2 }] },
    ]);
    expect(s.responseTimes.map((t) => `${t.peer} ${t.method} ${t.requests}/${t.unanswered}`)).toEqual([
      '127.0.0.1:5060 BYE 1/0',
      '127.0.0.1:5060 INVITE 1/0',
      '127.0.0.1:5070 BYE 1/0',
      '127.0.0.1:5070 INVITE 1/0',
    ]);
  });

  it('counts retransmissions and unanswered requests', async () => {
    const s = computeStatistics(buildTimeline(await analyze(['fixtures/real/sipp-retransmit-no-answer.pcap'])));
    expect(s.retransmissions).toEqual({ total: 4, byMessage: [{ message: 'INVITE', count: 4 }] });
    expect(s.responseTimes).toEqual([{ peer: '127.0.0.1:5060', method: 'INVITE', requests: 1, unanswered: 1, count: 0, min: null, median: null, p95: null, max: null }]);
    expect(s.asr).toBe(0);
    expect(renderStatisticsText(s)).toContain('Retransmissions: 4 (INVITE ×4)');
  });

  it('has no ratio without INVITE calls', async () => {
    const s = computeStatistics(buildTimeline(await analyze(['fixtures/real/sipp-options-ping.pcap'])));
    expect(s.asr).toBeNull();
    expect(renderStatisticsText(s)).toContain('ASR — · NER —');
  });
});

describe('media statistics', () => {
  it('gives MOS, loss and mean jitter over all streams (tshark: 12 of 236 lost, mean jitter 9.02 and 0.52 ms)', async () => {
    const s = computeStatistics(buildTimeline(await analyze(['fixtures/media/sipp-rtp-loss-jitter.pcap'])));
    expect(s.media.streams).toBe(2);
    expect(s.media.lossPercent).toMatchObject({ count: 2, min: 0 });
    expect(s.media.lossPercent.max).toBeCloseTo(5.085, 2);
    expect(s.media.meanJitterMs.count).toBe(2);
    expect(s.media.meanJitterMs.max).toBeGreaterThan(8.5);
    expect(s.media.meanJitterMs.max).toBeLessThan(9.5);
    expect(s.media.mos.count).toBe(2);
    expect(s.media.mos.min).toBeLessThan(s.media.mos.max!);
    const text = renderStatisticsText(s);
    expect(text).toMatch(/Media \(2 streams\)\n.*streams.*min.*median.*p95.*max\n\s+MOS \(E-model estimate\)\s+2 /);
    expect(text).toMatch(/loss \(% of expected\)\s+2\s+0\.0 %.*5\.1 %\n/);
  });

  it.skipIf(!existsSync(join(CORPUS_PCAP_DIR, 'gprshome-wireshark-sip-icmp-rtp.pcap')))('counts a stream once when two legs of one call share it (a B2BUA passing media between the phones)', async () => {
    const s = computeStatistics(buildTimeline(await analyze([join(CORPUS_PCAP_DIR, 'gprshome-wireshark-sip-icmp-rtp.pcap')])));
    // Calls 7 and 8 are the two legs; each has both directions of the same two streams.
    expect(s.media.streams).toBe(2);
    expect(s.media.mos.count).toBe(2);
  });

  it('says nothing of media when the calls have no stream', async () => {
    const s = computeStatistics(buildTimeline(await analyze(['fixtures/real/kamailio-proxy-call.pcap'])));
    expect(s.media.streams).toBe(0);
    expect(renderStatisticsText(s)).not.toContain('Media');
  });
});
