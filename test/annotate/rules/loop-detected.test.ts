import { beforeEach, describe, expect, it } from 'vitest';
import { loopDetected } from '../../../src/annotate/rules/loop-detected.js';
import { B, P, rawMessage, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** An INVITE with this Max-Forwards. */
function inviteWith(maxForwards: number, ms: number, branch: string, src = P, dst = B) {
  const text = [
    'INVITE sip:bob@example.com SIP/2.0',
    `Via: SIP/2.0/UDP ${src.ip}:${src.port};branch=${branch}`,
    `Max-Forwards: ${maxForwards}`,
    'From: <sip:alice@example.com>;tag=a',
    'To: <sip:bob@example.com>',
    'Call-ID: call-1',
    'CSeq: 1 INVITE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  return rawMessage(text, ms, src, dst);
}

describe('loop-detected', () => {
  describe('valid (no finding)', () => {
    it('a normal INVITE (Max-Forwards 70) answered 200', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(loopDetected, [invite, res(invite, '200 OK', 5)])).toEqual([]);
    });
    it('OPTIONS with Max-Forwards 0 queries the next hop', () => {
      const text = ['OPTIONS sip:10.0.0.3 SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-o', 'Max-Forwards: 0', 'From: <sip:p@example.com>;tag=p', 'To: <sip:10.0.0.3>', 'Call-ID: o', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n');
      expect(findingsOf(loopDetected, [rawMessage(text, 0, P, B)])).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('483 Too Many Hops', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(loopDetected, [invite, res(invite, '483 Too Many Hops', 5)])).toEqual([
        { rule: 'loop-detected', messageId: 'too-many-hops', severity: 'error', frames: [1, 2], data: { method: 'INVITE', uri: 'sip:bob@example.com', server: ep('10.0.0.3', 5060), status: 483, response: '483 Too Many Hops' } },
      ]);
    });
    it('482 Loop Detected', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(loopDetected, [invite, res(invite, '482 Loop Detected', 5)]).map((f) => f.messageId)).toEqual(['loop-detected']);
    });
    it('Max-Forwards running out, compared with the highest seen', () => {
      const messages = [inviteWith(70, 0, 'z9hG4bK-1'), inviteWith(40, 10, 'z9hG4bK-2'), inviteWith(3, 20, 'z9hG4bK-3')];
      expect(findingsOf(loopDetected, messages)).toEqual([
        { rule: 'loop-detected', messageId: 'max-forwards-low', severity: 'warning', frames: [1, 3], data: { method: 'INVITE', uri: 'sip:bob@example.com', sender: ep('10.0.0.2', 5060), maxForwards: 3, highest: 70, hops: 67 } },
      ]);
    });
    it('the lowMaxForwards option', () => {
      expect(findingsOf(loopDetected, [inviteWith(9, 0, 'z9hG4bK-1')], undefined, { 'loop-detected': { options: { lowMaxForwards: 10 } } }).map((f) => f.data.maxForwards)).toEqual([9]);
    });
  });
});
