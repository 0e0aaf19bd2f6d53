/**
 * Builders for the ways SIP travels besides one UDP datagram: IP fragments, TCP segments with
 * sequence numbers and flags, GRE / ERSPAN / VXLAN tunnels, SCTP DATA chunks, HEPv2 / HEPv3
 * packets and WebSocket frames. Written from the RFCs and the HEP specification, for tests and
 * the synthetic fixtures.
 */
import { deflateSync } from 'node:zlib';
import { ethernet, ipv4, ipv6, udp, type Ip } from './packets.js';

/** Splits an IPv4 payload (a UDP or TCP packet) into fragments of the given sizes (multiples of 8 but the last). */
export function fragmentIpv4(src: Ip, dst: Ip, payload: Uint8Array, sizes: readonly number[], protocol = 17, id = 0x4242): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  for (let i = 0; offset < payload.length; i++) {
    const size = Math.min(sizes[i] ?? payload.length, payload.length - offset);
    const last = offset + size >= payload.length;
    const packet = ipv4(src, dst, payload.subarray(offset, offset + size), { protocol, moreFragments: !last, fragmentOffset: offset / 8 });
    packet.writeUInt16BE(id, 4);
    out.push(packet);
    offset += size;
  }
  return out;
}

/** An IPv4 fragment at any byte offset (a multiple of 8) with any bytes: for overlaps and conflicts. */
export function ipv4Fragment(src: Ip, dst: Ip, data: Uint8Array, offset: number, more: boolean, protocol = 17, id = 0x4242): Buffer {
  const packet = ipv4(src, dst, data, { protocol, moreFragments: more, fragmentOffset: offset / 8 });
  packet.writeUInt16BE(id, 4);
  return packet;
}

/** An IPv6 packet with a Fragment header (RFC 8200 §4.5) carrying `data` at byte `offset`. */
export function ipv6Fragment(src: Ip, dst: Ip, data: Uint8Array, offset: number, more: boolean, nextHeader = 17, id = 0xdecafbad): Buffer {
  const body = Buffer.alloc(6);
  body.writeUInt16BE(offset | (more ? 1 : 0), 0);
  body.writeUInt32BE(id >>> 0, 2);
  return ipv6(src, dst, data, nextHeader, [{ type: 44, body }]);
}

/** Splits an IPv6 payload into fragments of the given sizes. */
export function fragmentIpv6(src: Ip, dst: Ip, payload: Uint8Array, sizes: readonly number[], nextHeader = 17, id = 0xdecafbad): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  for (let i = 0; offset < payload.length; i++) {
    const size = Math.min(sizes[i] ?? payload.length, payload.length - offset);
    out.push(ipv6Fragment(src, dst, payload.subarray(offset, offset + size), offset, offset + size < payload.length, nextHeader, id));
    offset += size;
  }
  return out;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpOptions {
  seq: number;
  ack?: number;
  flags?: number;
  /** TCP options (padded to 4 bytes). */
  options?: Uint8Array;
}

/** A TCP segment (RFC 9293 §3.1) with the given sequence number, flags and payload. */
export function tcpSegment(srcPort: number, dstPort: number, payload: Uint8Array | string, opts: TcpOptions): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const options = opts.options ? Buffer.concat([Buffer.from(opts.options), Buffer.alloc((4 - (opts.options.length % 4)) % 4)]) : Buffer.alloc(0);
  const h = Buffer.alloc(20);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt32BE(opts.seq >>> 0, 4);
  h.writeUInt32BE((opts.ack ?? 0) >>> 0, 8);
  h[12] = ((20 + options.length) / 4) << 4;
  h[13] = opts.flags ?? TCP_PSH | TCP_ACK;
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, options, body]);
}

/** One endpoint pair of a TCP connection, building Ethernet/IPv4/TCP frames in both directions. */
export class TcpFlow {
  constructor(
    readonly client: { ip: Ip; port: number },
    readonly server: { ip: Ip; port: number },
  ) {}

