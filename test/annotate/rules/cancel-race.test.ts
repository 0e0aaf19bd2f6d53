import { beforeEach, describe, expect, it } from 'vitest';
import { cancelRace } from '../../../src/annotate/rules/cancel-race.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** INVITE, 180, then a CANCEL at `cancelMs` crossing a 200 at `okMs`; `tail` adds the caller's ACK and BYE. */
function race(cancelMs: number, okMs: number, tail: { ack?: number; bye?: number } = {}) {
  const invite = req('INVITE', 1, 0);
  const ringing = res(invite, '180 Ringing', 10);
  const cancel = req('CANCEL', 1, cancelMs, { branch: 'z9hG4bK-invite-1' });
  const ok = res(invite, '200 OK', okMs);
  const messages = cancelMs < okMs ? [invite, ringing, cancel, ok] : [invite, ringing, ok, cancel];
  messages.push(res(cancel, '200 OK', Math.max(cancelMs, okMs) + 1));
  if (tail.ack !== undefined) messages.push(req('ACK', 1, tail.ack, { toTag: 'b' }));
  if (tail.bye !== undefined) messages.push(req('BYE', 2, tail.bye, { toTag: 'b' }));
  return messages;
}

/**
 * The caller's INVITE CSeq 1 is answered 200 (To tag b) and ACKed; then a second initial INVITE
 * (CSeq 2, same Call-ID and From tag, no To tag) is cancelled, and its 200, with To tag
 * `secondTag`, crosses the CANCEL and is ACKed (bruteshark-dtmf-sip-info-pppoe.pcap).
 */
function secondInvite(secondTag: string) {
  const port1032 = { from: { ip: '10.0.0.1', port: 1032 } };
  const first = req('INVITE', 1, 0); // frame 1
  const okFirst = res(first, '200 OK', 90);
  const ackFirst = req('ACK', 1, 100, { toTag: 'b' });
  const second = req('INVITE', 2, 110, port1032); // frame 4
  const cancel = req('CANCEL', 2, 130, { ...port1032, branch: 'z9hG4bK-invite-2' });
  const okSecond = res(second, '200 OK', 150, [], { toTag: secondTag });
  const ackSecond = req('ACK', 2, 190, { ...port1032, toTag: secondTag });
  return [first, okFirst, ackFirst, second, cancel, okSecond, ackSecond, res(cancel, '200 OK', 210)];
}

describe('cancel-race', () => {
  describe('valid (no finding)', () => {
    it('a CANCEL answered 487: no race', () => {
      const invite = req('INVITE', 1, 0);
      const cancel = req('CANCEL', 1, 3000, { branch: 'z9hG4bK-invite-1' });
      expect(findingsOf(cancelRace, [invite, res(invite, '180 Ringing', 10), cancel, res(cancel, '200 OK', 3001), res(invite, '487 Request Terminated', 3002)])).toEqual([]);
    });
    it('an answered call with no CANCEL', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(cancelRace, [invite, res(invite, '200 OK', 10), req('ACK', 1, 20, { toTag: 'b' })])).toEqual([]);
    });
    it('the crossed 200 carries the tags of the dialog the first INVITE established: no second call, no BYE owed', () => {
      expect(findingsOf(cancelRace, secondInvite('b'), 80000)).toEqual([]);
    });
    it('a cancelled re-INVITE whose 200 crossed the CANCEL: the dialog was up before', () => {
      const invite = req('INVITE', 1, 0);
      const reinvite = req('INVITE', 2, 5000, { toTag: 'b' });
      const cancel = req('CANCEL', 2, 5100, { toTag: 'b', branch: 'z9hG4bK-invite-2' });
      const messages = [invite, res(invite, '200 OK', 10), req('ACK', 1, 20, { toTag: 'b' }), reinvite, cancel, res(reinvite, '200 OK', 5104), res(cancel, '200 OK', 5105), req('ACK', 2, 5110, { toTag: 'b' })];
      expect(findingsOf(cancelRace, messages, 80000)).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('handled: the caller ACKs the 200 and sends BYE (info)', () => {
      expect(findingsOf(cancelRace, race(3000, 3004, { ack: 3010, bye: 3020 }))).toEqual([
        { rule: 'cancel-race', messageId: 'handled', severity: 'info', frames: [1, 3, 4, 5, 6, 7], data: { caller: ep('10.0.0.1', 5060), response: '200 OK', gap: ms(4), gapMs: 4, cancelResponse: '200 OK', byeAfter: ms(10) } },
      ]);
    });
    it('the 200 was sent before the CANCEL arrived (negative gap)', () => {
      expect(findingsOf(cancelRace, race(3004, 3000, { ack: 3010, bye: 3020 })).map((f) => [f.messageId, f.data.gapMs])).toEqual([['handled', -4]]);
    });
    it('not acked', () => {
      expect(findingsOf(cancelRace, race(3000, 3004)).map((f) => [f.messageId, f.severity])).toEqual([['not-acked', 'warning']]);
    });
    it('acked but no BYE: the unwanted call stays up', () => {
      expect(findingsOf(cancelRace, race(3000, 3004, { ack: 3010 }), 20000).map((f) => [f.messageId, f.severity, f.data.waited])).toEqual([['no-bye', 'warning', ms(16990)]]);
    });
    it('the crossed 200 opens a dialog of its own (another To tag, a fork): that call stays connected', () => {
      expect(findingsOf(cancelRace, secondInvite('c'), 80000)).toEqual([
        { rule: 'cancel-race', messageId: 'no-bye', severity: 'warning', frames: [4, 5, 6, 7, 8], data: { caller: ep('10.0.0.1', 1032), response: '200 OK', gap: ms(20), gapMs: 20, cancelResponse: '200 OK', waited: ms(79810) } },
      ]);
    });
    it('the crossed 200 joins the established dialog but is never ACKed: still not-acked', () => {
      const messages = secondInvite('b').slice(0, -2);
      expect(findingsOf(cancelRace, messages, 80000).map((f) => [f.messageId, f.frames])).toEqual([['not-acked', [4, 5, 6]]]);
    });
    it('acked, capture ended right after: unresolved', () => {
      expect(findingsOf(cancelRace, race(3000, 3004, { ack: 3010 }), 4000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'info']]);
    });
  });
});
