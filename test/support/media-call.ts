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
  /** The host its Contact names in the message carrying its SDP (default example.com). */
  readonly contact?: string;
  readonly port: number;
  readonly direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** The m= line's payload types with their rtpmap names (default PT 0 PCMU); a name of '' writes no rtpmap. */
  readonly payloads?: readonly { readonly pt: number; readonly name: string }[];
  /** T.38 fax instead of audio: `m=image <port> udptl t38`, with `a=T38FaxRateManagement` when given. */
  readonly fax?: { readonly rateManagement?: string };
}

export interface RtpFlow {
  readonly from: { readonly ip: string; readonly port: number };
  readonly to: { readonly ip: string; readonly port: number };
  readonly startMs: number;
  readonly count: number;
  readonly ssrc?: number;
  readonly intervalMs?: number;
  /** RTP payload type (default 0). */
  readonly payloadType?: number;
  /** Telephone events (RFC 4733) instead of audio: each packet carries event `event` (default 1), the last three with the E bit, all with the first packet's timestamp. */
  readonly telephoneEvent?: { readonly event?: number };
  /** A pause: after packet `afterPacket` nothing for `ms` more (sequence numbers continue, the timestamp moves on by the pause); `marker` sets the marker bit on the packet after it. */
  readonly pause?: { readonly afterPacket: number; readonly ms: number; readonly marker?: boolean };
  /** First sequence number (default 1000). */
  readonly firstSeq?: number;
  /** UDPTL (T.38) packets instead of RTP: no RTP header, a sequence number and a T.30 indicator. */
  readonly udptl?: true;
  /** The audio of packet i (160 bytes of G.711), instead of 0xFF (µ-law silence). */
  readonly audio?: (i: number) => Uint8Array;
}

/** A re-INVITE (CSeq 3, 4, ...) from one side with new SDP, answered by a 200 with the other side's new SDP. */
export interface ReInvite {
  readonly ms: number;
  readonly fromCaller: boolean;
  /** The SDP of the re-INVITE (its sender's) and of the 200 OK (the other side's). */
  readonly offer: MediaSide;
  readonly answer: MediaSide;
  /** The final response (default 200, with the answer's SDP); a refusal carries no SDP and gets an ACK of its own transaction. */
  readonly status?: number;
}

/** An in-dialog request without SDP (INFO, UPDATE...) with a body, answered with `status` (default 200; null for no answer). */
export interface InDialogRequest {
  readonly ms: number;
  readonly fromCaller: boolean;
  readonly method?: string;
  readonly contentType: string;
  readonly body: string;
  readonly status?: number | null;
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
  readonly reinvites?: readonly ReInvite[];
  readonly requests?: readonly InDialogRequest[];
}

function sdp(side: MediaSide): string {
  if (side.fax !== undefined) {
    const rate = side.fax.rateManagement === undefined ? [] : [`a=T38FaxRateManagement:${side.fax.rateManagement}`];
    return ['v=0', `o=- 1 1 IN IP4 ${side.address}`, 's=-', `c=IN IP4 ${side.address}`, 't=0 0', `m=image ${side.port} udptl t38`, 'a=T38FaxVersion:0', ...rate, ''].join('\r\n');
  }
  const payloads = side.payloads ?? [{ pt: 0, name: 'PCMU' }];
  const rtpmaps = payloads.filter((p) => p.name !== '').map((p) => `a=rtpmap:${p.pt} ${p.name}/8000`);
  return ['v=0', `o=- 1 1 IN IP4 ${side.address}`, 's=-', `c=IN IP4 ${side.address}`, 't=0 0', `m=audio ${side.port} RTP/AVP ${payloads.map((p) => p.pt).join(' ')}`, ...rtpmaps, `a=${side.direction ?? 'sendrecv'}`, ''].join('\r\n');
}

