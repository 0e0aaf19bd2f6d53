/**
 * One emit step for every SIP message: captured (UDP, TCP, HEP...) and logged messages are parsed
 * and reported the same way, each at its own place ("frame N" at a byte offset, "line N").
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/parse/diagnostic-sink.js';
import { SipEmitter } from '../../../src/parse/sip/emit.js';
import { readTextLog } from '../../../src/parse/text/reader.js';
import type { CapturedMessage } from '../../../src/types.js';
import { decodePackets } from '../../support/decode.js';
import { ethernet, ipv4, sipRequest, udp } from '../../support/packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

/** An INVITE with bare LF line ends and an SDP body that is not SDP. */
const INVITE = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-e1',
  'From: <sip:alice@example.com>;tag=a',
  'To: <sip:bob@example.com>',
  'Call-ID: emit-1@test',
  'CSeq: 1 INVITE',
  'Content-Type: application/sdp',
  'Content-Length: 9',
  '',
  'not sdp!\n',
].join('\n');

describe('the emit step', () => {
  it('a captured message: parser findings and an unreadable SDP are reported at its frame and byte offset', () => {
    const r = decodePackets([ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(5060, 5060, INVITE)))]);
    expect(r.messages).toHaveLength(1);
    const payload = 24 + 16 + 14 + 20 + 8;
    expect(r.diagnostics.map((d) => [d.code, diagnosticText(d).split(':')[0], d.frame, d.line])).toEqual([
      ['sip.bare-lf', 'frame 1', 1, undefined],
      ['sip.sdp-unparseable', 'frame 1', 1, undefined],
    ]);
    expect(r.diagnostics[1]!.offset).toBe(payload + INVITE.indexOf('not sdp'));
  });

  it('a logged message goes through the same step: the same findings at its line, a bare LF ignored (logs lose CRs)', async () => {
    const messages: CapturedMessage[] = [];
    const sink = new DiagnosticSink('log');
    const log = `2024-11-19 07:00:00.000 received from 10.0.0.1:5060:\n${INVITE}\n`;
    const summary = await readTextLog('log', null, Readable.from([Buffer.from(log)]), sink, { onMessage: (m) => messages.push(m) });
    expect(summary.sipMessages).toBe(1);
    expect(messages.map((m) => [m.message.method, m.frame, m.frames, m.line, m.file])).toEqual([['INVITE', null, [], 2, 'log']]);
    const sdp = sink.list().filter((d) => d.code.startsWith('sip.'));
    expect(sdp.map((d) => [d.code, diagnosticText(d).split(':')[0], d.line])).toEqual([['sip.sdp-unparseable', 'line 11', 11]]);
  });

  it('counts what it delivers, and a parser failure loses one message, reported at its place', () => {
    const sink = new DiagnosticSink('t');
    const out: CapturedMessage[] = [];
    const sip = new SipEmitter('t', sink, (m) => out.push(m));
    const at = { frame: 7, frames: [7], sec: 1, nsec: 2, offset: 100 };
    expect(sip.emit(Buffer.from(sipRequest('OPTIONS', 'emit-2@test')), true, at, { ip: 'a', port: 1 }, { ip: 'b', port: 2 }, 'UDP')).toBeGreaterThan(0);
    expect([sip.delivered, out[0]!.frame, out[0]!.time, out[0]!.offset]).toEqual([1, 7, { sec: 1, nsec: 2 }, 100]);
    // Not a Uint8Array: the parser throws, which the emit step turns into a diagnostic.
    expect(sip.emit(null as unknown as Uint8Array, true, at, { ip: 'a', port: 1 }, { ip: 'b', port: 2 }, 'UDP')).toBe(0);
    expect(sink.list().map((d) => [d.code, d.frame, d.offset, diagnosticText(d).startsWith('frame 7: ')])).toEqual([['sip.parser-failure', 7, 100, true]]);
    expect(sip.delivered).toBe(1);
  });
});
