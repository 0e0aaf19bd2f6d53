import { diffMs } from '../../time.js';
import { answeredCall } from './lib/media.js';
import { defineRule, duration, endpoint } from './types.js';

/**
 * RTP that goes on after the call was hung up: the BYE reached the signalling but not the media
 * engine (a stuck media session on a gateway or relay, a leg a B2BUA never tore down). Packets in
 * flight when the BYE was sent arrive within a few hundred milliseconds; the threshold leaves
 * room for them.
 */
export const mediaAfterBye = defineRule({
  meta: {
    id: 'media-after-bye',
    severity: 'warning',
    description: 'RTP keeps flowing seconds after the BYE that ended the call.',
    evidence: 'The BYE, and the last RTP packet of the stream.',
    explanation:
      'After a BYE both sides stop their media (RFC 3261 §15). RTP from {source} to {destination} went on for {after} after it: the side that sends it did not tear its media down. A gateway, SBC or media relay with a stuck session keeps ports and transcoding busy, and some bill by media.',
    fix: 'Check how {source} (or the relay that sends on its behalf) learns of the end of the call: whether the BYE reached it, and its media timeout (rtpengine\'s timeout, an SBC\'s RTP inactivity timer).',
    rfc: 'RFC 3261 §15 (terminating a session)',
    messages: {
      after: 'RTP from {source} went on for {after} after the BYE.',
    },
    options: {
      thresholdMs: { default: 2000, description: 'RTP lasting longer than this after the BYE (ms) is reported.' },
    },
    translations: {
      es: {
        description: 'El RTP sigue fluyendo segundos después del BYE que terminó la llamada.',
        evidence: 'El BYE, y el último paquete RTP del flujo.',
        explanation:
          'Tras un BYE los dos lados detienen sus medios (RFC 3261 §15). El RTP de {source} a {destination} siguió durante {after}: quien lo envía no cerró sus medios. Una pasarela, un SBC o un relé de medios con una sesión colgada mantiene ocupados puertos y transcodificación, y hay quien factura por medios.',
        fix: 'Comprueba cómo se entera {source} (o el relé que envía por él) del final de la llamada: si le llegó el BYE, y su temporizador de medios (el timeout de rtpengine, el de inactividad RTP de un SBC).',
        rfc: 'RFC 3261 §15 (terminar una sesión)',
        messages: {
          after: 'El RTP de {source} siguió durante {after} después del BYE.',
        },
        options: { thresholdMs: 'Se informa del RTP que dura más de este tiempo (ms) después del BYE.' },
      },
    },
  },
  // Reports on the call's streams only.
  needs: { media: 'streams' },
  check(call, context) {
    const media = context.media;
    // Every finding is about a stream: a call without RTP has nothing to look at.
    if (media === null || media.streams.length === 0) return;
    const answered = answeredCall(call, context.captureEnd);
    if (answered === null || answered.bye === null) return;
    const byeAt = call.messages[answered.bye]!.captured.time;
    for (const stream of media.streams) {
      if (stream.kind !== 'rtp' || stream.match === 'unannounced') continue;
      const after = diffMs(byeAt, stream.last);
      if (after <= context.options.thresholdMs) continue;
      context.report({
        messageId: 'after',
        data: { source: endpoint(stream.src), destination: endpoint(stream.dst), after: duration(after) },
        messages: [answered.bye],
        packets: [stream.lastFrame],
      });
    }
  },
});
