import { describe, expect, it } from 'vitest';
import { isClientHello, tlsRecordAt, tlsServerName } from '../../../src/parse/transport/tls/detect.js';
import { decodePackets } from '../../support/decode.js';
import { codes } from '../../support/read-frames.js';
import { TCP_ACK, TCP_FIN, TcpFlow, tlsAppData, tlsClientHello } from '../../support/transport-packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

const clientHello = tlsClientHello;
const appData = tlsAppData;

describe('TLS recognition', () => {
  it('reads record headers, the ClientHello and its server name, and nothing from other bytes', () => {
    const hello = clientHello('sip.example.com');
    expect(tlsRecordAt(hello, 0, hello.length)).toBe(22);
    expect(isClientHello(hello, 0, hello.length)).toBe(true);
    expect(tlsServerName(hello, 0, hello.length)).toBe('sip.example.com');
    for (let cut = 0; cut < hello.length; cut++) expect(() => tlsServerName(hello, 0, cut)).not.toThrow();
    const sip = Buffer.from('INVITE sip:x SIP/2.0\r\n');
    expect(tlsRecordAt(sip, 0, sip.length)).toBe(0);
    expect(tlsRecordAt(Buffer.from([23, 3, 9, 0, 10]), 0, 5)).toBe(0);
  });

  it('reports each TLS connection on a SIP port once, with endpoints, packets and bytes, and how to get cleartext', () => {
    const flow = new TcpFlow({ ip: '203.0.113.5', port: 40123 }, { ip: '203.0.113.6', port: 5061 });
    const hello = clientHello('pbx.example.com');
    const r = decodePackets([
      flow.frame(true, hello, { seq: 1 }),
      flow.frame(false, appData(500), { seq: 1 }),
      flow.frame(true, appData(300), { seq: 1 + hello.length }),
      flow.frame(true, '', { seq: 1 + hello.length + 305, flags: TCP_FIN | TCP_ACK }),
    ]);
    expect(codes(r.diagnostics)).toEqual(['tls.sip-flow']);
    const d = r.diagnostics[0]!;
    expect(d).toMatchObject({ severity: 'warning', frame: 1 });
    expect(diagnosticText(d)).toContain('203.0.113.5:40123 → 203.0.113.6:5061 (server name pbx.example.com): 4 packets');
    expect(diagnosticText(d)).toContain(`${hello.length + 505 + 305} bytes`);
    expect(diagnosticText(d)).toContain('HEP');
  });

  it('sums TLS connections on other ports per server port, and reports a SIP-port one seen from the middle', () => {
    const https = [1, 2, 3].map((i) => new TcpFlow({ ip: `198.51.100.${i}`, port: 50000 + i }, { ip: '192.0.2.80', port: 443 }));
    const sips = new TcpFlow({ ip: '198.51.100.9', port: 50009 }, { ip: '192.0.2.81', port: 5061 });
    const r = decodePackets([...https.map((f) => f.frame(true, clientHello('www.example.com'), { seq: 1 })), sips.frame(false, appData(100), { seq: 77 })]);
    expect(codes(r.diagnostics).sort()).toEqual(['tls.flow', 'tls.sip-flow']);
    const summary = r.diagnostics.find((d) => d.code === 'tls.flow')!;
    expect(diagnosticText(summary)).toContain('3 TLS connection(s) to port 443');
    expect(diagnosticText(r.diagnostics.find((d) => d.code === 'tls.sip-flow')!)).toContain('198.51.100.9:50009 → 192.0.2.81:5061');
  });
});

describe('TLS connections that end', () => {
  it('are reported and forgotten once closed (FIN both ways or RST), not held to the end', () => {
    const flow = new TcpFlow({ ip: '203.0.113.5', port: 40124 }, { ip: '203.0.113.6', port: 5061 });
    const held: number[] = [];
    const r = decodePackets(
      [
        { data: flow.frame(true, tlsClientHello('a.example'), { seq: 1 }), time: 0 },
        { data: flow.frame(true, '', { seq: 500, flags: TCP_FIN | TCP_ACK }), time: 1 },
        { data: flow.frame(false, '', { seq: 900, flags: TCP_FIN | TCP_ACK }), time: 1 },
        { data: flow.frame(true, '', { seq: 501, flags: TCP_ACK }), time: 1 },
        { data: flow.frame(true, '', { seq: 501, flags: TCP_ACK }), time: 100 },
      ],
      1,
      (d) => held.push(d.held().tcpConnections),
    );
    expect(held).toEqual([1, 1, 1, 1, 0]);
    expect(codes(r.diagnostics)).toEqual(['tls.sip-flow']);
    expect(diagnosticText(r.diagnostics[0]!)).toContain('4 packets');
  });
});
