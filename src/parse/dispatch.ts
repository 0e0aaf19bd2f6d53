/**
 * The dispatch tables, as data: which layer decodes what an IP header or a UDP header carries.
 * After gopacket's layers/enums.go (IP protocol -> decoder) and layers/ports.go (UDP port ->
 * decoder, looked up in arrays of 65536), with Wireshark's heuristic dissectors for protocols
 * found by content on any port (packet-sip.c registers SIP that way). Adding a protocol is an
 * entry here and a layer function registered in layers.ts.
 */
import { isHep2, isHep3 } from './transport/hep.js';
import { sipStartAt } from './sip/detect.js';
import { LayerId } from './layer.js';

/** IANA protocol numbers -> layer. Anything else is counted as skipped (ip.unsupported-protocol). */
const IP_PROTOCOL_ENTRIES: readonly (readonly [protocol: number, layer: LayerId])[] = [
  [1, LayerId.ICMP], // RFC 792
  [6, LayerId.TCP], // RFC 9293
  [17, LayerId.UDP], // RFC 768
  [47, LayerId.GRE], // RFC 2784
  [50, LayerId.ESP], // RFC 4303
  [58, LayerId.ICMPV6], // RFC 4443
  [97, LayerId.ETHERIP], // RFC 3378
  [132, LayerId.SCTP], // RFC 9260
];

/** IP protocol number -> layer id (IP-in-IP and IPv6 extension headers are followed by the IP layer itself). */
export const IP_PROTOCOLS: Uint8Array = (() => {
  const table = new Uint8Array(256).fill(LayerId.OTHER_IP);
  for (const [protocol, layer] of IP_PROTOCOL_ENTRIES) table[protocol] = layer;
  return table;
})();

/** A decoder of UDP payloads: registered on ports, or a heuristic tried on every datagram. */
export interface UdpDissector {
  /** What it decodes, for docs and tests. */
  readonly name: string;
  readonly layer: LayerId;
  /** Ports it is registered on; absent for a heuristic (any port). */
  readonly ports?: readonly number[];
  /** Which port of a datagram must be one of `ports`: either one, or the destination only. */
  readonly match?: 'either' | 'dst';
  /** A heuristic: the only first payload bytes it can accept (so that a datagram starting otherwise skips it unread). */
  readonly firstBytes?: readonly number[];
  /** The check on the payload b[s, e) (s < e); absent: the port alone decides. */
  readonly accepts?: (b: Uint8Array, s: number, e: number) => boolean;
}

/** First bytes of a SIP start line (RFC 3261 §7.1: a method token or "SIP/2.0", starting with a letter). */
const LETTERS = [...Array(26).keys()].flatMap((i) => [0x41 + i, 0x61 + i]);

/**
 * In order: the first entry that matches a datagram (by port or first byte) and accepts it decodes
 * it. A datagram none takes is media (RTP, RTCP, UDPTL...), for the media sink when one is set.
 */
export const UDP_DISSECTORS: readonly UdpDissector[] = [
  { name: 'SIP, by its start line on any port', layer: LayerId.SIP_DATAGRAM, firstBytes: LETTERS, accepts: sipStartAt },
  // RFC 3948 §2.2: on the NAT-T port, ESP (a non-zero SPI), IKE (a zero marker) or a one-byte keep-alive.
  { name: 'IPsec NAT traversal (RFC 3948)', layer: LayerId.NAT_T, ports: [4500], match: 'either', accepts: (_b, s, e) => e - s >= 8 },
  // HEPv3 starts with "HEP3"; HEPv1/v2 with the version, and their header fields must agree.
  { name: 'HEP, by content on any port', layer: LayerId.HEP_DATAGRAM, firstBytes: [0x48, 1, 2], accepts: (b, s, e) => (b[s] === 0x48 ? isHep3(b, s, e) : isHep2(b, s, e)) },
  // IANA 4789 (RFC 7348), and 8472, the Linux kernel's default before IANA assigned one.
  { name: 'VXLAN', layer: LayerId.VXLAN, ports: [4789, 8472], match: 'dst' },
  // IANA 6081 (RFC 8926 §3.3): the destination port.
  { name: 'Geneve', layer: LayerId.GENEVE, ports: [6081], match: 'dst' },
  // IANA gtp-user 2152 (3GPP TS 29.281 §4.4.2.3): G-PDUs go to 2152 in both directions.
  { name: 'GTP-U', layer: LayerId.GTPU, ports: [2152], match: 'dst' },
  // IANA sip 5060, sips 5061: a datagram there that is not SIP is a keep-alive, junk before a message, or worth a diagnostic.
  { name: 'SIP ports, datagrams without a start line', layer: LayerId.SIP_PORT, ports: [5060, 5061], match: 'either' },
];

/** Ports where a datagram or stream that is not SIP deserves a diagnostic (IANA: sip 5060, sips 5061). */
export const SIP_PORTS: ReadonlySet<number> = new Set([5060, 5061]);

if (UDP_DISSECTORS.length > 16) throw new Error('dispatch.ts: at most 16 UDP dissectors (a 16-bit mask each)');

/** Bit i set: dissector i may take a datagram with this source port / destination port / first payload byte. */
const SRC_PORTS = new Uint16Array(65536);
const DST_PORTS = new Uint16Array(65536);
const FIRST_BYTES = new Uint16Array(256);
/**
 * Bit p set: some dissector is registered on source / destination port p (SRC_PORTS[p] or
 * DST_PORTS[p] not 0). 8 KB each where those tables are 128 KB: the media fast path asks about two
 * ports of every packet, and a trunk's media ports are spread over the range, so in the big tables
 * each lookup was a line fetched from memory.
 */
const SRC_CLAIMED = new Uint32Array(65536 / 32);
const DST_CLAIMED = new Uint32Array(65536 / 32);
UDP_DISSECTORS.forEach((d, i) => {
  const bit = 1 << i;
  for (const port of d.ports ?? []) {
    DST_PORTS[port]! |= bit;
    DST_CLAIMED[port >>> 5]! |= 1 << (port & 31);
    if (d.match !== 'dst') {
      SRC_PORTS[port]! |= bit;
      SRC_CLAIMED[port >>> 5]! |= 1 << (port & 31);
    }
  }
  if (d.ports === undefined) for (const c of d.firstBytes ?? [...Array(256).keys()]) FIRST_BYTES[c]! |= bit;
});

/**
 * The layer for the UDP payload b[s, e) (s < e) between these ports, or `fallback` when no
 * dissector takes it. A port lookup in each array and one for the first byte pick the candidates.
 */
export function udpSuccessor(b: Uint8Array, s: number, e: number, srcPort: number, dstPort: number, fallback: LayerId): LayerId {
  let candidates = FIRST_BYTES[b[s]!]! | SRC_PORTS[srcPort]! | DST_PORTS[dstPort]!;
  while (candidates !== 0) {
    const bit = candidates & -candidates;
    const d = UDP_DISSECTORS[31 - Math.clz32(bit)]!;
    if (d.accepts === undefined || d.accepts(b, s, e)) return d.layer;
    candidates ^= bit;
  }
  return fallback;
}

/** True when no dissector could take a datagram with this first byte between these ports: it is media, whatever the rest holds. */
export function udpUnclaimed(firstByte: number, srcPort: number, dstPort: number): boolean {
  return FIRST_BYTES[firstByte] === 0 && ((SRC_CLAIMED[srcPort >>> 5]! >>> (srcPort & 31)) & 1) === 0 && ((DST_CLAIMED[dstPort >>> 5]! >>> (dstPort & 31)) & 1) === 0;
}
