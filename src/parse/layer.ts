/**
 * Layer ids, after gopacket's LayerType: each decoding layer reads its header from the packet
 * being decoded (packet.ts), and returns the id of the layer that decodes what it carries (its
 * NextLayerType), or DONE. The functions behind the ids are registered in layers.ts; which id
 * follows an IP protocol number or a UDP port is data, in dispatch.ts. This module imports
 * nothing at run time, so every layer can name its successor without an import cycle.
 */
import type { Packet } from './packet.js';

export type LayerId = number;

/** Nothing more to decode in this frame. */
export const DONE: LayerId = 0;
/** The frame's link header, by link type (link/link.ts LINK_DECODERS). */
export const LINK: LayerId = 1;
/** The packet inside a tunnel header: an Ethernet frame, or an EtherType's payload. */
export const TUNNEL: LayerId = 2;
/** IPv4 or IPv6 (through IP-in-IP and IPv6 extension headers). */
export const IP: LayerId = 3;
/** An IP fragment: held until its datagram is whole, which is then decoded from IP on. */
export const FRAGMENT: LayerId = 4;
// What IP carries (dispatch.ts IP_PROTOCOLS).
export const UDP: LayerId = 5;
export const TCP: LayerId = 6;
export const SCTP: LayerId = 7;
export const GRE: LayerId = 8;
export const ESP: LayerId = 9;
export const ICMP: LayerId = 10;
export const ICMPV6: LayerId = 11;
/** An IP protocol siplens does not decode: counted. */
export const OTHER_IP: LayerId = 12;
// What UDP carries (dispatch.ts UDP_DISSECTORS).
export const SIP_DATAGRAM: LayerId = 13;
export const NAT_T: LayerId = 14;
export const HEP_DATAGRAM: LayerId = 15;
export const VXLAN: LayerId = 16;
/** A datagram on a SIP port that does not start with a SIP start line (keep-alives, junk). */
export const SIP_PORT: LayerId = 17;
/** Any other datagram, handed to the media sink (RTP, RTCP, UDPTL, STUN, DTLS, unknown). */
export const MEDIA: LayerId = 18;
export const GENEVE: LayerId = 19;
export const GTPU: LayerId = 20;
/** What IP protocol 97 carries (dispatch.ts IP_PROTOCOLS). */
export const ETHERIP: LayerId = 21;

export const LAYER_COUNT = 22;

/** Decodes one layer of `packet` and names the next one. */
export type Layer = (packet: Packet) => LayerId;
