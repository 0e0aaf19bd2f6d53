/** media-unannounced-address on calls built packet by packet, and on the sipp fixtures. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/captures.js';
import { ruleFindings, ruleFindingsOf, twoWay, type MediaSide, type RtpFlow } from '../../support/media-call.js';

const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000 };
const flow = (from: { ip: string; port: number }, to: { ip: string; port: number }, ssrc: number): RtpFlow => ({ from, to, startMs: 120, count: 50, ssrc });
const ep = (ip: string, port: number) => ({ kind: 'endpoint', ip, port });

describe('media-unannounced-address', () => {
  it('valid: media where the SDPs said; a private SDP address sent from a public one (media-hints says it)', async () => {
    expect(await ruleFindings('media-unannounced-address', { caller, callee, rtp: twoWay(caller, callee, 120, 50) })).toEqual([]);
    const natCallee: MediaSide = { sip: '198.51.100.20', address: '10.0.0.20', port: 50000 };
    const rtp = [flow({ ip: caller.address, port: caller.port }, { ip: '198.51.100.20', port: 50000 }, 1), flow({ ip: '198.51.100.20', port: 50000 }, { ip: caller.address, port: caller.port }, 2)];
    expect(await ruleFindings('media-unannounced-address', { caller, callee: natCallee, rtp })).toEqual([]);
  });

  it('invalid: RTP to the callee\'s signalling address with its SDP port (a public SDP address nothing rewrote)', async () => {
    const mapped: MediaSide = { sip: '198.51.100.20', address: '203.0.113.20', port: 50000 };
    const rtp = [flow({ ip: caller.address, port: 41000 }, { ip: '198.51.100.20', port: 50000 }, 1)];
    expect(await ruleFindings('media-unannounced-address', { caller, callee: mapped, rtp })).toEqual([
      {
        call: 'media-call@example.com',
        messageId: 'signalling-address',
        severity: 'info',
        data: { receiver: 'callee', source: ep('192.0.2.10', 41000), actual: ep('198.51.100.20', 50000), announced: ep('203.0.113.20', 50000), signalling: ep('198.51.100.20', 5060), match: 'unannounced' },
      },
    ]);
  });

  it('invalid: RTP to the announced address on another port', async () => {
    const rtp = [flow({ ip: caller.address, port: 41000 }, { ip: callee.address, port: 51234 }, 1)];
    const got = await ruleFindings('media-unannounced-address', { caller, callee, rtp });
    expect(got.map((f) => [f.messageId, f.data.receiver, f.data.actual, f.data.announced])).toEqual([['other-port', 'callee', ep('198.51.100.20', 51234), ep('198.51.100.20', 50000)]]);
  });

  it('quiet on the sipp fixtures', async () => {
    for (const name of ['sipp-rtp-two-way.pcap', 'sipp-rtp-hold-resume.pcap', 'gst-rtcp.pcap', 'sipp-rtp-one-way.pcap']) {
      expect(await ruleFindingsOf('media-unannounced-address', join(REPO_ROOT, 'fixtures', 'media', name)), name).toEqual([]);
    }
  });
});
