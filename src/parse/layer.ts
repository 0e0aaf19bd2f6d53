/**
 * Layer ids, after gopacket's LayerType: each decoding layer reads its header from the packet
 * being decoded (packet.ts), and returns the id of the layer that decodes what it carries (its
 * NextLayerType), or DONE. The functions behind the ids are registered in layers.ts; which id
 * follows an IP protocol number or a UDP port is data, in dispatch.ts. This module imports
 * nothing at run time, so every layer can name its successor without an import cycle.
 */
import type { Packet } from './packet.js';

/**
 * A const enum, so that the bundler (esbuild) writes each id into the code as a number: the
 * pipeline compares and returns one per layer per packet (docs/decisions.md "Offsets read per
 * packet as const enums").
 */
export const enum LayerId {
  /** Nothing more to decode in this frame. */
  DONE = 0,
  /** The frame's link header, by link type (link/link.ts LINK_DECODERS). */
  LINK = 1,
  /** The packet inside a tunnel header: an Ethernet frame, or an EtherType's payload. */
  TUNNEL = 2,
  /** IPv4 or IPv6 (through IP-in-IP and IPv6 extension headers). */
  IP = 3,
  /** An IP fragment: held until its datagram is whole, which is then decoded from IP on. */
  FRAGMENT = 4,
  // What IP carries (dispatch.ts IP_PROTOCOLS).
  UDP = 5,
  TCP = 6,
  SCTP = 7,
  GRE = 8,
  ESP = 9,
  ICMP = 10,
  ICMPV6 = 11,
  /** An IP protocol siplens does not decode: counted. */
  OTHER_IP = 12,
  // What UDP carries (dispatch.ts UDP_DISSECTORS).
  SIP_DATAGRAM = 13,
  NAT_T = 14,
  HEP_DATAGRAM = 15,
  VXLAN = 16,
  /** A datagram on a SIP port that does not start with a SIP start line (keep-alives, junk). */
  SIP_PORT = 17,
  /** Any other datagram, handed to the media sink (RTP, RTCP, UDPTL, STUN, DTLS, unknown). */
  MEDIA = 18,
  GENEVE = 19,
  GTPU = 20,
  /** What IP protocol 97 carries (dispatch.ts IP_PROTOCOLS). */
  ETHERIP = 21,
}

export const LAYER_COUNT = 22;

/** Decodes one layer of `packet` and names the next one. */
export type Layer = (packet: Packet) => LayerId;
