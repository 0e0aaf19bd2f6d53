import { u16be, u32be } from '../capture/bytes.js';
import type { FrameView } from '../capture/frame.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { IP_PROTOCOLS } from '../dispatch.js';
import { type Layer, LayerId } from '../layer.js';
import { EtherType } from '../link/link.js';

/** Where the transport header of an IP packet lies, and who sent it to whom (offsets into frame.data). */
export interface IpResult {
  version: 4 | 6;
  protocol: number;
  srcOffset: number;
  dstOffset: number;
  /** Transport header start and end of the IP payload (Ethernet padding removed). */
  payloadStart: number;
  payloadEnd: number;
  /** The packet is longer than what the frame holds (already reported). */
  truncated: boolean;
  /** Payload bytes the IP length announces beyond what the frame holds (snaplen); 0 normally. */
  missing: number;
  /** Start of the innermost IP header. */
  headerStart: number;
  /**
   * The packet is a fragment (IPv4 MF or offset, IPv6 Fragment header): the payload range holds
   * the fragment's data, `protocol` the protocol of the whole datagram. Reassemble before decoding.
   */
  fragment: boolean;
  /** Identification (IPv4: 16 bits, IPv6: 32 bits). */
  fragmentId: number;
  /**
   * The sender's identification of the innermost packet: the IPv4 Identification field (RFC 791
   * §3.1), or the IPv6 Fragment header's (RFC 8200 §4.5); -1 when the packet has none (IPv6
   * without a Fragment header). Two copies with different values are two transmissions.
   */
  identification: number;
  /** Byte offset of the fragment's data in the original datagram. */
  fragmentOffset: number;
  moreFragments: boolean;
}

export function newIpResult(): IpResult {
  return {
    version: 4,
    protocol: 0,
    srcOffset: 0,
    dstOffset: 0,
    payloadStart: 0,
    payloadEnd: 0,
    truncated: false,
    missing: 0,
    headerStart: 0,
    fragment: false,
    fragmentId: 0,
    identification: -1,
    fragmentOffset: 0,
    moreFragments: false,
  };
}

/** IANA IP protocol numbers; a const enum, so that the bundler writes each into the code as a number (docs/decisions.md "Offsets read per packet as const enums"). */
export const enum IpProtocol {
  TCP = 6,
  UDP = 17,
  IPIP = 4,
  IPV6 = 41,
  GRE = 47,
  SCTP = 132,
  HOPOPTS = 0,
  ROUTING = 43,
  FRAGMENT = 44,
  ESP = 50,
  AH = 51,
  NONE = 59,
  DSTOPTS = 60,
  MOBILITY = 135,
  HIP = 139,
  SHIM6 = 140,
}
/**
 * How far decodeIp follows headers, read for every packet: a const enum, so that the bundler
 * writes each into the code as a number (docs/decisions.md "Offsets read per packet as const enums").
 */
const enum IpBound {
  /** Outer headers followed for IP-in-IP / IPv6-in-IPv4 (RFC 2003, RFC 4213). */
  TUNNEL_DEPTH = 4,
  /** IPv6 extension headers followed before giving up. */
  EXTENSION_HEADERS = 16,
}

const PROTOCOL_NAMES: Record<number, string> = {
  1: 'ICMP',
  2: 'IGMP',
  6: 'TCP',
  47: 'GRE',
  50: 'ESP',
  58: 'ICMPv6',
  89: 'OSPF',
  103: 'PIM',
  112: 'VRRP',
  132: 'SCTP',
};



/**
 * Decodes IPv4/IPv6 starting at `offset` (up to `end`, the frame's end by default), through
 * IP-in-IP tunnels and IPv6 extension headers. Returns false (with a diagnostic or a counter)
 * when there is no transport payload to look at. A fragment returns true with `out.fragment`
 * set: its payload is a piece of a datagram for the defragmenter, not a transport header.
 */
