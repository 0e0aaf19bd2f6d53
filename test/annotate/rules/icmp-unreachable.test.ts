/**
 * icmp-unreachable on calls built packet by packet with ICMP errors quoting their packets, the
 * ICMP table's bounds, and the three corpus traces that carry ICMP errors (skipped when absent).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/session.js';
import { IcmpTable, quotedCallId } from '../../../src/parse/icmp-calls.js';
import type { IcmpError } from '../../../src/parse/outputs.js';
import type { Packet } from '../../support/capture-writer.js';
import { CORPUS_PCAP_DIR, hasCorpus } from '../../support/captures.js';
import { mediaCallPackets, mediaCapture, twoWay, type MediaCallSpec, type MediaSide } from '../../support/media-call.js';
import { ethernet, ipv4, udp } from '../../support/packets.js';
import { icmpError } from '../../support/transport-packets.js';

const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000 };
const ROUTER = '203.0.113.1';
const ep = (ip: string, port: number) => ({ kind: 'endpoint', ip, port });
const at = (frame: number) => ({ kind: 'ref', frame, line: null });

/** The IP packet of the first frame whose bytes hold `text` (the frame minus its Ethernet header). */
function ipPacketWith(packets: readonly Packet[], text: string, nth = 0): { packet: Packet; ip: Buffer } {
  const found = packets.filter((p) => Buffer.from(p.data).includes(text))[nth]!;
  return { packet: found, ip: Buffer.from(found.data).subarray(14) };
}

/** An ICMP error from `reporter` to `to`, `afterMs` after the packet it quotes. */
function icmpAfter(quoted: { packet: Packet; ip: Buffer }, reporter: string, to: string, type: number, code: number, rest = 0, afterMs = 1): Packet {
  const ns = quoted.packet.nsec + afterMs * 1e6;
  return { sec: quoted.packet.sec + Math.floor(ns / 1e9), nsec: ns % 1e9, data: ethernet(0x0800, ipv4(reporter, to, icmpError(type, code, quoted.ip, rest), { protocol: 1 })) };
}

async function findings(packets: Packet[]) {
  const result = await analyze([mediaCapture(packets)]);
  return {
    result,
    got: result.calls.flatMap((c) => c.findings.filter((f) => f.rule === 'icmp-unreachable').map((f) => ({ messageId: f.messageId, severity: f.severity, data: f.data, frames: f.frames }))),
  };
}

/** The frame number of a packet once the capture is sorted by time (as mediaCapture writes it). */
function frameNumber(all: readonly Packet[], p: Packet): number {
  const sorted = [...all].sort((a, b) => a.sec - b.sec || a.nsec - b.nsec);
  return sorted.indexOf(p) + 1;
}

const spec = (more: Partial<MediaCallSpec> = {}): MediaCallSpec => ({ caller, callee, rtp: twoWay(caller, callee, 120, 50), ...more });

