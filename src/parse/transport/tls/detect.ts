/**
 * TLS (RFC 8446 §5.1, RFC 5246 §6.2) cannot be read without the session keys. siplens only
 * recognises it, to say once per connection that what it carries is missing from the trace:
 * a record header (content type 20-23, version 3.x, length within 2^14 + 2048), the
 * ClientHello that starts a connection, and the server name the client asked for (RFC 6066 §3).
 */
import { u16be } from '../../capture/bytes.js';
import type { DiagnosticSink } from '../../diagnostic-sink.js';
import type { Endpoint } from '../../../types.js';

export const TLS_HANDSHAKE = 22;

/** Ports where TLS means SIP (IANA sips 5061; 5060 when a client is set to TLS on the plain port). */
export const SIP_TLS_PORTS: ReadonlySet<number> = new Set([5060, 5061]);

/** The content type of a TLS record starting at b[s], or 0 when the bytes are not a record header. */
export function tlsRecordAt(b: Uint8Array, s: number, e: number): number {
  if (e - s < 5) return 0;
  const type = b[s]!;
  if (type < 20 || type > 23 || b[s + 1] !== 3 || b[s + 2]! > 4) return 0;
  const length = u16be(b, s + 3);
  return length > 0 && length <= 16384 + 2048 ? type : 0;
}

/** True for a record carrying a ClientHello (1) or ServerHello (2): the start of a TLS connection. */
export function isTlsHello(b: Uint8Array, s: number, e: number): boolean {
  return tlsRecordAt(b, s, e) === TLS_HANDSHAKE && e - s >= 6 && (b[s + 5] === 1 || b[s + 5] === 2);
}

/** True when the record is a ClientHello. */
export function isClientHello(b: Uint8Array, s: number, e: number): boolean {
  return tlsRecordAt(b, s, e) === TLS_HANDSHAKE && e - s >= 6 && b[s + 5] === 1;
}

/** The server_name (SNI) of a ClientHello at b[s], or null. Bounds-checked; never throws. */
export function tlsServerName(b: Uint8Array, s: number, e: number): string | null {
  if (!isClientHello(b, s, e)) return null;
  const recordEnd = Math.min(e, s + 5 + u16be(b, s + 3));
  // Handshake header (4), client version (2), random (32).
  let p = s + 5 + 4 + 2 + 32;
  if (p + 1 > recordEnd) return null;
  p += 1 + b[p]!; // session id
  if (p + 2 > recordEnd) return null;
  p += 2 + u16be(b, p); // cipher suites
  if (p + 1 > recordEnd) return null;
  p += 1 + b[p]!; // compression methods
  if (p + 2 > recordEnd) return null;
  const extensionsEnd = Math.min(recordEnd, p + 2 + u16be(b, p));
  p += 2;
  while (p + 4 <= extensionsEnd) {
    const type = u16be(b, p);
    const length = u16be(b, p + 2);
    const v = p + 4;
    if (v + length > extensionsEnd) return null;
    if (type === 0 && length >= 5 && b[v + 2] === 0) {
      const nameLength = u16be(b, v + 3);
      if (v + 5 + nameLength > v + length) return null;
      const name = Buffer.from(b.subarray(v + 5, v + 5 + nameLength)).toString('latin1');
      return /^[\x21-\x7e]+$/.test(name) ? name : null;
    }
    p = v + length;
  }
  return null;
}

/** What siplens remembers of a TLS connection, to report it once when it is forgotten. */
export interface TlsFlow {
  /** True when side A of the connection (the sender of its first segment seen) is the client. */
  clientIsA: boolean;
  serverName: string | null;
}

/** Server ports tracked separately in the summary of other TLS; the rest are summed as "other ports". */
const MAX_SUMMARY_PORTS = 32;
const MAX_NAMES = 4;

interface PortSummary {
  connections: number;
  packets: number;
  bytes: number;
  firstFrame: number;
  firstOffset: number;
  /** Servers by "ip port", kept with their endpoint. */
  servers: Map<string, Endpoint>;
  names: Set<string>;
}

/** TLS connections on other ports (mostly HTTPS), summed per server port: one diagnostic per port, not per connection. */
export class TlsSummary {
  private readonly ports = new Map<string, PortSummary>();

  add(server: Endpoint, serverName: string | null, packets: number, bytes: number, firstFrame: number, firstOffset: number): void {
    let key = String(server.port);
    if (!this.ports.has(key) && this.ports.size >= MAX_SUMMARY_PORTS) key = 'other';
    let p = this.ports.get(key);
    if (p === undefined) this.ports.set(key, (p = { connections: 0, packets: 0, bytes: 0, firstFrame, firstOffset, servers: new Map(), names: new Set() }));
    p.connections++;
    p.packets += packets;
    p.bytes += bytes;
    if (firstFrame < p.firstFrame) {
      p.firstFrame = firstFrame;
      p.firstOffset = firstOffset;
    }
    if (p.servers.size <= MAX_NAMES) p.servers.set(`${server.ip} ${server.port}`, server);
    if (serverName !== null && p.names.size <= MAX_NAMES) p.names.add(serverName);
  }

  report(diagnostics: DiagnosticSink): void {
    for (const [port, p] of this.ports) {
      diagnostics.report(
        'tls.flow',
        {
          frame: p.firstFrame,
          connections: p.connections,
          port: port === 'other' ? null : Number(port),
          servers: [...p.servers.values()].slice(0, MAX_NAMES),
          moreServers: p.servers.size > MAX_NAMES,
          serverNames: [...p.names].slice(0, MAX_NAMES).map((host) => ({ host })),
          moreNames: p.names.size > MAX_NAMES,
          packets: p.packets,
          bytes: p.bytes,
        },
        { frame: p.firstFrame, offset: p.firstOffset },
      );
    }
    this.ports.clear();
  }
}
