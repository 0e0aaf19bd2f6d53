import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/parse/diagnostic-sink.js';
import { EtherType } from '../../../src/parse/link/link.js';
import { decodeIp, formatIp, newIpResult, type IpResult } from '../../../src/parse/net/ip.js';
import { decodeUdp, type UdpResult } from '../../../src/parse/transport/udp.js';
import { frameOf } from '../../support/frame.js';
import { ipv4, ipv6, udp } from '../../support/packets.js';
import { codes } from '../../support/read-frames.js';

function decode(bytes: Uint8Array, etherType: number, origLen = bytes.length) {
  const frame = frameOf(bytes, 101);
  frame.origLen = origLen;
  const ip: IpResult = { ...newIpResult(), protocol: -1 };
  const diagnostics = new DiagnosticSink('t');
  const ok = decodeIp(frame, etherType, frame.start, ip, diagnostics);
  const result = {
    ok,
    protocol: ip.protocol,
    src: ok ? formatIp(frame.data, ip.srcOffset, ip.version) : '',
    dst: ok ? formatIp(frame.data, ip.dstOffset, ip.version) : '',
    payload: ok ? Buffer.from(frame.data.subarray(ip.payloadStart, ip.payloadEnd)) : Buffer.alloc(0),
  };
  const udpOut: UdpResult = { srcPort: 0, dstPort: 0, payloadStart: 0, payloadEnd: 0 };
  const udpOk = ok && ip.protocol === 17 && decodeUdp(frame, ip, udpOut, diagnostics);
  return { ...result, diagnostics: diagnostics.list(), udp: udpOk ? { src: udpOut.srcPort, dst: udpOut.dstPort, payload: Buffer.from(frame.data.subarray(udpOut.payloadStart, udpOut.payloadEnd)).toString() } : null };
}

const datagram = udp(5060, 5080, 'INVITE');

describe('IPv4', () => {
  it('decodes addresses, protocol and payload, ignoring Ethernet padding', () => {
    const r = decode(Buffer.concat([ipv4('192.168.1.10', '10.0.0.255', datagram), Buffer.alloc(6)]), EtherType.IPV4);
    expect(r).toMatchObject({ ok: true, protocol: 17, src: '192.168.1.10', dst: '10.0.0.255', diagnostics: [] });
    expect(r.udp).toEqual({ src: 5060, dst: 5080, payload: 'INVITE' });
  });

  it('skips IPv4 options', () => {
    const r = decode(ipv4('1.2.3.4', '5.6.7.8', datagram, { options: Buffer.from([1, 1, 1, 0]) }), EtherType.IPV4);
    expect(r.udp?.payload).toBe('INVITE');
  });

  it('follows IP-in-IP and IPv6-in-IPv4 tunnels to the inner addresses', () => {
    const inner = ipv6('2001:db8::a', '2001:db8::b', datagram);
    const r = decode(ipv4('1.1.1.1', '2.2.2.2', ipv4('3.3.3.3', '4.4.4.4', inner, { protocol: 41 }), { protocol: 4 }), EtherType.IPV4);
    expect(r).toMatchObject({ ok: true, src: '2001:db8::a', dst: '2001:db8::b' });
    expect(r.udp?.payload).toBe('INVITE');
  });

  it('reports every truncation of the header', () => {
    const packet = ipv4('1.2.3.4', '5.6.7.8', datagram);
    for (let length = 0; length < 20; length++) {
      expect(codes(decode(packet.subarray(0, length), EtherType.IPV4).diagnostics), `length ${length}`).toEqual(['ip.truncated']);
    }
  });

  it('reports a packet cut by the snaplen and keeps what is there', () => {
    const packet = ipv4('1.2.3.4', '5.6.7.8', udp(1, 2, 'x'.repeat(100)));
    const r = decode(packet.subarray(0, 60), EtherType.IPV4, packet.length);
    expect(r.ok).toBe(true);
    expect(codes(r.diagnostics)).toEqual(['ip.snaplen-truncated']);
    expect(r.udp?.payload).toBe('x'.repeat(32));
  });

  it('rejects impossible headers', () => {
    const badVersion = ipv4('1.2.3.4', '5.6.7.8', datagram);
    badVersion[0] = 0x55;
    expect(codes(decode(badVersion, EtherType.IPV4).diagnostics)).toEqual(['ip.bad-header']);
    const longTotal = ipv4('1.2.3.4', '5.6.7.8', datagram, { totalLength: 500 });
    expect(codes(decode(longTotal, EtherType.IPV4).diagnostics)).toEqual(['ip.bad-header']);
    const shortTotal = ipv4('1.2.3.4', '5.6.7.8', datagram, { totalLength: 10 });
    expect(codes(decode(shortTotal, EtherType.IPV4).diagnostics)).toEqual(['ip.bad-header']);
  });

  it('takes the frame length when total length is 0 (segmentation offload)', () => {
    const r = decode(ipv4('1.2.3.4', '5.6.7.8', datagram, { totalLength: 0 }), EtherType.IPV4);
    expect(r.udp?.payload).toBe('INVITE');
  });

  it('marks fragments for the defragmenter instead of reading a transport header', () => {
    const frame = frameOf(ipv4('1.2.3.4', '5.6.7.8', datagram, { moreFragments: true }), 101);
    const ip = newIpResult();
    const diagnostics = new DiagnosticSink('t');
    expect(decodeIp(frame, EtherType.IPV4, frame.start, ip, diagnostics)).toBe(true);
    expect(ip).toMatchObject({ fragment: true, fragmentId: 0x1234, fragmentOffset: 0, moreFragments: true, protocol: 17 });
    expect(diagnostics.list()).toEqual([]);
    const later = frameOf(ipv4('1.2.3.4', '5.6.7.8', datagram, { fragmentOffset: 185 }), 101);
    decodeIp(later, EtherType.IPV4, later.start, ip, diagnostics);
    expect(ip).toMatchObject({ fragment: true, fragmentOffset: 1480, moreFragments: false });
  });
});