describe('icmp-unreachable', () => {
  it('valid: no ICMP; ICMP quoting STUN to 3478 or another call; an echo request', async () => {
    expect((await findings(mediaCallPackets(spec()))).got).toEqual([]);
    const packets = mediaCallPackets(spec());
    const stun = { packet: packets[3]!, ip: ipv4(caller.address, '198.51.100.99', udp(40000, 3478, Buffer.alloc(20))) };
    packets.push(icmpAfter(stun, '198.51.100.99', caller.address, 3, 3));
    // A 200 OK of another Call-ID on the same 5-tuple is not this call's.
    const other = mediaCallPackets(spec({ callId: 'other@example.com' }));
    const otherOk = ipPacketWith(other, 'SIP/2.0 200 OK');
    packets.push(icmpAfter({ packet: ipPacketWith(packets, 'SIP/2.0 200 OK').packet, ip: otherOk.ip }, caller.sip, callee.sip, 3, 3));
    packets.push(icmpAfter(stun, ROUTER, caller.address, 8, 0));
    expect((await findings(packets)).got).toEqual([]);
  });

  it('invalid: the 200 OK comes back as port unreachable from the caller (a response to a Via nobody listens on)', async () => {
    const packets = mediaCallPackets(spec());
    const ok = ipPacketWith(packets, 'SIP/2.0 200 OK');
    const icmp = icmpAfter(ok, caller.sip, callee.sip, 3, 3);
    packets.push(icmp);
    const { got } = await findings(packets);
    expect(got).toEqual([
      {
        messageId: 'response',
        severity: 'warning',
        data: { what: '200 OK (INVITE)', message: at(frameNumber(packets, ok.packet)), target: ep(caller.sip, 5060), reporter: caller.sip, icmp: at(frameNumber(packets, icmp)), count: 1, reason: 'port' },
        frames: [frameNumber(packets, ok.packet)],
      },
    ]);
  });

  it('invalid: a BYE to a Contact that is gone (port), and one a router cannot deliver (host)', async () => {
    const packets = mediaCallPackets(spec());
    const bye = ipPacketWith(packets, 'BYE sip:');
    packets.push(icmpAfter(bye, callee.sip, caller.sip, 3, 3));
    const got = (await findings(packets)).got;
    expect(got.map((f) => [f.messageId, f.severity, f.data.what, f.data.reason, f.data.reporter])).toEqual([['request', 'warning', 'BYE', 'port', callee.sip]]);
    const again = mediaCallPackets(spec());
    again.push(icmpAfter(ipPacketWith(again, 'BYE sip:'), ROUTER, caller.sip, 3, 1));
    expect((await findings(again)).got.map((f) => [f.messageId, f.severity, f.data.reason, f.data.reporter, f.data.target])).toEqual([['unreachable', 'warning', 'host', ROUTER, ep(callee.sip, 5060)]]);
  });

  it('invalid: the INVITE over UDP was too big for the path (fragmentation needed, with the MTU)', async () => {
    const packets = mediaCallPackets(spec());
    const invite = ipPacketWith(packets, 'INVITE sip:');
    packets.push(icmpAfter(invite, ROUTER, caller.sip, 3, 4, 576));
    const got = (await findings(packets)).got;
    expect(got.map((f) => [f.messageId, f.severity, f.data.what, f.data.mtu, f.data.length, f.data.reporter])).toEqual([['too-big', 'warning', 'INVITE', 576, invite.ip.length, ROUTER]]);
  });

  it('RTP: during the call to the announced port a warning; at the hang-up and before the answer info', async () => {
    const during = mediaCallPackets(spec());
    const rtp = { packet: during.find((p) => Buffer.from(p.data).readUInt16BE(14 + 20 + 2) === callee.port)!, ip: Buffer.alloc(0) };
    rtp.ip = Buffer.from(rtp.packet.data).subarray(14);
    during.push(icmpAfter(rtp, callee.address, caller.address, 3, 3));
    expect((await findings(during)).got.map((f) => [f.messageId, f.severity, f.data.source, f.data.target, f.data.reporter, f.data.count])).toEqual([
      ['rtp', 'warning', ep(caller.address, caller.port), ep(callee.address, callee.port), callee.address, 1],
    ]);

    // The caller hangs up at 1100 ms; the callee's RTP keeps coming until 1120 and bounces twice.
    const flows = [{ from: { ip: callee.address, port: callee.port }, to: { ip: caller.address, port: caller.port }, startMs: 120, count: 51, ssrc: 0xbbbb }];
    const after = mediaCallPackets(spec({ byeMs: 1100, rtp: flows }));
    const toCaller = after.filter((p) => p.data.length > 100 && Buffer.from(p.data).readUInt16BE(14 + 20 + 2) === caller.port);
    for (const p of toCaller.slice(-2)) after.push(icmpAfter({ packet: p, ip: Buffer.from(p.data).subarray(14) }, caller.address, callee.address, 3, 3));
    expect((await findings(after)).got.map((f) => [f.messageId, f.severity, f.data.count])).toEqual([['rtp-after-hangup', 'info', 2]]);

    // Early media to the caller before the 200 OK (at 500 ms), which bounced: the port was not open yet.
    const early = mediaCallPackets(spec({ answerMs: 500, rtp: [{ from: { ip: callee.address, port: callee.port }, to: { ip: caller.address, port: caller.port }, startMs: 50, count: 40, ssrc: 0xbbbb }] }));
    const first = early.find((p) => p.data.length > 100 && Buffer.from(p.data).readUInt16BE(14 + 20 + 2) === caller.port)!;
    early.push(icmpAfter({ packet: first, ip: Buffer.from(first.data).subarray(14) }, caller.address, callee.address, 3, 3));
    expect((await findings(early)).got.map((f) => [f.messageId, f.severity])).toEqual([['rtp-early', 'info']]);
  });
});

