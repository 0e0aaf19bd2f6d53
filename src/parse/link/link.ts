import { u16be, u32be, u32le } from '../capture/bytes.js';
import type { FrameView } from '../capture/frame.js';
import type { UnsupportedLinkPayload } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { type Layer, LayerId } from '../layer.js';

/** What the network layer needs from the link layer: which protocol, and where it starts. */
export interface LinkResult {
  /** EtherType.IPV4, EtherType.IPV6, or 0 when the frame carries nothing siplens decodes. */
  etherType: number;
  offset: number;
}

/** EtherTypes (IEEE 802 numbers); a const enum, so that the bundler writes each into the code as a number (docs/decisions.md "Offsets read per packet as const enums"). */
export const enum EtherType {
  IPV4 = 0x0800,
  IPV6 = 0x86dd,
  VLAN = 0x8100,
  QINQ = 0x88a8,
  QINQ_OLD1 = 0x9100,
  QINQ_OLD2 = 0x9200,
  PPPOE_SESSION = 0x8864,
  MPLS = 0x8847,
  MPLS_MULTICAST = 0x8848,
}
/** Deeper stacks than this are not real traffic (802.1ad uses 2 tags, MPLS VPNs 2-3 labels). */
const MAX_TAGS = 8;

/** LINKTYPE_* values (https://www.tcpdump.org/linktypes.html) and their names for diagnostics. */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW_12: 12,
  RAW_14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  ERF: 197,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'Ethernet',
  12: 'RAW',
  14: 'RAW',
  101: 'RAW',
  105: 'IEEE 802.11',
  108: 'LOOP',
  113: 'Linux cooked (SLL)',
  127: 'IEEE 802.11 radiotap',
  192: 'PPI',
  197: 'ERF',
  228: 'IPv4',
  229: 'IPv6',
  276: 'Linux cooked v2 (SLL2)',
  9: 'PPP',
  50: 'PPP over HDLC',
  104: 'Cisco HDLC',
  147: 'USER0',
  252: 'Wireshark upper PDU',
};

type LinkDecoder = (frame: FrameView, out: LinkResult, diagnostics: DiagnosticSink) => boolean;

function truncated(frame: FrameView, diagnostics: DiagnosticSink, header: string, need: number): false {
  diagnostics.report('link.truncated', { frame: frame.number, header, have: frame.end - frame.start, need }, {
    frame: frame.number,
    offset: frame.fileOffset,
  });
  return false;
}

/**
 * Follows an EtherType through VLAN tags, PPPoE and MPLS to IPv4/IPv6.
 * Sets out.etherType to the final protocol (0 when it is not IP).
 */
