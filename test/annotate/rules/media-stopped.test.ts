/** media-stopped on calls built packet by packet, and on the sipp fixtures. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_PCAP_DIR, REPO_ROOT } from '../../support/captures.js';
import { ruleFindings, ruleFindingsOf, twoWay, type MediaSide, type RtpFlow } from '../../support/media-call.js';

const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000 };
const [there, back] = twoWay(caller, callee, 120, 490) as [RtpFlow, RtpFlow];
/** The callee's RTP pauses 3 s after its 150th packet (3.1 s into the call), sequence numbers continuous. */
const paused: RtpFlow = { ...back, count: 340, pause: { afterPacket: 149, ms: 3000 } };
const byeMs = 10_100;

describe('media-stopped', () => {
  it('valid: steady two-way audio; a pause under the threshold; a talkspurt marked after it; hold by re-INVITE; comfort noise negotiated', async () => {
    expect(await ruleFindings('media-stopped', { caller, callee, rtp: [there, back] })).toEqual([]);
    expect(await ruleFindings('media-stopped', { caller, callee, rtp: [there, { ...back, count: 420, pause: { afterPacket: 149, ms: 1500 } }] })).toEqual([]);
    expect(await ruleFindings('media-stopped', { caller, callee, rtp: [there, { ...paused, pause: { afterPacket: 149, ms: 3000, marker: true } }] })).toEqual([]);
    const hold = { ms: 3000, fromCaller: true, offer: { ...caller, direction: 'sendonly' as const }, answer: { ...callee, direction: 'recvonly' as const } };
    const resume = { ms: 6100, fromCaller: true, offer: caller, answer: callee };
    expect(await ruleFindings('media-stopped', { caller, callee, rtp: [there, paused], reinvites: [hold, resume] })).toEqual([]);
    const cn = [{ pt: 0, name: 'PCMU' }, { pt: 13, name: 'CN' }];
    expect(await ruleFindings('media-stopped', { caller: { ...caller, payloads: cn }, callee: { ...callee, payloads: cn }, rtp: [there, paused] })).toEqual([]);
  });

  it('unresolved (info): the callee pauses 3 s mid-call with no packet lost and no marker', async () => {
    const got = await ruleFindings('media-stopped', { caller, callee, rtp: [there, paused] });
    expect(got.map((f) => [f.messageId, f.severity, f.data.side, f.data.gap, f.data.lost])).toEqual([['paused', 'info', 'callee', { kind: 'ms', ms: 3020 }, 0]]);
    expect(got[0]!.data.resumed).toMatchObject({ kind: 'ref', line: null });
    // The exact silence: the callee's 150th packet (3 ms + 120 ms + 149 · 20 ms into the call) and the one 3,020 ms after it.
    const { stopped, resumed, stoppedAt, resumedAt } = got[0]!.data as Record<string, { frame?: number; ms?: number }>;
    expect([stoppedAt, resumedAt]).toEqual([
      { kind: 'ms', ms: 3103 },
      { kind: 'ms', ms: 6123 },
    ]);
    expect(resumed!.frame! - stopped!.frame!).toBeGreaterThan(1); // the caller's packets of the silence lie between
  });

  it('invalid: the callee\'s packets are lost for 3 s (sequence numbers skipped)', async () => {
    const before: RtpFlow = { ...back, count: 150 };
    const after: RtpFlow = { ...back, startMs: back.startMs + 150 * 20 + 3000, count: 190, firstSeq: 1000 + 150 + 150 };
    const got = await ruleFindings('media-stopped', { caller, callee, rtp: [there, before, after] });
    expect(got.map((f) => [f.messageId, f.severity, f.data.side, f.data.gap, f.data.lost])).toEqual([['gap', 'warning', 'callee', { kind: 'ms', ms: 3020 }, 150]]);
    expect([got[0]!.data.stoppedAt, got[0]!.data.resumedAt]).toEqual([
      { kind: 'ms', ms: 3 + 120 + 149 * 20 },
      { kind: 'ms', ms: 3 + 120 + 149 * 20 + 3020 },
    ]);
  });

  it('invalid: the caller stops for good 7 s before the BYE while the callee keeps sending', async () => {
    const got = await ruleFindings('media-stopped', { caller, callee, byeMs, rtp: [{ ...there, count: 150 }, back] });
    expect(got.map((f) => [f.messageId, f.severity, f.data.side, f.data.source])).toEqual([['ended', 'warning', 'caller', { kind: 'endpoint', ip: '192.0.2.10', port: 40000 }]]);
    expect(got[0]!.data.gap).toEqual({ kind: 'ms', ms: byeMs - (120 + 149 * 20) });
    expect(got[0]!.data.stoppedAt).toEqual({ kind: 'ms', ms: 120 + 149 * 20 });
    expect(got[0]!.data.stopped).toMatchObject({ kind: 'ref', line: null });
  });

  it('quiet on the sipp fixtures (the hold-resume call included)', async () => {
    for (const name of ['sipp-rtp-two-way.pcap', 'sipp-rtp-hold-resume.pcap', 'sipp-rtp-dtmf-4733.pcap', 'sipp-rtp-late-media.pcap', 'sipp-rtp-after-bye.pcap', 'gst-rtcp.pcap']) {
      expect(await ruleFindingsOf('media-stopped', join(REPO_ROOT, 'fixtures', 'media', name)), name).toEqual([]);
    }
  });

  const corpus = CORPUS_PCAP_DIR;
  it.skipIf(!existsSync(corpus))('corpus: X-Lite behind Zfone loses 4.7 s (a call answered after a 401); a media server pauses 5.8 s with no loss (unresolved)', async () => {
    expect(await ruleFindingsOf('media-stopped', join(corpus, 'bruteshark-asterisk-zfone-xlite-zrtp.pcap'))).toEqual(['gap']);
    expect(await ruleFindingsOf('media-stopped', join(corpus, 'heplify-rtp-rtcp-sip-ipv4-udp.pcap'))).toEqual(['paused']);
    expect(await ruleFindingsOf('media-stopped', join(corpus, 'gprshome-wireshark-sip-icmp-rtp.pcap'))).toEqual([]);
  });
});
