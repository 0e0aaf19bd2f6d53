/** Hand-built RTP and RTCP for the media tests (RFC 3550 §5.1, §6.4). */
import { ethernet, ipv4, ipv6, udp } from '../../support/packets.js';

export interface RtpFields {
  seq: number;
  timestamp: number;
  pt?: number;
  ssrc?: number;
  marker?: boolean;
  payload?: Uint8Array | number[];
}

/** An RTP packet: version 2, no CSRC, no extension, no padding. */
export function rtpPacket(f: RtpFields): Buffer {
  const payload = Buffer.from(f.payload ?? new Uint8Array(160).fill(0xd5));
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = ((f.marker ? 1 : 0) << 7) | (f.pt ?? 0);
  h.writeUInt16BE(f.seq & 0xffff, 2);
  h.writeUInt32BE(f.timestamp >>> 0, 4);
  h.writeUInt32BE((f.ssrc ?? 0x11223344) >>> 0, 8);
  return Buffer.concat([h, payload]);
}

export const A = '198.51.100.1';
export const B = '198.51.100.2';

/** An Ethernet/IPv4/UDP frame from A:srcPort to B:dstPort (or the addresses given). */
export function frame(payload: Uint8Array, srcPort = 40000, dstPort = 50000, src = A, dst = B): Buffer {
  return src.includes(':') ? ethernet(0x86dd, ipv6(src, dst, udp(srcPort, dstPort, payload))) : ethernet(0x0800, ipv4(src, dst, udp(srcPort, dstPort, payload)));
}

/** An RTCP report block (24 bytes). */
export function reportBlock(b: { ssrc: number; fraction?: number; cumulative?: number; highest?: number; jitter?: number; lsr?: number; dlsr?: number }): Buffer {
  const out = Buffer.alloc(24);
  out.writeUInt32BE(b.ssrc >>> 0, 0);
  out[4] = b.fraction ?? 0;
  out.writeIntBE(b.cumulative ?? 0, 5, 3);
  out.writeUInt32BE(b.highest ?? 0, 8);
  out.writeUInt32BE(b.jitter ?? 0, 12);
  out.writeUInt32BE(b.lsr ?? 0, 16);
  out.writeUInt32BE(b.dlsr ?? 0, 20);
  return out;
}

/** One RTCP packet: header (count, type, length) and body, padded to 32 bits when `padding` is given. */
export function rtcpPacket(type: number, count: number, body: Uint8Array, padding = 0): Buffer {
  const pad = padding > 0 ? Buffer.concat([Buffer.alloc(padding - 1), Buffer.from([padding])]) : Buffer.alloc(0);
  const total = 4 + body.length + pad.length;
  const h = Buffer.alloc(4);
  h[0] = 0x80 | (padding > 0 ? 0x20 : 0) | count;
  h[1] = type;
  h.writeUInt16BE(total / 4 - 1, 2);
  return Buffer.concat([h, body, pad]);
}

export function senderReport(ssrc: number, ntpSec: number, ntpFraction: number, blocks: Buffer[] = []): Buffer {
  const body = Buffer.alloc(24);
  body.writeUInt32BE(ssrc >>> 0, 0);
  body.writeUInt32BE(ntpSec >>> 0, 4);
  body.writeUInt32BE(ntpFraction >>> 0, 8);
  body.writeUInt32BE(1234, 12);
  body.writeUInt32BE(50, 16);
  body.writeUInt32BE(8000, 20);
  return rtcpPacket(200, blocks.length, Buffer.concat([body, ...blocks]));
}

export function receiverReport(ssrc: number, blocks: Buffer[]): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(ssrc >>> 0, 0);
  return rtcpPacket(201, blocks.length, Buffer.concat([body, ...blocks]));
}

/** An SDES packet with one CNAME chunk (RFC 3550 §6.5), padded to 32 bits. */
export function sdes(ssrc: number, cname: string): Buffer {
  const item = Buffer.concat([Buffer.from([1, cname.length]), Buffer.from(cname), Buffer.from([0])]);
  const chunk = Buffer.concat([Buffer.alloc(4), item]);
  chunk.writeUInt32BE(ssrc >>> 0, 0);
  const padded = Buffer.concat([chunk, Buffer.alloc((4 - (chunk.length % 4)) % 4)]);
  return rtcpPacket(202, 1, padded);
}

/** RFC 4733 §2.3 event payload. */
export function telephoneEvent(event: number, end: boolean, duration: number, volume = 10): Buffer {
  const b = Buffer.alloc(4);
  b[0] = event;
  b[1] = (end ? 0x80 : 0) | volume;
  b.writeUInt16BE(duration, 2);
  return b;
}