function dispatchEtherType(frame: FrameView, etherType: number, offset: number, out: LinkResult, diagnostics: DiagnosticSink, end: number = frame.end): boolean {
  const b = frame.data;
  for (let tags = 0; ; tags++) {
    if (etherType === EtherType.IPV4 || etherType === EtherType.IPV6) {
      out.etherType = etherType;
      out.offset = offset;
      return true;
    }
    if (tags === MAX_TAGS) {
      diagnostics.report('link.too-many-tags', { frame: frame.number, max: MAX_TAGS }, { frame: frame.number, offset: frame.fileOffset + offset - frame.start });
      return false;
    }
    if (etherType === EtherType.VLAN || etherType === EtherType.QINQ || etherType === EtherType.QINQ_OLD1 || etherType === EtherType.QINQ_OLD2) {
      if (end - offset < 4) return truncated(frame, diagnostics, 'VLAN tag', offset + 4 - frame.start);
      etherType = u16be(b, offset + 2);
      offset += 4;
    } else if (etherType === EtherType.PPPOE_SESSION) {
      // RFC 2516 §4: 6-byte PPPoE header, then the 2-byte PPP protocol (RFC 1661).
      if (end - offset < 8) return truncated(frame, diagnostics, 'PPPoE', offset + 8 - frame.start);
      const ppp = u16be(b, offset + 6);
      offset += 8;
      if (ppp === 0x0021) etherType = EtherType.IPV4;
      else if (ppp === 0x0057) etherType = EtherType.IPV6;
      else return unsupportedEtherType(frame, 0x10000 + ppp, { kind: 'ppp', protocol: ppp }, out, diagnostics);
    } else if (etherType === EtherType.MPLS || etherType === EtherType.MPLS_MULTICAST) {
      // RFC 3032: 4-byte label entries until the bottom-of-stack bit; the payload type is not signalled, so read the IP version nibble.
      let bottom = false;
      for (let labels = 0; !bottom; labels++) {
        if (end - offset < 4) return truncated(frame, diagnostics, 'MPLS label', offset + 4 - frame.start);
        if (labels === MAX_TAGS) return dispatchEtherType(frame, -1, offset, out, diagnostics, end);
        bottom = (b[offset + 2]! & 0x01) === 1;
        offset += 4;
      }
      if (offset >= end) return truncated(frame, diagnostics, 'MPLS payload', offset + 1 - frame.start);
      const version = b[offset]! >> 4;
      if (version === 4) etherType = EtherType.IPV4;
      else if (version === 6) etherType = EtherType.IPV6;
      else return unsupportedEtherType(frame, 0x20000, { kind: 'mpls-pseudowire' }, out, diagnostics);
    } else if (etherType >= 0 && etherType < 0x0600) {
      // IEEE 802.3 length field: LLC follows. Only SNAP (AA AA 03 + OUI) carries an EtherType.
      if (end - offset >= 8 && b[offset] === 0xaa && b[offset + 1] === 0xaa && b[offset + 2] === 0x03) {
        etherType = u16be(b, offset + 6);
        offset += 8;
      } else {
        return unsupportedEtherType(frame, 0x30000, { kind: 'llc' }, out, diagnostics);
      }
    } else {
      return unsupportedEtherType(frame, etherType, { kind: 'ethertype', etherType, name: ETHERTYPE_NAMES[etherType] ?? null }, out, diagnostics);
    }
  }
}

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0806: 'ARP',
  0x8035: 'RARP',
  0x88cc: 'LLDP',
  0x888e: 'EAPOL',
  0x8863: 'PPPoE discovery',
  0x88f7: 'PTP',
  0x8809: 'slow protocols (LACP)',
  0x9000: 'loopback test',
};

function unsupportedEtherType(frame: FrameView, key: number, payload: UnsupportedLinkPayload, out: LinkResult, diagnostics: DiagnosticSink): false {
  out.etherType = 0;
  diagnostics.count('link.unsupported-ethertype', String(key), { frame: frame.number, ...payload }, { frame: frame.number, offset: frame.fileOffset });
  return false;
}

/**
 * An EtherType found inside a tunnel (GRE protocol type) at `offset`, ending at `end`: followed
 * through VLAN tags, PPPoE and MPLS to IPv4/IPv6 as for a frame's own link header.
 */
export function decodeEtherTypeAt(frame: FrameView, etherType: number, offset: number, end: number, out: LinkResult, diagnostics: DiagnosticSink): boolean {
  return dispatchEtherType(frame, etherType, offset, out, diagnostics, end);
}

/** An Ethernet frame inside a tunnel (GRE transparent bridging, ERSPAN, VXLAN) at [offset, end). */
export function decodeEthernetAt(frame: FrameView, offset: number, end: number, out: LinkResult, diagnostics: DiagnosticSink): boolean {
  if (end - offset < 14) {
    diagnostics.report('link.truncated', { frame: frame.number, header: 'tunnelled Ethernet', left: Math.max(0, end - offset) }, { frame: frame.number, offset: frame.fileOffset + offset - frame.start });
    return false;
  }
  return dispatchEtherType(frame, u16be(frame.data, offset + 12), offset + 14, out, diagnostics, end);
}

const decodeEthernet: LinkDecoder = (frame, out, diagnostics) => {
  if (frame.end - frame.start < 14) return truncated(frame, diagnostics, 'Ethernet', 14);
  return dispatchEtherType(frame, u16be(frame.data, frame.start + 12), frame.start + 14, out, diagnostics);
};

