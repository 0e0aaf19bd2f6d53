import type { CallStream } from '../../parse/media/types.js';
import { compareTime, diffMs } from '../../time.js';
import type { Timestamp } from '../../types.js';
import { answeredCall, messageBeforeFrame, renegotiationTimes, ssrcHex, telephoneEventTypes } from './lib/media.js';
import { defineRule, duration, endpoint } from './types.js';

/**
 * A sender switches SSRC on the same 5-tuple in the middle of a call: one stream ends and another
 * with a new SSRC starts on the same addresses and ports moments later. RFC 3550 §8.2 lets it
 * (a new source, after a collision or a restart) and a receiver should follow; many jitter
 * buffers, SBCs and recorders do not, and mute or drop the new stream. Not reported when an
 * offer/answer (re-INVITE or UPDATE: hold, resume, a new codec) came around the switch, where a
 * new SSRC is expected.
 */
export const ssrcChange = defineRule({
  meta: {
    id: 'ssrc-change',
    severity: 'info',
    description: 'RTP from one side switches to a new SSRC on the same addresses and ports in the middle of a call, with no re-INVITE around it.',
    evidence: 'The last packet with the old SSRC and the first with the new one.',
    explanation:
      'RTP from {source} to {destination} changed its synchronization source from {oldSsrc} to {newSsrc} {after} after the call was answered (gap {gap}), with no SDP renegotiation around it. RFC 3550 §8.2 allows a new SSRC (a restarted media process, a transfer inside a PBX, a collision), and a receiver must take it as a new source; receivers, SBCs and recorders that lock on the first SSRC drop the new one, and the audio goes silent from that moment.',
    fix: 'If the audio was lost after {after}, make the receiver at {destination} (or the SBC in front of it) accept a new SSRC (RTP re-latching on SSRC change), or make the sender at {source} keep its SSRC when it restarts its media (a PBX bridging or transferring the call should keep the stream or re-INVITE).',
    rfc: 'RFC 3550 §8.2 (SSRC changes), §5.1 (SSRC)',
    messages: {
      changed: 'RTP from {source} switched SSRC from {oldSsrc} to {newSsrc} {after} into the call.',
    },
    options: {
      maxGapMs: { default: 1000, description: 'The new SSRC must start within this time (ms) after the old one stopped to count as a switch.' },
      renegotiationWindowMs: { default: 2000, description: 'A re-INVITE or UPDATE with SDP this close (ms) to the switch explains it: not reported.' },
    },
    translations: {
      es: {
        description: 'El RTP de un lado pasa a un SSRC nuevo con las mismas direcciones y puertos a mitad de llamada, sin un re-INVITE cerca.',
        evidence: 'El último paquete con el SSRC anterior y el primero con el nuevo.',
        explanation:
          'El RTP de {source} a {destination} cambió su fuente de sincronización de {oldSsrc} a {newSsrc} {after} después de contestar la llamada (hueco de {gap}), sin una renegociación SDP cerca. La RFC 3550 §8.2 permite un SSRC nuevo (un proceso de medios reiniciado, una transferencia dentro de una centralita, una colisión), y el receptor debe tomarlo como una fuente nueva; los receptores, SBC y grabadores que se fijan en el primer SSRC descartan el nuevo, y el audio enmudece desde ese momento.',
        fix: 'Si el audio se perdió a partir de {after}, haz que el receptor en {destination} (o el SBC que tiene delante) acepte un SSRC nuevo (reenganche del RTP al cambiar el SSRC), o que el emisor en {source} conserve su SSRC al reiniciar sus medios (una centralita que puentea o transfiere la llamada debería mantener el flujo o enviar un re-INVITE).',
        rfc: 'RFC 3550 §8.2 (cambios de SSRC), §5.1 (SSRC)',
        messages: {
          changed: 'El RTP de {source} cambió de SSRC de {oldSsrc} a {newSsrc} a los {after} de llamada.',
        },
        options: {
          maxGapMs: 'El SSRC nuevo debe empezar como mucho este tiempo (ms) después de que el anterior se detuviera para contar como un cambio.',
          renegotiationWindowMs: 'Un re-INVITE o UPDATE con SDP a menos de este tiempo (ms) del cambio lo explica: no se informa.',
        },
      },
    },
  },
  // Reports on the call's streams only.
  needs: { media: 'streams' },
  check(call, context) {
    const media = context.media;
    // A change needs two streams: a call with fewer has nothing to look at.
    if (media === null || media.streams.length < 2 || !sharesAddresses(media.streams)) return;
    const answered = answeredCall(call, context.captureEnd);
    if (answered === null) return;
    const events = telephoneEventTypes(media.announced);
    // Streams of telephone events or comfort noise alone may run beside the audio under their own SSRC.
    const audio = (s: CallStream) => s.rtp !== null && s.rtp.payloadTypes.some((pt) => !events.has(pt) && pt !== 13 && pt !== 19);
    const streams = media.streams.filter((s) => s.kind === 'rtp' && s.ssrc !== null && s.packets >= 2 && audio(s)).sort((a, b) => compareTime(a.first, b.first));
    // Every message with SDP after the first answer: a renegotiation, around which a new SSRC is normal.
    // Made when a stream is followed by another of a new SSRC: most calls have none.
    let renegotiations: Timestamp[] | null = null;
    const window = context.options.renegotiationWindowMs;
    for (let i = 0; i < streams.length; i++) {
      const old = streams[i]!;
      const next = streams.slice(i + 1).find((s) => s.src.ip === old.src.ip && s.src.port === old.src.port && s.dst.ip === old.dst.ip && s.dst.port === old.dst.port && s.file === old.file);
      if (next === undefined || next.ssrc === old.ssrc) continue;
      const gap = diffMs(old.last, next.first);
      // A switch: the old stream stops as the new one starts; interleaved sources are not one.
      if (gap < -60 || gap > context.options.maxGapMs || compareTime(next.last, old.last) <= 0) continue;
      // Mid-call: the old one ran after the answer, the new one starts before the end.
      if (compareTime(old.last, answered.at) < 0 || compareTime(next.first, answered.until) > 0) continue;
      renegotiations ??= renegotiationTimes(call, answered);
      if (renegotiations.some((t) => Math.abs(diffMs(t, old.last)) <= window || Math.abs(diffMs(t, next.first)) <= window || (compareTime(t, old.last) >= 0 && compareTime(t, next.first) <= 0))) continue;
      context.report({
        messageId: 'changed',
        data: {
          source: endpoint(old.src),
          destination: endpoint(old.dst),
          oldSsrc: ssrcHex(old.ssrc!),
          newSsrc: ssrcHex(next.ssrc!),
          after: duration(Math.max(0, diffMs(answered.at, next.first))),
          gap: duration(Math.max(0, gap)),
        },
        messages: [answered.answer],
        anchor: Math.max(answered.answer, messageBeforeFrame(call, next.file, next.firstFrame) ?? answered.answer),
        packets: [old.lastFrame, next.firstFrame],
      });
    }
  },
});

/**
 * Two RTP streams of the call run between the same addresses and ports in one file: what a change
 * of SSRC needs. A call's streams usually differ (one each way), so most calls stop here, before
 * their answer, event types and sorted streams are looked up.
 */
function sharesAddresses(streams: readonly CallStream[]): boolean {
  for (let i = 0; i < streams.length; i++) {
    const a = streams[i]!;
    if (a.kind !== 'rtp') continue;
    for (let j = i + 1; j < streams.length; j++) {
      const b = streams[j]!;
      if (b.kind === 'rtp' && b.src.port === a.src.port && b.dst.port === a.dst.port && b.src.ip === a.src.ip && b.dst.ip === a.dst.ip && b.file === a.file) return true;
    }
  }
  return false;
}