describe('the ICMP table', () => {
  const error = (ms: number, srcPort: number, payload: Uint8Array | null = null): IcmpError => ({
    file: 'x',
    frame: ms,
    frames: null,
    sec: Math.floor(ms / 1000),
    nsec: (ms % 1000) * 1e6,
    offset: 0,
    icmpVersion: 4,
    type: 3,
    code: 3,
    kind: 'unreachable',
    reporter: '10.0.0.2',
    to: '10.0.0.1',
    mtu: null,
    quote: { version: 4, protocol: 17, src: '10.0.0.1', dst: '10.0.0.2', length: 100, fragment: false, fragmentOffset: 0, srcPort, dstPort: 5060, payload, truncated: false },
  });

  it('holds at most max errors (the oldest let go, counted) and forgets those older than the window', () => {
    const table = new IcmpTable({ max: 2, windowMs: 10_000 });
    table.add(error(1000, 1));
    table.add(error(2000, 2));
    table.add(error(3000, 3));
    expect([table.size, table.dropped]).toEqual([2, 1]);
    table.add(error(14_000, 4));
    expect([table.size, table.dropped]).toEqual([1, 1]);
    // Echo, time exceeded and quotes without ports are of no use to a call.
    table.add({ ...error(14_000, 5), kind: 'time-exceeded' });
    table.add({ ...error(14_000, 5), quote: null });
    expect([table.size, table.ignored]).toEqual([1, 2]);
  });

  it('reads the Call-ID of a quoted SIP message, long or compact, and not one the quote cuts', () => {
    const sip = (text: string) => Buffer.from(text);
    expect(quotedCallId(sip('SIP/2.0 180 Ringing\r\nVia: x\r\nCall-ID: abc@h\r\nCSeq: 1 INVITE\r\n'))).toBe('abc@h');
    expect(quotedCallId(sip('BYE sip:a@b SIP/2.0\r\ni: short-form\r\n'))).toBe('short-form');
    expect(quotedCallId(sip('SIP/2.0 180 Ringing\r\nCall-ID: cut-her'))).toBeNull();
    expect(quotedCallId(Buffer.from([0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toBeNull();
  });
});

const corpus = (name: string): string => join(CORPUS_PCAP_DIR, name);
const present = (name: string): boolean => hasCorpus && existsSync(corpus(name));

async function corpusFindings(name: string) {
  const result = await analyze([corpus(name)]);
  return result.calls.flatMap((c) => c.findings.filter((f) => f.rule === 'icmp-unreachable').map((f) => [c.number, f.messageId, f.severity, f.frames, f.data.reporter, f.data.count]));
}

describe('icmp-unreachable on the corpus', () => {
  it.skipIf(!present('bruteshark-metasploit-sip-invite-spoof.pcap'))('metasploit sip_invite_spoof: X-Lite\'s 180 follows the forged Via to a port nobody listens on', async () => {
    expect(await corpusFindings('bruteshark-metasploit-sip-invite-spoof.pcap')).toEqual([[1, 'response-elsewhere', 'warning', [2], '10.0.1.199', 1]]);
    const result = await analyze([corpus('bruteshark-metasploit-sip-invite-spoof.pcap')]);
    const data = result.calls[0]!.findings.find((f) => f.rule === 'icmp-unreachable')!.data;
    expect([data.target, data.requestFrom, data.icmp]).toEqual([ep('10.0.1.199', 5060), ep('10.0.1.199', 62986), at(3)]);
  });

  it.skipIf(!present('gprshome-wireshark-sip-icmp-rtp.pcap'))('gprshome: RTP bounced as the callee hangs up is info; STUN to 3478 says nothing', async () => {
    expect(await corpusFindings('gprshome-wireshark-sip-icmp-rtp.pcap')).toEqual([[7, 'rtp-after-hangup', 'info', [6584, 6587], '192.168.1.104', 1]]);
  });

  it.skipIf(!present('bruteshark-h223-over-rtp-clearmode.cap'))('h223: the 2 RTP packets after the BYE bounced, info', async () => {
    expect(await corpusFindings('bruteshark-h223-over-rtp-clearmode.cap')).toEqual([[1, 'rtp-after-hangup', 'info', [768, 772], '83.166.68.46', 2]]);
  });

  it.skipIf(!present('michalcab-isa-called-by-another-pc.pcap'))('Asterisk with direct media: RTP bounced by the phone that hung up on the other leg, 16 ms before this leg\'s BYE, is the hang-up (info)', async () => {
    const got = await corpusFindings('michalcab-isa-called-by-another-pc.pcap');
    expect(got.map((f) => [f[0], f[1], f[2], f[4], f[5]])).toEqual([[1, 'rtp-after-hangup', 'info', '10.0.2.5', 1]]);
  });
});
