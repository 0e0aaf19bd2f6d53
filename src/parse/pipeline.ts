/**
 * The one file that wires the layers: input -> capture format -> frames -> link -> IP -> UDP -> SIP.
 * Frames are views into the reader's buffer; only bytes that form a SIP message are copied.
 */
import type { CaptureFormat, CapturedMessage, Endpoint, InputSummary, Timestamp, Transport } from '../types.js';
import { checkFile, fileChunks, fileStream, gunzip, inputName, otherFormat, peek, readFailureMessage, reportReadError, sniffFormat, streamChunks } from './capture/input.js';
import type { CaptureInfo, FrameView } from './capture/frame.js';
import { createCaptureReader } from './capture/reader.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import { decodeEtherTypeAt, decodeEthernetAt, decodeLink, ETHERTYPE_IPV4, ETHERTYPE_IPV6, type LinkResult } from './link/link.js';
import { Defragmenter } from './net/defrag.js';
import { u32be } from './capture/bytes.js';
import { decodeIp, formatIp, IPPROTO_ESP, IPPROTO_GRE, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, newIpResult, unsupportedProtocol, type IpResult } from './net/ip.js';
import { decodeGre, decodeVxlan, newTunnelResult, VXLAN_LINUX_PORT, VXLAN_PORT, type TunnelResult } from './net/tunnels.js';
import { findSipStart, isKeepAlive, sipStartAt } from './sip/detect.js';
import { knownStart, SipStreamFramer, type FramedMessage } from './sip/framing.js';
import { parseSipMessage } from './sip/parse.js';
import { sdpProblem } from './sip/sdp.js';
import { readTextLog } from './text/reader.js';
import type { SipParseResult } from './sip/types.js';
import { decodeHep, HEP_TYPE_SIP, HepStream, hepTypeName, isHep2, isHep3, type HepPacket } from './transport/hep.js';
import { SctpDecoder, type SctpMessageHandler } from './transport/sctp.js';
import type { Span, StreamConsumer } from './transport/stream.js';
import { decodeTcp, newTcpHeader, TCP_SYN, TcpReassembler, type TcpConnection, type TcpHeader } from './transport/tcp.js';
import { describeTlsFlow, isClientHello, isTlsHello, SIP_TLS_PORTS, tlsRecordAt, tlsServerName, TlsSummary, type TlsFlow } from './transport/tls.js';
import { decodeUdp, type UdpResult } from './transport/udp.js';
import { WebSocketSession, webSocketHandshake, WebSocketStream, type WebSocketMessage } from './transport/websocket.js';

/** An input: a path, or a named stream (stdin). */
export type InputSpec = string | { readonly name: string; readonly stream: AsyncIterable<unknown> };

export interface ReadOptions {
  /** Called for each SIP message in capture order, as soon as it is found. */
  readonly onMessage: (message: CapturedMessage) => void;
  /** Text logs that print times without a date: the date (YYYY-MM-DD) of the first message. */
  readonly date?: string;
  /** Told the bytes of the input read so far (after decompression), once per chunk: for a progress display. */
  readonly onBytes?: (bytes: number) => void;
  /** Stops reading (Ctrl-C): the input ends there, with an `input.interrupted` diagnostic, and what was read is analysed. */
  readonly signal?: AbortSignal;
  /** Awaited before each chunk after the first is decoded: lets a consumer hold the reader back (merge.ts). */
  readonly beforeChunk?: () => Promise<void> | undefined;
}

/**
 * The chunks of `source` until `signal` is aborted, even while a chunk is awaited (a live
 * capture on stdin may send nothing for a long time); `onStop` is told how many bytes came.
 */
async function* untilAborted(source: AsyncIterable<Uint8Array>, signal: AbortSignal, onStop: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  if (signal.aborted) {
    onStop(bytes);
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let stop = (): void => {};
  const stopped = new Promise<null>((resolve) => (stop = () => resolve(null)));
  signal.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), stopped]);
      if (next === null) {
        onStop(bytes);
        return;
      }
      if (next.done === true) return;
      bytes += next.value.length;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    // Lets go of the file or the stream; not awaited, as a read may still be pending.
    void iterator.return?.();
  }
}

/** The chunks of `source`, counting the bytes handed over. */
async function* counted(source: AsyncIterable<Uint8Array>, onBytes: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of source) {
    yield chunk;
    bytes += chunk.length;
    onBytes(bytes);
  }
}

/** The chunks of `source`, each one handed over only when `before` allows it. */
async function* held(source: AsyncIterable<Uint8Array>, before: () => Promise<void> | undefined): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    await before();
    yield chunk;
  }
}

/** Ports where a datagram that is not SIP deserves a diagnostic (IANA: sip 5060, sips 5061). */
const SIP_PORTS: ReadonlySet<number> = new Set([5060, 5061]);

/** UDP port of IPsec NAT traversal (RFC 3948): ESP packets, and IKE behind a zero marker. */
const NAT_T_PORT = 4500;

