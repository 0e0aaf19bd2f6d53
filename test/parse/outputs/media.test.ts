/**
 * The media output: UDP datagrams no other layer claims, with their 5-tuple, time, frame and a
 * classification, handed out as a reused view; the plain-RTP fast path feeds it the same packets
 * the full layers would.
 */
import { describe, expect, it } from 'vitest';
import type { KeptMediaPacket, MediaPacket } from '../../../src/parse/outputs.js';
import { classifyMedia } from '../../../src/parse/transport/media.js';
import { decodePackets, type TestPacket } from '../../support/decode.js';
import { ethernet, ipv4, ipv6, rtp, sipRequest, udp } from '../../support/packets.js';
import { fragmentIpv4, hep3, vxlan } from '../../support/transport-packets.js';

const A = '198.51.100.1';
const B = '198.51.100.2';

function kind(bytes: number[] | Uint8Array): string {
  const b = Uint8Array.from(bytes);
  return classifyMedia(b, 0, b.length);
}

/** An RTCP receiver report with no report blocks (RFC 3550 §6.4.2): 8 bytes. */
const RTCP_RR = [0x80, 201, 0, 1, 0x12, 0x34, 0x56, 0x78];
/** A STUN binding request (RFC 8489 §5): type, length 0, magic cookie, transaction id. */
const STUN = [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, ...new Array(12).fill(7)];

