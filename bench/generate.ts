/**
 * Writes the benchmark's captures with the project's own writer: a simulated SIP trunk between a
 * carrier SBC and a PBX, with phones registering to the PBX.
 *
 * - Calls arrive at random (Poisson) and follow full RFC 3261 flows with realistic headers and SDP:
 *   answered (INVITE/100/180/200/ACK, then BYE/200 from either side), busy (486 + ACK), cancelled
 *   (CANCEL/200, 487 + ACK), not found (404 + ACK); a few INVITEs are retransmitted before the 100.
 * - Phones REGISTER through a 401 digest challenge; both ends of the trunk send OPTIONS pings.
 * - With media (the RTP-heavy capture), every answered call carries G.711 RTP both ways (20 ms,
 *   214-byte frames, one RTP stream per direction on its own ports) and RTCP every 5 s.
 *
 * Everything is decided by a seeded PRNG, so a size always gives the same file. Events are kept in a
 * time-ordered heap and written in order; records are written straight into a reused buffer, so any
 * size is cheap to make (about 1 GB per 10-20 s). Generation stops starting new calls when the bytes
 * written plus those already scheduled reach the target, then lets every call finish.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

// ---------------------------------------------------------------------------------------------
// Capture writers (pcap µs and pcapng with one Ethernet interface)

interface CaptureSink {
  frame(us: number, data: Uint8Array, length: number): void;
  close(): void;
  readonly bytes: number;
}

class FileSink {
  private readonly fd: number;
  protected readonly chunk = Buffer.alloc(8 * 1024 * 1024);
  protected used = 0;
  private flushed = 0;
  /** Bytes written so far (flushed or not). */
  get bytes(): number {
    return this.flushed + this.used;
  }
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  protected room(n: number): void {
    if (this.used + n > this.chunk.length) this.flush();
  }
  private flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.chunk, off, this.used - off);
    this.flushed += this.used;
    this.used = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Epoch of the first frame: 2026-11-24 09:00:00 UTC. */
const EPOCH_SEC = 1795510800;

class PcapSink extends FileSink implements CaptureSink {
  constructor(path: string) {
    super(path);
    const c = this.chunk;
    c.writeUInt32LE(0xa1b2c3d4, 0);
    c.writeUInt16LE(2, 4);
    c.writeUInt16LE(4, 6);
    c.writeUInt32LE(262144, 16);
    c.writeUInt32LE(1, 20); // Ethernet
    this.used = 24;
  }
  frame(us: number, data: Uint8Array, length: number): void {
    this.room(16 + length);
    const c = this.chunk;
    const u = this.used;
    c.writeUInt32LE(EPOCH_SEC + Math.floor(us / 1e6), u);
    c.writeUInt32LE(us % 1e6, u + 4);
    c.writeUInt32LE(length, u + 8);
    c.writeUInt32LE(length, u + 12);
    c.set(length === data.length ? data : data.subarray(0, length), u + 16);
    this.used = u + 16 + length;
  }
}

class PcapngSink extends FileSink implements CaptureSink {
  constructor(path: string) {
    super(path);
    const c = this.chunk;
    // Section Header Block (28 bytes): magic, version 1.0, section length unknown.
    c.writeUInt32LE(0x0a0d0d0a, 0);
    c.writeUInt32LE(28, 4);
    c.writeUInt32LE(0x1a2b3c4d, 8);
    c.writeUInt16LE(1, 12);
    c.writeUInt16LE(0, 14);
    c.writeInt32LE(-1, 16);
    c.writeInt32LE(-1, 20);
    c.writeUInt32LE(28, 24);
    // Interface Description Block (20 bytes): Ethernet, snaplen 262144, µs timestamps (no options).
    c.writeUInt32LE(1, 28);
    c.writeUInt32LE(20, 32);
    c.writeUInt16LE(1, 36);
    c.writeUInt16LE(0, 38);
    c.writeUInt32LE(262144, 40);
    c.writeUInt32LE(20, 44);
    this.used = 48;
  }
  frame(us: number, data: Uint8Array, length: number): void {
    const padded = (length + 3) & ~3;
    const total = 32 + padded;
    this.room(total);
    const c = this.chunk;
    const u = this.used;
    const ts = EPOCH_SEC * 1e6 + us;
    c.writeUInt32LE(6, u); // Enhanced Packet Block
    c.writeUInt32LE(total, u + 4);
    c.writeUInt32LE(0, u + 8);
    c.writeUInt32LE(Math.floor(ts / 2 ** 32), u + 12);
    c.writeUInt32LE(ts % 2 ** 32, u + 16);
    c.writeUInt32LE(length, u + 20);
    c.writeUInt32LE(length, u + 24);
    c.set(length === data.length ? data : data.subarray(0, length), u + 28);
    c.fill(0, u + 28 + length, u + 28 + padded);
    c.writeUInt32LE(total, u + 28 + padded);
    this.used = u + total;
  }
}

