/**
 * Media packets: the UDP datagrams no other layer claims (dispatch.ts), classified from their
 * first bytes and handed to the media sink as a reused view (outputs.ts MediaPacket). Also the
 * fast path that lets the bulk of a trunk capture, plain RTP in Ethernet/IPv4/UDP, skip the layers.
 */
import type { FrameView } from '../capture/frame.js';
import { udpUnclaimed } from '../dispatch.js';
import { type Layer, LayerId } from '../layer.js';
import { formatIp } from '../net/ip.js';
import type { KeptMediaPacket, MediaKind, MediaPacket } from '../outputs.js';
import type { Packet } from '../packet.js';
import type { Endpoint } from '../../types.js';

/**
 * The kind of the UDP payload b[s, e) (s < e). RFC 7983 §7 demultiplexes a media port by the first
 * byte: 0-3 STUN, 20-63 DTLS, 128-191 RTP or RTCP; RFC 5761 §4 tells RTCP by its packet type
 * (192-223, where RTP payload types 64-95 would fall). Each kind's fixed header must also fit:
 * RTP (RFC 3550 §5.1) 12 bytes plus CSRCs, the header extension and padding; RTCP (§6.4) a first
 * packet whose length field fits; STUN (RFC 8489 §5) the magic cookie and a length that fits;
 * DTLS (RFC 9147 §4) a record header of a DTLS version.
 */
export function classifyMedia(b: Uint8Array, s: number, e: number): MediaKind {
  // RTP and RTCP in a function of their own, under V8's size limit for inlining (460 bytecodes),
  // so that it and this one inline into plainMedia: one function for every kind was over that
  // limit, a call per packet. STUN and DTLS are rare.
  const c0 = b[s]!;
  return c0 >= 128 && c0 < 192 ? rtpOrRtcp(b, s, e, c0) : setUpKind(b, s, e, c0);
}

/** classifyMedia of a payload whose first byte `c0` is 128-191 (RFC 7983 §7: RTP or RTCP). */
function rtpOrRtcp(b: Uint8Array, s: number, e: number, c0: number): MediaKind {
  const n = e - s;
  if (n < 8) return 'other';
  const type = b[s + 1]!;
  if (type >= 192 && type <= 223) {
    // RTCP: the length field counts 32-bit words minus one.
    return ((b[s + 2]! << 8) | b[s + 3]!) * 4 + 4 <= n ? 'rtcp' : 'other';
  }
  let header = 12 + (c0 & 0x0f) * 4;
  if ((c0 & 0x10) !== 0) {
    // RFC 3550 §5.3.1: a 4-byte extension header, then its length in 32-bit words.
    if (s + header + 4 > e) return 'other';
    header += 4 + ((b[s + header + 2]! << 8) | b[s + header + 3]!) * 4;
  }
  if (header > n) return 'other';
  // RFC 3550 §5.1: with P set, the last byte counts the padding, itself included.
  if ((c0 & 0x20) !== 0 && (b[e - 1]! === 0 || header + b[e - 1]! > n)) return 'other';
  return 'rtp';
}

/** classifyMedia of a payload whose first byte `c0` is not 128-191: STUN, DTLS or other. */
function setUpKind(b: Uint8Array, s: number, e: number, c0: number): MediaKind {
  const n = e - s;
  if (c0 <= 3) {
    return n >= 20 && b[s + 4] === 0x21 && b[s + 5] === 0x12 && b[s + 6] === 0xa4 && b[s + 7] === 0x42 && 20 + ((b[s + 2]! << 8) | b[s + 3]!) <= n ? 'stun' : 'other';
  }
  if (c0 >= 20 && c0 <= 25) {
    // A DTLS record header (13 bytes): content type, version 0xFEFF (1.0) or 0xFEFD (1.2, and 1.3's
    // handshake), epoch, sequence number, length (RFC 6347 §4.1). DTLS 1.3's short encrypted headers
    // (first byte 0x20-0x3F, RFC 9147 §4) are not told from UDPTL sequence numbers: 'other'.
    return n >= 13 && b[s + 1] === 0xfe && (b[s + 2] === 0xff || b[s + 2] === 0xfd) ? 'dtls' : 'other';
  }
  return 'other';
}

/** The reused view handed to the media sink: one per input. */
export class MediaPacketView implements MediaPacket {
  frame = 0;
  frames: readonly number[] | null = null;
  sec = 0;
  nsec = 0;
  kind: MediaKind = 'other';
  version: 4 | 6 = 4;
  bytes: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
  srcAddress = 0;
  dstAddress = 0;
  srcPort = 0;
  dstPort = 0;
  offset = 0;

  constructor(readonly file: string) {}

  payload(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }

  src(): Endpoint {
    return { ip: formatIp(this.bytes, this.srcAddress, this.version), port: this.srcPort };
  }

  dst(): Endpoint {
    return { ip: formatIp(this.bytes, this.dstAddress, this.version), port: this.dstPort };
  }

