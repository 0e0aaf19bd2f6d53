/** payload-not-negotiated on calls built packet by packet, and on the sipp fixtures and a corpus capture. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_PCAP_DIR, REPO_ROOT } from '../../support/captures.js';
import { ruleFindings, ruleFindingsOf, type MediaSide, type RtpFlow } from '../../support/media-call.js';

const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000 };
const toCallee = (payloadType: number, extra: Partial<RtpFlow> = {}): RtpFlow => ({ from: { ip: caller.address, port: caller.port }, to: { ip: callee.address, port: callee.port }, startMs: 120, count: 20, ssrc: 1, payloadType, ...extra });

describe('payload-not-negotiated', () => {
  it('valid: PCMU (static 0) listed; a type only the offer listed; CN and telephone-event when listed; streams under minPackets', async () => {
    expect(await ruleFindings('payload-not-negotiated', { caller, callee, rtp: [toCallee(0)] })).toEqual([]);
    const offersG729 = { ...caller, payloads: [{ pt: 0, name: 'PCMU' }, { pt: 18, name: '' }] };
    expect(await ruleFindings('payload-not-negotiated', { caller: offersG729, callee, rtp: [toCallee(18)] })).toEqual([]);
    const withCn = { ...callee, payloads: [{ pt: 0, name: 'PCMU' }, { pt: 13, name: 'CN' }, { pt: 101, name: 'telephone-event' }] };
    expect(await ruleFindings('payload-not-negotiated', { caller, callee: withCn, rtp: [toCallee(13), toCallee(101, { from: { ip: caller.address, port: 40002 }, telephoneEvent: {} })] })).toEqual([]);
    expect(await ruleFindings('payload-not-negotiated', { caller, callee, rtp: [toCallee(8, { count: 2 })] })).toEqual([]);
  });

  it('invalid: PCMA (8) that no SDP listed, comfort noise not negotiated', async () => {
    expect(await ruleFindings('payload-not-negotiated', { caller, callee, rtp: [toCallee(8)] })).toEqual([
      {
        call: 'media-call@example.com',
        messageId: 'not-negotiated',
        severity: 'warning',
        data: { source: { kind: 'endpoint', ip: '192.0.2.10', port: 40000 }, destination: { kind: 'endpoint', ip: '198.51.100.20', port: 50000 }, payloadType: 8, negotiated: 'PCMU/8000', mediaType: 'audio' },
      },
    ]);
    const got = await ruleFindings('payload-not-negotiated', { caller, callee, rtp: [toCallee(13)] });
    expect(got.map((f) => f.data.payloadType)).toEqual([13]);
  });

  it('invalid: each stream on an unlisted type reported, the negotiated list naming a type by its first entry with a name', async () => {
    // The offer lists 18 without an rtpmap line, the answer names it: the answer's name is the one shown.
    const offers18 = { ...caller, payloads: [{ pt: 0, name: 'PCMU' }, { pt: 18, name: '' }] };
    const names18 = { ...callee, payloads: [{ pt: 18, name: 'G729' }] };
    const got = await ruleFindings('payload-not-negotiated', { caller: offers18, callee: names18, rtp: [toCallee(8), toCallee(9, { from: { ip: caller.address, port: 40002 }, ssrc: 2 })] });
    expect(got.map((f) => [f.data.payloadType, f.data.negotiated])).toEqual([
      [8, 'PCMU/8000, G729/8000'],
      [9, 'PCMU/8000, G729/8000'],
    ]);
  });

  it('quiet on the sipp fixtures (RFC 4733 on the negotiated PT 101 included)', async () => {
    for (const name of ['sipp-rtp-two-way.pcap', 'sipp-rtp-dtmf-4733.pcap', 'sipp-rtp-hold-resume.pcap', 'gst-rtcp.pcap']) {
      expect(await ruleFindingsOf('payload-not-negotiated', join(REPO_ROOT, 'fixtures', 'media', name)), name).toEqual([]);
    }
  });

  const fax = join(CORPUS_PCAP_DIR, 'heplify-fax-call-t38-ca-tdm-sip-fb-1.pcap');
  it.skipIf(!existsSync(fax))('corpus: a Cisco gateway sends CN (13) and NSE (100) on a call that negotiated PCMA and telephone-event only', async () => {
    expect(await ruleFindingsOf('payload-not-negotiated', fax)).toEqual(['not-negotiated', 'not-negotiated']);
  });
});