// ---------------------------------------------------------------------------------------------
// Frames: Ethernet + IPv4 + UDP around a payload

function ipBytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

let ipId = 0;

/** Writes Ethernet + IPv4 + UDP headers for `payloadLength` bytes into `out` at 0; returns the header length (42). */
function udpHeaders(out: Buffer, src: string, srcPort: number, dst: string, dstPort: number, payloadLength: number): number {
  out.writeUInt32BE(0x0200000b, 0); // dst MAC 02:00:00:0b:..
  out.writeUInt16BE(0x0b0b, 4);
  out.writeUInt32BE(0x0200000a, 6); // src MAC
  out.writeUInt16BE(0x0a0a, 10);
  out.writeUInt16BE(0x0800, 12);
  const ip = 14;
  out[ip] = 0x45;
  out[ip + 1] = 0xb8; // DSCP EF
  out.writeUInt16BE(20 + 8 + payloadLength, ip + 2);
  out.writeUInt16BE(ipId++ & 0xffff, ip + 4);
  out.writeUInt16BE(0x4000, ip + 6); // DF
  out[ip + 8] = 64;
  out[ip + 9] = 17;
  out.writeUInt16BE(0, ip + 10);
  const s = ipBytes(src);
  const d = ipBytes(dst);
  for (let k = 0; k < 4; k++) {
    out[ip + 12 + k] = s[k]!;
    out[ip + 16 + k] = d[k]!;
  }
  let sum = 0;
  for (let k = 0; k < 20; k += 2) sum += out.readUInt16BE(ip + k);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  out.writeUInt16BE(~sum & 0xffff, ip + 10);
  const u = ip + 20;
  out.writeUInt16BE(srcPort, u);
  out.writeUInt16BE(dstPort, u + 2);
  out.writeUInt16BE(8 + payloadLength, u + 4);
  out.writeUInt16BE(0, u + 6); // no checksum (allowed over IPv4)
  return 42;
}

