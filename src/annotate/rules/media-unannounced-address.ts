import type { Call } from '../../parse/dialog/types.js';
import type { AnnouncedMedia, CallMedia, CallSide } from '../../parse/media/types.js';
import type { Endpoint } from '../../types.js';
import { isPrivateAddress, isPublicAddress } from '../../parse/net/address-class.js';
import { liveAudio } from './lib/media.js';
import { defineRule, endpoint } from './types.js';

type Cause = 'signalling-address' | 'other-port' | 'private-sdp' | 'unknown';

/** Which side's SIP or SDP address the packets went to, with the m= line it last announced. */
function receiverOf(call: Call, media: CallMedia, dst: Endpoint): { side: CallSide; announced: AnnouncedMedia } | null {
  for (const side of ['caller', 'callee'] as CallSide[]) {
    const lines = liveAudio(media, side);
    const hit = lines.filter((a) => a.address === dst.ip || call.messages[a.message]!.captured.src.ip === dst.ip);
    if (hit.length > 0) return { side, announced: hit.at(-1)! };
  }
  return null;
}

/**
 * Media of the call sent to an address or port its SDP did not give: RTP between the call's hosts
 * on ports no m= line named (unannounced), or to the public address of a host whose SDP gave a
 * private one (nat). The packets show where the media really went, which the SDP-only rules
 * cannot: a NAT or an SBC that did not rewrite the SDP, and a far end that latched on to the
 * real address (RFC 4961 symmetric RTP). Not reported where another rule already says it: a
 * private SDP address sent from a public one is media-hints' finding.
 */
