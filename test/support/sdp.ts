import { parseSdp, type SessionDescription } from '../../src/parse/sip/sdp.js';

export function parseSdpBodyForTest(text: string): SessionDescription | null {
  return parseSdp(Buffer.from(text, 'utf8'));
}