  /** A frame from the client (`up`) or from the server. */
  frame(up: boolean, payload: Uint8Array | string, opts: TcpOptions): Buffer {
    const [a, b] = up ? [this.client, this.server] : [this.server, this.client];
    const v6 = a.ip.includes(':');
    const segment = tcpSegment(a.port, b.port, payload, opts);
    return v6 ? ethernet(0x86dd, ipv6(a.ip, b.ip, segment, 6)) : ethernet(0x0800, ipv4(a.ip, b.ip, segment, { protocol: 6 }));
  }
}

/** GRE header (RFC 2784 / RFC 2890) with optional key and sequence number. */
export function gre(protocol: number, payload: Uint8Array, opts: { key?: number; seq?: number; checksum?: boolean } = {}): Buffer {
  let flags = 0;
  const extra: Buffer[] = [];
  if (opts.checksum) {
    flags |= 0x8000;
    extra.push(Buffer.alloc(4));
  }
  if (opts.key !== undefined) {
    flags |= 0x2000;
    const k = Buffer.alloc(4);
    k.writeUInt32BE(opts.key >>> 0);
    extra.push(k);
  }
  if (opts.seq !== undefined) {
    flags |= 0x1000;
    const s = Buffer.alloc(4);
    s.writeUInt32BE(opts.seq >>> 0);
    extra.push(s);
  }
  const h = Buffer.alloc(4);
  h.writeUInt16BE(flags, 0);
  h.writeUInt16BE(protocol, 2);
  return Buffer.concat([h, ...extra, Buffer.from(payload)]);
}

/** Enhanced GRE (version 1, RFC 2637) with PPP inside, as PPTP sends it. */
export function pptpGre(ipPacket: Uint8Array, opts: { compressedPpp?: boolean } = {}): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(0x3001, 0); // K, S, version 1
  h.writeUInt16BE(0x880b, 2);
  h.writeUInt16BE(ipPacket.length + 4, 4);
  h.writeUInt16BE(7, 6); // call ID
  h.writeUInt32BE(1, 8); // sequence
  const ppp = opts.compressedPpp ? Buffer.from([0x21]) : Buffer.from([0xff, 0x03, 0x00, 0x21]);
  return Buffer.concat([h, ppp, Buffer.from(ipPacket)]);
}

/** ERSPAN type II header (8 bytes, version 1) in front of a mirrored Ethernet frame. */
export function erspan2(frame: Uint8Array, session = 5): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x1000 | 42, 0); // version 1, VLAN 42
  h.writeUInt16BE(session & 0x3ff, 2);
  return Buffer.concat([h, Buffer.from(frame)]);
}

/** ERSPAN type III header (12 bytes, version 2; with the 8-byte platform subheader when `platform`). */
export function erspan3(frame: Uint8Array, platform = false): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(0x2000, 0);
  h.writeUInt16BE(7, 2);
  h.writeUInt32BE(123456, 4);
  h[11] = platform ? 1 : 0;
  return Buffer.concat([h, platform ? Buffer.alloc(8) : Buffer.alloc(0), Buffer.from(frame)]);
}

/** VXLAN (RFC 7348) header with the I flag and a VNI. */
export function vxlan(frame: Uint8Array, vni = 1000): Buffer {
  const h = Buffer.alloc(8);
  h[0] = 0x08;
  h.writeUInt32BE((vni << 8) >>> 0, 4);
  return Buffer.concat([h, Buffer.from(frame)]);
}

/**
 * A GTP-U header (3GPP TS 29.281 §5.1) before `payload`: version 1, PT 1, message type 255
 * (G-PDU) unless given. `seq` sets S and the optional fields; `extensions` (each the content of
 * one extension header as [type, content bytes], content padded so that length+content+next is a
 * multiple of 4) set E and chain them.
 */
