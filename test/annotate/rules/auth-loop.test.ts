import { beforeEach, describe, expect, it } from 'vitest';
import { authLoop } from '../../../src/annotate/rules/auth-loop.js';
import type { CapturedMessage } from '../../../src/types.js';
import { P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const challenge = (nonce: string, stale = false) => [`WWW-Authenticate: Digest realm="example.com", nonce="${nonce}", algorithm=MD5${stale ? ', stale=TRUE' : ''}`];
const credentials = (nonce: string) => [`Authorization: Digest username="alice", realm="example.com", nonce="${nonce}", uri="sip:example.com", response="0123456789abcdef0123456789abcdef"`];

/** REGISTER number `seq` (with credentials for `nonce`, or none) and its response. */
function attempt(out: CapturedMessage[], seq: number, ms: number, nonce: string | null, status: string, answerNonce = `n${seq}`, stale = false): void {
  const r = req('REGISTER', seq, ms, { to: P, callId: 'reg', extra: nonce === null ? [] : credentials(nonce), uri: 'sip:example.com' });
  out.push(r, res(r, status, ms + 5, status.startsWith('401') ? challenge(answerNonce, stale) : []));
}

describe('auth-loop', () => {
  describe('valid (no finding)', () => {
    it('a challenge answered once, then 200', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      attempt(m, 2, 20, 'n1', '200 OK');
      expect(findingsOf(authLoop, m, 60000)).toEqual([]);
    });
    it('a stale nonce is re-challenged and then accepted', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      attempt(m, 2, 20, 'n1', '401 Unauthorized', 'n2', true);
      attempt(m, 3, 40, 'n2', '200 OK');
      expect(findingsOf(authLoop, m, 60000)).toEqual([]);
    });
    it('INVITE 407, ACK, INVITE with credentials, 200', () => {
      const invite = req('INVITE', 1, 0, { to: P });
      const m = [invite, res(invite, '407 Proxy Authentication Required', 5, ['Proxy-Authenticate: Digest realm="example.com", nonce="x"'])];
      m.push(req('ACK', 1, 6, { to: P, toTag: 'b', branch: 'z9hG4bK-invite-1' }));
      const again = req('INVITE', 2, 10, { to: P, extra: ['Proxy-Authorization: Digest username="alice", realm="example.com", nonce="x", uri="sip:bob@example.com", response="00"'] });
      m.push(again, res(again, '200 OK', 20));
      expect(findingsOf(authLoop, m, 60000)).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('credentials refused and never accepted: rejected', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      attempt(m, 2, 20, 'n1', '401 Unauthorized', 'n2');
      expect(findingsOf(authLoop, m, 60000)).toEqual([
        { rule: 'auth-loop', messageId: 'rejected', severity: 'error', frames: [3, 4], data: { method: 'REGISTER', realm: 'example.com', user: 'alice', server: ep('10.0.0.2', 5060), challenge: '401', count: 1, delay: ms(15) } },
      ]);
    });
    it('credentials over another URI than the Request-URI, refused with a new challenge: wrong-digest-uri, naming both', () => {
      const r1 = req('REGISTER', 1, 0, { to: P, callId: 'reg', uri: 'sip:example.com' });
      const r2 = req('REGISTER', 2, 20, { to: P, callId: 'reg', uri: 'sip:example.com', extra: [credentials('n1')[0]!.replace('uri="sip:example.com"', 'uri="sip:192.168.1.2"')] });
      const m = [r1, res(r1, '401 Unauthorized', 5, challenge('n1')), r2, res(r2, '401 Unauthorized', 25, challenge('n2'))];
      expect(findingsOf(authLoop, m, 60000)).toEqual([
        {
          rule: 'auth-loop',
          messageId: 'wrong-digest-uri',
          severity: 'error',
          frames: [2, 4],
          data: { method: 'REGISTER', realm: 'example.com', user: 'alice', server: ep('10.0.0.2', 5060), challenge: '401', count: 1, delay: ms(15), digestUri: 'sip:192.168.1.2', requestUri: 'sip:example.com' },
        },
      ]);
    });
    it('challenged again and again: loop', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      for (let k = 2; k <= 4; k++) attempt(m, k, k * 20, `n${k - 1}`, '401 Unauthorized', `n${k}`);
      expect(findingsOf(authLoop, m, 60000).map((f) => [f.messageId, f.data.count, f.frames])).toEqual([['loop', 3, [3, 4, 5, 6, 7, 8]]]);
    });
    it('a loop threshold of 2 catches two refusals even with a final success', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      attempt(m, 2, 20, 'n1', '401 Unauthorized', 'n2');
      attempt(m, 3, 40, 'n2', '401 Unauthorized', 'n3');
      attempt(m, 4, 60, 'n3', '200 OK');
      expect(findingsOf(authLoop, m, 60000, { 'auth-loop': { options: { loopThreshold: 2 } } }).map((f) => f.messageId)).toEqual(['loop']);
    });
    it('a refused nonce sent again', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      attempt(m, 2, 20, 'n1', '401 Unauthorized', 'n2');
      attempt(m, 3, 40, 'n1', '401 Unauthorized', 'n3');
      expect(findingsOf(authLoop, m, 60000).map((f) => [f.messageId, f.data.nonce, f.frames])).toEqual([['nonce-reused', 'n1', [3, 4, 5, 6]]]);
    });
    it('a refresh that reuses a cached nonce and is challenged again is not a refusal', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      attempt(m, 2, 20, 'n1', '200 OK');
      attempt(m, 3, 600000, 'n1', '401 Unauthorized', 'n2');
      attempt(m, 4, 600020, 'n2', '200 OK');
      attempt(m, 5, 1200000, 'n2', '401 Unauthorized', 'n3');
      attempt(m, 6, 1200020, 'n3', '200 OK');
      expect(findingsOf(authLoop, m, 1300000)).toEqual([]);
    });
    it('a challenge never answered: unanswered (warning), or unresolved (info) when the capture ends soon after', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      expect(findingsOf(authLoop, m, 120000).map((f) => [f.messageId, f.severity, f.data.waited])).toEqual([['unanswered', 'warning', ms(119995)]]);
      expect(findingsOf(authLoop, m, 1000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'info']]);
      // A phone may be waiting for its user to type the password (sngrep-aaa answers 17 to 51 s later).
      expect(findingsOf(authLoop, m, 30000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'info']]);
    });
    it('a challenge that only an attempt at another method followed is still unanswered: attempts are told per method', () => {
      const m: CapturedMessage[] = [];
      attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
      const options = req('OPTIONS', 2, 20, { to: P, callId: 'reg', uri: 'sip:example.com' });
      m.push(options, res(options, '200 OK', 25));
      expect(findingsOf(authLoop, m, 120000).map((f) => [f.messageId, f.data.method, f.frames])).toEqual([['unanswered', 'REGISTER', [1, 2]]]);
    });
  });
});

describe('auth-loop: slow credentials and repeated nonces', () => {
  it('invalid: credentials 17 s after the challenge, refused: nonce-expired', () => {
    const m: CapturedMessage[] = [];
    attempt(m, 1, 0, null, '401 Unauthorized', 'n1');
    attempt(m, 2, 17000, 'n1', '401 Nonce has changed', 'n2');
    expect(findingsOf(authLoop, m, 60000).map((f) => [f.messageId, f.severity, f.data.delay])).toEqual([['nonce-expired', 'error', ms(16995)]]);
  });
  it('invalid: a server that re-challenges with the same nonce is refusing, not a client reusing it', () => {
    const m: CapturedMessage[] = [];
    attempt(m, 1, 0, null, '401 Unauthorized', 'same');
    attempt(m, 2, 20, 'same', '401 Unauthorized', 'same');
    attempt(m, 3, 40, 'same', '401 Unauthorized', 'same');
    expect(findingsOf(authLoop, m, 60000).map((f) => [f.messageId, f.data.count])).toEqual([['rejected', 2]]);
  });
});
