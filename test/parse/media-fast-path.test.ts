/**
 * The decoder drops plain RTP/RTCP frames after a few byte reads (isPlainMedia in
 * src/parse/pipeline.ts) instead of decoding every layer. These frames sit just outside what it
 * may drop: each must still reach the full path and get the diagnostic (or the message) it
 * always got.
 */
import { describe, expect, it } from 'vitest';
import { decodePackets } from '../support/decode.js';
import { ethernet, ipv4, rtp, udp } from '../support/packets.js';

const A = '198.51.100.1';
const B = '198.51.100.2';

function codes(packets: Uint8Array[]): string[] {
  return decodePackets(packets.map((data) => ({ data }))).diagnostics.map((x) => x.code).sort();
}

function rtpFrame(srcPort = 40000, dstPort = 50000, opts: Parameters<typeof ipv4>[3] = {}, payload: Uint8Array = rtp(1)): Buffer {
  return ethernet(0x0800, ipv4(A, B, udp(srcPort, dstPort, payload), opts));
}

describe('plain media frames', () => {
  it('RTP and RTCP between media ports: nothing to say', () => {
    const rtcp = Buffer.from([0x80, 200, 0, 6, ...new Array(24).fill(0)]);
    const d = decodePackets([rtpFrame(), rtpFrame(40001, 50001, {}, rtcp), ethernet(0x0800, Buffer.concat([ipv4(A, B, udp(40000, 50000, rtp(2))), Buffer.alloc(6)]))]);
    expect(d.diagnostics).toEqual([]);
    expect(d.messages).toEqual([]);
  });

  it('a UDP length beyond the IP payload is still reported', () => {
    const frame = rtpFrame();
    frame.writeUInt16BE(9000, 14 + 20 + 4);
    expect(codes([frame])).toEqual(['udp.bad-length']);
  });

  it('a UDP length below 8 is still reported', () => {
    const frame = rtpFrame();
    frame.writeUInt16BE(4, 14 + 20 + 4);
    expect(codes([frame])).toEqual(['udp.bad-length']);
  });

  it('an IP total length beyond the frame is still reported', () => {
    const frame = rtpFrame();
    frame.writeUInt16BE(1400, 14 + 2);
    expect(codes([frame])).toEqual(['ip.bad-header']);
  });

  it('a fragment of a media datagram still goes to the defragmenter', () => {
    const frame = rtpFrame(40000, 50000, { moreFragments: true });
    expect(codes([frame])).toEqual(['ip.fragment-incomplete']);
  });

  it('media bytes on a SIP port are still counted as not SIP', () => {
    expect(codes([rtpFrame(5060, 50000)])).toEqual(['sip.not-sip-on-sip-port']);
    expect(codes([rtpFrame(40000, 5061)])).toEqual(['sip.not-sip-on-sip-port']);
  });

  it('VXLAN is still decoded, IP options and VLAN tags still followed', () => {
    const inner = ethernet(0x0800, ipv4(A, B, udp(5060, 5060, 'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n')));
    const vxlan = Buffer.concat([Buffer.from([0x88, 0, 0, 0, 0, 0, 1, 0]), inner]);
    expect(decodePackets([rtpFrame(40000, 4789, {}, vxlan)]).messages.map((m) => m.message.method)).toEqual(['OPTIONS']);
    const sip = udp(5060, 5060, 'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: y\r\n\r\n');
    expect(decodePackets([ethernet(0x0800, ipv4(A, B, sip, { options: Buffer.from([1, 1, 1, 0]) }))]).messages).toHaveLength(1);
    expect(decodePackets([ethernet(0x0800, ipv4(A, B, sip), [{ tpid: 0x8100, vid: 7 }])]).messages).toHaveLength(1);
  });
});