/** What a followed TCP connection carries (TcpConnection.kind). */
const STREAM_NONE = 0;
const STREAM_SIP = 1;
const STREAM_WEBSOCKET = 2;
const STREAM_HEP = 3;
const STREAM_TLS = 4;
/** Opened by a SYN to a SIP port; decided by the first bytes. */
const STREAM_UNDECIDED = 5;

/** Nested tunnels and reassembled datagrams followed inside one frame (outer IP-in-IP counts separately, in decodeIp). */
const MAX_NESTING = 6;
/** How often (capture seconds) expired fragments and streams are swept. */
const SWEEP_INTERVAL = 1;

function ownCopy(bytes: Uint8Array, start: number, end: number): Buffer {
  const copy = new Uint8Array(end - start);
  copy.set(bytes.subarray(start, end));
  return Buffer.from(copy.buffer, 0, copy.length);
}

const LINKTYPE_ETHERNET = 1;

/**
 * The bulk of a trunk capture, recognised in a few byte reads: an Ethernet frame holding one
 * whole, unfragmented IPv4 datagram (20-byte header, lengths consistent with the frame) whose
 * UDP payload starts with a byte of 0x80 or more (RTP and RTCP: never a SIP start line, HEP or a
 * keep-alive), between ports that are neither SIP nor VXLAN. For such a frame the full path
 * (decodeLink, decodeIp, decodeUdp, onDatagram) finds nothing to report and drops it; anything
 * else (VLAN tags, IP options, IPv6, fragments, cut or odd lengths, other protocols) is left to it.
 */
function isPlainMedia(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < 14 + 20 + 8 + 1 || b[start + 12] !== 0x08 || b[start + 13] !== 0x00) return false;
  const ip = start + 14;
  if (b[ip] !== 0x45 || b[ip + 9] !== IPPROTO_UDP || (b[ip + 6]! & 0x3f) !== 0 || b[ip + 7] !== 0) return false;
  const totalLength = (b[ip + 2]! << 8) | b[ip + 3]!;
  if (totalLength < 20 + 8 + 1 || ip + totalLength > end) return false;
  const udp = ip + 20;
  const udpLength = (b[udp + 4]! << 8) | b[udp + 5]!;
  if (udpLength < 8 + 1 || udpLength > totalLength - 20 || b[udp + 8]! < 0x80) return false;
  const srcPort = (b[udp]! << 8) | b[udp + 1]!;
  const dstPort = (b[udp + 2]! << 8) | b[udp + 3]!;
  return !SIP_PORTS.has(srcPort) && !SIP_PORTS.has(dstPort) && dstPort !== VXLAN_PORT && dstPort !== VXLAN_LINUX_PORT && srcPort !== NAT_T_PORT && dstPort !== NAT_T_PORT;
}

/** Slots of the decoder's endpoint cache (a power of two). */
const ENDPOINT_SLOTS = 4096;

/** Decodes frames down to SIP. One instance per input; scratch objects are reused for every frame. */
export class FrameDecoder {
  private readonly link: LinkResult = { etherType: 0, offset: 0 };
  private readonly ip: IpResult = newIpResult();
  private readonly udp: UdpResult = { srcPort: 0, dstPort: 0, payloadStart: 0, payloadEnd: 0 };
  private readonly tunnel: TunnelResult = newTunnelResult();
  private readonly tcpHeader: TcpHeader = newTcpHeader();
  private readonly defrag: Defragmenter;
  private readonly tcp: TcpReassembler;
  private readonly sctp: SctpDecoder;
  private readonly otherTls = new TlsSummary();
  /** While a reassembled datagram is decoded: every frame it came from (null for a plain frame). */
  private fragmentFrames: readonly number[] | null = null;
  private sweepAt = -Infinity;
  /**
   * IPv4 endpoints of the datagrams that carried SIP, direct-mapped by address and port: the
   * messages of one peer share one Endpoint object and one address string (no string built per
   * message). A slot holds the last endpoint that hashed to it.
   */
  private readonly endpointIps = new Int32Array(ENDPOINT_SLOTS);
  private readonly endpointPorts = new Int32Array(ENDPOINT_SLOTS).fill(-1);
  private readonly endpoints: (Endpoint | undefined)[] = new Array<Endpoint | undefined>(ENDPOINT_SLOTS).fill(undefined);
  sipMessages = 0;
  firstTime: Timestamp | null = null;
  /** Latest frame time (a capture whose clock steps back does not move it back). */
  lastSec = -Infinity;
  lastNsec = 0;

  constructor(
    private readonly file: string,
    private readonly diagnostics: DiagnosticSink,
    private readonly onMessage: (message: CapturedMessage) => void,
  ) {
    this.defrag = new Defragmenter(diagnostics);
    this.tcp = new TcpReassembler(diagnostics, { consumer: this.streamConsumer, closed: this.connectionClosed });
    this.sctp = new SctpDecoder(diagnostics);
  }

