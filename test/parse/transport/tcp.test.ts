import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newFrameView } from '../../../src/parse/capture/frame.js';
import { DiagnosticSink } from '../../../src/parse/diagnostic-sink.js';
import { newIpResult, decodeIp } from '../../../src/parse/net/ip.js';
import { EtherType } from '../../../src/parse/link/link.js';
import type { ChunkOrigin, StreamConsumer } from '../../../src/parse/transport/stream.js';
import { decodeTcp, newTcpHeader, TcpReassembler, type TcpLimits } from '../../../src/parse/transport/tcp.js';
import { SipStreamFramer } from '../../../src/parse/sip/framing.js';
import { decodePackets, whats } from '../../support/decode.js';
import { ethernet, ipv4, sipRequest, sipResponse } from '../../support/packets.js';
import { codes } from '../../support/read-frames.js';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TcpFlow, tcpSegment } from '../../support/transport-packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

const BODY = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const INVITE = sipRequest('INVITE', 'tcp-1@test', 1, 'Content-Type: application/sdp\r\n').replace('Content-Length: 0', `Content-Length: ${BODY.length}`) + BODY;
const OK = sipResponse(200, 'OK', 'INVITE', 'tcp-1@test');
const ACK = sipRequest('ACK', 'tcp-1@test', 1);
const STREAM = Buffer.from(INVITE + OK + ACK);
const ISN = 1000;

const flow = new TcpFlow({ ip: '10.0.0.1', port: 40000 }, { ip: '10.0.0.2', port: 5060 });

/** Client-side segments of `stream`, cut at `cuts` (byte positions), starting at sequence number isn. */
function segments(stream: Buffer, cuts: readonly number[], isn = ISN, f = flow): Buffer[] {
  const points = [0, ...cuts, stream.length];
  const out: Buffer[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    if (points[i + 1]! > points[i]!) out.push(f.frame(true, stream.subarray(points[i], points[i + 1]), { seq: (isn + points[i]!) >>> 0 }));
  }
  return out;
}

function handshake(isn = ISN, f = flow): Buffer[] {
  return [f.frame(true, '', { seq: (isn - 1) >>> 0, flags: TCP_SYN }), f.frame(false, '', { seq: 5000, ack: isn, flags: TCP_SYN | TCP_ACK })];
}

const summary = (r: ReturnType<typeof decodePackets>) => r.messages.map((m) => [m.message.method ?? m.message.status, m.frames, m.frame, m.transport]);

describe('TCP header', () => {
  it('reads ports, sequence numbers, flags and options; reports a short or bad header', () => {
    const segment = tcpSegment(1234, 5060, 'abc', { seq: 0xfffffff0, ack: 7, flags: TCP_SYN | TCP_ACK, options: Buffer.from([2, 4, 5, 0xb4]) });
    const packet = ipv4('1.1.1.1', '2.2.2.2', segment, { protocol: 6 });
    const frame = newFrameView();
    Object.assign(frame, { number: 1, data: packet, start: 0, end: packet.length, origLen: packet.length });
    const ip = newIpResult();
    const diagnostics = new DiagnosticSink('t');
    decodeIp(frame, EtherType.IPV4, 0, ip, diagnostics);
    const tcp = newTcpHeader();
    expect(decodeTcp(frame, ip, tcp, diagnostics)).toBe(true);
    expect(tcp).toMatchObject({ srcPort: 1234, dstPort: 5060, seq: 0xfffffff0, ack: 7, flags: 0x12, payloadStart: 44, payloadEnd: 47 });
    for (let cut = 0; cut < 24; cut++) {
      const d = new DiagnosticSink('t');
      const short = { ...ip, payloadEnd: ip.payloadStart + cut };
      expect(decodeTcp(frame, short, tcp, d)).toBe(false);
      expect(codes(d.list())).toEqual(['tcp.truncated']);
    }
    packet[20 + 12] = 0x40;
    const d = new DiagnosticSink('t');
    expect(decodeTcp(frame, ip, tcp, d)).toBe(false);
    expect(codes(d.list())).toEqual(['tcp.bad-header']);
  });
});