export const mediaUnannouncedAddress = defineRule({
  meta: {
    id: 'media-unannounced-address',
    severity: 'info',
    description: 'RTP of the call goes to an address or port its SDP did not announce: a NAT or SBC between the SDP and the packets.',
    evidence: 'The SDP that announced the address, and the first and last packet of the stream that went elsewhere.',
    explanation:
      'The {receiver}\'s SDP announced {announced} for its audio, but RTP from {source} went to {actual}. RTP goes where the SDP says (RFC 3264 §5); a difference means something between them changed the addresses: a NAT (the port or the address mapped), an SBC or media relay, or a far end that sends to where the packets come from (RFC 4961 symmetric RTP, "latching", "comedia") rather than to the SDP. Audio flows while that holds; it breaks when the mapping changes or a device that trusts the SDP is put on the path.',
    fix: 'Make the SDP tell the truth: enable SDP rewriting or a media relay for the {receiver} on the NAT or SBC in front of it (rtpengine, the SBC\'s NAT traversal), or configure the {receiver} with its public media address and ports (STUN, an external media address); disable the router\'s SIP ALG if it rewrites one and not the other.',
    fixes: {
      'signalling-address':
        'The packets went to the address the {receiver}\'s SIP came from ({signalling}) with the SDP port: its SDP carries an address that is not the one reachable ({announced}), and the far end or an SBC falls back on the signalling address. Configure the {receiver}\'s public media address (or SDP rewriting on its NAT/SBC) so that the SDP says {actual}.',
      'other-port':
        'The packets went to the announced address on another port ({actual} instead of {announced}): a NAT that maps ports, or a relay that chose its own. Make the NAT keep the port, or rewrite the SDP on the device that maps it.',
    },
    rfc: 'RFC 3264 §5 (where media is sent); RFC 4961 (symmetric RTP); RFC 3605, RFC 5389 (learning the public address)',
    messages: {
      'signalling-address': 'RTP from {source} went to {actual}, the {receiver}\'s signalling address, not to the {announced} its SDP announced.',
      'other-port': 'RTP from {source} went to {actual}, another port than the {announced} the {receiver}\'s SDP announced.',
      'private-sdp': 'RTP from {source} went to {actual}, not to the private {announced} the {receiver}\'s SDP announced from {signalling}.',
      unknown: 'RTP from {source} went to {actual}, an address the {receiver}\'s SDP did not announce ({announced}).',
    },
    options: {},
    translations: {
      es: {
        description: 'El RTP de la llamada va a una dirección o un puerto que su SDP no anunció: un NAT o un SBC entre el SDP y los paquetes.',
        evidence: 'El SDP que anunció la dirección, y el primer y el último paquete del flujo que fue a otro sitio.',
        explanation:
          'El SDP del {receiver} anunció {announced} para su audio, pero el RTP de {source} fue a {actual}. El RTP va adonde dice el SDP (RFC 3264 §5); una diferencia significa que algo entre ellos cambió las direcciones: un NAT (que traduce el puerto o la dirección), un SBC o un relé de medios, o un extremo que envía adonde llegan los paquetes (RTP simétrico de la RFC 4961, "latching", "comedia") en lugar de adonde dice el SDP. El audio fluye mientras eso se mantenga; se rompe cuando cambia la traducción o se pone en el camino un equipo que confía en el SDP.',
        fix: 'Haz que el SDP diga la verdad: activa la reescritura del SDP o un relé de medios para el {receiver} en el NAT o el SBC que tiene delante (rtpengine, el NAT traversal del SBC), o configura el {receiver} con su dirección y puertos de medios públicos (STUN, dirección de medios externa); desactiva el SIP ALG del router si reescribe una cosa y no la otra.',
        fixes: {
          'signalling-address':
            'Los paquetes fueron a la dirección de la que llegó la señalización del {receiver} ({signalling}) con el puerto del SDP: su SDP lleva una dirección que no es la alcanzable ({announced}), y el otro extremo o un SBC recurre a la dirección de señalización. Configura la dirección de medios pública del {receiver} (o la reescritura del SDP en su NAT o SBC) para que el SDP diga {actual}.',
          'other-port':
            'Los paquetes fueron a la dirección anunciada pero a otro puerto ({actual} en lugar de {announced}): un NAT que traduce puertos, o un relé que eligió el suyo. Haz que el NAT conserve el puerto, o reescribe el SDP en el equipo que lo traduce.',
        },
        rfc: 'RFC 3264 §5 (adónde se envían los medios); RFC 4961 (RTP simétrico); RFC 3605, RFC 5389 (conocer la dirección pública)',
        messages: {
          'signalling-address': 'El RTP de {source} fue a {actual}, la dirección de señalización del {receiver}, y no a la {announced} que anunció su SDP.',
          'other-port': 'El RTP de {source} fue a {actual}, otro puerto que el {announced} que anunció el SDP del {receiver}.',
          'private-sdp': 'El RTP de {source} fue a {actual}, y no a la dirección privada {announced} que el SDP del {receiver} anunció desde {signalling}.',
          unknown: 'El RTP de {source} fue a {actual}, una dirección que el SDP del {receiver} no anunció ({announced}).',
        },
        options: {},
        values: { receiver: { caller: 'llamante', callee: 'llamado' } },
      },
    },
  },
  // Reports on the call's streams only.
  needs: { media: 'streams' },
  check(call, context) {
    const media = context.media;
    if (media === null) return;
    const seen = new Set<string>();
    for (const stream of media.streams) {
      if (stream.kind !== 'rtp' || (stream.match !== 'unannounced' && stream.match !== 'nat')) continue;
      const found = receiverOf(call, media, stream.dst);
      if (found === null) continue;
      const { side, announced } = found;
      if (announced.address === null) continue;
      const signalling = call.messages[announced.message]!.captured.src;
      // A private SDP address from a public source is media-hints' private-address finding already.
      if (isPrivateAddress(announced.address) && isPublicAddress(signalling.ip)) continue;
      const key = `${stream.src.ip}|${stream.src.port}|${stream.dst.ip}|${stream.dst.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let cause: Cause = 'unknown';
      if (isPrivateAddress(announced.address) && stream.dst.ip !== announced.address) cause = 'private-sdp';
      else if (stream.dst.ip === signalling.ip && stream.dst.ip !== announced.address && stream.dst.port === announced.port) cause = 'signalling-address';
      else if (stream.dst.ip === announced.address && stream.dst.port !== announced.port) cause = 'other-port';
      context.report({
        messageId: cause,
        data: {
          receiver: side,
          source: endpoint(stream.src),
          actual: endpoint(stream.dst),
          announced: endpoint({ ip: announced.address, port: announced.port }),
          signalling: endpoint(signalling),
          match: stream.match,
        },
        messages: [announced.message],
        packets: [stream.firstFrame, stream.lastFrame],
      });
    }
  },
});
