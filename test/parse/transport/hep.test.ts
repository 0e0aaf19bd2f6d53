import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHep, isHep2, isHep3, isHepProblem } from '../../../src/parse/transport/hep.js';
import { analyze } from '../../../src/index.js';
import { CORPUS_PCAP_DIR, hasCorpus } from '../../support/captures.js';
import { decodePackets, whats } from '../../support/decode.js';
import { sipRequest, sipResponse } from '../../support/packets.js';
import { codes } from '../../support/read-frames.js';
import { hep2, hep3, hepOverUdp, TcpFlow, TCP_ACK, TCP_SYN, type HepFields } from '../../support/transport-packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

const INVITE = sipRequest('INVITE', 'hep-1@test', 1);
const base: HepFields = { src: { ip: '10.1.1.1', port: 5060 }, dst: { ip: '10.1.1.2', port: 5080 }, sec: 1700000000, usec: 123456, payload: INVITE };

describe('HEPv3', () => {
  it('decodes addresses, ports, protocol, time, type, capture and correlation ids', () => {
    const p = hep3({ ...base, protocol: 6, correlationId: 'corr-1', captureId: 77 });
    const h = decodeHep(p, 0, p.length);
    expect(h).toMatchObject({ version: 3, protocol: 6, srcIp: '10.1.1.1', srcPort: 5060, dstIp: '10.1.1.2', dstPort: 5080, sec: 1700000000, nsec: 123456000, type: 1, captureId: 77, correlationId: 'corr-1', length: p.length });
    expect(Buffer.from((h as { payload: Uint8Array }).payload).toString()).toBe(INVITE);
  });

  it('takes the chunks in any order and skips vendor and unknown chunks', () => {
    const p = hep3({ ...base, shuffle: true, vendorChunks: true });
    expect(decodeHep(p, 0, p.length)).toMatchObject({ srcIp: '10.1.1.1', dstPort: 5080, sec: 1700000000 });
  });

  it('reads IPv6 addresses and an inflated (zlib) payload', () => {
    const p = hep3({ ...base, src: { ip: '2001:db8::1', port: 5060 }, dst: { ip: '2001:db8::2', port: 5060 }, compress: true });
    const h = decodeHep(p, 0, p.length);
    expect(h).toMatchObject({ srcIp: '2001:db8::1', dstIp: '2001:db8::2', payloadAt: -1 });
    expect(Buffer.from((h as { payload: Uint8Array }).payload).toString()).toBe(INVITE);
  });

  it('explains a packet it cannot read, at every truncation', () => {
    const p = hep3(base);
    for (let cut = 6; cut < p.length; cut++) expect(isHepProblem(decodeHep(p, 0, cut)), `cut ${cut}`).toBe(true);
    const badChunk = Buffer.from(p);
    badChunk.writeUInt16BE(3, 6 + 4); // first chunk length 3
    expect(decodeHep(badChunk, 0, badChunk.length)).toMatchObject({ reason: 'chunk-past-end', length: 3 });
    const noPayload = hep3({ ...base, payload: '' }).subarray(0, -6);
    noPayload.writeUInt16BE(noPayload.length, 4);
    expect(decodeHep(noPayload, 0, noPayload.length)).toEqual({ reason: 'no-payload' });
  });
});

describe('HEPv1 and HEPv2', () => {
  it('decodes the fixed header and the v2 time header (little-endian as senders write it)', () => {
    const v2 = hep2(base);
    expect(isHep2(v2, 0, v2.length)).toBe(true);
    expect(decodeHep(v2, 0, v2.length)).toMatchObject({ version: 2, srcIp: '10.1.1.1', srcPort: 5060, dstIp: '10.1.1.2', dstPort: 5080, sec: 1700000000, nsec: 123456000, captureId: 2001 });
    const v1 = hep2(base, 1);
    const h1 = decodeHep(v1, 0, v1.length);
    expect(h1).toMatchObject({ version: 1, sec: null });
    expect(Buffer.from((h1 as { payload: Uint8Array }).payload).toString()).toBe(INVITE);
    const v6 = hep2({ ...base, src: { ip: '2001:db8::a', port: 1 }, dst: { ip: '2001:db8::b', port: 2 } });
    expect(decodeHep(v6, 0, v6.length)).toMatchObject({ srcIp: '2001:db8::a', dstIp: '2001:db8::b' });
  });

  it('does not take RTP, STUN or other binary UDP for HEPv2', () => {
    const notHep = [Buffer.from([2, 0, 1, 0, 0x21, 0x12, 0xa4, 0x42, ...Array(16).fill(0)]), Buffer.from([1, 16, 2, 99, ...Array(30).fill(0)]), Buffer.from([2, 17, 2, 17, ...Array(30).fill(0)])];
    for (const b of notHep) expect(isHep2(b, 0, b.length)).toBe(false);
    expect(isHep3(Buffer.from('HEP'), 0, 3)).toBe(false);
  });
});