export function gtpu(payload: Uint8Array, opts: { teid?: number; type?: number; seq?: number; extensions?: readonly (readonly [number, readonly number[]])[]; version?: number } = {}): Buffer {
  const extensions = opts.extensions ?? [];
  const optional = opts.seq !== undefined || extensions.length > 0;
  const parts: Buffer[] = [];
  if (optional) {
    const o = Buffer.alloc(4);
    o.writeUInt16BE(opts.seq ?? 0, 0);
    o[3] = extensions[0]?.[0] ?? 0;
    parts.push(o);
  }
  extensions.forEach(([, content], i) => {
    const length = Math.ceil((content.length + 2) / 4);
    const e = Buffer.alloc(length * 4);
    e[0] = length;
    Buffer.from(content).copy(e, 1);
    e[e.length - 1] = extensions[i + 1]?.[0] ?? 0;
    parts.push(e);
  });
  parts.push(Buffer.from(payload));
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h[0] = ((opts.version ?? 1) << 5) | 0x10 | (extensions.length > 0 ? 0x04 : 0) | (opts.seq !== undefined ? 0x02 : 0);
  h[1] = opts.type ?? 255;
  h.writeUInt16BE(body.length, 2);
  h.writeUInt32BE((opts.teid ?? 0x1001) >>> 0, 4);
  return Buffer.concat([h, body]);
}

/** A Geneve header (RFC 8926 §3.4) before `payload`, of protocol `protocol` (0x6558: Ethernet), with `options` (4-byte multiples). */
export function geneve(protocol: number, payload: Uint8Array, opts: { vni?: number; options?: Uint8Array; version?: number } = {}): Buffer {
  const options = Buffer.from(opts.options ?? []);
  const h = Buffer.alloc(8);
  h[0] = ((opts.version ?? 0) << 6) | (options.length / 4);
  h.writeUInt16BE(protocol, 2);
  h.writeUInt32BE(((opts.vni ?? 77) << 8) >>> 0, 4);
  return Buffer.concat([h, options, Buffer.from(payload)]);
}

/** EtherIP (RFC 3378 §3): version 3, then an Ethernet frame. */
export function etherIp(frame: Uint8Array, version = 3): Buffer {
  return Buffer.concat([Buffer.from([version << 4, 0]), Buffer.from(frame)]);
}

/** CRC32c is not checked by siplens; a zero checksum is fine. */
export interface SctpData {
  tsn: number;
  stream?: number;
  ssn?: number;
  ppid?: number;
  begin?: boolean;
  end?: boolean;
  unordered?: boolean;
  data: Uint8Array | string;
}

/** An SCTP packet (RFC 9260 §3) with DATA chunks, and any raw chunks (type, flags, value). */
export function sctp(srcPort: number, dstPort: number, chunks: readonly (SctpData | { type: number; flags?: number; value: Uint8Array })[], vtag = 0x01020304): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt32BE(vtag >>> 0, 4);
  const parts: Buffer[] = [h];
  for (const c of chunks) {
    let type: number;
    let flags: number;
    let value: Buffer;
    if ('tsn' in c) {
      type = 0;
      flags = (c.unordered ? 4 : 0) | (c.begin === false ? 0 : 2) | (c.end === false ? 0 : 1);
      const d = typeof c.data === 'string' ? Buffer.from(c.data) : Buffer.from(c.data);
      value = Buffer.alloc(12 + d.length);
      value.writeUInt32BE(c.tsn >>> 0, 0);
      value.writeUInt16BE(c.stream ?? 0, 4);
      value.writeUInt16BE(c.ssn ?? 0, 6);
      value.writeUInt32BE(c.ppid ?? 0, 8);
      d.copy(value, 12);
    } else {
      type = c.type;
      flags = c.flags ?? 0;
      value = Buffer.from(c.value);
    }
    const ch = Buffer.alloc(4);
    ch[0] = type;
    ch[1] = flags;
    ch.writeUInt16BE(4 + value.length, 2);
    parts.push(ch, value, Buffer.alloc((4 - (value.length % 4)) % 4));
  }
  return Buffer.concat(parts);
}

function ipBytes(ip: string): Buffer {
  if (!ip.includes(':')) return Buffer.from(ip.split('.').map(Number));
  // Reuse the IPv6 builder's parser through a throwaway header.
  return ipv6(ip, '::', Buffer.alloc(0)).subarray(8, 24);
}