function sipMessage(startLine: string, callId: string, cseq: string, toTag: boolean, body = '', contentType = 'application/sdp', contact = 'example.com'): string {
  return [
    startLine,
    'Via: SIP/2.0/UDP caller.example:5060;branch=z9hG4bK-' + callId + '-' + cseq.replace(' ', '-'),
    'From: <sip:alice@example.com>;tag=a1',
    `To: <sip:bob@example.com>${toTag ? ';tag=b2' : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    `Contact: <sip:x@${contact}>`,
    ...(body ? [`Content-Type: ${contentType}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function rtpPacket(seq: number, ssrc: number, payloadType = 0, timestamp = seq * 160, marker = false, event: Uint8Array | null = null): Buffer {
  const b = Buffer.alloc(12 + (event === null ? 160 : event.length), 0xff);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | payloadType;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  if (event !== null) b.set(event, 12);
  return b;
}

/** RFC 4733 §2.3 event block: event, E bit and volume 10, duration in timestamp units. */
function eventBlock(event: number, end: boolean, duration: number): Buffer {
  const b = Buffer.alloc(4);
  b[0] = event;
  b[1] = (end ? 0x80 : 0) | 10;
  b.writeUInt16BE(duration & 0xffff, 2);
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
  sip(0, true, sipMessage('INVITE sip:bob@example.com SIP/2.0', callId, '1 INVITE', false, sdp(spec.caller), undefined, spec.caller.contact));
  sip(5, false, sipMessage('SIP/2.0 100 Trying', callId, '1 INVITE', false));
  if (spec.cancelMs !== undefined) sip(spec.cancelMs, true, sipMessage('CANCEL sip:bob@example.com SIP/2.0', callId, '1 CANCEL', false));
  sip(answerMs, false, sipMessage('SIP/2.0 200 OK', callId, '1 INVITE', true, sdp(spec.callee), undefined, spec.callee.contact));
  sip(answerMs + 10, true, sipMessage('ACK sip:bob@example.com SIP/2.0', callId, '1 ACK', true));
  if (byeMs !== null) {
    sip(byeMs, true, sipMessage('BYE sip:bob@example.com SIP/2.0', callId, '2 BYE', true));
    sip(byeMs + 5, false, sipMessage('SIP/2.0 200 OK', callId, '2 BYE', true));
  }
  let cseq = 3;
  for (const re of spec.reinvites ?? []) {
    const n = cseq++;
    sip(re.ms, re.fromCaller, sipMessage('INVITE sip:bob@example.com SIP/2.0', callId, `${n} INVITE`, true, sdp(re.offer)));
    const status = re.status ?? 200;
    sip(re.ms + 20, !re.fromCaller, sipMessage(`SIP/2.0 ${status} ${status < 300 ? 'OK' : 'Not Acceptable Here'}`, callId, `${n} INVITE`, true, status < 300 ? sdp(re.answer) : ''));
    sip(re.ms + 30, re.fromCaller, sipMessage('ACK sip:bob@example.com SIP/2.0', callId, `${n} ACK`, true));
  }
  for (const rq of spec.requests ?? []) {
    const n = cseq++;
    const method = rq.method ?? 'INFO';
    sip(rq.ms, rq.fromCaller, sipMessage(`${method} sip:bob@example.com SIP/2.0`, callId, `${n} ${method}`, true, rq.body, rq.contentType));
    const status = rq.status === undefined ? 200 : rq.status;
    if (status !== null) sip(rq.ms + 10, !rq.fromCaller, sipMessage(`SIP/2.0 ${status} ${status < 300 ? 'OK' : 'Unsupported Media Type'}`, callId, `${n} ${method}`, true));
  }
  for (const flow of spec.rtp ?? []) {
    const interval = flow.intervalMs ?? 20;
    const firstSeq = flow.firstSeq ?? 1000;
    for (let i = 0; i < flow.count; i++) {
      const paused = flow.pause !== undefined && i > flow.pause.afterPacket ? flow.pause.ms : 0;
      const ms = flow.startMs + i * interval + paused;
      const seq = firstSeq + i;
      let payload: Buffer;
      if (flow.udptl === true) {
        // ITU-T T.38 §9.1 UDPTL: sequence number, then an IFP packet (here a T.30 indicator), then the error-recovery field.
        payload = Buffer.from([(seq >> 8) & 0xff, seq & 0xff, 0x01, 0x00, 0x00, 0x00]);
      } else if (flow.telephoneEvent !== undefined) {
        const end = i >= flow.count - 3;
        payload = rtpPacket(seq, flow.ssrc ?? 0x1234, flow.payloadType ?? 101, firstSeq * 160, i === 0, eventBlock(flow.telephoneEvent.event ?? 1, end, (Math.min(i, flow.count - 3) + 1) * 160));
      } else if (flow.audio !== undefined) {
        payload = rtpPacket(seq, flow.ssrc ?? 0x1234, flow.payloadType ?? 0, seq * 160, false, flow.audio(i));
      } else {
        const marker = flow.pause !== undefined && flow.pause.marker === true && i === flow.pause.afterPacket + 1;
        payload = flow.payloadType === undefined && flow.pause === undefined ? rtpPacket(seq, flow.ssrc ?? 0x1234) : rtpPacket(seq, flow.ssrc ?? 0x1234, flow.payloadType ?? 0, seq * 160 + paused * 8, marker);
      }
      events.push({ ms, data: ethernet(0x0800, ipv4(flow.from.ip, flow.to.ip, udp(flow.from.port, flow.to.port, payload))) });
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

/** The findings of one rule over calls built with mediaCallPackets, as data (call, message id, severity, data). */
export async function ruleFindings(rule: string, ...specs: MediaCallSpec[]) {
  const { analyze } = await import('../../src/analysis/session.js');
  const result = await analyze([mediaCapture(...specs.map(mediaCallPackets))]);
  return result.calls.flatMap((c) => c.findings.filter((f) => f.rule === rule).map((f) => ({ call: c.call.callId, messageId: f.messageId, severity: f.severity, data: f.data })));
}

/** The findings of one rule over a capture file, as `messageId` strings. */
export async function ruleFindingsOf(rule: string, path: string): Promise<string[]> {
  const { analyze } = await import('../../src/analysis/session.js');
  const result = await analyze([path]);
  return result.calls.flatMap((c) => c.findings.filter((f) => f.rule === rule).map((f) => f.messageId));
}
