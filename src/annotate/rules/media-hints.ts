import { isPrivateAddress, isPublicAddress } from '../../parse/net/address-class.js';
import type { Call } from '../../parse/dialog/types.js';
import { offerAnswers, sdpAt } from '../media.js';
import { defineRule, endpoint } from './types.js';
import type { Direction, MediaDescription } from '../../parse/sip/sdp.js';

/** The direction an answer must take to accept an offer's one-way direction (RFC 3264 §6.1). */
const MIRROR: Readonly<Partial<Record<Direction, Direction>>> = { sendonly: 'recvonly', recvonly: 'sendonly' };

export const mediaHints = defineRule({
  meta: {
    id: 'media-hints',
    severity: 'warning',
    messageSeverity: { relayed: 'info', hold: 'info', agreed: 'info' },
    description: 'The SDP predicts one-way or no audio: a private media address sent from a public address, a stream that is not sendrecv on a new call, or a call put on hold. A one-way stream that the offer asked for and the answer accepted is by design (info).',
    evidence: 'The message whose SDP shows it, with the address or direction attribute.',
    explanation:
      'RTP goes where the SDP says (c= and m= lines), not where the signalling came from. A private address in the SDP of a message that arrived from a public address means a NAT sits in between and nothing rewrote the SDP, so the far end sends its audio to an address it cannot reach. A direction other than sendrecv makes audio flow one way or not at all.',
    fix: 'Check the SDP that {sender} sends: its connection address and its direction attributes.',
    fixes: {
      'private-address':
        'Enable the NAT handling of the SBC/proxy in front of {sender} (a media relay such as rtpengine, or SDP rewriting), or configure the device with its public address (STUN, external media address) instead of {address}.',
      'one-way': '{direction} was requested by {sender}: check its hold/mute state and its media settings, and any SBC that rewrites the direction.',
      hold: 'No fix needed if the user put the call on hold; if not, check why {sender} sends {direction} (a hold key, a transfer in progress, a music-on-hold setting).',
      agreed: 'No fix needed if {sender} meant a one-way session (announcement, playback, recording, monitoring); only if two-way audio was expected, check why {sender} offers {direction}.',
      relayed: 'No fix needed while audio flows both ways; if the device hears nothing, check that the relay sends to the address and port its RTP comes from (symmetric RTP, latching), not to {address}.',
    },
    rfc: 'RFC 4566 §6 (direction attributes); RFC 3264 §5.1, §8.4 (hold)',
    messages: {
      'private-address': '{sender} sent SDP with the private media address {address} from the public address {source}: audio towards it will probably be lost.',
      relayed:
        '{sender} sent SDP with the private media address {address} from the public address {source}, and the next hop passed it on with {relayAddress} instead: a media relay in front of the device handles the NAT (it must send to where the device\'s RTP comes from).',
      'one-way': 'The {role} of a new call asks for {direction}: audio can flow only one way, or not at all.',
      hold: 'A re-INVITE from {sender} puts the call on hold ({direction}).',
      agreed: 'The offer of a new call from {sender} asks for {direction} and the answer accepts it ({answerDirection}): audio flows one way by design.',
    },
    options: {},
    translations: {
      es: {
        description: 'El SDP anticipa audio en un solo sentido o sin audio: una dirección de medios privada enviada desde una dirección pública, un flujo que no es sendrecv en una llamada nueva, o una llamada puesta en espera. Un flujo en un solo sentido que la oferta pidió y la respuesta aceptó es intencionado (info).',
        evidence: 'El mensaje cuyo SDP lo muestra, con la dirección o el atributo de sentido.',
        explanation:
          'El RTP va adonde dice el SDP (líneas c= y m=), no adonde llegó la señalización. Una dirección privada en el SDP de un mensaje que llegó desde una dirección pública significa que hay un NAT en medio y nadie reescribió el SDP, así que el otro extremo envía su audio a una dirección que no puede alcanzar. Un sentido distinto de sendrecv hace que el audio fluya en un solo sentido o no fluya.',
        fix: 'Revisa el SDP que envía {sender}: su dirección de conexión y sus atributos de sentido.',
        fixes: {
          'private-address':
            'Habilita el tratamiento de NAT del SBC o del proxy que está delante de {sender} (un relé de medios como rtpengine, o la reescritura del SDP), o configura el dispositivo con su dirección pública (STUN, dirección de medios externa) en lugar de {address}.',
          'one-way': '{sender} pidió {direction}: revisa su estado de espera o de silencio, su configuración de medios y cualquier SBC que reescriba el sentido.',
          hold: 'No hace falta corregir nada si el usuario puso la llamada en espera; si no, averigua por qué {sender} envía {direction} (una tecla de espera, una transferencia en curso, la música en espera).',
          agreed: 'No hace falta corregir nada si {sender} quería una sesión en un solo sentido (locución, reproducción, grabación, escucha); solo si se esperaba audio en los dos sentidos, averigua por qué {sender} ofrece {direction}.',
          relayed: 'No hace falta corregir nada mientras el audio fluya en los dos sentidos; si el dispositivo no oye nada, comprueba que el relé envía a la dirección y el puerto de donde llega su RTP (RTP simétrico, latching), no a {address}.',
        },
        rfc: 'RFC 4566 §6 (atributos de sentido); RFC 3264 §5.1, §8.4 (espera)',
        messages: {
          'private-address': '{sender} envió un SDP con la dirección de medios privada {address} desde la dirección pública {source}: el audio hacia él probablemente se perderá.',
          relayed:
            '{sender} envió un SDP con la dirección de medios privada {address} desde la dirección pública {source}, y el siguiente salto lo reenvió con {relayAddress} en su lugar: un relé de medios delante del dispositivo resuelve el NAT (debe enviar adonde llega el RTP del dispositivo).',
          'one-way': 'La {role} de una llamada nueva pide {direction}: el audio solo puede fluir en un sentido, o no fluir.',
          hold: 'Un re-INVITE de {sender} pone la llamada en espera ({direction}).',
          agreed: 'La oferta de una llamada nueva de {sender} pide {direction} y la respuesta lo acepta ({answerDirection}): el audio fluye en un solo sentido a propósito.',
        },
        options: {},
        values: { role: { offer: 'oferta', answer: 'respuesta' } },
      },
    },
  },
  check(call, context) {
    const pairs = offerAnswers(call);
    // The offers and answers already read, by message index, for a message two pairs share: one
    // pair's offer and answer are two messages, so a call with one pair (most) makes no Set.
    const seen = pairs.length > 1 ? new Set<number>() : null;
    for (let n = 0; n < pairs.length; n++) {
      const pair = pairs[n]!;
      const agreed = pair.reinvite || pair.answer === null ? null : agreedOneWay(pair.offer.sdp.media, pair.answer.sdp.media);
      if (agreed !== null && !seen?.has(pair.offer.index) && !seen?.has(pair.answer!.index)) {
        // A direction the offer asked for and the answer mirrored is the session both ends chose: one info, not a warning per side.
        const sender = endpoint(call.messages[pair.offer.index]!.captured.src);
        context.report({
          messageId: 'agreed',
          data: { sender, direction: `a=${agreed.offer}`, answerDirection: `a=${agreed.answer}`, role: 'offer', address: '' },
          messages: [pair.offer.index, pair.answer!.index].sort((a, b) => a - b),
          anchor: pair.answer!.index,
        });
      }
      // The offer, then the answer, without a list of the two made per pair.
      for (let side = 0; side < 2; side++) {
        const role = side === 0 ? 'offer' : 'answer';
        const at = side === 0 ? pair.offer : pair.answer;
        if (at === null || seen?.has(at.index) === true) continue;
        seen?.add(at.index);
        if (agreed !== null) continue;
        // The first private address and the first one-way direction among the audio streams in use:
        // on most offers and answers neither, and nothing is made for them (not the sender's text).
        let privateAddress: string | null = null;
        let odd: MediaDescription | null = null;
        for (let k = 0; k < at.sdp.media.length; k++) {
          const m = at.sdp.media[k]!;
          if (m.type !== 'audio' || m.port === 0) continue;
          if (privateAddress === null && m.address !== null && isPrivateAddress(m.address)) privateAddress = m.address;
          if (odd === null && m.direction !== 'sendrecv') odd = m;
        }
        if (privateAddress === null && odd === null) continue;
        const captured = call.messages[at.index]!.captured;
        const sender = endpoint(captured.src);
        if (privateAddress !== null && isPublicAddress(captured.src.ip)) {
          const relayed = relayedWithout(call, at.index, privateAddress);
          if (relayed === null) {
            context.report({ messageId: 'private-address', data: { sender, address: privateAddress, source: captured.src.ip, direction: '', role }, messages: [at.index] });
          } else {
            const data = { sender, address: privateAddress, source: captured.src.ip, relayAddress: relayed.address, direction: '', role };
            context.report({ messageId: 'relayed', data, messages: [at.index, relayed.index], anchor: at.index });
          }
        }
        if (odd === null) continue;
        if (pair.reinvite && role === 'offer' && (odd.direction === 'sendonly' || odd.direction === 'inactive')) {
          context.report({ messageId: 'hold', data: { sender, direction: `a=${odd.direction}`, address: '', role }, messages: [at.index] });
        } else if (!pair.reinvite) {
          context.report({ messageId: 'one-way', data: { sender, direction: `a=${odd.direction}`, role, address: '' }, messages: [at.index] });
        }
      }
    }
  },
});

