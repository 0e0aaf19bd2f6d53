import type { Call } from '../../parse/dialog/types.js';
import type { CallMedia, CallStream } from '../../parse/media/types.js';
import { compareTime, diffMs, fromMs, toMs } from '../../time.js';
import type { Timestamp } from '../../types.js';
import { answeredCall, messageBeforeFrame, otherSide, renegotiationTimes, stopsSending } from './lib/media.js';
import { defineRule, duration, endpoint, ref } from './types.js';

/**
 * Audio that stops in one direction in the middle of an answered call: a stream's longest gap
 * between packets (Wireshark's max delta, which already leaves out a gap that ends on a marked
 * packet, the start of a talkspurt after silence suppression, RFC 3551 §4.1, or on comfort
 * noise), or a stream that ends long before the BYE while the other side keeps talking. Not
 * reported when an SDP of the call let that side stop (hold: sendonly, recvonly, inactive,
 * c=0.0.0.0, RFC 3264 §8.4) before the gap ended, when comfort noise was negotiated (a sender
 * doing VAD may pause without a marker), or when an offer/answer came around the gap.
 */
export const mediaStopped = defineRule({
  meta: {
    id: 'media-stopped',
    severity: 'warning',
    description: 'Audio stops in one direction in the middle of an answered call, with no hold or silence suppression to explain it.',
    evidence: 'The packet after the gap (or the stream\'s last packet), the 200 OK that answered the call, and the BYE.',
    explanation:
      'The {side} sent RTP from {source} to {destination}, then nothing for {gap} while the call was up. No SDP of the call put it on hold (sendonly, recvonly, inactive, c=0.0.0.0), no comfort noise was negotiated, and the packet after the pause carries no marker bit, which the first packet of a talkspurt after silence suppression would (RFC 3551 §4.1). The other side hears silence meanwhile ("are you still there?"). When sequence numbers were skipped over the pause, the packets were sent and lost on the way: a network outage or route change, a NAT binding or firewall pinhole that expired, a relay that stopped forwarding. When none were skipped, the sender itself stopped: silence suppression that omits the marker, a media server between prompts, a phone that stalled (a Wi-Fi handover, a bug).',
    fix: 'Look at the path from {source} at that time: RTP timeouts and NAT binding lifetimes on firewalls and SBCs, interface or Wi-Fi events, the sender\'s own log. If the sender pauses on purpose (VAD), make it negotiate comfort noise (CN) or mark the first packet of each talkspurt.',
    fixes: {
      paused:
        'If the other side heard silence or the call was cut for it, look at the sender at {source}: its silence suppression (VAD) should mark the first packet after each pause (RFC 3551 §4.1) or send comfort noise, and a media server should keep sending between prompts; an SBC or receiver with an RTP timeout shorter than {gap} hangs such calls up.',
      ended:
        'Find out why the {side} stopped sending while the call stayed up: its media process or the relay in front of it (an SBC, rtpengine) may have dropped the stream, a NAT binding or firewall pinhole may have expired, or a re-INVITE may be missing from the capture. The BYE came {gap} later, often because the other side hung up on silence.',
    },
    rfc: 'RFC 3264 §8.4 (hold), RFC 3551 §4.1 (marker bit), RFC 3389 (comfort noise)',
    messages: {
      gap: 'RTP from the {side} ({source}) stopped for {gap} in the middle of the call ({lost} packets lost): its last packet before the silence was {stopped} ({stoppedAt} into the call), and it resumed at {resumed} ({resumedAt}).',
      paused: 'RTP from the {side} ({source}) paused for {gap} in the middle of the call with no packet lost, from {stopped} ({stoppedAt} into the call) to {resumed} ({resumedAt}), and resumed without the marker bit: silence suppression without the marker, a media server between prompts, or a stalled sender; the capture cannot tell which.',
      ended: 'RTP from the {side} ({source}) stopped {gap} before the BYE (its last packet {stopped}, {stoppedAt} into the call) while the other side kept sending.',
    },
    options: {
      thresholdMs: { default: 2000, description: 'A pause in one direction longer than this (ms) is reported.' },
      minPackets: { default: 50, description: 'Streams with fewer packets than this are not judged (a capture cut short, a few packets of early media).' },
    },
    translations: {
      es: {
        description: 'El audio se detiene en un sentido a mitad de una llamada contestada, sin una espera ni una supresión de silencio que lo explique.',
        evidence: 'El paquete tras el hueco (o el último paquete del flujo), el 200 OK que contestó la llamada y el BYE.',
        explanation:
          'El {side} envió RTP de {source} a {destination} y luego nada durante {gap} con la llamada establecida. Ningún SDP de la llamada lo puso en espera (sendonly, recvonly, inactive, c=0.0.0.0), no se negoció ruido de confort, y el paquete tras la pausa no lleva el bit de marca, que sí llevaría el primer paquete de una ráfaga de voz tras una supresión de silencio (RFC 3551 §4.1). Mientras tanto el otro lado oye silencio ("¿sigues ahí?"). Cuando se saltaron números de secuencia durante la pausa, los paquetes se enviaron y se perdieron por el camino: un corte de red o un cambio de ruta, un enlace NAT o un agujero del cortafuegos que caducó, un relé que dejó de reenviar. Cuando no se saltó ninguno, fue el propio emisor el que paró: una supresión de silencio que omite la marca, un servidor de medios entre locuciones, un teléfono bloqueado (un cambio de punto de acceso Wi-Fi, un fallo).',
        fix: 'Revisa el camino desde {source} en ese momento: los tiempos de espera de RTP y la duración de los enlaces NAT en cortafuegos y SBC, los eventos de interfaz o de Wi-Fi, el registro del propio emisor. Si el emisor hace pausas a propósito (VAD), haz que negocie ruido de confort (CN) o que marque el primer paquete de cada ráfaga de voz.',
        fixes: {
          paused:
            'Si el otro lado oyó silencio o la llamada se cortó por ello, revisa el emisor en {source}: su supresión de silencio (VAD) debería marcar el primer paquete tras cada pausa (RFC 3551 §4.1) o enviar ruido de confort, y un servidor de medios debería seguir enviando entre locuciones; un SBC o un receptor con un tiempo de espera de RTP menor que {gap} cuelga esas llamadas.',
          ended:
            'Averigua por qué el {side} dejó de enviar con la llamada establecida: su proceso de medios o el relé que tiene delante (un SBC, rtpengine) pudo abandonar el flujo, un enlace NAT o un agujero del cortafuegos pudo caducar, o puede faltar un re-INVITE en la captura. El BYE llegó {gap} después, a menudo porque el otro lado colgó al oír silencio.',
        },
        rfc: 'RFC 3264 §8.4 (espera), RFC 3551 §4.1 (bit de marca), RFC 3389 (ruido de confort)',
        messages: {
          gap: 'El RTP del {side} ({source}) se detuvo durante {gap} a mitad de llamada ({lost} paquetes perdidos): su último paquete antes del silencio fue {stopped} (a los {stoppedAt} de llamada) y se reanudó en {resumed} ({resumedAt}).',
          paused: 'El RTP del {side} ({source}) hizo una pausa de {gap} a mitad de llamada sin perder ningún paquete, de {stopped} (a los {stoppedAt} de llamada) a {resumed} ({resumedAt}), y se reanudó sin el bit de marca: supresión de silencio sin la marca, un servidor de medios entre locuciones o un emisor bloqueado; la captura no permite saber cuál.',
          ended: 'El RTP del {side} ({source}) se detuvo {gap} antes del BYE (su último paquete {stopped}, a los {stoppedAt} de llamada) mientras el otro lado seguía enviando.',
        },
        options: {
          thresholdMs: 'Se informa de una pausa en un sentido de más de este tiempo (ms).',
          minPackets: 'No se juzgan los flujos con menos paquetes que este número (una captura cortada, unos pocos paquetes de medios tempranos).',
        },
        values: { side: { caller: 'llamante', callee: 'llamado' } },
      },
    },
  },
  // Reports on the call's streams only.
  needs: { media: 'streams' },
  check(call, context) {
    const media = context.media;
    // Every finding is about a stream: a call without RTP (a signalling-only trunk) has nothing to look at.
    if (media === null || media.streams.length === 0) return;
    const answered = answeredCall(call, context.captureEnd);
    if (answered === null) return;
    // A sender doing VAD with comfort noise may pause without a marker: unsure, so quiet.
    if (media.announced.some((a) => a.codecs.some((c) => c.name.toLowerCase() === 'cn' || c.payload === 13))) return;
    const threshold = context.options.thresholdMs;
    // Made when a gap or an early end is found: most streams have neither.
    let renegotiations: Timestamp[] | null = null;
    for (const stream of media.streams) {
      const rtp = stream.rtp;
      const side = stream.from;
      if (stream.kind !== 'rtp' || rtp === null || side === null || stream.match === 'unannounced' || stream.packets < context.options.minPackets) continue;
      if (media.announced[stream.announced]?.type !== 'audio') continue;
      if (rtp.payloadTypes.includes(13) || rtp.payloadTypes.includes(19)) continue;
      const data = () => ({ side, source: endpoint(stream.src), destination: endpoint(stream.dst) });
      // Where the silence lies, exactly: the packet before it and the one after, by frame and by time into the call.
      const into = (sec: number, nsec: number) => duration(diffMs(call.start, { sec, nsec }));
      if (rtp.maxDeltaMs > threshold && rtp.maxDeltaFrame > 0) {
        const bounds = gapBounds(call, stream, rtp.maxDeltaFrame, rtp.maxDeltaMs);
        // The whole gap while the call was up: after the answer, before the BYE.
        const up = bounds !== null && compareTime(bounds.startFrom, answered.at) >= 0 && compareTime(bounds.endBy, answered.until) <= 0;
        const held = heldBefore(call, media, stream, side, rtp.maxDeltaFrame, stream.last);
        const renegotiated = bounds !== null && (renegotiations ??= renegotiationTimes(call, answered)).some((t) => compareTime(t, addMs(bounds.startFrom, -threshold)) >= 0 && compareTime(t, addMs(bounds.endBy, threshold)) <= 0);
        if (up && !held && !renegotiated) {
          const before = messageBeforeFrame(call, stream.file, rtp.maxDeltaFrame) ?? answered.answer;
          // Sequence numbers skipped for most of the gap: the packets were sent and lost on the
          // way (an outage). Numbers continuous: the sender itself paused, which silence
          // suppression without the marker bit also does: unresolved, said as info.
          const packetMs = rtp.meanDeltaMs > 0 ? rtp.meanDeltaMs : 20;
          const lostInGap = Math.max(0, rtp.lost) * packetMs >= rtp.maxDeltaMs / 2;
          context.report({
            messageId: lostInGap ? 'gap' : 'paused',
            ...(lostInGap ? {} : { severity: 'info' as const }),
            data: {
              ...data(),
              gap: duration(rtp.maxDeltaMs),
              lost: Math.max(0, rtp.lost),
              stopped: ref({ frame: rtp.maxDeltaStartFrame, line: null }),
              stoppedAt: into(rtp.maxDeltaStartSec, rtp.maxDeltaStartNsec),
              resumed: ref({ frame: rtp.maxDeltaFrame, line: null }),
              resumedAt: into(rtp.maxDeltaEndSec, rtp.maxDeltaEndNsec),
            },
            messages: answered.bye === null ? [answered.answer] : [answered.answer, answered.bye],
            anchor: Math.max(before, answered.answer),
            packets: [rtp.maxDeltaStartFrame, rtp.maxDeltaFrame],
          });
        }
      }
      // Stopped for good: the stream ends long before the BYE while the other side keeps sending
      // past the threshold, and nothing else of this side started afterwards.
      if (answered.bye === null) continue;
      const silence = diffMs(stream.last, answered.until);
      if (silence <= threshold || compareTime(stream.last, answered.at) < 0) continue;
      const later = media.streams.some((s) => s !== stream && s.from === side && s.kind === 'rtp' && compareTime(s.last, stream.last) > 0);
      const otherTalks = media.streams.some((s) => s.from === otherSide(side) && s.kind === 'rtp' && diffMs(stream.last, s.last) > threshold);
      if (later || !otherTalks) continue;
      if (heldBefore(call, media, stream, side, null, answered.until)) continue;
      if ((renegotiations ??= renegotiationTimes(call, answered)).some((t) => compareTime(t, addMs(stream.last, -threshold)) >= 0)) continue;
      context.report({
        messageId: 'ended',
        data: { ...data(), gap: duration(silence), lost: Math.max(0, rtp.lost), stopped: ref({ frame: stream.lastFrame, line: null }), stoppedAt: into(stream.last.sec, stream.last.nsec) },
        messages: [answered.answer, answered.bye],
        packets: [stream.lastFrame],
      });
    }
  },
});