  readonly onFrame = (frame: FrameView): void => {
    const diagnostics = this.diagnostics;
    if (frame.sec > this.lastSec || (frame.sec === this.lastSec && frame.nsec > this.lastNsec)) {
      if (this.firstTime === null) this.firstTime = { sec: frame.sec, nsec: frame.nsec };
      this.lastSec = frame.sec;
      this.lastNsec = frame.nsec;
      if (frame.sec >= this.sweepAt) this.sweep();
    } else if (frame.sec < this.lastSec || (frame.sec === this.lastSec && frame.nsec < this.lastNsec)) {
      // Simple Packet Blocks carry no time (0): not a step back of the clock.
      if (frame.sec !== 0 || frame.nsec !== 0) {
        diagnostics.count('capture.time-backwards', '', () => `frames stamped earlier than a frame before them (the capture clock stepped back, or captures were merged out of order); first: frame ${frame.number}`, {
          frame: frame.number,
          offset: frame.fileOffset,
        });
      }
    }
    if (frame.linkType === LINKTYPE_ETHERNET && isPlainMedia(frame.data, frame.start, frame.end)) return;
    if (!decodeLink(frame, this.link, diagnostics)) return;
    this.decodeNetwork(frame, this.link.etherType, this.link.offset, frame.end, 0);
  };

  /** What the decoder holds now (for tests of its bounds). */
  held(): { tcpConnections: number; tcpBytes: number; fragmentDatagrams: number; fragmentBytes: number } {
    return { tcpConnections: this.tcp.connections, tcpBytes: this.tcp.budget.used, fragmentDatagrams: this.defrag.pendingDatagrams, fragmentBytes: this.defrag.bufferedBytes };
  }

  /** End of input: whatever still waits for more data is reported. */
  finish(): void {
    this.defrag.finish();
    this.tcp.finish();
    this.sctp.finish();
    this.otherTls.report(this.diagnostics);
  }

  /** Expiry by capture time (never the wall clock). */
  private sweep(): void {
    this.sweepAt = this.lastSec + SWEEP_INTERVAL;
    if (this.defrag.pendingDatagrams > 0) this.defrag.expire(this.lastSec);
    if (this.tcp.connections > 0) this.tcp.sweep(this.lastSec);
    if (this.sctp.pendingMessages > 0) this.sctp.expire(this.lastSec);
  }

  /** IP at `offset` (up to `end`), then whatever it carries; `depth` counts tunnels and reassemblies. */
  private decodeNetwork(frame: FrameView, etherType: number, offset: number, end: number, depth: number): void {
    const ip = this.ip;
    const diagnostics = this.diagnostics;
    if (!decodeIp(frame, etherType, offset, ip, diagnostics, end)) return;
    if (ip.fragment) {
      this.onFragment(frame, depth);
      return;
    }
    const protocol = ip.protocol;
    if (protocol === IPPROTO_UDP) {
      if (decodeUdp(frame, ip, this.udp, diagnostics)) this.onDatagram(frame, depth);
    } else if (protocol === IPPROTO_TCP) {
      this.onTcpSegment(frame);
    } else if (protocol === IPPROTO_GRE) {
      if (this.tooDeep(frame, ip.payloadStart, depth)) return;
      if (decodeGre(frame, ip.payloadStart, ip.payloadEnd, this.tunnel, diagnostics)) this.decodeTunnel(frame, depth + 1);
    } else if (protocol === IPPROTO_SCTP) {
      this.sctp.packet(frame, ip, this.fragmentFrames, this.onSctpMessage);
    } else if (protocol === IPPROTO_ESP) {
      this.onEsp(frame, ip.payloadStart, ip.payloadEnd);
    } else {
      unsupportedProtocol(frame, ip, diagnostics);
    }
  }

  private tooDeep(frame: FrameView, offset: number, depth: number): boolean {
    if (depth < MAX_NESTING) return false;
    this.diagnostics.report('ip.tunnel-too-deep', `frame ${frame.number} nests more than ${MAX_NESTING} tunnels or reassembled datagrams`, { frame: frame.number, offset: frame.fileOffset + offset - frame.start });
    return true;
  }

  /** The packet a tunnel header (this.tunnel) points at. */
  private decodeTunnel(frame: FrameView, depth: number): void {
    const t = this.tunnel;
    const link = this.link;
    const ok = t.ethernet
      ? decodeEthernetAt(frame, t.offset, t.end, link, this.diagnostics)
      : decodeEtherTypeAt(frame, t.etherType, t.offset, t.end, link, this.diagnostics);
    if (ok) this.decodeNetwork(frame, link.etherType, link.offset, t.end, depth);
  }

  /** A fragment: copied into the defragmenter; the whole datagram is decoded when it completes. */
  private onFragment(frame: FrameView, depth: number): void {
    const whole = this.defrag.add(frame, this.ip, this.fragmentFrames);
    if (whole === null || this.tooDeep(frame, this.ip.headerStart, depth)) return;
    const headerLength = whole.version === 4 ? 20 : 40;
    // A view over the reassembled packet, numbered and timed as the frame that completed it. Offsets into it map
    // onto the input exactly within the first fragment's payload (later bytes lie in other frames).
    const view: FrameView = {
      number: frame.number,
      sec: frame.sec,
      nsec: frame.nsec,
      linkType: frame.linkType,
      interfaceId: frame.interfaceId,
      data: whole.packet,
      start: 0,
      end: whole.packet.length,
      origLen: whole.packet.length,
      fileOffset: whole.payloadOffset - headerLength,
    };
    const outer = this.fragmentFrames;
    this.fragmentFrames = whole.frames;
    try {
      this.decodeNetwork(view, whole.version === 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, 0, view.end, depth + 1);
    } finally {
      this.fragmentFrames = outer;
    }
  }

