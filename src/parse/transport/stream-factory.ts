/**
 * TCP flows: which connections are followed, what each carries, and the consumer that reads each
 * direction (gopacket's tcpassembly StreamFactory). A connection is recognised by its first
 * payload bytes on any port (STREAM_DETECTORS, in order), or by a SIP port; what is learnt about
 * it is typed state on the connection (StreamState), not slots cast back later.
 *
 * TLS connections are only counted and reported when nobody asks for their records and no key
 * log was given; otherwise they are reassembled like the others and read record by record, and
 * with a key log decrypted (tls/session.ts): their plaintext goes through the same SIP framing
 * or WebSocket reading as a plain connection's, as transport TLS or WSS.
 */
import type { Endpoint, Transport } from '../../types.js';
import { SIP_PORTS } from '../dispatch.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import type { FrameView } from '../capture/frame.js';
import { type Layer, LayerId } from '../layer.js';
import type { IpResult } from '../net/ip.js';
import type { TlsRecord } from '../outputs.js';
import { isKeepAlive, sipStartAt } from '../sip/detect.js';
import type { SipEmitter } from '../sip/emit.js';
import { knownStart, SipStreamFramer } from '../sip/framing.js';
import { emitHep, HepStream, isHep3 } from './hep.js';
import type { ChunkOrigin, Span, StreamConsumer } from './stream.js';
import { decodeTcp, type TcpConnection, TcpFlag, type TcpHeader, TcpReassembler } from './tcp.js';
import { isClientHello, isTlsHello, SIP_TLS_PORTS, tlsRecordAt, tlsServerName, TlsSummary, type TlsFlow } from './tls/detect.js';
import type { TlsKeyLog } from './tls/keylog.js';
import { TlsRecordStream } from './tls/records.js';
import { TlsSession } from './tls/session.js';
import { WebSocketSession, webSocketHandshake, WebSocketStream, type WebSocketMessage } from './websocket.js';

/** What a followed connection carries, and what that protocol keeps per connection. */
export type StreamState =
  /** Opened by a SYN to a SIP port: decided by the first payload bytes. */
  | { readonly kind: 'undecided' }
  /** SIP framed by Content-Length (RFC 3261 §18.3); a direction starting with HEP3 or a WebSocket upgrade is read as such. */
  | { readonly kind: 'sip' }
  /** HEPv3 packets back to back. */
  | { readonly kind: 'hep' }
  /** SIP over WebSocket (RFC 7118): the extensions both directions negotiated. */
  | { readonly kind: 'websocket'; readonly session: WebSocketSession }
  /** TLS: which side is the client, and the server name it asked for; its decryption when a key log was given. */
  | { readonly kind: 'tls'; readonly flow: TlsFlow; readonly decryption: TlsDecryption | null };

/** A TLS connection being decrypted: the session, and what reads each direction's plaintext. */
interface TlsDecryption {
  session: TlsSession | null;
  /** Per direction (0: A to B): the reader of its plaintext, made from its first bytes; ENDED once flushed. */
  readonly readers: [StreamConsumer | null, StreamConsumer | null];
  /** SIP over secure WebSocket: the extensions both directions negotiated. */
  websocket: WebSocketSession | null;
}

/** TLS connections decrypted at once: each holds its keys and at most one hello being read (64 KiB). */
export const MAX_TLS_SESSIONS = 4096;

/** Reads nothing: plaintext that is neither SIP nor WebSocket (HTTPS), or a direction whose reader was flushed. */
const IGNORED: StreamConsumer = { data: () => {}, gap: () => {}, end: () => {} };
const ENDED: StreamConsumer = IGNORED;

export type StreamKind = StreamState['kind'];

const UNDECIDED: StreamState = { kind: 'undecided' };
const SIP: StreamState = { kind: 'sip' };
const HEP: StreamState = { kind: 'hep' };

/** A protocol recognised from the first payload bytes of a connection not followed yet, on any port. */
export interface StreamDetector {
  readonly kind: Exclude<StreamKind, 'undecided'>;
  readonly detect: (b: Uint8Array, s: number, e: number, tcp: TcpHeader) => boolean;
}

