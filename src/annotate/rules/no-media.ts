import { answeredCall, expectedToSend, liveAudio, talkMs } from './lib/media.js';
import { defineRule, duration, endpoint } from './types.js';

/**
 * An answered call whose capture shows no RTP at all. It is a warning only where the capture would
 * have shown the media: the inputs carry RTP of these very hosts (other calls of theirs). When the
 * inputs carry RTP but none of these hosts', it is said as unresolved (info): this capture point
 * does not see their media. With no RTP in the inputs at all (a SIP-only filter) nothing is said.
 */
export const noMedia = defineRule({
  meta: {
    id: 'no-media',
    severity: 'warning',
    description: 'An answered call has no RTP in either direction, although the capture carries media; said as unresolved when the capture shows no media of these hosts at all.',
    evidence: 'The 200 OK that answered the call, and the BYE (or the end of the capture).',
    explanation:
      'Once a call is answered, both phones send RTP to the addresses their SDP announced ({caller} for the caller, {callee} for the callee). None arrived for {talk}. The capture carries RTP of other calls and sees these hosts, so media should have shown here: the phones never started it (a codec or SRTP negotiation they could not use), or it went somewhere else (an SBC or media relay that rewrote the SDP, an address the capture point does not see).',
    fix: 'Check that the addresses in both SDPs are reachable from the other side and that the phones support what was negotiated; capture on the media path (the SBC or relay) to see where RTP went.',
    rfc: 'RFC 3264 §5 (offer/answer), RFC 3550 §5 (RTP)',
    messages: {
      none: 'No RTP at all during the {talk} the call was up: the caller announced {caller}, the callee {callee}.',
      'not-captured': 'Unresolved: no RTP of this call is in the capture ({talk} up, media announced at {caller} and {callee}), and none of these hosts shows RTP at all, so this capture point does not see their media.',
    },
    fixes: {
      'not-captured': 'To check the audio of this call, capture where its media flows: next to {caller} or {callee}, or on the SBC or media relay between them.',
    },
    options: {
      minTalkMs: { default: 2000, description: 'Calls up for less than this (ms) are not judged: media may not have started yet.' },
    },
    translations: {
      es: {
        description: 'Una llamada contestada no tiene RTP en ningún sentido, aunque la captura lleva medios; se dice sin resolver cuando la captura no muestra medios de estos equipos.',
        evidence: 'El 200 OK que contestó la llamada, y el BYE (o el final de la captura).',
        explanation:
          'Una vez contestada la llamada, los dos teléfonos envían RTP a las direcciones que anunció su SDP ({caller} el llamante, {callee} el llamado). No llegó nada durante {talk}. La captura lleva RTP de otras llamadas y ve estos equipos, así que los medios deberían verse aquí: los teléfonos no los iniciaron (un códec o una negociación SRTP que no podían usar), o fueron a otra parte (un SBC o relé de medios que reescribió el SDP, una dirección que el punto de captura no ve).',
        fix: 'Comprueba que las direcciones de los dos SDP son alcanzables desde el otro lado y que los teléfonos admiten lo negociado; captura en el camino de los medios (el SBC o el relé) para ver adónde fue el RTP.',
        messages: {
          none: 'Ningún RTP durante los {talk} que la llamada estuvo establecida: el llamante anunció {caller}, el llamado {callee}.',
          'not-captured': 'Sin resolver: la captura no tiene RTP de esta llamada ({talk} establecida, medios anunciados en {caller} y {callee}) y ninguno de estos equipos muestra RTP alguno, así que este punto de captura no ve sus medios.',
        },
        fixes: {
          'not-captured': 'Para comprobar el audio de esta llamada, captura donde fluyen sus medios: junto a {caller} o {callee}, o en el SBC o relé de medios que hay entre ellos.',
        },
        rfc: 'RFC 3264 §5 (oferta/respuesta), RFC 3550 §5 (RTP)',
        options: { minTalkMs: 'Las llamadas establecidas menos de este tiempo (ms) no se juzgan: los medios quizá no hayan empezado aún.' },
      },
    },
  },
  // Says media is missing only where the capture holds RTP (mediaCaptured).
  needs: { media: 'rtp' },
  check(call, context) {
    const media = context.media;
    if (media === null || !media.mediaCaptured || media.streams.some((s) => s.packets > 0)) return;
    const answered = answeredCall(call, context.captureEnd);
    if (answered === null || talkMs(answered) < context.options.minTalkMs) return;
    if (!expectedToSend(media, 'caller') && !expectedToSend(media, 'callee')) return;
    const caller = liveAudio(media, 'caller').at(-1);
    const callee = liveAudio(media, 'callee').at(-1);
    if (caller === undefined || callee === undefined) return;
    context.report({
      messageId: media.mediaSeenAtHosts ? 'none' : 'not-captured',
      data: {
        caller: endpoint({ ip: caller.address!, port: caller.port }),
        callee: endpoint({ ip: callee.address!, port: callee.port }),
        talk: duration(talkMs(answered)),
      },
      messages: answered.bye === null ? [answered.answer] : [answered.answer, answered.bye],
      // The capture holds no RTP of these hosts at all: it cannot tell whether media flowed.
      ...(media.mediaSeenAtHosts ? {} : { severity: 'info' as const }),
    });
  },
});
