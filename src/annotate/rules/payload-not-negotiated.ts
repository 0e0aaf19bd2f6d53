import type { AnnouncedMedia } from '../../parse/media/types.js';
import type { Codec } from '../../parse/sip/sdp.js';
import { codecList } from '../media.js';
import { sameType } from './lib/media.js';
import { defineRule, endpoint } from './types.js';

/**
 * RTP on a payload type that no SDP of the call listed for that kind of media (RFC 3264 §5.1,
 * §6.1: a side sends only the formats the other listed). Every offer and answer of the call
 * counts, from either side, so a format one side offered and the other merely left out is not
 * reported: only a number nobody named. Static payload types count by number (an m= line that
 * lists 0 allows PCMU without an rtpmap); comfort noise and telephone events only when listed.
 */
export const payloadNotNegotiated = defineRule({
  meta: {
    id: 'payload-not-negotiated',
    severity: 'warning',
    description: 'An RTP stream carries a payload type that no SDP of the call offered or answered for that media.',
    evidence: 'The first and last packet of the stream, and the SDP its packets were tied to.',
    explanation:
      'RTP from {source} to {destination} carries payload type {payloadType}, which no SDP of the call listed for its {mediaType} m= line (negotiated: {negotiated}). A receiver decodes only the formats it announced (RFC 3264 §5.1): it drops these packets, or plays them as the wrong codec (noise), or mutes. Common causes: comfort noise (PT 13) sent although CN was not negotiated, vendor events (Cisco NSE on PT 100) for fax or modem passthrough, a codec change not renegotiated by re-INVITE, or payload numbers an SBC renumbered in the SDP but not in the packets.',
    fix: 'Make the sender at {source} use only the negotiated formats ({negotiated}): turn off comfort noise / VAD or offer CN, disable vendor passthrough events or offer them, or have the SBC that rewrote the SDP map the payload numbers in the media too.',
    rfc: 'RFC 3264 §5.1, §6.1 (formats a side may send); RFC 3551 §6 (static payload types); RFC 3389 (comfort noise)',
    messages: {
      'not-negotiated': 'RTP from {source} carries payload type {payloadType}, which no SDP of the call negotiated ({negotiated}).',
    },
    options: {
      minPackets: { default: 3, description: 'Streams with fewer packets than this are not judged.' },
    },
    translations: {
      es: {
        description: 'Un flujo RTP lleva un tipo de carga que ningún SDP de la llamada ofreció ni respondió para ese medio.',
        evidence: 'El primer y el último paquete del flujo, y el SDP al que se asociaron sus paquetes.',
        explanation:
          'El RTP de {source} a {destination} lleva el tipo de carga {payloadType}, que ningún SDP de la llamada incluyó en su línea m= de {mediaType} (negociados: {negotiated}). Un receptor solo decodifica los formatos que anunció (RFC 3264 §5.1): descarta estos paquetes, o los reproduce con el códec equivocado (ruido), o se silencia. Causas habituales: ruido de confort (PT 13) enviado sin haber negociado CN, eventos propietarios (Cisco NSE en el PT 100) para el paso de fax o módem, un cambio de códec no renegociado con re-INVITE, o números de carga que un SBC renumeró en el SDP pero no en los paquetes.',
        fix: 'Haz que el emisor en {source} use solo los formatos negociados ({negotiated}): desactiva el ruido de confort / VAD u ofrece CN, desactiva los eventos propietarios de paso u ofrécelos, o haz que el SBC que reescribió el SDP traduzca también los números de carga en los medios.',
        rfc: 'RFC 3264 §5.1, §6.1 (formatos que un lado puede enviar); RFC 3551 §6 (tipos de carga estáticos); RFC 3389 (ruido de confort)',
        messages: {
          'not-negotiated': 'El RTP de {source} lleva el tipo de carga {payloadType}, que ningún SDP de la llamada negoció ({negotiated}).',
        },
        options: { minPackets: 'No se juzgan los flujos con menos paquetes que este número.' },
        values: { mediaType: { video: 'vídeo', image: 'imagen' } },
      },
    },
  },
  // Reports on the call's streams only.
  needs: { media: 'streams' },
  check(_call, context) {
    const media = context.media;
    if (media === null) return;
    for (const stream of media.streams) {
      const rtp = stream.rtp;
      // A stream no SDP named (unannounced) has no m= line to hold it against: unresolved.
      if (stream.kind !== 'rtp' || rtp === null || stream.match === 'unannounced' || stream.packets < context.options.minPackets) continue;
      const announced = media.announced[stream.announced];
      if (announced === undefined) continue;
      const lines = sameType(media, announced);
      // An m= line with no formats (T.38 image, a rejected line) tells nothing about RTP payloads.
      if (lines.every((a) => a.codecs.length === 0)) continue;
      // The negotiated formats' text is made for a report only: most streams carry listed types alone.
      let negotiated: string | null = null;
      for (const payloadType of rtp.payloadTypes) {
        if (lines.some((a) => a.codecs.some((c) => c.payload === payloadType))) continue;
        negotiated ??= negotiatedText(lines);
        context.report({
          messageId: 'not-negotiated',
          data: { source: endpoint(stream.src), destination: endpoint(stream.dst), payloadType, negotiated, mediaType: announced.type },
          messages: [announced.message],
          packets: [stream.firstFrame, stream.lastFrame],
        });
      }
    }
  },
});

/** The formats the m= lines list, as text: each payload type once, its first entry with a name (else its first). */
function negotiatedText(lines: readonly AnnouncedMedia[]): string {
  const listed = new Map<number, Codec>();
  for (const a of lines) for (const c of a.codecs) if (!listed.has(c.payload) || listed.get(c.payload)!.name === '') listed.set(c.payload, c);
  return codecList([...listed.values()]);
}
