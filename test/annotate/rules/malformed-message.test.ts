import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { REPO_ROOT } from '../../support/captures.js';
import { malformedMessage } from '../../../src/annotate/rules/malformed-message.js';
import { A, B, rawMessage, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';
import type { Transport } from '../../../src/types.js';
import { checkCall } from '../../../src/annotate/engine.js';
import { SourceTracker } from '../../../src/annotate/sources.js';
import { correlate } from '../../../src/parse/dialog/correlate.js';

beforeEach(resetCatalogFrames);

const HEADERS = ['Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1', 'Max-Forwards: 70', 'From: <sip:alice@example.com>;tag=a', 'To: <sip:bob@example.com>', 'Call-ID: call-1', 'CSeq: 1 INVITE'];

/** INVITE text from its lines, ending with the empty line and `body`. */
const text = (lines: string[], body = '') => [...lines, '', body].join('\r\n');
const run = (t: string, transport: Transport = 'UDP') => findingsOf(malformedMessage, [rawMessage(t, 0, A, B, transport)]).map((f) => [f.messageId, f.severity, f.data]);
/** The same, read from line 2 of a text log (no frame). */
const runLogged = (t: string, transport: Transport = 'UDP') =>
  findingsOf(malformedMessage, [{ ...rawMessage(t, 0, A, B, transport), frame: null, frames: [], line: 2 }]).map((f) => [f.messageId, f.severity, f.data]);
/** An INVITE announcing 2627 body bytes of which only the first SDP line is there. */
const SHORT_BODY = text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Type: application/sdp', 'Content-Length: 2627'], 'v=0\r\n');

describe('malformed-message', () => {
  describe('valid (no finding)', () => {
    it('a well-formed INVITE and its response', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(malformedMessage, [invite, res(invite, '180 Ringing', 5)])).toEqual([]);
    });
    it('no Content-Length over UDP is allowed (the datagram ends the body)', () => expect(run(text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS]))).toEqual([]));
    it('no Content-Length over WS, WSS or SCTP is allowed: one SIP message per WebSocket or SCTP message (RFC 7118 §5.1, RFC 4168; sipjs-console-log-websocket-401-sipjs-129.txt)', () => {
      for (const transport of ['WS', 'WSS', 'SCTP'] as const) {
        expect(run(text(['ACK sip:bob@example.com SIP/2.0', ...HEADERS.map((h) => (h.startsWith('CSeq') ? 'CSeq: 1 ACK' : h))]), transport), transport).toEqual([]);
        expect(runLogged(text(['ACK sip:bob@example.com SIP/2.0', ...HEADERS.map((h) => (h.startsWith('CSeq') ? 'CSeq: 1 ACK' : h))]), transport), `${transport} (log)`).toEqual([]);
      }
    });
  });

  describe('valid: a message the capture\'s snap length cut is not judged (sip.cut-by-capture says it)', () => {
    it('a UDP INVITE whose body the snap length cut: no content-length-mismatch', () =>
      expect(findingsOf(malformedMessage, [{ ...rawMessage(SHORT_BODY, 0, A, B), cutByCapture: 2622 }])).toEqual([]));
    it('tcpdump -s 450 of a sipp call: the INVITE and the 200 cut in their SDP, no finding, one counted diagnostic (fixtures/real/tcpdump-snaplen-450.pcap)', async () => {
      const result = await analyze([join(REPO_ROOT, 'fixtures', 'real', 'tcpdump-snaplen-450.pcap')]);
      expect(result.calls.flatMap((c) => c.findings.filter((f) => f.rule === 'malformed-message'))).toEqual([]);
      expect(result.messages.map((m) => m.cutByCapture)).toEqual([106, 0, 65, 0, 0, 0]);
      expect(result.inputs[0]!.diagnostics.filter((d) => d.code === 'sip.cut-by-capture').map((d) => [d.values, d.count])).toEqual([[{ frame: 1, captured: 408, missing: 106 }, 2]]);
    });
    it('its headers cut too: no incomplete, no missing headers', () =>
      expect(findingsOf(malformedMessage, [{ ...rawMessage('INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060', 0, A, B), cutByCapture: 900 }])).toEqual([]));
  });

  describe('invalid (finding)', () => {
    it('Max-Forwards and Via missing', () => {
      const lines = ['INVITE sip:bob@example.com SIP/2.0', ...HEADERS.filter((h) => !h.startsWith('Max-Forwards') && !h.startsWith('Via')), 'Content-Length: 0'];
      expect(findingsOf(malformedMessage, [rawMessage(text(lines), 0, A, B)])).toEqual([
        { rule: 'malformed-message', messageId: 'missing-headers', severity: 'error', frames: [1], data: { sender: ep('10.0.0.1', 5060), what: 'INVITE', headers: 'Via, Max-Forwards' } },
      ]);
    });
    it('Max-Forwards alone missing: info (a proxy adds it)', () => {
      const lines = ['ACK sip:bob@example.com SIP/2.0', ...HEADERS.filter((h) => !h.startsWith('Max-Forwards')).map((h) => (h.startsWith('CSeq') ? 'CSeq: 1 ACK' : h)), 'Content-Length: 0'];
      expect(run(text(lines))).toEqual([['missing-max-forwards', 'info', { sender: ep('10.0.0.1', 5060), what: 'ACK', count: 1 }]]);
    });
    it('Max-Forwards missing from every request of one sender: one finding for the sender, with every message and method', () => {
      const noMf = (method: string, seq: number, ms: number) =>
        rawMessage(text([`${method} sip:bob@example.com SIP/2.0`, ...HEADERS.filter((h) => !h.startsWith('Max-Forwards')).map((h) => (h.startsWith('CSeq') ? `CSeq: ${seq} ${method}` : h.startsWith('Via') ? `${h}-${seq}` : h)), 'Content-Length: 0']), ms, A, B);
      const findings = findingsOf(malformedMessage, [noMf('INVITE', 1, 0), noMf('ACK', 1, 10), noMf('BYE', 2, 20)]);
      expect(findings.map((f) => [f.messageId, f.severity, f.frames, f.data])).toEqual([['missing-max-forwards', 'info', [1, 2, 3], { sender: ep('10.0.0.1', 5060), what: 'INVITE, ACK, BYE', count: 3 }]]);
    });
    it('Max-Forwards missing in many calls of one user agent: one finding, on its first call; another User-Agent on the same address gets its own', () => {
      const noMf = (callId: string, ms: number, userAgent: string) =>
        rawMessage(text([`OPTIONS sip:bob@example.com SIP/2.0`, ...HEADERS.filter((h) => !h.startsWith('Max-Forwards')).map((h) => (h.startsWith('CSeq') ? 'CSeq: 1 OPTIONS' : h.startsWith('Call-ID') ? `Call-ID: ${callId}` : h)), `User-Agent: ${userAgent}`, 'Content-Length: 0']), ms, A, B);
      const messages = [noMf('c1', 0, 'phone/1.0'), noMf('c2', 1000, 'phone/1.0'), noMf('c3', 2000, 'phone/1.0'), noMf('c4', 3000, 'softphone/2.0')];
      const sources = new SourceTracker();
      for (const m of messages) sources.add(m);
      const told = correlate(messages).map((call) => [call.callId, checkCall(call, call.end, {}, [malformedMessage], null, sources).map((f) => f.messageId)]);
      expect(told).toEqual([['c1', ['missing-max-forwards']], ['c2', []], ['c3', []], ['c4', ['missing-max-forwards']]]);
    });
    it('responses need no Max-Forwards', () => {
      const lines = ['SIP/2.0 200 OK', ...HEADERS.filter((h) => !h.startsWith('Max-Forwards') && !h.startsWith('Call-ID')), 'Content-Length: 0'];
      expect(run(text(lines))).toEqual([['missing-headers', 'error', { sender: ep('10.0.0.1', 5060), what: '200 OK', headers: 'Call-ID' }]]);
    });
    it('a bad start line', () => {
      expect(run(text(['INVITE sip:bob@example.com SIP/3.0', ...HEADERS, 'Content-Length: 0']))).toEqual([['bad-start-line', 'error', { sender: ep('10.0.0.1', 5060), what: 'INVITE', startLine: 'INVITE sip:bob@example.com SIP/3.0' }]]);
    });
    it('Content-Length larger than the body', () => {
      expect(run(text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Length: 200'], 'v=0\r\n'))).toEqual([['content-length-mismatch', 'error', { sender: ep('10.0.0.1', 5060), what: 'INVITE', announced: 200, actual: 5 }]]);
    });
    it('Content-Length not a number', () => {
      expect(run(text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Length: abc']))).toEqual([['content-length-invalid', 'error', { sender: ep('10.0.0.1', 5060), what: 'INVITE', value: 'abc' }]]);
    });
    it('no Content-Length over TCP or TLS, where only it marks the end of the message', () => {
      for (const transport of ['TCP', 'TLS'] as const) {
        expect(run(text(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS]), transport), transport).toEqual([['content-length-missing', 'error', { sender: ep('10.0.0.1', 5060), what: 'INVITE', transport }]]);
      }
    });
    it('CSeq method other than the request method', () => {
      const lines = ['BYE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Length: 0'];
      expect(run(text(lines))).toEqual([['cseq-mismatch', 'error', { sender: ep('10.0.0.1', 5060), what: 'BYE', method: 'BYE', cseqMethod: 'INVITE' }]]);
    });
    it('unreadable mandatory headers', () => {
      const lines = ['INVITE sip:bob@example.com SIP/2.0', ...HEADERS.map((h) => (h.startsWith('CSeq') ? 'CSeq: one INVITE' : h)), 'Content-Length: 0'];
      expect(run(text(lines)).map(([id, , data]) => [id, (data as { headers: string }).headers])).toEqual([['unreadable-headers', 'CSeq']]);
    });
    it('a message cut short (no end of headers) is only reported as incomplete, at info', () => {
      const cut = ['INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1', 'From: <sip:al'].join('\r\n');
      expect(run(cut)).toEqual([['incomplete', 'info', { sender: ep('10.0.0.1', 5060), what: 'INVITE', cut: 'headers' }]]);
    });
    it('a text log\'s message whose body is shorter than its Content-Length is cut by the log, not sent short: incomplete, at info (asterisk-pjsip-logger-wss-invite-browser-phone-301.txt)', () => {
      expect(runLogged(SHORT_BODY, 'WSS')).toEqual([['incomplete', 'info', { sender: ep('10.0.0.1', 5060), what: 'INVITE', cut: 'body', announced: 2627, actual: 5 }]]);
      expect(runLogged(SHORT_BODY, 'UDP').map(([id, , data]) => [id, (data as { cut: string }).cut])).toEqual([['incomplete', 'body']]);
    });
    it('over TCP or TLS a body shorter than its Content-Length is where the capture lost the stream: incomplete', () => {
      for (const transport of ['TCP', 'TLS'] as const) {
        expect(run(SHORT_BODY, transport), transport).toEqual([['incomplete', 'info', { sender: ep('10.0.0.1', 5060), what: 'INVITE', cut: 'body', announced: 2627, actual: 5 }]]);
      }
    });
    it('a datagram or WebSocket message with a body shorter than its Content-Length was sent short: still a mismatch', () => {
      for (const transport of ['UDP', 'WS', 'WSS', 'SCTP'] as const) expect(run(SHORT_BODY, transport).map(([id, severity]) => [id, severity]), transport).toEqual([['content-length-mismatch', 'error']]);
    });
    it('a retransmission is not reported twice', () => {
      const lines = ['INVITE sip:bob@example.com SIP/2.0', ...HEADERS.filter((h) => !h.startsWith('Max-Forwards')), 'Content-Length: 0'];
      const m = rawMessage(text(lines), 0, A, B);
      expect(findingsOf(malformedMessage, [m, { ...m, frame: 2, frames: [2], time: { sec: m.time.sec, nsec: 500000000 } }]).length).toBe(1);
    });
  });
});

describe('malformed-message: a CANCEL whose top Via is not its INVITE\'s (RFC 3261 §9.1)', () => {
  beforeEach(resetCatalogFrames);
  const invite = () => rawMessage(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Length: 0', '', ''].join('\r\n'), 0, A, B);
  const cancel = (via: string, ms: number) =>
    rawMessage(['CANCEL sip:bob@example.com SIP/2.0', `Via: ${via}`, 'Max-Forwards: 70', 'From: <sip:alice@example.com>;tag=a', 'To: <sip:bob@example.com>', 'Call-ID: call-1', 'CSeq: 1 CANCEL', 'Content-Length: 0', '', ''].join('\r\n'), ms, A, B);

  it('valid: the same Via', () => {
    expect(findingsOf(malformedMessage, [invite(), cancel('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1', 5000)])).toEqual([]);
  });

  it('valid: the same sent-by with its host in other letter case (hosts compare without case, RFC 3261 §19.1.4)', () => {
    const upper = rawMessage(['INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP PBX.Example.COM:5060;branch=z9hG4bK-1', ...HEADERS.slice(1), 'Content-Length: 0', '', ''].join('\r\n'), 0, A, B);
    expect(findingsOf(malformedMessage, [upper, cancel('SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bK-1', 5000)])).toEqual([]);
  });

  it('invalid: the port left out (Nero SIPPS in sngrep-aaa #223, #247): cancel-via-mismatch at warning, tied to its INVITE', () => {
    expect(findingsOf(malformedMessage, [invite(), cancel('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1', 5000)]).map((f) => [f.messageId, f.severity, f.frames, f.data.cancelVia, f.data.inviteVia])).toEqual([
      ['cancel-via-mismatch', 'warning', [1, 2], '10.0.0.1', '10.0.0.1:5060'],
    ]);
  });
});

describe('malformed-message: a body whose CRLF line ends became LF after Content-Length was written', () => {
  beforeEach(resetCatalogFrames);
  const body = 'v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n';
  const invite = (contentLength: number) =>
    rawMessage(['INVITE sip:bob@example.com SIP/2.0', ...HEADERS, 'Content-Type: application/sdp', `Content-Length: ${contentLength}`, '', body].join('\r\n'), 0, A, B);

  it('invalid: short by exactly one byte per LF-only line: content-length-crlf, with the count (hep-wireshark-hep #1: 287 for 276, 11 lines)', () => {
    const lines = body.split('\n').length - 1;
    expect(findingsOf(malformedMessage, [invite(body.length + lines)]).filter((f) => f.messageId.startsWith('content-length')).map((f) => [f.messageId, f.severity, f.data.announced, f.data.actual, f.data.lines])).toEqual([
      ['content-length-crlf', 'error', body.length + lines, body.length, lines],
    ]);
  });

  it('invalid: short by another amount stays content-length-mismatch (hep-wireshark-hep #7: 21 bytes short, 13 LF-only lines)', () => {
    expect(findingsOf(malformedMessage, [invite(body.length + 2)]).filter((f) => f.messageId.startsWith('content-length')).map((f) => f.messageId)).toEqual(['content-length-mismatch']);
  });
});
