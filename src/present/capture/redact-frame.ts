/**
 * Redacting frames for a written capture (--write-pcap with --redact): the frame's bytes are
 * rewritten with the pseudonyms of the reports (redact.ts), and every length and checksum that
 * covers a rewritten byte is made right again, so Wireshark and siplens read the result as they
 * read the original.
 *
 * - SIP: each message is written as one packet at the frame that completed it (its other
 *   segments or fragments are left out): the message redacted as the reports redact it, its
 *   Content-Length set to its new body, in a fresh UDP datagram or TCP segment under the frame's
 *   own link and IP headers, with IP and UDP lengths and checksums recomputed (RFC 791, RFC 8200
 *   §8.1, RFC 768, RFC 9293 §3.1). TCP sequence numbers follow the redacted bytes, per direction,
 *   and acknowledgments follow the other direction's.
 * - Media: the payload is blanked (zeros), the RTP header (RFC 3550 §5.1: sequence number,
 *   timestamp, SSRC, payload type) kept, so every stream figure stays; RTCP keeps its reports and
 *   loses its SDES text (CNAME is often user@host), BYE reasons and APP data (§6.5-6.7).
 * - ICMP errors: the addresses of the error and of the packet it quotes, and the quoted SIP
 *   text (redacted and fitted to the quote's length) or payload (blanked).
 * - Every IP address is replaced by its pseudonym, every Ethernet or Linux-cooked hardware
 *   address by a locally administered one (IEEE 802 "U/L" bit).
 *
 * A frame that cannot be rewritten this way (SIP inside HEP, a tunnel, TLS or WebSocket; media
 * in IP fragments; ERF records) is left out, never written as it was, and counted by reason.
 */
import { u16be, u32be } from '../../parse/capture/bytes.js';
import type { FrameView } from '../../parse/capture/frame.js';
import { DiagnosticSink } from '../../parse/diagnostic-sink.js';
import { decodeLink, LINKTYPE, type LinkResult } from '../../parse/link/link.js';
import { decodeIp, formatIp, IpProtocol, type IpResult, newIpResult } from '../../parse/net/ip.js';
import { ipv6Bytes } from '../../parse/net/address.js';
import type { MediaKind } from '../../parse/outputs.js';
import type { CapturedMessage } from '../../types.js';
import type { Redactor } from '../redact.js';

/** Why a frame was left out of a redacted capture. */
export type LeftOutReason = 'encapsulated' | 'fragment' | 'link-type' | 'undecodable';

const IPPROTO_ICMP = 1;
const IPPROTO_ICMPV6 = 58;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
const TCP_PSH_ACK = 0x18;

