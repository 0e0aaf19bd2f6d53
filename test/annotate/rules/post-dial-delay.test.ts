import { beforeEach, describe, expect, it } from 'vitest';
import { postDialDelay } from '../../../src/annotate/rules/post-dial-delay.js';
import { P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

function call(ringingMs: number | null, answerMs: number | null) {
  const invite = req('INVITE', 1, 0);
  const messages = [invite, res(invite, '100 Trying', 5)];
  if (ringingMs !== null) messages.push(res(invite, '180 Ringing', ringingMs));
  if (answerMs !== null) messages.push(res(invite, '200 OK', answerMs));
  return messages;
}

describe('post-dial-delay', () => {
  describe('valid (no finding)', () => {
    it('ringing after 1 s, answered after 10 s', () => expect(findingsOf(postDialDelay, call(1000, 10000))).toEqual([]));
    it('no progress at all is stuck-on-100-trying\'s', () => expect(findingsOf(postDialDelay, call(null, null), 60000)).toEqual([]));
    it('a 100 Trying is not progress', () => expect(findingsOf(postDialDelay, call(4900, null))).toEqual([]));
  });

  describe('invalid (finding)', () => {
    it('ringing after 7 s', () => {
      expect(findingsOf(postDialDelay, call(7000, 9000))).toEqual([
        { rule: 'post-dial-delay', messageId: 'slow-progress', severity: 'warning', frames: [1, 3], data: { caller: ep('10.0.0.1', 5060), pdd: ms(7000), pddMs: 7000, firstProgress: '180 Ringing', answer: ms(9000), answerMs: 9000, threshold: ms(5000) } },
      ]);
    });
    it('answered after 45 s: slow-answer at info, with both figures', () => {
      expect(findingsOf(postDialDelay, call(1000, 45000)).map((f) => [f.messageId, f.severity, f.data.pdd, f.data.answer])).toEqual([['slow-answer', 'info', ms(1000), ms(45000)]]);
    });
    it('answered after 6 s with no 18x: the answer is the first progress', () => {
      expect(findingsOf(postDialDelay, call(null, 6000)).map((f) => [f.messageId, f.data.firstProgress])).toEqual([['slow-progress', '200 OK']]);
    });
    it('measured from the first INVITE, across a 407 challenge the caller answered at once', () => {
      const first = req('INVITE', 1, 0, { to: P });
      const messages = [first, res(first, '407 Proxy Authentication Required', 10)];
      const second = req('INVITE', 2, 60, { to: P });
      messages.push(second, res(second, '180 Ringing', 5500));
      expect(findingsOf(postDialDelay, messages).map((f) => [f.messageId, f.data.pdd])).toEqual([['slow-progress', ms(5500)]]);
    });
    it('the caller\'s own wait after a 407 is not the network\'s: slow-credentials at info (sngrep-aaa call 13: 17.3 s of 17.8 s)', () => {
      const first = req('INVITE', 1, 0, { to: P });
      const messages = [first, res(first, '407 Proxy Authentication Required', 158)];
      const second = req('INVITE', 2, 17420, { to: P });
      messages.push(second, res(second, '183 In band info available', 17846));
      expect(findingsOf(postDialDelay, messages).map((f) => [f.messageId, f.severity, f.frames, f.data.pdd, f.data.callerWait, f.data.networkPdd, f.data.challenge])).toEqual([
        ['slow-credentials', 'info', [1, 2, 4], ms(17846), ms(17262), ms(584), '407'],
      ]);
    });
    it('a slow network after a slow caller is still slow-progress', () => {
      const first = req('INVITE', 1, 0, { to: P });
      const messages = [first, res(first, '401 Unauthorized', 100)];
      const second = req('INVITE', 2, 10100, { to: P });
      messages.push(second, res(second, '183 Session Progress', 16100));
      expect(findingsOf(postDialDelay, messages).map((f) => [f.messageId, f.severity, f.data.pdd])).toEqual([['slow-progress', 'warning', ms(16100)]]);
    });
    it('thresholds are options', () => {
      expect(findingsOf(postDialDelay, call(3000, 8000), undefined, { 'post-dial-delay': { options: { progressSeconds: 2, answerSeconds: 7 } } }).map((f) => f.messageId)).toEqual(['slow-progress', 'slow-answer']);
    });
  });
});