describe('media classification (RFC 7983, RFC 5761, RFC 3550)', () => {
  it('RTP: version 2, a payload type outside 64-95 with the marker, the header fitting', () => {
    expect(kind(rtp(1))).toBe('rtp');
    expect(kind([0x80, 0x80 | 8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('rtp'); // marker, PCMA, no payload
    expect(kind([0x80, 101, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 160])).toBe('rtp'); // RFC 4733 event
    // Two CSRCs (8 bytes) present; then one missing.
    expect(kind([0x82, 0, 0, 1, ...new Array(8).fill(0), ...new Array(8).fill(1)])).toBe('rtp');
    expect(kind([0x82, 0, 0, 1, ...new Array(8).fill(0), ...new Array(7).fill(1)])).toBe('other');
    // Header extension of 1 word: present, then cut.
    expect(kind([0x90, 0, 0, 1, ...new Array(8).fill(0), 0xbe, 0xde, 0, 1, 1, 2, 3, 4])).toBe('rtp');
    expect(kind([0x90, 0, 0, 1, ...new Array(8).fill(0), 0xbe, 0xde, 0, 2, 1, 2, 3, 4])).toBe('other');
    // Padding: a count that fits, zero, and one larger than the payload.
    expect(kind([0xa0, 0, 0, 1, ...new Array(8).fill(0), 9, 9, 0, 3])).toBe('rtp');
    expect(kind([0xa0, 0, 0, 1, ...new Array(8).fill(0), 9, 9, 0, 0])).toBe('other');
    expect(kind([0xa0, 0, 0, 1, ...new Array(8).fill(0), 9, 9, 0, 200])).toBe('other');
    expect(kind([0x80, 0, 0, 1, 0, 0, 0])).toBe('other'); // 7 bytes
  });

  it('RTCP: packet types 192-223 (RFC 5761 §4) with a length that fits', () => {
    expect(kind(RTCP_RR)).toBe('rtcp');
    expect(kind([0x81, 200, 0, 12, ...new Array(48).fill(0)])).toBe('rtcp'); // SR with one block
    expect(kind([0x81, 200, 0, 12, ...new Array(20).fill(0)])).toBe('other'); // its length runs past the datagram
  });

  it('STUN and DTLS on a media port; anything else is other (UDPTL has no signature)', () => {
    expect(kind(STUN)).toBe('stun');
    expect(kind(STUN.slice(0, 19))).toBe('other');
    expect(kind([0, 1, 0, 0, 1, 2, 3, 4, ...new Array(12).fill(0)])).toBe('other'); // no magic cookie
    expect(kind([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])).toBe('dtls');
    expect(kind([22, 3, 3, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])).toBe('other'); // TLS, not DTLS
    expect(kind([0x00, 0x05, 0x00, 0x1e, 0x00])).toBe('other'); // a UDPTL IFP packet
    expect(kind([0x21, 0x05, 0x00, 0x1e, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('other'); // UDPTL, sequence number 0x2105 (not a DTLS 1.3 header)
    expect(kind([0x40, 0x00, 0, 4, 1, 2, 3, 4])).toBe('other'); // version 1
    expect(kind([0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('other'); // version 3
  });
});

type Got = KeptMediaPacket & { version: 4 | 6; start: number; end: number; payloadCopy: number[] };

function media(packets: Iterable<TestPacket | Uint8Array>, linkType = 1): { got: Got[]; codes: string[]; messages: number } {
  const got: Got[] = [];
  const r = decodePackets(packets, linkType, undefined, {
    onMedia: (m: MediaPacket) => got.push({ ...m.copy(), version: m.version, start: m.start, end: m.end, payloadCopy: [...m.payload()] }),
  });
  return { got, codes: r.diagnostics.map((d) => d.code).sort(), messages: r.messages.length };
}

const rtpFrame = (srcPort: number, dstPort: number, payload: Uint8Array = rtp(7)) => ethernet(0x0800, ipv4(A, B, udp(srcPort, dstPort, payload)));

describe('media packets', () => {
  it('plain RTP (the fast path): 5-tuple, time, frame, offset, kind and payload', () => {
    const { got, codes } = media([
      { data: rtpFrame(40000, 50000), time: 1.5 },
      { data: rtpFrame(40001, 50001, Uint8Array.from(RTCP_RR)), time: 1.52 },
    ]);
    expect(codes).toEqual([]);
    expect(got.map((g) => [g.kind, g.src, g.dst, g.frame, g.frames, g.sec, g.nsec, g.version])).toEqual([
      ['rtp', { ip: A, port: 40000 }, { ip: B, port: 50000 }, 1, null, 1, 500_000_000, 4],
      ['rtcp', { ip: A, port: 40001 }, { ip: B, port: 50001 }, 2, null, 1, 520_000_000, 4],
    ]);
    expect(Buffer.from(got[0]!.payload).equals(rtp(7))).toBe(true);
    expect(got[0]!.payloadCopy).toEqual([...rtp(7)]);
    // decodePackets puts frame 1 at file offset 24 + 16 (pcap headers): Ethernet 14, IPv4 20, UDP 8.
    expect(got[0]!.offset).toBe(24 + 16 + 14 + 20 + 8);
  });

  it('the full layers give the same packets as the fast path (VLAN, raw IP, IPv6, fragments, tunnels)', () => {
    const payload = rtp(9);
    const plain = media([rtpFrame(40000, 50000, payload)]).got[0]!;
    const same = (g: Got | undefined) => expect(g && [g.kind, g.src, g.dst, [...g.payload]]).toEqual([plain.kind, plain.src, plain.dst, [...plain.payload]]);
    same(media([ethernet(0x0800, ipv4(A, B, udp(40000, 50000, payload)), [{ tpid: 0x8100, vid: 7 }])]).got[0]);
    same(media([ipv4(A, B, udp(40000, 50000, payload))], 101).got[0]);
    same(media([ethernet(0x0800, ipv4(A, B, udp(40000, 50000, payload), { options: Buffer.from([1, 1, 1, 0]) }))]).got[0]);
    // In VXLAN: the inner datagram's addresses.
    same(media([ethernet(0x0800, ipv4('192.0.2.1', '192.0.2.2', udp(33000, 4789, vxlan(rtpFrame(40000, 50000, payload)))))]).got[0]);
    // Reassembled from fragments: every frame, numbered by the last.
    const pieces = fragmentIpv4(A, B, udp(40000, 50000, payload), [64, 64, 64]).map((f) => ethernet(0x0800, f));
    const frag = media(pieces).got;
    expect(frag).toHaveLength(1);
    same(frag[0]);
    expect([frag[0]!.frame, frag[0]!.frames]).toEqual([3, [1, 2, 3]]);
    const v6 = media([ethernet(0x86dd, ipv6('2001:db8::1', '2001:db8::2', udp(40000, 50000, payload)))]).got;
    expect(v6.map((g) => [g.kind, g.version, g.src, g.dst])).toEqual([['rtp', 6, { ip: '2001:db8::1', port: 40000 }, { ip: '2001:db8::2', port: 50000 }]]);
  });

  it('datagrams another layer takes are not media: SIP, HEP, VXLAN, NAT-T, SIP ports, empty payloads', () => {
    const sip = ethernet(0x0800, ipv4(A, B, udp(40000, 50000, sipRequest('OPTIONS', 'm1'))));
    const hep = ethernet(0x0800, ipv4(A, B, udp(40000, 9060, hep3({ src: { ip: A, port: 5060 }, dst: { ip: B, port: 5060 }, sec: 1, usec: 0, payload: sipRequest('OPTIONS', 'm2') }))));
    const esp = rtpFrame(4500, 4500, Buffer.from([0, 0, 1, 0, 0, 0, 0, 1, 0x80, 0x80]));
    const onSipPort = rtpFrame(5060, 50000);
    const empty = ethernet(0x0800, ipv4(A, B, udp(40000, 50000, Buffer.alloc(0))));
    const r = media([sip, hep, esp, onSipPort, empty]);
    expect(r.got).toEqual([]);
    expect(r.messages).toBe(2);
    expect(r.codes).toEqual(['ipsec.encrypted', 'sip.not-sip-on-sip-port']);
  });

  it('anything else on any port is media, classified: STUN, DNS-like bytes, UDPTL', () => {
    const r = media([rtpFrame(3478, 50000, Uint8Array.from(STUN)), rtpFrame(40000, 53, Buffer.from([0x12, 0x34, 1, 0, 0, 1])), rtpFrame(40000, 40002, Buffer.from([0, 5, 0, 0x1e, 0]))]);
    expect(r.got.map((g) => [g.kind, g.dst.port])).toEqual([
      ['stun', 50000],
      ['other', 53],
      ['other', 40002],
    ]);
  });

  it('the view is reused and its bytes overwritten after the call: copy() keeps them', () => {
    const views: MediaPacket[] = [];
    const kept: KeptMediaPacket[] = [];
    decodePackets([rtpFrame(40000, 50000, rtp(1)), rtpFrame(40000, 50000, rtp(2))], 1, undefined, {
      onMedia: (m) => {
        views.push(m);
        kept.push(m.copy());
      },
    });
    expect(views[0]).toBe(views[1]);
    expect(kept.map((k) => Buffer.from(k.payload).readUInt16BE(2))).toEqual([1, 2]);
    // decodePackets overwrites the frame buffer after each frame, as the capture reader reuses it.
    expect(views[0]!.payload().every((x) => x === 0xee)).toBe(true);
  });

  it('without a media sink nothing changes: the same diagnostics and messages', () => {
    const packets = [rtpFrame(40000, 50000), rtpFrame(5060, 40000), ethernet(0x0800, ipv4(A, B, udp(40000, 50000, sipRequest('OPTIONS', 'm3')))), rtpFrame(40000, 50000, Buffer.from([1]))];
    const without = decodePackets(packets);
    const withSink = decodePackets(packets, 1, undefined, { onMedia: () => {} });
    expect(withSink.diagnostics).toEqual(without.diagnostics);
    expect(withSink.messages.map((m) => m.message.raw.toString())).toEqual(without.messages.map((m) => m.message.raw.toString()));
  });
});