function udpFrame(src: string, srcPort: number, dst: string, dstPort: number, payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const out = Buffer.allocUnsafe(42 + body.length);
  udpHeaders(out, src, srcPort, dst, dstPort, body.length);
  body.copy(out, 42);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Randomness (seeded) and identifiers

class Rng {
  constructor(private s: number) {}
  /** mulberry32: uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  hex(): string {
    return Math.floor(this.next() * 4294967296)
      .toString(16)
      .padStart(8, '0');
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }
  /** Exponential with mean `mean`. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

// ---------------------------------------------------------------------------------------------
// The trunk

interface Party {
  readonly ip: string;
  readonly domain: string;
  readonly ua: string;
  readonly mediaIp: string;
}

const SBC: Party = { ip: '203.0.113.10', domain: 'carrier.example.net', ua: 'CarrierSBC/5.2.1', mediaIp: '203.0.113.11' };
const PBX: Party = { ip: '198.51.100.20', domain: 'pbx.example.com', ua: 'Asterisk PBX 20.5.0', mediaIp: '198.51.100.21' };
const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO, REFER, NOTIFY';
const PHONE_UA = ['Yealink SIP-T46S 66.86.0.15', 'Polycom/6.4.3.5018 PolycomVVX-VVX_450-UA/6.4.3.5018', 'Grandstream GXP2170 1.0.11.23', 'Cisco/SPA525G-7.6.2c'];

interface Call {
  readonly a: Party; // caller
  readonly b: Party; // callee
  readonly fromNum: string;
  readonly toNum: string;
  readonly fromTag: string;
  readonly toTag: string;
  readonly callId: string;
  readonly cseq: number;
  readonly aPort: number; // RTP port at the caller's media address
  readonly bPort: number;
  readonly sid: string;
}

function sdp(p: Party, port: number, sid: string, answer: boolean): string {
  return (
    `v=0\r\no=${answer ? 'asterisk' : 'sbc'} ${sid} ${sid} IN IP4 ${p.mediaIp}\r\ns=${answer ? 'Asterisk' : 'SBC Call'}\r\nc=IN IP4 ${p.mediaIp}\r\nt=0 0\r\n` +
    `m=audio ${port} RTP/AVP ${answer ? '8 101' : '8 0 101'}\r\na=rtpmap:8 PCMA/8000\r\n${answer ? '' : 'a=rtpmap:0 PCMU/8000\r\n'}` +
    `a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=maxptime:150\r\na=sendrecv\r\n`
  );
}

function body(contentType: string | null, text: string): string {
  const len = Buffer.byteLength(text);
  return (contentType === null ? '' : `Content-Type: ${contentType}\r\n`) + `Content-Length: ${len}\r\n\r\n${text}`;
}

function viaA(c: Call, branch: string, received: boolean): string {
  return `Via: SIP/2.0/UDP ${c.a.ip}:5060;branch=${branch};${received ? `rport=5060;received=${c.a.ip}` : 'rport'}\r\n`;
}

function fromA(c: Call): string {
  return `From: "${c.fromNum}" <sip:${c.fromNum}@${c.a.domain}>;tag=${c.fromTag}\r\n`;
}

function toB(c: Call, tag: boolean): string {
  return `To: <sip:${c.toNum}@${c.b.domain}>${tag ? `;tag=${c.toTag}` : ''}\r\n`;
}

function invite(c: Call, branch: string): string {
  return (
    `INVITE sip:${c.toNum}@${c.b.ip}:5060 SIP/2.0\r\n` +
    viaA(c, branch, false) +
    `Max-Forwards: 70\r\n` +
    fromA(c) +
    toB(c, false) +
    `Call-ID: ${c.callId}\r\nCSeq: ${c.cseq} INVITE\r\n` +
    `Contact: <sip:${c.fromNum}@${c.a.ip}:5060>\r\n` +
    `Allow: ${ALLOW}\r\nSupported: replaces, timer\r\nSession-Expires: 1800;refresher=uac\r\nMin-SE: 90\r\n` +
    `P-Asserted-Identity: <sip:${c.fromNum}@${c.a.domain}>\r\nUser-Agent: ${c.a.ua}\r\n` +
    body('application/sdp', sdp(c.a, c.aPort, c.sid, false))
  );
}

/** A response to the INVITE (or CANCEL) sent by the callee. */
function response(c: Call, branch: string, code: number, reason: string, method: string, extra: string, sdpBody: boolean): string {
  const tag = code > 100;
  return (
    `SIP/2.0 ${code} ${reason}\r\n` +
    viaA(c, branch, true) +
    fromA(c) +
    toB(c, tag) +
    `Call-ID: ${c.callId}\r\nCSeq: ${c.cseq} ${method}\r\n` +
    (code > 100 && code < 300 && method === 'INVITE' ? `Contact: <sip:${c.toNum}@${c.b.ip}:5060>\r\n` : '') +
    extra +
    `Server: ${c.b.ua}\r\n` +
    (sdpBody ? body('application/sdp', sdp(c.b, c.bPort, c.sid, true)) : body(null, ''))
  );
}

function ack(c: Call, branch: string, twoHundred: boolean): string {
  return (
    `ACK sip:${c.toNum}@${c.b.ip}:5060 SIP/2.0\r\n` +
    viaA(c, branch, false) +
    `Max-Forwards: 70\r\n` +
    fromA(c) +
    toB(c, true) +
    `Call-ID: ${c.callId}\r\nCSeq: ${c.cseq} ACK\r\n` +
    (twoHundred ? `Contact: <sip:${c.fromNum}@${c.a.ip}:5060>\r\n` : '') +
    body(null, '')
  );
}

function cancel(c: Call, branch: string): string {
  return (
    `CANCEL sip:${c.toNum}@${c.b.ip}:5060 SIP/2.0\r\n` +
    viaA(c, branch, false) +
    `Max-Forwards: 70\r\n` +
    fromA(c) +
    toB(c, false) +
    `Call-ID: ${c.callId}\r\nCSeq: ${c.cseq} CANCEL\r\nReason: Q.850;cause=16;text="Normal call clearing"\r\n` +
    body(null, '')
  );
}

/** BYE and its 200, from the caller (fromCaller) or the callee. */
function bye(c: Call, branch: string, fromCaller: boolean): [string, string] {
  const src = fromCaller ? c.a : c.b;
  const dst = fromCaller ? c.b : c.a;
  const via = `Via: SIP/2.0/UDP ${src.ip}:5060;branch=${branch};rport`;
  const from = fromCaller ? fromA(c) : `From: <sip:${c.toNum}@${c.b.domain}>;tag=${c.toTag}\r\n`;
  const to = fromCaller ? `To: <sip:${c.toNum}@${c.b.domain}>;tag=${c.toTag}\r\n` : `To: "${c.fromNum}" <sip:${c.fromNum}@${c.a.domain}>;tag=${c.fromTag}\r\n`;
  const cseq = fromCaller ? `CSeq: ${c.cseq + 1} BYE\r\n` : `CSeq: 102 BYE\r\n`;
  const target = fromCaller ? `${c.toNum}@${c.b.ip}` : `${c.fromNum}@${c.a.ip}`;
  const request =
    `BYE sip:${target}:5060 SIP/2.0\r\n${via}\r\nMax-Forwards: 70\r\n${from}${to}Call-ID: ${c.callId}\r\n${cseq}` +
    `Reason: Q.850;cause=16;text="Normal call clearing"\r\nUser-Agent: ${src.ua}\r\n` +
    body(null, '');
  const ok = `SIP/2.0 200 OK\r\n${via};received=${src.ip}\r\n${from}${to}Call-ID: ${c.callId}\r\n${cseq}Server: ${dst.ua}\r\n` + body(null, '');
  return [request, ok];
}

// ---------------------------------------------------------------------------------------------
// Events

const KIND_FRAME = 0;
const KIND_ARRIVAL = 1;
const KIND_RTP = 2;
const KIND_OPTIONS = 3;
const KIND_REGISTER = 4;

interface MediaStream {
  readonly template: Buffer;
  readonly rtcp: Buffer;
  seq: number;
  ts: number;
  /** Time of the last packet (µs). */
  readonly end: number;
  nextRtcp: number;
}

interface Event {
  t: number;
  order: number;
  kind: number;
  frame: Buffer | null;
  sip: boolean;
  stream: MediaStream | null;
}

class Heap {
  private readonly a: Event[] = [];
  get size(): number {
    return this.a.length;
  }
  private less(x: Event, y: Event): boolean {
    return x.t < y.t || (x.t === y.t && x.order < y.order);
  }
  push(e: Event): void {
    const a = this.a;
    let i = a.length;
    a.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(e, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = e;
  }
  pop(): Event {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.less(a[r]!, a[l]!) ? r : l;
        if (!this.less(a[c]!, last)) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

export interface TrafficOptions {
  /** Calls per second (Poisson arrivals). */
  readonly cps: number;
  /** Talk time of answered calls, seconds (uniform). */
  readonly holdSeconds: readonly [number, number];
  /** RTP and RTCP for answered calls. */
  readonly media: boolean;
  /** Phones registering (each every `registerEvery` seconds on average) and OPTIONS pings (every 30 s each way). */
  readonly phones: number;
  readonly registerEvery: number;
  readonly seed: number;
}

export const RTP_HEAVY: TrafficOptions = { cps: 30, holdSeconds: [5, 25], media: true, phones: 200, registerEvery: 300, seed: 1 };
export const SIP_HEAVY: TrafficOptions = { cps: 25, holdSeconds: [5, 55], media: false, phones: 500, registerEvery: 300, seed: 2 };

export interface Generated {
  /** Bytes of the first file. */
  bytes: number;
  frames: number;
  sipMessages: number;
  rtpPackets: number;
  calls: number;
  outcomes: Record<string, number>;
  registrations: number;
  options: number;
  /** Capture time spanned, s. */
  seconds: number;
}

/** Bump when the traffic changes, so old files are made again. */
export const GENERATOR_VERSION = 2;

/**
 * Writes the same traffic to every path (`.pcapng` paths as pcapng, others as pcap) until about
 * `targetBytes` are in the first file.
 */
export function generateTraffic(paths: readonly string[], targetBytes: number, options: TrafficOptions): Generated {
  const sinks: CaptureSink[] = paths.map((p) => (p.endsWith('.pcapng') ? new PcapngSink(p) : new PcapSink(p)));
  const first = sinks[0]!;
  const rng = new Rng(options.seed);
  const heap = new Heap();
  let order = 0;
  /** pcap bytes of everything scheduled and not written yet. */
  let pending = 0;
  let arrivals = true;
  const g: Generated = { bytes: 0, frames: 0, sipMessages: 0, rtpPackets: 0, calls: 0, outcomes: {}, registrations: 0, options: 0, seconds: 0 };
  let nextMediaPort = 10000;
  const mediaPort = (): number => {
    const p = nextMediaPort;
    nextMediaPort = nextMediaPort >= 59990 ? 10000 : nextMediaPort + 2;
    return p;
  };

  const at = (t: number, kind: number, frame: Buffer | null = null, sip = false, stream: MediaStream | null = null): void => {
    heap.push({ t: Math.round(t), order: order++, kind, frame, sip, stream });
    if (frame !== null) pending += 16 + frame.length;
  };
  const send = (t: number, from: Party | string, to: Party | string, text: string): void => {
    const src = typeof from === 'string' ? from : from.ip;
    const dst = typeof to === 'string' ? to : to.ip;
    at(t, KIND_FRAME, udpFrame(src, 5060, dst, 5060, text), true);
  };
  const outcome = (name: string): void => {
    g.outcomes[name] = (g.outcomes[name] ?? 0) + 1;
  };

  /** One direction of RTP from `src` (port sp) to `dst` (port dp), from t0 to t1 (µs). */
  const startMedia = (t0: number, t1: number, src: string, sp: number, dst: string, dp: number): void => {
    const template = Buffer.allocUnsafe(42 + 172);
    udpHeaders(template, src, sp, dst, dp, 172);
    template[42] = 0x80;
    template[43] = 8; // PCMA
    template.writeUInt32BE(Math.floor(rng.next() * 4294967296), 42 + 8); // SSRC
    for (let k = 42 + 12; k < template.length; k++) template[k] = 0xd5 ^ (k & 0x0f);
    // RTCP sender report (28 bytes) + SDES CNAME (16 bytes) to port + 1.
    const rtcpBody = Buffer.alloc(44);
    rtcpBody[0] = 0x80;
    rtcpBody[1] = 200;
    rtcpBody.writeUInt16BE(6, 2);
    template.copy(rtcpBody, 4, 42 + 8, 42 + 12);
    rtcpBody[28] = 0x81;
    rtcpBody[29] = 202;
    rtcpBody.writeUInt16BE(3, 30);
    template.copy(rtcpBody, 32, 42 + 8, 42 + 12);
    rtcpBody[36] = 1;
    rtcpBody[37] = 5;
    rtcpBody.write('bench', 38, 'latin1');
    const rtcp = Buffer.allocUnsafe(42 + 44);
    udpHeaders(rtcp, src, sp + 1, dst, dp + 1, 44);
    rtcpBody.copy(rtcp, 42);
    const stream: MediaStream = { template, rtcp, seq: rng.int(0, 65535), ts: Math.floor(rng.next() * 4294967296), end: t1, nextRtcp: t0 + 5e6 };
    const packets = Math.floor((t1 - t0) / 20000) + 1;
    pending += packets * (16 + template.length) + Math.floor((t1 - t0) / 5e6) * (16 + rtcp.length);
    at(t0, KIND_RTP, null, false, stream);
  };

  const newCall = (t: number): void => {
    g.calls++;
    const inbound = rng.next() < 0.6;
    const a = inbound ? SBC : PBX;
    const b = inbound ? PBX : SBC;
    const c: Call = {
      a,
      b,
      fromNum: inbound ? `+4930${rng.digits(8)}` : `+4940555${rng.digits(4)}`,
      toNum: inbound ? `+4940555${rng.digits(4)}` : `+49${rng.int(151, 179)}${rng.digits(8)}`,
      fromTag: rng.hex() + rng.hex().slice(0, 4),
      toTag: `as${rng.hex()}`,
      callId: `${rng.hex()}${rng.hex()}-${rng.hex()}@${a.ip}`,
      cseq: rng.int(1, 30000),
      aPort: mediaPort(),
      bPort: mediaPort(),
      sid: String(rng.int(100000, 999999999)),
    };
    const branch = `z9hG4bK${rng.hex()}${rng.hex()}`;
    const ms = 1000;
    let now = t;
    send(now, a, b, invite(c, branch));
    if (rng.next() < 0.01) {
      // The first 100 Trying is late: the INVITE goes again at T1.
      now += 500 * ms;
      send(now, a, b, invite(c, branch));
    }
    now += rng.int(2, 25) * ms;
    send(now, b, a, response(c, branch, 100, 'Trying', 'INVITE', '', false));
    const u = rng.next();
    if (u < 0.08) {
      now += rng.int(20, 400) * ms;
      send(now, b, a, response(c, branch, 486, 'Busy Here', 'INVITE', 'Reason: Q.850;cause=17;text="User busy"\r\n', false));
      send(now + rng.int(1, 10) * ms, a, b, ack(c, branch, false));
      outcome('busy (486)');
      return;
    }
    if (u < 0.12) {
      now += rng.int(20, 200) * ms;
      send(now, b, a, response(c, branch, 404, 'Not Found', 'INVITE', '', false));
      send(now + rng.int(1, 10) * ms, a, b, ack(c, branch, false));
      outcome('not found (404)');
      return;
    }
    now += rng.int(50, 400) * ms;
    send(now, b, a, response(c, branch, 180, 'Ringing', 'INVITE', `Allow: ${ALLOW}\r\n`, false));
    const ring = rng.int(1000, 9000) * ms;
    if (u < 0.2) {
      // The caller gives up while it rings.
      now += ring + 5000 * ms;
      send(now, a, b, cancel(c, branch));
      now += rng.int(2, 20) * ms;
      send(now, b, a, response(c, branch, 200, 'OK', 'CANCEL', '', false));
      now += rng.int(1, 5) * ms;
      send(now, b, a, response(c, branch, 487, 'Request Terminated', 'INVITE', '', false));
      send(now + rng.int(1, 10) * ms, a, b, ack(c, branch, false));
      outcome('cancelled (487)');
      return;
    }
    now += ring;
    send(now, b, a, response(c, branch, 200, 'OK', 'INVITE', `Allow: ${ALLOW}\r\nSupported: replaces, timer\r\nRequire: timer\r\nSession-Expires: 1800;refresher=uac\r\n`, true));
    const answered = now;
    now += rng.int(5, 40) * ms;
    send(now, a, b, ack(c, `z9hG4bK${rng.hex()}${rng.hex()}`, true));
    const hold = Math.round((options.holdSeconds[0] + rng.next() * (options.holdSeconds[1] - options.holdSeconds[0])) * 1e6);
    const end = answered + hold;
    if (options.media) {
      startMedia(answered + rng.int(0, 19999), end, c.b.mediaIp, c.bPort, c.a.mediaIp, c.aPort);
      startMedia(now + rng.int(0, 19999), end, c.a.mediaIp, c.aPort, c.b.mediaIp, c.bPort);
    }
    const fromCaller = rng.next() < 0.55;
    const [request, ok] = bye(c, `z9hG4bK${rng.hex()}${rng.hex()}`, fromCaller);
    send(end + 20 * ms, fromCaller ? a : b, fromCaller ? b : a, request);
    send(end + 20 * ms + rng.int(2, 30) * ms, fromCaller ? b : a, fromCaller ? a : b, ok);
    outcome('answered');
  };

  const options2 = (t: number, from: Party, to: Party): void => {
    g.options++;
    const branch = `z9hG4bK${rng.hex()}${rng.hex()}`;
    const tag = rng.hex();
    const callId = `${rng.hex()}${rng.hex()}@${from.ip}`;
    const common = `From: <sip:ping@${from.domain}>;tag=${tag}\r\nTo: <sip:${to.domain}>\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\n`;
    send(t, from, to, `OPTIONS sip:${to.ip}:5060 SIP/2.0\r\nVia: SIP/2.0/UDP ${from.ip}:5060;branch=${branch};rport\r\nMax-Forwards: 70\r\n${common}Accept: application/sdp\r\nUser-Agent: ${from.ua}\r\n${body(null, '')}`);
    send(
      t + rng.int(1, 15) * 1000,
      to,
      from,
      `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP ${from.ip}:5060;branch=${branch};rport=5060;received=${from.ip}\r\n${common.replace(`<sip:${to.domain}>`, `<sip:${to.domain}>;tag=${rng.hex()}`)}` +
        `Allow: ${ALLOW}\r\nAccept: application/sdp\r\nSupported: replaces, timer\r\nServer: ${to.ua}\r\n${body(null, '')}`,
    );
  };

  const phoneCallIds: string[] = [];
  const phoneCseq: number[] = [];
  const register = (t: number): void => {
    g.registrations++;
    const i = rng.int(0, options.phones - 1);
    const ip = `10.20.${(i >> 8) + 1}.${(i & 255) + 1}`;
    const ext = String(1000 + i);
    const callId = (phoneCallIds[i] ??= `${rng.hex()}-${rng.hex()}@${ip}`);
    const seq = (phoneCseq[i] = (phoneCseq[i] ?? 0) + 2);
    const ua = PHONE_UA[i % PHONE_UA.length]!;
    const tag = rng.hex();
    const nonce = `${rng.hex()}${rng.hex()}${rng.hex()}`;
    const realm = PBX.domain;
    const req = (cseq: number, branch: string, auth: string): string =>
      `REGISTER sip:${realm} SIP/2.0\r\nVia: SIP/2.0/UDP ${ip}:5060;branch=${branch};rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:${ext}@${realm}>;tag=${tag}\r\nTo: <sip:${ext}@${realm}>\r\nCall-ID: ${callId}\r\nCSeq: ${cseq} REGISTER\r\n` +
      `Contact: <sip:${ext}@${ip}:5060>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-${ip.replace(/\./g, '').padStart(12, '0')}>"\r\n` +
      auth +
      `Expires: 3600\r\nAllow: ${ALLOW}\r\nUser-Agent: ${ua}\r\n${body(null, '')}`;
    const res = (cseq: number, branch: string, status: string, extra: string): string =>
      `SIP/2.0 ${status}\r\nVia: SIP/2.0/UDP ${ip}:5060;branch=${branch};rport=5060;received=${ip}\r\n` +
      `From: <sip:${ext}@${realm}>;tag=${tag}\r\nTo: <sip:${ext}@${realm}>;tag=${rng.hex()}\r\nCall-ID: ${callId}\r\nCSeq: ${cseq} REGISTER\r\n` +
      extra +
      `Server: ${PBX.ua}\r\n${body(null, '')}`;
    const b1 = `z9hG4bK${rng.hex()}${rng.hex()}`;
    const b2 = `z9hG4bK${rng.hex()}${rng.hex()}`;
    let now = t;
    send(now, ip, PBX, req(seq - 1, b1, ''));
    now += rng.int(1, 10) * 1000;
    send(now, PBX, ip, res(seq - 1, b1, '401 Unauthorized', `WWW-Authenticate: Digest realm="${realm}",nonce="${nonce}",algorithm=MD5,qop="auth"\r\n`));
    now += rng.int(5, 50) * 1000;
    const auth =
      `Authorization: Digest username="${ext}",realm="${realm}",nonce="${nonce}",uri="sip:${realm}",` +
      `response="${rng.hex()}${rng.hex()}${rng.hex()}${rng.hex()}",algorithm=MD5,cnonce="${rng.hex()}",qop=auth,nc=00000001\r\n`;
    send(now, ip, PBX, req(seq, b2, auth));
    now += rng.int(1, 10) * 1000;
    send(now, PBX, ip, res(seq, b2, '200 OK', `Contact: <sip:${ext}@${ip}:5060>;expires=3600\r\nDate: Tue, 24 Nov 2026 09:00:00 GMT\r\n`));
  };

  at(0, KIND_ARRIVAL);
  at(1e6, KIND_OPTIONS);
  at(rng.exp(options.registerEvery / options.phones) * 1e6, KIND_REGISTER);
  let lastT = 0;
  let optionsSide = 0;
  while (heap.size > 0) {
    const e = heap.pop();
    const t = e.t;
    lastT = t;
    if (arrivals && first.bytes + pending >= targetBytes) arrivals = false;
    switch (e.kind) {
      case KIND_FRAME: {
        const f = e.frame!;
        for (const s of sinks) s.frame(t, f, f.length);
        pending -= 16 + f.length;
        g.frames++;
        if (e.sip) g.sipMessages++;
        break;
      }
      case KIND_RTP: {
        const m = e.stream!;
        const f = m.template;
        f.writeUInt16BE(m.seq, 42 + 2);
        f.writeUInt32BE(m.ts >>> 0, 42 + 4);
        f.writeUInt16BE(ipId++ & 0xffff, 14 + 4);
        for (const s of sinks) s.frame(t, f, f.length);
        pending -= 16 + f.length;
        g.frames++;
        g.rtpPackets++;
        m.seq = (m.seq + 1) & 0xffff;
        m.ts = (m.ts + 160) % 4294967296;
        if (t >= m.nextRtcp) {
          m.nextRtcp += 5e6;
          for (const s of sinks) s.frame(t + 1, m.rtcp, m.rtcp.length);
          pending -= 16 + m.rtcp.length;
          g.frames++;
        }
        if (t + 20000 <= m.end) {
          e.t = t + 20000;
          e.order = order++;
          heap.push(e);
        }
        break;
      }
      case KIND_ARRIVAL:
        if (!arrivals) break;
        newCall(t);
        at(t + rng.exp(1e6 / options.cps), KIND_ARRIVAL);
        break;
      case KIND_OPTIONS:
        if (!arrivals) break;
        options2(t, optionsSide ? PBX : SBC, optionsSide ? SBC : PBX);
        optionsSide ^= 1;
        at(t + 15e6, KIND_OPTIONS);
        break;
      case KIND_REGISTER:
        if (!arrivals) break;
        register(t);
        at(t + rng.exp((options.registerEvery / options.phones) * 1e6), KIND_REGISTER);
        break;
    }
  }
  for (const s of sinks) s.close();
  g.bytes = first.bytes;
  g.seconds = lastT / 1e6;
  return g;
}
