import { beforeEach, describe, expect, it } from 'vitest';
import { stuckOn100Trying } from '../../../src/annotate/rules/stuck-on-100-trying.js';
import { findingsOf, ep, ms } from '../../support/rules.js';
import { A, B, captured, dialogHeaders as h, resetFrames } from '../../support/sip.js';
import { again, P, req, res, resetCatalogFrames } from '../../support/catalog.js';

beforeEach(resetFrames);
beforeEach(resetCatalogFrames);

const invite = (ms: number) => captured(['INVITE sip:bob@example.com SIP/2.0', ...h({ cseq: '1 INVITE' })], ms, A, B);
const response = (status: string, ms: number, cseq = '1 INVITE') => captured([`SIP/2.0 ${status}`, ...h({ cseq, toTag: status.startsWith('100') ? null : 'b' })], ms, B, A);
const cancel = (ms: number) => captured(['CANCEL sip:bob@example.com SIP/2.0', ...h({ cseq: '1 CANCEL' })], ms, A, B);
const run = (messages: Parameters<typeof findingsOf>[1], end?: number, thresholdSeconds?: number) =>
  findingsOf(stuckOn100Trying, messages, end, thresholdSeconds === undefined ? {} : { 'stuck-on-100-trying': { options: { thresholdSeconds } } });

describe('stuck-on-100-trying', () => {
  describe('valid (no finding)', () => {
    it('100 then 180', () => expect(run([invite(0), response('100 Trying', 20), response('180 Ringing', 3000)])).toEqual([]));
    it('100 then 200 within the threshold', () => expect(run([invite(0), response('100 Trying', 20), response('200 OK', 9000)])).toEqual([]));
    it('100 then a quick CANCEL by the user', () => expect(run([invite(0), response('100 Trying', 20), cancel(3000), response('487 Request Terminated', 3010)])).toEqual([]));
    it('no 100 at all (that is another rule\'s case)', () => expect(run([invite(0)], 60000)).toEqual([]));
    it('100 then 486 within the threshold', () => expect(run([invite(0), response('100 Trying', 20), response('486 Busy Here', 4000)])).toEqual([]));
  });

  describe('invalid (finding)', () => {
    it('100 then nothing for 12 s, when the capture ends', () => {
      expect(run([invite(0), response('100 Trying', 20)], 12000)).toEqual([
        { rule: 'stuck-on-100-trying', messageId: 'capture-ended', severity: 'error', frames: [1, 2], data: expect.objectContaining({ waitedMs: 12000, endedBy: 'capture-ended', hop: ep('10.0.0.3', 5060) }) },
      ]);
    });

    it('100 then the capture ends after 3 s: unresolved, at info, with the shorter wait stated', () => {
      expect(run([invite(0), response('100 Trying', 20)], 3000)).toEqual([
        { rule: 'stuck-on-100-trying', messageId: 'unresolved', severity: 'info', frames: [1, 2], data: expect.objectContaining({ waitedMs: 3000, waited: ms(3000), threshold: ms(10000) }) },
      ]);
    });

    it('100 then the caller cancels after 12.4 s', () => {
      const findings = run([invite(0), response('100 Trying', 18), cancel(12402), response('200 OK', 12405, '1 CANCEL'), response('487 Request Terminated', 12406)]);
      expect(findings).toEqual([{ rule: 'stuck-on-100-trying', messageId: 'cancelled', severity: 'warning', frames: [1, 2, 3], data: expect.objectContaining({ waitedMs: 12402, tryingAfter: ms(18) }) }]);
    });

    it('100 then 408 Request Timeout from the next hop', () => {
      const findings = run([invite(0), response('100 Trying', 18), response('408 Request Timeout', 32000)]);
      expect(findings).toEqual([expect.objectContaining({ messageId: 'timeout', severity: 'error', frames: [1, 2, 3] })]);
    });

    it('100 then 408 from a proxy whose own INVITE to the next hop got no response: the silent hop is named', () => {
      const first = req('INVITE', 1, 0, { to: P, branch: 'z9hG4bK-a' });
      const trying = res(first, '100 Trying', 5);
      const forwarded = req('INVITE', 1, 10, { from: P, to: B, branch: 'z9hG4bK-p' });
      const copies = [510, 1510, 3510].map((t) => again(forwarded, t));
      const timeout = res(first, '408 Request Timeout', 32010);
      const findings = findingsOf(stuckOn100Trying, [first, trying, forwarded, ...copies, timeout]);
      expect(findings).toEqual([
        { rule: 'stuck-on-100-trying', messageId: 'timeout-silent-hop', severity: 'error', frames: [first.frame, trying.frame, forwarded.frame, timeout.frame], data: expect.objectContaining({ hop: ep('10.0.0.2', 5060), nextHop: ep('10.0.0.3', 5060), waitedMs: 32010, endedBy: 'timeout' }) },
      ]);
    });

    it('100 then 408 from a proxy whose next hop did answer (with a 408 of its own): no silent hop to name', () => {
      const first = req('INVITE', 1, 0, { to: P, branch: 'z9hG4bK-a' });
      const forwarded = req('INVITE', 1, 10, { from: P, to: B, branch: 'z9hG4bK-p' });
      const findings = findingsOf(stuckOn100Trying, [first, res(first, '100 Trying', 5), forwarded, res(forwarded, '408 Request Timeout', 32000), res(first, '408 Request Timeout', 32010)]);
      expect(findings.map((f) => f.messageId)).toEqual(['timeout']);
    });

    it('valid: 100, then nothing for 20 s, then 200 OK: answered in the end, so not stuck (post-dial-delay tells that wait)', () => {
      expect(run([invite(0), response('100 Trying', 18), response('200 OK', 20000)])).toEqual([]);
    });

    it('valid: the first hop got only 100 but the next hop\'s 200 is captured: answered, not stuck', () => {
      const first = req('INVITE', 1, 0, { to: P, branch: 'z9hG4bK-a' });
      const forwarded = req('INVITE', 1, 10, { from: P, to: B, branch: 'z9hG4bK-p' });
      expect(findingsOf(stuckOn100Trying, [first, res(first, '100 Trying', 5), forwarded, res(forwarded, '200 OK', 20000)], 25000)).toEqual([]);
    });

    it('100 then a late final response', () => {
      const findings = run([invite(0), response('100 Trying', 18), response('480 Temporarily Unavailable', 31000)]);
      expect(findings).toEqual([expect.objectContaining({ messageId: 'late-response', data: expect.objectContaining({ status: '480 Temporarily Unavailable' }) })]);
    });

    it('honours the threshold option', () => {
      expect(run([invite(0), response('100 Trying', 20), response('180 Ringing', 3000)], undefined, 2)).toEqual([expect.objectContaining({ messageId: 'late-response' })]);
    });

    it('ignores retransmitted 100s when looking for progress', () => {
      const findings = run([invite(0), response('100 Trying', 20), invite(500), response('100 Trying', 520)], 15000);
      expect(findings.map((f) => f.messageId)).toEqual(['capture-ended']);
    });
  });
});