describe('IPv6', () => {
  it('walks extension headers (hop-by-hop, routing, destination options, AH, atomic fragment)', () => {
    const r = decode(
      ipv6('fe80::1', 'ff02::1:2', datagram, 17, [{ type: 0 }, { type: 43 }, { type: 60, body: Buffer.alloc(14) }, { type: 51, body: Buffer.alloc(10) }, { type: 44 }]),
      EtherType.IPV6,
    );
    expect(r).toMatchObject({ ok: true, protocol: 17, src: 'fe80::1', dst: 'ff02::1:2', diagnostics: [] });
    expect(r.udp?.payload).toBe('INVITE');
  });

  it('marks real fragments with the Next Header of the Fragment header', () => {
    const frame = frameOf(ipv6('::1', '::1', datagram, 17, [{ type: 0 }, { type: 44, body: Buffer.from([0, 0x0b, 0xde, 0xad, 0xbe, 0xef]) }]), 101);
    const ip = newIpResult();
    expect(decodeIp(frame, EtherType.IPV6, frame.start, ip, new DiagnosticSink('t'))).toBe(true);
    expect(ip).toMatchObject({ fragment: true, fragmentId: 0xdeadbeef, fragmentOffset: 8, moreFragments: true, protocol: 17 });
    expect(ip.payloadStart - frame.start).toBe(40 + 8 + 8);
  });

  it('reports every truncation of the fixed header and of an extension header', () => {
    const packet = ipv6('::1', '::2', datagram, 17, [{ type: 0 }]);
    for (let length = 0; length < 48; length++) {
      const r = decode(packet.subarray(0, length), EtherType.IPV6);
      expect(r.ok, `length ${length}`).toBe(false);
      expect(codes(r.diagnostics).at(-1), `length ${length}`).toBe('ip.truncated');
    }
  });

  it('formats addresses as RFC 5952 says', () => {
    const cases: [string, string][] = [
      ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:ffff:c000:0280', '::ffff:192.0.2.128'],
      ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ];
    for (const [input, expected] of cases) {
      const packet = ipv6(input, '::1', datagram);
      expect(formatIp(packet, 8, 6)).toBe(expected);
    }
  });
});

describe('UDP', () => {
  it('reports every truncation of the header', () => {
    for (let length = 0; length < 8; length++) {
      const r = decode(ipv4('1.2.3.4', '5.6.7.8', datagram.subarray(0, length)), EtherType.IPV4);
      expect(codes(r.diagnostics), `length ${length}`).toEqual(['udp.truncated']);
    }
  });

  it('flags a length field below 8 and one beyond the packet', () => {
    const small = Buffer.from(datagram);
    small.writeUInt16BE(4, 4);
    expect(codes(decode(ipv4('1.2.3.4', '5.6.7.8', small), EtherType.IPV4).diagnostics)).toEqual(['udp.bad-length']);
    const big = Buffer.from(datagram);
    big.writeUInt16BE(500, 4);
    expect(codes(decode(ipv4('1.2.3.4', '5.6.7.8', big), EtherType.IPV4).diagnostics)).toEqual(['udp.bad-length']);
  });
});