  private onDatagram(frame: FrameView, depth: number): void {
    const b = frame.data;
    const { srcPort, dstPort, payloadStart, payloadEnd } = this.udp;
    if (payloadStart >= payloadEnd) return;
    // Fast path: RTP and most other UDP fail on the first byte.
    if (sipStartAt(b, payloadStart, payloadEnd)) {
      this.emit(frame, payloadStart, payloadEnd, srcPort, dstPort, 'UDP');
      return;
    }
    // RFC 3948 §2.2: on the NAT-T port, a non-zero first word is an ESP SPI; zero marks IKE, a lone 0xFF a keep-alive.
    if ((srcPort === NAT_T_PORT || dstPort === NAT_T_PORT) && payloadEnd - payloadStart >= 8) {
      if (u32be(b, payloadStart) !== 0) this.onEsp(frame, payloadStart, payloadEnd);
      return;
    }
    // RTP and RTCP (version 2: 0x80-0xBF) cannot be HEP; on other than SIP and VXLAN ports nothing more to see.
    const c0 = b[payloadStart]!;
    if (c0 >= 0x80 && !SIP_PORTS.has(srcPort) && !SIP_PORTS.has(dstPort) && dstPort !== VXLAN_PORT && dstPort !== VXLAN_LINUX_PORT) return;
    this.onOtherDatagram(frame, depth, c0);
  }

  /**
   * An ESP packet (RFC 4303), on its own or in UDP (RFC 3948): encrypted, so the SIP or media it
   * carries is not in the analysis. IMS phones protect SIP to their P-CSCF this way (3GPP TS
   * 33.203; VoWiFi through an ePDG too): a call there shows only what travels in clear, and its
   * requests seem to be missing. Said once per pair of hosts, with the first SPI.
   */
  private onEsp(frame: FrameView, start: number, end: number): void {
    const ip = this.ip;
    const b = frame.data;
    const src = formatIp(b, ip.srcOffset, ip.version);
    const dst = formatIp(b, ip.dstOffset, ip.version);
    const spi = end - start >= 4 ? `0x${u32be(b, start).toString(16).padStart(8, '0')}` : 'unknown';
    this.diagnostics.count(
      'ipsec.encrypted',
      src < dst ? `${src} ${dst}` : `${dst} ${src}`,
      () => `ESP (IPsec) packets between ${src} and ${dst} are encrypted (SPI ${spi}, first: frame ${frame.number}); the SIP or media inside them is not in this analysis, so requests may seem missing and responses unanswered`,
      { frame: frame.number, offset: frame.fileOffset + start - frame.start },
    );
  }

  /** A UDP payload that is not a SIP message: HEP (any port), VXLAN, or something on a SIP port. */
  private onOtherDatagram(frame: FrameView, depth: number, c0: number): void {
    const b = frame.data;
    const { srcPort, dstPort, payloadStart, payloadEnd } = this.udp;
    // HEP on any port: "HEP3", or a version 1/2 header whose fields agree.
    if ((c0 === 0x48 && isHep3(b, payloadStart, payloadEnd)) || ((c0 === 1 || c0 === 2) && isHep2(b, payloadStart, payloadEnd))) {
      this.onHepDatagram(frame, payloadStart, payloadEnd);
      return;
    }
    if (dstPort === VXLAN_PORT || dstPort === VXLAN_LINUX_PORT) {
      if (this.tooDeep(frame, payloadStart, depth)) return;
      if (decodeVxlan(frame, payloadStart, payloadEnd, this.tunnel, this.diagnostics)) this.decodeTunnel(frame, depth + 1);
      return;
    }
    if (!SIP_PORTS.has(srcPort) && !SIP_PORTS.has(dstPort)) return;
    const location = { frame: frame.number, offset: frame.fileOffset + payloadStart - frame.start };
    if (isKeepAlive(b, payloadStart, payloadEnd)) {
      this.diagnostics.count('sip.keepalive', 'udp', () => `keep-alive datagrams on SIP ports (first: frame ${frame.number})`, location);
      return;
    }
    const start = findSipStart(b, payloadStart, payloadEnd);
    if (start > payloadStart) {
      this.diagnostics.report('sip.junk-before-message', `frame ${frame.number}: ${start - payloadStart} bytes that are not SIP precede the start line`, location);
      this.emit(frame, start, payloadEnd, srcPort, dstPort, 'UDP');
      return;
    }
    this.diagnostics.count('sip.not-sip-on-sip-port', '', () => `datagrams on SIP ports that hold no SIP message (first: frame ${frame.number})`, location);
  }


