import type { Call, Transaction } from '../../parse/dialog/types.js';
import type { Timestamp } from '../../types.js';
import { diffMs } from '../../time.js';
import { faxMedia, sdpAt } from '../media.js';
import { duration, endpoint, ref, defineRule } from './types.js';

/** The first final response to a transaction that is not a retransmission, as an index into call.messages. */
function finalResponse(call: Call, tx: Transaction): number | undefined {
  return tx.responses.find((i) => !call.messages[i]!.retransmission && (call.messages[i]!.captured.message.status ?? 0) >= 200);
}

/** Statuses another rule explains better than "the fax switch was refused": a challenge (auth-loop) or a crossing re-INVITE (glare). */
const NOT_A_REFUSAL = new Set([401, 407, 491]);

/**
 * A call that tried to switch to T.38 fax (a re-INVITE offering `m=image udptl t38`, ITU-T T.38
 * Annex D) and did not get there: the switch was refused, or accepted with no UDPTL following,
 * or the two sides disagree on how the training check (TCF) is done. The initial INVITE offering
 * only T.38 is codec-mismatch's: there is no audio call to fall back to.
 */
export const t38Switch = defineRule({
  meta: {
    id: 't38-switch',
    severity: 'error',
    description: 'A switch to T.38 fax failed: the re-INVITE was refused, no UDPTL followed its acceptance, or the sides disagree on the rate management.',
    evidence: 'The re-INVITE offering T.38 and its final response; the re-INVITE back to audio, or the last audio packet, when there is one.',
    explanation:
      'A fax gateway that detects a fax tone sends a re-INVITE offering T.38 over UDPTL (ITU-T T.38 Annex D). When the far end refuses it, the session stays as it was (RFC 3261 §14.2) and the fax goes on as G.711 audio, if at all: G.711 fax passthrough needs no transcoding, no VAD or comfort noise, and almost no loss or jitter, so it often fails on long pages. When the switch is accepted but no UDPTL packet follows, the gateways disagree on where the fax goes (an SBC that did not open the UDPTL port, a NAT, a gateway still sending audio), and the fax fails.',
    fix: 'For a refusal: enable T.38 on {refuser} (or on the trunk or SBC in front of it), or configure both gateways for G.711 fax passthrough (no VAD, no comfort noise, a fixed jitter buffer). For an accepted switch without UDPTL: check that the SBC or media relay handles `m=image udptl` (rtpengine, many SBCs need it enabled) and that each gateway sends to the address and port of the other\'s answer. For a rate-management mismatch: set `T38FaxRateManagement` to transferredTCF on both (ITU-T T.38 Annex D.2.3 requires it over UDP).',
    rfc: 'ITU-T T.38 Annex D; RFC 3261 §14.2; RFC 3264 §6',
    // A refused switch leaves a working audio call (the fax may still pass as G.711); a switch without fax media cannot carry the fax.
    messageSeverity: { refused: 'warning', 'refused-fallback': 'warning', 'rate-management-mismatch': 'warning' },
    messages: {
      refused: 'The switch to T.38 fax was refused with {status} by {refuser}; the call stayed on audio.',
      'refused-fallback': 'The switch to T.38 fax was refused with {status} by {refuser}; the fax went on as G.711 audio (re-INVITE {fallback}).',
      'no-udptl': 'The switch to T.38 fax was accepted, but no UDPTL packet followed in {waited}.',
      'no-udptl-audio': 'The switch to T.38 fax was accepted, but no UDPTL packet followed in {waited}; audio from {source} went on.',
      'rate-management-mismatch': 'The T.38 offer asks for {offered} and the answer says {answered}: the gateways disagree on the training check.',
    },
    options: {
      waitMs: { default: 3000, description: 'After an accepted switch, how long without any UDPTL packet (ms) counts as no fax media.' },
    },
    translations: {
      es: {
        description: 'Un cambio a fax T.38 falló: se rechazó el re-INVITE, no siguió UDPTL tras aceptarlo, o los lados no coinciden en la gestión de tasa.',
        evidence: 'El re-INVITE que ofrece T.38 y su respuesta final; el re-INVITE de vuelta a audio, o el último paquete de audio, cuando los hay.',
        explanation:
          'Una pasarela de fax que detecta un tono de fax envía un re-INVITE que ofrece T.38 sobre UDPTL (ITU-T T.38 anexo D). Si el otro extremo lo rechaza, la sesión queda como estaba (RFC 3261 §14.2) y el fax sigue como audio G.711, si sigue: el fax G.711 en paso directo no admite transcodificación, VAD ni ruido de confort, y casi ninguna pérdida ni jitter, así que a menudo falla en páginas largas. Si el cambio se acepta pero no sigue ningún paquete UDPTL, las pasarelas no coinciden en adónde va el fax (un SBC que no abrió el puerto UDPTL, un NAT, una pasarela que sigue enviando audio), y el fax falla.',
        fix: 'Ante un rechazo: habilita T.38 en {refuser} (o en el troncal o SBC que tiene delante), o configura las dos pasarelas para fax G.711 en paso directo (sin VAD, sin ruido de confort, búfer de jitter fijo). Ante un cambio aceptado sin UDPTL: comprueba que el SBC o el relé de medios maneja `m=image udptl` (rtpengine y muchos SBC necesitan habilitarlo) y que cada pasarela envía a la dirección y el puerto de la respuesta de la otra. Ante una gestión de tasa distinta: pon `T38FaxRateManagement` a transferredTCF en las dos (ITU-T T.38 anexo D.2.3 lo exige sobre UDP).',
        rfc: 'ITU-T T.38 anexo D; RFC 3261 §14.2; RFC 3264 §6',
        messages: {
          refused: 'El cambio a fax T.38 se rechazó con {status} por {refuser}; la llamada siguió en audio.',
          'refused-fallback': 'El cambio a fax T.38 se rechazó con {status} por {refuser}; el fax siguió como audio G.711 (re-INVITE {fallback}).',
          'no-udptl': 'El cambio a fax T.38 se aceptó, pero no siguió ningún paquete UDPTL en {waited}.',
          'no-udptl-audio': 'El cambio a fax T.38 se aceptó, pero no siguió ningún paquete UDPTL en {waited}; el audio de {source} continuó.',
          'rate-management-mismatch': 'La oferta T.38 pide {offered} y la respuesta dice {answered}: las pasarelas no coinciden en la comprobación de entrenamiento.',
        },
        options: { waitMs: 'Tras un cambio aceptado, cuánto tiempo sin ningún paquete UDPTL (ms) cuenta como fax sin medios.' },
      },
    },
  },
  check(call, context) {
    for (let position = 0; position < call.transactions.length; position++) {
      const tx = call.transactions[position]!;
      if (tx.method !== 'INVITE' || tx.request === null) continue;
      // Only a re-INVITE switches an audio call to fax (it carries the To tag of the dialog).
      if (call.messages[tx.request]!.captured.message.toTag == null) continue;
      const offer = sdpAt(call, tx.request);
      const offeredFax = offer === null ? undefined : faxMedia(offer.sdp.media);
      if (offeredFax === undefined) continue;
      const final = finalResponse(call, tx);
      if (final === undefined) continue;
      const response = call.messages[final]!.captured;
      const status = response.message.status ?? 0;
      if (status >= 300) {
        if (NOT_A_REFUSAL.has(status)) continue;
        const fallback = audioFallback(call, position);
        context.report({
          messageId: fallback === null ? 'refused' : 'refused-fallback',
          data: {
            status: `${status} ${response.message.reason ?? ''}`.trim(),
            refuser: endpoint(response.src),
            ...(fallback === null ? {} : { fallback: ref(call.messages[fallback]!.captured) }),
          },
          messages: fallback === null ? [tx.request, final] : [tx.request, final, fallback],
          anchor: final,
        });
        continue;
      }
      const answer = sdpAt(call, final);
      const answeredFax = answer === null ? undefined : faxMedia(answer.sdp.media);
      if (answeredFax === undefined) continue; // a 2xx without SDP or declining the image stream leaves the call on audio
      const offered = offeredFax.t38RateManagement;
      const answered = answeredFax.t38RateManagement;
      if (offered !== null && answered !== null && offered.toLowerCase() !== answered.toLowerCase()) {
        context.report({ messageId: 'rate-management-mismatch', data: { offered, answered }, messages: [tx.request, final] });
      }
      const media = context.media;
      // Without media in the capture (a SIP-only filter), an absent UDPTL stream says nothing.
      if (media === null || !media.mediaSeenAtHosts) continue;
      const acceptedAt = response.time;
      const until = nextOfferOrEnd(call, position) ?? context.captureEnd;
      if (diffMs(acceptedAt, until) < context.options.waitMs) continue;
      const udptl = media.streams.some((s) => s.kind === 'udptl' && s.packets > 0 && diffMs(acceptedAt, s.last) >= 0);
      if (udptl) continue;
      const audio = media.streams.find((s) => s.kind === 'rtp' && s.packets > 0 && diffMs(acceptedAt, s.last) > context.options.waitMs);
      context.report({
        messageId: audio === undefined ? 'no-udptl' : 'no-udptl-audio',
        data: { waited: duration(diffMs(acceptedAt, until)), ...(audio === undefined ? {} : { source: endpoint(audio.src) }) },
        messages: [tx.request, final],
        ...(audio === undefined ? {} : { packets: [audio.lastFrame] }),
      });
    }
  },
});