/**
 * Where a gap of `gapMs` that ended on packet `frame` can lie: its start no earlier than
 * `startFrom`, its end no later than `endBy`. From the call's messages around the frame in the
 * same file (the gap ended after the message before it and before the one after it), narrowed by
 * the stream's series: a gap of two buckets or more empties at least one bucket, so it lies
 * around one of the empty runs. null when nothing places it.
 */
function gapBounds(call: Call, stream: CallStream, frame: number, gapMs: number): { startFrom: Timestamp; endBy: Timestamp } | null {
  if (frame === stream.lastFrame) return { startFrom: addMs(stream.last, -gapMs), endBy: stream.last };
  const before = messageBeforeFrame(call, stream.file, frame);
  const after = call.messages.find((m) => m.captured.file === stream.file && m.captured.frame !== null && m.captured.frame > frame);
  const endFrom = before === null ? stream.first : latestOf(call.messages[before]!.captured.time, stream.first);
  let startFrom = addMs(endFrom, -gapMs);
  let endBy = after === undefined ? stream.last : earliestOf(after.captured.time, stream.last);
  const { bucketMs, packets } = stream.series;
  const minRun = Math.floor(gapMs / bucketMs) - 1;
  if (bucketMs > 0 && minRun >= 1) {
    // Empty runs long enough to lie inside the gap (the last bucket may be cut short: not counted).
    let seriesStart: number | null = null;
    let seriesEnd: number | null = null;
    for (let i = 0; i < packets.length - 1; ) {
      if (packets[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < packets.length - 1 && packets[j] === 0) j++;
      if (j - i >= minRun) {
        seriesStart = Math.min(seriesStart ?? Infinity, j * bucketMs - gapMs);
        seriesEnd = Math.max(seriesEnd ?? -Infinity, i * bucketMs + gapMs);
      }
      i = j;
    }
    if (seriesStart !== null && seriesEnd !== null) {
      startFrom = latestOf(startFrom, addMs(stream.first, Math.max(0, seriesStart)));
      endBy = earliestOf(endBy, addMs(stream.first, seriesEnd));
    }
  }
  return { startFrom, endBy };
}

function addMs(t: Timestamp, ms: number): Timestamp {
  return fromMs(toMs(t) + ms);
}

function latestOf(a: Timestamp, b: Timestamp): Timestamp {
  return compareTime(a, b) >= 0 ? a : b;
}

function earliestOf(a: Timestamp, b: Timestamp): Timestamp {
  return compareTime(a, b) <= 0 ? a : b;
}

/** Whether an SDP of the call told the sender to stop that media (hold) before the gap ended: by frame in the stream's file, else by time. */
function heldBefore(call: Call, media: CallMedia, stream: CallStream, side: 'caller' | 'callee', frame: number | null, until: Timestamp): boolean {
  const type = media.announced[stream.announced]?.type;
  return media.announced.some((a) => {
    if (a.type !== type || !stopsSending(a, side)) return false;
    const c = call.messages[a.message]!.captured;
    if (frame !== null && c.file === stream.file && c.frame !== null) return c.frame < frame;
    return compareTime(c.time, until) <= 0;
  });
}