/** In order; a connection none of them recognises is followed only on a SIP port (as SIP seen from the middle). */
export const STREAM_DETECTORS: readonly StreamDetector[] = [
  { kind: 'sip', detect: (b, s, e) => sipStartAt(b, s, e) },
  { kind: 'hep', detect: (b, s, e) => b[s] === 0x48 && isHep3(b, s, e) },
  // RFC 6455 §4: "GET ... Upgrade: websocket", or the server's "HTTP/1.1 101".
  { kind: 'websocket', detect: (b, s, e) => (b[s] === 0x47 || b[s] === 0x48) && webSocketHandshake(b, s, e) !== null },
  // A ClientHello or ServerHello on any port; any record on a SIP-over-TLS port (a connection seen from the middle).
  {
    kind: 'tls',
    detect: (b, s, e, tcp) => b[s]! >= 20 && b[s]! <= 23 && (isTlsHello(b, s, e) || ((SIP_TLS_PORTS.has(tcp.srcPort) || SIP_TLS_PORTS.has(tcp.dstPort)) && tlsRecordAt(b, s, e) !== 0)),
  },
];

/** What the first segment seen of a connection says it carries; null: not worth following. */
export function classifyStream(b: Uint8Array, tcp: TcpHeader): StreamKind | null {
  const { payloadStart: s, payloadEnd: e, srcPort, dstPort } = tcp;
  const sipPort = SIP_PORTS.has(srcPort) || SIP_PORTS.has(dstPort);
  if (s >= e) return sipPort && (tcp.flags & TcpFlag.SYN) !== 0 ? 'undecided' : null;
  for (const d of STREAM_DETECTORS) if (d.detect(b, s, e, tcp)) return d.kind;
  // Anything else on a SIP port: a stream seen from the middle; framing finds the next start line.
  return sipPort ? 'sip' : null;
}

