import { beforeEach, describe, expect, it } from 'vitest';
import { cancelRace } from '../../../src/annotate/rules/cancel-race.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf } from '../../support/rules.js';

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
  });

  describe('invalid (finding)', () => {
    it('handled: the caller ACKs the 200 and sends BYE (info)', () => {
      expect(findingsOf(cancelRace, race(3000, 3004, { ack: 3010, bye: 3020 }))).toEqual([
        { rule: 'cancel-race', messageId: 'handled', severity: 'info', frames: [1, 3, 4, 5, 6, 7], data: { caller: '10.0.0.1:5060', response: '200 OK', gap: '4 ms', gapMs: 4, cancelResponse: '200 OK', byeAfter: '10 ms' } },
      ]);
    });
    it('the 200 was sent before the CANCEL arrived (negative gap)', () => {
      expect(findingsOf(cancelRace, race(3004, 3000, { ack: 3010, bye: 3020 })).map((f) => [f.messageId, f.data.gapMs])).toEqual([['handled', -4]]);
    });
    it('not acked', () => {
      expect(findingsOf(cancelRace, race(3000, 3004)).map((f) => [f.messageId, f.severity])).toEqual([['not-acked', 'warning']]);
    });
    it('acked but no BYE: the unwanted call stays up', () => {
      expect(findingsOf(cancelRace, race(3000, 3004, { ack: 3010 }), 20000).map((f) => [f.messageId, f.severity, f.data.waited])).toEqual([['no-bye', 'warning', '17.0 s']]);
    });
    it('acked, capture ended right after: unresolved', () => {
      expect(findingsOf(cancelRace, race(3000, 3004, { ack: 3010 }), 4000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'info']]);
    });
  });
});