/** One frame's headers as the rewriter needs them. */
interface Decoded {
  readonly linkStart: number;
  /** The first IP header after the link header, and its version (a tunnel's outer header). */
  readonly ipStart: number;
  readonly outerVersion: number;
  /** The innermost IP header. */
  readonly ip: IpResult;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** The ones' complement sum of b[start, end) (RFC 1071), added to `sum`, unfolded. */
function sum16(b: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i < end) sum += b[i]! << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

function put16(b: Uint8Array, p: number, v: number): void {
  b[p] = (v >>> 8) & 0xff;
  b[p + 1] = v & 0xff;
}

function put32(b: Uint8Array, p: number, v: number): void {
  put16(b, p, (v >>> 16) & 0xffff);
  put16(b, p + 2, v & 0xffff);
}

/** The IPv4 header checksum (RFC 791 §3.1) of the header at `p`. */
function ipv4Checksum(b: Uint8Array, p: number): void {
  const length = (b[p]! & 0x0f) * 4;
  put16(b, p + 10, 0);
  put16(b, p + 10, fold(sum16(b, p, p + length)));
}

/** The pseudo-header sum of a transport checksum: IPv4 (RFC 768, RFC 9293 §3.1) or IPv6 (RFC 8200 §8.1). */
function pseudoSum(b: Uint8Array, ip: number, version: 4 | 6, protocol: number, length: number): number {
  const addresses = version === 4 ? sum16(b, ip + 12, ip + 20) : sum16(b, ip + 8, ip + 40);
  return addresses + protocol + (length >>> 16) + (length & 0xffff);
}

/** Sets the checksum at `at` of the transport segment b[start, end) under the IP header at `ip`; UDP writes 0 as 0xFFFF (RFC 768). */
function transportChecksum(b: Uint8Array, ip: number, version: 4 | 6, protocol: number, start: number, end: number, at: number): void {
  put16(b, at, 0);
  let c = fold(sum16(b, start, end, pseudoSum(b, ip, version, protocol, end - start)));
  if (c === 0 && protocol === IpProtocol.UDP) c = 0xffff;
  put16(b, at, c);
}

/** Fits redacted text into exactly `length` bytes (a quote is cut where the router cut it): cut, or padded with spaces. */
function fitted(text: string, length: number): Uint8Array {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(length).fill(0x20);
  out.set(bytes.subarray(0, length));
  return out;
}

const SIP_START = /^(?:SIP\/2\.0 \d{3}|[A-Z]+ \S+ SIP\/2\.0)/;
const CONTENT_LENGTH = /^((?:content-length|l)[ \t]*:[ \t]*)\d+/im;

/** A SIP message redacted as the reports redact it, with its Content-Length set to what its body now holds (RFC 3261 §20.14). */
export function redactSipMessage(r: Redactor, raw: Uint8Array): Uint8Array {
  const text = r.text(utf8.decode(raw));
  const split = /\r?\n\r?\n/.exec(text);
  if (split === null) return encoder.encode(text);
  const head = text.slice(0, split.index);
  const body = text.slice(split.index + split[0].length);
  const bodyBytes = encoder.encode(body).length;
  return encoder.encode(head.replace(CONTENT_LENGTH, (_, name: string) => `${name}${bodyBytes}`) + split[0] + body);
}

export class FrameRedactor {
  private readonly diagnostics = new DiagnosticSink('');
  private readonly link: LinkResult = { etherType: 0, offset: 0 };
  private readonly ip = newIpResult();
  private readonly addresses = new Map<string, Uint8Array>();
  private readonly hardware = new Map<string, Uint8Array>();
  /** Per TCP direction (original 4-tuple): the next sequence number of the redacted stream. */
  private readonly tcpNext = new Map<string, number>();
  readonly leftOut: Record<LeftOutReason, number> = { encapsulated: 0, fragment: 0, 'link-type': 0, undecodable: 0 };

  constructor(private readonly redactor: Redactor) {}

  private leave(reason: LeftOutReason): null {
    this.leftOut[reason]++;
    return null;
  }

  /**
   * Link and IP headers of a frame, or null with the reason counted. Rewritten in place, a frame
   * must be plain (no IP tunnel: its inner addresses would stay); a SIP message is written anew
   * under the outer header, so a tunnel may stay behind (`tunnelled`).
   */
  private decode(frame: FrameView, tunnelled = false): Decoded | null {
    if (frame.linkType === LINKTYPE.ERF) return this.leave('link-type');
    if (!decodeLink(frame, this.link, this.diagnostics)) return this.leave('undecodable');
    if (this.link.etherType === 0 || !decodeIp(frame, this.link.etherType, this.link.offset, this.ip, this.diagnostics)) return this.leave('undecodable');
    if (!tunnelled && this.ip.headerStart !== this.link.offset) return this.leave('encapsulated');
    return { linkStart: frame.start, ipStart: this.link.offset, outerVersion: frame.data[this.link.offset]! >> 4, ip: this.ip };
  }

  /** The pseudonym of an address, as 4 or 16 bytes. */
  private address(b: Uint8Array, p: number, version: 4 | 6): Uint8Array {
    return this.pseudonymBytes(formatIp(b, p, version), version);
  }

  /** The pseudonym of an address given as text (formatIp's form), as 4 or 16 bytes. */
  private pseudonymBytes(text: string, version: 4 | 6): Uint8Array {
    let bytes = this.addresses.get(text);
    if (bytes === undefined) {
      const pseudonym = this.redactor.endpoint({ ip: text, port: 0 }).ip;
      bytes = version === 4 ? Uint8Array.from(pseudonym.split('.').map(Number)) : (ipv6Bytes(pseudonym) ?? new Uint8Array(16)); // the redactor's pseudonyms are well-formed IPv6 text
      this.addresses.set(text, bytes);
    }
    return bytes;
  }

  /** Replaces the IP addresses of the header at `p` in place. */
  private addressesAt(b: Uint8Array, p: number, version: 4 | 6): void {
    const [src, dst] = version === 4 ? [p + 12, p + 16] : [p + 8, p + 24];
    b.set(this.address(b, src, version), src);
    b.set(this.address(b, dst, version), dst);
  }