  private onTcpSegment(frame: FrameView): void {
    const ip = this.ip;
    const tcp = this.tcpHeader;
    if (!decodeTcp(frame, ip, tcp, this.diagnostics)) return;
    const reassembler = this.tcp;
    let connection = reassembler.find(frame.data, ip, tcp);
    let dir = reassembler.dir;
    if (connection === null) {
      // Fast path: a segment of a connection nobody follows, and that does not look like one to follow.
      const kind = this.classifyTcp(frame.data, tcp);
      if (kind === STREAM_NONE) return;
      connection = reassembler.open(frame, ip, tcp, kind);
      dir = 0;
    }
    if (connection.kind === STREAM_UNDECIDED && tcp.payloadEnd > tcp.payloadStart) {
      const kind = this.classifyTcp(frame.data, tcp);
      connection.kind = kind === STREAM_NONE ? STREAM_SIP : kind;
      if (kind === STREAM_TLS) connection.app = this.tlsFlow(frame.data, tcp, dir);
    } else if (connection.kind === STREAM_TLS && connection.app === null) {
      connection.app = this.tlsFlow(frame.data, tcp, dir);
    }
    reassembler.segment(connection, dir, frame, ip, tcp, this.fragmentFrames, connection.kind === STREAM_TLS);
  }

  /** What a TCP segment of a connection not followed yet says about it (STREAM_NONE: not worth following). */
  private classifyTcp(b: Uint8Array, tcp: TcpHeader): number {
    const { payloadStart: s, payloadEnd: e, srcPort, dstPort } = tcp;
    const sipPort = SIP_PORTS.has(srcPort) || SIP_PORTS.has(dstPort);
    if (s >= e) return sipPort && (tcp.flags & TCP_SYN) !== 0 ? STREAM_UNDECIDED : STREAM_NONE;
    if (sipStartAt(b, s, e)) return STREAM_SIP;
    const c0 = b[s]!;
    if (c0 === 0x48 && isHep3(b, s, e)) return STREAM_HEP;
    if ((c0 === 0x47 || c0 === 0x48) && webSocketHandshake(b, s, e) !== null) return STREAM_WEBSOCKET;
    // TLS: a ClientHello or ServerHello on any port; any record on a SIP-over-TLS port (a connection seen from the middle).
    if (c0 >= 20 && c0 <= 23 && (isTlsHello(b, s, e) || ((SIP_TLS_PORTS.has(srcPort) || SIP_TLS_PORTS.has(dstPort)) && tlsRecordAt(b, s, e) !== 0))) return STREAM_TLS;
    // Anything else on a SIP port: a stream seen from the middle; framing finds the next start line.
    if (sipPort) return STREAM_SIP;
    return STREAM_NONE;
  }

  /** Which side of a TLS connection is the client, and the server name it asked for. */
  private tlsFlow(b: Uint8Array, tcp: TcpHeader, dir: 0 | 1): TlsFlow {
    const s = tcp.payloadStart;
    const e = tcp.payloadEnd;
    if (isTlsHello(b, s, e)) {
      const fromClient = isClientHello(b, s, e);
      return { clientIsA: fromClient === (dir === 0), serverName: tlsServerName(b, s, e) };
    }
    // Seen from the middle: the server is the side on the well-known (or lower) port.
    const serverIsDst = SIP_TLS_PORTS.has(tcp.dstPort) || (!SIP_TLS_PORTS.has(tcp.srcPort) && tcp.dstPort < tcp.srcPort);
    return { clientIsA: serverIsDst === (dir === 0), serverName: null };
  }

  /** A followed connection is forgotten: TLS connections are reported once, now that their size is known. */
  private readonly connectionClosed = (connection: TcpConnection): void => {
    if (connection.kind !== STREAM_TLS) return;
    const flow = (connection.app as TlsFlow | null) ?? { clientIsA: true, serverName: null };
    const a = connection.name(0).split(' → ');
    const [client, server] = flow.clientIsA ? [a[0]!, a[1]!] : [a[1]!, a[0]!];
    const sipPort = SIP_TLS_PORTS.has(connection.portA) || SIP_TLS_PORTS.has(connection.portB);
    if (sipPort) {
      this.diagnostics.report('tls.sip-flow', describeTlsFlow(client, server, flow.serverName, connection.packets, connection.bytes, connection.firstFrame), {
        frame: connection.firstFrame,
        offset: connection.firstOffset,
      });
    } else {
      // Other TLS (mostly HTTPS) is summed per server port and reported at the end, not one line per connection.
      this.otherTls.add(server, flow.serverName, connection.packets, connection.bytes, connection.firstFrame, connection.firstOffset);
    }
  };

