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

/** Six media rules ask for a call's offer/answer pairs: read once per call. */
const OFFER_ANSWERS = new PerCall<readonly OfferAnswer[]>((call) => {
  const pairs: OfferAnswer[] = [];
  for (const tx of call.transactions) {
    if (tx.method !== 'INVITE' || tx.request === null) continue;
    const request = call.messages[tx.request]!.captured.message;
    const reinvite = request.toTag != null;
    const responses = tx.responses.filter((i) => !call.messages[i]!.retransmission);
    const inviteSdp = sdpAt(call, tx.request);
    if (inviteSdp !== null) {
      const answerIndex = responses.find((i) => {
        const status = call.messages[i]!.captured.message.status ?? 0;
        return status > 100 && status < 300 && sdpAt(call, i) !== null;
      });
      pairs.push({ transaction: tx, reinvite, offer: inviteSdp, answer: answerIndex === undefined ? null : sdpAt(call, answerIndex) });
      continue;
    }
    const okIndex = responses.find((i) => {
      const status = call.messages[i]!.captured.message.status ?? 0;
      return status >= 200 && status < 300 && sdpAt(call, i) !== null;
    });
    if (okIndex === undefined) continue;
    const ackTx = tx.ack2xx.map((a) => call.transactions[a]!).find((t) => t.request !== null);
    const ackSdp = ackTx?.request == null ? null : sdpAt(call, ackTx.request);
    pairs.push({ transaction: tx, reinvite, offer: sdpAt(call, okIndex)!, answer: ackSdp });
  }
  return pairs;
});

/** Codecs that carry no audio of their own (DTMF events, comfort noise) do not count for a match. */
const AUXILIARY = new Set(['telephone-event', 'cn', 'red', 'ulpfec', 'rtx']);

export function codecKey(c: Codec): string {
  return `${c.name.toLowerCase()}/${c.rate ?? ''}`;
}

/** A codec that carries audio of its own (not a DTMF event, comfort noise or repair stream). */
export function isMainCodec(c: Codec): boolean {
  return !AUXILIARY.has(c.name.toLowerCase());
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
