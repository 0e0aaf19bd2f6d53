/**
 * Calls with media, built packet by packet for the media join and rule tests: a caller and a
 * callee exchange INVITE/100/200/ACK (each side's SDP announcing where it receives audio), RTP
 * flows as asked, then BYE/200. Times are ms from 1700000000 s.
 */
import { Readable } from 'node:stream';
import { writePcap, type Packet } from './capture-writer.js';
import { ethernet, ipv4, udp } from './packets.js';

export interface MediaSide {
  /** Where its SIP comes from. */
  readonly sip: string;
  /** The c= address and m= port of its SDP. */
  readonly address: string;
  readonly port: number;
  readonly direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

export interface RtpFlow {
  readonly from: { readonly ip: string; readonly port: number };
  readonly to: { readonly ip: string; readonly port: number };
  readonly startMs: number;
  readonly count: number;
  readonly ssrc?: number;
  readonly intervalMs?: number;
}

export interface MediaCallSpec {
  readonly callId?: string;
  readonly caller: MediaSide;
  readonly callee: MediaSide;
  /** When the 200 OK comes (ms); the ACK follows 10 ms later. */
  readonly answerMs?: number;
  /** When the BYE comes (ms), or null for none. */
  readonly byeMs?: number | null;
  /** The caller sends CANCEL at this time (crossing the 200 OK). */
  readonly cancelMs?: number;
  readonly rtp?: readonly RtpFlow[];
}

function sdp(side: MediaSide): string {
  return ['v=0', `o=- 1 1 IN IP4 ${side.address}`, 's=-', `c=IN IP4 ${side.address}`, 't=0 0', `m=audio ${side.port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', `a=${side.direction ?? 'sendrecv'}`, ''].join('\r\n');
}

function sipMessage(startLine: string, callId: string, cseq: string, toTag: boolean, body = ''): string {
  return [
    startLine,
    'Via: SIP/2.0/UDP caller.example:5060;branch=z9hG4bK-' + callId + '-' + cseq.replace(' ', '-'),
    'From: <sip:alice@example.com>;tag=a1',
    `To: <sip:bob@example.com>${toTag ? ';tag=b2' : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    'Contact: <sip:x@example.com>',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function rtpPacket(seq: number, ssrc: number): Buffer {
  const b = Buffer.alloc(12 + 160, 0xff);
  b[0] = 0x80;
  b[1] = 0;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE((seq * 160) >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  return b;
}

export function mediaCallPackets(spec: MediaCallSpec): Packet[] {
  const callId = spec.callId ?? 'media-call@example.com';
  const answerMs = spec.answerMs ?? 100;
  const byeMs = spec.byeMs === undefined ? answerMs + 10_000 : spec.byeMs;
  const events: { ms: number; data: Buffer }[] = [];
  const sip = (ms: number, fromCaller: boolean, text: string) => {
    const [src, dst] = fromCaller ? [spec.caller.sip, spec.callee.sip] : [spec.callee.sip, spec.caller.sip];
    events.push({ ms, data: ethernet(0x0800, ipv4(src, dst, udp(5060, 5060, text))) });
  };
  sip(0, true, sipMessage('INVITE sip:bob@example.com SIP/2.0', callId, '1 INVITE', false, sdp(spec.caller)));
  sip(5, false, sipMessage('SIP/2.0 100 Trying', callId, '1 INVITE', false));
  if (spec.cancelMs !== undefined) sip(spec.cancelMs, true, sipMessage('CANCEL sip:bob@example.com SIP/2.0', callId, '1 CANCEL', false));
  sip(answerMs, false, sipMessage('SIP/2.0 200 OK', callId, '1 INVITE', true, sdp(spec.callee)));
  sip(answerMs + 10, true, sipMessage('ACK sip:bob@example.com SIP/2.0', callId, '1 ACK', true));
  if (byeMs !== null) {
    sip(byeMs, true, sipMessage('BYE sip:bob@example.com SIP/2.0', callId, '2 BYE', true));
    sip(byeMs + 5, false, sipMessage('SIP/2.0 200 OK', callId, '2 BYE', true));
  }
  for (const flow of spec.rtp ?? []) {
    for (let i = 0; i < flow.count; i++) {
      const payload = rtpPacket(1000 + i, flow.ssrc ?? 0x1234);
      events.push({ ms: flow.startMs + i * (flow.intervalMs ?? 20), data: ethernet(0x0800, ipv4(flow.from.ip, flow.to.ip, udp(flow.from.port, flow.to.port, payload))) });
    }
  }
  events.sort((a, b) => a.ms - b.ms);
  return events.map((e) => ({ sec: 1700000000 + Math.floor(e.ms / 1000), nsec: Math.round((e.ms % 1000) * 1e6), data: e.data }));
}

/** Several calls' packets in one capture, as an input for analyze(). */
export function mediaCapture(...calls: readonly Packet[][]): { name: string; stream: Readable } {
  const all = calls.flat().sort((a, b) => a.sec - b.sec || a.nsec - b.nsec);
  return { name: 'media.pcap', stream: Readable.from([writePcap({ linkType: 1 }, all)]) };
}

/** Two-way RTP between the sides' announced addresses for `seconds` from the answer. */
export function twoWay(caller: MediaSide, callee: MediaSide, startMs: number, count: number): RtpFlow[] {
  return [
    { from: { ip: caller.address, port: caller.port }, to: { ip: callee.address, port: callee.port }, startMs, count, ssrc: 0xaaaa },
    { from: { ip: callee.address, port: callee.port }, to: { ip: caller.address, port: caller.port }, startMs: startMs + 3, count, ssrc: 0xbbbb },
  ];
}
