import { parseSipMessage } from '../../src/parse/sip/parse.js';
import type { SipMessage } from '../../src/parse/sip/types.js';
import type { CapturedMessage, Endpoint } from '../../src/types.js';

export const A: Endpoint = { ip: '10.0.0.1', port: 5060 };
export const P: Endpoint = { ip: '10.0.0.2', port: 5060 };
export const B: Endpoint = { ip: '10.0.0.3', port: 5060 };

let frameCounter = 0;

/**
 * A captured message from SIP text (lines joined with CRLF), at `ms` after a fixed epoch.
 * Without an empty line among `lines`, "Content-Length: 0" and the blank line are added;
 * with one, the lines are the whole message (headers, blank line, body).
 */
export function captured(lines: string[], ms: number, src: Endpoint, dst: Endpoint, frame = ++frameCounter): CapturedMessage {
  const text = lines.includes('') ? lines.join('\r\n') : [...lines, 'Content-Length: 0', '', ''].join('\r\n');
  const bytes = Buffer.from(text, 'utf8');
  const totalNs = Math.round(ms * 1e6);
  return {
    file: 'test.pcap',
    frame,
    frames: [frame],
    line: null,
    time: { sec: 1700000000 + Math.floor(totalNs / 1e9), nsec: totalNs % 1e9 },
    src,
    dst,
    transport: 'UDP',
    offset: 0,
    message: parseSipMessage(bytes).message,
  };
}

export function resetFrames(): void {
  frameCounter = 0;
}

/** Headers of a UAC's INVITE dialog, reused to write short scenarios. */
export function dialogHeaders(opts: { callId?: string; branch?: string; via?: string[]; fromTag?: string; toTag?: string | null; cseq: string }): string[] {
  const vias = opts.via ?? [`SIP/2.0/UDP 10.0.0.1:5060;branch=${opts.branch ?? 'z9hG4bK-1'}`];
  return [
    ...vias.map((v) => `Via: ${v}`),
    `From: <sip:alice@example.com>;tag=${opts.fromTag ?? 'a'}`,
    `To: <sip:bob@example.com>${opts.toTag ? `;tag=${opts.toTag}` : ''}`,
    `Call-ID: ${opts.callId ?? 'call-1'}`,
    `CSeq: ${opts.cseq}`,
  ];
}

/**
 * A copy of a parsed message with some fields replaced, for a case no SIP text gives. A spread
 * would not do: a parsed message makes its headers, From, To, Via and Contact when first read
 * (src/parse/sip/parse.ts), and a spread copies only what it holds.
 */
export function withFields(msg: SipMessage, fields: Partial<SipMessage>): SipMessage {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(msg) as object) as SipMessage, msg);
  for (const [key, value] of Object.entries(fields)) {
    // A field the message holds is set as it is (the copy stays a fast object); one it makes when read is shadowed.
    if (Object.prototype.hasOwnProperty.call(copy, key)) (copy as unknown as Record<string, unknown>)[key] = value;
    else Object.defineProperty(copy, key, { value, enumerable: true });
  }
  return copy;
}
