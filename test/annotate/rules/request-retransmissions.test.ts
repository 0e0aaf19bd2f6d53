import { beforeEach, describe, expect, it } from 'vitest';
import { requestRetransmissions } from '../../../src/annotate/rules/request-retransmissions.js';
import { A, again, B, P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('request-retransmissions', () => {
  describe('valid (no finding)', () => {
    it('every request answered at once', () => {
      const invite = req('INVITE', 1, 0);
      const bye = req('BYE', 2, 5000, { toTag: 'b' });
      expect(findingsOf(requestRetransmissions, [invite, res(invite, '200 OK', 20), bye, res(bye, '200 OK', 5010)])).toEqual([]);
    });
    it('an unanswered request is no-response\'s', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(requestRetransmissions, [invite, again(invite, 500), again(invite, 1500)])).toEqual([]);
    });
    it('a loop or an overload explains the retransmissions: loop-detected and overload tell it', () => {
      const looped = req('INVITE', 1, 0);
      expect(findingsOf(requestRetransmissions, [looped, again(looped, 500), again(looped, 1500), res(looped, '483 Too Many Hops', 1600)])).toEqual([]);
      resetCatalogFrames();
      const overloaded = req('INVITE', 1, 0, { callId: 'o' });
      expect(findingsOf(requestRetransmissions, [overloaded, again(overloaded, 500), res(overloaded, '503 Service Unavailable', 900, ['Retry-After: 30'])])).toEqual([]);
    });
    it('below the minRetransmissions option', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(requestRetransmissions, [invite, again(invite, 500), res(invite, '180 Ringing', 600)], undefined, { 'request-retransmissions': { options: { minRetransmissions: 2 } } })).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('counted per peer, with the methods and the slowest answer', () => {
      const invite = req('INVITE', 1, 0);
      const messages = [invite, again(invite, 500), res(invite, '180 Ringing', 700), res(invite, '200 OK', 900)];
      const bye = req('BYE', 2, 5000, { toTag: 'b' });
      messages.push(bye, again(bye, 5500), again(bye, 6500), res(bye, '200 OK', 6600));
      expect(findingsOf(requestRetransmissions, messages)).toEqual([
        {
          rule: 'request-retransmissions',
          messageId: 'retransmitted',
          severity: 'warning',
          frames: [1, 2, 5, 6, 7],
          data: { peer: ep('10.0.0.3', 5060), requests: 2, retransmissions: 3, methods: 'INVITE, BYE', worstCopies: 3, slowestAnswer: ms(1600), t1: ms(500) },
        },
      ]);
    });

    it('two peers, two findings', () => {
      const toP = req('REGISTER', 1, 0, { to: P, callId: 'r' });
      const toB = req('REGISTER', 2, 10, { to: B, callId: 'r' });
      const messages = [toP, again(toP, 500), res(toP, '200 OK', 600), toB, again(toB, 510), res(toB, '200 OK', 520)];
      expect(findingsOf(requestRetransmissions, messages).map((f) => f.data.peer)).toEqual([ep('10.0.0.2', 5060), ep('10.0.0.3', 5060)]);
    });

    it('every copy answered within milliseconds: the responses do not reach the sender', () => {
      const invite = req('INVITE', 1, 0);
      const messages = [invite, res(invite, '100 Trying', 4), again(invite, 500), res(invite, '100 Trying', 503), again(invite, 1500), res(invite, '100 Trying', 1506), res(invite, '200 OK', 2000)];
      expect(findingsOf(requestRetransmissions, messages)).toEqual([
        {
          rule: 'request-retransmissions',
          messageId: 'responses-lost',
          severity: 'warning',
          frames: [1, 2, 3, 4, 5, 6, 7],
          data: { peer: ep('10.0.0.3', 5060), sender: ep('10.0.0.1', 5060), requests: 1, retransmissions: 2, methods: 'INVITE', worstCopies: 3, slowestAnswer: ms(4), answeredWithin: ms(6), t1: ms(500) },
        },
      ]);
    });

    it('a copy left unanswered until the next one: lost on the way there, or a slow peer (retransmitted)', () => {
      const invite = req('INVITE', 1, 0);
      const messages = [invite, res(invite, '100 Trying', 4), again(invite, 500), again(invite, 1500), res(invite, '100 Trying', 1506), res(invite, '200 OK', 2000)];
      expect(findingsOf(requestRetransmissions, messages).map((f) => f.messageId)).toEqual(['retransmitted']);
    });

    it('every copy answered together, late, with no 100 Trying before: slow-peer at info (gprshome #572, #574 → #575, #576)', () => {
      const invite = req('INVITE', 1, 0);
      // Two transmissions of the 180 (IP identifications 0x22bb and 0x22bc), not a second capture of one.
      const messages = [invite, again(invite, 2172), { ...res(invite, '180 Ringing', 2955), ipId: 0x22bb }, { ...res(invite, '180 Ringing', 2956), ipId: 0x22bc }, res(invite, '200 OK', 41776)];
      expect(findingsOf(requestRetransmissions, messages).map((f) => [f.messageId, f.severity, f.frames, f.data.sender, f.data.slowestAnswer])).toEqual([
        ['slow-peer', 'info', [1, 2, 3, 4], ep('10.0.0.1', 5060), ms(2955)],
      ]);
    });

    it('two late 180s with different To tags are two forks answering one copy, not the peer answering each copy: retransmitted', () => {
      const invite = req('INVITE', 1, 0);
      const messages = [invite, again(invite, 2172), { ...res(invite, '180 Ringing', 2955, [], { toTag: 'fork1' }), ipId: 1 }, { ...res(invite, '180 Ringing', 2956, [], { toTag: 'fork2' }), ipId: 2 }, res(invite, '200 OK', 41776, [], { toTag: 'fork1' })];
      expect(findingsOf(requestRetransmissions, messages).map((f) => f.messageId)).toEqual(['retransmitted']);
    });

    it('one late answer for two copies is not proof that both arrived: retransmitted', () => {
      const invite = req('INVITE', 1, 0);
      const messages = [invite, again(invite, 500), res(invite, '180 Ringing', 900), res(invite, '200 OK', 5000)];
      expect(findingsOf(requestRetransmissions, messages).map((f) => f.messageId)).toEqual(['retransmitted']);
    });

    it('a non-INVITE answered 100 at once is still sent again until its final response (Timer E): not responses-lost', () => {
      const register = req('REGISTER', 1, 0, { callId: 'r' });
      const messages = [register, res(register, '100 Trying', 3), again(register, 500), res(register, '100 Trying', 503), res(register, '200 OK', 900)];
      expect(findingsOf(requestRetransmissions, messages).map((f) => f.messageId)).toEqual(['retransmitted']);
    });

    it('the peer answered to another address than the request came from (rport ignored): responses-misdirected', () => {
      const register = req('REGISTER', 1, 0, { callId: 'r' });
      const elsewhere = (ms: number) => ({ ...res(register, '401 Unauthorized', ms), dst: { ip: '192.168.1.10', port: 5060 } });
      const messages = [register, elsewhere(3), again(register, 500), elsewhere(502), again(register, 1500), elsewhere(1503)];
      expect(findingsOf(requestRetransmissions, messages).map((f) => [f.messageId, f.data.sender, f.data.sentTo, f.data.retransmissions])).toEqual([
        ['responses-misdirected', ep('10.0.0.1', 5060), ep('192.168.1.10', 5060), 2],
      ]);
    });

    it('the peer is the destination, whichever side sends', () => {
      const bye = req('BYE', 2, 0, { from: B, to: A, fromTag: 'b', toTag: 'a' });
      expect(findingsOf(requestRetransmissions, [bye, again(bye, 500), res(bye, '200 OK', 510)]).map((f) => f.data.peer)).toEqual([ep('10.0.0.1', 5060)]);
    });
  });
});
