/**
 * Scenario builders for the catalog rule tests (transactions and status codes): requests and
 * the responses that answer them, retransmissions, and exact SIP text for malformed messages.
 * Frames are numbered 1, 2, 3... in the order messages are built (reset before each test).
 */
import { parseSipMessage } from '../../src/parse/sip/parse.js';
import type { CapturedMessage, Endpoint, Transport } from '../../src/types.js';
import { A, B, P } from './sip.js';

export { A, B, P };

let frames = 0;

export function resetCatalogFrames(): void {
  frames = 0;
}

function timeAt(ms: number): { sec: number; nsec: number } {
  const totalNs = Math.round(ms * 1e6);
  return { sec: 1700000000 + Math.floor(totalNs / 1e9), nsec: totalNs % 1e9 };
}

/** A captured message from exact SIP text (nothing added). */
export function rawMessage(text: string, ms: number, src: Endpoint, dst: Endpoint, transport: Transport = 'UDP'): CapturedMessage {
  const frame = ++frames;
  return { file: 'test.pcap', frame, frames: [frame], line: null, time: timeAt(ms), src, dst, transport, offset: 0, message: parseSipMessage(Buffer.from(text, 'utf8')).message };
}

/** Header lines plus an optional body, with a correct Content-Length. */
function build(lines: string[], body = ''): string {
  return [...lines, ...(body === '' ? [] : ['Content-Type: application/sdp']), `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
}

export interface Leg {
  callId?: string;
  fromTag?: string;
  /** To tag of an in-dialog request. */
  toTag?: string | null;
  branch?: string;
  /** Sender (default A) and receiver (default B). */
  from?: Endpoint;
  to?: Endpoint;
  /** Extra header lines. */
  extra?: string[];
  body?: string;
  uri?: string;
  transport?: Transport;
}

/** A request `method` with CSeq `seq`, at `ms`. */
export function req(method: string, seq: number, ms: number, leg: Leg = {}): CapturedMessage {
  const from = leg.from ?? A;
  const branch = leg.branch ?? `z9hG4bK-${method.toLowerCase()}-${seq}`;
  const lines = [
    `${method} ${leg.uri ?? 'sip:bob@example.com'} SIP/2.0`,
    `Via: SIP/2.0/${leg.transport ?? 'UDP'} ${from.ip}:${from.port};branch=${branch}`,
    'Max-Forwards: 70',
    `From: <sip:alice@example.com>;tag=${leg.fromTag ?? 'a'}`,
    `To: <sip:bob@example.com>${leg.toTag ? `;tag=${leg.toTag}` : ''}`,
    `Call-ID: ${leg.callId ?? 'call-1'}`,
    `CSeq: ${seq} ${method}`,
    ...(leg.extra ?? []),
  ];
  return rawMessage(build(lines, leg.body), ms, from, leg.to ?? B, leg.transport ?? 'UDP');
}

/** A response to `request` (same Via, From, Call-ID, CSeq; To tag `toTag` unless 100), back along its hop. */
export function res(request: CapturedMessage, status: string, ms: number, extra: string[] = [], opts: { toTag?: string | null; body?: string } = {}): CapturedMessage {
  const msg = request.message;
  const tag = status.startsWith('100') ? null : (msg.to?.tag ?? (opts.toTag === undefined ? 'b' : opts.toTag));
  const lines = [
    `SIP/2.0 ${status}`,
    ...msg.via.map((v) => `Via: ${v.raw}`),
    `From: <${msg.from!.uri.raw}>;tag=${msg.from!.tag}`,
    `To: <${msg.to!.uri.raw}>${tag === null ? '' : `;tag=${tag}`}`,
    `Call-ID: ${msg.callId}`,
    `CSeq: ${msg.cseq!.seq} ${msg.cseq!.method}`,
    ...extra,
  ];
  return rawMessage(build(lines, opts.body), ms, request.dst, request.src, request.transport);
}

/** The same message again at another time: a retransmission on the same hop. */
export function again(m: CapturedMessage, ms: number): CapturedMessage {
  const frame = ++frames;
  return { ...m, frame, frames: [frame], time: timeAt(ms) };
}

/** A minimal SDP body. */
export function sdp(ip = '10.0.0.1'): string {
  return ['v=0', `o=- 1 1 IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0', 'm=audio 4000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
}

/** The same message carried over another transport. */
export function over(transport: Transport, m: CapturedMessage): CapturedMessage {
  return { ...m, transport };
}
