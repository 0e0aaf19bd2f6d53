/**
 * Tunnels that carry whole packets: GRE (RFC 2784, key and sequence RFC 2890, the enhanced
 * GRE of PPTP RFC 2637 with PPP inside), ERSPAN types I, II and III (GRE protocol 0x88BE and
 * 0x22EB, draft-foschiano-erspan), VXLAN (RFC 7348, UDP 4789), Geneve (RFC 8926, UDP 6081),
 * EtherIP (RFC 3378, IP protocol 97) and GTP-U (3GPP TS 29.281, UDP 2152: the user plane of
 * mobile networks, where a VoLTE/IMS phone's SIP travels between eNodeB/gNB, SGW/UPF and PGW).
 * Each decoder says where the inner packet starts: an Ethernet header, or an EtherType for the
 * link layer's dispatch (which also follows VLAN tags and MPLS). What a decoder cannot follow is
 * counted (tunnel.unsupported), never dropped in silence. No allocation; offsets are into frame.data.
 */
import { u16be } from '../capture/bytes.js';
import type { FrameView } from '../capture/frame.js';
import type { UnsupportedTunnel } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { type Layer, LayerId } from '../layer.js';
import { decodeEthernetAt, decodeEtherTypeAt, EtherType } from '../link/link.js';

export interface TunnelResult {
  /** True: an Ethernet header starts at `offset`. False: `etherType` names what starts there. */
  ethernet: boolean;
  etherType: number;
  offset: number;
  end: number;
}

export function newTunnelResult(): TunnelResult {
  return { ethernet: false, etherType: 0, offset: 0, end: 0 };
}

/** UDP ports of VXLAN: IANA 4789, and 8472 (the Linux kernel's default before IANA assigned one). */
export const VXLAN_PORT = 4789;
export const VXLAN_LINUX_PORT = 8472;

/** TS 29.281 §5.1: GTP-U message type of a G-PDU (a user packet); echo, error indication and end marker carry none. */
const GTPU_G_PDU = 255;
/** TS 29.281 §5.2.1: extension headers followed before giving up (each is at least 4 bytes; the chain ends with type 0). */
const MAX_GTPU_EXTENSIONS = 16;
/** RFC 8926 §3.4: Geneve version 0; Protocol Type is an EtherType (0x6558: an Ethernet frame). */
const GENEVE_VERSION = 0;
/** RFC 3378 §3: the EtherIP header's version. */
const ETHERIP_VERSION = 3;

const GRE_CHECKSUM = 0x8000;
const GRE_ROUTING = 0x4000;
const GRE_KEY = 0x2000;
const GRE_SEQUENCE = 0x1000;
const GRE_ACK = 0x0080;
const GRE_TEB = 0x6558; // transparent Ethernet bridging
const GRE_ERSPAN_2 = 0x88be; // ERSPAN type I (no sequence number) and II
const GRE_ERSPAN_3 = 0x22eb;
const GRE_PPP = 0x880b;
const GRE_MPLS = 0x8847;
const GRE_MPLS_MULTICAST = 0x8848;
/** Source route entries followed in an RFC 1701 routing field. */
const MAX_SRE = 16;

function location(frame: FrameView, offset: number): { frame: number; offset: number } {
  return { frame: frame.number, offset: frame.fileOffset + offset - frame.start };
}

function truncated(frame: FrameView, header: string, offset: number, diagnostics: DiagnosticSink): false {
  diagnostics.report('tunnel.truncated', { frame: frame.number, header }, location(frame, offset));
  return false;
}

/** `what`: the kind of packet skipped, as its diagnostic says it (src/diagnostics.ts `tunnel.unsupported`). */
function unsupported(frame: FrameView, key: string, what: UnsupportedTunnel, offset: number, diagnostics: DiagnosticSink): false {
  diagnostics.count('tunnel.unsupported', key, { frame: frame.number, ...what }, location(frame, offset));
  return false;
}


