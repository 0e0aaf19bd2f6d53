import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/parse/diagnostic-sink.js';
import { decodeLink, EtherType, type LinkResult } from '../../../src/parse/link/link.js';
import { frameOf } from '../../support/frame.js';
import { erf, ethernet, ipv4, ipv6, loopback, mpls, pppoe, sll, sll2, udp } from '../../support/packets.js';
import { codes } from '../../support/read-frames.js';

const v4 = ipv4('10.0.0.1', '10.0.0.2', udp(5060, 5060, 'x'));
const v6 = ipv6('2001:db8::1', '2001:db8::2', udp(5060, 5060, 'x'));

function decode(bytes: Uint8Array, linkType: number) {
  const frame = frameOf(bytes, linkType);
  const out: LinkResult = { etherType: -1, offset: -1 };
  const diagnostics = new DiagnosticSink('t');
  const ok = decodeLink(frame, out, diagnostics);
  return { ok, etherType: out.etherType, headerLength: out.offset - frame.start, diagnostics: diagnostics.list() };
}

describe('link layer', () => {
  const cases: [string, number, Uint8Array, number, number][] = [
    ['Ethernet IPv4', 1, ethernet(0x0800, v4), EtherType.IPV4, 14],
    ['Ethernet IPv6', 1, ethernet(0x86dd, v6), EtherType.IPV6, 14],
    ['802.1Q', 1, ethernet(0x0800, v4, [{ tpid: 0x8100, vid: 10 }]), EtherType.IPV4, 18],
    ['802.1ad QinQ', 1, ethernet(0x86dd, v6, [{ tpid: 0x88a8, vid: 100 }, { tpid: 0x8100, vid: 10 }]), EtherType.IPV6, 22],
    ['PPPoE', 1, ethernet(0x8864, pppoe(0x0021, v4)), EtherType.IPV4, 22],
    ['MPLS two labels', 1, ethernet(0x8847, mpls([16, 17], v6)), EtherType.IPV6, 22],
    ['802.3 SNAP', 1, Buffer.concat([ethernet(v4.length + 8, Buffer.from([0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00])), v4]), EtherType.IPV4, 22],
    ['SLL', 113, sll(0x0800, v4), EtherType.IPV4, 16],
    ['SLL with VLAN', 113, sll(0x8100, Buffer.concat([Buffer.from([0, 5, 0x86, 0xdd]), v6])), EtherType.IPV6, 20],
    ['SLL2', 276, sll2(0x86dd, v6), EtherType.IPV6, 20],
    ['NULL little-endian AF_INET', 0, loopback(2, v4), EtherType.IPV4, 4],
    ['NULL big-endian host AF_INET6 (macOS 30)', 0, loopback(30, v6, true), EtherType.IPV6, 4],
    ['NULL AF_INET6 FreeBSD', 0, loopback(28, v6), EtherType.IPV6, 4],
    ['LOOP', 108, loopback(24, v6, true), EtherType.IPV6, 4],
    ['RAW 101 v4', 101, v4, EtherType.IPV4, 0],
    ['RAW 101 v6', 101, v6, EtherType.IPV6, 0],
    ['RAW 12', 12, v4, EtherType.IPV4, 0],
    ['RAW 14', 14, v6, EtherType.IPV6, 0],
    ['IPv4 228', 228, v4, EtherType.IPV4, 0],
    ['IPv6 229', 229, v6, EtherType.IPV6, 0],
    ['ERF Ethernet', 197, erf(2, ethernet(0x0800, v4)), EtherType.IPV4, 16 + 2 + 14],
    ['ERF Ethernet with FCS', 197, erf(2, ethernet(0x0800, v4), { fcs: true }), EtherType.IPV4, 16 + 2 + 14],
    ['ERF colour Ethernet, 2 extension headers', 197, erf(11, ethernet(0x86dd, v6), { extensions: 2 }), EtherType.IPV6, 16 + 16 + 2 + 14],
    ['ERF DSM colour Ethernet with VLAN', 197, erf(16, ethernet(0x0800, v4, [{ tpid: 0x8100, vid: 7 }])), EtherType.IPV4, 16 + 2 + 18],
    ['ERF colour-hash Ethernet', 197, erf(20, ethernet(0x0800, v4)), EtherType.IPV4, 16 + 2 + 14],
    ['ERF IPv4', 197, erf(22, v4, { extensions: 1 }), EtherType.IPV4, 16 + 8],
    ['ERF IPv6', 197, erf(23, v6), EtherType.IPV6, 16],
  ];
  for (const [name, linkType, bytes, etherType, headerLength] of cases) {
    it(`decodes ${name}`, () => {
      expect(decode(bytes, linkType)).toEqual({ ok: true, etherType, headerLength, diagnostics: [] });
    });
  }

  it('reports every truncation of each link header', () => {
    const headers: [number, Uint8Array, number][] = [
      [1, ethernet(0x0800, v4, [{ tpid: 0x8100, vid: 1 }]), 18],
      [1, ethernet(0x8864, pppoe(0x0057, v6)), 22],
      [1, ethernet(0x8847, mpls([1, 2], v4)), 23],
      [113, sll(0x0800, v4), 16],
      [276, sll2(0x0800, v4), 20],
      [0, loopback(2, v4), 4],
      [108, loopback(2, v4, true), 4],
      [101, v4, 1],
      [197, erf(2, ethernet(0x0800, v4)), 16 + 2 + 14],
      [197, erf(22, v4, { extensions: 2 }), 16 + 16],
    ];
    for (const [linkType, bytes, headerLength] of headers) {
      for (let length = 0; length < headerLength; length++) {
        const result = decode(bytes.subarray(0, length), linkType);
        expect(result.ok, `link ${linkType} length ${length}`).toBe(false);
        expect(codes(result.diagnostics), `link ${linkType} length ${length}`).toEqual(['link.truncated']);
        expect(result.diagnostics[0]).toMatchObject({ frame: 1, offset: 1000 });
      }
    }
  });

  it('counts non-IP EtherTypes and unknown link types once each, with the first frame', () => {
    const diagnostics = new DiagnosticSink('t');
    const out: LinkResult = { etherType: 0, offset: 0 };
    for (let n = 1; n <= 3; n++) decodeLink(frameOf(ethernet(0x0806, Buffer.alloc(28)), 1, n), out, diagnostics);
    for (let n = 4; n <= 5; n++) decodeLink(frameOf(Buffer.alloc(40), 147, n), out, diagnostics);
    decodeLink(frameOf(loopback(7, v4), 0, 6), out, diagnostics);
    expect(diagnostics.list().map((d) => [d.code, d.count, d.frame])).toEqual([
      ['link.unsupported-ethertype', 3, 1],
      ['link.unsupported-linktype', 2, 4],
      ['link.unsupported-family', 1, 6],
    ]);
  });

  it('reads an ERF Ethernet frame no further than its wire length (the record may be padded)', () => {
    const record = Buffer.concat([erf(2, ethernet(0x0800, v4)), Buffer.alloc(6, 0xff)]);
    const frame = frameOf(record, 197);
    const out: LinkResult = { etherType: -1, offset: -1 };
    const diagnostics = new DiagnosticSink('t');
    expect(decodeLink(frame, out, diagnostics)).toBe(true);
    expect(out).toEqual({ etherType: EtherType.IPV4, offset: frame.start + 32 });
  });

  it('counts ERF records that carry no packet apart from record types it cannot decode', () => {
    const diagnostics = new DiagnosticSink('t');
    const out: LinkResult = { etherType: 0, offset: 0 };
    decodeLink(frameOf(erf(27, Buffer.alloc(24)), 197, 1), out, diagnostics);
    decodeLink(frameOf(erf(48, Buffer.alloc(8)), 197, 2), out, diagnostics);
    decodeLink(frameOf(erf(3, Buffer.alloc(52)), 197, 3), out, diagnostics);
    decodeLink(frameOf(erf(3, Buffer.alloc(52)), 197, 4), out, diagnostics);
    expect(diagnostics.list().map((d) => [d.code, d.count, d.frame])).toEqual([
      ['link.erf-no-packet', 1, 1],
      ['link.erf-no-packet', 1, 2],
      ['link.unsupported-erf-type', 2, 3],
    ]);
  });

  it('stops following tags after eight', () => {
    const tags = Array.from({ length: 9 }, () => ({ tpid: 0x8100, vid: 1 }));
    expect(codes(decode(ethernet(0x0800, v4, tags), 1).diagnostics)).toEqual(['link.too-many-tags']);
  });
});
