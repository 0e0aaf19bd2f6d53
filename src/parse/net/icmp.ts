/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443) errors: a host or router says a packet could not be
 * delivered (a SIP response to a closed port, RTP to a phone that hung up, a TTL that ran out, a
 * datagram too big for the path) and quotes the start of that packet. The quote is decoded as far
 * as it goes: its IP header, whether it is a fragment, its ports, and the UDP payload quoted.
 *
 * Decoding happens only for an ICMP sink (the analysis session sets one: src/parse/icmp-calls.ts
 * ties the errors to calls). An error handed to the sink is read, so it is not counted as skipped;
 * ICMP that is not an error (echo, neighbour discovery), or any ICMP when no sink is set, is
 * counted as skipped (ip.unsupported-protocol). Nothing else here reports a diagnostic: a short
 * quote is a partial result (`truncated`, null fields), as etherparse's lax slices keep what they
 * could read.
 */
import { u16be, u32be } from '../capture/bytes.js';
import { type Layer, LayerId } from '../layer.js';
import type { IcmpError, IcmpErrorKind, IcmpQuote } from '../outputs.js';
import type { Packet } from '../packet.js';
import { formatIp, IpProtocol, unsupportedProtocol } from './ip.js';

/** An ICMP error as read from the message alone (without where and when it was captured). */
export type IcmpErrorBody = Pick<IcmpError, 'icmpVersion' | 'type' | 'code' | 'kind' | 'mtu' | 'quote'>;

/** ICMPv4 error types (RFC 792; RFC 6633 deprecates source quench, still seen). */
const ICMP4_KINDS: Readonly<Record<number, IcmpErrorKind>> = { 3: 'unreachable', 4: 'source-quench', 11: 'time-exceeded', 12: 'parameter-problem' };
/** ICMPv6 error types (RFC 4443 §3: types below 128 are errors). */
const ICMP6_KINDS: Readonly<Record<number, IcmpErrorKind>> = { 1: 'unreachable', 2: 'packet-too-big', 3: 'time-exceeded', 4: 'parameter-problem' };

/** IPv6 extension headers walked in a quote (RFC 8200 §4): hop-by-hop, routing, destination options, mobility, HIP, shim6. */
const IPV6_EXTENSIONS = new Set([0, 43, 60, 135, 139, 140]);
const IPV6_AH = 51;

/**
 * The ICMP error at b[s, e), or null when it is not an error message (echo, neighbour discovery,
 * redirect...) or too short for the 8-byte ICMP header.
 */
export function readIcmpError(b: Uint8Array, s: number, e: number, icmpVersion: 4 | 6): IcmpErrorBody | null {
  if (e - s < 8) return null;
  const type = b[s]!;
  const code = b[s + 1]!;
  const kind = (icmpVersion === 4 ? ICMP4_KINDS : ICMP6_KINDS)[type];
  if (kind === undefined) return null;
  let mtu: number | null = null;
  // RFC 1191 §4: "fragmentation needed and DF set" carries the next-hop MTU in its second half-word.
  if (icmpVersion === 4 && type === 3 && code === 4) mtu = u16be(b, s + 6) || null;
  if (icmpVersion === 6 && type === 2) mtu = u32be(b, s + 4);
  // RFC 4884 §4: a non-zero length gives the quote's size (then extension objects follow it).
  let quoteEnd = e;
  const extended = icmpVersion === 4 ? (type === 3 || type === 11 || type === 12 ? b[s + 5]! * 4 : 0) : type === 1 || type === 3 ? b[s + 4]! * 8 : 0;
  if (extended > 0 && s + 8 + extended <= e) quoteEnd = s + 8 + extended;
  return { icmpVersion, type, code, kind, mtu, quote: readQuote(b, s + 8, quoteEnd) };
}