/** Decodes the GRE header at [start, end) and, for PPP, ERSPAN and bridged Ethernet, the header after it. */
export function decodeGre(frame: FrameView, start: number, end: number, out: TunnelResult, diagnostics: DiagnosticSink): boolean {
  const b = frame.data;
  if (end - start < 4) return truncated(frame, 'GRE', start, diagnostics);
  const flags = u16be(b, start);
  const protocol = u16be(b, start + 2);
  const version = flags & 7;
  let p = start + 4;
  if (version === 0) {
    // RFC 2784 §2.1 (checksum, with RFC 1701's offset when routing is present), RFC 2890 key and sequence number.
    if ((flags & (GRE_CHECKSUM | GRE_ROUTING)) !== 0) p += 4;
    if ((flags & GRE_KEY) !== 0) p += 4;
    if ((flags & GRE_SEQUENCE) !== 0) p += 4;
    if ((flags & GRE_ROUTING) !== 0) {
      // RFC 1701: source route entries (address family, offset, length) until one of length 0.
      for (let n = 0; ; n++) {
        if (n === MAX_SRE || end - p < 4) return truncated(frame, 'GRE routing', p, diagnostics);
        const length = b[p + 3]!;
        p += 4 + length;
        if (length === 0) break;
      }
    }
  } else if (version === 1) {
    // RFC 2637 §4.1: key (payload length, call ID) always present, then sequence and acknowledgment numbers.
    p += 4;
    if ((flags & GRE_SEQUENCE) !== 0) p += 4;
    if ((flags & GRE_ACK) !== 0) p += 4;
  } else {
    return unsupported(frame, `gre-v${version}`, { kind: 'gre-version', version }, start, diagnostics);
  }
  if (p > end) return truncated(frame, 'GRE', start, diagnostics);
  out.end = end;
  switch (protocol) {
    case EtherType.IPV4:
    case EtherType.IPV6:
    case GRE_MPLS:
    case GRE_MPLS_MULTICAST:
      out.ethernet = false;
      out.etherType = protocol;
      out.offset = p;
      return true;
    case GRE_TEB:
      out.ethernet = true;
      out.offset = p;
      return true;
    case GRE_ERSPAN_2:
      // Type I has no sequence number and no ERSPAN header; type II has both (version 1 in the header).
      if ((flags & GRE_SEQUENCE) === 0) {
        out.ethernet = true;
        out.offset = p;
        return true;
      }
      if (end - p < 8) return truncated(frame, 'ERSPAN type II', p, diagnostics);
      if (b[p]! >> 4 !== 1) return unsupported(frame, `erspan-v${b[p]! >> 4}`, { kind: 'erspan-version', version: b[p]! >> 4, protocol }, p, diagnostics);
      out.ethernet = true;
      out.offset = p + 8;
      return true;
    case GRE_ERSPAN_3: {
      if (end - p < 12) return truncated(frame, 'ERSPAN type III', p, diagnostics);
      if (b[p]! >> 4 !== 2) return unsupported(frame, `erspan-v${b[p]! >> 4}`, { kind: 'erspan-version', version: b[p]! >> 4, protocol }, p, diagnostics);
      const frameType = (b[p + 10]! >> 2) & 0x1f;
      const optional = (b[p + 11]! & 1) !== 0;
      let q = p + 12;
      if (optional) {
        if (end - q < 8) return truncated(frame, 'ERSPAN type III platform', q, diagnostics);
        q += 8;
      }
      out.offset = q;
      if (frameType === 0) {
        out.ethernet = true;
        return true;
      }
      if (frameType === 2 && q < end) {
        // An IP packet without its Ethernet header.
        out.ethernet = false;
        out.etherType = b[q]! >> 4 === 6 ? EtherType.IPV6 : EtherType.IPV4;
        return true;
      }
      return unsupported(frame, `erspan3-ft${frameType}`, { kind: 'erspan-frame-type', frameType }, p, diagnostics);
    }
    case GRE_PPP:
      return decodePpp(frame, p, end, out, diagnostics);
    default:
      return unsupported(frame, `gre-${protocol}`, { kind: 'gre-protocol', protocol }, start, diagnostics);
  }
}

