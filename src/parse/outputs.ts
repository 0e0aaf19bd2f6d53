/**
 * What the pipeline hands out beside SIP messages, each typed for the analysis that will use it:
 * media packets (the media issue), ICMP errors with the packet they quote, and TLS records per
 * flow (TLS decryption). Each goes to an optional sink of ReadOptions; with no sink the layer
 * that would feed it does no extra work.
 *
 * Like frames (capture/frame.ts), media packets are views: the object and the bytes it points at
 * are reused after the call returns, so a consumer that keeps anything copies it (`copy()`). ICMP
 * errors are rare and handed out as owned objects. A TLS record is an object per record whose
 * `bytes` are a view valid only during the call.
 */
import type { Endpoint } from '../types.js';

/**
 * What a UDP payload on a media port looks like, from its first bytes: RFC 7983 §7 splits the
 * first byte between STUN (0-3), DTLS (20-63) and RTP/RTCP (128-191); RFC 5761 §4 tells RTCP
 * (packet types 192-223) from RTP. 'other' is everything else: UDPTL (T.38, which has no
 * signature), ZRTP, TURN channels, DTLS 1.3 short headers, and traffic that is not media at
 * all; the media analysis decides from the SDP (transport/media.ts classifyMedia).
 */
export type MediaKind = 'rtp' | 'rtcp' | 'stun' | 'dtls' | 'other';

/**
 * A UDP datagram that no other layer claimed (not SIP, HEP, VXLAN, IPsec NAT-T, nor on a SIP
 * port), with its 5-tuple, where and when it was captured, and a classification. The object and
 * `bytes` are reused for the next packet: read them during the call, or `copy()`.
 */
export interface MediaPacket {
  /** Input path ("-" for stdin). */
  readonly file: string;
  /** The frame that carried it (for a reassembled datagram, the frame that completed it). */
  readonly frame: number;
  /** Every frame of a datagram reassembled from IP fragments, else null (the frame alone). */
  readonly frames: readonly number[] | null;
  readonly sec: number;
  readonly nsec: number;
  readonly kind: MediaKind;
  readonly version: 4 | 6;
  /** The buffer holding the packet (valid during the call only). */
  readonly bytes: Uint8Array;
  /** The UDP payload is bytes[start, end). */
  readonly start: number;
  readonly end: number;
  /** Offsets in `bytes` of the source and destination addresses (4 bytes for IPv4, 16 for IPv6). */
  readonly srcAddress: number;
  readonly dstAddress: number;
  readonly srcPort: number;
  readonly dstPort: number;
  /** Byte offset in the input of the payload's first byte. */
  readonly offset: number;
  /** The payload as a view (a new view object; the bytes are still the reused buffer's). */
  payload(): Uint8Array;
  /** The addresses as text (a new object each call). */
  src(): Endpoint;
  dst(): Endpoint;
  /** Everything above, owned: safe to keep after the call. */
  copy(): KeptMediaPacket;
  /** The same packet as a MediaPacket that owns its bytes: safe to keep, and handed on as any other. */
  detached(): MediaPacket;
}

/** A media packet copied out of the reused buffer. */
export interface KeptMediaPacket {
  readonly file: string;
  readonly frame: number;
  readonly frames: readonly number[] | null;
  readonly sec: number;
  readonly nsec: number;
  readonly kind: MediaKind;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly offset: number;
  readonly payload: Uint8Array;
}

/** ICMP (RFC 792) and ICMPv6 (RFC 4443) messages that report a problem with a packet, and quote it. */
export type IcmpErrorKind = 'unreachable' | 'packet-too-big' | 'time-exceeded' | 'parameter-problem' | 'source-quench';

/**
 * The packet an ICMP error quotes, decoded as far as the quote goes (etherparse's lax slicing):
 * RFC 792 quotes the IP header and 8 bytes, RFC 1812 §4.3.2.3 and RFC 4443 §2.4 as much as fits,
 * so a quoted SIP response or RTP header is often whole.
 */
