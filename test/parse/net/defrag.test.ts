import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newFrameView } from '../../../src/parse/capture/frame.js';
import { DiagnosticSink } from '../../../src/parse/diagnostic-sink.js';
import { EtherType } from '../../../src/parse/link/link.js';
import { Defragmenter, type DefragLimits } from '../../../src/parse/net/defrag.js';
import { decodeIp, newIpResult } from '../../../src/parse/net/ip.js';
import { decodePackets, whats } from '../../support/decode.js';
import { ethernet, ipv4, ipv6, sipRequest, udp } from '../../support/packets.js';
import { codes } from '../../support/read-frames.js';
import { fragmentIpv4, fragmentIpv6, ipv4Fragment, ipv6Fragment } from '../../support/transport-packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

const BODY = `v=0\r\n${'a=x-filler:0123456789abcdefghijklmnopqrstuvwxyz\r\n'.repeat(80)}`;
const INVITE = sipRequest('INVITE', 'frag-1@test', 1, `Content-Type: application/sdp\r\n`).replace('Content-Length: 0', `Content-Length: ${BODY.length}`) + BODY;
const DATAGRAM = udp(5060, 5060, INVITE);

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

const eth4 = (p: Buffer) => ethernet(0x0800, p);
const eth6 = (p: Buffer) => ethernet(0x86dd, p);

describe('IPv4 defragmentation', () => {
  const fragments = fragmentIpv4('10.0.0.1', '10.0.0.2', DATAGRAM, [1480, 1480, 800, 400]).map(eth4);

  it('splits the test INVITE into 5 fragments', () => {
    expect(fragments.length).toBe(5);
  });

  it('reassembles the fragments in every order (120): one message, all frames, completed by the last', () => {
    for (const order of permutations([0, 1, 2, 3, 4])) {
      const { messages, diagnostics } = decodePackets(order.map((i, k) => ({ data: fragments[i]!, time: 10 + k / 100 })));
      expect(messages.length, `order ${order}`).toBe(1);
      const m = messages[0]!;
      expect(m.message.method).toBe('INVITE');
      expect(Buffer.from(m.message.body).toString()).toBe(BODY);
      expect(m.frames).toEqual([1, 2, 3, 4, 5]);
      expect(m.frame).toBe(5);
      expect(m.time).toEqual({ sec: 10, nsec: 40_000_000 });
      expect(m.src).toEqual({ ip: '10.0.0.1', port: 5060 });
      expect(diagnostics, `order ${order}`).toEqual([]);
    }
  });

  it('points the message offset at its first byte inside the first fragment', () => {
    const { messages } = decodePackets(fragments);
    // decodePackets: frame 1 data starts at file offset 24 + 16; Ethernet 14 + IPv4 20 + UDP 8.
    expect(messages[0]!.offset).toBe(40 + 14 + 20 + 8);
  });

  it('ignores duplicated fragments, before and after the datagram completes', () => {
    const order = [0, 1, 1, 2, 3, 4, 0, 2, 3, 4];
    const { messages, diagnostics } = decodePackets(order.map((i) => fragments[i]!));
    expect(messages.length).toBe(1);
    expect(messages[0]!.frame).toBe(6);
    expect(diagnostics.map((d) => [d.code, d.count])).toEqual([['ip.fragment-duplicate', 5]]);
  });

  it('accepts overlapping fragments with the same bytes', () => {
    const d = DATAGRAM;
    const pieces = [ipv4Fragment('10.0.0.1', '10.0.0.2', d.subarray(0, 1600), 0, true), ipv4Fragment('10.0.0.1', '10.0.0.2', d.subarray(800, 2400), 800, true), ipv4Fragment('10.0.0.1', '10.0.0.2', d.subarray(1600), 1600, false)];
    for (const order of permutations([0, 1, 2])) {
      const { messages, diagnostics } = decodePackets(order.map((i) => eth4(pieces[i]!)));
      expect(whats(messages)).toEqual(['INVITE']);
      expect(Buffer.from(messages[0]!.message.body).toString()).toBe(BODY);
      expect(codes(diagnostics)).toEqual(['ip.fragment-duplicate']);
    }
  });

  it('keeps the first bytes when overlapping fragments disagree, and says so', () => {
    const d = DATAGRAM;
    const evil = Buffer.from(d.subarray(800, 1600)).fill(0x58);
    const pieces = [ipv4Fragment('10.0.0.1', '10.0.0.2', d.subarray(0, 1600), 0, true), ipv4Fragment('10.0.0.1', '10.0.0.2', evil, 800, true), ipv4Fragment('10.0.0.1', '10.0.0.2', d.subarray(1600), 1600, false)];
    const { messages, diagnostics } = decodePackets(pieces.map(eth4));
    expect(Buffer.from(messages[0]!.message.raw).toString()).toBe(INVITE);
    expect(codes(diagnostics)).toEqual(['ip.fragment-overlap']);
    expect(diagnostics[0]).toMatchObject({ frame: 2 });
  });

  it('reports a datagram whose middle fragment never arrives, naming the missing bytes', () => {
    const { messages, diagnostics } = decodePackets([fragments[0]!, fragments[2]!, fragments[3]!, fragments[4]!]);
    expect(messages).toEqual([]);
    expect(codes(diagnostics)).toEqual(['ip.fragment-incomplete']);
    expect(diagnosticText(diagnostics[0]!)).toContain('10.0.0.1 → 10.0.0.2 id 0x4242');
    expect(diagnosticText(diagnostics[0]!)).toContain('missing bytes 1480-2959');
    expect(diagnosticText(diagnostics[0]!)).toContain('the capture ended');
    expect(diagnostics[0]).toMatchObject({ frame: 1, offset: 40 + 14 });
  });

  it('reports a datagram whose last fragment never arrives', () => {
    const { diagnostics } = decodePackets(fragments.slice(0, 4));
    expect(diagnosticText(diagnostics[0]!)).toContain('including the last fragment');
  });

  it('expires incomplete datagrams by capture time, and a later datagram with the same id still works', () => {
    const later = fragments.map((f, i) => ({ data: f, time: 100 + i }));
    const { messages, diagnostics } = decodePackets([{ data: fragments[0]!, time: 1 }, { data: fragments[1]!, time: 2 }, ...later]);
    expect(messages.length).toBe(1);
    expect(messages[0]!.frames).toEqual([3, 4, 5, 6, 7]);
    expect(codes(diagnostics)).toEqual(['ip.fragment-incomplete']);
    expect(diagnosticText(diagnostics[0]!)).toContain('within 30 s of capture time');
  });

  it('reassembles a fragmented IP-in-IP packet and a fragmented packet inside a tunnel', () => {
    const inner = ipv4('192.168.0.1', '192.168.0.2', DATAGRAM);
    const outer = fragmentIpv4('10.0.0.1', '10.0.0.2', inner, [1480, 1480], 4).map(eth4);
    const { messages } = decodePackets(outer);
    expect(messages.map((m) => [m.src.ip, m.frames])).toEqual([['192.168.0.1', [1, 2, 3]]]);
  });

  it('reassembles fragments that are themselves inside a fragmented tunnel datagram', () => {
    const innerFragments = fragmentIpv4('192.168.0.1', '192.168.0.2', DATAGRAM, [1600, 1600], 17, 0x77);
    const frames = innerFragments.flatMap((f, i) => fragmentIpv4('10.0.0.1', '10.0.0.2', f, [1000], 4, 0x100 + i)).map(eth4);
    const { messages, diagnostics } = decodePackets(frames);
    expect(diagnostics).toEqual([]);
    expect(messages.map((m) => m.frames)).toEqual([[1, 2, 3, 4, 5, 6]]);
  });
});