/** PPP (RFC 1661) as PPTP carries it: optional address and control bytes (RFC 1662), a protocol field of 1 or 2 bytes (RFC 1661 §6.5). */
function decodePpp(frame: FrameView, p: number, end: number, out: TunnelResult, diagnostics: DiagnosticSink): boolean {
  const b = frame.data;
  if (end - p >= 2 && b[p] === 0xff && b[p + 1] === 0x03) p += 2;
  if (end - p < 1) return truncated(frame, 'PPP', p, diagnostics);
  let protocol: number;
  if ((b[p]! & 1) === 1) {
    protocol = b[p]!;
    p += 1;
  } else {
    if (end - p < 2) return truncated(frame, 'PPP', p, diagnostics);
    protocol = u16be(b, p);
    p += 2;
  }
  out.ethernet = false;
  out.offset = p;
  if (protocol === 0x0021) out.etherType = EtherType.IPV4;
  else if (protocol === 0x0057) out.etherType = EtherType.IPV6;
  else return unsupported(frame, `ppp-${protocol}`, { kind: 'ppp-protocol', protocol }, p, diagnostics);
  return true;
}

/** VXLAN (RFC 7348 §5): 8 bytes with the I flag set, then an Ethernet frame. */
export function decodeVxlan(frame: FrameView, start: number, end: number, out: TunnelResult, diagnostics: DiagnosticSink): boolean {
  if (end - start < 8) return truncated(frame, 'VXLAN', start, diagnostics);
  if ((frame.data[start]! & 0x08) === 0) return unsupported(frame, 'vxlan-no-vni', { kind: 'vxlan-no-vni' }, start, diagnostics);
  out.ethernet = true;
  out.offset = start + 8;
  out.end = end;
  return true;
}

/**
 * Geneve (RFC 8926 §3.4): version (2 bits) and options length (6 bits, in 4-byte words), flags,
 * a Protocol Type (an EtherType), the VNI, then the options and the packet.
 */
export function decodeGeneve(frame: FrameView, start: number, end: number, out: TunnelResult, diagnostics: DiagnosticSink): boolean {
  const b = frame.data;
  if (end - start < 8) return truncated(frame, 'Geneve', start, diagnostics);
  const version = b[start]! >> 6;
  if (version !== GENEVE_VERSION) return unsupported(frame, `geneve-v${version}`, { kind: 'geneve-version', version }, start, diagnostics);
  const p = start + 8 + (b[start]! & 0x3f) * 4;
  if (p > end) return truncated(frame, 'Geneve options', start + 8, diagnostics);
  const protocol = u16be(b, start + 2);
  out.end = end;
  out.offset = p;
  if (protocol === GRE_TEB) {
    out.ethernet = true;
    return true;
  }
  if (protocol === EtherType.IPV4 || protocol === EtherType.IPV6) {
    out.ethernet = false;
    out.etherType = protocol;
    return true;
  }
  return unsupported(frame, `geneve-${protocol}`, { kind: 'geneve-protocol', protocol }, start, diagnostics);
}

/** EtherIP (RFC 3378 §3): a 16-bit header, version 3 and 12 reserved bits, then an Ethernet frame. */
export function decodeEtherIp(frame: FrameView, start: number, end: number, out: TunnelResult, diagnostics: DiagnosticSink): boolean {
  if (end - start < 2) return truncated(frame, 'EtherIP', start, diagnostics);
  const version = frame.data[start]! >> 4;
  if (version !== ETHERIP_VERSION) return unsupported(frame, `etherip-v${version}`, { kind: 'etherip-version', version }, start, diagnostics);
  out.ethernet = true;
  out.offset = start + 2;
  out.end = end;
  return true;
}

/**
 * GTP-U (3GPP TS 29.281 §5): version 1 with PT set, the message type, a length, the TEID; with
 * any of the E, S or PN flags, 4 more bytes (sequence number, N-PDU number, next extension
 * header type), then the extension headers (§5.2.1: a length in 4-byte words, the content, the
 * next type; type 0 ends the chain). A G-PDU carries an IPv4 or IPv6 packet, told by its version nibble.
 */
