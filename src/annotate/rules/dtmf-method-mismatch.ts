import type { Call } from '../../parse/dialog/types.js';
import type { CallSide } from '../../parse/media/types.js';
import { offerAnswers } from '../media.js';
import { otherSide, telephoneEventTypes } from './lib/media.js';
import { diffMs } from '../../time.js';
import { defineRule, duration, endpoint, ref } from './types.js';

/** SIP INFO bodies that carry a key press (not standardized: application/dtmf-relay from Cisco, application/dtmf). */
const DTMF_BODIES = new Set(['application/dtmf-relay', 'application/dtmf']);

/** The key an INFO body names: `Signal=5` (dtmf-relay) or the bare key (application/dtmf); '?' when unreadable. */
function infoKey(body: Uint8Array): string {
  let text = '';
  for (let i = 0; i < Math.min(body.length, 200); i++) text += String.fromCharCode(body[i]!);
  const signal = /signal\s*=\s*([0-9A-D*#]|1[0-6])/i.exec(text);
  const bare = /^\s*([0-9A-D*#])\s*$/i.exec(text);
  const key = signal?.[1] ?? bare?.[1] ?? '?';
  return key === '10' ? '*' : key === '11' ? '#' : key.toUpperCase();
}

/** Which side sent a message: the one that sent the first INVITE, or the one that answered it; null when the capture cannot tell (another hop). */
function sideOf(call: Call, index: number): CallSide | null {
  const invite = call.transactions.find((tx) => tx.method === 'INVITE' && tx.request !== null);
  if (invite === undefined) return null;
  const src = call.messages[index]!.captured.src;
  const same = (i: number | undefined) => i !== undefined && call.messages[i]!.captured.src.ip === src.ip && call.messages[i]!.captured.src.port === src.port;
  if (same(invite.request!)) return 'caller';
  return invite.responses.some((i) => same(i)) ? 'callee' : null;
}

/**
 * DTMF sent by another method than the one negotiated: both SDPs named telephone-event (RFC
 * 4733), but the digits went by SIP INFO, or as key tones in the G.711 audio (found by the media
 * join's Goertzel detector, src/parse/media/inband-dtmf.ts) with no RFC 4733 event from that
 * side; or RFC 4733 events went on a payload type the receiver's SDP did not name
 * telephone-event, so the receiver does not read them as digits.
 */
export const dtmfMethodMismatch = defineRule({
  meta: {
    id: 'dtmf-method-mismatch',
    severity: 'warning',
    description: 'DTMF digits are sent by another method than the SDP negotiated: SIP INFO or tones in the audio although RFC 4733 telephone-event was agreed, or RFC 4733 events on a payload type the receiver did not accept.',
    evidence: 'The INFO requests with the digits and their answers; the packets where each in-band digit begins; or the first and last packet of the stream carrying the events.',
    explanation:
      'A key press travels one of three ways: as RFC 4733 events in the RTP (agreed by naming telephone-event in both SDPs; each side sends them on the payload type the other side named), by SIP INFO (application/dtmf-relay or application/dtmf: not standardized, a Cisco convention), or as tones in the audio. When the sender uses another way than the one the receiver listens for, the digits are lost (an IVR menu that does not react, a PIN that is not accepted, a voicemail that does not answer the keys); when it uses two at once, the receiver may act on each key twice.',
    fix: 'Configure {sender} to send DTMF the way the SDP agreed: RFC 4733 / RFC 2833 (dtmfmode=rfc2833 in Asterisk, "rtp-nte" on Cisco gateways), or stop offering telephone-event if INFO is the method the peers agreed on outside SDP.',
    fixes: {
      rejected:
        'The INFO was refused ({status}): the digits {digits} were lost. Configure {sender} to send DTMF as RFC 4733 events, which both SDPs accepted (payload type {payloadType}).',
      both: 'Configure {sender} to send DTMF one way only, RFC 4733 events (negotiated, payload type {payloadType}), and turn its INFO DTMF off, or the receiver may act on each key twice.',
      'wrong-payload-type':
        'Make the sender at {source} send events on the payload type the receiver named telephone-event in its SDP ({accepted}), as RFC 3264 §5.1 requires: each side sends with the numbers the other side announced. An SBC that renumbers payload types in the SDP must renumber the packets too.',
      inband:
        'Configure the sender at {source} (or the gateway in front of it) to send DTMF as RFC 4733 events on payload type {payloadType}, as both SDPs agreed (dtmfmode=rfc2833 in Asterisk, "rtp-nte" on Cisco gateways), or have the receiver detect tones in the audio; a codec that compresses the audio (G.729, Opus) would distort in-band tones on the way.',
    },
    rfc: 'RFC 4733 §2, §7 (telephone events); RFC 3264 §5.1 (payload numbers); RFC 6086 (INFO)',
    messages: {
      info: 'Digits {digits} were sent by SIP INFO from {sender} although both SDPs negotiated RFC 4733 telephone-event (PT {payloadType}).',
      rejected: 'Digits {digits} sent by SIP INFO from {sender} were refused ({status}), although both SDPs negotiated RFC 4733 telephone-event (PT {payloadType}).',
      both: '{sender} sent the digits {digits} both as RFC 4733 events and by SIP INFO: the receiver may act on each key twice.',
      'wrong-payload-type': 'RFC 4733 events from {source} go on payload type {payloadType}, which the receiver did not name telephone-event (it accepted {accepted}): its digits are not read.',
      inband: 'The {side} ({source}) sent the digits {digits} as tones in the audio ({count} keys, the first at {first}, {firstAt} into the call) although both SDPs negotiated RFC 4733 telephone-event (PT {payloadType}): a receiver that listens for RFC 4733 events does not hear them.',
    },
    options: {},
    translations: {
      es: {
        description: 'Los dígitos DTMF se envían por otro método que el negociado en el SDP: SIP INFO aunque se acordó telephone-event de la RFC 4733, o eventos RFC 4733 en un tipo de carga que el receptor no aceptó.',
        evidence: 'Las peticiones INFO con los dígitos y sus respuestas, o el primer y el último paquete del flujo que lleva los eventos.',
        explanation:
          'Una pulsación viaja de una de tres formas: como eventos RFC 4733 en el RTP (acordados al nombrar telephone-event en los dos SDP; cada lado los envía en el tipo de carga que nombró el otro), por SIP INFO (application/dtmf-relay o application/dtmf: no normalizado, una convención de Cisco), o como tonos en el audio. Cuando el emisor usa otra forma que la que escucha el receptor, los dígitos se pierden (un menú IVR que no reacciona, un PIN que no se acepta, un buzón de voz que no atiende las teclas); cuando usa dos a la vez, el receptor puede actuar dos veces por cada tecla.',
        fix: 'Configura {sender} para que envíe el DTMF como acordó el SDP: RFC 4733 / RFC 2833 (dtmfmode=rfc2833 en Asterisk, "rtp-nte" en las pasarelas Cisco), o deja de ofrecer telephone-event si INFO es el método que los extremos acordaron fuera del SDP.',
        fixes: {
          rejected:
            'El INFO fue rechazado ({status}): se perdieron los dígitos {digits}. Configura {sender} para que envíe el DTMF como eventos RFC 4733, que los dos SDP aceptaron (tipo de carga {payloadType}).',
          both: 'Configura {sender} para que envíe el DTMF de una sola forma, eventos RFC 4733 (negociados, tipo de carga {payloadType}), y desactiva su DTMF por INFO, o el receptor puede actuar dos veces por cada tecla.',
          'wrong-payload-type':
            'Haz que el emisor en {source} envíe los eventos en el tipo de carga que el receptor nombró telephone-event en su SDP ({accepted}), como exige la RFC 3264 §5.1: cada lado envía con los números que anunció el otro. Un SBC que renumera los tipos de carga en el SDP debe renumerar también los paquetes.',
          inband:
            'Configura el emisor en {source} (o la pasarela que tiene delante) para que envíe el DTMF como eventos RFC 4733 en el tipo de carga {payloadType}, como acordaron los dos SDP (dtmfmode=rfc2833 en Asterisk, "rtp-nte" en las pasarelas Cisco), o haz que el receptor detecte los tonos en el audio; un códec que comprime el audio (G.729, Opus) deformaría por el camino los tonos en banda.',
        },
        rfc: 'RFC 4733 §2, §7 (eventos telefónicos); RFC 3264 §5.1 (números de carga); RFC 6086 (INFO)',
        messages: {
          info: 'Los dígitos {digits} se enviaron por SIP INFO desde {sender} aunque los dos SDP negociaron telephone-event de la RFC 4733 (PT {payloadType}).',
          rejected: 'Los dígitos {digits} enviados por SIP INFO desde {sender} fueron rechazados ({status}), aunque los dos SDP negociaron telephone-event de la RFC 4733 (PT {payloadType}).',
          both: '{sender} envió los dígitos {digits} como eventos RFC 4733 y también por SIP INFO: el receptor puede actuar dos veces por cada tecla.',
          'wrong-payload-type': 'Los eventos RFC 4733 de {source} van en el tipo de carga {payloadType}, que el receptor no nombró telephone-event (aceptó {accepted}): sus dígitos no se leen.',
          inband: 'El {side} ({source}) envió los dígitos {digits} como tonos en el audio ({count} teclas, la primera en {first}, a los {firstAt} de llamada) aunque los dos SDP negociaron telephone-event de la RFC 4733 (PT {payloadType}): un receptor que escucha eventos RFC 4733 no los oye.',
        },
        options: {},
        values: { side: { caller: 'llamante', callee: 'llamado' } },
      },
    },
  },
  // Every finding is about digits sent by INFO or about a media stream of the call.
  needs: { methods: ['INFO'], media: 'streams' },
  check(call, context) {
    const media = context.media;
    // Digits by INFO, per sender; made at the first (few calls have any).
    let infos = null as Map<string, number[]> | null;
    for (let i = 0; i < call.messages.length; i++) {
      const m = call.messages[i]!;
      const msg = m.captured.message;
      if (msg.method !== 'INFO' || m.retransmission) continue;
      const type = (msg.contentType ?? '').split(';')[0]!.trim().toLowerCase();
      if (!DTMF_BODIES.has(type)) continue;
      const key = `${m.captured.src.ip}|${m.captured.src.port}`;
      infos ??= new Map();
      infos.set(key, [...(infos.get(key) ?? []), i]);
    }
    // Both findings below need RFC 4733 negotiated: the offers and answers are read only for a call
    // with DTMF by INFO or key tones in its audio (few calls).
    const negotiatedType = infos !== null || media?.streams.some((s) => s.kind === 'rtp' && s.inbandDtmf.length > 0) === true ? negotiatedEventType(call) : null;
    if (negotiatedType !== null) {
      for (const indices of infos?.values() ?? []) {
        const first = call.messages[indices[0]!]!.captured;
        const sender = endpoint(first.src);
        const digits = indices.map((i) => infoKey(call.messages[i]!.captured.message.body)).join('');
        const contentType = (first.message.contentType ?? '').split(';')[0]!.trim();
        const statuses = indices.map((i) => finalStatus(call, i));
        const refused = statuses.find((s) => s !== null && s >= 300);
        const side = sideOf(call, indices[0]!);
        const events = media === null || side === null ? [] : media.streams.filter((s) => s.from === side).flatMap((s) => s.dtmf);
        const responses = indices.flatMap((i) => call.transactions[call.messages[i]!.transaction]!.responses.filter((r) => !call.messages[r]!.retransmission));
        const evidence = [...indices, ...responses].sort((a, b) => a - b);
        const data = { sender, digits, count: indices.length, contentType, payloadType: negotiatedType, status: refused ?? 0 };
        if (events.length > 0) {
          context.report({ messageId: 'both', data, messages: evidence, packets: [events[0]!.frame] });
        } else if (refused !== undefined) {
          context.report({ messageId: 'rejected', data, messages: evidence });
        } else {
          context.report({ messageId: 'info', data, messages: evidence, severity: 'info' });
        }
      }
    }
    if (media === null) return;
    // Key tones in the audio where RFC 4733 was negotiated, from a side that sent no RFC 4733 event
    // (a sender doing both leaves the tones in its audio, which a receiver of events ignores).
    if (negotiatedType !== null) {
      for (const side of ['caller', 'callee'] as const) {
        const streams = media.streams.filter((s) => s.from === side && s.kind === 'rtp');
        const tones = streams.flatMap((s) => s.inbandDtmf.map((d) => ({ ...d, stream: s }))).sort((a, b) => a.frame - b.frame);
        if (tones.length === 0 || streams.some((s) => s.dtmf.length > 0)) continue;
        const first = tones[0]!;
        context.report({
          messageId: 'inband',
          data: {
            side,
            source: endpoint(first.stream.src),
            destination: endpoint(first.stream.dst),
            digits: tones.map((t) => t.key).join(''),
            count: tones.length,
            first: ref({ frame: first.frame, line: null }),
            firstAt: duration(diffMs(call.start, { sec: first.sec, nsec: first.nsec })),
            payloadType: negotiatedType,
          },
          messages: offerAnswerEvidence(call),
          packets: tones.map((t) => t.frame),
        });
      }
    }
    // RFC 4733 events on a payload type the receiver did not name telephone-event.
    let named: ReadonlySet<number> | null = null;
    for (const stream of media.streams) {
      if (stream.kind !== 'rtp' || stream.rtp === null || stream.from === null || stream.match === 'unannounced') continue;
      // Only a payload type some SDP of the call named telephone-event can be one: a stream of audio alone (most) needs no receiver's lines.
      named ??= telephoneEventTypes(media.announced);
      if (!someIn(stream.rtp.payloadTypes, named)) continue;
      const receiver = media.announced.filter((a) => a.side === otherSide(stream.from!) && a.type === 'audio' && a.port !== 0);
      if (receiver.length === 0) continue;
      const accepted = telephoneEventTypes(receiver);
      for (const payloadType of stream.rtp.payloadTypes) {
        if (!named.has(payloadType) || accepted.has(payloadType)) continue;
        // The receiver gave that number to another format: then these may not be events at all.
        if (receiver.some((a) => a.codecs.some((c) => c.payload === payloadType))) continue;
        context.report({
          messageId: 'wrong-payload-type',
          data: { source: endpoint(stream.src), destination: endpoint(stream.dst), payloadType, accepted: accepted.size === 0 ? 'none' : [...accepted].map((pt) => `PT ${pt}`).join(', ') },
          messages: [receiver.at(-1)!.message],
          packets: [stream.firstFrame, stream.lastFrame],
        });
      }
    }
  },
});

/** One of `types` is in `set`. */
function someIn(types: readonly number[], set: ReadonlySet<number>): boolean {
  for (let i = 0; i < types.length; i++) if (set.has(types[i]!)) return true;
  return false;
}

/** The payload type of RFC 4733 events as negotiated: the first offer and answer that both name telephone-event on an audio line; null when none did. */
function negotiatedEventType(call: Call): number | null {
  for (const pair of offerAnswers(call)) {
    if (pair.answer === null) continue;
    const events = (media: typeof pair.offer.sdp.media) => media.filter((m) => m.type === 'audio' && m.port !== 0).flatMap((m) => m.codecs.filter((c) => c.name.toLowerCase() === 'telephone-event'));
    const answered = events(pair.answer.sdp.media)[0];
    if (events(pair.offer.sdp.media).length > 0 && answered !== undefined) return answered.payload;
  }
  return null;
}

/** The offer and answer that negotiated RFC 4733 (the first pair whose both sides named telephone-event). */
function offerAnswerEvidence(call: Call): number[] {
  const named = (media: readonly { readonly type: string; readonly port: number; readonly codecs: readonly { readonly name: string }[] }[]) =>
    media.some((m) => m.type === 'audio' && m.port !== 0 && m.codecs.some((c) => c.name.toLowerCase() === 'telephone-event'));
  for (const pair of offerAnswers(call)) {
    if (pair.answer !== null && named(pair.offer.sdp.media) && named(pair.answer.sdp.media)) return [pair.offer.index, pair.answer.index];
  }
  return [];
}

/** The final status of the transaction of request `index`, or null when none was captured. */
function finalStatus(call: Call, index: number): number | null {
  const tx = call.transactions[call.messages[index]!.transaction]!;
  for (const r of tx.responses) {
    const status = call.messages[r]!.captured.message.status ?? 0;
    if (status >= 200) return status;
  }
  return null;
}