  /** A hardware address's pseudonym: 02:00:00:00:xx:xx (locally administered, unicast); group addresses (broadcast, multicast) stay. */
  private mac(b: Uint8Array, p: number, n: number): void {
    if (n !== 6 || (b[p]! & 1) !== 0) return;
    const key = Buffer.from(b.subarray(p, p + 6)).toString('hex');
    let pseudonym = this.hardware.get(key);
    if (pseudonym === undefined) {
      const i = this.hardware.size + 1;
      pseudonym = Uint8Array.of(0x02, 0, 0, 0, (i >>> 8) & 0xff, i & 0xff);
      this.hardware.set(key, pseudonym);
    }
    b.set(pseudonym, p);
  }

  /** The link header b[start, ipStart) with its hardware addresses replaced; a PPPoE session length set for an IP packet of `ipLength` bytes. */
  private linkHeader(b: Uint8Array, linkType: number, start: number, ipStart: number, ipLength: number | null): void {
    if (linkType === LINKTYPE.ETHERNET && ipStart - start >= 14) {
      this.mac(b, start, 6);
      this.mac(b, start + 6, 6);
    } else if (linkType === LINKTYPE.LINUX_SLL && ipStart - start >= 16) {
      this.mac(b, start + 6, u16be(b, start + 4));
    } else if (linkType === LINKTYPE.LINUX_SLL2 && ipStart - start >= 20) {
      this.mac(b, start + 12, b[start + 11]!);
    }
    // PPPoE (RFC 2516 §4): the session header's length covers the PPP protocol field and the IP packet.
    if (ipLength !== null && ipStart - start >= 10 && u16be(b, ipStart - 10) === ETHERTYPE_PPPOE_SESSION) put16(b, ipStart - 4, ipLength + 2);
  }

  /**
   * The packets that replace a frame that completed SIP messages: one per message, redacted. An
   * empty list when the frame only carried part of a message (a TCP segment, an IP fragment):
   * the message is written whole at the frame that completed it.
   */
  sip(frame: FrameView, messages: readonly CapturedMessage[]): Uint8Array[] {
    if (messages.length === 0) return [];
    const d = this.decode(frame, true);
    if (d === null) return [];
    const out: Uint8Array[] = [];
    for (const m of messages) {
      // Written as a plain packet between the message's own addresses (SIP carried in HEP or over
      // WebSocket comes out as plain UDP or TCP): the frame's IP header gives the rest, so it must
      // be of the same IP version. SCTP has no such rewrite.
      const version = m.src.ip.includes(':') ? 6 : 4;
      const transport = m.transport === 'UDP' ? IpProtocol.UDP : m.transport === 'TCP' || m.transport === 'WS' || m.transport === 'WSS' ? IpProtocol.TCP : null;
      if (transport === null || version !== d.outerVersion) {
        this.leave('encapsulated');
        continue;
      }
      const payload = redactSipMessage(this.redactor, m.message.raw);
      out.push(transport === IpProtocol.UDP ? this.udpPacket(frame, d, m, payload) : this.tcpPacket(frame, d, m, payload));
    }
    return out;
  }

  /** A new IP header (copied from the frame's, with the pseudonyms, no fragmentation, the length of `transportLength`) after the link header. */
  private rebuild(frame: FrameView, d: Decoded, m: CapturedMessage, protocol: number, transportLength: number): { bytes: Uint8Array; ip: number; transport: number } {
    const b = frame.data;
    const linkLength = d.ipStart - d.linkStart;
    const ipHeader = d.outerVersion === 4 ? (b[d.ipStart]! & 0x0f) * 4 : 40;
    const bytes = new Uint8Array(linkLength + ipHeader + transportLength);
    bytes.set(b.subarray(d.linkStart, d.ipStart + ipHeader), 0);
    const p = linkLength;
    this.linkHeader(bytes, frame.linkType, 0, p, ipHeader + transportLength);
    if (d.outerVersion === 4) {
      put16(bytes, p + 2, ipHeader + transportLength);
      // Not a fragment any more: keep DF, clear MF and the offset.
      bytes[p + 6] = bytes[p + 6]! & 0x40;
      bytes[p + 7] = 0;
      bytes[p + 9] = protocol;
      bytes.set(this.pseudonymBytes(m.src.ip, 4), p + 12);
      bytes.set(this.pseudonymBytes(m.dst.ip, 4), p + 16);
      ipv4Checksum(bytes, p);
    } else {
      // Extension headers (the Fragment header among them) are dropped: the transport follows the fixed header.
      put16(bytes, p + 4, transportLength);
      bytes[p + 6] = protocol;
      bytes.set(this.pseudonymBytes(m.src.ip, 6), p + 8);
      bytes.set(this.pseudonymBytes(m.dst.ip, 6), p + 24);
    }
    return { bytes, ip: p, transport: p + ipHeader };
  }

