import { beforeEach, describe, expect, it } from 'vitest';
import { malformedMessage } from '../../../src/annotate/rules/malformed-message.js';
import { A, B, rawMessage, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const HEADERS = ['Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1', 'Max-Forwards: 70', 'From: <sip:alice@example.com>;tag=a', 'To: <sip:bob@example.com>', 'Call-ID: call-1', 'CSeq: 1 INVITE'];

/** INVITE text from its lines, ending with the empty line and `body`. */
const text = (lines: string[], body = '') => [...lines, '', body].join('\r\n');
const run = (t: string, transport: 'UDP' | 'TCP' = 'UDP') => findingsOf(malformedMessage, [rawMessage(t, 0, A, B, transport)]).map((f) => [f.messageId, f.severity, f.data]);

describe('malformed-message', () => {
  describe('valid (no finding)', () => {
    it('a well-formed INVITE and its response', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(malformedMessage, [invite, res(invite, '180 Ringing', 5)])).toEqual([]);
    });
    it('no Content-Length over UDP is allowed (the datagram ends the body)', () => expect(run(text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS]))).toEqual([]));
  });

  describe('invalid (finding)', () => {
    it('Max-Forwards and Via missing', () => {
      const lines = ['INVITE sip:bob@example.com SIP/2.0', ...HEADERS.filter((h) => !h.startsWith('Max-Forwards') && !h.startsWith('Via')), 'Content-Length: 0'];
      expect(findingsOf(malformedMessage, [rawMessage(text(lines), 0, A, B)])).toEqual([
        { rule: 'malformed-message', messageId: 'missing-headers', severity: 'error', frames: [1], data: { sender: '10.0.0.1:5060', what: 'INVITE', headers: 'Via, Max-Forwards' } },
      ]);
    });
    it('Max-Forwards alone missing: info (a proxy adds it)', () => {
      const lines = ['ACK sip:bob@example.com SIP/2.0', ...HEADERS.filter((h) => !h.startsWith('Max-Forwards')).map((h) => (h.startsWith('CSeq') ? 'CSeq: 1 ACK' : h)), 'Content-Length: 0'];
      expect(run(text(lines))).toEqual([['missing-max-forwards', 'info', { sender: '10.0.0.1:5060', what: 'ACK' }]]);
    });
    it('responses need no Max-Forwards', () => {
      const lines = ['SIP/2.0 200 OK', ...HEADERS.filter((h) => !h.startsWith('Max-Forwards') && !h.startsWith('Call-ID')), 'Content-Length: 0'];
      expect(run(text(lines))).toEqual([['missing-headers', 'error', { sender: '10.0.0.1:5060', what: '200 OK', headers: 'Call-ID' }]]);
    });
    it('a bad start line', () => {
      expect(run(text(['INVITE sip:bob@example.com SIP/3.0', ...HEADERS, 'Content-Length: 0']))).toEqual([['bad-start-line', 'error', { sender: '10.0.0.1:5060', what: 'INVITE', startLine: 'INVITE sip:bob@example.com SIP/3.0' }]]);
    });
    it('Content-Length larger than the body', () => {
      expect(run(text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Length: 200'], 'v=0\r\n'))).toEqual([['content-length-mismatch', 'error', { sender: '10.0.0.1:5060', what: 'INVITE', announced: 200, actual: 5 }]]);
    });
    it('Content-Length not a number', () => {
      expect(run(text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Length: abc']))).toEqual([['content-length-invalid', 'error', { sender: '10.0.0.1:5060', what: 'INVITE', value: 'abc' }]]);
    });
    it('no Content-Length over TCP', () => {
      expect(run(text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS]), 'TCP').map(([id]) => id)).toEqual(['content-length-missing']);
    });
    it('CSeq method other than the request method', () => {
      const lines = ['BYE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Length: 0'];
      expect(run(text(lines))).toEqual([['cseq-mismatch', 'error', { sender: '10.0.0.1:5060', what: 'BYE', method: 'BYE', cseqMethod: 'INVITE' }]]);
    });
    it('unreadable mandatory headers', () => {
      const lines = ['INVITE sip:bob@example.com SIP/2.0', ...HEADERS.map((h) => (h.startsWith('CSeq') ? 'CSeq: one INVITE' : h)), 'Content-Length: 0'];
      expect(run(text(lines)).map(([id, , data]) => [id, (data as { headers: string }).headers])).toEqual([['unreadable-headers', 'CSeq']]);
    });
    it('a message cut short (no end of headers) is only reported as incomplete, at info', () => {
      const cut = ['INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1', 'From: <sip:al'].join('\r\n');
      expect(run(cut).map(([id, severity]) => [id, severity])).toEqual([['incomplete', 'info']]);
    });
    it('a retransmission is not reported twice', () => {
      const lines = ['INVITE sip:bob@example.com SIP/2.0', ...HEADERS.filter((h) => !h.startsWith('Max-Forwards')), 'Content-Length: 0'];
      const m = rawMessage(text(lines), 0, A, B);
      expect(findingsOf(malformedMessage, [m, { ...m, frame: 2, frames: [2], time: { sec: m.time.sec, nsec: 500000000 } }]).length).toBe(1);
    });
  });
});