describe('IPv6 defragmentation', () => {
  const fragments = fragmentIpv6('2001:db8::1', '2001:db8::2', DATAGRAM, [1232, 1232, 800]).map(eth6);

  it('reassembles in every order', () => {
    for (const order of permutations(fragments.map((_, i) => i))) {
      const { messages, diagnostics } = decodePackets(order.map((i) => fragments[i]!));
      expect(messages.map((m) => [m.message.method, m.src.ip, m.frames.length, m.frame])).toEqual([['INVITE', '2001:db8::1', fragments.length, fragments.length]]);
      expect(diagnostics).toEqual([]);
    }
  });

  it('takes the protocol from the fragment at offset 0 and follows extension headers inside the datagram', () => {
    // A Destination Options header inside the fragmentable part, then UDP.
    const dstOpts = Buffer.concat([Buffer.from([17, 0]), Buffer.alloc(6)]);
    const payload = Buffer.concat([dstOpts, DATAGRAM]);
    const frags = [ipv6Fragment('2001:db8::1', '2001:db8::2', payload.subarray(0, 1504), 0, true, 60), ipv6Fragment('2001:db8::1', '2001:db8::2', payload.subarray(1504), 1504, false, 60)].map(eth6);
    expect(whats(decodePackets(frags).messages)).toEqual(['INVITE']);
  });

  it('keeps IPv6 and IPv4 datagrams with the same id apart', () => {
    const v4 = fragmentIpv4('10.0.0.1', '10.0.0.2', DATAGRAM, [1480, 1480], 17, 0xfbad).map(eth4);
    const v6 = fragmentIpv6('2001:db8::1', '2001:db8::2', DATAGRAM, [1480, 1480], 17, 0xfbad).map(eth6);
    const { messages } = decodePackets([v4[0]!, v6[0]!, v4[1]!, v6[1]!, v4[2]!, v6[2]!]);
    expect(messages.map((m) => m.src.ip)).toEqual(['10.0.0.1', '2001:db8::1']);
  });
});