export interface HepFields {
  src: { ip: string; port: number };
  dst: { ip: string; port: number };
  /** IP protocol (17 UDP, 6 TCP, 132 SCTP). */
  protocol?: number;
  sec: number;
  usec: number;
  /** HEP protocol type (1 = SIP). */
  type?: number;
  captureId?: number;
  correlationId?: string;
  payload: Uint8Array | string;
  /** Send the payload zlib-compressed in chunk 0x0010. */
  compress?: boolean;
  /** Put the chunks in this order (indices into the natural order) to show they may come in any. */
  shuffle?: boolean;
  /** Extra vendor chunks (vendor id != 0) that a reader must skip. */
  vendorChunks?: boolean;
}

function chunk(vendor: number, type: number, value: Uint8Array): Buffer {
  const h = Buffer.alloc(6);
  h.writeUInt16BE(vendor, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt16BE(6 + value.length, 4);
  return Buffer.concat([h, Buffer.from(value)]);
}

function u8(v: number): Buffer {
  return Buffer.from([v]);
}
function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}

/** A HEPv3 packet (HEP3 magic, total length, then chunks; HEP specification rev. 3). */
export function hep3(f: HepFields): Buffer {
  const v6 = f.src.ip.includes(':');
  const payload = typeof f.payload === 'string' ? Buffer.from(f.payload) : Buffer.from(f.payload);
  let chunks = [
    chunk(0, 1, u8(v6 ? 10 : 2)),
    chunk(0, 2, u8(f.protocol ?? 17)),
    chunk(0, v6 ? 5 : 3, ipBytes(f.src.ip)),
    chunk(0, v6 ? 6 : 4, ipBytes(f.dst.ip)),
    chunk(0, 7, u16(f.src.port)),
    chunk(0, 8, u16(f.dst.port)),
    chunk(0, 9, u32(f.sec)),
    chunk(0, 10, u32(f.usec)),
    chunk(0, 11, u8(f.type ?? 1)),
    chunk(0, 12, u32(f.captureId ?? 2001)),
    ...(f.correlationId !== undefined ? [chunk(0, 17, Buffer.from(f.correlationId))] : []),
    ...(f.vendorChunks ? [chunk(0x0020, 3, Buffer.from('vendor data')), chunk(0, 0x7fff, Buffer.from('unknown generic chunk'))] : []),
    f.compress ? chunk(0, 16, deflateSync(payload)) : chunk(0, 15, payload),
  ];
  if (f.shuffle) chunks = [...chunks.slice(6), ...chunks.slice(0, 6)].reverse();
  const body = Buffer.concat(chunks);
  const h = Buffer.alloc(6);
  h.write('HEP3', 0, 'latin1');
  h.writeUInt16BE(6 + body.length, 4);
  return Buffer.concat([h, body]);
}

/**
 * A HEPv1 or HEPv2 packet as Kamailio's siptrace and captagent write it: an 8-byte header
 * (version, header length, family, protocol, ports in network order), the addresses, and for v2
 * a 12-byte time header (seconds, microseconds, capture id) in the sender's byte order (little-endian on x86).
 */
export function hep2(f: HepFields, version: 1 | 2 = 2): Buffer {
  const v6 = f.src.ip.includes(':');
  const addresses = Buffer.concat([ipBytes(f.src.ip), ipBytes(f.dst.ip)]);
  const h = Buffer.alloc(8);
  h[0] = version;
  h[1] = 8 + addresses.length;
  h[2] = v6 ? 10 : 2;
  h[3] = f.protocol ?? 17;
  h.writeUInt16BE(f.src.port, 4);
  h.writeUInt16BE(f.dst.port, 6);
  const time = Buffer.alloc(12);
  time.writeUInt32LE(f.sec, 0);
  time.writeUInt32LE(f.usec, 4);
  time.writeUInt16LE(f.captureId ?? 2001, 8);
  const payload = typeof f.payload === 'string' ? Buffer.from(f.payload) : Buffer.from(f.payload);
  return Buffer.concat([h, addresses, version === 2 ? time : Buffer.alloc(0), payload]);
}