  /** The consumer of one direction of a followed TCP connection, chosen by its first bytes. */
  private readonly streamConsumer = (connection: TcpConnection, dir: 0 | 1, b: Uint8Array, start: number, end: number): StreamConsumer => {
    const midstream = connection.dirs[dir].midstream;
    const name = `TCP ${connection.name(dir)}`;
    let handshake = webSocketHandshake(b, start, end);
    if (handshake !== null || connection.kind === STREAM_WEBSOCKET) {
      // Any HTTP response (a refused upgrade too) is read as the handshake; the stream reports nothing if it is not 101.
      if (handshake === null && end - start >= 5 && b[start] === 0x48 && b[start + 1] === 0x54 && b[start + 4] === 0x2f) handshake = 'response';
      connection.kind = STREAM_WEBSOCKET;
      const session = (connection.app as WebSocketSession | null) ?? (connection.app = new WebSocketSession());
      return new WebSocketStream((m) => this.onWebSocketMessage(m, connection, dir), this.diagnostics, `WebSocket ${connection.name(dir)}`, session, { handshake, budget: this.tcp.budget });
    }
    if (isHep3(b, start, end) || connection.kind === STREAM_HEP) {
      return new HepStream((p) => this.onHep(p.packet, p.span), this.diagnostics, `HEP over ${name}`, this.tcp.budget);
    }
    if (midstream && !(sipStartAt(b, start, end) && knownStart(b, start, end))) {
      this.diagnostics.count('tcp.midstream', '', () => `TCP streams seen from the middle (no SYN); bytes before the first SIP start line are skipped (first: ${name})`, {
        frame: connection.firstFrame,
        offset: connection.firstOffset,
      });
    }
    return new SipStreamFramer((m) => this.emitStream(m, connection, dir, 'TCP'), this.diagnostics, name, { resync: midstream, budget: this.tcp.budget });
  };

  private onWebSocketMessage(m: WebSocketMessage, connection: TcpConnection, dir: 0 | 1): void {
    const b = m.bytes;
    if (sipStartAt(b, 0, b.length)) {
      this.emitStream(m, connection, dir, 'WS');
    } else if (isKeepAlive(b, 0, b.length)) {
      this.diagnostics.count('sip.keepalive', 'ws', () => `keep-alives (CRLF) in WebSocket messages (first: frame ${m.frame})`, { frame: m.frame, offset: m.offset });
    } else {
      this.diagnostics.count('ws.not-sip', '', () => `WebSocket messages that are not SIP were skipped (first: frame ${m.frame})`, { frame: m.frame, offset: m.offset });
    }
  }

  /** A HEP packet in a UDP datagram (any port). */
  private onHepDatagram(frame: FrameView, start: number, end: number): void {
    const b = frame.data;
    const packet = decodeHep(b, start, end);
    const at = frame.fileOffset + start - frame.start;
    if (typeof packet === 'string') {
      this.diagnostics.report('hep.bad-packet', `frame ${frame.number}: a HEP packet cannot be read: ${packet}`, { frame: frame.number, offset: at });
      return;
    }
    // Copy: the frame buffer is reused (an inflated payload is already a copy).
    const owned = packet.payloadAt >= 0 ? { ...packet, payload: packet.payload.slice() } : packet;
    const offset = packet.payloadAt >= 0 ? at + packet.payloadAt - start : at;
    this.onHep(owned, { frame: frame.number, frames: this.fragmentFrames ?? [frame.number], sec: frame.sec, nsec: frame.nsec, offset });
  }

  /**
   * A HEP packet (its payload owned): the SIP inside keeps the addresses, ports, transport and
   * time of the HEP header (the capture agent's view), not those of the packet that carried it.
   */
  private onHep(packet: HepPacket, at: Span): void {
    const b = packet.payload;
    if (packet.type !== HEP_TYPE_SIP || !sipStartAt(b, 0, b.length)) {
      const what = packet.type !== HEP_TYPE_SIP ? hepTypeName(packet.type) : 'SIP-typed payloads that are not SIP';
      this.diagnostics.count('hep.not-sip', String(packet.type), () => `HEP packets carrying ${what} were skipped (first: frame ${at.frame})`, { frame: at.frame, offset: at.offset });
      return;
    }
    const time: Span = packet.sec === null ? at : { ...at, sec: packet.sec, nsec: packet.nsec };
    const src: Endpoint = { ip: packet.srcIp, port: packet.srcPort };
    const dst: Endpoint = { ip: packet.dstIp, port: packet.dstPort };
    const transport: Transport = packet.protocol === IPPROTO_TCP ? 'TCP' : packet.protocol === IPPROTO_SCTP ? 'SCTP' : 'UDP';
    if (transport !== 'TCP') {
      this.emitOwned(b, true, time, src, dst, transport);
      return;
    }
    // A TCP payload may hold several messages: frame them by Content-Length.
    let p = 0;
    while (p < b.length && sipStartAt(b, p, b.length)) {
      const rest = p === 0 ? b : b.subarray(p);
      const consumed = this.emitOwned(rest, false, p === 0 ? time : { ...time, offset: time.offset + p }, src, dst, transport);
      if (consumed <= 0) break;
      p += consumed;
      while (p < b.length && (b[p] === 0x0d || b[p] === 0x0a)) p++;
    }
  }