export function decodeIp(frame: FrameView, etherType: number, offset: number, out: IpResult, diagnostics: DiagnosticSink, end: number = frame.end): boolean {
  let version = etherType === EtherType.IPV6 ? 6 : etherType === EtherType.IPV4 ? 4 : 0;
  out.truncated = false;
  out.missing = 0;
  out.fragment = false;
  for (let depth = 0; depth <= IpBound.TUNNEL_DEPTH; depth++) {
    out.headerStart = offset;
    const ok = version === 4 ? decodeIpv4(frame, offset, end, out, diagnostics) : decodeIpv6(frame, offset, end, out, diagnostics);
    if (!ok) return false;
    if (out.fragment || (out.protocol !== IpProtocol.IPIP && out.protocol !== IpProtocol.IPV6)) return true;
    version = out.protocol === IpProtocol.IPIP ? 4 : 6;
    offset = out.payloadStart;
    end = out.payloadEnd;
  }
  diagnostics.report('ip.tunnel-too-deep', { frame: frame.number, max: IpBound.TUNNEL_DEPTH, what: 'ip-in-ip' }, { frame: frame.number, offset: frame.fileOffset + offset - frame.start });
  return false;
}

function at(frame: FrameView, offset: number): { frame: number; offset: number } {
  return { frame: frame.number, offset: frame.fileOffset + offset - frame.start };
}

function decodeIpv4(frame: FrameView, offset: number, end: number, out: IpResult, diagnostics: DiagnosticSink): boolean {
  const b = frame.data;
  if (end - offset < 20) {
    diagnostics.report('ip.truncated', { frame: frame.number, header: 'IPv4', left: end - offset }, at(frame, offset));
    return false;
  }
  const versionIhl = b[offset]!;
  const headerLength = (versionIhl & 0x0f) * 4;
  if (versionIhl >> 4 !== 4 || headerLength < 20) {
    diagnostics.report('ip.bad-header', { frame: frame.number, reason: 'ipv4-version', version: versionIhl >> 4, headerLength }, at(frame, offset));
    return false;
  }
  if (end - offset < headerLength) {
    diagnostics.report('ip.truncated', { frame: frame.number, header: 'IPv4-options', length: headerLength, left: end - offset }, at(frame, offset));
    return false;
  }
  const totalLength = u16be(b, offset + 2);
  let payloadEnd = offset + totalLength;
  if (totalLength === 0) {
    // TCP segmentation offload on the capturing host leaves total length 0: trust the frame.
    payloadEnd = end;
  } else if (totalLength < headerLength) {
    diagnostics.report('ip.bad-header', { frame: frame.number, reason: 'total-below-header', totalLength, headerLength }, at(frame, offset + 2));
    return false;
  } else if (payloadEnd > end) {
    cutShort(frame, 4, totalLength, end - offset, at(frame, offset + 2), diagnostics);
    out.missing = payloadEnd - end;
    payloadEnd = end;
    out.truncated = true;
  }
  const flagsFragment = u16be(b, offset + 6);
  out.version = 4;
  out.protocol = b[offset + 9]!;
  out.srcOffset = offset + 12;
  out.dstOffset = offset + 16;
  out.payloadStart = offset + headerLength;
  out.payloadEnd = payloadEnd;
  out.identification = u16be(b, offset + 4);
  // More Fragments set or a non-zero offset: a piece of a larger datagram (RFC 791 §3.2).
  if ((flagsFragment & 0x3fff) !== 0) {
    out.fragment = true;
    out.fragmentId = u16be(b, offset + 4);
    out.fragmentOffset = (flagsFragment & 0x1fff) * 8;
    out.moreFragments = (flagsFragment & 0x2000) !== 0;
  }
  return true;
}

/** The IP length says more than the frame holds: the snaplen cut it, or the length field is wrong. */
function cutShort(frame: FrameView, version: 4 | 6, claimed: number, present: number, location: { frame: number; offset: number }, diagnostics: DiagnosticSink): void {
  if (frame.origLen > frame.end - frame.start) {
    // Every packet of a capture taken with a small snaplen: the values are built only while they are kept.
    if (diagnostics.wants('ip.snaplen-truncated')) diagnostics.report('ip.snaplen-truncated', { frame: frame.number, version, claimed, present }, location);
  } else if (diagnostics.wants('ip.bad-header')) {
    diagnostics.report('ip.bad-header', { frame: frame.number, reason: 'length-past-frame', version, claimed, present }, location);
  }
}

