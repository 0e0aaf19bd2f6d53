import { beforeEach, describe, expect, it } from 'vitest';
import { sessionTimer } from '../../../src/annotate/rules/session-timer.js';
import type { CapturedMessage } from '../../../src/types.js';
import { A, B, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms, frameRef } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** A call whose 200 sets a 90 s session interval refreshed by the UAC. */
function call(): CapturedMessage[] {
  const invite = req('INVITE', 1, 0, { extra: ['Supported: timer', 'Session-Expires: 90'] });
  return [invite, res(invite, '200 OK', 10, ['Require: timer', 'Session-Expires: 90;refresher=uac']), req('ACK', 1, 20, { toTag: 'b' })];
}

describe('session-timer', () => {
  describe('valid (no finding)', () => {
    it('refreshed at half the interval, hung up normally', () => {
      const messages = call();
      const refresh = req('UPDATE', 2, 45010, { toTag: 'b', extra: ['Session-Expires: 90;refresher=uac'] });
      messages.push(refresh, res(refresh, '200 OK', 45020, ['Session-Expires: 90;refresher=uac']));
      const bye = req('BYE', 3, 60000, { toTag: 'b' });
      messages.push(bye, res(bye, '200 OK', 60010));
      expect(findingsOf(sessionTimer, messages)).toEqual([]);
    });
    it('a short call needs no refresh', () => {
      const messages = call();
      const bye = req('BYE', 2, 30000, { toTag: 'b' });
      messages.push(bye, res(bye, '200 OK', 30010));
      expect(findingsOf(sessionTimer, messages)).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('422 with Min-SE and no retry', () => {
      const invite = req('INVITE', 1, 0, { extra: ['Session-Expires: 60'] });
      expect(findingsOf(sessionTimer, [invite, res(invite, '422 Session Interval Too Small', 5, ['Min-SE: 90'])])).toEqual([
        { rule: 'session-timer', messageId: 'interval-too-small', severity: 'warning', frames: [1, 2], data: { method: 'INVITE', uri: 'sip:bob@example.com', server: ep('10.0.0.3', 5060), status: 422, response: '422 Session Interval Too Small', minSe: 90, requested: 60 } },
      ]);
    });
    it('422 then a retry with a larger interval', () => {
      const invite = req('INVITE', 1, 0, { extra: ['Session-Expires: 60'] });
      const messages = [invite, res(invite, '422 Session Interval Too Small', 5, ['Min-SE: 90']), req('INVITE', 2, 10, { extra: ['Session-Expires: 90', 'Min-SE: 90'] })];
      expect(findingsOf(sessionTimer, messages).map((f) => [f.messageId, f.severity, f.data.retried])).toEqual([['interval-too-small-retried', 'info', 90]]);
    });
    it('no refresh and a BYE when the interval ran out', () => {
      const messages = call();
      const bye = req('BYE', 1, 90010, { from: B, to: A, fromTag: 'b', toTag: 'a' });
      messages.push(bye, res(bye, '200 OK', 90020));
      expect(findingsOf(sessionTimer, messages)).toEqual([
        {
          rule: 'session-timer',
          messageId: 'bye-at-expiry',
          severity: 'error',
          frames: [2, 4],
          data: { sessionExpires: 90, refresher: ep('10.0.0.1', 5060), since: frameRef(2), half: 45, elapsed: ms(90000), elapsedMs: 90000, sender: ep('10.0.0.3', 5060) },
        },
      ]);
    });
    it('a BYE at Session-Expires minus a third counts too', () => {
      const messages = call();
      messages.push(req('BYE', 1, 60010, { from: B, to: A, fromTag: 'b', toTag: 'a' }));
      expect(findingsOf(sessionTimer, messages).map((f) => f.messageId)).toEqual(['bye-at-expiry']);
    });
    it('a refresh that fails', () => {
      const messages = call();
      const refresh = req('INVITE', 2, 45000, { toTag: 'b', extra: ['Session-Expires: 90;refresher=uac'] });
      messages.push(refresh, res(refresh, '488 Not Acceptable Here', 45010));
      expect(findingsOf(sessionTimer, messages, 50000).map((f) => [f.messageId, f.data.response])).toEqual([['refresh-failed', '488 Not Acceptable Here']]);
    });
    it('the capture goes on past half the interval with no refresh', () => {
      expect(findingsOf(sessionTimer, call(), 70000).map((f) => [f.messageId, f.severity, f.data.elapsed])).toEqual([['refresh-missing', 'warning', ms(69990)]]);
    });
  });
});
