import { beforeEach, describe, expect, it } from 'vitest';
import { prackProblems } from '../../../src/annotate/rules/prack-problems.js';
import { again, req, res, resetCatalogFrames, sdp } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const reliable = (rseq: number) => ['Require: 100rel', `RSeq: ${rseq}`, 'Contact: <sip:bob@10.0.0.3>'];
const prack = (rseq: number, ms: number, seq = 2) => req('PRACK', seq, ms, { toTag: 'b', extra: [`RAck: ${rseq} 1 INVITE`] });

describe('prack-problems', () => {
  describe('valid (no finding)', () => {
    it('a reliable 183 PRACKed and answered 200', () => {
      const invite = req('INVITE', 1, 0, { extra: ['Supported: 100rel'] });
      const p = prack(1, 30);
      const messages = [invite, res(invite, '183 Session Progress', 20, reliable(1), { body: sdp('10.0.0.3') }), p, res(p, '200 OK', 40)];
      expect(findingsOf(prackProblems, messages)).toEqual([]);
    });
    it('an unreliable 180 needs no PRACK', () => {
      const invite = req('INVITE', 1, 0);
      const ringing = res(invite, '180 Ringing', 20);
      expect(findingsOf(prackProblems, [invite, ringing, again(ringing, 520)])).toEqual([]);
    });
    it('two reliable 18x with different RSeq, each PRACKed, are not retransmissions', () => {
      const invite = req('INVITE', 1, 0);
      const first = res(invite, '183 Session Progress', 20, reliable(1));
      const p1 = prack(1, 30);
      const messages = [invite, first, p1, res(p1, '200 OK', 31)];
      messages.push(res(invite, '183 Session Progress', 600, reliable(2)));
      const p2 = prack(2, 610, 3);
      messages.push(p2, res(p2, '200 OK', 611));
      expect(findingsOf(prackProblems, messages)).toEqual([]);
    });
    it('a retransmitted reliable 183 whose PRACK is not captured but answered (sent inside IPsec, as VoWiFi phones do)', () => {
      const invite = req('INVITE', 1, 0);
      const progress = res(invite, '183 Session Progress', 20, reliable(1));
      const p = prack(1, 900);
      // Only the P-CSCF's side is readable: its 200 to the PRACK, not the PRACK.
      expect(findingsOf(prackProblems, [invite, progress, again(progress, 520), res(p, '200 OK', 910)])).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('a reliable 180 retransmitted and never PRACKed', () => {
      const invite = req('INVITE', 1, 0);
      const ringing = res(invite, '180 Ringing', 20, reliable(7));
      expect(findingsOf(prackProblems, [invite, ringing, again(ringing, 520), again(ringing, 1520)])).toEqual([
        { rule: 'prack-problems', messageId: 'not-acknowledged', severity: 'error', frames: [2, 3, 4], data: { response: '180 Ringing', rseq: 7, cseq: 1, uas: ep('10.0.0.3', 5060), uac: ep('10.0.0.1', 5060), copies: 3, waited: ms(1500) } },
      ]);
    });
    it('an uncaptured PRACK answered before the reliable 1xx does not count for it', () => {
      const invite = req('INVITE', 1, 0);
      const first = res(invite, '183 Session Progress', 20, reliable(1));
      const prackAnswered = res(prack(1, 30), '200 OK', 31);
      const second = res(invite, '180 Ringing', 600, reliable(2));
      const messages = [invite, first, prackAnswered, second, again(second, 1100)];
      expect(findingsOf(prackProblems, messages).map((f) => [f.messageId, f.data.rseq])).toEqual([['not-acknowledged', 2]]);
    });
    it('a PRACK with the wrong RAck does not count', () => {
      const invite = req('INVITE', 1, 0);
      const ringing = res(invite, '180 Ringing', 20, reliable(7));
      const messages = [invite, ringing, prack(8, 30), again(ringing, 520)];
      expect(findingsOf(prackProblems, messages).map((f) => f.messageId)).toEqual(['not-acknowledged']);
    });
    it('a PRACK answered 481', () => {
      const invite = req('INVITE', 1, 0);
      const messages = [invite, res(invite, '183 Session Progress', 20, reliable(1))];
      const p = prack(1, 30);
      messages.push(p, res(p, '481 Call/Transaction Does Not Exist', 40));
      expect(findingsOf(prackProblems, messages).map((f) => [f.messageId, f.frames, f.data.prackResponse])).toEqual([['prack-failed', [2, 3, 4], '481 Call/Transaction Does Not Exist']]);
    });
  });
});