describe('HEP in captures', () => {
  it('the inner message keeps the HEP addresses, ports, transport and time, on any UDP port', () => {
    const r = decodePackets([
      { data: hepOverUdp(hep3({ ...base, protocol: 17 })), time: 5 },
      { data: hepOverUdp(hep2({ ...base, sec: 1700000001, payload: sipResponse(200, 'OK', 'INVITE', 'hep-1@test') }), 9999), time: 6 },
      { data: hepOverUdp(hep3({ ...base, protocol: 6, payload: sipRequest('ACK', 'hep-1@test') + sipRequest('BYE', 'hep-1@test', 2) })), time: 7 },
    ]);
    expect(r.messages.map((m) => [m.message.method ?? m.message.status, m.src.ip, m.src.port, m.dst.port, m.transport, m.time.sec, m.frame])).toEqual([
      ['INVITE', '10.1.1.1', 5060, 5080, 'UDP', 1700000000, 1],
      [200, '10.1.1.1', 5060, 5080, 'UDP', 1700000001, 2],
      ['ACK', '10.1.1.1', 5060, 5080, 'TCP', 1700000000, 3],
      ['BYE', '10.1.1.1', 5060, 5080, 'TCP', 1700000000, 3],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('counts HEP packets that carry something else than SIP, and reports broken ones', () => {
    const rtcp = hep3({ ...base, type: 5, payload: '{"type":200}' });
    const broken = hep3(base).subarray(0, 40);
    broken.writeUInt16BE(200, 4);
    const r = decodePackets([hepOverUdp(rtcp), hepOverUdp(rtcp), hepOverUdp(broken)]);
    expect(r.messages).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.count])).toEqual([
      ['hep.bad-packet', undefined],
      ['hep.not-sip', 2],
    ]);
    expect(diagnosticText(r.diagnostics[1]!)).toContain('RTCP (JSON)');
  });

  it('reads HEPv3 over TCP, packets split and joined across segments', () => {
    const flow = new TcpFlow({ ip: '192.0.2.50', port: 41000 }, { ip: '192.0.2.51', port: 9061 });
    const stream = Buffer.concat([hep3(base), hep3({ ...base, payload: sipResponse(180, 'Ringing', 'INVITE', 'hep-1@test') }), hep3({ ...base, payload: sipResponse(200, 'OK', 'INVITE', 'hep-1@test') })]);
    const cut1 = 30;
    const cut2 = hep3(base).length + 50;
    const r = decodePackets([
      flow.frame(true, '', { seq: 0, flags: TCP_SYN }),
      flow.frame(false, '', { seq: 0, ack: 1, flags: TCP_SYN | TCP_ACK }),
      flow.frame(true, stream.subarray(0, cut1), { seq: 1 }),
      flow.frame(true, stream.subarray(cut1, cut2), { seq: 1 + cut1 }),
      flow.frame(true, stream.subarray(cut2), { seq: 1 + cut2 }),
    ]);
    expect(r.messages.map((m) => [whats([m])[0], m.frames, m.src.ip])).toEqual([
      ['INVITE', [3, 4], '10.1.1.1'],
      ['180', [4, 5], '10.1.1.1'],
      ['200', [5], '10.1.1.1'],
    ]);
    expect(r.diagnostics).toEqual([]);
  });
});

describe.skipIf(!hasCorpus)('HEP corpus captures (tshark 4.0 has no HEP dissector; counts from the corpus manifest)', () => {
  it('hep-wireshark-hep.pcap: 6 SIP messages, the log and RTCP-JSON packets counted', async () => {
    const result = await analyze([join(CORPUS_PCAP_DIR, 'hep-wireshark-hep.pcap')]);
    expect(whats(result.messages)).toEqual(['INVITE', '100', '407', 'OPTIONS', '200', 'PUBLISH']);
    expect(result.messages[0]!.src).toEqual({ ip: '192.168.1.1', port: 5060 });
    expect(codes(result.inputs[0]!.diagnostics).filter((c) => c.startsWith('hep'))).toEqual(['hep.not-sip', 'hep.not-sip']);
  });

  it('hep-wireshark-hep3-compressed.pcapng: 21 compressed SIP-over-TCP payloads', async () => {
    const file = join(CORPUS_PCAP_DIR, 'hep-wireshark-hep3-compressed.pcapng');
    expect(readFileSync(file).includes('SIP/2.0')).toBe(false);
    const result = await analyze([file]);
    expect(result.messages.length).toBe(21);
    expect(new Set(result.messages.map((m) => m.transport))).toEqual(new Set(['TCP']));
    // REGISTER 401 REGISTER 200, each captured three times.
    expect(new Set(whats(result.messages))).toEqual(new Set(['REGISTER', '401', '200']));
  });
});
