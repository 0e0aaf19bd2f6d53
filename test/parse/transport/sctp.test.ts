import { describe, expect, it } from 'vitest';
import { decodePackets, whats } from '../../support/decode.js';
import { ethernet, ipv4, sipRequest, sipResponse } from '../../support/packets.js';
import { codes } from '../../support/read-frames.js';
import { sctp } from '../../support/transport-packets.js';

const INVITE = sipRequest('INVITE', 'sctp-1@test', 1);
const OK = sipResponse(200, 'OK', 'INVITE', 'sctp-1@test');
const eth = (src: string, dst: string, packet: Buffer) => ethernet(0x0800, ipv4(src, dst, packet, { protocol: 132 }));
const SACK = { type: 3, value: Buffer.alloc(12) };

describe('SIP over SCTP (RFC 4168)', () => {
  it('reads SIP from DATA chunks, several per packet, skipping other chunks', () => {
    const r = decodePackets([eth('10.0.0.1', '10.0.0.2', sctp(5060, 5060, [SACK, { tsn: 1, data: INVITE }, { tsn: 2, data: sipRequest('ACK', 'sctp-1@test') }])), eth('10.0.0.2', '10.0.0.1', sctp(5060, 5060, [{ tsn: 9, data: OK }], 0x0a0b0c0d))]);
    expect(r.messages.map((m) => [m.message.method ?? m.message.status, m.transport, m.src.ip, m.frame])).toEqual([
      ['INVITE', 'SCTP', '10.0.0.1', 1],
      ['ACK', 'SCTP', '10.0.0.1', 1],
      [200, 'SCTP', '10.0.0.2', 2],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('joins a message split over DATA chunks in any order, and drops retransmitted chunks', () => {
    const bytes = Buffer.from(INVITE);
    const parts = [
      { tsn: 10, ssn: 3, begin: true, end: false, data: bytes.subarray(0, 50) },
      { tsn: 11, ssn: 3, begin: false, end: false, data: bytes.subarray(50, 150) },
      { tsn: 12, ssn: 3, begin: false, end: true, data: bytes.subarray(150) },
    ];
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      const r = decodePackets(order.map((i) => eth('10.0.0.1', '10.0.0.2', sctp(5060, 5060, [parts[i]!]))));
      expect(r.messages.map((m) => [m.message.method, m.frames, m.frame]), `order ${order}`).toEqual([['INVITE', [1, 2, 3], 3]]);
      expect(Buffer.from(r.messages[0]!.message.raw).toString()).toBe(INVITE);
    }
    const again = decodePackets([eth('10.0.0.1', '10.0.0.2', sctp(5060, 5060, [{ tsn: 5, data: INVITE }])), eth('10.0.0.1', '10.0.0.2', sctp(5060, 5060, [{ tsn: 5, data: INVITE }]))]);
    expect(whats(again.messages)).toEqual(['INVITE']);
    expect(codes(again.diagnostics)).toEqual(['sctp.retransmission']);
  });

  it('reports a split message that never completes, chunks past the packet, and counts messages that are not SIP', () => {
    const r = decodePackets([
      eth('10.0.0.1', '10.0.0.2', sctp(5060, 5060, [{ tsn: 1, begin: true, end: false, data: 'INVITE sip:x' }])),
      eth('10.0.0.1', '10.0.0.2', sctp(3868, 3868, [{ tsn: 1, ppid: 46, data: Buffer.from([1, 0, 0, 20]) }])),
      eth('10.0.0.1', '10.0.0.2', sctp(5060, 5060, [{ tsn: 2, data: INVITE }]).subarray(0, 40)),
    ]);
    expect(r.messages).toEqual([]);
    expect(codes(r.diagnostics).sort()).toEqual(['sctp.bad-chunk', 'sctp.incomplete-message', 'sctp.not-sip']);
  });
});