/** The quoted packet at b[q, e), or null when not even its IP header is there. */
export function readQuote(b: Uint8Array, q: number, e: number): IcmpQuote | null {
  if (e - q < 1) return null;
  const version = b[q]! >> 4;
  let protocol: number;
  let length: number;
  let transport: number;
  let fragment = false;
  let fragmentOffset = 0;
  let src: string;
  let dst: string;
  if (version === 4) {
    const headerLength = (b[q]! & 0x0f) * 4;
    if (e - q < 20 || headerLength < 20) return null;
    length = u16be(b, q + 2);
    protocol = b[q + 9]!;
    const flags = u16be(b, q + 6);
    fragmentOffset = (flags & 0x1fff) * 8;
    fragment = (flags & 0x3fff) !== 0;
    src = formatIp(b, q + 12, 4);
    dst = formatIp(b, q + 16, 4);
    transport = q + headerLength;
  } else if (version === 6) {
    if (e - q < 40) return null;
    length = 40 + u16be(b, q + 4);
    src = formatIp(b, q + 8, 6);
    dst = formatIp(b, q + 24, 6);
    protocol = b[q + 6]!;
    transport = q + 40;
    // Extension headers, as far as the quote holds them.
    for (let n = 0; n < 16 && transport <= e; n++) {
      if (IPV6_EXTENSIONS.has(protocol) || protocol === IPV6_AH) {
        if (e - transport < 8) break;
        const next = b[transport]!;
        transport += protocol === IPV6_AH ? (b[transport + 1]! + 2) * 4 : (b[transport + 1]! + 1) * 8;
        protocol = next;
      } else if (protocol === IpProtocol.FRAGMENT) {
        if (e - transport < 8) break;
        const offsetFlags = u16be(b, transport + 2);
        protocol = b[transport]!;
        fragmentOffset = offsetFlags & 0xfff8;
        fragment = (offsetFlags & 0xfff9) !== 0;
        transport += 8;
      } else {
        break;
      }
    }
  } else {
    return null;
  }
  // The quoted packet's own length bounds what belongs to it (an IPv4 total length of 0 is TSO: trust the quote).
  const packetEnd = length > 0 ? q + length : e;
  const quoted = Math.min(e, packetEnd);
  let srcPort: number | null = null;
  let dstPort: number | null = null;
  let payload: Uint8Array | null = null;
  // Only a whole packet or the first fragment starts with its transport header.
  if (fragmentOffset === 0 && (protocol === IpProtocol.UDP || protocol === IpProtocol.TCP || protocol === IpProtocol.SCTP) && transport + 4 <= quoted) {
    srcPort = u16be(b, transport);
    dstPort = u16be(b, transport + 2);
    if (protocol === IpProtocol.UDP && transport + 8 <= quoted) {
      const udpLength = u16be(b, transport + 4);
      const udpEnd = udpLength >= 8 ? Math.min(quoted, transport + udpLength) : quoted;
      payload = b.slice(transport + 8, Math.max(transport + 8, udpEnd));
    }
  }
  return { version, protocol, src, dst, length, fragment, fragmentOffset, srcPort, dstPort, payload, truncated: packetEnd > e };
}

function icmpLayer(icmpVersion: 4 | 6): Layer {
  return (p: Packet) => {
    const frame = p.frame;
    const ip = p.ip;
    const sink = p.onIcmp;
    const body = sink === null ? null : readIcmpError(frame.data, ip.payloadStart, ip.payloadEnd, icmpVersion);
    // Nobody reads it (no sink, or not an error message): skipped.
    if (sink === null || body === null) {
      unsupportedProtocol(frame, ip, p.diagnostics);
      return LayerId.DONE;
    }
    sink({
      file: p.file,
      frame: frame.number,
      frames: p.fragmentFrames,
      sec: frame.sec,
      nsec: frame.nsec,
      offset: frame.fileOffset + ip.payloadStart - frame.start,
      ...body,
      reporter: formatIp(frame.data, ip.srcOffset, ip.version),
      to: formatIp(frame.data, ip.dstOffset, ip.version),
    });
    return LayerId.DONE;
  };
}

/** ICMP over IPv4 (protocol 1). */
export const icmpV4Layer: Layer = icmpLayer(4);
/** ICMPv6 (next header 58). */
export const icmpV6Layer: Layer = icmpLayer(6);
