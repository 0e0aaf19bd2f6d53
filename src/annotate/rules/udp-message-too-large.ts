import { captured, endpointKey, isReliable, copiesOf } from './lib/call.js';
import { rawLengthOf } from '../../parse/sip/parse.js';
import { METHOD_VALUES_ES } from './lib/es.js';
import { endpoint, defineRule } from './types.js';

/** UDP payload that fits a 1500-byte Ethernet MTU: 1500 minus the IPv4 (20) or IPv6 (40) and UDP (8) headers. */
const ETHERNET_UDP_PAYLOAD = { v4: 1472, v6: 1452 } as const;

/** True when a UDP payload of `size` bytes cannot cross a 1500-byte MTU whole; loopback (MTU 65536) excepted. */
function overEthernetMtu(size: number, ip: string): boolean {
  const v6 = ip.includes(':');
  if (v6 ? ip === '::1' : ip.startsWith('127.')) return false;
  return size > (v6 ? ETHERNET_UDP_PAYLOAD.v6 : ETHERNET_UDP_PAYLOAD.v4);
}

/**
 * A request sent over UDP larger than RFC 3261 §18.1.1 allows without a known path MTU (1300
 * bytes; 200 bytes below the 1500-byte Ethernet MTU). §18.1.1 is about the sender's choice
 * when the path may fragment; the rule judges what the capture shows: a request that came in
 * IP fragments (its datagram was reassembled from several frames) is a warning, since fragments
 * are what NATs and firewalls drop, and so is one captured in a single frame too big for a
 * 1500-byte MTU (taken before the sender fragmented it); one retransmitted with no answer an
 * error; one that arrived whole in one frame that fits the MTU only an info hint (no harm seen); one read from a text log, which shows
 * messages after reassembly, an info hint with the fragmentation unresolved.
 */
