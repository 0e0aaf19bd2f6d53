/**
 * Never crash on any input: random packets for every layer of this issue (fragments, TCP,
 * WebSocket, HEP, SCTP, GRE/VXLAN, TLS), and every frame of the transport fixtures cut at
 * every length. The decoder must not throw and must stay within its bounds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/captures.js';
import { decodePackets } from '../../support/decode.js';
import { ethernet, ipv4, ipv6, udp } from '../../support/packets.js';
import { readFrames } from '../../support/read-frames.js';
import { gre, hep3, ipv4Fragment, sctp, tcpSegment, vxlan, WS_UPGRADE_REQUEST, wsFrame } from '../../support/transport-packets.js';

const PORTS = [5060, 5061, 9060, 4789, 8080, 443, 6060, 40000];

const packet = fc.oneof(
  fc.record({ kind: fc.constant('tcp'), sport: fc.constantFrom(...PORTS), dport: fc.constantFrom(...PORTS), seq: fc.integer({ min: 0, max: 0xffffffff }), flags: fc.integer({ min: 0, max: 63 }), prefix: fc.constantFrom('', 'INVITE sip:a@b SIP/2.0\r\n', WS_UPGRADE_REQUEST, 'HEP3', '\x16\x03\x01\x00\x40\x01'), data: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('udp'), sport: fc.constantFrom(...PORTS), dport: fc.constantFrom(...PORTS), hep: fc.boolean(), data: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('frag'), id: fc.integer({ min: 0, max: 3 }), offset: fc.integer({ min: 0, max: 400 }), more: fc.boolean(), data: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('sctp'), tsn: fc.integer({ min: 0, max: 5 }), begin: fc.boolean(), end: fc.boolean(), data: fc.uint8Array({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant('gre'), protocol: fc.constantFrom(0x0800, 0x6558, 0x88be, 0x22eb, 0x880b, 0x8847, 0x1234), data: fc.uint8Array({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant('ws'), opcode: fc.integer({ min: 0, max: 15 }), fin: fc.boolean(), data: fc.uint8Array({ maxLength: 200 }) }),
);

type P = typeof packet extends fc.Arbitrary<infer T> ? T : never;

function build(p: P, i: number): Buffer {
  switch (p.kind) {
    case 'tcp':
      return ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', tcpSegment(p.sport, p.dport, Buffer.concat([Buffer.from(p.prefix, 'latin1'), p.data]), { seq: p.seq, flags: p.flags }), { protocol: 6 }));
    case 'udp': {
      const payload = p.hep ? hep3({ src: { ip: '1.1.1.1', port: 1 }, dst: { ip: '2.2.2.2', port: 2 }, sec: 1, usec: 2, payload: Buffer.from(p.data) }).subarray(0, 6 + p.data.length) : p.data;
      return ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(p.sport, p.dport, payload)));
    }
    case 'frag':
      return ethernet(0x0800, ipv4Fragment('10.0.0.1', '10.0.0.2', p.data, p.offset * 8, p.more, 17, p.id));
    case 'sctp':
      return ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', sctp(5060, 5060, [{ tsn: p.tsn, begin: p.begin, end: p.end, data: p.data }]), { protocol: 132 }));
    case 'gre':
      return ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', gre(p.protocol, p.data, { seq: i }), { protocol: 47 }));
    case 'ws':
      return ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', tcpSegment(40000, 8080, wsFrame(p.data, { opcode: p.opcode, fin: p.fin, mask: [1, 2, 3, 4] }), { seq: 1000 + i * 400 }), { protocol: 6 }));
  }
}

describe('robustness of the transports', () => {
  it('random packets of every kind never make the decoder throw', () => {
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 40 }), (packets) => {
        const frames = [ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', tcpSegment(40000, 8080, WS_UPGRADE_REQUEST, { seq: 999 - WS_UPGRADE_REQUEST.length }), { protocol: 6 })), ...packets.map(build)];
        const r = decodePackets(frames);
        expect(r.decoder.held().tcpBytes).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it('every frame of the transport fixtures cut at every length never makes the decoder throw', () => {
    for (const name of ['tcp-streams.pcap', 'fragments.pcap', 'websocket.pcap', 'hep.pcap', 'sctp.pcap', 'tls.pcap', 'tunnels.pcapng']) {
      const { frames } = readFrames(readFileSync(join(REPO_ROOT, 'fixtures', 'synthetic', name)));
      for (const f of frames) {
        const cuts: Buffer[] = [];
        for (let n = 0; n < f.bytes.length; n += 3) cuts.push(f.bytes.subarray(0, n));
        expect(() => decodePackets(cuts), name).not.toThrow();
      }
      // And whole frames with one byte flipped, in order.
      for (let k = 0; k < 200; k++) {
        const mutated = frames.map((f, i) => {
          const b = Buffer.from(f.bytes);
          if (b.length > 0) b[(k * 7919 + i * 104729) % b.length] ^= 1 << (k % 8);
          return b;
        });
        expect(() => decodePackets(mutated), name).not.toThrow();
      }
    }
  });

  it('IPv6 and IPv4 tunnels carrying random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (data) => {
        decodePackets([ethernet(0x86dd, ipv6('::1', '::2', Buffer.from(data), 47)), ethernet(0x0800, ipv4('1.1.1.1', '2.2.2.2', udp(1, 4789, vxlan(Buffer.from(data)))))]);
      }),
      { numRuns: 300 },
    );
  });
});