/** A HEP packet to the collector on UDP 9060, as an Ethernet frame. */
export function hepOverUdp(hep: Uint8Array, port = 9060): Buffer {
  return ethernet(0x0800, ipv4('192.0.2.200', '192.0.2.201', udp(40000, port, hep)));
}

export interface WsFrameOptions {
  opcode?: number;
  fin?: boolean;
  /** Masking key (client-to-server frames are masked, RFC 6455 §5.3). */
  mask?: number[];
  rsv1?: boolean;
  /** Force a 16-bit or 64-bit length field even when shorter would do. */
  longLength?: 16 | 64;
}

/** One WebSocket frame (RFC 6455 §5.2). */
export function wsFrame(payload: Uint8Array | string, opts: WsFrameOptions = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const len = data.length;
  const b0 = (opts.fin === false ? 0 : 0x80) | (opts.rsv1 ? 0x40 : 0) | (opts.opcode ?? 1);
  let header: Buffer;
  const maskBit = opts.mask ? 0x80 : 0;
  if (len < 126 && opts.longLength === undefined) {
    header = Buffer.from([b0, maskBit | len]);
  } else if (len < 65536 && opts.longLength !== 64) {
    header = Buffer.alloc(4);
    header[0] = b0;
    header[1] = maskBit | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = b0;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!opts.mask) return Buffer.concat([header, data]);
  const key = Buffer.from(opts.mask);
  const masked = Buffer.from(data.map((x, i) => x ^ key[i % 4]!));
  return Buffer.concat([header, key, masked]);
}

export const WS_UPGRADE_REQUEST =
  'GET /ws HTTP/1.1\r\nHost: proxy.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n';
export const WS_UPGRADE_RESPONSE =
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n';

/** A TLS 1.2 ClientHello record with a server_name extension (RFC 8446 §4.1.2, RFC 6066 §3). */
export function tlsClientHello(serverName: string): Buffer {
  const name = Buffer.from(serverName);
  const sni = Buffer.alloc(9 + name.length);
  sni.writeUInt16BE(0, 0); // extension type server_name
  sni.writeUInt16BE(5 + name.length, 2);
  sni.writeUInt16BE(3 + name.length, 4);
  sni[6] = 0; // host_name
  sni.writeUInt16BE(name.length, 7);
  name.copy(sni, 9);
  const body = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 7), Buffer.from([0]), Buffer.from([0, 2, 0x13, 0x01]), Buffer.from([1, 0]), Buffer.from([sni.length >> 8, sni.length & 255]), sni]);
  const handshake = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 255]), body]);
  return Buffer.concat([Buffer.from([22, 3, 1, handshake.length >> 8, handshake.length & 255]), handshake]);
}

/** A TLS application data record of n bytes. */
export function tlsAppData(n: number): Buffer {
  return Buffer.concat([Buffer.from([23, 3, 3, n >> 8, n & 255]), Buffer.alloc(n, 0x99)]);
}

/**
 * An ICMP (RFC 792) or ICMPv6 (RFC 4443) error message quoting `quoted` (the start of the packet
 * it reports): type, code, the 4-byte field after the checksum (MTU, pointer, unused), the quote.
 * The checksum is left zero (siplens does not check it).
 */
export function icmpError(type: number, code: number, quoted: Uint8Array, rest = 0): Buffer {
  const h = Buffer.alloc(8);
  h[0] = type;
  h[1] = code;
  h.writeUInt32BE(rest >>> 0, 4);
  return Buffer.concat([h, Buffer.from(quoted)]);
}

/** A TLS record of any content type and version with the given fragment (RFC 8446 §5.1). */
export function tlsRecord(contentType: number, fragment: Uint8Array, version = 0x0303): Buffer {
  const h = Buffer.from([contentType, version >> 8, version & 255, fragment.length >> 8, fragment.length & 255]);
  return Buffer.concat([h, Buffer.from(fragment)]);
}