export const udpMessageTooLarge = defineRule<{ maxBytes: number }>({
  meta: {
    id: 'udp-message-too-large',
    severity: 'error',
    messageSeverity: { 'too-large': 'warning', whole: 'info', unresolved: 'info' },
    description: 'A request sent over UDP is larger than 1300 bytes (RFC 3261 §18.1.1): a warning when it came in IP fragments (or in one frame too big for a 1500-byte MTU), an error when it was retransmitted with no answer, an info hint when it arrived whole.',
    evidence: 'The oversized request (the first of its kind on that hop), with its retransmissions when nothing answered it.',
    explanation:
      'Without a known path MTU, RFC 3261 says a request within 200 bytes of 1500 (more than {limit} bytes) must go over a congestion-controlled transport such as TCP. Over UDP a {size}-byte message is split into IP fragments; NATs, firewalls and some SBCs drop fragments or reassemble them badly, so the request vanishes, typically an INVITE with a large SDP (many codecs, ICE candidates, video) or many headers.',
    fix: 'Make the message smaller (fewer codecs and attributes in the SDP, fewer or shorter headers, compact header forms) or send it over TCP/TLS (transport=tcp in the route, or enable the RFC 3261 §18.1.1 switch to TCP on the sender). Check the firewalls between {sender} and {peer} for fragment handling.',
    rfc: 'RFC 3261 §18.1.1; RFC 8085 §3.2 (UDP message size)',
    messages: {
      'too-large': '{method} from {sender} to {peer} is {size} bytes over UDP, above the {limit}-byte limit: wherever the path MTU is smaller it is fragmented, and fragments are easily lost ({count} such request(s) on this hop).',
      'too-large-lost': '{method} from {sender} to {peer} is {size} bytes over UDP, above the {limit}-byte limit, and was sent {copies} times without any response: it was most likely fragmented and lost on the way ({count} such request(s) on this hop).',
      whole: '{method} from {sender} to {peer} is {size} bytes over UDP, above the {limit}-byte limit, and arrived whole here, in one frame: no harm seen; only a path with a smaller MTU would fragment it ({count} such request(s) on this hop).',
      unresolved: '{method} from {sender} to {peer} is {size} bytes over UDP, above the {limit}-byte limit; a log shows messages after reassembly, so whether it was fragmented on the way is unresolved ({count} such request(s) on this hop).',
    },
    options: {
      maxBytes: { default: 1300, description: 'Largest request (bytes, start line to end of body) that may go over UDP when the path MTU is unknown (RFC 3261 §18.1.1).' },
    },
    translations: {
      es: {
        description: 'Una petición enviada por UDP supera los 1300 bytes (RFC 3261 §18.1.1): un aviso cuando llegó en fragmentos IP (o en una sola trama demasiado grande para una MTU de 1500 bytes), un error cuando se retransmitió sin respuesta, una pista informativa cuando llegó entera.',
        evidence: 'La petición demasiado grande (la primera de su tipo en ese salto), con sus retransmisiones cuando nada la respondió.',
        explanation:
          'Sin una MTU de camino conocida, la RFC 3261 dice que una petición a menos de 200 bytes de 1500 (más de {limit} bytes) debe ir por un transporte con control de congestión, como TCP. Por UDP, un mensaje de {size} bytes se divide en fragmentos IP; los NAT, los firewalls y algunos SBC descartan los fragmentos o los reensamblan mal, así que la petición desaparece: típicamente un INVITE con un SDP grande (muchos códecs, candidatos ICE, vídeo) o con muchos encabezados.',
        fix: 'Reduce el mensaje (menos códecs y atributos en el SDP, menos encabezados o más cortos, las formas compactas de los encabezados) o envíalo por TCP/TLS (transport=tcp en la ruta, o habilita en el remitente el paso a TCP de la RFC 3261 §18.1.1). Revisa cómo tratan los fragmentos los firewalls entre {sender} y {peer}.',
        rfc: 'RFC 3261 §18.1.1; RFC 8085 §3.2 (tamaño de los mensajes UDP)',
        messages: {
          'too-large':
            'El {method} de {sender} a {peer} ocupa {size} bytes por UDP, por encima del límite de {limit} bytes: dondequiera que la MTU del camino sea menor se fragmenta, y los fragmentos se pierden con facilidad ({count} petición(es) así en este salto).',
          'too-large-lost':
            'El {method} de {sender} a {peer} ocupa {size} bytes por UDP, por encima del límite de {limit} bytes, y se envió {copies} veces sin ninguna respuesta: lo más probable es que se fragmentara y se perdiera por el camino ({count} petición(es) así en este salto).',
          whole:
            'El {method} de {sender} a {peer} ocupa {size} bytes por UDP, por encima del límite de {limit} bytes, y llegó entero aquí, en una sola trama: no se ve ningún daño; solo un camino con una MTU menor lo fragmentaría ({count} petición(es) así en este salto).',
          unresolved:
            'El {method} de {sender} a {peer} ocupa {size} bytes por UDP, por encima del límite de {limit} bytes; un log muestra los mensajes ya reensamblados, así que no se sabe si se fragmentó por el camino ({count} petición(es) así en este salto).',
        },
        options: {
          maxBytes: 'La petición más grande (en bytes, desde la línea inicial hasta el final del cuerpo) que puede ir por UDP cuando no se conoce la MTU del camino (RFC 3261 §18.1.1).',
        },
        values: { method: METHOD_VALUES_ES },
      },
    },
  },
  check(call, context) {
    const limit = context.options.maxBytes;
    // Made at the first request over the limit: most calls have none.
    let byHop: Map<string, { first: number; count: number; largest: number; lost: number[] | null; fragmented: number | null; logged: boolean }> | null = null;
    for (let i = 0; i < call.messages.length; i++) {
      const m = call.messages[i]!;
      const c = m.captured;
      if (m.retransmission || c.message.kind !== 'request' || isReliable(c) || rawLengthOf(c.message) <= limit) continue;
      const key = `${c.message.method ?? ''}\u0000${endpointKey(c.src)}\u0000${endpointKey(c.dst)}`;
      // Lost: retransmitted and never answered (sent once with no answer proves nothing: the capture may simply end).
      const tx = call.transactions[m.transaction]!;
      const copies = copiesOf(call, i);
      const lost = c.message.method !== 'ACK' && tx.responses.length === 0 && copies.length > 1 ? copies : null;
      // A datagram reassembled from several frames came in IP fragments; one frame too big for a
      // 1500-byte Ethernet MTU (off loopback) was captured before the sender fragmented it (or on
      // jumbo frames): it is fragmented on any standard path. A text log cannot tell.
      const fragmented = c.frames.length > 1 || (c.frame !== null && overEthernetMtu(rawLengthOf(c.message), c.src.ip)) ? i : null;
      const logged = c.frame === null;
      const seen = (byHop ??= new Map()).get(key);
      if (seen === undefined) byHop.set(key, { first: i, count: 1, largest: rawLengthOf(c.message), lost, fragmented, logged });
      else {
        seen.count++;
        seen.largest = Math.max(seen.largest, rawLengthOf(c.message));
        seen.lost ??= lost;
        seen.fragmented ??= fragmented;
      }
    }
    if (byHop === null) return;
    for (const hop of byHop.values()) {
      const c = captured(call, hop.first);
      const data = { method: c.message.method ?? 'request', sender: endpoint(c.src), peer: endpoint(c.dst), size: rawLengthOf(c.message), largest: hop.largest, limit, count: hop.count };
      if (hop.lost === null) {
        const shown = hop.fragmented ?? hop.first;
        const messageId = hop.fragmented !== null ? 'too-large' : hop.logged ? 'unresolved' : 'whole';
        context.report({ messageId, data: { ...data, size: rawLengthOf(captured(call, shown).message) }, messages: [shown], anchor: shown });
      } else context.report({ messageId: 'too-large-lost', data: { ...data, copies: hop.lost.length }, messages: hop.lost, anchor: hop.lost[hop.lost.length - 1]! });
    }
  },
});
