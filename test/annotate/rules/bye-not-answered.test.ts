import { beforeEach, describe, expect, it } from 'vitest';
import { byeNotAnswered } from '../../../src/annotate/rules/bye-not-answered.js';
import { A, again, B, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms, portUnreachable } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const bye = (ms = 0) => req('BYE', 2, ms, { toTag: 'b' });

describe('bye-not-answered', () => {
  describe('valid (no finding)', () => {
    it('BYE answered 200', () => {
      const b = bye();
      expect(findingsOf(byeNotAnswered, [b, res(b, '200 OK', 10)], 60000)).toEqual([]);
    });
    it('BYE answered 481 (another rule explains it)', () => {
      const b = bye();
      expect(findingsOf(byeNotAnswered, [b, res(b, '481 Call/Transaction Does Not Exist', 10)], 60000)).toEqual([]);
    });
    it('a BYE at the very end of the capture', () => expect(findingsOf(byeNotAnswered, [bye()], 500)).toEqual([]));
  });

  describe('invalid (finding)', () => {
    it('retransmitted past Timer F with no final response', () => {
      const b = bye();
      const messages = [b, again(b, 500), again(b, 1500), again(b, 3500), again(b, 7500), again(b, 11500)];
      expect(findingsOf(byeNotAnswered, messages, 33000)).toEqual([
        { rule: 'bye-not-answered', messageId: 'no-final', severity: 'error', frames: [1, 2, 3, 4, 5, 6], data: expect.objectContaining({ sender: ep('10.0.0.1', 5060), peer: ep('10.0.0.3', 5060), copies: 6, timerName: 'Timer F', timer: ms(32000) }) },
      ]);
    });
    it('only 100 Trying is not a final response', () => {
      const b = req('BYE', 2, 0, { from: B, to: A, fromTag: 'b', toTag: 'a' });
      // RFC 3261 §17.1.2.2: after a provisional response the BYE is still sent again, every T2.
      expect(findingsOf(byeNotAnswered, [b, res(b, '100 Trying', 5), again(b, 4000), again(b, 8000)], 40000).map((f) => [f.messageId, f.data.peer])).toEqual([['no-final', ep('10.0.0.1', 5060)]]);
    });
    it('sent once over UDP and never again while the capture went past Timer F: sent-once at info (heplify-sip-ipv6-udp)', () => {
      expect(findingsOf(byeNotAnswered, [bye()], 40000).map((f) => [f.messageId, f.severity, f.data.copies])).toEqual([['sent-once', 'info', 1]]);
    });
    it('sent once over UDP and bounced by an ICMP port unreachable: no-final, not sent-once (the transport error ended the transaction, RFC 3261 §17.1.4, §18.4)', () => {
      const b = bye();
      expect(findingsOf(byeNotAnswered, [b], 40000, {}, [portUnreachable(b, 0)]).map((f) => [f.messageId, f.severity])).toEqual([['no-final', 'error']]);
    });
    it('capture ended before Timer F: unresolved at warning (retransmitted) or info (sent once)', () => {
      const b = bye();
      expect(findingsOf(byeNotAnswered, [b, again(b, 500)], 4000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'warning']]);
      expect(findingsOf(byeNotAnswered, [bye()], 4000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved-once', 'info']]);
    });
  });
});