  private udpPacket(frame: FrameView, d: Decoded, m: CapturedMessage, payload: Uint8Array): Uint8Array {
    const { bytes, ip, transport } = this.rebuild(frame, d, m, IpProtocol.UDP, 8 + payload.length);
    put16(bytes, transport, m.src.port);
    put16(bytes, transport + 2, m.dst.port);
    put16(bytes, transport + 4, 8 + payload.length);
    bytes.set(payload, transport + 8);
    transportChecksum(bytes, ip, d.outerVersion === 6 ? 6 : 4, IpProtocol.UDP, transport, bytes.length, transport + 6);
    return bytes;
  }

  private tcpPacket(frame: FrameView, d: Decoded, m: CapturedMessage, payload: Uint8Array): Uint8Array {
    const b = frame.data;
    const tcp = d.ip.payloadStart;
    // The frame's own TCP header, when the message came in one in its direction: its numbers start the redacted stream's.
    const own = d.ip.headerStart === d.ipStart && d.ip.protocol === IpProtocol.TCP && tcp + 20 <= frame.end && u16be(b, tcp) === m.src.port && u16be(b, tcp + 2) === m.dst.port;
    const { bytes, ip, transport } = this.rebuild(frame, d, m, IpProtocol.TCP, 20 + payload.length);
    const direction = `${m.src.ip}|${m.src.port}|${m.dst.ip}|${m.dst.port}`;
    const reverse = `${m.dst.ip}|${m.dst.port}|${m.src.ip}|${m.src.port}`;
    const seq = this.tcpNext.get(direction) ?? (own ? u32be(b, tcp + 4) : 1);
    this.tcpNext.set(direction, (seq + payload.length) >>> 0);
    const ack = this.tcpNext.get(reverse) ?? (own ? u32be(b, tcp + 8) : 1);
    put16(bytes, transport, m.src.port);
    put16(bytes, transport + 2, m.dst.port);
    put32(bytes, transport + 4, seq);
    put32(bytes, transport + 8, ack);
    // Data offset 5 words: the options (timestamps, SACK blocks of original sequence numbers) are not kept.
    bytes[transport + 12] = 5 << 4;
    bytes[transport + 13] = TCP_PSH_ACK;
    put16(bytes, transport + 14, own ? u16be(b, tcp + 14) : 65535);
    put16(bytes, transport + 18, 0);
    bytes.set(payload, transport + 20);
    transportChecksum(bytes, ip, d.outerVersion === 6 ? 6 : 4, IpProtocol.TCP, transport, bytes.length, transport + 16);
    return bytes;
  }

  /** A media frame with its payload blanked (RTP and RTCP headers kept) and its addresses replaced; null when it is left out. */
  media(frame: FrameView, kind: MediaKind): Uint8Array | null {
    const d = this.decode(frame);
    if (d === null) return null;
    const { ip } = d;
    if (ip.fragment) return this.leave('fragment');
    if (ip.protocol !== IpProtocol.UDP || ip.payloadStart + 8 > frame.end) return this.leave('encapsulated');
    const bytes = frame.data.slice(frame.start, frame.end);
    const base = frame.start;
    const ipAt = d.ipStart - base;
    const udp = ip.payloadStart - base;
    const end = Math.min(ip.payloadEnd, frame.end) - base;
    if (kind === 'rtp') blankRtp(bytes, udp + 8, end);
    else if (kind === 'rtcp') blankRtcp(bytes, udp + 8, end);
    else bytes.fill(0, udp + 8, end);
    this.linkHeader(bytes, frame.linkType, 0, ipAt, null);
    this.addressesAt(bytes, ipAt, ip.version);
    if (ip.version === 4) ipv4Checksum(bytes, ipAt);
    // A checksum over a frame cut by the snaplen cannot be computed: 0 says "none" (IPv4 only, RFC 768).
    const whole = ip.payloadEnd <= frame.end;
    if (whole) transportChecksum(bytes, ipAt, ip.version, IpProtocol.UDP, udp, end, udp + 6);
    else put16(bytes, udp + 6, 0);
    return bytes;
  }

