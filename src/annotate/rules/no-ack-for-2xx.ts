import { diffMs } from '../../time.js';
import { ack2xxForCseq, captured, sameEndpoint, firstCopies, copiesOf, firstRetransmission, sipOf, uriNamesEndpoint } from './lib/call.js';
import { recordRoutes } from '../../parse/sip/header-values.js';
import { isLoopback } from '../../parse/net/address-class.js';
import { estimateT1, transactionTimeoutMs } from './lib/timers.js';
import { T1_MS_OPTION_ES } from './lib/es.js';
import { duration, endpoint, type DataValue, defineRule } from './types.js';

const NEVER_SENT_FIX =
  'Capture on {uac} itself: if the 2xx arrives there, its log says why it ignored it (a To tag, Contact or SDP it could not use, or a firewall on the host in front of the application); if it does not, look for a firewall or NAT between this capture point and {uac}.';
const NEVER_SENT_FIX_ES =
  'Captura en {uac} mismo: si el 2xx llega allí, su registro dice por qué lo ignoró (una etiqueta To, un Contact o un SDP que no pudo usar, o un firewall del equipo delante de la aplicación); si no llega, busca un firewall o un NAT entre este punto de captura y {uac}.';

/**
 * A 2xx to INVITE that the UAS keeps retransmitting because no ACK reaches it (RFC 3261
 * §13.3.1.4). The ACK for a 2xx is sent end to end, to the 200's Contact through the
 * Record-Route set, so a wrong Contact or Record-Route is the usual cause. After 64*T1 the UAS
 * gives up and ends the call with BYE.
 */