export function decodeGtpu(frame: FrameView, start: number, end: number, out: TunnelResult, diagnostics: DiagnosticSink): boolean {
  const b = frame.data;
  if (end - start < 8) return truncated(frame, 'GTP-U', start, diagnostics);
  const flags = b[start]!;
  const version = flags >> 5;
  // PT clear is GTP' (charging, TS 32.295), not GTP-U.
  if (version !== 1 || (flags & 0x10) === 0) return unsupported(frame, `gtpu-v${version}-${(flags >> 4) & 1}`, { kind: 'gtpu-version', version, pt: (flags >> 4) & 1 }, start, diagnostics);
  const type = b[start + 1]!;
  if (type !== GTPU_G_PDU) return unsupported(frame, `gtpu-${type}`, { kind: 'gtpu-message', messageType: type }, start, diagnostics);
  // §5.1: the length counts the bytes after the first 8, optional fields and extensions included.
  const packetEnd = Math.min(end, start + 8 + u16be(b, start + 2));
  let p = start + 8;
  if ((flags & 0x07) !== 0) {
    if (packetEnd - p < 4) return truncated(frame, 'GTP-U', start, diagnostics);
    let next = (flags & 0x04) !== 0 ? b[p + 3]! : 0;
    p += 4;
    for (let n = 0; next !== 0; n++) {
      if (n === MAX_GTPU_EXTENSIONS || packetEnd - p < 4) return truncated(frame, 'GTP-U extension', p, diagnostics);
      const length = b[p]! * 4;
      if (length === 0 || packetEnd - p < length) return truncated(frame, 'GTP-U extension', p, diagnostics);
      next = b[p + length - 1]!;
      p += length;
    }
  }
  if (p >= packetEnd) return truncated(frame, 'GTP-U', p, diagnostics);
  const ipVersion = b[p]! >> 4;
  if (ipVersion !== 4 && ipVersion !== 6) return unsupported(frame, `gtpu-pdu-${ipVersion}`, { kind: 'gtpu-pdu', firstByte: b[p]! }, p, diagnostics);
  out.ethernet = false;
  out.etherType = ipVersion === 6 ? EtherType.IPV6 : EtherType.IPV4;
  out.offset = p;
  out.end = packetEnd;
  return true;
}

/** GRE (IP protocol 47): its header, then the packet it carries. */
export const greLayer: Layer = (p) => {
  const ip = p.ip;
  if (p.tooDeep(ip.payloadStart)) return LayerId.DONE;
  if (!decodeGre(p.frame, ip.payloadStart, ip.payloadEnd, p.tunnel, p.diagnostics)) return LayerId.DONE;
  p.depth++;
  return LayerId.TUNNEL;
};


/** A tunnel over UDP: its header at the UDP payload, then the packet it carries. */
function udpTunnelLayer(decode: typeof decodeVxlan): Layer {
  return (p) => {
    const { payloadStart, payloadEnd } = p.udp;
    if (p.tooDeep(payloadStart)) return LayerId.DONE;
    if (!decode(p.frame, payloadStart, payloadEnd, p.tunnel, p.diagnostics)) return LayerId.DONE;
    p.depth++;
    return LayerId.TUNNEL;
  };
}

/** VXLAN (UDP 4789, 8472). */
export const vxlanLayer: Layer = udpTunnelLayer(decodeVxlan);
/** Geneve (UDP 6081). */
export const geneveLayer: Layer = udpTunnelLayer(decodeGeneve);
/** GTP-U (UDP 2152). */
export const gtpuLayer: Layer = udpTunnelLayer(decodeGtpu);

/** EtherIP (IP protocol 97): its header, then the Ethernet frame it carries. */
export const etherIpLayer: Layer = (p) => {
  const ip = p.ip;
  if (p.tooDeep(ip.payloadStart)) return LayerId.DONE;
  if (!decodeEtherIp(p.frame, ip.payloadStart, ip.payloadEnd, p.tunnel, p.diagnostics)) return LayerId.DONE;
  p.depth++;
  return LayerId.TUNNEL;
};

/** The packet a tunnel header (packet.tunnel) points at: an Ethernet frame, or what an EtherType names; then IP. */
export const tunnelLayer: Layer = (p) => {
  const t = p.tunnel;
  const link = p.link;
  const ok = t.ethernet ? decodeEthernetAt(p.frame, t.offset, t.end, link, p.diagnostics) : decodeEtherTypeAt(p.frame, t.etherType, t.offset, t.end, link, p.diagnostics);
  if (!ok) return LayerId.DONE;
  p.netType = link.etherType;
  p.netOffset = link.offset;
  p.netEnd = t.end;
  return LayerId.IP;
};
