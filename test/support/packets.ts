/** Builders for link, network and transport headers around a payload: hand-made bytes for tests and fixtures. */

export type Ip = string;

function parseIpv4(ip: string): number[] {
  return ip.split('.').map((x) => Number(x));
}

function parseIpv6(ip: string): number[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':').filter(Boolean) : [];
  const t = tail ? tail.split(':').filter(Boolean) : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

export function udp(srcPort: number, dstPort: number, payload: Uint8Array | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const h = Buffer.alloc(8);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt16BE(8 + body.length, 4);
  return Buffer.concat([h, body]);
}

export function tcp(srcPort: number, dstPort: number, payload: Uint8Array | string, seq = 1): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const h = Buffer.alloc(20);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt32BE(seq, 4);
  h[12] = 5 << 4;
  h[13] = 0x18; // PSH ACK
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, body]);
}

export interface Ipv4Options {
  protocol?: number;
  /** Fragment offset in 8-byte units and More Fragments flag. */
  fragmentOffset?: number;
  moreFragments?: boolean;
  /** Override the total length field. */
  totalLength?: number;
  options?: Uint8Array;
}

export function ipv4(src: Ip, dst: Ip, payload: Uint8Array, opts: Ipv4Options = {}): Buffer {
  const extra = opts.options ? Buffer.from(opts.options) : Buffer.alloc(0);
  const h = Buffer.alloc(20);
  h[0] = 0x40 | ((20 + extra.length) / 4);
  h.writeUInt16BE(opts.totalLength ?? 20 + extra.length + payload.length, 2);
  h.writeUInt16BE(0x1234, 4);
  h.writeUInt16BE(((opts.moreFragments ? 1 : 0) << 13) | (opts.fragmentOffset ?? 0), 6);
  h[8] = 64;
  h[9] = opts.protocol ?? 17;
  Buffer.from(parseIpv4(src)).copy(h, 12);
  Buffer.from(parseIpv4(dst)).copy(h, 16);
  return Buffer.concat([h, extra, Buffer.from(payload)]);
}

/** An IPv6 extension header: next header is filled in by ipv6(). */
export interface Ipv6Extension {
  type: number;
  /** Body after the 2 first bytes (next header, length); padded to a multiple of 8. */
  body?: Uint8Array;
}

export function ipv6(src: Ip, dst: Ip, payload: Uint8Array, protocol = 17, extensions: Ipv6Extension[] = []): Buffer {
  const chain: Buffer[] = [];
  const types = [...extensions.map((e) => e.type), protocol];
  extensions.forEach((e, i) => {
    const next = types[i + 1]!;
    if (e.type === 44) {
      const b = Buffer.alloc(8);
      b[0] = next;
      if (e.body) Buffer.from(e.body).copy(b, 2);
      chain.push(b);
      return;
    }
    const bodyLen = e.body?.length ?? 6;
    const total = Math.ceil((bodyLen + 2) / 8) * 8;
    const b = Buffer.alloc(total);
    b[0] = next;
    b[1] = e.type === 51 ? total / 4 - 2 : total / 8 - 1;
    if (e.body) Buffer.from(e.body).copy(b, 2);
    chain.push(b);
  });
  const ext = Buffer.concat(chain);
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(ext.length + payload.length, 4);
  h[6] = types[0]!;
  h[7] = 64;
  Buffer.from(parseIpv6(src)).copy(h, 8);
  Buffer.from(parseIpv6(dst)).copy(h, 24);
  return Buffer.concat([h, ext, Buffer.from(payload)]);
}

const MAC_A = [0x02, 0, 0, 0, 0, 0x0a];
const MAC_B = [0x02, 0, 0, 0, 0, 0x0b];

export function ethernet(etherType: number, payload: Uint8Array, vlanTags: { tpid: number; vid: number }[] = []): Buffer {
  const tags = vlanTags.map((t, i) => {
    const b = Buffer.alloc(4);
    b.writeUInt16BE(t.vid & 0x0fff, 0);
    b.writeUInt16BE(i + 1 < vlanTags.length ? vlanTags[i + 1]!.tpid : etherType, 2);
    return b;
  });
  const h = Buffer.alloc(14);
  Buffer.from(MAC_B).copy(h, 0);
  Buffer.from(MAC_A).copy(h, 6);
  h.writeUInt16BE(vlanTags.length > 0 ? vlanTags[0]!.tpid : etherType, 12);
  return Buffer.concat([h, ...tags, Buffer.from(payload)]);
}

