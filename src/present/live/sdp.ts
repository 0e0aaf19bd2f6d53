/**
 * A message's SDP explained under its raw text in the live view: each media line (RFC 4566 §5.14)
 * with its port and transport, the address its media goes to (its own c= line, else the
 * session's) with a hint when that address cannot be reached from outside its network, the codecs
 * (rtpmap, else the RFC 3551 static table: the library's SDP parse, src/parse/sip/sdp.ts) and the
 * direction attribute. Pure: the parsed SDP in, lines of words out.
 */
import type { Lang } from '../../annotate/i18n.js';
import { isPrivateAddress } from '../../parse/net/address-class.js';
import type { Codec, SessionDescription } from '../../parse/sip/sdp.js';
import { LIVE } from '../catalog.js';

function codecText(c: Codec, lang: Lang): string {
  if (c.name === '') return LIVE[lang].sdp.unknownPayload(c.payload);
  return `${c.name}${c.rate === null ? '' : `/${c.rate}`} (${c.payload})`;
}

/** What an address says about where the media goes: on hold, unreachable from outside, or nothing more. */
function addressHint(address: string, lang: Lang): string | null {
  const w = LIVE[lang].sdp;
  // RFC 3264 §8.4: c=0.0.0.0 is the RFC 2543 way to put a stream on hold.
  if (address === '0.0.0.0') return w.holdAddress;
  return isPrivateAddress(address) ? w.privateAddress : null;
}

/** The SDP of a message as lines of words (empty for none). */
export function explainSdp(sdp: SessionDescription, lang: Lang): string[] {
  const w = LIVE[lang].sdp;
  const lines: string[] = [];
  if (sdp.address !== null) lines.push(w.session(sdp.address));
  for (const m of sdp.media) {
    // RFC 3264 §6: a port of zero in an answer declines the stream (in an offer, it is offered disabled).
    if (m.port === 0) {
      lines.push(w.declined(m.type, m.protocol));
      continue;
    }
    lines.push(w.media(m.type, m.port, m.protocol));
    if (m.address === null) lines.push(`  ${w.noAddress}`);
    else {
      const hint = addressHint(m.address, lang);
      lines.push(`  ${w.to(m.address)}${hint === null ? '' : ` (${hint})`}`);
    }
    if (m.codecs.length > 0) lines.push(`  ${w.codecs(m.codecs.map((c) => codecText(c, lang)).join(', '))}`);
    lines.push(`  ${w.direction[m.direction]}`);
  }
  return lines;
}
