/** t38-switch on calls built packet by packet (a re-INVITE to T.38 refused, accepted with and without UDPTL) and on the corpus fax capture. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_PCAP_DIR, REPO_ROOT } from '../../support/captures.js';
import { ruleFindings, ruleFindingsOf, twoWay, type MediaSide, type RtpFlow } from '../../support/media-call.js';

const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000 };
const callerFax: MediaSide = { ...caller, port: 40100, fax: { rateManagement: 'transferredTCF' } };
const calleeFax: MediaSide = { ...callee, port: 50100, fax: { rateManagement: 'transferredTCF' } };
const udptl = (startMs: number, count: number): RtpFlow[] => [
  { from: { ip: caller.address, port: 40100 }, to: { ip: callee.address, port: 50100 }, startMs, count, udptl: true },
  { from: { ip: callee.address, port: 50100 }, to: { ip: caller.address, port: 40100 }, startMs: startMs + 5, count, udptl: true },
];
const audioUntil = (ms: number) => twoWay(caller, callee, 120, Math.floor((ms - 120) / 20));

describe('t38-switch', () => {
  it('valid: a switch accepted and followed by UDPTL; a call with no re-INVITE; a re-INVITE back to audio', async () => {
    const switched = { caller, callee, byeMs: 12_000, reinvites: [{ ms: 2000, fromCaller: true, offer: callerFax, answer: calleeFax }], rtp: [...audioUntil(2000), ...udptl(2100, 400)] };
    expect(await ruleFindings('t38-switch', switched)).toEqual([]);
    expect(await ruleFindings('t38-switch', { caller, callee, rtp: audioUntil(10_000) })).toEqual([]);
    const hold = { caller, callee, reinvites: [{ ms: 2000, fromCaller: true, offer: { ...caller, direction: 'sendonly' as const }, answer: { ...callee, direction: 'recvonly' as const } }], rtp: audioUntil(2000) };
    expect(await ruleFindings('t38-switch', hold)).toEqual([]);
  });

  it('valid: no UDPTL is not judged when the capture holds no media at all', async () => {
    expect(await ruleFindings('t38-switch', { caller, callee, byeMs: 12_000, reinvites: [{ ms: 2000, fromCaller: true, offer: callerFax, answer: calleeFax }] })).toEqual([]);
  });

  it('invalid: refused with 488, then back to audio by a second re-INVITE', async () => {
    const spec = {
      caller,
      callee,
      byeMs: 12_000,
      reinvites: [
        { ms: 2000, fromCaller: true, offer: callerFax, answer: calleeFax, status: 488 },
        { ms: 2100, fromCaller: true, offer: caller, answer: callee },
      ],
      rtp: audioUntil(12_000),
    };
    expect(await ruleFindings('t38-switch', spec)).toEqual([
      {
        call: 'media-call@example.com',
        messageId: 'refused-fallback',
        severity: 'warning',
        data: { status: '488 Not Acceptable Here', refuser: { kind: 'endpoint', ip: '198.51.100.20', port: 5060 }, fallback: expect.objectContaining({ kind: 'ref' }) },
      },
    ]);
    const alone = { ...spec, reinvites: [spec.reinvites[0]!] };
    expect((await ruleFindings('t38-switch', alone)).map((f) => f.messageId)).toEqual(['refused']);
    // codec-mismatch leaves the T.38 refusal to this rule: the call itself did not fail.
    expect(await ruleFindings('codec-mismatch', alone)).toEqual([]);
  });

  it('invalid: accepted, but no UDPTL follows while audio goes on; accepted with no media of either kind', async () => {
    const spec = { caller, callee, byeMs: 12_000, reinvites: [{ ms: 2000, fromCaller: true, offer: callerFax, answer: calleeFax }], rtp: audioUntil(12_000) };
    const got = await ruleFindings('t38-switch', spec);
    expect(got.map((f) => [f.messageId, f.severity, f.data.source])).toEqual([['no-udptl-audio', 'error', { kind: 'endpoint', ip: '192.0.2.10', port: 40000 }]]);
    const silent = { ...spec, rtp: audioUntil(2000) };
    expect((await ruleFindings('t38-switch', silent)).map((f) => [f.messageId, f.data.waited])).toEqual([['no-udptl', { kind: 'ms', ms: 9980 }]]);
  });

  it('invalid: the sides disagree on T38FaxRateManagement', async () => {
    const spec = { caller, callee, byeMs: 12_000, reinvites: [{ ms: 2000, fromCaller: true, offer: callerFax, answer: { ...calleeFax, fax: { rateManagement: 'localTCF' } } }], rtp: [...audioUntil(2000), ...udptl(2100, 400)] };
    expect(await ruleFindings('t38-switch', spec)).toEqual([
      { call: 'media-call@example.com', messageId: 'rate-management-mismatch', severity: 'warning', data: { offered: 'transferredTCF', answered: 'localTCF' } },
    ]);
  });

  it('invalid, real capture: sipp accepts T.38 on both sides and both go on sending audio to the old ports (fixtures/scripts/capture-rtp.sh t38-no-udptl)', async () => {
    expect(await ruleFindingsOf('t38-switch', join(REPO_ROOT, 'fixtures', 'media', 'sipp-rtp-t38-no-udptl.pcap'))).toEqual(['no-udptl-audio']);
  });

  const fax = join(CORPUS_PCAP_DIR, 'heplify-fax-call-t38-ca-tdm-sip-fb-1.pcap');
  it.skipIf(!existsSync(fax))('corpus: the far gateway refuses T.38 with 488 on both legs, and the gateways go back to G.711', async () => {
    expect(await ruleFindingsOf('t38-switch', fax)).toEqual(['refused-fallback', 'refused-fallback']);
    expect(await ruleFindingsOf('codec-mismatch', fax)).toEqual([]);
  });
});