/**
 * The directions of a one-way audio stream that the answer accepted as offered (offer sendonly,
 * answer recvonly; offer recvonly, answer sendonly), when every non-sendrecv audio
 * stream of the offer is mirrored so by the answer's stream at the same position and the answer
 * has no one-way stream of its own; null otherwise.
 */
function agreedOneWay(
  offer: readonly { type: string; port: number; direction: Direction }[],
  answer: readonly { type: string; port: number; direction: Direction }[],
): { offer: Direction; answer: Direction } | null {
  let found: { offer: Direction; answer: Direction } | null = null;
  for (let k = 0; k < offer.length; k++) {
    const o = offer[k]!;
    const a = answer[k];
    if (o.type !== 'audio' || o.port === 0 || a === undefined || a.port === 0) continue;
    if (o.direction === 'sendrecv' && a.direction === 'sendrecv') continue;
    if (MIRROR[o.direction] !== a.direction) return null;
    found ??= { offer: o.direction, answer: a.direction };
  }
  return found;
}

/**
 * The same message passed on by the next hop (same CSeq, same request method or status, sent
 * from elsewhere to elsewhere after it) with SDP whose audio no longer names `address`: a proxy or SBC on the
 * way rewrote the SDP, so it relays the media and meets the NAT itself (heplify-erspan #31, #32).
 */
function relayedWithout(call: Call, index: number, address: string): { index: number; address: string } | null {
  const original = call.messages[index]!.captured;
  const msg = original.message;
  for (let j = index + 1; j < call.messages.length; j++) {
    const next = call.messages[j]!;
    const m = next.captured.message;
    // Passed on: sent from elsewhere and to elsewhere (another fork's response comes to the same proxy).
    if (next.retransmission || next.captured.src.ip === original.src.ip || next.captured.dst.ip === original.dst.ip || m.kind !== msg.kind) continue;
    if (m.cseq?.seq !== msg.cseq?.seq || m.cseq?.method !== msg.cseq?.method || m.method !== msg.method || m.status !== msg.status) continue;
    const audio = sdpAt(call, j)?.sdp.media.filter((d) => d.type === 'audio' && d.port !== 0 && d.address !== null) ?? [];
    if (audio.length > 0 && audio.every((d) => d.address !== address)) return { index: j, address: audio[0]!.address! };
  }
  return null;
}
