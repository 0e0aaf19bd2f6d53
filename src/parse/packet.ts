/**
 * The packet being decoded, and the per-input state its layers feed: like gopacket's
 * DecodingLayerParser, one object per input whose header results (link, ip, udp, tcp, tunnel)
 * are overwritten by every frame, so decoding allocates nothing per packet. Each layer (layers.ts)
 * reads what the previous one left here and names the next (layer.ts).
 */
import type { CapturedMessage, Endpoint } from '../types.js';
import { newFrameView, type FrameView } from './capture/frame.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { LinkResult } from './link/link.js';
import { Defragmenter } from './net/defrag.js';
import { formatIp, newIpResult, type IpResult } from './net/ip.js';
import { newTunnelResult, type TunnelResult } from './net/tunnels.js';
import type { IcmpError, MediaPacket, PacketSinks } from './outputs.js';
import { SipEmitter } from './sip/emit.js';
import { MediaPacketView } from './transport/media.js';
import { SctpDecoder, sipOverSctp, type SctpMessageHandler } from './transport/sctp.js';
import { TcpStreams } from './transport/stream-factory.js';
import type { TlsKeyLog } from './transport/tls/keylog.js';
import { newTcpHeader, type TcpHeader } from './transport/tcp.js';
import type { UdpResult } from './transport/udp.js';

/** Nested tunnels and reassembled datagrams followed inside one frame (outer IP-in-IP counts separately, in decodeIp). */
const MAX_NESTING = 6;

/**
 * Slots of the endpoint cache (a power of two), read for each endpoint: a const enum, so that the
 * bundler writes it into the code as a number (docs/decisions.md "Offsets read per packet as const enums").
 */
const enum EndpointCache {
  SLOTS = 4096,
}

export class Packet {
  /** The frame being decoded; once the fragment layer completes a datagram, a view over it. */
  frame: FrameView = newFrameView();
  /** Tunnels and reassemblies entered in this frame. */
  depth = 0;
  /** While a reassembled datagram is decoded: every frame it came from (null for a plain frame). */
  fragmentFrames: readonly number[] | null = null;
  /** Where the IP layer reads: what the link or tunnel layer found (an EtherType), from where, up to where. */
  netType = 0;
  netOffset = 0;
  netEnd = 0;

  // Header results, overwritten by each frame.
  readonly link: LinkResult = { etherType: 0, offset: 0 };
  readonly ip: IpResult = newIpResult();
  readonly udp: UdpResult = { srcPort: 0, dstPort: 0, payloadStart: 0, payloadEnd: 0 };
  readonly tcp: TcpHeader = newTcpHeader();
  readonly tunnel: TunnelResult = newTunnelResult();

  // What the layers feed, per input.
  readonly sip: SipEmitter;
  readonly defrag: Defragmenter;
  readonly streams: TcpStreams;
  readonly sctp: SctpDecoder;
  readonly onSctpMessage: SctpMessageHandler;

  // The outputs beside SIP: null when nobody asked (the layers then skip the work).
  readonly onMedia: ((packet: MediaPacket) => void) | null;
  readonly onIcmp: ((error: IcmpError) => void) | null;
  readonly mediaView: MediaPacketView;

  /**
   * IPv4 endpoints of the datagrams that carried SIP, direct-mapped by address and port: the
   * messages of one peer share one Endpoint object and one address string (no string built per
   * message). A slot holds the last endpoint that hashed to it.
   */
  private readonly endpointIps = new Int32Array(EndpointCache.SLOTS);
  private readonly endpointPorts = new Int32Array(EndpointCache.SLOTS).fill(-1);
  private readonly endpoints: (Endpoint | undefined)[] = new Array<Endpoint | undefined>(EndpointCache.SLOTS).fill(undefined);

  constructor(
    readonly file: string,
    readonly diagnostics: DiagnosticSink,
    onMessage: (message: CapturedMessage) => void,
    sinks: PacketSinks = {},
    /** The TLS secrets known for this input (key logs and its own Decryption Secrets Blocks). */
    tlsKeys: TlsKeyLog | null = null,
  ) {
    this.sip = new SipEmitter(file, diagnostics, onMessage);
    this.defrag = new Defragmenter(diagnostics);
    this.streams = new TcpStreams(file, diagnostics, this.sip, sinks.onTlsRecord ?? null, tlsKeys);
    this.sctp = new SctpDecoder(diagnostics);
    this.onSctpMessage = sipOverSctp(this);
    this.onMedia = sinks.onMedia ?? null;
    this.onIcmp = sinks.onIcmp ?? null;
    this.mediaView = new MediaPacketView(file);
  }

  /** Starts on a new frame. */
  begin(frame: FrameView): void {
    this.frame = frame;
    this.depth = 0;
    this.fragmentFrames = null;
  }

  /** True (with a diagnostic at `offset` of the frame) when one more tunnel or reassembly would nest too deep. */
  tooDeep(offset: number): boolean {
    if (this.depth < MAX_NESTING) return false;
    const frame = this.frame;
    this.diagnostics.report('ip.tunnel-too-deep', { frame: frame.number, max: MAX_NESTING, what: 'any' }, { frame: frame.number, offset: frame.fileOffset + offset - frame.start });
    return true;
  }

  /** The endpoint of the IP address at `offset` of the frame (of this.ip's version) and `port`, shared with earlier messages when cached. */
  endpoint(offset: number, port: number): Endpoint {
    const b = this.frame.data;
    const version = this.ip.version;
    if (version !== 4) return { ip: formatIp(b, offset, version), port };
    const address = (b[offset]! << 24) | (b[offset + 1]! << 16) | (b[offset + 2]! << 8) | b[offset + 3]!;
    const slot = (Math.imul(address ^ (port << 7), 0x9e3779b1) >>> 20) & (EndpointCache.SLOTS - 1);
    const cached = this.endpoints[slot];
    if (cached !== undefined && this.endpointIps[slot] === address && this.endpointPorts[slot] === port) return cached;
    const endpoint: Endpoint = { ip: formatIp(b, offset, 4), port };
    this.endpointIps[slot] = address;
    this.endpointPorts[slot] = port;
    this.endpoints[slot] = endpoint;
    return endpoint;
  }

  /** Expiry by capture time (never the wall clock): fragments, TCP streams, SCTP messages. */
  sweep(sec: number): void {
    if (this.defrag.pendingDatagrams > 0) this.defrag.expire(sec);
    if (this.streams.reassembler.connections > 0) this.streams.reassembler.sweep(sec);
    if (this.sctp.pendingMessages > 0) this.sctp.expire(sec);
  }

  /** End of input: whatever still waits for more data is reported. */
  finish(): void {
    this.defrag.finish();
    this.streams.finish();
    this.sctp.finish();
    this.streams.reportOtherTls();
  }

  /** What is held now (for tests of the bounds). */
  held(): { tcpConnections: number; tcpBytes: number; fragmentDatagrams: number; fragmentBytes: number } {
    const tcp = this.streams.reassembler;
    return { tcpConnections: tcp.connections, tcpBytes: tcp.budget.used, fragmentDatagrams: this.defrag.pendingDatagrams, fragmentBytes: this.defrag.bufferedBytes };
  }
}
