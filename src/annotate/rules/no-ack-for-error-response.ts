import type { Call } from '../../parse/dialog/types.js';
import type { Timestamp } from '../../types.js';
import { diffMs } from '../../time.js';
import { ack2xxMessages, captured, firstCopies, reverseHop, copiesOf, statusLabel } from './lib/call.js';
import { estimateT1, transactionTimeoutMs } from './lib/timers.js';
import { T1_MS_OPTION_ES } from './lib/es.js';
import { duration, endpoint, type DataValue, defineRule } from './types.js';

/**
 * A 3xx-6xx final response to INVITE repeated because no ACK came back on that hop. The ACK
 * for a non-2xx response is part of the INVITE transaction: same branch, same hop (RFC 3261
 * §17.1.1.3). Without it the server retransmits (Timer G) until Timer H, 64*T1.
 */
export const noAckForErrorResponse = defineRule<{ t1Ms: number }>({
  meta: {
    id: 'no-ack-for-error-response',
    severity: 'error',
    description: 'A final error response (3xx-6xx) to INVITE was retransmitted because no matching ACK came back on that hop. When the caller sent its INVITE again after the response, the response never reached it: request-retransmissions reports that cause instead.',
    evidence: 'The response and its retransmissions, and any ACK that was sent but did not match.',
    explanation:
      'The ACK for a non-2xx response belongs to the INVITE transaction: the caller side ({uac}) must send it to the same hop with the same Via branch as the INVITE. Until it arrives, {uas} repeats the {response} (T1, 2*T1... up to T2) for up to 64*T1 ({timer}). A missing ACK means the response did not reach {uac}, or the ACK is lost on the way back or does not match (new branch, wrong To tag).',
    fix: 'Check that {response} reaches {uac} (the address in the top Via, received/rport, NAT) and that {uac} sends its ACK back with the INVITE\'s branch and the To tag of the response.',
    rfc: 'RFC 3261 §17.1.1.3 (ACK for non-2xx), §17.2.1 (Timer G, Timer H)',
    messages: {
      'no-ack': 'The {response} from {uas} to {uac} was sent {copies} time(s) over {waited} and never acknowledged.',
      'ack-wrong-branch': 'The {response} from {uas} was sent {copies} time(s): {uac} sent an ACK, but with a branch other than the INVITE\'s, so it does not match the transaction.',
      'ack-not-received': 'The {response} from {uas} was retransmitted {afterAck} time(s) after {uac} sent its ACK: the ACK did not arrive or did not match.',
    },
    options: {
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
    },
    translations: {
      es: {
        description: 'Una respuesta final de error (3xx-6xx) a un INVITE se retransmitió porque no volvió ningún ACK que coincidiera en ese salto. Si el llamante volvió a enviar su INVITE después de la respuesta, la respuesta nunca le llegó: request-retransmissions informa de esa causa en su lugar.',
        evidence: 'La respuesta y sus retransmisiones, y cualquier ACK que se envió pero no coincidía.',
        explanation:
          'El ACK de una respuesta que no es 2xx pertenece a la transacción INVITE: el lado llamante ({uac}) debe enviarlo al mismo salto y con la misma rama (branch) de Via que el INVITE. Hasta que llega, {uas} repite el {response} (T1, 2*T1... hasta T2) durante un máximo de 64*T1 ({timer}). Que falte el ACK significa que la respuesta no llegó a {uac}, o que el ACK se pierde en el camino de vuelta o no coincide (una rama nueva, un tag de To equivocado).',
        fix: 'Comprueba que el {response} llega a {uac} (la dirección del Via superior, received/rport, NAT) y que {uac} devuelve su ACK con la rama del INVITE y el tag de To de la respuesta.',
        rfc: 'RFC 3261 §17.1.1.3 (ACK de una respuesta que no es 2xx), §17.2.1 (Timer G, Timer H)',
        messages: {
          'no-ack': 'El {response} de {uas} a {uac} se envió {copies} veces durante {waited} y nunca se confirmó.',
          'ack-wrong-branch': 'El {response} de {uas} se envió {copies} veces: {uac} envió un ACK, pero con una rama distinta de la del INVITE, así que no coincide con la transacción.',
          'ack-not-received': 'El {response} de {uas} se retransmitió {afterAck} veces después de que {uac} enviara su ACK: el ACK no llegó o no coincidía.',
        },
        options: {
          t1Ms: T1_MS_OPTION_ES,
        },
      },
    },
  },
  // Every finding is about a failure response sent again (a 3xx-6xx with a copy).
  needs: { retransmitted: true },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    for (const tx of call.transactions) {
      if (tx.method !== 'INVITE') continue;
      for (const response of firstCopies(call, tx.responses)) {
        const r = captured(call, response);
        if ((r.message.status ?? 0) < 300) continue;
        const copies = copiesOf(call, response);
        if (copies.length < 2) continue;
        const last = copies[copies.length - 1]!;
        const data: Record<string, DataValue> = {
          response: statusLabel(r.message),
          status: r.message.status ?? 0,
          uas: endpoint(r.src),
          uac: endpoint(r.dst),
          copies: copies.length,
          waited: duration(diffMs(r.time, captured(call, last).time)),
          timer: duration(transactionTimeoutMs(t1.t1Ms)),
        };
        const acks = tx.acks.filter((i) => i > response && reverseHop(r, captured(call, i)));
        if (acks.length > 0) {
          const ackTime = captured(call, acks[0]!).time;
          const afterAck = copies.filter((i) => diffMs(ackTime, captured(call, i).time) > 0).length;
          if (afterAck >= 2) context.report({ messageId: 'ack-not-received', data: { ...data, afterAck }, messages: [...copies, acks[0]!].sort((a, b) => a - b), anchor: last });
          continue;
        }
        const stray = ack2xxMessages(call, tx).find((i) => i > response && reverseHop(r, captured(call, i)));
        if (stray !== undefined) {
          context.report({ messageId: 'ack-wrong-branch', data, messages: [...copies, stray].sort((a, b) => a - b), anchor: last });
        } else if (!inviteSentAgainAfter(call, tx.request, r.time)) {
          // The caller sending its INVITE again after the response shows the response never
          // reached it: no ACK can follow, and request-retransmissions names that cause
          // (responses-lost). A missing ACK is the symptom, not a second problem.
          context.report({ messageId: 'no-ack', data, messages: copies, anchor: last });
        }
      }
    }
  },
});

/** Whether a copy of the INVITE (a retransmission by the caller) was captured after `time`. */
function inviteSentAgainAfter(call: Call, invite: number | null, time: Timestamp): boolean {
  if (invite === null) return false;
  return copiesOf(call, invite).some((i) => diffMs(time, captured(call, i).time) > 0);
}
