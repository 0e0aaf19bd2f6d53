/**
 * The TLS record output: each record of each followed TLS connection, per direction, as it
 * completes; records split over segments and several in one segment; bounded size with a
 * diagnostic; connections picked up mid-stream or after lost bytes marked as resynchronised.
 */
import { describe, expect, it } from 'vitest';
import type { TlsRecord } from '../../../src/parse/outputs.js';
import { MAX_TLS_RECORD } from '../../../src/parse/transport/tls/records.js';
import { decodePackets } from '../../support/decode.js';
import { TCP_ACK, TCP_FIN, TCP_SYN, TcpFlow, tlsAppData, tlsClientHello, tlsRecord } from '../../support/transport-packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

const flow = new TcpFlow({ ip: '10.0.0.1', port: 40000 }, { ip: '10.0.0.2', port: 5061 });
const CLIENT_ISN = 1000;
const SERVER_ISN = 9000;

/** Bytes of one direction cut into segments at `cuts`, from sequence number `isn`. */
function segments(up: boolean, bytes: Buffer, cuts: readonly number[], isn: number): Buffer[] {
  const points = [0, ...cuts, bytes.length];
  const out: Buffer[] = [];
  for (let i = 0; i + 1 < points.length; i++) out.push(flow.frame(up, bytes.subarray(points[i], points[i + 1]), { seq: isn + points[i]! }));
  return out;
}

const handshake = () => [flow.frame(true, '', { seq: CLIENT_ISN - 1, flags: TCP_SYN }), flow.frame(false, '', { seq: SERVER_ISN - 1, ack: CLIENT_ISN, flags: TCP_SYN | TCP_ACK })];

interface Seen extends Omit<TlsRecord, 'bytes'> {
  bytes: Buffer;
}

function records(frames: Uint8Array[]): { seen: Seen[]; codes: string[]; diagnostics: ReturnType<typeof decodePackets>['diagnostics'] } {
  const seen: Seen[] = [];
  const r = decodePackets(frames, 1, undefined, { onTlsRecord: (rec) => seen.push({ ...rec, bytes: Buffer.from(rec.bytes) }) });
  return { seen, codes: r.diagnostics.map((d) => d.code), diagnostics: r.diagnostics };
}

const serverHello = tlsRecord(22, Buffer.concat([Buffer.from([2, 0, 0, 38, 3, 3]), Buffer.alloc(32, 5), Buffer.from([0, 0x13, 0x01, 0])]));
const ccs = tlsRecord(20, Buffer.from([1]));

