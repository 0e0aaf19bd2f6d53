import type { CallSide } from '../../parse/media/types.js';
import { diffMs } from '../../time.js';
import { answeredCall, expectedToSend, streamsFrom } from './lib/media.js';
import { defineRule, duration, endpoint } from './types.js';

/**
 * Dead air at the start of a call: a side the SDP lets send audio starts its RTP seconds after
 * the call was answered. Early media (RTP before the 200 OK) is not late.
 */
export const lateMedia = defineRule({
  meta: {
    id: 'late-media',
    severity: 'warning',
    description: 'RTP from one side starts seconds after the call was answered: the first words are lost ("hello? hello?").',
    evidence: 'The 200 OK that answered the call and the first RTP packet of that side.',
    explanation:
      'Once the 200 OK is sent the call is up and both sides should send audio at once; the {side} started only {late} later, from {source}. Usual causes: a media gateway or SBC that opens its ports late, ICE or a NAT binding established only after the answer, a phone that starts its audio path late, or a firewall that lets RTP through only after the other side sent first.',
    fix: 'Look at what the {side} (or the media relay in front of it) does between the 200 OK and its first packet: ICE checks, a port opened late, waiting for incoming RTP before sending (symmetric RTP latching on both sides waits forever).',
    rfc: 'RFC 3264 §5 (media may be sent once the answer is known)',
    messages: {
      late: 'The {side}\'s RTP starts {late} after the call was answered.',
    },
    options: {
      thresholdMs: { default: 2000, description: 'A side\'s first RTP later than this after the answer (ms) is reported.' },
    },
    translations: {
      es: {
        description: 'El RTP de un lado empieza segundos después de contestar la llamada: se pierden las primeras palabras ("¿diga? ¿diga?").',
        evidence: 'El 200 OK que contestó la llamada y el primer paquete RTP de ese lado.',
        explanation:
          'Una vez enviado el 200 OK la llamada está establecida y los dos lados deberían enviar audio enseguida; el {side} empezó {late} más tarde, desde {source}. Causas habituales: una pasarela de medios o un SBC que abre sus puertos tarde, ICE o un enlace NAT establecido solo tras la respuesta, un teléfono que activa tarde su audio, o un cortafuegos que deja pasar el RTP solo después de que el otro lado envíe primero.',
        fix: 'Mira qué hace el {side} (o el relé de medios que tiene delante) entre el 200 OK y su primer paquete: comprobaciones ICE, un puerto abierto tarde, esperar RTP entrante antes de enviar (el enganche de RTP simétrico en los dos lados espera para siempre).',
        rfc: 'RFC 3264 §5 (los medios pueden enviarse en cuanto se conoce la respuesta)',
        messages: {
          late: 'El RTP del {side} empieza {late} después de contestar la llamada.',
        },
        options: { thresholdMs: 'Se informa del primer RTP de un lado posterior a la respuesta en más de este tiempo (ms).' },
        values: { side: { caller: 'llamante', callee: 'llamado' } },
      },
    },
  },
  // Reports on the call's streams only.
  needs: { media: 'streams' },
  check(call, context) {
    const media = context.media;
    // Every finding is about a side's first stream: a call without RTP has nothing to look at.
    if (media === null || media.streams.length === 0) return;
    const answered = answeredCall(call, context.captureEnd);
    if (answered === null) return;
    for (const side of ['caller', 'callee'] as CallSide[]) {
      const first = streamsFrom(media, side)[0];
      if (first === undefined) continue;
      const late = diffMs(answered.at, first.first);
      // The SDP's directions are read for a late stream only (most streams start with the answer).
      if (late <= context.options.thresholdMs || !expectedToSend(media, side)) continue;
      context.report({
        messageId: 'late',
        data: { side, late: duration(late), source: endpoint(first.src) },
        messages: [answered.answer],
        packets: [first.firstFrame],
      });
    }
  },
});