export const noAckFor2xx = defineRule<{ lateAckRetransmissions: number; t1Ms: number }>({
  meta: {
    id: 'no-ack-for-2xx',
    severity: 'error',
    messageSeverity: { 'late-ack': 'warning' },
    description: 'A 2xx answer to INVITE was retransmitted because no ACK reached the side that answered; the call is torn down about 32 s (64*T1) after the answer.',
    evidence: 'The 2xx and its retransmissions, any ACK sent for it, and the BYE that ends the call.',
    explanation:
      'The UAS ({uas}) repeats its 2xx until an ACK arrives, and ends the call after 64*T1 ({timer}) without one. The ACK for a 2xx does not follow the INVITE\'s path hop by hop: the caller sends it to the Contact of the 2xx ({contact}) through the Record-Route set ({recordRoute}). A Contact with a private or unreachable address, a missing Record-Route on a proxy or SBC that must stay in the path, or a NAT or firewall on the way drops the ACK. When the Contact is where the INVITE went and there is no Record-Route, the ACK takes the INVITE\'s path: if this capture has the INVITE and no ACK, the caller never sent one.',
    fix: 'Check the Contact in the 2xx from {uas}: it must be reachable from the caller (public address, or an SBC that fixes it); check that every proxy that must see the ACK put itself in Record-Route; then follow the ACK from the caller ({uac}) and see where it goes.',
    rfc: 'RFC 3261 §13.3.1.4 (2xx retransmitted until ACK), §13.2.2.4 (ACK to the Contact via the route set), §17.2.1 (Timer H)',
    messages: {
      'no-ack': 'The 2xx from {uas} was sent {copies} time(s) over {waited} and no ACK was seen at all.',
      'no-ack-bye': 'The 2xx from {uas} was sent {copies} time(s) with no ACK; {uas} then ended the call with BYE {byeAfter} after answering.',
      'never-sent': 'The 2xx from {uas} was sent {copies} time(s) over {waited} and {uac} never sent an ACK. The ACK would go where the INVITE went ({contact}, no Record-Route), on a path this capture sees, so it was not lost on the way: the 2xx did not reach {uac} beyond this capture point, or {uac} did not accept it.',
      'never-sent-bye': 'The 2xx from {uas} was sent {copies} time(s) and {uac} never sent an ACK, so {uas} ended the call with BYE {byeAfter} after answering. The ACK would go where the INVITE went ({contact}, no Record-Route), on a path this capture sees, so it was not lost on the way: the 2xx did not reach {uac} beyond this capture point, or {uac} did not accept it.',
      'contact-loopback': 'The 2xx from {uas} gives a loopback address as its Contact ({contact}): the caller ({uac}) sends its ACK there, that is to itself, so no ACK reaches {uas}, which sent the 2xx {copies} time(s).',
      'ack-elsewhere': 'The 2xx from {uas} was sent {copies} time(s): the caller sent its ACK to {ackTarget}, and it never reached {uas}.',
      'ack-not-received': 'The 2xx from {uas} was still retransmitted {afterAck} time(s) after an ACK was sent to {ackTarget}: the ACK did not arrive or did not match.',
      'late-ack': 'The 2xx from {uas} was retransmitted {retransmissions} time(s) before the ACK arrived, {ackAfter} after the answer.',
    },
    fixes: {
      'contact-loopback':
        'Fix the Contact that {uas} puts in its 2xx: a loopback address there means its SIP stack was set up with the wrong local address (bound to the loopback interface, or a "local IP" or contact setting left at localhost); it must be an address the caller can reach.',
      'never-sent': NEVER_SENT_FIX,
      'never-sent-bye': NEVER_SENT_FIX,
    },
    options: {
      lateAckRetransmissions: { default: 2, description: 'Retransmissions of a 2xx before a (finally) arriving ACK that count as a late ACK.' },
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
    },
    translations: {
      es: {
        description: 'Una respuesta 2xx a un INVITE se retransmitió porque ningún ACK llegó al lado que contestó; la llamada se corta unos 32 s (64*T1) después de contestar.',
        evidence: 'El 2xx y sus retransmisiones, cualquier ACK enviado para él y el BYE que termina la llamada.',
        explanation:
          'El UAS ({uas}) repite su 2xx hasta que llega un ACK, y termina la llamada tras 64*T1 ({timer}) si no llega. El ACK de un 2xx no sigue el camino del INVITE salto a salto: el llamante lo envía al Contact del 2xx ({contact}) a través del conjunto de Record-Route ({recordRoute}). Un Contact con una dirección privada o inalcanzable, un proxy o SBC que debe permanecer en el camino y no se puso en Record-Route, o un NAT o un firewall por el camino hacen que el ACK se pierda. Cuando el Contact es adonde fue el INVITE y no hay Record-Route, el ACK sigue el camino del INVITE: si esta captura tiene el INVITE y ningún ACK, el llamante nunca lo envió.',
        fix: 'Revisa el Contact del 2xx de {uas}: debe ser alcanzable desde el llamante (una dirección pública, o un SBC que la corrija); comprueba que todo proxy que deba ver el ACK se haya puesto en Record-Route; después sigue el ACK desde el llamante ({uac}) y mira adónde va.',
        rfc: 'RFC 3261 §13.3.1.4 (el 2xx se retransmite hasta el ACK), §13.2.2.4 (ACK al Contact a través del conjunto de rutas), §17.2.1 (Timer H)',
        messages: {
          'no-ack': 'El 2xx de {uas} se envió {copies} veces durante {waited} y no se vio ningún ACK.',
          'no-ack-bye': 'El 2xx de {uas} se envió {copies} veces sin ACK; {uas} terminó entonces la llamada con un BYE {byeAfter} después de contestar.',
          'never-sent': 'El 2xx de {uas} se envió {copies} veces durante {waited} y {uac} nunca envió un ACK. El ACK iría adonde fue el INVITE ({contact}, sin Record-Route), por un camino que esta captura ve, así que no se perdió por el camino: el 2xx no llegó a {uac} más allá de este punto de captura, o {uac} no lo aceptó.',
          'never-sent-bye': 'El 2xx de {uas} se envió {copies} veces y {uac} nunca envió un ACK, así que {uas} terminó la llamada con un BYE {byeAfter} después de contestar. El ACK iría adonde fue el INVITE ({contact}, sin Record-Route), por un camino que esta captura ve, así que no se perdió por el camino: el 2xx no llegó a {uac} más allá de este punto de captura, o {uac} no lo aceptó.',
          'contact-loopback': 'El 2xx de {uas} da una dirección de loopback como Contact ({contact}): el llamante ({uac}) envía allí su ACK, es decir, a sí mismo, así que ningún ACK llega a {uas}, que envió el 2xx {copies} veces.',
          'ack-elsewhere': 'El 2xx de {uas} se envió {copies} veces: el llamante envió su ACK a {ackTarget} y nunca llegó a {uas}.',
          'ack-not-received': 'El 2xx de {uas} se siguió retransmitiendo {afterAck} veces después de que se enviara un ACK a {ackTarget}: el ACK no llegó o no coincidía.',
          'late-ack': 'El 2xx de {uas} tuvo {retransmissions} retransmisión(es) antes de que llegara el ACK, {ackAfter} después de contestar.',
        },
        fixes: {
          'contact-loopback':
            'Corrige el Contact que {uas} pone en su 2xx: una dirección de loopback ahí significa que su pila SIP se configuró con una dirección local equivocada (escuchando en la interfaz de loopback, o un ajuste de "IP local" o de contact que quedó en localhost); debe ser una dirección que el llamante pueda alcanzar.',
          'never-sent': NEVER_SENT_FIX_ES,
          'never-sent-bye': NEVER_SENT_FIX_ES,
        },
        options: {
          lateAckRetransmissions: 'Retransmisiones de un 2xx antes de un ACK que (por fin) llega a partir de las cuales el ACK se considera tardío.',
          t1Ms: T1_MS_OPTION_ES,
        },
        values: {
          contact: { '(none)': '(ninguno)' },
          recordRoute: { '(none)': '(ninguno)' },
        },
      },
    },
  },
  // Every finding is about a 2xx sent again.
  needs: { retransmitted: true },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    for (const tx of call.transactions) {
      if (tx.method !== 'INVITE') continue;
      const seenTags = new Set<string>();
      for (const ok of firstCopies(call, tx.responses)) {
        const okMsg = captured(call, ok);
        const status = okMsg.message.status ?? 0;
        if (status < 200 || status >= 300) continue;
        // One finding per answering UAS (To tag): its earliest copy is the hop nearest to it.
        const tag = okMsg.message.toTag ?? '';
        if (seenTags.has(tag)) continue;
        seenTags.add(tag);
        // A 2xx sent once was ACKed in time (the usual case): its copies are not listed.
        if (firstRetransmission(call, ok) === null) continue;
        const copies = copiesOf(call, ok);
        // ACKs for this 2xx: by its To tag; failing that (a proxy that rewrites tags), any ACK for the CSeq.
        const sameCseq = ack2xxForCseq(call, tx.cseq).filter((i) => i > ok);
        const byTag = sameCseq.filter((i) => (sipOf(call, i).toTag ?? '') === tag);
        const acks = byTag.length > 0 ? byTag : sameCseq;
        // Reaching the UAS: sent to where the 2xx came from, or to its Contact.
        const contactUri = okMsg.message.contact[0]?.uri;
        const toUas = acks.filter((i) => {
          const dst = captured(call, i).dst;
          return sameEndpoint(dst, okMsg.src) || (contactUri !== undefined && uriNamesEndpoint(contactUri, dst));
        });
        const last = copies[copies.length - 1]!;
        const data: Record<string, DataValue> = {
          uas: endpoint(okMsg.src),
          uac: endpoint(okMsg.dst),
          status,
          copies: copies.length,
          retransmissions: copies.length - 1,
          waited: duration(diffMs(okMsg.time, captured(call, last).time)),
          contact: okMsg.message.contact[0]?.uri.raw ?? '(none)',
          recordRoute: recordRoutes(okMsg.message).join(', ') || '(none)',
          timer: duration(transactionTimeoutMs(t1.t1Ms)),
        };
        if (acks.length === 0) {
          // With no Record-Route, the ACK goes to the Contact (RFC 3261 §12.1.2, §13.2.2.4): when
          // that is where the caller sent its INVITE, and the capture has that INVITE, the ACK's
          // path is one this capture sees, so no ACK means none was sent. Only when the INVITE came
          // from the caller itself (one Via, RFC 3261 §8.1.1.7, §16.6 step 8): behind a proxy that did
          // not Record-Route, the caller sends its ACK from its own address, past this capture point.
          const inviteSeen = tx.requests.some((i) => sameEndpoint(captured(call, i).src, okMsg.dst) && sameEndpoint(captured(call, i).dst, okMsg.src));
          const ackPathSeen =
            inviteSeen &&
            recordRoutes(okMsg.message).length === 0 &&
            okMsg.message.via.length === 1 &&
            contactUri !== undefined &&
            uriNamesEndpoint(contactUri, okMsg.src);
          const bye = call.messages.findIndex((m, i) => i > ok && m.captured.message.method === 'BYE' && m.captured.message.fromTag === tag);
          // A loopback Contact from a UAS that is not itself on loopback: the caller ACKs itself.
          if (contactUri !== undefined && isLoopback(contactUri.host) && !isLoopback(okMsg.src.ip)) {
            context.report({ messageId: 'contact-loopback', data, messages: bye >= 0 ? [...copies, bye] : copies, anchor: bye >= 0 ? bye : last });
            continue;
          }
          if (bye >= 0) {
            data['byeAfter'] = duration(diffMs(okMsg.time, captured(call, bye).time));
            context.report({ messageId: ackPathSeen ? 'never-sent-bye' : 'no-ack-bye', data, messages: [...copies, bye], anchor: bye });
          } else {
            context.report({ messageId: ackPathSeen ? 'never-sent' : 'no-ack', data, messages: copies, anchor: last });
          }
          continue;
        }
        if (toUas.length === 0) {
          data['ackTarget'] = endpoint(captured(call, acks[0]!).dst);
          context.report({ messageId: 'ack-elsewhere', data, messages: [...copies, acks[0]!].sort((a, b) => a - b), anchor: last });
          continue;
        }
        const ack = toUas[0]!;
        const ackTime = captured(call, ack).time;
        // One retransmission may cross the ACK on the wire; more mean the ACK was lost or ignored.
        const afterAck = copies.filter((i) => diffMs(ackTime, captured(call, i).time) > 0);
        data['ackTarget'] = endpoint(captured(call, ack).dst);
        if (afterAck.length >= 2) {
          data['afterAck'] = afterAck.length;
          context.report({ messageId: 'ack-not-received', data, messages: [...copies, ack].sort((a, b) => a - b), anchor: last });
          continue;
        }
        const before = copies.length - 1 - afterAck.length;
        if (before >= context.options.lateAckRetransmissions) {
          data['retransmissions'] = before;
          data['ackAfter'] = duration(diffMs(okMsg.time, ackTime));
          context.report({ messageId: 'late-ack', data, messages: [...copies.filter((i) => i < ack), ack], anchor: ack });
        }
      }
    }
  },
});
