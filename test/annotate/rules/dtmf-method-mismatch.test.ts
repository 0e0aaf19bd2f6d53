/** dtmf-method-mismatch on calls built packet by packet, the RFC 4733 fixture and the corpus's INFO capture. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ULAW_TO_LINEAR } from '../../../src/parse/media/inband-dtmf.js';
import { CORPUS_PCAP_DIR, REPO_ROOT } from '../../support/captures.js';
import { ruleFindings, ruleFindingsOf, twoWay, type InDialogRequest, type MediaSide, type RtpFlow } from '../../support/media-call.js';

const events = [{ pt: 0, name: 'PCMU' }, { pt: 101, name: 'telephone-event' }];
const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000, payloads: events };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000, payloads: events };
const audio = twoWay(caller, callee, 120, 200);
const info = (ms: number, key: string, status?: number): InDialogRequest => ({ ms, fromCaller: true, contentType: 'application/dtmf-relay', body: `Signal=${key}\r\nDuration=160\r\n`, ...(status === undefined ? {} : { status }) });
/** µ-law audio of packet i: the key '7' (852 + 1209 Hz, −8 dBm0 each) in packets 100-104 and 150-154, silence elsewhere. */
const codes = [...ULAW_TO_LINEAR.keys()].sort((a, b) => ULAW_TO_LINEAR[a]! - ULAW_TO_LINEAR[b]!);
const ulaw = (x: number) => codes.reduce((best, c) => (Math.abs(ULAW_TO_LINEAR[c]! - x) < Math.abs(ULAW_TO_LINEAR[best]! - x) ? c : best), codes[0]!);
const sevens = (i: number): Uint8Array =>
  Uint8Array.from({ length: 160 }, (_, k) => {
    if (!((i >= 100 && i < 105) || (i >= 150 && i < 155))) return 0xff;
    const t = (i * 160 + k) / 8000;
    return ulaw(8870 * (Math.sin(2 * Math.PI * 852 * t) + Math.sin(2 * Math.PI * 1209 * t)));
  });
const toneFlow: RtpFlow = { ...audio[0]!, audio: sevens };
const digitFlow = (payloadType: number): RtpFlow => ({ from: { ip: caller.address, port: caller.port }, to: { ip: callee.address, port: callee.port }, startMs: 2000, count: 8, ssrc: 0xaaaa, payloadType, telephoneEvent: { event: 5 }, firstSeq: 5000 });

describe('dtmf-method-mismatch', () => {
  it('valid: RFC 4733 events on the negotiated type; INFO when telephone-event was not negotiated', async () => {
    expect(await ruleFindings('dtmf-method-mismatch', { caller, callee, rtp: [...audio, digitFlow(101)] })).toEqual([]);
    const plain = { caller: { ...caller, payloads: undefined }, callee: { ...callee, payloads: undefined } };
    expect(await ruleFindings('dtmf-method-mismatch', { ...plain, rtp: audio, requests: [info(2000, '5')] })).toEqual([]);
  });

  it('invalid (info): digits by INFO although both SDPs named telephone-event', async () => {
    expect(await ruleFindings('dtmf-method-mismatch', { caller, callee, rtp: audio, requests: [info(2000, '1'), info(2500, '#')] })).toEqual([
      {
        call: 'media-call@example.com',
        messageId: 'info',
        severity: 'info',
        data: { sender: { kind: 'endpoint', ip: '192.0.2.10', port: 5060 }, digits: '1#', count: 2, contentType: 'application/dtmf-relay', payloadType: 101, status: 0 },
      },
    ]);
  });

  it('invalid (warning): the INFO refused; digits sent both ways', async () => {
    const refused = await ruleFindings('dtmf-method-mismatch', { caller, callee, rtp: audio, requests: [info(2000, '7', 415)] });
    expect(refused.map((f) => [f.messageId, f.severity, f.data.digits, f.data.status])).toEqual([['rejected', 'warning', '7', 415]]);
    const both = await ruleFindings('dtmf-method-mismatch', { caller, callee, rtp: [...audio, digitFlow(101)], requests: [info(2000, '5')] });
    expect(both.map((f) => [f.messageId, f.severity, f.data.digits])).toEqual([['both', 'warning', '5']]);
  });

  it('invalid: events on PT 101 while the callee named telephone-event 96', async () => {
    const callee96: MediaSide = { ...callee, payloads: [{ pt: 0, name: 'PCMU' }, { pt: 96, name: 'telephone-event' }] };
    const got = await ruleFindings('dtmf-method-mismatch', { caller, callee: callee96, rtp: [...twoWay(caller, callee96, 120, 200), digitFlow(101)] });
    expect(got.map((f) => [f.messageId, f.severity, f.data.payloadType, f.data.accepted])).toEqual([['wrong-payload-type', 'warning', 101, 'PT 96']]);
  });

  it('valid: key tones in the audio when telephone-event was not negotiated, or beside RFC 4733 events from the same side', async () => {
    const plain = { caller: { ...caller, payloads: [{ pt: 0, name: 'PCMU' }] }, callee: { ...callee, payloads: [{ pt: 0, name: 'PCMU' }] } };
    expect(await ruleFindings('dtmf-method-mismatch', { ...plain, rtp: [toneFlow, audio[1]!] })).toEqual([]);
    expect(await ruleFindings('dtmf-method-mismatch', { caller, callee, rtp: [toneFlow, audio[1]!, digitFlow(101)] })).toEqual([]);
  });

  it('invalid (inband): the caller sends 7, 7 as tones in its audio although both SDPs named telephone-event', async () => {
    const got = await ruleFindings('dtmf-method-mismatch', { caller, callee, rtp: [toneFlow, audio[1]!] });
    expect(got.map((f) => [f.messageId, f.severity])).toEqual([['inband', 'warning']]);
    const { first, firstAt, ...data } = got[0]!.data;
    expect(data).toEqual({
      side: 'caller',
      source: { kind: 'endpoint', ip: '192.0.2.10', port: 40000 },
      destination: { kind: 'endpoint', ip: '198.51.100.20', port: 50000 },
      digits: '77',
      count: 2,
      payloadType: 101,
    });
    // Packet 100 of the flow (120 ms + 100 · 20 ms after the INVITE) is where the first tone begins.
    expect(first).toMatchObject({ kind: 'ref', line: null });
    expect(firstAt).toEqual({ kind: 'ms', ms: 2120 });
  });

  it('invalid (inband) on the rtp-sender fixture: 1, 5, 9, # as tones in the caller\'s PCMA', async () => {
    expect(await ruleFindingsOf('dtmf-method-mismatch', join(REPO_ROOT, 'fixtures', 'media', 'rtp-sender-dtmf-inband.pcap'))).toEqual(['inband']);
  });

  it('quiet on the RFC 4733 fixture', async () => {
    expect(await ruleFindingsOf('dtmf-method-mismatch', join(REPO_ROOT, 'fixtures', 'media', 'sipp-rtp-dtmf-4733.pcap'))).toEqual([]);
  });

  const pppoe = join(CORPUS_PCAP_DIR, 'bruteshark-dtmf-sip-info-pppoe.pcap');
  it.skipIf(!existsSync(pppoe))('corpus: an Opal client sends 1, 3, 4, 2 by INFO dtmf-relay although both SDPs named telephone-event 101', async () => {
    expect(await ruleFindingsOf('dtmf-method-mismatch', pppoe)).toEqual(['info']);
  });
});