function decodeIpv6(frame: FrameView, offset: number, end: number, out: IpResult, diagnostics: DiagnosticSink): boolean {
  const b = frame.data;
  if (end - offset < 40) {
    diagnostics.report('ip.truncated', { frame: frame.number, header: 'IPv6', left: end - offset }, at(frame, offset));
    return false;
  }
  if (b[offset]! >> 4 !== 6) {
    diagnostics.report('ip.bad-header', { frame: frame.number, reason: 'ipv6-version', version: b[offset]! >> 4 }, at(frame, offset));
    return false;
  }
  const payloadLength = u16be(b, offset + 4);
  let payloadEnd = offset + 40 + payloadLength;
  if (payloadLength === 0) {
    diagnostics.report('ip.jumbogram', { frame: frame.number }, at(frame, offset + 4));
    return false;
  }
  if (payloadEnd > end) {
    cutShort(frame, 6, payloadLength + 40, end - offset, at(frame, offset + 4), diagnostics);
    out.missing = payloadEnd - end;
    payloadEnd = end;
    out.truncated = true;
  }
  out.version = 6;
  out.identification = -1;
  out.srcOffset = offset + 8;
  out.dstOffset = offset + 24;
  out.payloadEnd = payloadEnd;
  let next = b[offset + 6]!;
  let p = offset + 40;
  // RFC 8200 §4: walk the extension header chain to the upper-layer header.
  for (let n = 0; n < IpBound.EXTENSION_HEADERS; n++) {
    if (next === IpProtocol.HOPOPTS || next === IpProtocol.ROUTING || next === IpProtocol.DSTOPTS || next === IpProtocol.MOBILITY || next === IpProtocol.HIP || next === IpProtocol.SHIM6) {
      if (payloadEnd - p < 8) return extensionTruncated(frame, p, diagnostics);
      const length = (b[p + 1]! + 1) * 8;
      next = b[p]!;
      p += length;
    } else if (next === IpProtocol.AH) {
      if (payloadEnd - p < 8) return extensionTruncated(frame, p, diagnostics);
      const length = (b[p + 1]! + 2) * 4; // RFC 4302 §2.2: in 4-byte units, minus 2
      next = b[p]!;
      p += length;
    } else if (next === IpProtocol.FRAGMENT) {
      if (payloadEnd - p < 8) return extensionTruncated(frame, p, diagnostics);
      const offsetFlags = u16be(b, p + 2);
      next = b[p]!;
      p += 8;
      // An "atomic fragment" (offset 0, M clear; RFC 6946) is a whole packet.
      if ((offsetFlags & 0xfff9) !== 0) {
        // RFC 8200 §4.5: the fragmentable part (and its Next Header) follows the Fragment header.
        out.fragment = true;
        out.fragmentId = u32be(b, p - 4);
        out.identification = out.fragmentId;
        out.fragmentOffset = offsetFlags & 0xfff8;
        out.moreFragments = (offsetFlags & 1) !== 0;
        out.protocol = next;
        out.payloadStart = p;
        return true;
      }
    } else {
      if (p > payloadEnd) return extensionTruncated(frame, p, diagnostics);
      if (next === IpProtocol.NONE) {
        out.protocol = next;
        diagnostics.count('ip.unsupported-protocol', String(next), { frame: frame.number, protocol: null, name: null }, at(frame, p));
        return false;
      }
      out.protocol = next;
      out.payloadStart = p;
      return true;
    }
  }
  diagnostics.report('ip.bad-header', { frame: frame.number, reason: 'too-many-extensions', max: IpBound.EXTENSION_HEADERS }, at(frame, p));
  return false;
}

function extensionTruncated(frame: FrameView, p: number, diagnostics: DiagnosticSink): false {
  diagnostics.report('ip.truncated', { frame: frame.number, header: 'IPv6-extension' }, at(frame, p));
  return false;
}

/** Counts a packet whose protocol siplens does not decode. */
export function unsupportedProtocol(frame: FrameView, ip: IpResult, diagnostics: DiagnosticSink): void {
  diagnostics.count('ip.unsupported-protocol', String(ip.protocol), { frame: frame.number, protocol: ip.protocol, name: PROTOCOL_NAMES[ip.protocol] ?? null }, at(frame, ip.payloadStart));
}

export { formatIp } from './address.js';

/**
 * The IP layer: the header the previous layer pointed at (packet.netType, netOffset, netEnd),
 * then the layer of its protocol (dispatch.ts IP_PROTOCOLS), or the defragmenter for a fragment.
 */
export const ipLayer: Layer = (p) => {
  const ip = p.ip;
  if (!decodeIp(p.frame, p.netType, p.netOffset, ip, p.diagnostics, p.netEnd)) return LayerId.DONE;
  return ip.fragment ? LayerId.FRAGMENT : IP_PROTOCOLS[ip.protocol]!;
};

/** A protocol with no layer: counted. */
export const otherIpLayer: Layer = (p) => {
  unsupportedProtocol(p.frame, p.ip, p.diagnostics);
  return LayerId.DONE;
};
