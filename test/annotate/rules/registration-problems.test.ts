import { beforeEach, describe, expect, it } from 'vitest';
import { registrationProblems } from '../../../src/annotate/rules/registration-problems.js';
import type { CapturedMessage } from '../../../src/types.js';
import { P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms, frameRef } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const CONTACT = '<sip:alice@10.0.0.1:5060>';

/** REGISTER `seq` at `ms` asking `asked` s, answered `status` with `extra` headers. */
function register(out: CapturedMessage[], seq: number, ms: number, asked: number | null, status: string, extra: string[] = []): void {
  const r = req('REGISTER', seq, ms, { to: P, callId: 'reg', uri: 'sip:example.com', extra: [`Contact: ${CONTACT}${asked === null ? '' : `;expires=${asked}`}`] });
  out.push(r, res(r, status, ms + 5, extra));
}

describe('registration-problems', () => {
  describe('valid (no finding)', () => {
    it('asked 3600, granted 3600, refreshed in time', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 3600, '200 OK', [`Contact: ${CONTACT};expires=3600`]);
      register(m, 2, 1800000, 3600, '200 OK', [`Contact: ${CONTACT};expires=3600`]);
      expect(findingsOf(registrationProblems, m, 1900000)).toEqual([]);
    });
    it('failures other rules explain (401, 403, 503) are not repeated here', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 3600, '401 Unauthorized');
      register(m, 2, 10, 3600, '403 Forbidden');
      register(m, 3, 20, 3600, '503 Service Unavailable');
      expect(findingsOf(registrationProblems, m)).toEqual([]);
    });
    it('a final de-registration', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 3600, '200 OK', [`Contact: ${CONTACT};expires=3600`]);
      register(m, 2, 10000, 0, '200 OK');
      expect(findingsOf(registrationProblems, m)).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('a failure no other rule explains', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 3600, '400 Bad Request');
      expect(findingsOf(registrationProblems, m)).toEqual([
        { rule: 'registration-problems', messageId: 'failed', severity: 'error', frames: [1, 2], data: { aor: 'sip:bob@example.com', registrar: ep('10.0.0.2', 5060), response: '400 Bad Request', asked: 3600 } },
      ]);
    });
    it('423 then a retry with Min-Expires', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 60, '423 Interval Too Brief', ['Min-Expires: 300']);
      register(m, 2, 10, 300, '200 OK', [`Contact: ${CONTACT};expires=300`]);
      expect(findingsOf(registrationProblems, m, 100000).map((f) => [f.messageId, f.severity, f.data.minExpires, f.data.retried])).toEqual([['interval-too-brief-retried', 'info', 300, 300]]);
    });
    it('423 and no retry', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 60, '423 Interval Too Brief', ['Min-Expires: 300']);
      expect(findingsOf(registrationProblems, m).map((f) => [f.messageId, f.severity])).toEqual([['interval-too-brief', 'warning']]);
    });
    it('expiry shortened and lengthened', () => {
      const short: CapturedMessage[] = [];
      register(short, 1, 0, 3600, '200 OK', [`Contact: ${CONTACT};expires=60`]);
      expect(findingsOf(registrationProblems, short, 30000).map((f) => [f.messageId, f.severity, f.data.asked, f.data.granted])).toEqual([['expires-shortened', 'info', 3600, 60]]);
      const long: CapturedMessage[] = [];
      register(long, 1, 0, 60, '200 OK', ['Expires: 3600', `Contact: <sip:other@10.9.9.9>;expires=100, ${CONTACT};expires=3600`]);
      expect(findingsOf(registrationProblems, long, 30000).map((f) => [f.messageId, f.data.granted])).toEqual([['expires-lengthened', 3600]]);
    });
    it('expiry shortened and the refresh late: one data object, which the later reports add to', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 3600, '200 OK', [`Contact: ${CONTACT};expires=60`]);
      register(m, 2, 90000, 3600, '200 OK', [`Contact: ${CONTACT};expires=3600`]);
      const [shortened, late] = findingsOf(registrationProblems, m, 100000);
      expect([shortened?.messageId, late?.messageId]).toEqual(['expires-shortened', 'refresh-late']);
      expect(Object.keys(shortened!.data)).toEqual(['aor', 'registrar', 'response', 'asked', 'granted', 'since']);
      expect(shortened!.data.since).toEqual(late!.data.since);
      expect(Object.keys(late!.data)).toEqual(['aor', 'registrar', 'response', 'asked', 'granted', 'since', 'elapsed', 'lapsed']);
    });
    it('the registrar answers with the binding at expires 0', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 3600, '200 OK', [`Contact: ${CONTACT};expires=0`]);
      expect(findingsOf(registrationProblems, m).map((f) => f.messageId)).toEqual(['contact-removed']);
    });
    it('refresh late, and refresh missing', () => {
      const late: CapturedMessage[] = [];
      register(late, 1, 0, 60, '200 OK', [`Contact: ${CONTACT};expires=60`]);
      register(late, 2, 90000, 60, '200 OK', [`Contact: ${CONTACT};expires=60`]);
      expect(findingsOf(registrationProblems, late, 100000).map((f) => [f.messageId, f.data.lapsed])).toEqual([['refresh-late', ms(29995)]]);
      const missing: CapturedMessage[] = [];
      register(missing, 1, 0, 60, '200 OK', [`Contact: ${CONTACT};expires=60`]);
      expect(findingsOf(registrationProblems, missing, 120000).map((f) => [f.messageId, f.data.since])).toEqual([['refresh-missing', frameRef(6)]]);
    });
    it('de-registered, then registered again', () => {
      const m: CapturedMessage[] = [];
      register(m, 1, 0, 0, '200 OK');
      register(m, 2, 2000, 3600, '200 OK', [`Contact: ${CONTACT};expires=3600`]);
      expect(findingsOf(registrationProblems, m).map((f) => [f.messageId, f.severity, f.data.after])).toEqual([['deregistered', 'info', ms(1995)]]);
    });
  });
});