  /** SCTP user messages (RFC 4168: one SIP message each); `data[start, end)` may be a view into the frame. */
  private readonly onSctpMessage: SctpMessageHandler = (frame, data, start, end, ppid, span, srcPort, dstPort) => {
    const ip = this.ip;
    if (!sipStartAt(data, start, end)) {
      this.diagnostics.count('sctp.not-sip', String(ppid), () => `SCTP user messages of payload protocol ${ppid} that are not SIP were skipped (first: frame ${span.frame})`, { frame: span.frame, offset: span.offset });
      return;
    }
    this.emitOwned(
      data.slice(start, end),
      true,
      span,
      { ip: formatIp(frame.data, ip.srcOffset, ip.version), port: srcPort },
      { ip: formatIp(frame.data, ip.dstOffset, ip.version), port: dstPort },
      'SCTP',
    );
  };

  /** A message framed from a stream of `connection` in direction `dir` (a WebSocket message is one SIP message, read as a datagram). */
  private emitStream(m: Span & { readonly bytes: Uint8Array }, connection: TcpConnection, dir: 0 | 1, transport: Transport): void {
    const a: Endpoint = { ip: connection.ipA, port: connection.portA };
    const b: Endpoint = { ip: connection.ipB, port: connection.portB };
    this.emitOwned(m.bytes, transport === 'WS', m, dir === 0 ? a : b, dir === 0 ? b : a, transport);
  }

  private emit(frame: FrameView, start: number, end: number, srcPort: number, dstPort: number, transport: Transport): void {
    const b = frame.data;
    const ip = this.ip;
    this.emitOwned(
      // Copy: the frame buffer is reused for the next read. Into a buffer of its own, not Buffer's
      // shared 8 KiB pool: a message kept while its call is open would keep a whole pool slab alive.
      ownCopy(b, start, end),
      true,
      { frame: frame.number, frames: this.fragmentFrames ?? [frame.number], sec: frame.sec, nsec: frame.nsec, offset: frame.fileOffset + start - frame.start },
      this.endpoint(b, ip.srcOffset, ip.version, srcPort),
      this.endpoint(b, ip.dstOffset, ip.version, dstPort),
      transport,
    );
  }

  /** The endpoint of the address at `offset` and `port`, shared with earlier messages when cached. */
  private endpoint(b: Uint8Array, offset: number, version: 4 | 6, port: number): Endpoint {
    if (version !== 4) return { ip: formatIp(b, offset, version), port };
    const address = (b[offset]! << 24) | (b[offset + 1]! << 16) | (b[offset + 2]! << 8) | b[offset + 3]!;
    const slot = (Math.imul(address ^ (port << 7), 0x9e3779b1) >>> 20) & (ENDPOINT_SLOTS - 1);
    const cached = this.endpoints[slot];
    if (cached !== undefined && this.endpointIps[slot] === address && this.endpointPorts[slot] === port) return cached;
    const endpoint: Endpoint = { ip: formatIp(b, offset, 4), port };
    this.endpointIps[slot] = address;
    this.endpointPorts[slot] = port;
    this.endpoints[slot] = endpoint;
    return endpoint;
  }

  /**
   * Parses bytes the decoder owns (never a view into the frame buffer) and hands the message
   * out. Returns the bytes the message took (stream mode), or 0 when it could not be parsed.
   */
  private emitOwned(bytes: Uint8Array, datagram: boolean, at: Span, src: Endpoint, dst: Endpoint, transport: Transport): number {
    let parsed: SipParseResult;
    try {
      parsed = parseSipMessage(bytes, { datagram });
    } catch (err) {
      // The parser is written never to throw; if it does, one message is lost, not the analysis.
      this.diagnostics.report('sip.parser-failure', `frame ${at.frame}: ${(err as Error).message}`, { frame: at.frame, offset: at.offset });
      return 0;
    }
    for (const d of parsed.diagnostics) {
      // Some senders break the same rule in every message (bare LF): the sentence is built only while it is kept.
      if (this.diagnostics.wants(d.code)) this.diagnostics.report(d.code, `frame ${at.frame}: ${d.message}`, { frame: at.frame, offset: at.offset + d.offset });
    }
    const sdp = sdpProblem(parsed.message.contentType, parsed.message.body);
    if (sdp !== null) this.diagnostics.report('sip.sdp-unparseable', `frame ${at.frame}: ${sdp}; the media rules see this message as having no SDP`, { frame: at.frame, offset: at.offset + parsed.message.bodyOffset });
    this.sipMessages++;
    this.onMessage({
      file: this.file,
      frame: at.frame,
      frames: at.frames,
      line: null,
      time: { sec: at.sec, nsec: at.nsec },
      src,
      dst,
      transport,
      offset: at.offset,
      message: parsed.message,
    });
    return parsed.consumed;
  }
}

function formatOf(info: CaptureInfo | null): CaptureFormat {
  return info === null ? 'unknown' : info.format;
}

/**
 * Reads one input to the end, calling onMessage for every SIP message. Never throws for
 * bad input: every problem becomes a diagnostic in the returned summary.
 */
