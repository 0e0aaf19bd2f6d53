/** Media facts rules share: SDP offer/answer pairs (RFC 3264) and address classes. */
import type { Call, Transaction } from '../parse/dialog/types.js';
import type { Codec, MediaDescription, SessionDescription } from '../parse/sip/sdp.js';
import { sdpOfMessage } from '../parse/sip/parse.js';
import { PerCall } from './facts.js';

export interface SdpAt {
  /** Index into call.messages. */
  readonly index: number;
  readonly sdp: SessionDescription;
}

export interface OfferAnswer {
  readonly transaction: Transaction;
  /** True for an INVITE inside an established dialog (re-INVITE). */
  readonly reinvite: boolean;
  readonly offer: SdpAt;
  readonly answer: SdpAt | null;
}

export function sdpAt(call: Call, index: number): SdpAt | null {
  const msg = call.messages[index]!.captured.message;
  const sdp = sdpOfMessage(msg);
  return sdp === null ? null : { index, sdp };
}

/** A live T.38 m= line: `m=image <port> udptl t38` with a port (ITU-T T.38 Annex D.2.1; port 0 declines it, RFC 3264 §6). */
export function faxMedia(media: readonly MediaDescription[]): MediaDescription | undefined {
  return media.find((m) => m.type.toLowerCase() === 'image' && m.protocol.toLowerCase() === 'udptl' && m.port !== 0);
}

/**
 * Offer/answer pairs of the INVITE transactions (RFC 3264 §4, RFC 6337 §2): an INVITE with
 * SDP is the offer and the first response with SDP the answer; an INVITE without SDP gets its
 * offer in the 2xx and the answer in the ACK.
 */
export function offerAnswers(call: Call): readonly OfferAnswer[] {
  return OFFER_ANSWERS.of(call);
}

/**
 * Six media rules ask for a call's offer/answer pairs: read once per call. The responses are
 * walked in place and each SDP asked once (sdpAt makes an SdpAt), not filtered into a list and
 * searched with `find`, which asked the answer's twice; the first such response is the same.
 */
const OFFER_ANSWERS = new PerCall<readonly OfferAnswer[]>((call) => {
  const pairs: OfferAnswer[] = [];
  for (let t = 0; t < call.transactions.length; t++) {
    const tx = call.transactions[t]!;
    if (tx.method !== 'INVITE' || tx.request === null) continue;
    const request = call.messages[tx.request]!.captured.message;
    const reinvite = request.toTag != null;
    const inviteSdp = sdpAt(call, tx.request);
    // With an offer in the INVITE, the answer is in the first response with SDP from 101 to 299;
    // without one, the offer is in the first 2xx with SDP.
    const lowest = inviteSdp !== null ? 101 : 200;
    let found: SdpAt | null = null;
    for (let r = 0; r < tx.responses.length; r++) {
      const i = tx.responses[r]!;
      const m = call.messages[i]!;
      if (m.retransmission) continue;
      const status = m.captured.message.status ?? 0;
      if (status < lowest || status >= 300) continue;
      found = sdpAt(call, i);
      if (found !== null) break;
    }
    if (inviteSdp !== null) {
      pairs.push({ transaction: tx, reinvite, offer: inviteSdp, answer: found });
      continue;
    }
    if (found === null) continue;
    // The answer is in the ACK for the 2xx: the first of its ACK transactions with a request.
    let ackSdp: SdpAt | null = null;
    for (let k = 0; k < tx.ack2xx.length; k++) {
      const a = tx.ack2xx[k]!;
      const ack = call.transactions[a]!.request;
      if (ack === null) continue;
      ackSdp = sdpAt(call, ack);
      break;
    }
    pairs.push({ transaction: tx, reinvite, offer: found, answer: ackSdp });
  }
  return pairs;
});

/** Codecs that carry no audio of their own (DTMF events, comfort noise) do not count for a match. */
const AUXILIARY = ['telephone-event', 'cn', 'red', 'ulpfec', 'rtx'];

export function codecKey(c: Codec): string {
  return `${c.name.toLowerCase()}/${c.rate ?? ''}`;
}

/**
 * Whether two codecs have the same codecKey (the encoding names compared without case, as it lowers them),
 * without making the keys: the rules ask it of every pair of codecs in an offer and its answer.
 */
export function sameCodec(a: Codec, b: Codec): boolean {
  return a.rate === b.rate && sameCaseless(a.name, b.name);
}

/**
 * `a.toLowerCase() === b.toLowerCase()` without making the lowered strings when both are ASCII,
 * as encoding names are: ASCII letters fold A–Z to a–z. A string with any other character is
 * lowered in full, since lowering it may change its length or yield ASCII (the Kelvin sign
 * U+212A lowers to "k", U+0130 to "i" and a combining dot).
 */
export function sameCaseless(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === b.length) {
    for (let k = 0; k < a.length; k++) {
      const x = a.charCodeAt(k);
      const y = b.charCodeAt(k);
      if (x >= 0x80 || y >= 0x80) return a.toLowerCase() === b.toLowerCase();
      // Every character before k is ASCII in both and lowers to one character in place, so a
      // difference here is a difference of the lowered strings.
      if (x !== y && asciiLower(x) !== asciiLower(y)) return false;
    }
    return true;
  }
  return (!isAscii(a) || !isAscii(b)) && a.toLowerCase() === b.toLowerCase();
}

function asciiLower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function isAscii(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) >= 0x80) return false;
  return true;
}

/** A codec that carries audio of its own (not a DTMF event, comfort noise or repair stream). */
export function isMainCodec(c: Codec): boolean {
  // Asked of every codec pair the rules compare: an ASCII name (all of them in practice) is
  // matched without lowering it, and only against the names of its length.
  const name = c.name;
  if (!isAscii(name)) return !AUXILIARY.includes(name.toLowerCase());
  for (const aux of AUXILIARY) if (aux.length === name.length && sameCaseless(name, aux)) return false;
  return true;
}

export function mainCodecs(codecs: readonly Codec[]): Codec[] {
  return codecs.filter(isMainCodec);
}

export function codecList(codecs: readonly Codec[]): string {
  return codecs.length === 0 ? '(none)' : codecs.map((c) => (c.name ? `${c.name}${c.rate ? `/${c.rate}` : ''}` : `PT ${c.payload}`)).join(', ');
}

/** What an offer proposes, for messages: audio codecs, then other streams by type and transport ("image udptl" for T.38 fax). */
export function describeOffer(sdp: SessionDescription): string {
  const audio = mainCodecs(sdp.media.filter((m) => m.type === 'audio').flatMap((m) => m.codecs));
  const others = sdp.media.filter((m) => m.type !== 'audio').map((m) => (m.type === 'image' && /udptl/i.test(m.protocol) ? 'T.38 fax (image udptl)' : `${m.type} ${m.protocol}`.trim()));
  const parts = [...(audio.length > 0 ? [codecList(audio)] : []), ...others];
  return parts.length === 0 ? '(no media)' : parts.join('; ');
}