/** The next re-INVITE after transaction `position` that offers audio and no T.38 and is answered 2xx: the gateways going back to audio. */
function audioFallback(call: Call, position: number): number | null {
  for (const tx of call.transactions.slice(position + 1)) {
    if (tx.method !== 'INVITE' || tx.request === null) continue;
    const offer = sdpAt(call, tx.request);
    if (offer === null || faxMedia(offer.sdp.media) !== undefined) continue;
    if (!offer.sdp.media.some((m) => m.type.toLowerCase() === 'audio' && m.port !== 0)) continue;
    const final = finalResponse(call, tx);
    const status = final === undefined ? 0 : (call.messages[final]!.captured.message.status ?? 0);
    if (status >= 200 && status < 300) return tx.request;
  }
  return null;
}

/** When the next INVITE (a new offer) or the BYE after transaction `position` was sent: the end of the wait for this switch's media; null when neither came. */
function nextOfferOrEnd(call: Call, position: number): Timestamp | null {
  const after = call.messages[call.transactions[position]!.request!]!.captured.time;
  const next = call.transactions
    .filter((tx) => (tx.method === 'INVITE' || tx.method === 'BYE') && tx.request !== null && tx !== call.transactions[position])
    .map((tx) => call.messages[tx.request!]!.captured.time)
    .filter((t) => diffMs(after, t) > 0)
    .sort((a, b) => diffMs(b, a));
  return next[0] ?? null;
}
