import type { CallStream } from '../../parse/media/types.js';
import { compareTime } from '../../time.js';
import { defineRule, endpoint } from './types.js';

/** Streams shorter than this say little about quality: a few packets lost at the start are 10 %. */
const MIN_PACKETS = 50;

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * The figures Wireshark's RTP analysis gives (packets lost, interarrival jitter per RFC 3550
 * A.8) and the E-model estimate, against thresholds: the numbers a support engineer checks
 * first when a call "sounds bad". Measured where the capture was taken: loss and jitter seen
 * there happened between the sender and the capture point.
 */
export const mediaQuality = defineRule({
  meta: {
    id: 'media-quality',
    severity: 'warning',
    description: 'An audio RTP stream loses packets, arrives with jitter, or has an estimated MOS past the thresholds.',
    evidence: 'The stream\'s first and last packet, and the packet after its longest gap.',
    explanation:
      'RTP from {source} to {destination} ({codec}) as seen at the capture point: {lost} of {expected} packets lost ({lossPercent} %), jitter {meanJitterMs} ms on average and {maxJitterMs} ms at most (RFC 3550 A.8, as Wireshark computes it), estimated MOS {mos}. Loss and jitter seen here happened between the sender and the capture point; a jitter buffer hides jitter up to its depth (often 40-60 ms) and turns the rest into loss.',
    fix: 'Find the congested or lossy hop between {source} and the capture point (Wi-Fi, a saturated uplink, a VPN, a firewall doing deep inspection): mark RTP with DSCP EF and give it priority, or move the media path.',
    fixes: {
      jitter: 'Jitter comes from queues: give RTP priority (DSCP EF, a voice VLAN), avoid Wi-Fi and VPN on the path from {source}, and check that the receiver\'s jitter buffer is adaptive.',
      mos: 'The estimate follows from the loss and jitter above and the codec ({codec}): fix the loss and jitter first; a codec more robust to loss (Opus with FEC, G.711 with PLC) helps too.',
    },
    rfc: 'RFC 3550 §6.4.1, A.8 (loss and jitter); ITU-T G.107 (E-model)',
    messages: {
      loss: '{lost} of {expected} RTP packets from {source} lost ({lossPercent} %).',
      jitter: 'RTP from {source} arrives with {meanJitterMs} ms of jitter on average ({maxJitterMs} ms at most).',
      mos: 'The audio from {source} is estimated at MOS {mos} ({codec}, {lossPercent} % lost, {meanJitterMs} ms mean jitter).',
    },
    options: {
      maxLossPercent: { default: 1, description: 'Streams losing more than this share of their packets (%) are reported.' },
      maxMeanJitterMs: { default: 30, description: 'Streams whose mean jitter is above this (ms) are reported (the mean: one late burst after a pause makes a high maximum without harm).' },
      minMos: { default: 3.6, description: 'Streams with an estimated MOS below this are reported (codecs the E-model knows: G.711, G.729, G.723.1).' },
    },
    translations: {
      es: {
        description: 'Un flujo RTP de audio pierde paquetes, llega con jitter o tiene un MOS estimado más allá de los umbrales.',
        evidence: 'El primer y el último paquete del flujo, y el paquete tras su mayor hueco.',
        explanation:
          'RTP de {source} a {destination} ({codec}) visto en el punto de captura: se perdieron {lost} de {expected} paquetes ({lossPercent} %), jitter de {meanJitterMs} ms de media y {maxJitterMs} ms como máximo (RFC 3550 A.8, como lo calcula Wireshark), MOS estimado {mos}. La pérdida y el jitter vistos aquí se produjeron entre el emisor y el punto de captura; un búfer de jitter oculta el jitter hasta su profundidad (a menudo 40-60 ms) y convierte el resto en pérdida.',
        fix: 'Busca el salto congestionado o con pérdidas entre {source} y el punto de captura (Wi-Fi, un enlace de subida saturado, una VPN, un cortafuegos con inspección profunda): marca el RTP con DSCP EF y dale prioridad, o cambia el camino de los medios.',
        fixes: {
          jitter: 'El jitter nace en las colas: da prioridad al RTP (DSCP EF, una VLAN de voz), evita Wi-Fi y VPN en el camino desde {source}, y comprueba que el búfer de jitter del receptor es adaptativo.',
          mos: 'La estimación se deriva de la pérdida y el jitter anteriores y del códec ({codec}): corrige primero la pérdida y el jitter; un códec más resistente a la pérdida (Opus con FEC, G.711 con PLC) también ayuda.',
        },
        rfc: 'RFC 3550 §6.4.1, A.8 (pérdida y jitter); UIT-T G.107 (modelo E)',
        messages: {
          loss: 'Se perdieron {lost} de {expected} paquetes RTP de {source} ({lossPercent} %).',
          jitter: 'El RTP de {source} llega con {meanJitterMs} ms de jitter de media ({maxJitterMs} ms como máximo).',
          mos: 'El audio de {source} se estima en un MOS de {mos} ({codec}, {lossPercent} % perdido, {meanJitterMs} ms de jitter medio).',
        },
        options: {
          maxLossPercent: 'Se informa de los flujos que pierden más de esta proporción de sus paquetes (%).',
          maxMeanJitterMs: 'Se informa de los flujos cuyo jitter medio supera este valor (ms) (la media: una ráfaga tardía tras una pausa da un máximo alto sin daño).',
          minMos: 'Se informa de los flujos con un MOS estimado por debajo de este valor (códecs que conoce el modelo E: G.711, G.729, G.723.1).',
        },
      },
    },
  },
  // Reports on the call's streams only.
  needs: { media: 'streams' },
  check(call, context) {
    const media = context.media;
    if (media === null) return;
    for (const stream of media.streams) {
      const rtp = stream.rtp;
      // Audio only: video sends a frame as a burst of packets with one timestamp, which reads as jitter, and the E-model is for speech.
      if (media.announced[stream.announced]?.type !== 'audio') continue;
      if (rtp === null || rtp.packets < MIN_PACKETS || rtp.expected <= 0) continue;
      const lossPercent = (Math.max(0, rtp.lost) / rtp.expected) * 100;
      const lossy = lossPercent > context.options.maxLossPercent;
      const jittery = rtp.clockRate > 0 && rtp.meanJitterMs > context.options.maxMeanJitterMs;
      // A low MOS is the consequence of the loss or jitter already reported (its value is in their data): said alone only.
      const poor = !lossy && !jittery && stream.quality !== null && stream.quality.mos < context.options.minMos;
      // Most streams are fine: their report's data, evidence and anchor are not made.
      if (!lossy && !jittery && !poor) continue;
      const data = {
        source: endpoint(stream.src),
        destination: endpoint(stream.dst),
        codec: stream.codec ?? `PT ${rtp.firstPayloadType}`,
        lost: Math.max(0, rtp.lost),
        expected: rtp.expected,
        lossPercent: round(lossPercent, 1),
        meanJitterMs: round(rtp.meanJitterMs, 1),
        maxJitterMs: round(rtp.maxJitterMs, 1),
        mos: stream.quality === null ? '-' : round(stream.quality.mos, 2),
      };
      const evidence = (s: CallStream) => [s.firstFrame, ...(rtp.maxDeltaFrame > 0 ? [rtp.maxDeltaFrame] : []), s.lastFrame];
      // Shown beside the last message before the stream began (the 200 OK or ACK of a call, usually).
      let anchor = 0;
      for (let i = 0; i < call.messages.length && compareTime(call.messages[i]!.captured.time, stream.first) <= 0; i++) anchor = i;
      if (lossy) context.report({ messageId: 'loss', data, messages: [anchor], packets: evidence(stream) });
      if (jittery) context.report({ messageId: 'jitter', data, messages: [anchor], packets: evidence(stream) });
      if (poor) context.report({ messageId: 'mos', data, messages: [anchor], packets: evidence(stream) });
    }
  },
});