describe('TLS records', () => {
  // A connection is recognised as TLS by its first payload segment (a hello: at least 6 bytes), so every split below keeps those together.
  it('a ClientHello split over three segments, then several records in one segment from the server', () => {
    const hello = tlsClientHello('sip.example.com');
    const serverBytes = Buffer.concat([serverHello, ccs, tlsAppData(100)]);
    const { seen, codes } = records([...handshake(), ...segments(true, hello, [9, 40], CLIENT_ISN), ...segments(false, serverBytes, [], SERVER_ISN)]);
    expect(codes).toEqual(['tls.sip-flow']);
    expect(seen.map((r) => [r.fromClient, r.contentType, r.version, r.length, r.index, r.resynced, r.frame, r.frames])).toEqual([
      [true, 22, 0x0301, hello.length - 5, 0, false, 5, [3, 4, 5]],
      [false, 22, 0x0303, serverHello.length - 5, 0, false, 6, [6]],
      [false, 20, 0x0303, 1, 1, false, 6, [6]],
      [false, 23, 0x0303, 100, 2, false, 6, [6]],
    ]);
    expect(seen[0]!.bytes.equals(hello)).toBe(true);
    expect(seen[3]!.bytes.equals(tlsAppData(100))).toBe(true);
    for (const r of seen) {
      expect(r.client).toEqual({ ip: '10.0.0.1', port: 40000 });
      expect(r.server).toEqual({ ip: '10.0.0.2', port: 5061 });
      expect(r.file).toBe('mem');
    }
    // The ClientHello's random (after the record and handshake headers and the version) is there for key-log matching.
    expect(seen[0]!.bytes.subarray(11, 43).every((x) => x === 7)).toBe(true);
  });

  it('the byte offset of each record is that of its header in the input', () => {
    const { seen } = records([...handshake(), ...segments(false, Buffer.concat([ccs, ccs]), [], SERVER_ISN)]);
    // Frame 3 starts at 24 + 2 * (16 + 54) + 16; Ethernet, IPv4 and TCP headers are 54 bytes.
    const payload = 24 + 2 * (16 + 54) + 16 + 54;
    expect(seen.map((r) => r.offset)).toEqual([payload, payload + ccs.length]);
  });

  it('records cut at every byte position are the same records', () => {
    const stream = Buffer.concat([tlsClientHello('a.example'), tlsAppData(300), ccs, tlsAppData(5)]);
    const expected = records([...handshake(), ...segments(true, stream, [], CLIENT_ISN)]).seen.map((r) => r.bytes.toString('hex'));
    expect(expected).toHaveLength(4);
    for (let cut = 6; cut < stream.length; cut += 7) {
      const { seen } = records([...handshake(), ...segments(true, stream, [cut, Math.min(stream.length, cut + 3)], CLIENT_ISN)]);
      expect(seen.map((r) => r.bytes.toString('hex'))).toEqual(expected);
    }
  });

  it('out-of-order segments are delivered in order', () => {
    const hello = tlsClientHello('a.example');
    const stream = Buffer.concat([hello, tlsAppData(50), tlsAppData(60)]);
    const [h, a, b] = segments(true, stream, [hello.length, hello.length + 30], CLIENT_ISN);
    const { seen } = records([...handshake(), h!, b!, a!]);
    // Both records were completed by frame 5, which filled the hole in front of frame 4 (as SIP framing counts them).
    expect(seen.map((r) => [r.length, r.frames, r.frame])).toEqual([
      [hello.length - 5, [3], 3],
      [50, [4, 5], 5],
      [60, [4, 5], 5],
    ]);
  });

  it('a header announcing more than 2^14 + 2048 bytes is reported and the next records are found again', () => {
    const tooBig = Buffer.from([23, 3, 3, (MAX_TLS_RECORD + 1) >> 8, (MAX_TLS_RECORD + 1) & 255]);
    const stream = Buffer.concat([tlsAppData(10), tooBig, Buffer.alloc(7, 0x42), tlsAppData(20), tlsAppData(30)]);
    const { seen, codes, diagnostics } = records([...handshake(), ...segments(true, stream, [], CLIENT_ISN)]);
    expect(codes).toEqual(['tls.bad-record', 'tls.sip-flow']);
    expect(diagnosticText(diagnostics[0]!)).toContain(`announces ${MAX_TLS_RECORD + 1} bytes, more than the ${MAX_TLS_RECORD}`);
    expect(seen.map((r) => [r.length, r.index, r.resynced])).toEqual([
      [10, 0, false],
      [20, 0, true],
      [30, 1, false],
    ]);
  });

  it('bytes that are not a record header where one should be are reported, then skipped', () => {
    const stream = Buffer.concat([tlsAppData(10), Buffer.from('garbage!'), tlsAppData(20), tlsAppData(4)]);
    const { seen, codes, diagnostics } = records([...handshake(), ...segments(true, stream, [12], CLIENT_ISN)]);
    expect(codes).toEqual(['tls.bad-record', 'tls.sip-flow']);
    expect(diagnosticText(diagnostics[0]!)).toContain('not a TLS record header (0x67');
    expect(diagnostics[0]!.frame).toBe(4);
    expect(seen.map((r) => [r.length, r.resynced])).toEqual([
      [10, false],
      [20, true],
      [4, false],
    ]);
  });

  it('a connection seen from the middle: records numbered from there, marked resynchronised', () => {
    const stream = Buffer.concat([tlsAppData(40), tlsAppData(50), tlsAppData(60)]);
    // No SYN: the capture starts at the second record (on the SIP-over-TLS port, any record makes the connection TLS).
    const { seen, codes } = records(segments(true, stream.subarray(45), [70], CLIENT_ISN + 45));
    expect(codes).toEqual(['tls.sip-flow']);
    expect(seen.map((r) => [r.length, r.index, r.resynced])).toEqual([
      [50, 0, true],
      [60, 1, false],
    ]);
    // From the middle but at a hello: numbering is known.
    const hello = records(segments(true, tlsClientHello('x.example'), [], CLIENT_ISN)).seen;
    expect(hello.map((r) => [r.contentType, r.resynced])).toEqual([[22, false]]);
  });

  it('lost bytes (a TCP gap) put the direction out of step until the next record header', () => {
    const stream = Buffer.concat([tlsAppData(40), tlsAppData(50), tlsAppData(60)]);
    const parts = segments(true, stream, [20, 70], CLIENT_ISN);
    // The second segment is never captured; the server acknowledges past it.
    const ack = flow.frame(false, '', { seq: SERVER_ISN, ack: CLIENT_ISN + stream.length, flags: TCP_ACK });
    const { seen, codes } = records([...handshake(), parts[0]!, parts[2]!, ack]);
    expect(codes).toContain('tcp.gap');
    expect(seen.map((r) => [r.length, r.resynced])).toEqual([[60, true]]);
  });

  it('memory stays bounded: one record at most is held per direction', () => {
    const packets = function* () {
      yield* handshake();
      let seq = CLIENT_ISN;
      for (let i = 0; i < 200; i++) {
        // Records of 16 KiB sent in 1400-byte segments.
        const record = tlsAppData(16384);
        for (let p = 0; p < record.length; p += 1400) {
          yield flow.frame(true, record.subarray(p, Math.min(record.length, p + 1400)), { seq });
          seq += Math.min(1400, record.length - p);
        }
      }
      yield flow.frame(true, '', { seq, flags: TCP_FIN | TCP_ACK });
    };
    let most = 0;
    let count = 0;
    decodePackets(packets(), 1, (d) => (most = Math.max(most, d.held().tcpBytes)), { onTlsRecord: () => count++ });
    expect(count).toBe(200);
    expect(most).toBeLessThan(64 * 1024);
  });

  it('without a sink TLS connections are counted as before, not read', () => {
    const hello = tlsClientHello('sip.example.com');
    const frames = [...handshake(), ...segments(true, Buffer.concat([hello, tlsAppData(10)]), [hello.length + 7], CLIENT_ISN)];
    const without = decodePackets(frames).diagnostics;
    expect(without.map((d) => d.code)).toEqual(['tls.sip-flow']);
    expect(decodePackets(frames, 1, undefined, { onTlsRecord: () => {} }).diagnostics).toEqual(without);
    expect(diagnosticText(without[0]!)).toContain('(server name sip.example.com): 4 packets');
  });
});