/** Linux cooked capture v1: 16-byte header, protocol (an EtherType for Ethernet-like devices) at offset 14. */
const decodeSll: LinkDecoder = (frame, out, diagnostics) => {
  if (frame.end - frame.start < 16) return truncated(frame, diagnostics, 'Linux cooked (SLL)', 16);
  return dispatchEtherType(frame, u16be(frame.data, frame.start + 14), frame.start + 16, out, diagnostics);
};

/** Linux cooked capture v2: 20-byte header, protocol at offset 0. */
const decodeSll2: LinkDecoder = (frame, out, diagnostics) => {
  if (frame.end - frame.start < 20) return truncated(frame, diagnostics, 'Linux cooked v2 (SLL2)', 20);
  return dispatchEtherType(frame, u16be(frame.data, frame.start), frame.start + 20, out, diagnostics);
};

/** Raw IP: no link header; the version nibble says IPv4 or IPv6. */
const decodeRaw: LinkDecoder = (frame, out, diagnostics) => {
  if (frame.end - frame.start < 1) return truncated(frame, diagnostics, 'raw IP', 1);
  const version = frame.data[frame.start]! >> 4;
  if (version === 4) out.etherType = EtherType.IPV4;
  else if (version === 6) out.etherType = EtherType.IPV6;
  else return unsupportedEtherType(frame, 0x40000 + version, { kind: 'raw-ip', version }, out, diagnostics);
  out.offset = frame.start;
  return true;
};

const decodeRawIpv4: LinkDecoder = (frame, out) => {
  out.etherType = EtherType.IPV4;
  out.offset = frame.start;
  return true;
};

const decodeRawIpv6: LinkDecoder = (frame, out) => {
  out.etherType = EtherType.IPV6;
  out.offset = frame.start;
  return true;
};

/**
 * BSD loopback: a 4-byte address family. LINKTYPE_NULL stores it in the capturing host's
 * byte order, LINKTYPE_LOOP in network order. AF_INET6 differs by OS: 10 Linux,
 * 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS.
 */
function loopback(networkOrder: boolean): LinkDecoder {
  return (frame, out, diagnostics) => {
    if (frame.end - frame.start < 4) return truncated(frame, diagnostics, 'loopback', 4);
    let family = networkOrder ? u32be(frame.data, frame.start) : u32le(frame.data, frame.start);
    // A NULL capture from a big-endian host reads as a huge little-endian value.
    if (!networkOrder && family > 0xffff) family = u32be(frame.data, frame.start);
    out.offset = frame.start + 4;
    if (family === 2) out.etherType = EtherType.IPV4;
    else if (family === 10 || family === 24 || family === 28 || family === 30) out.etherType = EtherType.IPV6;
    else {
      out.etherType = 0;
      diagnostics.count('link.unsupported-family', String(family), { frame: frame.number, family }, {
        frame: frame.number,
        offset: frame.fileOffset,
      });
      return false;
    }
    return true;
  };
}

/**
 * Endace ERF record types (Wireshark's wiretap/erf_record.h): the Ethernet variants differ only in
 * what the 2-byte loss-counter field holds (a colour, a hash), so they decode alike.
 */
const ERF_TYPE_ETHERNET = new Set([2, 11, 16, 20]);
const ERF_TYPE_IPV4 = 22;
const ERF_TYPE_IPV6 = 23;
/** Provenance (META) and padding (PAD) records carry no packet. */
const ERF_TYPE_NO_PACKET = new Set([27, 48]);
const ERF_HEADER = 16;
const ERF_EXTENSION = 8;
const ERF_ETHERNET_PAD = 2;
const ERF_MORE_EXTENSIONS = 0x80;

/**
 * LINKTYPE_ERF: each packet is a whole ERF record. A 16-byte header (8-byte timestamp, type,
 * flags, record length, loss counter, wire length); while the top bit of the type byte (then of
 * each extension header's first byte) is set, an 8-byte extension header follows; then the
 * record type's payload. Ethernet payloads start with a 2-byte offset/pad field and may end with
 * the frame check sequence, which the IP total length leaves out.
 */