  /** An ICMP error with its addresses, and those of the packet it quotes, replaced, and the quoted payload redacted or blanked. */
  icmp(frame: FrameView): Uint8Array | null {
    const d = this.decode(frame);
    if (d === null) return null;
    const { ip } = d;
    if (ip.fragment) return this.leave('fragment');
    if (ip.protocol !== IPPROTO_ICMP && ip.protocol !== IPPROTO_ICMPV6) return this.leave('encapsulated');
    const base = frame.start;
    const bytes = frame.data.slice(frame.start, frame.end);
    const ipAt = d.ipStart - base;
    const icmp = ip.payloadStart - base;
    const end = Math.min(ip.payloadEnd, frame.end) - base;
    this.quote(bytes, icmp + 8, end);
    this.linkHeader(bytes, frame.linkType, 0, ipAt, null);
    this.addressesAt(bytes, ipAt, ip.version);
    if (ip.version === 4) {
      ipv4Checksum(bytes, ipAt);
      put16(bytes, icmp + 2, 0);
      put16(bytes, icmp + 2, fold(sum16(bytes, icmp, end)));
    } else {
      transportChecksum(bytes, ipAt, 6, IPPROTO_ICMPV6, icmp, end, icmp + 2);
    }
    return bytes;
  }

  /** The quoted packet b[q, end) of an ICMP error: its addresses replaced, its SIP text redacted, any other payload blanked. */
  private quote(b: Uint8Array, q: number, end: number): void {
    if (q >= end) return;
    const version = b[q]! >> 4;
    if (version === 4 && q + 20 <= end) {
      const header = (b[q]! & 0x0f) * 4;
      this.addressesAt(b, q, 4);
      if (q + header <= end) ipv4Checksum(b, q);
      this.quotedTransport(b, b[q + 9]!, q + header, end, true);
    } else if (version === 6 && q + 40 <= end) {
      this.addressesAt(b, q, 6);
      this.quotedTransport(b, b[q + 6]!, q + 40, end, false);
    } else {
      b.fill(0, q, end);
    }
  }

  private quotedTransport(b: Uint8Array, protocol: number, t: number, end: number, v4: boolean): void {
    if (t >= end) return;
    if (protocol === IpProtocol.UDP && t + 8 <= end) {
      // The quoted datagram's checksum covered the original bytes; IPv4 allows "none" (0).
      if (v4) put16(b, t + 6, 0);
      const payload = b.subarray(t + 8, end);
      const text = utf8.decode(payload);
      if (SIP_START.test(text)) b.set(fitted(this.redactor.text(text), payload.length), t + 8);
      else payload.fill(0);
    } else if (protocol === IpProtocol.TCP && t + 20 <= end) {
      b.fill(0, t + ((b[t + 12]! >> 4) * 4 || 20), end);
    } else {
      b.fill(0, t, end);
    }
  }
}

/** An RTP packet b[s, e) with its payload zeroed: the header, CSRCs, the header extension and the padding count (RFC 3550 §5.1, §5.3.1) stay. */
function blankRtp(b: Uint8Array, s: number, e: number): void {
  const c0 = b[s]!;
  let header = 12 + (c0 & 0x0f) * 4;
  if ((c0 & 0x10) !== 0 && s + header + 4 <= e) header += 4 + u16be(b, s + header + 2) * 4;
  const padded = (c0 & 0x20) !== 0;
  b.fill(0, Math.min(s + header, e), padded ? e - 1 : e);
}

/** An RTCP compound b[s, e) with SDES text, BYE reasons and APP data zeroed; sender and receiver reports stay (RFC 3550 §6.4-6.7). */
function blankRtcp(b: Uint8Array, s: number, e: number): void {
  for (let p = s; p + 4 <= e; ) {
    const count = b[p]! & 0x1f;
    const type = b[p + 1]!;
    const next = p + (u16be(b, p + 2) + 1) * 4;
    if (next > e) {
      // Not a readable compound (SRTCP, damaged): nothing past the first header is kept.
      b.fill(0, p + 8 <= e ? p + 8 : p, e);
      return;
    }
    if (type === 202) {
      // SDES: chunks of an SSRC and items (type, length, text) up to a null item, padded to 32 bits.
      let c = p + 4;
      for (let chunk = 0; chunk < count && c + 4 <= next; chunk++) {
        c += 4;
        while (c < next && b[c] !== 0) {
          const length = c + 1 < next ? b[c + 1]! : 0;
          b.fill(0, Math.min(c + 2, next), Math.min(c + 2 + length, next));
          c += 2 + length;
        }
        // The null item and its padding end the chunk at the next 32-bit boundary of the packet.
        c = p + ((c - p + 4) & ~3);
      }
    } else if (type === 203) {
      b.fill(0, Math.min(p + 4 + count * 4, next), next);
    } else if (type === 204) {
      b.fill(0, Math.min(p + 12, next), next);
    }
    p = next;
  }
}