  /**
   * A view of the same packet that owns its bytes (the two addresses, then the payload), for a
   * reader that must hold the packet past the call: several inputs merged by time (merge.ts).
   * The same class, so the media sink sees one shape.
   */
  detached(): MediaPacketView {
    const size = this.version === 4 ? 4 : 16;
    const length = this.end - this.start;
    const bytes = new Uint8Array(2 * size + length);
    bytes.set(this.bytes.subarray(this.srcAddress, this.srcAddress + size), 0);
    bytes.set(this.bytes.subarray(this.dstAddress, this.dstAddress + size), size);
    bytes.set(this.bytes.subarray(this.start, this.end), 2 * size);
    const d = new MediaPacketView(this.file);
    d.frame = this.frame;
    d.frames = this.frames;
    d.sec = this.sec;
    d.nsec = this.nsec;
    d.kind = this.kind;
    d.version = this.version;
    d.bytes = bytes;
    d.start = 2 * size;
    d.end = 2 * size + length;
    d.srcAddress = 0;
    d.dstAddress = size;
    d.srcPort = this.srcPort;
    d.dstPort = this.dstPort;
    d.offset = this.offset;
    return d;
  }

  copy(): KeptMediaPacket {
    return {
      file: this.file,
      frame: this.frame,
      frames: this.frames,
      sec: this.sec,
      nsec: this.nsec,
      kind: this.kind,
      src: this.src(),
      dst: this.dst(),
      offset: this.offset,
      payload: this.bytes.slice(this.start, this.end),
    };
  }
}

/** The media layer: the datagram the UDP layer decoded (packet.ip, packet.udp), to the media sink. */
export const mediaLayer: Layer = (p) => {
  const sink = p.onMedia;
  if (sink === null) return LayerId.DONE;
  const frame = p.frame;
  const ip = p.ip;
  const { payloadStart, payloadEnd } = p.udp;
  const v = p.mediaView;
  v.frame = frame.number;
  v.frames = p.fragmentFrames;
  v.sec = frame.sec;
  v.nsec = frame.nsec;
  v.version = ip.version;
  v.bytes = frame.data;
  v.start = payloadStart;
  v.end = payloadEnd;
  v.srcAddress = ip.srcOffset;
  v.dstAddress = ip.dstOffset;
  v.srcPort = p.udp.srcPort;
  v.dstPort = p.udp.dstPort;
  v.offset = frame.fileOffset + payloadStart - frame.start;
  v.kind = classifyMedia(frame.data, payloadStart, payloadEnd);
  sink(v);
  return LayerId.DONE;
};

const LINKTYPE_ETHERNET = 1;

/**
 * The bulk of a trunk capture, recognised in a few byte reads: an Ethernet frame holding one
 * whole, unfragmented IPv4 datagram (20-byte header, lengths consistent with the frame) whose UDP
 * payload no dissector can take (udpUnclaimed: its first byte starts no SIP or HEP, and neither
 * port is one a dissector is registered on). The layers would find nothing to report in such a
 * frame and hand it to the media layer; here it goes to the media sink directly, or is dropped
 * when there is none. True when the frame was handled so. Anything else (VLAN tags, IP options,
 * IPv6, fragments, cut or odd lengths, other protocols) is left to the layers.
 */
export function plainMedia(p: Packet, frame: FrameView): boolean {
  if (frame.linkType !== LINKTYPE_ETHERNET) return false;
  const b = frame.data;
  const start = frame.start;
  const end = frame.end;
  if (end - start < 14 + 20 + 8 + 1 || b[start + 12] !== 0x08 || b[start + 13] !== 0x00) return false;
  const ip = start + 14;
  if (b[ip] !== 0x45 || b[ip + 9] !== 17 || (b[ip + 6]! & 0x3f) !== 0 || b[ip + 7] !== 0) return false;
  const totalLength = (b[ip + 2]! << 8) | b[ip + 3]!;
  if (totalLength < 20 + 8 + 1 || ip + totalLength > end) return false;
  const udp = ip + 20;
  const udpLength = (b[udp + 4]! << 8) | b[udp + 5]!;
  if (udpLength < 8 + 1 || udpLength > totalLength - 20) return false;
  const srcPort = (b[udp]! << 8) | b[udp + 1]!;
  const dstPort = (b[udp + 2]! << 8) | b[udp + 3]!;
  if (!udpUnclaimed(b[udp + 8]!, srcPort, dstPort)) return false;
  const sink = p.onMedia;
  if (sink !== null) {
    const v = p.mediaView;
    const f = frame;
    v.frame = f.number;
    v.frames = null;
    v.sec = f.sec;
    v.nsec = f.nsec;
    v.version = 4;
    v.bytes = b;
    v.start = udp + 8;
    v.end = udp + udpLength;
    v.srcAddress = ip + 12;
    v.dstAddress = ip + 16;
    v.srcPort = srcPort;
    v.dstPort = dstPort;
    v.offset = f.fileOffset + udp + 8 - start;
    v.kind = classifyMedia(b, udp + 8, udp + udpLength);
    sink(v);
  }
  return true;
}