describe('SIP over TCP: framing', () => {
  it('reads several messages from one segment, bodies by Content-Length', () => {
    const r = decodePackets([...handshake(), ...segments(STREAM, [])]);
    expect(summary(r)).toEqual([
      ['INVITE', [3], 3, 'TCP'],
      [200, [3], 3, 'TCP'],
      ['ACK', [3], 3, 'TCP'],
    ]);
    expect(Buffer.from(r.messages[0]!.message.body).toString()).toBe(BODY);
    expect(r.messages[0]!.src).toEqual({ ip: '10.0.0.1', port: 40000 });
    expect(r.diagnostics).toEqual([]);
  });

  it('splits the stream at every byte position: same messages, frames and completing frame', () => {
    const inviteEnd = INVITE.length;
    const okEnd = inviteEnd + OK.length;
    for (let cut = 1; cut < STREAM.length; cut++) {
      const r = decodePackets([...handshake(), ...segments(STREAM, [cut])]);
      const frameOf = (start: number, end: number) => {
        const frames = [...(start < cut ? [3] : []), ...(end > cut ? [4] : [])];
        return [frames, frames.at(-1)];
      };
      expect(summary(r), `cut at ${cut}`).toEqual([
        ['INVITE', ...frameOf(0, inviteEnd), 'TCP'],
        [200, ...frameOf(inviteEnd, okEnd), 'TCP'],
        ['ACK', ...frameOf(okEnd, STREAM.length), 'TCP'],
      ]);
      expect(r.diagnostics, `cut at ${cut}`).toEqual([]);
      expect(Buffer.from(r.messages[0]!.message.raw).toString()).toBe(INVITE);
    }
  });

  it('takes the time of the frame that completes a message and the offset of its first byte', () => {
    const segs = segments(STREAM, [10, 100]);
    const r = decodePackets([...handshake().map((data, i) => ({ data, time: i })), { data: segs[0]!, time: 5 }, { data: segs[1]!, time: 6.5 }, { data: segs[2]!, time: 7.25 }]);
    expect(r.messages[0]!.time).toEqual({ sec: 7, nsec: 250_000_000 });
    expect(r.messages[0]!.frames).toEqual([3, 4, 5]);
    // decodePackets: frame n's bytes start at 24 + 16n + the lengths before; the payload after 14 + 20 + 20 header bytes.
    const frame3Offset = 24 + 16 * 3 + handshake().reduce((n, f) => n + f.length, 0);
    expect(r.messages[0]!.offset).toBe(frame3Offset + 54);
  });

  it('skips CRLF keep-alives (RFC 5626) between messages and before the first', () => {
    const stream = Buffer.from(`\r\n\r\n${INVITE}\r\n\r\n\r\n${OK}\r\n`);
    const r = decodePackets([...handshake(), ...segments(stream, [2, INVITE.length + 5])]);
    expect(whats(r.messages)).toEqual(['INVITE', '200']);
    expect(codes(r.diagnostics)).toEqual(['sip.keepalive']);
  });

  it('treats a message without Content-Length as having no body, and finds the next message', () => {
    const noLength = INVITE.replace(`Content-Length: ${BODY.length}\r\n`, '');
    const r = decodePackets([...handshake(), ...segments(Buffer.from(noLength + OK), [])]);
    expect(whats(r.messages)).toEqual(['INVITE', '200']);
    expect(codes(r.diagnostics)).toEqual(['sip.content-length-invalid', 'sip.stream-junk']);
  });

  it('resynchronises after a wrong Content-Length, reporting the skipped bytes', () => {
    const wrong = INVITE.replace(`Content-Length: ${BODY.length}`, `Content-Length: ${BODY.length - 20}`);
    const r = decodePackets([...handshake(), ...segments(Buffer.from(wrong + OK + ACK), [])]);
    expect(whats(r.messages)).toEqual(['INVITE', '200', 'ACK']);
    const junk = r.diagnostics.find((d) => d.code === 'sip.stream-junk')!;
    expect(diagnosticText(junk)).toContain('20 bytes');
  });
});

