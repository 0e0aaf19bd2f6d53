import { beforeEach, describe, expect, it } from 'vitest';
import { noResponse } from '../../../src/annotate/rules/no-response.js';
import { again, B, over, P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms, portUnreachable } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** An INVITE sent at 0 and retransmitted on the RFC 3261 schedule (T1 = t1). */
function unansweredInvite(copies: number, t1 = 500) {
  const invite = req('INVITE', 1, 0);
  const out = [invite];
  let at = 0;
  for (let k = 1; k < copies; k++) out.push(again(invite, (at += t1 * 2 ** (k - 1))));
  return out;
}

describe('no-response', () => {
  describe('valid (no finding)', () => {
    it('an INVITE answered 100 Trying', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(noResponse, [invite, res(invite, '100 Trying', 10)], 60000)).toEqual([]);
    });
    it('a MESSAGE retransmitted once, then answered', () => {
      const m = req('MESSAGE', 1, 0);
      expect(findingsOf(noResponse, [m, again(m, 500), res(m, '200 OK', 600)], 60000)).toEqual([]);
    });
    it('ACK, BYE and OPTIONS are left to their own rules', () => {
      expect(findingsOf(noResponse, [req('ACK', 1, 0, { toTag: 'b' }), req('BYE', 2, 10, { toTag: 'b' }), req('OPTIONS', 3, 20)], 60000)).toEqual([]);
    });
    it('a request sent once at the very end of the capture', () => {
      expect(findingsOf(noResponse, [req('INVITE', 1, 0)], 1000)).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('retransmitted until Timer B: timeout, with the copies and the timer', () => {
      expect(findingsOf(noResponse, unansweredInvite(7), 40000)).toEqual([
        {
          rule: 'no-response',
          messageId: 'timeout',
          severity: 'error',
          frames: [1, 2, 3, 4, 5, 6, 7],
          data: expect.objectContaining({ method: 'INVITE', peer: ep('10.0.0.3', 5060), copies: 7, retransmissions: 6, waitedMs: 40000, timer: ms(32000), timerName: 'Timer B', t1: ms(500), t1Source: 'trace' }),
        },
      ]);
    });

    it('the capture ends before Timer B: unresolved at warning, with the copies', () => {
      expect(findingsOf(noResponse, unansweredInvite(5), 8500)).toEqual([
        expect.objectContaining({ messageId: 'unresolved', severity: 'warning', frames: [1, 2, 3, 4, 5], data: expect.objectContaining({ copies: 5, waitedMs: 8500 }) }),
      ]);
    });

    it('the last copy Timer B allows (the 7th, at 31.5 s) and a capture that ends with it: last-copy, an error', () => {
      expect(findingsOf(noResponse, unansweredInvite(7), 31500)).toEqual([
        expect.objectContaining({ messageId: 'last-copy', severity: 'error', frames: [1, 2, 3, 4, 5, 6, 7], data: expect.objectContaining({ copies: 7, last: ms(31500), timer: ms(32000) }) }),
      ]);
    });

    it('six copies (the last at 15.5 s) and a capture that ends with them: still unresolved', () => {
      expect(findingsOf(noResponse, unansweredInvite(6), 15500).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'warning']]);
    });

    it('T1 comes from the trace: with T1 = 250 ms Timer F is 16 s', () => {
      const m = req('MESSAGE', 1, 0);
      const findings = findingsOf(noResponse, [m, again(m, 250), again(m, 750), again(m, 1750)], 17000);
      expect(findings.map((f) => [f.messageId, f.data.t1, f.data.timer, f.data.timerName])).toEqual([['timeout', ms(250), ms(16000), 'Timer F']]);
    });

    it('the t1Ms option is used when nothing was retransmitted', () => {
      const findings = findingsOf(noResponse, [over('TCP', req('INVITE', 1, 0))], 20000, { 'no-response': { options: { t1Ms: 250 } } });
      expect(findings.map((f) => [f.messageId, f.data.timer, f.data.t1Source])).toEqual([['timeout-reliable', ms(16000), 'default']]);
    });

    it('a request sent once, then several seconds of capture: unresolved-once at info', () => {
      expect(findingsOf(noResponse, [req('SUBSCRIBE', 1, 0)], 5000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved-once', 'info']]);
    });

    it('a capture duplicate (same packet twice within 20 ms) is not a retransmission', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(noResponse, [invite, again(invite, 0.2)], 5000).map((f) => [f.messageId, f.data.copies])).toEqual([['unresolved-once', 1]]);
    });

    it('sent once over UDP and never again while the capture went on past Timer B: sent-once at info (the capture misses part of it; pcapplusplus-sip-reqs, heplify-sip-ipv6-udp)', () => {
      expect(findingsOf(noResponse, [req('INVITE', 1, 0)], 60000).map((f) => [f.messageId, f.severity, f.data.copies])).toEqual([['sent-once', 'info', 1]]);
      expect(findingsOf(noResponse, [req('CANCEL', 1, 0)], 60000).map((f) => [f.messageId, f.severity])).toEqual([['sent-once', 'info']]);
    });

    it('sent once over UDP and bounced by an ICMP port unreachable: timeout, not sent-once (the transport error ended the transaction, RFC 3261 §17.1.4, §18.4)', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(noResponse, [invite], 60000, {}, [portUnreachable(invite, 0)]).map((f) => [f.messageId, f.severity, f.data.copies])).toEqual([['timeout', 'error', 1]]);
    });

    it('over TCP: silence until Timer B', () => {
      expect(findingsOf(noResponse, [over('TCP', req('INVITE', 1, 0))], 33000).map((f) => [f.messageId, f.severity, f.data.transport])).toEqual([['timeout-reliable', 'error', 'TCP']]);
    });
  });
});

describe('no-response: a proxy that gave up on a silent next hop', () => {
  beforeEach(resetCatalogFrames);
  it('invalid (error): the proxy answered its caller 408 before Timer B, so its INVITE to the next hop is known to have had no answer (given-up)', () => {
    const first = req('INVITE', 1, 0, { to: P, branch: 'z9hG4bK-a' });
    const trying = res(first, '100 Trying', 5);
    const forwarded = req('INVITE', 1, 10, { from: P, to: B, branch: 'z9hG4bK-p' });
    const copies = [510, 1510, 3510, 7510, 11510].map((t) => again(forwarded, t));
    const timeout = res(first, '408 Request Timeout', 30000);
    const findings = findingsOf(noResponse, [first, trying, forwarded, ...copies, timeout], 30001);
    expect(findings).toEqual([
      {
        rule: 'no-response',
        messageId: 'given-up',
        severity: 'error',
        frames: [forwarded.frame, ...copies.map((c) => c.frame), timeout.frame],
        data: expect.objectContaining({ method: 'INVITE', peer: ep('10.0.0.3', 5060), sender: ep('10.0.0.2', 5060), copies: 6, waitedMs: 29990, response: '408 Request Timeout' }),
      },
    ]);
  });

  it('a 487 to the caller (it cancelled) is no proof: still unresolved before Timer B', () => {
    const first = req('INVITE', 1, 0, { to: P, branch: 'z9hG4bK-a' });
    const forwarded = req('INVITE', 1, 10, { from: P, to: B, branch: 'z9hG4bK-p' });
    const copies = [510, 1510].map((t) => again(forwarded, t));
    const findings = findingsOf(noResponse, [first, res(first, '100 Trying', 5), forwarded, ...copies, res(first, '487 Request Terminated', 3000)], 3001);
    expect(findings.map((f) => f.messageId)).toEqual(['unresolved']);
  });
});
