/**
 * The dispatch tables are data: the IP protocol table, the UDP ports and heuristics (and the
 * plain-media fast path derived from them), the TCP stream detectors, and the registry of layers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IP_PROTOCOLS, UDP_DISSECTORS, udpSuccessor, udpUnclaimed } from '../../src/parse/dispatch.js';
import { LAYER_COUNT, LayerId } from '../../src/parse/layer.js';
import { LAYERS } from '../../src/parse/layers.js';
import { classifyStream } from '../../src/parse/transport/stream-factory.js';
import { newTcpHeader } from '../../src/parse/transport/tcp.js';
import { sipRequest } from '../support/packets.js';
import { hep2, hep3, tlsAppData, tlsClientHello, WS_UPGRADE_REQUEST } from '../support/transport-packets.js';

const bytes = (x: string | Uint8Array): Uint8Array => (typeof x === 'string' ? Buffer.from(x) : x);
const next = (payload: string | Uint8Array, srcPort: number, dstPort: number): number => {
  const b = bytes(payload);
  return udpSuccessor(b, 0, b.length, srcPort, dstPort, LayerId.MEDIA);
};

const OPTIONS = sipRequest('OPTIONS', 'd-1');
const HEP = hep3({ src: { ip: '192.0.2.1', port: 5060 }, dst: { ip: '192.0.2.2', port: 5060 }, sec: 1, usec: 0, payload: OPTIONS });
const RTP = Uint8Array.from([0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);

describe('IP protocols', () => {
  it('maps the protocols siplens decodes to their layers, the rest to the counted-and-skipped layer', () => {
    expect([1, 6, 17, 47, 50, 58, 132].map((p) => IP_PROTOCOLS[p])).toEqual([LayerId.ICMP, LayerId.TCP, LayerId.UDP, LayerId.GRE, LayerId.ESP, LayerId.ICMPV6, LayerId.SCTP]);
    expect([0, 2, 41, 89, 103, 255].map((p) => IP_PROTOCOLS[p])).toEqual(new Array(6).fill(LayerId.OTHER_IP));
  });
});

describe('UDP dissectors', () => {
  it('SIP by its start line on any port; HEP by content on any port', () => {
    expect(next(OPTIONS, 40000, 40001)).toBe(LayerId.SIP_DATAGRAM);
    expect(next(OPTIONS, 4500, 4789)).toBe(LayerId.SIP_DATAGRAM);
    expect(next(HEP, 40000, 9060)).toBe(LayerId.HEP_DATAGRAM);
    expect(next(hep2({ src: { ip: '192.0.2.1', port: 5060 }, dst: { ip: '192.0.2.2', port: 5060 }, sec: 1, usec: 0, payload: OPTIONS }), 40000, 9063)).toBe(LayerId.HEP_DATAGRAM);
  });

  it('NAT-T on either port (8 bytes at least), VXLAN on the destination port only, SIP ports either way', () => {
    expect(next(new Uint8Array(8).fill(1), 4500, 40000)).toBe(LayerId.NAT_T);
    expect(next(new Uint8Array(8).fill(1), 40000, 4500)).toBe(LayerId.NAT_T);
    expect(next(new Uint8Array(7).fill(1), 40000, 4500)).toBe(LayerId.MEDIA);
    expect(next(new Uint8Array(16), 40000, 4789)).toBe(LayerId.VXLAN);
    expect(next(new Uint8Array(16), 40000, 8472)).toBe(LayerId.VXLAN);
    expect(next(new Uint8Array(16), 4789, 40000)).toBe(LayerId.MEDIA);
    expect(next(RTP, 5060, 40000)).toBe(LayerId.SIP_PORT);
    expect(next('\r\n\r\n', 40000, 5061)).toBe(LayerId.SIP_PORT);
  });

  it('the rest is media, or nothing when no media sink is set (the fallback)', () => {
    expect(next(RTP, 40000, 50000)).toBe(LayerId.MEDIA);
    expect(next('not sip at all', 40000, 50000)).toBe(LayerId.MEDIA);
    expect(udpSuccessor(RTP, 0, RTP.length, 40000, 50000, LayerId.DONE)).toBe(LayerId.DONE);
  });

  it('the fast path skips exactly datagrams no dissector could take', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.constantFrom(5060, 5061, 4500, 4789, 8472, 9060, 40000, 0), fc.constantFrom(5060, 5061, 4500, 4789, 8472, 9060, 50000, 65535), (payload, srcPort, dstPort) => {
        if (udpUnclaimed(payload[0]!, srcPort, dstPort)) expect(udpSuccessor(payload, 0, payload.length, srcPort, dstPort, LayerId.MEDIA)).toBe(LayerId.MEDIA);
      }),
    );
    expect(udpUnclaimed(0x80, 40000, 50000)).toBe(true);
    expect(udpUnclaimed(0x4f, 40000, 50000)).toBe(false); // 'O' may start OPTIONS
    expect(udpUnclaimed(0x80, 4789, 50000)).toBe(true);
    expect(udpUnclaimed(0x80, 50000, 4789)).toBe(false);
  });

  it('the fast path claims exactly the registered ports, on the side each dissector matches', () => {
    const registered = new Set(UDP_DISSECTORS.flatMap((d) => d.ports ?? []));
    for (const d of UDP_DISSECTORS) {
      for (const port of d.ports ?? []) {
        expect(udpUnclaimed(0x80, 40000, port)).toBe(false);
        expect(udpUnclaimed(0x80, port, 40000)).toBe(d.match === 'dst' && !UDP_DISSECTORS.some((o) => o.match !== 'dst' && o.ports?.includes(port)));
        // The neighbours, across a 32-bit word of the bitsets where the port is at its edge.
        for (const near of [port - 1, port + 1, port ^ 31]) if (!registered.has(near)) expect(udpUnclaimed(0x80, near, near)).toBe(true);
      }
    }
    for (const port of [0, 31, 32, 65504, 65535]) expect(udpUnclaimed(0x80, port, port)).toBe(true);
  });

  it('every entry names a registered layer and says how it matches', () => {
    for (const d of UDP_DISSECTORS) {
      expect(LAYERS[d.layer]).toBeTypeOf('function');
      expect(d.ports !== undefined || d.firstBytes !== undefined).toBe(true);
    }
    expect(LAYERS).toHaveLength(LAYER_COUNT);
  });
});

describe('TCP stream detectors', () => {
  const tcp = (payload: string | Uint8Array, srcPort: number, dstPort: number, flags = 0x18) => {
    const b = bytes(payload);
    const h = newTcpHeader();
    Object.assign(h, { srcPort, dstPort, flags, payloadStart: 0, payloadEnd: b.length });
    return classifyStream(b, h);
  };

  it('recognises SIP, HEP, a WebSocket upgrade and TLS on any port, anything on a SIP port as SIP', () => {
    expect(tcp(OPTIONS, 40000, 8080)).toBe('sip');
    expect(tcp(HEP, 40000, 9060)).toBe('hep');
    expect(tcp(WS_UPGRADE_REQUEST, 40000, 8080)).toBe('websocket');
    expect(tcp(tlsClientHello('x.example'), 40000, 443)).toBe('tls');
    expect(tcp(tlsAppData(10), 40000, 5061)).toBe('tls');
    expect(tcp(tlsAppData(10), 40000, 443)).toBeNull();
    expect(tcp('junk', 40000, 5060)).toBe('sip');
    expect(tcp('junk', 40000, 8080)).toBeNull();
    expect(tcp('', 40000, 5060, 0x02)).toBe('undecided');
    expect(tcp('', 40000, 5060, 0x10)).toBeNull();
  });
});
