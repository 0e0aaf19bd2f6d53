/** Whose call it is: the header names the INVITE's parties (src/analysis/select.ts partiesMessage). */
import { describe, expect, it } from 'vitest';
import { factsOfCall } from '../../src/analysis/select.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import { timelineCall } from '../../src/present/timeline.js';
import { A, B, captured } from '../support/sip.js';

const line = (m: string, from: string, to: string, cseq: string, branch: string, toTag = '') => [
  m,
  `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=${branch}`,
  'Max-Forwards: 70',
  `From: <sip:${from}>;tag=f1`,
  `To: <sip:${to}>${toTag}`,
  'Call-ID: shared@10.0.0.1',
  `CSeq: ${cseq}`,
];

describe('the parties of a call', () => {
  it('a REGISTER sharing the Call-ID comes first: the INVITE names the parties', () => {
    const [call] = correlate([
      captured(line('REGISTER sip:example.com SIP/2.0', '100@example.com', '100@example.com', '1 REGISTER', 'z9hG4bK-r1'), 0, A, B),
      captured(['SIP/2.0 200 OK', ...line('', '100@example.com', '100@example.com', '1 REGISTER', 'z9hG4bK-r1', ';tag=r').slice(1)], 10, B, A),
      captured(line('INVITE sip:200@example.com SIP/2.0', '100@example.com', '200@example.com', '2 INVITE', 'z9hG4bK-i1'), 1000, A, B),
    ]);
    expect(call!.type).toBe('call');
    expect([factsOfCall(call!).from, factsOfCall(call!).to]).toEqual(['100@example.com', '200@example.com']);
    const shown = timelineCall({ number: 1, call: call!, outcome: { outcome: 'unknown', status: null }, figures: { postDialDelayMs: null, setupMs: null, talkMs: null, hungUpBy: null }, findings: [], leg: null, media: null }, 'en');
    expect([shown.from, shown.to]).toEqual(['100@example.com', '200@example.com']);
  });
  it('no INVITE: the first request names them', () => {
    const [call] = correlate([captured(line('OPTIONS sip:example.com SIP/2.0', 'ping@example.com', 'example.com', '1 OPTIONS', 'z9hG4bK-o1'), 0, A, B)]);
    expect([factsOfCall(call!).from, factsOfCall(call!).to]).toEqual(['ping@example.com', 'example.com']);
  });
});
