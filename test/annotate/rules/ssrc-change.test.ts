/** ssrc-change on calls built packet by packet, and on the sipp fixtures. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/captures.js';
import { ruleFindings, ruleFindingsOf, twoWay, type MediaSide, type RtpFlow } from '../../support/media-call.js';

const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000 };
const back = twoWay(caller, callee, 120, 400)[1]!;
const part = (ssrc: number, startMs: number, count: number): RtpFlow => ({ from: { ip: caller.address, port: caller.port }, to: { ip: callee.address, port: callee.port }, startMs, count, ssrc, firstSeq: ssrc * 1000 });
/** The caller's RTP switches from SSRC 1 (last packet at 3.1 s) to SSRC 2 (first at 3.12 s) on the same 5-tuple. */
const switched = [part(1, 120, 150), part(2, 3120, 200), back];

describe('ssrc-change', () => {
  it('valid: one SSRC; the switch at a re-INVITE; the new SSRC long after; two sources interleaved', async () => {
    expect(await ruleFindings('ssrc-change', { caller, callee, rtp: twoWay(caller, callee, 120, 300) })).toEqual([]);
    expect(await ruleFindings('ssrc-change', { caller, callee, rtp: switched, reinvites: [{ ms: 3050, fromCaller: true, offer: caller, answer: callee }] })).toEqual([]);
    expect(await ruleFindings('ssrc-change', { caller, callee, rtp: [part(1, 120, 100), part(2, 4120, 100), back] })).toEqual([]);
    expect(await ruleFindings('ssrc-change', { caller, callee, rtp: [part(1, 120, 300), part(2, 1130, 100), back] })).toEqual([]);
  });

  it('invalid: the caller switches SSRC on the same 5-tuple mid-call with no renegotiation', async () => {
    expect(await ruleFindings('ssrc-change', { caller, callee, rtp: switched })).toEqual([
      {
        call: 'media-call@example.com',
        messageId: 'changed',
        severity: 'info',
        data: {
          source: { kind: 'endpoint', ip: '192.0.2.10', port: 40000 },
          destination: { kind: 'endpoint', ip: '198.51.100.20', port: 50000 },
          oldSsrc: '0x00000001',
          newSsrc: '0x00000002',
          after: { kind: 'ms', ms: 3020 },
          gap: { kind: 'ms', ms: 20 },
        },
      },
    ]);
  });

  it('quiet on the sipp fixtures (hold and resume included)', async () => {
    for (const name of ['sipp-rtp-two-way.pcap', 'sipp-rtp-hold-resume.pcap', 'sipp-rtp-dtmf-4733.pcap', 'gst-rtcp.pcap']) {
      expect(await ruleFindingsOf('ssrc-change', join(REPO_ROOT, 'fixtures', 'media', name)), name).toEqual([]);
    }
  });
});