export interface IcmpQuote {
  readonly version: 4 | 6;
  /** IP protocol of the quoted packet (17 UDP, 6 TCP, 132 SCTP...). */
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
  /** The length the quoted IP header gives for the whole packet (IPv4 total length, IPv6 40 + payload length). */
  readonly length: number;
  /** The quoted packet is an IP fragment; only the first one (offset 0) starts with a transport header. */
  readonly fragment: boolean;
  /** Byte offset of the quoted fragment in its datagram (0 when not a fragment). */
  readonly fragmentOffset: number;
  /** UDP, TCP or SCTP ports, when the quote reaches them; else null. */
  readonly srcPort: number | null;
  readonly dstPort: number | null;
  /** The quoted UDP payload (a copy, as much as was quoted), or null when not UDP or not reached. */
  readonly payload: Uint8Array | null;
  /** The quote ends before the quoted packet does. */
  readonly truncated: boolean;
}

export interface IcmpError {
  readonly file: string;
  readonly frame: number;
  readonly frames: readonly number[] | null;
  readonly sec: number;
  readonly nsec: number;
  /** Byte offset in the input of the ICMP header. */
  readonly offset: number;
  /** 4: ICMP over IPv4; 6: ICMPv6. */
  readonly icmpVersion: 4 | 6;
  readonly type: number;
  readonly code: number;
  readonly kind: IcmpErrorKind;
  /** The host that sent the error (a router, or the destination itself for a port unreachable). */
  readonly reporter: string;
  /** Where the error was sent: normally the sender of the quoted packet. */
  readonly to: string;
  /** The MTU a "fragmentation needed" (RFC 1191 §4) or "packet too big" (RFC 4443 §3.2) error gives, else null. */
  readonly mtu: number | null;
  /** The quoted packet, or null when the error is too short to hold even its IP header. */
  readonly quote: IcmpQuote | null;
}

/** TLS content types (RFC 8446 §5.1; 24 heartbeat, RFC 6520; 25 tls12_cid, RFC 9146). */
export type TlsContentType = number;

/**
 * One TLS record (RFC 8446 §5.1, RFC 5246 §6.2) of a followed TCP connection, delivered when its
 * last byte arrives, handshake records included. `bytes` is a view valid during the call only.
 */
export interface TlsRecord {
  readonly file: string;
  /** Frames the record came from (ascending), the frame that completed it and its time. */
  readonly frames: readonly number[];
  readonly frame: number;
  readonly sec: number;
  readonly nsec: number;
  /** Byte offset in the input of the record header. */
  readonly offset: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Sent by the client (the side that sent the ClientHello, or the one not on the server port). */
  readonly fromClient: boolean;
  /** 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data, 24 heartbeat, 25 tls12_cid. */
  readonly contentType: TlsContentType;
  /** legacy_record_version: 0x0301 to 0x0303 (TLS 1.3 records say 0x0303). */
  readonly version: number;
  /** Length of the fragment after the 5-byte header. */
  readonly length: number;
  /** The whole record, header included (5 + length bytes): a view valid during the call only. */
  readonly bytes: Uint8Array;
  /** Records of this direction before this one since it was last in step (a decrypter's sequence number, when `resynced` is false from the start). */
  readonly index: number;
  /**
   * True when bytes of this direction were lost or skipped before the record (a TCP gap, a
   * connection seen from the middle, bytes that were not a record): record numbering restarts.
   */
  readonly resynced: boolean;
}

/** The optional outputs beside SIP messages. */
export interface PacketSinks {
  /** Each UDP datagram no other layer claims (RTP, RTCP, UDPTL, STUN, DTLS, unknown), as a reused view. */
  readonly onMedia?: (packet: MediaPacket) => void;
  /** Each ICMP or ICMPv6 error (unreachable, packet too big, time exceeded, parameter problem). */
  readonly onIcmp?: (error: IcmpError) => void;
  /** Each TLS record of each TLS connection followed (TCP reassembled; without this sink TLS connections are only counted). */
  readonly onTlsRecord?: (record: TlsRecord) => void;
}
