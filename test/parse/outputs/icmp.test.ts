/**
 * The ICMP output: errors with their type, code, reporting host and the quoted packet decoded as
 * far as the quote goes. An error handed to the sink is read, not counted as skipped; without a
 * sink, and for ICMP that is not an error, it is counted as skipped (ip.unsupported-protocol).
 */
import { describe, expect, it } from 'vitest';
import { readIcmpError, readQuote } from '../../../src/parse/net/icmp.js';
import type { IcmpError } from '../../../src/parse/outputs.js';
import { decodePackets } from '../../support/decode.js';
import { ethernet, ipv4, ipv6, rtp, sipResponse, udp } from '../../support/packets.js';
import { fragmentIpv4, fragmentIpv6, icmpError } from '../../support/transport-packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

const PHONE = '10.0.0.5';
const PROXY = '192.0.2.10';
const ROUTER = '203.0.113.1';
const RINGING = sipResponse(180, 'Ringing', 'INVITE', 'icmp-1@test');

/** The datagram the proxy sent and the phone reports: a SIP 180 from 5060 to 5062. */
const sent = () => ipv4(PROXY, PHONE, udp(5060, 5062, RINGING));

function icmpFrame(from: string, to: string, icmp: Uint8Array): Buffer {
  return ethernet(0x0800, ipv4(from, to, icmp, { protocol: 1 }));
}

function decode(frames: Uint8Array[]): { errors: IcmpError[]; codes: string[] } {
  const errors: IcmpError[] = [];
  const r = decodePackets(frames, 1, undefined, { onIcmp: (e) => errors.push(e) });
  return { errors, codes: r.diagnostics.map((d) => d.code) };
}