export function sll(protocol: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(4, 0); // sent by us
  h.writeUInt16BE(1, 2); // ARPHRD_ETHER
  h.writeUInt16BE(6, 4);
  Buffer.from(MAC_A).copy(h, 6);
  h.writeUInt16BE(protocol, 14);
  return Buffer.concat([h, Buffer.from(payload)]);
}

export function sll2(protocol: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(protocol, 0);
  h.writeUInt32BE(1, 4); // interface index
  h.writeUInt16BE(1, 8); // ARPHRD_ETHER
  h[10] = 4; // outgoing
  h[11] = 6;
  Buffer.from(MAC_A).copy(h, 12);
  return Buffer.concat([h, Buffer.from(payload)]);
}

/** BSD loopback header: family in host (NULL, little-endian here) or network (LOOP) order. */
export function loopback(family: number, payload: Uint8Array, networkOrder = false): Buffer {
  const h = Buffer.alloc(4);
  if (networkOrder) h.writeUInt32BE(family);
  else h.writeUInt32LE(family);
  return Buffer.concat([h, Buffer.from(payload)]);
}

export function pppoe(pppProtocol: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(8);
  h[0] = 0x11;
  h.writeUInt16BE(0x0001, 2);
  h.writeUInt16BE(payload.length + 2, 4);
  h.writeUInt16BE(pppProtocol, 6);
  return Buffer.concat([h, Buffer.from(payload)]);
}

export function mpls(labels: number[], payload: Uint8Array): Buffer {
  const parts = labels.map((label, i) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(((label & 0xfffff) << 12) | (i === labels.length - 1 ? 0x100 : 0) | 64);
    return b;
  });
  return Buffer.concat([...parts, Buffer.from(payload)]);
}

/**
 * An Endace ERF record (LINKTYPE_ERF 197): the 16-byte header, `extensions` 8-byte extension
 * headers chained by their top bit, and the payload; Ethernet record types (2, 11, 16, 20) get
 * the 2-byte offset/pad field before the frame. `fcs` appends a frame check sequence.
 */
export function erf(recordType: number, payload: Uint8Array, opts: { extensions?: number; fcs?: boolean } = {}): Buffer {
  const extensions = opts.extensions ?? 0;
  const ethernetPad = [2, 11, 16, 20].includes(recordType) ? Buffer.alloc(2) : Buffer.alloc(0);
  const wire = Buffer.concat([Buffer.from(payload), opts.fcs ? Buffer.alloc(4) : Buffer.alloc(0)]);
  const h = Buffer.alloc(16);
  h[8] = recordType | (extensions > 0 ? 0x80 : 0);
  h[9] = 0x04; // varying record length
  h.writeUInt16BE(16 + extensions * 8 + ethernetPad.length + wire.length, 10);
  h.writeUInt16BE(wire.length, 14);
  const ext = Buffer.alloc(extensions * 8);
  for (let i = 0; i < extensions; i++) ext[i * 8] = 0x03 | (i < extensions - 1 ? 0x80 : 0); // 0x03: flow ID extension
  return Buffer.concat([h, ext, ethernetPad, wire]);
}

/** A minimal valid SIP request for tests. */
export function sipRequest(method: string, callId: string, cseq = 1, extra = ''): string {
  return (
    `${method} sip:bob@example.com SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}-${cseq}\r\n` +
    `From: <sip:alice@example.com>;tag=a1\r\n` +
    `To: <sip:bob@example.com>\r\n` +
    `Call-ID: ${callId}\r\n` +
    `CSeq: ${cseq} ${method}\r\n` +
    `Max-Forwards: 70\r\n` +
    extra +
    `Content-Length: 0\r\n\r\n`
  );
}

export function sipResponse(status: number, reason: string, method: string, callId: string, cseq = 1): string {
  return (
    `SIP/2.0 ${status} ${reason}\r\n` +
    `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}-${cseq}\r\n` +
    `From: <sip:alice@example.com>;tag=a1\r\n` +
    `To: <sip:bob@example.com>;tag=b2\r\n` +
    `Call-ID: ${callId}\r\n` +
    `CSeq: ${cseq} ${method}\r\n` +
    `Content-Length: 0\r\n\r\n`
  );
}

/**
 * An RTP packet (version 2, PT 0) of the usual G.711 20 ms size; the timestamp advances by
 * `timestampStep` per sequence number (the samples each packet stands for; 160 = 20 ms at 8 kHz).
 */
export function rtp(seq: number, payloadBytes = 160, timestampStep = 160): Buffer {
  const b = Buffer.alloc(12 + payloadBytes, 0xd5);
  b[0] = 0x80;
  b[1] = 0;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE((seq * timestampStep) >>> 0, 4);
  b.writeUInt32BE(0x12345678, 8);
  return b;
}
