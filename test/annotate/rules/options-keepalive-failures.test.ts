import { beforeEach, describe, expect, it } from 'vitest';
import { optionsKeepaliveFailures } from '../../../src/annotate/rules/options-keepalive-failures.js';
import { again, P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, portUnreachable } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const ping = (seq: number, ms: number) => req('OPTIONS', seq, ms, { to: P, callId: 'ka', uri: 'sip:10.0.0.2' });

describe('options-keepalive-failures', () => {
  describe('valid (no finding)', () => {
    it('answered 200', () => {
      const p = ping(1, 0);
      expect(findingsOf(optionsKeepaliveFailures, [p, res(p, '200 OK', 5)], 60000)).toEqual([]);
    });
    it('answered 404 or 405: the peer is alive', () => {
      const a = ping(1, 0);
      const b = ping(2, 30000);
      expect(findingsOf(optionsKeepaliveFailures, [a, res(a, '404 Not Found', 5), b, res(b, '405 Method Not Allowed', 30005)], 60000)).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('pings unanswered until Timer F, counted', () => {
      const a = ping(1, 0);
      const messages = [a, again(a, 500), again(a, 1500)];
      const b = ping(2, 40000);
      messages.push(b, res(b, '200 OK', 40005));
      expect(findingsOf(optionsKeepaliveFailures, messages, 60000)).toEqual([
        { rule: 'options-keepalive-failures', messageId: 'unanswered', severity: 'error', frames: [1, 2, 3], data: { sender: ep('10.0.0.1', 5060), peer: ep('10.0.0.2', 5060), pings: 2, unanswered: 1, unresolved: 0, failing: 0 } },
      ]);
    });
    it('answered 503: failing at warning', () => {
      const a = ping(1, 0);
      expect(findingsOf(optionsKeepaliveFailures, [a, res(a, '503 Service Unavailable', 5)], 60000).map((f) => [f.messageId, f.severity, f.data.response, f.frames])).toEqual([['failing', 'warning', '503 Service Unavailable', [1, 2]]]);
    });
    it('an OPTIONS sent once over UDP and never retransmitted, unanswered past Timer F: no transaction gave up, so unresolved (sent-once, info)', () => {
      const a = ping(1, 0);
      expect(findingsOf(optionsKeepaliveFailures, [a], 60000)).toEqual([
        { rule: 'options-keepalive-failures', messageId: 'sent-once', severity: 'info', frames: [1], data: { sender: ep('10.0.0.1', 5060), peer: ep('10.0.0.2', 5060), pings: 1, unanswered: 0, unresolved: 0, failing: 0, sentOnce: 1 } },
      ]);
    });
    it('an OPTIONS sent once over UDP and bounced by an ICMP port unreachable: unanswered, not sent-once (the transport error ended the transaction, RFC 3261 §17.1.4, §18.4)', () => {
      const a = ping(1, 0);
      expect(findingsOf(optionsKeepaliveFailures, [a], 60000, {}, [portUnreachable(a, 0)]).map((f) => [f.messageId, f.severity, f.data.unanswered])).toEqual([['unanswered', 'error', 1]]);
    });
    it('one sent once and one retransmitted to Timer F on the same hop: the retransmitted one is the keep-alive that failed', () => {
      const a = ping(1, 0);
      const b = ping(2, 1000);
      const findings = findingsOf(optionsKeepaliveFailures, [a, b, again(b, 1500), again(b, 2500)], 60000);
      expect(findings.map((f) => [f.messageId, f.severity, f.data.unanswered])).toEqual([['unanswered', 'error', 1]]);
    });
    it('capture ended before Timer F: unresolved at info', () => {
      const a = ping(1, 0);
      expect(findingsOf(optionsKeepaliveFailures, [a, again(a, 500)], 3000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'info']]);
    });
  });
});
