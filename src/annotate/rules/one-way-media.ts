import type { CallSide } from '../../parse/media/types.js';
import type { Call } from '../../parse/dialog/types.js';
import { isPrivateAddress } from '../../parse/net/address-class.js';
import { canonicalIp } from '../../parse/net/address.js';
import { answeredCall, expectedToSend, hostsOf, liveAudio, otherSide, sentRtp, streamsFrom, talkMs } from './lib/media.js';
import { diffMs, laterOf } from '../../time.js';
import { defineRule, duration, endpoint, type DataValue } from './types.js';

/**
 * One-way audio: on an answered call both sides were to send (their SDP directions allow it), the
 * capture has one side's RTP and none of the other's. The cause is named only as far as the
 * capture shows it: the silent side sends to an address the SDP made private or stale, its SDP
 * put its audio on another device than the one that signalled (a B2BUA's direct media: that
 * device is the one to look at; told only when the capture shows that device signalling on its own
 * and the SDP's Contact is not it), or the capture cannot tell (muted, a codec failure, a firewall
 * before the capture point).
 */
export const oneWayMedia = defineRule({
  meta: {
    id: 'one-way-media',
    severity: 'warning',
    description: 'An answered call has RTP in one direction only: one side never sent audio although both SDPs asked for it.',
    evidence: 'The 200 OK that answered the call, the first and last packet of the stream that did flow, and the BYE (or the end of the capture).',
    explanation:
      'Both SDPs let the {silent} send audio, to {target}. The capture has {packets} RTP packets from the {heard} and none from the {silent} during {talk}.',
    fix: 'Find out whether the {silent} sent at all (its own capture, its RTP statistics) and what lies between it and {target}.',
    fixes: {
      'private-address':
        'The {heard} announced the private address {target} from the public address {signalling}: nothing rewrote its SDP, so the {silent} sends audio where it cannot arrive. Enable SDP rewriting or a media relay (rtpengine, the SBC\'s NAT handling) for the {heard}, or configure its public address (STUN, an external media address).',
      'behind-nat':
        'The {heard}\'s RTP comes from {actual}, not from the {target} its SDP announced: it sits behind NAT, and the {silent} sends to the announced address instead of latching on to where the packets come from. Turn on symmetric RTP / RTP latching (comedia) on the {silent} or the SBC in front of it, or fix the {heard}\'s NAT traversal.',
      'third-party':
        'The {silent} at {sender} put its audio on another device, {source} (a B2BUA handing the media to the endpoint of its other leg, as Asterisk\'s direct media does, or a media relay): that device was to send, and did not. Look at it, not at the {silent}: its own call (the other leg, if the capture has it) tells whether it accepted the call at all; capture next to it to see whether it sends.',
      unknown:
        'The capture cannot tell why: the {silent} may be muted or failing to encode, or a firewall may drop its RTP before this capture point. Capture next to the {silent} to see whether it sends.',
    },
    rfc: 'RFC 3264 §5.1 (directions), RFC 3550 §5 (RTP), RFC 4961 (symmetric RTP)',
    messages: {
      'private-address': 'One-way audio: no RTP from the {silent} for {talk} ({packets} packets the other way); it would have had to reach the private address {target}.',
      'behind-nat': 'One-way audio: no RTP from the {silent} for {talk} ({packets} packets the other way); the {heard} sends from {actual} but announced {target}.',
      'third-party': 'One-way audio: no RTP from {source}, where the {silent}\'s SDP put its audio, for {talk} ({packets} packets the other way).',
      unknown: 'One-way audio: no RTP from the {silent} for {talk} ({packets} packets the other way).',
    },
    options: {
      minTalkMs: { default: 2000, description: 'Calls up for less than this (ms) are not judged: media may not have started yet.' },
    },
    translations: {
      es: {
        description: 'Una llamada contestada tiene RTP en un solo sentido: un lado nunca envió audio aunque los dos SDP lo pedían.',
        evidence: 'El 200 OK que contestó la llamada, el primer y el último paquete del flujo que sí llegó, y el BYE (o el final de la captura).',
        explanation: 'Los dos SDP permiten que el {silent} envíe audio, a {target}. La captura tiene {packets} paquetes RTP del {heard} y ninguno del {silent} durante {talk}.',
        fix: 'Averigua si el {silent} llegó a enviar (su propia captura, sus estadísticas RTP) y qué hay entre él y {target}.',
        fixes: {
          'private-address':
            'El {heard} anunció la dirección privada {target} desde la dirección pública {signalling}: nadie reescribió su SDP, así que el {silent} envía el audio adonde no puede llegar. Activa la reescritura del SDP o un relé de medios (rtpengine, el tratamiento de NAT del SBC) para el {heard}, o configúralo con su dirección pública (STUN, dirección de medios externa).',
          'behind-nat':
            'El RTP del {heard} viene de {actual}, no de la dirección {target} que anunció su SDP: está detrás de un NAT, y el {silent} envía a la dirección anunciada en lugar de engancharse a la dirección de la que llegan los paquetes. Activa el RTP simétrico (comedia) en el {silent} o en el SBC que tiene delante, o corrige el paso de NAT del {heard}.',
          'third-party':
            'El {silent} en {sender} puso su audio en otro equipo, {source} (un B2BUA que deja los medios al extremo de su otro tramo, como hace el direct media de Asterisk, o un relé de medios): ese equipo era el que tenía que enviar, y no lo hizo. Mira ese equipo, no el {silent}: su propia llamada (el otro tramo, si la captura lo tiene) dice si llegó a aceptar la llamada; captura junto a él para ver si envía.',
          unknown:
            'La captura no permite saberlo: el {silent} puede estar silenciado o sin poder codificar, o un cortafuegos puede descartar su RTP antes de este punto de captura. Captura junto al {silent} para ver si envía.',
        },
        messages: {
          'private-address': 'Audio en un solo sentido: ningún RTP del {silent} durante {talk} ({packets} paquetes en el otro sentido); habría tenido que llegar a la dirección privada {target}.',
          'behind-nat': 'Audio en un solo sentido: ningún RTP del {silent} durante {talk} ({packets} paquetes en el otro sentido); el {heard} envía desde {actual} pero anunció {target}.',
          'third-party': 'Audio en un solo sentido: ningún RTP de {source}, donde el SDP del {silent} puso su audio, durante {talk} ({packets} paquetes en el otro sentido).',
          unknown: 'Audio en un solo sentido: ningún RTP del {silent} durante {talk} ({packets} paquetes en el otro sentido).',
        },
        rfc: 'RFC 3264 §5.1 (sentidos), RFC 3550 §5 (RTP), RFC 4961 (RTP simétrico)',
        options: { minTalkMs: 'Las llamadas establecidas menos de este tiempo (ms) no se juzgan: los medios quizá no hayan empezado aún.' },
        values: { silent: { caller: 'llamante', callee: 'llamado' }, heard: { caller: 'llamante', callee: 'llamado' } },
      },
    },
  },
  // Says media is missing only where the capture holds RTP (mediaCaptured).
  needs: { media: 'rtp' },
  check(call, context) {
    const media = context.media;
    if (media === null || !media.mediaCaptured) return;
    const answered = answeredCall(call, context.captureEnd);
    if (answered === null || talkMs(answered) < context.options.minTalkMs) return;
    // RTP between the call's hosts at an address no SDP gave may be the silent side's: unresolved.
    if (media.streams.some((s) => s.match === 'unannounced')) return;
    for (const silent of ['caller', 'callee'] as CallSide[]) {
      const heard = otherSide(silent);
      // A side that sent RTP is not silent: the SDP's directions are read for the others only.
      if (sentRtp(media, silent) || !expectedToSend(media, silent)) continue;
      // A caller that sent CANCEL believes the call never happened: its silence is the CANCEL
      // crossing the 200 OK (the cancel-race rule names that cause), not a media fault.
      if (silent === 'caller' && call.messages.some((m) => m.captured.message.method === 'CANCEL')) continue;
      // Only streams between the two sides' hosts tell about the silent side: media relayed
      // through a third host (a gateway's media processor) leaves the silent side's part unseen.
      const heardHosts = hostsOf(call, media, heard);
      const silentHosts = hostsOf(call, media, silent);
      const streams = streamsFrom(media, heard).filter((s) => heardHosts.has(s.src.ip) && silentHosts.has(s.dst.ip));
      if (streams.length === 0) continue;
      // Where the silent side had to send: what the heard side announced last.
      const announced = liveAudio(media, heard).at(-1);
      if (announced === undefined) continue;
      const target = { ip: announced.address!, port: announced.port };
      const signalling = call.messages[announced.message]!.captured.src;
      const actual = streams[0]!.src;
      // Where the silent side said its audio would come from, and who said so.
      const own = liveAudio(media, silent).at(-1);
      const sender = own === undefined ? null : call.messages[own.message]!.captured.src;
      let messageId: 'private-address' | 'behind-nat' | 'third-party' | 'unknown' = 'unknown';
      if (isPrivateAddress(target.ip) && signalling.ip !== target.ip && !isPrivateAddress(signalling.ip)) messageId = 'private-address';
      else if (actual.ip !== target.ip || actual.port !== target.port) messageId = 'behind-nat';
      // The silent side's SDP put its audio on another host than the one that signalled, both in
      // the same address class (a private c= from a public source is NAT, not another device), and
      // its Contact is not that host: a proxy forwards the SDP of the user agent behind it, whose
      // Contact names the c= host (RFC 3261 §16.6 leaves Contact as it is), while a B2BUA that
      // hands the media to another device puts its own address in Contact. That host must be a
      // SIP device of its own in the capture (it sent a call, registration or other opening
      // request): a media address that never signals may be a second interface of the same SBC or
      // B2BUA, which is not another device.
      else if (
        own !== undefined &&
        sender !== null &&
        !sameHost(own.address!, sender.ip) &&
        isPrivateAddress(own.address!) === isPrivateAddress(sender.ip) &&
        !contactNames(call, own.message, own.address!) &&
        (context.sources?.profile(canonicalIp(own.address!)) ?? null) !== null
      )
        messageId = 'third-party';
      const packets = streams.reduce((n, s) => n + s.packets, 0);
      // The device a re-INVITE or UPDATE named later in the call was to send only from then on.
      const silentMs = messageId === 'third-party' ? diffMs(laterOf(answered.at, call.messages[own!.message]!.captured.time), answered.until) : talkMs(answered);
      const data: Record<string, DataValue> = { silent, heard, target: endpoint(target), signalling: endpoint(signalling), actual: endpoint(actual), packets, talk: duration(silentMs) };
      if (messageId === 'third-party') {
        data['source'] = endpoint({ ip: own!.address!, port: own!.port });
        data['sender'] = endpoint(sender!);
      }
      context.report({
        messageId,
        data,
        messages: answered.bye === null ? [answered.answer] : [answered.answer, answered.bye],
        packets: [streams[0]!.firstFrame, streams.at(-1)!.lastFrame],
      });
    }
  },
});

/** Whether the Contact of the SIP message at `index` names this host: the user agent that wrote the SDP is the one that signalled, through a proxy. */
function contactNames(call: Call, index: number, host: string): boolean {
  return call.messages[index]!.captured.message.contact.some((c) => sameHost(c.uri.host, host));
}

/** Whether two addresses as text name the same host (an SDP may write IPv6 in capitals or in full). */
function sameHost(a: string, b: string): boolean {
  return canonicalIp(a) === canonicalIp(b);
}