export async function readInput(input: InputSpec, options: ReadOptions): Promise<InputSummary> {
  const path = typeof input === 'string' ? input : input.name;
  const diagnostics = new DiagnosticSink(path);
  const unreadable = (): InputSummary => ({
    path,
    format: 'unknown',
    readable: false,
    bytes: 0,
    frames: 0,
    sipMessages: 0,
    firstTime: null,
    lastTime: null,
    linkTypes: [],
    diagnostics: diagnostics.list(),
  });

  let source: AsyncIterable<Uint8Array>;
  if (typeof input === 'string') {
    const problem = await checkFile(path);
    if (problem !== null) {
      diagnostics.report(problem.code, problem.message);
      return unreadable();
    }
    source = fileChunks(path);
  } else {
    source = streamChunks(input.stream);
  }
  let interrupted = false;
  const interruptible = (chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> =>
    options.signal === undefined
      ? chunks
      : untilAborted(chunks, options.signal, (bytes) => {
          if (interrupted) return;
          interrupted = true;
          diagnostics.report('input.interrupted', `${inputName(path)}: reading stopped after ${bytes} bytes when interrupted (Ctrl-C); what was read before is analysed`, { offset: bytes });
        });
  source = interruptible(source);

  let head: Uint8Array;
  try {
    ({ head, all: source } = await peek(source, 16));
    let kind = sniffFormat(head);
    if (kind === 'gzip') {
      // zlib may hold on to chunks, so a compressed file is read through a stream with fresh buffers.
      source = gunzip(typeof input === 'string' ? interruptible(fileStream(path)) : source);
      ({ head, all: source } = await peek(source, 16));
      kind = sniffFormat(head);
    }
    if (options.beforeChunk !== undefined) source = held(source, options.beforeChunk);
    if (options.onBytes !== undefined) source = counted(source, options.onBytes);
    if (head.length === 0) {
      diagnostics.report(
        'input.empty',
        path === '-' && typeof input !== 'string'
          ? `${inputName(path)} ended before any byte arrived; pipe a capture or a log into it (e.g. tcpdump -U -w - port 5060 | siplens -)`
          : `${path} holds no bytes once decompressed; nothing to analyse — check that the right file was compressed`,
      );
      return unreadable();
    }
    if (kind === 'text') return await readTextLog(path, typeof input === 'string', source, diagnostics, options);
    if (kind !== 'pcap' && kind !== 'pcapng') {
      const magic = Buffer.from(head.subarray(0, 4)).toString('hex');
      const other = otherFormat(head);
      diagnostics.report(
        'input.unknown-format',
        other === null
          ? `${inputName(path)} is neither a pcap/pcapng capture nor a SIP text log (first bytes 0x${magic}); convert other capture formats with editcap -F pcapng (Wireshark), or give the log as plain text`
          : `${inputName(path)} is ${other.name}, which siplens does not read (first bytes 0x${magic}); ${other.advice}`,
        { offset: 0 },
      );
      return unreadable();
    }
    return await readCapture(path, kind, source, diagnostics, options);
  } catch (err) {
    // Opening failed (permissions), the gzip header is bad, or the first read failed: nothing was read.
    const code = (err as NodeJS.ErrnoException | null)?.code;
    diagnostics.report(typeof code === 'string' && code.startsWith('Z_') ? 'input.gzip-error' : 'input.unreadable', readFailureMessage(path, err));
    return unreadable();
  }
}

async function readCapture(
  path: string,
  kind: 'pcap' | 'pcapng',
  source: AsyncIterable<Uint8Array>,
  diagnostics: DiagnosticSink,
  options: ReadOptions,
): Promise<InputSummary> {
  const decoder = new FrameDecoder(path, diagnostics, options.onMessage);
  const reader = createCaptureReader(kind, decoder.onFrame, diagnostics, inputName(path));
  try {
    for await (const chunk of source) {
      reader.push(chunk);
      if (reader.stopped) break;
    }
  } catch (err) {
    reportReadError(diagnostics, path, err, reader.bytesConsumed);
  }
  reader.end();
  decoder.finish();
  const info = reader.info;
  if (reader.frames === 0 && !diagnostics.hasErrors()) {
    diagnostics.report(
      'capture.no-frames',
      `${inputName(path)} is a ${kind} capture with no packets in it: the capture stopped before writing any (tcpdump buffers its output: use -U, and stop it with Ctrl-C, not kill -9), or its filter matched nothing`,
    );
  }
  return {
    path,
    format: formatOf(info),
    // A capture whose header could not be read yields nothing: that input failed as a whole.
    readable: reader.frames > 0 || !diagnostics.hasErrors(),
    bytes: reader.bytesConsumed,
    frames: reader.frames,
    sipMessages: decoder.sipMessages,
    firstTime: decoder.firstTime,
    lastTime: decoder.firstTime === null ? null : { sec: decoder.lastSec, nsec: decoder.lastNsec },
    linkTypes: info.interfaces.map((i) => i.linkType),
    diagnostics: diagnostics.list(),
  };
}