describe('ICMP errors', () => {
  it('a port unreachable quoting a whole SIP 180: reporter, ports and the SIP bytes', () => {
    const { errors, codes } = decode([icmpFrame(PHONE, PROXY, icmpError(3, 3, sent()))]);
    expect(codes).toEqual([]);
    expect(errors).toHaveLength(1);
    const e = errors[0]!;
    expect([e.icmpVersion, e.type, e.code, e.kind, e.reporter, e.to, e.mtu, e.frame, e.frames]).toEqual([4, 3, 3, 'unreachable', PHONE, PROXY, null, 1, null]);
    expect(e.offset).toBe(24 + 16 + 14 + 20);
    const q = e.quote!;
    expect([q.version, q.protocol, q.src, q.dst, q.srcPort, q.dstPort, q.fragment, q.truncated, q.length]).toEqual([4, 17, PROXY, PHONE, 5060, 5062, false, false, 20 + 8 + RINGING.length]);
    expect(Buffer.from(q.payload!).toString()).toBe(RINGING);
  });

  it('a time exceeded quoting an RTP packet from a router, cut as RFC 792 allows (IP header + 8 bytes)', () => {
    const rtpPacket = ipv4(PHONE, PROXY, udp(40000, 50000, rtp(3)));
    const { errors } = decode([icmpFrame(ROUTER, PHONE, icmpError(11, 0, rtpPacket.subarray(0, 28)))]);
    const e = errors[0]!;
    expect([e.kind, e.reporter, e.quote!.srcPort, e.quote!.dstPort, e.quote!.truncated]).toEqual(['time-exceeded', ROUTER, 40000, 50000, true]);
    expect(e.quote!.payload).toEqual(new Uint8Array(0));
    // With the RTP header quoted too (RFC 1812 routers quote more).
    const more = decode([icmpFrame(ROUTER, PHONE, icmpError(11, 0, rtpPacket.subarray(0, 40)))]).errors[0]!;
    expect(Buffer.from(more.quote!.payload!).equals(rtp(3).subarray(0, 12))).toBe(true);
  });

  it('truncated quotes: inside the UDP header, inside the IP header, no quote at all, no ICMP header', () => {
    const packet = sent();
    const partPorts = readIcmpError(icmpError(3, 3, packet.subarray(0, 24)), 0, 32, 4)!;
    expect([partPorts.quote!.srcPort, partPorts.quote!.dstPort, partPorts.quote!.payload, partPorts.quote!.truncated]).toEqual([5060, 5062, null, true]);
    const halfPorts = readIcmpError(icmpError(3, 3, packet.subarray(0, 22)), 0, 30, 4)!;
    expect([halfPorts.quote!.src, halfPorts.quote!.srcPort]).toEqual([PROXY, null]);
    expect(readIcmpError(icmpError(3, 3, packet.subarray(0, 19)), 0, 27, 4)!.quote).toBeNull();
    expect(readIcmpError(icmpError(3, 3, new Uint8Array(0)), 0, 8, 4)!.quote).toBeNull();
    expect(readQuote(Uint8Array.of(0x55, 1, 2), 0, 3)).toBeNull(); // not IPv4 or IPv6
    const { errors, codes } = decode([icmpFrame(PHONE, PROXY, icmpError(3, 3, new Uint8Array(0)).subarray(0, 6))]);
    expect(errors).toEqual([]);
    expect(codes).toEqual(['ip.unsupported-protocol']);
  });

  it('an error quoting a fragment: the first one has the ports, a later one only addresses and its offset', () => {
    const big = udp(5060, 5062, RINGING);
    const [first, second] = fragmentIpv4(PROXY, PHONE, big, [64, 512]);
    const a = decode([icmpFrame(PHONE, PROXY, icmpError(3, 3, first!))]).errors[0]!.quote!;
    expect([a.fragment, a.fragmentOffset, a.srcPort, a.dstPort, a.truncated]).toEqual([true, 0, 5060, 5062, false]);
    // The UDP length says more than the fragment holds: the payload quoted is what the fragment has.
    expect(Buffer.from(a.payload!).toString()).toBe(RINGING.slice(0, 64 - 8));
    const b = decode([icmpFrame(PHONE, PROXY, icmpError(11, 1, second!))]).errors[0]!;
    expect([b.kind, b.code, b.quote!.fragment, b.quote!.fragmentOffset, b.quote!.srcPort, b.quote!.payload, b.quote!.src]).toEqual(['time-exceeded', 1, true, 64, null, null, PROXY]);
  });

  it('fragmentation needed gives the next-hop MTU (RFC 1191); echo and other non-errors are not errors', () => {
    const e = decode([icmpFrame(ROUTER, PROXY, icmpError(3, 4, sent(), 1400))]).errors[0]!;
    expect([e.kind, e.mtu]).toEqual(['unreachable', 1400]);
    const echo = decode([icmpFrame(ROUTER, PROXY, icmpError(8, 0, Buffer.from('ping')))]);
    expect(echo.errors).toEqual([]);
    expect(echo.codes).toEqual(['ip.unsupported-protocol']);
  });

  it('ICMPv6: packet too big with its MTU, an unreachable quoting a fragment', () => {
    const sent6 = ipv6('2001:db8::10', '2001:db8::5', udp(5060, 5062, RINGING));
    const frame = (icmp: Uint8Array) => ethernet(0x86dd, ipv6('2001:db8::1', '2001:db8::10', icmp, 58));
    const tooBig = decode([frame(icmpError(2, 0, sent6, 1280))]).errors[0]!;
    expect([tooBig.icmpVersion, tooBig.kind, tooBig.mtu, tooBig.reporter, tooBig.quote!.version, tooBig.quote!.src, tooBig.quote!.dstPort]).toEqual([6, 'packet-too-big', 1280, '2001:db8::1', 6, '2001:db8::10', 5062]);
    expect(Buffer.from(tooBig.quote!.payload!).toString()).toBe(RINGING);
    const [, later] = fragmentIpv6('2001:db8::10', '2001:db8::5', udp(5060, 5062, RINGING), [64, 512]);
    const q = decode([frame(icmpError(1, 4, later!))]).errors[0]!.quote!;
    expect([q.fragment, q.fragmentOffset, q.protocol, q.srcPort]).toEqual([true, 64, 17, null]);
    expect(decode([frame(icmpError(128, 0, Buffer.from('echo')))]).errors).toEqual([]);
  });

  it('RFC 4884: a quote length field bounds the quote (extension objects after it)', () => {
    const quoted = Buffer.concat([sent().subarray(0, 128)]);
    const icmp = icmpError(11, 0, Buffer.concat([quoted, Buffer.from([0x20, 0, 0, 0, 0, 8, 1, 1, 0, 0, 0, 0])]), (128 / 4) << 16);
    const e = readIcmpError(icmp, 0, icmp.length, 4)!;
    expect(e.quote!.payload!.length).toBe(128 - 28);
  });

  it('without a sink ICMP is skipped and counted; with one, an error it reads is not called unsupported', () => {
    const frames = [icmpFrame(PHONE, PROXY, icmpError(3, 3, sent()))];
    const without = decodePackets(frames).diagnostics;
    expect(decodePackets(frames, 1, undefined, { onIcmp: () => {} }).diagnostics).toEqual([]);
    expect(without.map((d) => [d.code, diagnosticText(d)])).toEqual([['ip.unsupported-protocol', 'skipped ICMP packets (first: frame 1)']]);
  });
});