/** Which side of a TLS connection is the client, and the server name it asked for (from a segment in direction `dir`). */
function tlsFlow(b: Uint8Array, tcp: TcpHeader, dir: 0 | 1): TlsFlow {
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

/** The TCP connections of one input: followed, reassembled and read by the consumer their state names. */
export class TcpStreams {
  readonly reassembler: TcpReassembler<StreamState>;
  private readonly otherTls = new TlsSummary();
  /** TLS connections being decrypted now. */
  private tlsSessions = 0;

  constructor(
    private readonly file: string,
    private readonly diagnostics: DiagnosticSink,
    private readonly sip: SipEmitter,
    private readonly onTlsRecord: ((record: TlsRecord) => void) | null,
    /** The secrets of the key logs and of the capture itself; TLS is decrypted while it holds any. */
    private readonly tlsKeys: TlsKeyLog | null = null,
  ) {
    this.reassembler = new TcpReassembler<StreamState>(diagnostics, { consumer: this.consumer, closed: this.closed });
  }

  /** A decoded segment (`tcp`) of the IP packet `ip` in `frame`. */
  segment(frame: FrameView, ip: IpResult, tcp: TcpHeader, fragmentFrames: readonly number[] | null): void {
    const reassembler = this.reassembler;
    const b = frame.data;
    let connection = reassembler.find(b, ip, tcp);
    let dir = reassembler.dir;
    if (connection === null) {
      // Fast path: a segment of a connection nobody follows, and that does not look like one to follow.
      const kind = classifyStream(b, tcp);
      if (kind === null) return;
      connection = reassembler.open(frame, ip, tcp, this.stateOf(kind, b, tcp, 0, frame));
      dir = 0;
    } else if (connection.state.kind === 'undecided' && tcp.payloadEnd > tcp.payloadStart) {
      connection.state = this.stateOf(classifyStream(b, tcp) ?? 'sip', b, tcp, dir, frame);
    }
    // TLS is counted, not read, unless its records are wanted or it is decrypted.
    const state = connection.state;
    reassembler.segment(connection, dir, frame, ip, tcp, fragmentFrames, state.kind === 'tls' && this.onTlsRecord === null && state.decryption === null);
  }

  /** End of input: every stream is flushed. */
  finish(): void {
    this.reassembler.finish();
  }

  /** TLS connections on other ports than SIP's, summed per server port. */
  reportOtherTls(): void {
    this.otherTls.report(this.diagnostics);
  }

  private stateOf(kind: StreamKind, b: Uint8Array, tcp: TcpHeader, dir: 0 | 1, frame: FrameView): StreamState {
    switch (kind) {
      case 'undecided':
        return UNDECIDED;
      case 'sip':
        return SIP;
      case 'hep':
        return HEP;
      case 'websocket':
        return { kind, session: new WebSocketSession() };
      case 'tls':
        return { kind, flow: tlsFlow(b, tcp, dir), decryption: this.decryption(frame) };
    }
  }

  /** A new TLS connection is decrypted when some secret is known, within the bound on sessions. */
  private decryption(frame: FrameView): TlsDecryption | null {
    if (this.tlsKeys === null || !this.tlsKeys.any) return null;
    if (this.tlsSessions >= MAX_TLS_SESSIONS) {
      this.diagnostics.count('tls.session-limit', '', { frame: frame.number, max: MAX_TLS_SESSIONS }, { frame: frame.number, offset: frame.fileOffset });
      return null;
    }
    this.tlsSessions++;
    return { session: null, readers: [null, null], websocket: null };
  }

  /** The consumer of one direction of a followed connection, chosen by its state and its first bytes. */
  private readonly consumer = (connection: TcpConnection<StreamState>, dir: 0 | 1, b: Uint8Array, start: number, end: number): StreamConsumer => {
    const state = connection.state;
    const midstream = connection.dirs[dir].midstream;
    const budget = this.reassembler.budget;
    if (state.kind === 'tls') {
      // Reached only with a TLS sink or a key log (segment() counts TLS otherwise).
      const a: Endpoint = { ip: connection.ipA, port: connection.portA };
      const z: Endpoint = { ip: connection.ipB, port: connection.portB };
      const clientIsA = state.flow.clientIsA;
      const decryption = state.decryption;
      const sink = this.onTlsRecord;
      let onRecord: (record: TlsRecord) => void = sink!;
      if (decryption !== null) {
        const session = (decryption.session ??= this.tlsSession(connection, clientIsA, decryption, clientIsA ? a : z, clientIsA ? z : a));
        onRecord = sink === null ? (r) => session.record(r) : (r) => (sink(r), session.record(r));
      }
      return new TlsRecordStream(
        onRecord,
        this.diagnostics,
        connection.stream(dir, 'TLS'),
        { file: this.file, client: clientIsA ? a : z, server: clientIsA ? z : a, fromClient: (dir === 0) === clientIsA },
        { midstream, first: { bytes: b, start, end }, budget, onEnd: decryption === null ? null : () => this.endPlaintext(decryption, dir) },
      );
    }
    let handshake = webSocketHandshake(b, start, end);
    if (handshake !== null || state.kind === 'websocket') {
      // Any HTTP response (a refused upgrade too) is read as the handshake; the stream reports nothing if it is not 101.
      if (handshake === null && end - start >= 5 && b[start] === 0x48 && b[start + 1] === 0x54 && b[start + 4] === 0x2f) handshake = 'response';
      const ws = state.kind === 'websocket' ? state : (connection.state = { kind: 'websocket', session: new WebSocketSession() });
      return new WebSocketStream((m) => this.onWebSocketMessage(m, connection, dir, 'WS'), this.diagnostics, connection.stream(dir, 'WebSocket'), ws.session, { handshake, budget });
    }
    if (isHep3(b, start, end) || state.kind === 'hep') {
      return new HepStream((p) => emitHep(p.packet, p.span, this.sip, this.diagnostics), this.diagnostics, connection.stream(dir, 'HEP'), budget);
    }
    if (midstream && !(sipStartAt(b, start, end) && knownStart(b, start, end))) {
      this.diagnostics.count('tcp.midstream', '', { stream: connection.stream(dir) }, {
        frame: connection.firstFrame,
        offset: connection.firstOffset,
      });
    }
    return new SipStreamFramer((m) => this.emitStream(m, connection, dir, 'TCP'), this.diagnostics, connection.stream(dir), { resync: midstream, budget });
  };

  /** The decryption of a TLS connection: plaintext of direction `dir` goes to the reader its first bytes call for. */
  private tlsSession(connection: TcpConnection<StreamState>, clientIsA: boolean, decryption: TlsDecryption, client: Endpoint, server: Endpoint): TlsSession {
    const dirOf = (fromClient: boolean): 0 | 1 => (fromClient === clientIsA ? 0 : 1);
    return new TlsSession(
      this.tlsKeys!,
      this.diagnostics,
      { client, server, stream: (fromClient) => connection.stream(dirOf(fromClient), 'TLS') },
      (fromClient, plaintext, record) => {
        const dir = dirOf(fromClient);
        const reader = (decryption.readers[dir] ??= this.plaintextReader(connection, dir, decryption, plaintext));
        // The plaintext comes from the record's frames, at the record's place in the capture.
        const origin: ChunkOrigin = { frame: record.frame, sec: record.sec, nsec: record.nsec, offset: record.offset, frames: record.frames.length > 1 ? record.frames : null };
        reader.data(plaintext, 0, plaintext.length, origin, origin);
      },
      (fromClient) => this.endPlaintext(decryption, dirOf(fromClient)),
    );
  }

  /** What reads a decrypted direction, from its first plaintext: WebSocket (WSS), SIP (TLS), or nothing (HTTPS). */
  private plaintextReader(connection: TcpConnection<StreamState>, dir: 0 | 1, decryption: TlsDecryption, b: Uint8Array): StreamConsumer {
    const budget = this.reassembler.budget;
    let handshake = webSocketHandshake(b, 0, b.length);
    // The server's answer to an upgrade (a refusal too) once the client asked for one.
    if (handshake === null && decryption.websocket !== null && b.length >= 5 && b[0] === 0x48 && b[1] === 0x54 && b[4] === 0x2f) handshake = 'response';
    if (handshake !== null) {
      const session = (decryption.websocket ??= new WebSocketSession());
      return new WebSocketStream((m) => this.onWebSocketMessage(m, connection, dir, 'WSS'), this.diagnostics, connection.stream(dir, 'WebSocket'), session, { handshake, budget });
    }
    const sipStart = sipStartAt(b, 0, b.length);
    if (!sipStart && !SIP_TLS_PORTS.has(connection.portA) && !SIP_TLS_PORTS.has(connection.portB)) return IGNORED;
    return new SipStreamFramer((m) => this.emitStream(m, connection, dir, 'TLS'), this.diagnostics, connection.stream(dir, 'TLS'), { resync: !sipStart, budget });
  }

  /** A decrypted direction ended, or stopped being decrypted: what its reader holds is reported. */
  private endPlaintext(decryption: TlsDecryption, dir: 0 | 1): void {
    const reader = decryption.readers[dir];
    decryption.readers[dir] = ENDED;
    reader?.end();
  }

  private onWebSocketMessage(m: WebSocketMessage, connection: TcpConnection<StreamState>, dir: 0 | 1, transport: 'WS' | 'WSS'): void {
    const b = m.bytes;
    if (sipStartAt(b, 0, b.length)) {
      this.emitStream(m, connection, dir, transport);
    } else if (isKeepAlive(b, 0, b.length)) {
      this.diagnostics.count('sip.keepalive', 'ws', { on: 'ws', frame: m.frame }, { frame: m.frame, offset: m.offset });
    } else {
      this.diagnostics.count('ws.not-sip', '', { frame: m.frame }, { frame: m.frame, offset: m.offset });
    }
  }

  /** A message framed from a stream of `connection` in direction `dir` (a WebSocket message is one SIP message, read as a datagram). */
  private emitStream(m: Span & { readonly bytes: Uint8Array }, connection: TcpConnection<StreamState>, dir: 0 | 1, transport: Transport): void {
    const a: Endpoint = { ip: connection.ipA, port: connection.portA };
    const b: Endpoint = { ip: connection.ipB, port: connection.portB };
    this.sip.emit(m.bytes, transport === 'WS' || transport === 'WSS', m, dir === 0 ? a : b, dir === 0 ? b : a, transport);
  }

  /** A followed connection is forgotten: TLS connections are reported once, now that their size is known. */
  private readonly closed = (connection: TcpConnection<StreamState>): void => {
    const state = connection.state;
    if (state.kind !== 'tls') return;
    const flow = state.flow;
    const a: Endpoint = { ip: connection.ipA, port: connection.portA };
    const b: Endpoint = { ip: connection.ipB, port: connection.portB };
    const [client, server] = flow.clientIsA ? [a, b] : [b, a];
    if (state.decryption !== null) {
      this.tlsSessions--;
      const session = state.decryption.session;
      if (session !== null && session.state === 'decrypting') {
        const serverName = flow.serverName === null ? null : { host: flow.serverName };
        this.diagnostics.report(
          'tls.decrypted',
          { frame: connection.firstFrame, client, server, serverName, version: session.version === 0x0304 ? '1.3' : '1.2', suite: session.suite!.name, records: session.records },
          { frame: connection.firstFrame, offset: connection.firstOffset },
        );
        return;
      }
    }
    const sipPort = SIP_TLS_PORTS.has(connection.portA) || SIP_TLS_PORTS.has(connection.portB);
    if (sipPort) {
      const serverName = flow.serverName === null ? null : { host: flow.serverName };
      this.diagnostics.report('tls.sip-flow', { frame: connection.firstFrame, client, server, serverName, packets: connection.packets, bytes: connection.bytes }, {
        frame: connection.firstFrame,
        offset: connection.firstOffset,
      });
    } else {
      // Other TLS (mostly HTTPS) is summed per server port and reported at the end, not one line per connection.
      this.otherTls.add(server, flow.serverName, connection.packets, connection.bytes, connection.firstFrame, connection.firstOffset);
    }
  };
}

/** The TCP layer: the header, then the connection's stream (followed or not). */
export const tcpLayer: Layer = (p) => {
  if (decodeTcp(p.frame, p.ip, p.tcp, p.diagnostics)) p.streams.segment(p.frame, p.ip, p.tcp, p.fragmentFrames);
  return LayerId.DONE;
};
