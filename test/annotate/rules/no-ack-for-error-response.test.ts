import { beforeEach, describe, expect, it } from 'vitest';
import { noAckForErrorResponse } from '../../../src/annotate/rules/no-ack-for-error-response.js';
import { again, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** ACK for a non-2xx: the INVITE's branch (RFC 3261 §17.1.1.3). */
const ackFor = (ms: number, branch = 'z9hG4bK-invite-1') => req('ACK', 1, ms, { toTag: 'b', branch });

describe('no-ack-for-error-response', () => {
  describe('valid (no finding)', () => {
    it('486 ACKed at once', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(noAckForErrorResponse, [invite, res(invite, '486 Busy Here', 10), ackFor(11)])).toEqual([]);
    });
    it('a 486 retransmitted once, crossing its ACK', () => {
      const invite = req('INVITE', 1, 0);
      const busy = res(invite, '486 Busy Here', 10);
      expect(findingsOf(noAckForErrorResponse, [invite, busy, again(busy, 510), ackFor(512)])).toEqual([]);
    });
    it('the caller sends its INVITE again after each 486: the 486 never reached it (request-retransmissions says so), no ACK could follow', () => {
      const invite = req('INVITE', 1, 0);
      const busy = res(invite, '486 Busy Here', 10);
      expect(findingsOf(noAckForErrorResponse, [invite, busy, again(invite, 500), again(busy, 501), again(invite, 1500), again(busy, 1501)])).toEqual([]);
    });
    it('a 2xx is not an error response', () => {
      const invite = req('INVITE', 1, 0);
      const ok = res(invite, '200 OK', 10);
      expect(findingsOf(noAckForErrorResponse, [invite, ok, again(ok, 510)])).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('a 486 repeated with no ACK', () => {
      const invite = req('INVITE', 1, 0);
      const busy = res(invite, '486 Busy Here', 10);
      expect(findingsOf(noAckForErrorResponse, [invite, busy, again(busy, 510), again(busy, 1510)])).toEqual([
        { rule: 'no-ack-for-error-response', messageId: 'no-ack', severity: 'error', frames: [2, 3, 4], data: expect.objectContaining({ response: '486 Busy Here', status: 486, uas: ep('10.0.0.3', 5060), uac: ep('10.0.0.1', 5060), copies: 3, waited: ms(1500) }) },
      ]);
    });
    it('a 486 repeated with no ACK, the INVITE retransmitted only before it', () => {
      const invite = req('INVITE', 1, 0);
      const busy = res(invite, '486 Busy Here', 600);
      const findings = findingsOf(noAckForErrorResponse, [invite, again(invite, 500), busy, again(busy, 1100), again(busy, 2100)]);
      expect(findings.map((f) => [f.messageId, f.frames])).toEqual([['no-ack', [2, 4, 5]]]);
    });
    it('an ACK with a new branch does not match the transaction', () => {
      const invite = req('INVITE', 1, 0);
      const busy = res(invite, '603 Decline', 10);
      const findings = findingsOf(noAckForErrorResponse, [invite, busy, ackFor(11, 'z9hG4bK-other'), again(busy, 510), again(busy, 1510)]);
      expect(findings.map((f) => [f.messageId, f.frames])).toEqual([['ack-wrong-branch', [2, 3, 4, 5]]]);
    });
    it('an ACK that matches, and yet the response goes on', () => {
      const invite = req('INVITE', 1, 0);
      const busy = res(invite, '480 Temporarily Unavailable', 10);
      const findings = findingsOf(noAckForErrorResponse, [invite, busy, ackFor(11), again(busy, 510), again(busy, 1510)]);
      expect(findings.map((f) => [f.messageId, f.data.afterAck])).toEqual([['ack-not-received', 2]]);
    });
  });
});
