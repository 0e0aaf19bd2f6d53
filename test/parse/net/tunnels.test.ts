import { describe, expect, it } from 'vitest';
import { decodePackets } from '../../support/decode.js';
import { ethernet, ipv4, ipv6, mpls, sipRequest, udp } from '../../support/packets.js';
import { codes } from '../../support/read-frames.js';
import { erspan2, erspan3, etherIp, geneve, gre, gtpu, pptpGre, vxlan } from '../../support/transport-packets.js';

const inner4 = (n: number) => ipv4('192.168.10.1', '192.168.10.2', udp(5060, 5060, sipRequest('OPTIONS', `tun-${n}@test`, n)));
const innerEth = (n: number) => ethernet(0x0800, inner4(n), [{ tpid: 0x8100, vid: 30 }]);
const outerGre = (payload: Buffer) => ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', payload, { protocol: 47 }));

describe('tunnels', () => {
  it('follows GRE (plain, key, sequence, checksum), bridged Ethernet, ERSPAN I/II/III, PPTP with PPP, MPLS over GRE, VXLAN', () => {
    const packets = [
      outerGre(gre(0x0800, inner4(1))),
      outerGre(gre(0x86dd, ipv6('2001:db8::10', '2001:db8::20', udp(5060, 5060, sipRequest('OPTIONS', 'tun-2@test', 2))), { key: 7, seq: 9, checksum: true })),
      outerGre(gre(0x6558, innerEth(3), { key: 1 })),
      outerGre(gre(0x88be, innerEth(4))), // ERSPAN type I: no sequence number, no header
      outerGre(gre(0x88be, erspan2(innerEth(5)), { seq: 42 })),
      outerGre(gre(0x22eb, erspan3(innerEth(6)), { seq: 43 })),
      outerGre(gre(0x22eb, erspan3(innerEth(7), true), { seq: 44 })),
      outerGre(pptpGre(inner4(8))),
      outerGre(pptpGre(inner4(9), { compressedPpp: true })),
      outerGre(gre(0x8847, mpls([16], inner4(10)))),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(44444, 4789, vxlan(innerEth(11))))),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', ipv4('10.9.9.1', '10.9.9.2', gre(0x6558, innerEth(12)), { protocol: 47 }), { protocol: 4 })),
    ];
    const r = decodePackets(packets);
    expect(r.messages.map((m) => m.message.cseq?.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.messages.map((m) => m.src.ip)).toEqual(['192.168.10.1', '2001:db8::10', ...Array(10).fill('192.168.10.1')]);
    expect(r.diagnostics).toEqual([]);
  });

  it('reports cut tunnel headers and counts what it does not decode', () => {
    const r = decodePackets([
      outerGre(gre(0x0800, inner4(1)).subarray(0, 3)),
      outerGre(gre(0x6558, Buffer.alloc(0), { key: 1, seq: 2 }).subarray(0, 10)),
      outerGre(gre(0x88be, Buffer.alloc(4), { seq: 1 })),
      outerGre(gre(0x1234, Buffer.alloc(20))),
      outerGre(Buffer.from([0x00, 0x05, 0x08, 0x00, 0, 0, 0, 0])), // GRE version 5
      outerGre(pptpGre(Buffer.alloc(10)).fill(0xc0, 12, 14)), // PPP LCP-like protocol
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(1, 4789, Buffer.alloc(5)))),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(1, 4789, Buffer.alloc(20)))),
      outerGre(gre(0x6558, Buffer.alloc(6))),
    ]);
    expect(r.messages).toEqual([]);
    expect(codes(r.diagnostics).sort()).toEqual(['link.truncated', 'tunnel.truncated', 'tunnel.truncated', 'tunnel.truncated', 'tunnel.truncated', 'tunnel.unsupported', 'tunnel.unsupported', 'tunnel.unsupported', 'tunnel.unsupported']);
  });

  it('follows GTP-U G-PDUs (plain, sequence number, extension headers, IPv6 inside and outside), Geneve (Ethernet with options, IP) and EtherIP', () => {
    const overUdp = (port: number, payload: Buffer) => ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(2152, port, payload)));
    const inner6 = ipv6('2001:db8::10', '2001:db8::20', udp(5060, 5060, sipRequest('OPTIONS', 'tun-5@test', 5)));
    const r = decodePackets([
      overUdp(2152, gtpu(inner4(1))),
      overUdp(2152, gtpu(inner4(2), { seq: 99 })),
      // PDU Session Container (0x85) then a second extension (UDP Port, 0x40) with a 6-byte content (two words).
      overUdp(2152, gtpu(inner4(3), { extensions: [[0x85, [0x10, 0x09]], [0x40, [0x13, 0xc4, 0, 0, 0, 0]]] })),
      ethernet(0x86dd, ipv6('2001:db8:1::1', '2001:db8:1::2', udp(2152, 2152, gtpu(inner4(4))))),
      overUdp(2152, gtpu(inner6)),
      overUdp(6081, geneve(0x6558, innerEth(6), { options: Buffer.alloc(8, 1) })),
      overUdp(6081, geneve(0x0800, inner4(7))),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', etherIp(innerEth(8)), { protocol: 97 })),
      overUdp(2152, gtpu(ipv4('10.9.0.1', '10.9.0.2', udp(2152, 2152, gtpu(inner4(9)))))), // GTP-U in GTP-U
    ]);
    expect(r.messages.map((m) => m.message.cseq?.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.messages.map((m) => m.src.ip)).toEqual(['192.168.10.1', '192.168.10.1', '192.168.10.1', '192.168.10.1', '2001:db8::10', '192.168.10.1', '192.168.10.1', '192.168.10.1', '192.168.10.1']);
    expect(r.diagnostics).toEqual([]);
  });

  it('counts GTP-U signalling, GTP\', other versions and non-IP user packets, Geneve versions and protocols, EtherIP versions; reports cut headers', () => {
    const overUdp = (port: number, payload: Buffer) => ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(2152, port, payload)));
    const r = decodePackets([
      overUdp(2152, gtpu(Buffer.alloc(4), { type: 1, seq: 1 })), // echo request
      overUdp(2152, gtpu(inner4(1), { type: 254 })), // end marker
      overUdp(2152, Buffer.from(gtpu(inner4(2))).fill(0x0e, 0, 1)), // GTP' (PT clear)
      overUdp(2152, gtpu(inner4(3), { version: 2 })),
      overUdp(2152, gtpu(Buffer.from([0x0b, 1, 2, 3]))),
      overUdp(6081, geneve(0x6558, innerEth(4), { version: 1 })),
      overUdp(6081, geneve(0x88b5, Buffer.alloc(10))),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', etherIp(innerEth(5), 1), { protocol: 97 })),
      overUdp(2152, gtpu(inner4(6)).subarray(0, 6)),
      overUdp(2152, gtpu(inner4(7), { extensions: [[0x85, [0x10, 0x09]]] }).subarray(0, 14)),
      overUdp(6081, geneve(0x6558, innerEth(8), { options: Buffer.alloc(8) }).subarray(0, 12)),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', Buffer.from([0x30]), { protocol: 97 })),
    ]);
    expect(r.messages).toEqual([]);
    const unsupported = r.diagnostics.filter((d) => d.code === 'tunnel.unsupported').map((d) => d.values);
    expect(unsupported.map((v) => (v as { kind: string }).kind)).toEqual(['gtpu-message', 'gtpu-message', 'gtpu-version', 'gtpu-version', 'gtpu-pdu', 'geneve-version', 'geneve-protocol', 'etherip-version']);
    expect(r.diagnostics.filter((d) => d.code === 'tunnel.truncated').map((d) => (d.values as { header: string }).header)).toEqual(['GTP-U', 'GTP-U extension', 'Geneve options', 'EtherIP']);
  });

  it('stops at tunnels nested too deep', () => {
    let packet: Buffer = inner4(1);
    for (let i = 0; i < 8; i++) packet = ipv4('10.0.0.1', '10.0.0.2', gre(0x0800, packet), { protocol: 47 });
    const r = decodePackets([ethernet(0x0800, packet)]);
    expect(r.messages).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['ip.tunnel-too-deep']);
  });
});