const decodeErf: LinkDecoder = (frame, out, diagnostics) => {
  const b = frame.data;
  if (frame.end - frame.start < ERF_HEADER) return truncated(frame, diagnostics, 'ERF', ERF_HEADER);
  const typeByte = b[frame.start + 8]!;
  const recordType = typeByte & 0x7f;
  let offset = frame.start + ERF_HEADER;
  for (let more = (typeByte & ERF_MORE_EXTENSIONS) !== 0; more; offset += ERF_EXTENSION) {
    if (frame.end - offset < ERF_EXTENSION) return truncated(frame, diagnostics, 'ERF extension', offset + ERF_EXTENSION - frame.start);
    more = (b[offset]! & ERF_MORE_EXTENSIONS) !== 0;
  }
  // The wire length counts the payload as sent (Ethernet with its pad field not included).
  const wireLength = u16be(b, frame.start + 14);
  if (ERF_TYPE_ETHERNET.has(recordType)) {
    if (frame.end - offset < ERF_ETHERNET_PAD) return truncated(frame, diagnostics, 'ERF Ethernet pad', offset + ERF_ETHERNET_PAD - frame.start);
    const ethernet = offset + ERF_ETHERNET_PAD;
    const end = wireLength === 0 ? frame.end : Math.min(frame.end, ethernet + wireLength);
    if (end - ethernet < 14) return truncated(frame, diagnostics, 'ERF Ethernet', ethernet + 14 - frame.start);
    return dispatchEtherType(frame, u16be(b, ethernet + 12), ethernet + 14, out, diagnostics, end);
  }
  if (recordType === ERF_TYPE_IPV4 || recordType === ERF_TYPE_IPV6) {
    out.etherType = recordType === ERF_TYPE_IPV4 ? EtherType.IPV4 : EtherType.IPV6;
    out.offset = offset;
    return true;
  }
  out.etherType = 0;
  if (ERF_TYPE_NO_PACKET.has(recordType)) {
    diagnostics.count('link.erf-no-packet', String(recordType), { frame: frame.number, recordType }, { frame: frame.number, offset: frame.fileOffset });
    return false;
  }
  diagnostics.count('link.unsupported-erf-type', String(recordType), { frame: frame.number, recordType }, { frame: frame.number, offset: frame.fileOffset });
  return false;
};

/** The dispatch table: link type -> decoder. Data, so a new link type is one line (gopacket layers/enums.go). */
export const LINK_DECODERS: ReadonlyMap<number, LinkDecoder> = new Map<number, LinkDecoder>([
  [LINKTYPE.NULL, loopback(false)],
  [LINKTYPE.ETHERNET, decodeEthernet],
  [LINKTYPE.RAW_12, decodeRaw],
  [LINKTYPE.RAW_14, decodeRaw],
  [LINKTYPE.RAW, decodeRaw],
  [LINKTYPE.LOOP, loopback(true)],
  [LINKTYPE.LINUX_SLL, decodeSll],
  [LINKTYPE.ERF, decodeErf],
  [LINKTYPE.IPV4, decodeRawIpv4],
  [LINKTYPE.IPV6, decodeRawIpv6],
  [LINKTYPE.LINUX_SLL2, decodeSll2],
]);

/** Decodes the link layer of a frame; false when the frame carries nothing to decode further (with a diagnostic). */
export function decodeLink(frame: FrameView, out: LinkResult, diagnostics: DiagnosticSink): boolean {
  const decoder = LINK_DECODERS.get(frame.linkType);
  if (decoder === undefined) {
    diagnostics.count('link.unsupported-linktype', String(frame.linkType), { frame: frame.number, linkType: frame.linkType, name: LINKTYPE_NAMES[frame.linkType] ?? null }, {
      frame: frame.number,
      offset: frame.fileOffset,
    });
    return false;
  }
  return decoder(frame, out, diagnostics);
}

/** The link layer: the frame's header by link type, then IP (or nothing, when the frame carries something else). */
export const linkLayer: Layer = (p) => {
  const frame = p.frame;
  const link = p.link;
  if (!decodeLink(frame, link, p.diagnostics)) return LayerId.DONE;
  p.netType = link.etherType;
  p.netOffset = link.offset;
  p.netEnd = frame.end;
  return LayerId.IP;
};