describe('defragmentation limits (bounded memory)', () => {
  const limits: DefragLimits = { maxDatagrams: 8, maxFragmentsPerDatagram: 4, maxBytes: 6000, timeoutV4: 30, timeoutV6: 60 };

  function feed(defrag: Defragmenter, packet: Buffer, number: number, sec = 0) {
    const frame = newFrameView();
    Object.assign(frame, { number, sec, data: packet, start: 0, end: packet.length, origLen: packet.length, fileOffset: 0 });
    const ip = newIpResult();
    decodeIp(frame, EtherType.IPV4, 0, ip, new DiagnosticSink('x'));
    return defrag.add(frame, ip);
  }

  it('holds at most maxDatagrams datagrams that never complete, reporting each one dropped', () => {
    const diagnostics = new DiagnosticSink('t');
    const defrag = new Defragmenter(diagnostics, limits);
    for (let i = 0; i < 1000; i++) {
      feed(defrag, ipv4Fragment('10.0.0.1', '10.0.0.2', Buffer.alloc(64), 0, true, 17, i), i + 1);
      expect(defrag.pendingDatagrams).toBeLessThanOrEqual(8);
    }
    const list = diagnostics.list();
    expect(list.filter((d) => d.code === 'ip.fragment-limit').length).toBe(200); // the rest are counted
    expect(list.at(-1)).toMatchObject({ code: 'diagnostics.suppressed', count: 992 - 200 });
    expect(diagnosticText(list[0]!)).toContain('table of datagrams waiting for fragments is full');
    defrag.finish();
    expect(defrag.pendingDatagrams).toBe(0);
  });

  it('holds at most maxBytes of fragment data', () => {
    const diagnostics = new DiagnosticSink('t');
    const defrag = new Defragmenter(diagnostics, limits);
    for (let i = 0; i < 50; i++) {
      feed(defrag, ipv4Fragment('10.0.0.1', '10.0.0.2', Buffer.alloc(1480), 0, true, 17, i), i + 1);
      expect(defrag.bufferedBytes).toBeLessThanOrEqual(6000);
    }
    expect(codes(diagnostics.list())).toContain('ip.fragment-limit');
  });

  it('drops a datagram with more fragments than allowed', () => {
    const diagnostics = new DiagnosticSink('t');
    const defrag = new Defragmenter(diagnostics, limits);
    for (let i = 0; i < 6; i++) feed(defrag, ipv4Fragment('10.0.0.1', '10.0.0.2', Buffer.alloc(8), i * 8, true), i + 1);
    expect(diagnosticText(diagnostics.list()[0]!)).toContain('more than 4 fragments');
  });

  it('refuses a fragment that would make the datagram longer than 65535 bytes', () => {
    const diagnostics = new DiagnosticSink('t');
    const defrag = new Defragmenter(diagnostics, limits);
    expect(feed(defrag, ipv4Fragment('10.0.0.1', '10.0.0.2', Buffer.alloc(800), 65000, false), 1)).toBeNull();
    expect(codes(diagnostics.list())).toEqual(['ip.fragment-limit']);
  });

  it('the frame decoder keeps 1024 datagrams at most with its default limits', () => {
    const packets = Array.from({ length: 1500 }, (_, i) => eth4(ipv4Fragment('10.0.0.1', '10.0.0.2', Buffer.alloc(16), 0, true, 17, i)));
    const { diagnostics } = decodePackets(packets.map((data) => ({ data, time: 5 })));
    const limit = diagnostics.filter((d) => d.code === 'ip.fragment-limit').length + (diagnostics.find((d) => d.code === 'diagnostics.suppressed')?.count ?? 0);
    expect(limit).toBe(1500 - 1024);
  });
});

describe('defragmentation never loses or invents bytes (property)', () => {
  it('any split, order and duplication of fragments gives back the datagram', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6000 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (size, units, orderSeed, dups) => {
          const payload = Buffer.alloc(size);
          for (let i = 0; i < size; i++) payload[i] = (i * 31 + 7) & 0xff;
          const packet = ipv4('10.9.0.1', '10.9.0.2', payload, { protocol: 253 }); // a protocol siplens skips
          const sizes = units.map((u) => u * 8);
          const fragments = fragmentIpv4('10.9.0.1', '10.9.0.2', packet.subarray(20), sizes, 253);
          const order = fragments.map((_, i) => i);
          for (let i = order.length - 1; i > 0; i--) {
            const j = (orderSeed[i] ?? i) % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          for (const d of dups) order.splice(d % (order.length + 1), 0, order[d % order.length]!);
          const diagnostics = new DiagnosticSink('p');
          const defrag = new Defragmenter(diagnostics);
          const results = order.map((i, k) => {
            const frame = newFrameView();
            const data = fragments[i]!;
            Object.assign(frame, { number: k + 1, data, start: 0, end: data.length, origLen: data.length });
            const ip = newIpResult();
            decodeIp(frame, EtherType.IPV4, 0, ip, diagnostics);
            return ip.fragment ? defrag.add(frame, ip) : null;
          });
          const done = results.filter((r) => r !== null);
          if (fragments.length === 1) return done.length === 0; // not a fragment at all
          expect(done.length).toBe(1);
          expect(Buffer.from(done[0]!.packet.subarray(20)).equals(payload)).toBe(true);
          expect(defrag.pendingDatagrams).toBe(0);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