describe('TCP reassembly', () => {
  it('delivers out-of-order segments in order: the frame that fills the hole completes the message', () => {
    const segs = segments(STREAM, [100, 300, 500]);
    const r = decodePackets([...handshake(), segs[0]!, segs[2]!, segs[3]!, segs[1]!]);
    expect(whats(r.messages)).toEqual(['INVITE', '200', 'ACK']);
    expect(INVITE.length).toBeGreaterThan(300);
    expect(r.messages.map((m) => m.frame)).toEqual([6, 6, 6]);
    expect(r.messages.map((m) => m.frames)).toEqual([[3, 4, 6], [4, 5, 6], [5, 6]]);
    expect(r.messages.map((m) => m.time.nsec)).toEqual([5_000_000, 5_000_000, 5_000_000]);
    expect(r.diagnostics).toEqual([]);
  });

  it('reassembles every order of four segments', () => {
    const segs = segments(STREAM, [150, 400, 600]);
    const orders = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2], [2, 0, 3, 1], [1, 3, 0, 2], [3, 1, 2, 0]];
    for (const order of orders) {
      const r = decodePackets([...handshake(), ...order.map((i) => segs[i]!)]);
      expect(whats(r.messages), `order ${order}`).toEqual(['INVITE', '200', 'ACK']);
      expect(r.diagnostics, `order ${order}`).toEqual([]);
    }
  });

  it('drops retransmitted and overlapping segments', () => {
    const segs = segments(STREAM, [100, 300]);
    // Overlap: bytes 50..350 again, as one segment.
    const overlap = flow.frame(true, STREAM.subarray(50, 350), { seq: ISN + 50 });
    const r = decodePackets([...handshake(), segs[0]!, segs[0]!, overlap, segs[1]!, segs[2]!, segs[2]!]);
    expect(whats(r.messages)).toEqual(['INVITE', '200', 'ACK']);
    expect(r.diagnostics.map((d) => [d.code, d.count])).toEqual([['tcp.retransmission', 5]]);
  });

  it('follows sequence numbers across the 2^32 wrap-around', () => {
    for (const isn of [0xffffffff - 50, 0xffffffff, 0xfffffe00, 0]) {
      const segs = segments(STREAM, [30, 60, 200, 400], isn);
      const r = decodePackets([...handshake(isn), segs[0]!, segs[2]!, segs[1]!, segs[4]!, segs[3]!, segs[3]!]);
      expect(whats(r.messages), `isn ${isn}`).toEqual(['INVITE', '200', 'ACK']);
    }
  });

  it('reports a gap with the bytes lost when the receiver acknowledges past it, and resumes at the next start line', () => {
    const inviteEnd = INVITE.length;
    const segs = segments(STREAM, [100, inviteEnd + 10]);
    const ackPast = flow.frame(false, '', { seq: 5001, ack: ISN + STREAM.length, flags: TCP_ACK });
    const r = decodePackets([...handshake(), segs[0]!, segs[2]!, ackPast]);
    expect(whats(r.messages)).toEqual(['ACK']);
    const gap = r.diagnostics.find((d) => d.code === 'tcp.gap')!;
    expect(diagnosticText(gap)).toContain(`${inviteEnd + 10 - 100} bytes were never captured before frame 4`);
    expect(diagnosticText(gap)).toContain('acknowledged');
    expect(codes(r.diagnostics)).toEqual(['tcp.gap', 'sip.stream-incomplete']);
  });

  it('gives up a hole after the gap timeout (capture time)', () => {
    const segs = segments(STREAM, [INVITE.length, INVITE.length + OK.length]);
    const later = flow.frame(true, sipRequest('BYE', 'tcp-1@test', 2), { seq: ISN + STREAM.length });
    const r = decodePackets([{ data: handshake()[0]!, time: 0 }, { data: handshake()[1]!, time: 0 }, { data: segs[0]!, time: 1 }, { data: segs[2]!, time: 2 }, { data: later, time: 20 }]);
    expect(whats(r.messages)).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(diagnosticText(r.diagnostics.find((d) => d.code === 'tcp.gap')!)).toContain(`${OK.length} bytes`);
  });

  it('keeps a message whose headers are whole when the stream ends inside its body', () => {
    const segs = segments(STREAM, [INVITE.length - 10]);
    const r = decodePackets([...handshake(), segs[0]!]);
    expect(whats(r.messages)).toEqual(['INVITE']);
    expect(codes(r.diagnostics)).toEqual(['sip.body-truncated', 'sip.stream-incomplete']);
  });

  it('picks up a stream seen from the middle at the next start line (SIP port)', () => {
    const segs = segments(STREAM, [40, 200]);
    const r = decodePackets(segs.slice(1));
    expect(whats(r.messages)).toEqual(['200', 'ACK']);
    expect(codes(r.diagnostics)).toEqual(['tcp.midstream']);
  });

  it('follows SIP on any port when a segment starts with a start line, and ignores other TCP', () => {
    const other = new TcpFlow({ ip: '10.0.0.1', port: 40001 }, { ip: '10.0.0.2', port: 6060 });
    const web = new TcpFlow({ ip: '10.0.0.1', port: 40002 }, { ip: '10.0.0.2', port: 80 });
    const r = decodePackets([web.frame(true, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', { seq: 1 }), ...segments(STREAM, [300], 77, other), web.frame(false, 'HTTP/1.1 200 OK\r\n\r\n', { seq: 9 })]);
    expect(whats(r.messages)).toEqual(['INVITE', '200', 'ACK']);
    expect(r.messages[0]!.dst.port).toBe(6060);
    expect(r.diagnostics).toEqual([]);
    expect(r.decoder.held().tcpConnections).toBe(0);
  });

  it('reads both directions of a connection', () => {
    const req = segments(Buffer.from(INVITE), [200]);
    const resp = flow.frame(false, OK, { seq: 5001 });
    const r = decodePackets([...handshake(), req[0]!, resp, req[1]!]);
    expect(r.messages.map((m) => [m.message.method ?? m.message.status, m.src.port, m.frame])).toEqual([
      [200, 5060, 4],
      ['INVITE', 40000, 5],
    ]);
  });

  it('forgets a connection after FIN both ways, drops late retransmissions, and accepts a new connection on the same ports', () => {
    const segs = segments(Buffer.from(INVITE), []);
    const finUp = flow.frame(true, '', { seq: ISN + INVITE.length, flags: TCP_FIN | TCP_ACK });
    const finDown = flow.frame(false, '', { seq: 5001, flags: TCP_FIN | TCP_ACK });
    const packets = [
      { data: handshake()[0]!, time: 0 },
      { data: handshake()[1]!, time: 0 },
      { data: segs[0]!, time: 1 },
      { data: finUp, time: 2 },
      { data: finDown, time: 2 },
      { data: segs[0]!, time: 3 }, // late retransmission
      ...handshake(90_000).map((data) => ({ data, time: 4 })),
      ...segments(Buffer.from(OK), [], 90_000).map((data) => ({ data, time: 5 })),
      { data: flow.frame(true, ACK, { seq: 90_000 + OK.length, flags: TCP_RST | TCP_PSH | TCP_ACK }), time: 6 },
      { data: ethernet(0x0800, ipv4('9.9.9.9', '9.9.9.8', Buffer.alloc(8), { protocol: 253 })), time: 200 },
    ];
    const held: number[] = [];
    const r = decodePackets(packets, 1, (d) => held.push(d.held().tcpConnections));
    expect(whats(r.messages)).toEqual(['INVITE', '200']);
    expect(codes(r.diagnostics)).toEqual(['tcp.retransmission', 'ip.unsupported-protocol']);
    expect(held.at(-1)).toBe(0);
  });
});

describe('TCP reassembly: property', () => {
  it('any segmentation, order, retransmission and overlap gives the same messages', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (cuts, orderSeed, dups, isn) => {
          const segs = segments(STREAM, [...cuts].sort((a, b) => a - b), isn);
          const order = segs.map((_, i) => i);
          for (let i = order.length - 1; i > 0; i--) {
            const j = (orderSeed[i] ?? 0) % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          for (const d of dups) order.splice(d % (order.length + 1), 0, order[d % order.length]!);
          const r = decodePackets([...handshake(isn), ...order.map((i) => segs[i]!)]);
          expect(whats(r.messages)).toEqual(['INVITE', '200', 'ACK']);
          expect(Buffer.concat(r.messages.map((m) => Buffer.from(m.message.raw))).toString()).toBe(STREAM.toString());
          expect(codes(r.diagnostics).filter((c) => c !== 'tcp.retransmission')).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('TCP bounded memory', () => {
  it('a stream that never ends its headers holds at most 64 KiB and says so', () => {
    const start = Buffer.from('INVITE sip:bob@example.com SIP/2.0\r\nX-Padding: ');
    const chunk = Buffer.alloc(1400, 0x61);
    let seq = ISN;
    function* packets() {
      yield* handshake();
      yield flow.frame(true, start, { seq });
      seq += start.length;
      for (let i = 0; i < 3000; i++) {
        yield flow.frame(true, chunk, { seq });
        seq += chunk.length;
      }
    }
    let most = 0;
    const r = decodePackets(packets(), 1, (d) => (most = Math.max(most, d.held().tcpBytes)));
    expect(most).toBeLessThan(200 * 1024);
    expect(r.messages).toEqual([]);
    const boundary = r.diagnostics.filter((d) => d.code === 'sip.no-message-boundary');
    expect(boundary.length).toBe(1);
    expect(diagnosticText(boundary[0]!)).toContain('no end of headers within 65536 bytes');
  });

  it('a message larger than 1 MiB is cut, its body skipped, and the next message read', () => {
    const huge = 3 * 1024 * 1024;
    const head = Buffer.from(sipRequest('MESSAGE', 'big@test', 1, 'Content-Type: text/plain\r\n').replace('Content-Length: 0', `Content-Length: ${huge}`));
    const chunk = Buffer.alloc(16000, 0x62);
    let seq = ISN;
    function* packets() {
      yield* handshake();
      yield flow.frame(true, head, { seq });
      seq += head.length;
      for (let sent = 0; sent < huge; sent += chunk.length) {
        const n = Math.min(chunk.length, huge - sent);
        yield flow.frame(true, chunk.subarray(0, n), { seq });
        seq += n;
      }
      yield flow.frame(true, OK, { seq });
    }
    let most = 0;
    const r = decodePackets(packets(), 1, (d) => (most = Math.max(most, d.held().tcpBytes)));
    expect(whats(r.messages)).toEqual(['MESSAGE', '200']);
    expect(r.messages[0]!.message.raw.length).toBe(1024 * 1024);
    expect(codes(r.diagnostics)).toEqual(['sip.body-truncated', 'sip.message-too-large']);
    expect(most).toBeLessThan(3 * 1024 * 1024);
  });

  it('out-of-order bytes that never get their hole filled are bounded, then skipped as a gap', () => {
    const limits: TcpLimits = { maxConnections: 4, maxPendingBytes: 10_000, maxPendingSegments: 8, gapTimeout: 10, idleTimeout: 900, closedTimeout: 60, budget: 1 << 20 };
    const diagnostics = new DiagnosticSink('t');
    const received: string[] = [];
    const consumer: StreamConsumer = {
      data: (b, s, e) => received.push(`data ${e - s}`),
      gap: (lost) => received.push(`gap ${lost}`),
      end: () => received.push('end'),
    };
    const tcp = new TcpReassembler(diagnostics, { consumer: () => consumer }, limits);
    const ip = newIpResult();
    const header = newTcpHeader();
    const feed = (number: number, data: Buffer, seq: number, flags = TCP_ACK | TCP_PSH, port = 40000) => {
      const packet = ipv4('10.0.0.1', '10.0.0.2', tcpSegment(port, 5060, data, { seq, flags }), { protocol: 6 });
      const frame = newFrameView();
      Object.assign(frame, { number, data: packet, start: 0, end: packet.length, origLen: packet.length });
      decodeIp(frame, EtherType.IPV4, 0, ip, diagnostics);
      decodeTcp(frame, ip, header, diagnostics);
      const c = tcp.find(packet, ip, header) ?? tcp.open(frame, ip, header, 1);
      tcp.segment(c, tcp.dir, frame, ip, header, null, false);
    };
    feed(1, Buffer.alloc(100), 0);
    for (let i = 0; i < 50; i++) {
      feed(2 + i, Buffer.alloc(1000), 1100 + i * 1000);
      expect(tcp.budget.used).toBeLessThanOrEqual(10_000 + 1000);
    }
    expect(received.slice(0, 3)).toEqual(['data 100', 'gap 1000', 'data 1000']);
    expect(diagnostics.list().some((d) => d.code === 'tcp.gap' && diagnosticText(d).includes('held out of order'))).toBe(true);
    // More connections than the limit: the least recently active is dropped and reported.
    for (let i = 0; i < 6; i++) feed(100 + i, Buffer.from('x'), 0, TCP_ACK, 41000 + i);
    expect(tcp.connections).toBe(4);
    expect(codes(diagnostics.list()).filter((c) => c === 'tcp.limit').length).toBe(3);
    tcp.finish();
    expect(tcp.connections).toBe(0);
    expect(tcp.budget.used).toBe(0);
  });

  it('many connections that never finish stay within the connection limit of the frame decoder', () => {
    function* packets() {
      for (let i = 0; i < 12_000; i++) {
        const f = new TcpFlow({ ip: `10.1.${i >> 8}.${i & 255}`, port: 40000 }, { ip: '10.0.0.2', port: 5060 });
        yield f.frame(true, 'INVITE sip:x@y SIP/2.0\r\n', { seq: 1 });
      }
    }
    let most = 0;
    const r = decodePackets(packets(), 1, (d) => (most = Math.max(most, d.held().tcpConnections)));
    expect(most).toBe(10_000);
    expect(r.diagnostics.filter((d) => d.code === 'tcp.limit').length + (r.diagnostics.find((d) => d.code === 'diagnostics.suppressed' && d.values.code === 'tcp.limit')?.count ?? 0)).toBe(2000);
  });
});

describe('ChunkOrigin bookkeeping', () => {
  it('is exported for consumers', () => {
    const origin: ChunkOrigin = { frame: 1, sec: 0, nsec: 0, offset: 0, frames: null };
    expect(origin.frame).toBe(1);
  });
});

describe('SIP stream framing: where framing resumes', () => {
  const o: ChunkOrigin = { frame: 1, sec: 0, nsec: 0, offset: 0, frames: null };
  function frame(chunks: (string | { gap: number })[], resync = false) {
    const out: string[] = [];
    const diagnostics = new DiagnosticSink('t');
    const framer = new SipStreamFramer((m) => out.push(Buffer.from(m.bytes).toString().split('\r\n')[0]!), diagnostics, { protocol: 'TCP', src: { ip: '10.0.0.1', port: 5060 }, dst: { ip: '10.0.0.2', port: 5060 } }, { resync });
    for (const c of chunks) {
      if (typeof c === 'string') framer.data(Buffer.from(c), 0, c.length, o, o);
      else framer.gap(c.gap, o, o);
    }
    framer.end();
    return { out, codes: codes(diagnostics.list()) };
  }
  const options = sipRequest('OPTIONS', 'r@test');

  it('does not take the tail of a cut token for a method ("NVITE") nor a body line for a request line', () => {
    expect(frame(['NVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n\r\n' + options], true).out).toEqual(['OPTIONS sip:bob@example.com SIP/2.0']);
    // The INVITE's headers were cut by the gap: it is lost (and reported); framing resumes inside the next line.
    const r = frame([INVITE.slice(0, 100), { gap: 50 }, 'xxxxOPTIONS sip:a@b SIP/2.0\r\n\r\n' + options]);
    expect(r.out).toEqual(['OPTIONS sip:a@b SIP/2.0', 'OPTIONS sip:bob@example.com SIP/2.0']);
    expect(r.codes).toEqual(['sip.stream-incomplete']);
  });

  it('finds a message glued to the end of a body that has no final line break', () => {
    const r = frame(['INVITE sip:x@y SIP/2.0\r\nContent-Length: 9\r\n\r\n', { gap: 3 }, 'body text' + options]);
    expect(r.out).toEqual(['INVITE sip:x@y SIP/2.0', 'OPTIONS sip:bob@example.com SIP/2.0']);
    expect(r.codes).toEqual(['sip.stream-incomplete']);
  });

  it('finds a start line cut by the end of a chunk while looking for one', () => {
    const r = frame(['junk junk junk\r\nOPTI', 'ONS sip:bob@example.com SIP/2.0\r\n' + options.slice(options.indexOf('\r\n') + 2)], true);
    expect(r.out).toEqual(['OPTIONS sip:bob@example.com SIP/2.0']);
  });

  it('keeps an extension method when the stream is in step', () => {
    const r = frame([sipRequest('FOO', 'x@test') + options]);
    expect(r.out).toEqual(['FOO sip:bob@example.com SIP/2.0', 'OPTIONS sip:bob@example.com SIP/2.0']);
  });
});
