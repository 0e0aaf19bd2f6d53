import { describe, expect, it } from 'vitest';
import { byIndex, fromTagOf, groupEvidence, type ResponseGroup } from '../../../src/annotate/rules/lib/call.js';
import { parseSipMessage } from '../../../src/parse/sip/parse.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bye = (from: string | null): string =>
  ['BYE sip:b@example.com SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', ...(from === null ? [] : [`From: ${from}`]), 'To: <sip:b@example.com>;tag=b', 'Call-ID: c1', 'CSeq: 2 BYE', '', ''].join('\r\n');

describe('fromTagOf', () => {
  it('is `from?.tag` without reading the header lines: the tag, null without one, undefined when From is missing or does not read', () => {
    for (const from of ['<sip:a@example.com>;tag=a1', '"A" <sip:a@example.com>', 'sip:a@example.com;tag=x', 'not a name-addr <', null]) {
      const msg = parseSipMessage(enc(bye(from))).message;
      const tag = fromTagOf(msg);
      expect(tag).toBe(msg.from?.tag);
    }
    expect(fromTagOf(parseSipMessage(enc(bye('<sip:a@example.com>;tag=a1'))).message)).toBe('a1');
    expect(fromTagOf(parseSipMessage(enc(bye('not a name-addr <'))).message)).toBeUndefined();
    expect(fromTagOf(parseSipMessage(enc(bye(null))).message)).toBeUndefined();
  });
});

describe('groupEvidence', () => {
  it('is byIndex of the request and the responses: sorted, each index once, the request placed among them', () => {
    const tx = {} as ResponseGroup['tx'];
    const cases: [number | null, number[]][] = [
      [null, [3, 5]],
      [0, [2]],
      [4, [1, 2, 9]],
      [9, [1, 2, 9]],
      [12, [1, 2, 9]],
      [1, [1, 1, 4]],
      [5, [2, 2, 7, 7]],
      [3, []],
    ];
    for (const [request, responses] of cases) {
      const group: ResponseGroup = { status: 486, method: 'INVITE', tx, request, responses };
      expect(groupEvidence(group)).toEqual(request === null ? responses : byIndex([request, ...responses]));
    }
  });
});
