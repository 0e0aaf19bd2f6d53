import { diffMs } from '../../time.js';
import type { Call, Transaction } from '../../parse/dialog/types.js';
import { ack2xxMessages, captured, firstCopies, firstFinal, fromTagOf, isInitialRequest, sipOf, statusLabel, statusOf } from './lib/call.js';
import { duration, endpoint, type DataValue, defineRule } from './types.js';

/**
 * Whether the 2xx `ok` to the INVITE transaction `tx` belongs to a dialog established before it:
 * the INVITE is a re-INVITE (it carries a To tag), or an earlier 2xx to another INVITE of the
 * call has the same Call-ID, From tag and To tag.
 */
function inEstablishedDialog(call: Call, tx: Transaction, ok: number): boolean {
  if (tx.request !== null && !isInitialRequest(sipOf(call, tx.request))) return true;
  const answer = sipOf(call, ok);
  const toTag = answer.toTag ?? null;
  if (toTag === null) return false;
  for (const other of call.transactions) {
    if (other === tx || other.method !== 'INVITE') continue;
    for (const i of firstCopies(call, other.responses)) {
      if (i >= ok) continue;
      const earlier = sipOf(call, i);
      const status = earlier.status ?? 0;
      if (status >= 200 && status < 300 && earlier.callId === answer.callId && earlier.from?.tag === answer.from?.tag && earlier.to?.tag === toTag) return true;
    }
  }
  return false;
}

/**
 * A CANCEL that crossed a 2xx: the callee answered while the caller was giving up. The 2xx
 * wins (RFC 3261 §9.1: a CANCEL has no effect on a request that already got its final
 * response), so the caller must ACK it and then hang up with BYE.
 */
export const cancelRace = defineRule<{ byeWithinSeconds: number }>({
  meta: {
    id: 'cancel-race',
    severity: 'warning',
    messageSeverity: { handled: 'info', unresolved: 'info' },
    description: 'A CANCEL crossed a 2xx answer to the same INVITE: the call was answered anyway, so the caller must ACK it and end it with BYE.',
    evidence: 'The INVITE, the CANCEL, the 2xx, the ACK and the BYE that ends the unwanted call (or their absence).',
    explanation:
      'The caller ({caller}) sent CANCEL and the callee\'s 2xx was on its way at the same time ({gap} apart on the wire). A CANCEL cannot undo a final response: the INVITE was answered ({response}), the CANCEL gets 200 or 481 ({cancelResponse}) and has no effect. The caller must ACK the 2xx and send BYE at once, or the callee stays connected to a call nobody is on (and it may be billed).',
    fix: 'No fix needed when the caller ACKs and sends BYE (handled). Otherwise fix the caller\'s CANCEL handling: after sending CANCEL it must still accept a 2xx, ACK it and then send BYE (RFC 3261 §9.1, §15).',
    rfc: 'RFC 3261 §9.1, §9.2, §15',
    messages: {
      handled: 'CANCEL and {response} crossed ({gap} apart); the caller ACKed the answer and ended the call with BYE {byeAfter} later.',
      'not-acked': 'CANCEL and {response} crossed ({gap} apart), and the caller never ACKed the answer: the callee will retransmit it and drop the call after 64*T1.',
      'no-bye': 'CANCEL and {response} crossed ({gap} apart); the caller ACKed the answer but never sent BYE, so the call it gave up on stayed connected ({waited} until the end of the capture).',
      unresolved: 'CANCEL and {response} crossed ({gap} apart); the caller ACKed the answer and the capture ended {waited} later, before any BYE, so the outcome is unresolved.',
    },
    options: {
      byeWithinSeconds: { default: 5, description: 'How long after its ACK the caller has to send BYE before the call counts as left connected.' },
    },
    translations: {
      es: {
        description: 'Un CANCEL se cruzó con una respuesta 2xx al mismo INVITE: la llamada se contestó de todos modos, así que el llamante debe confirmarla con ACK y terminarla con BYE.',
        evidence: 'El INVITE, el CANCEL, el 2xx, el ACK y el BYE que termina la llamada no deseada (o su ausencia).',
        explanation:
          'El llamante ({caller}) envió un CANCEL mientras el 2xx del llamado ya venía en camino ({gap} de diferencia en la red). Un CANCEL no puede deshacer una respuesta final: el INVITE quedó contestado ({response}), el CANCEL recibe 200 o 481 ({cancelResponse}) y no tiene efecto. El llamante debe confirmar el 2xx con ACK y enviar BYE de inmediato, o el llamado se queda conectado a una llamada en la que no hay nadie (y que puede facturarse).',
        fix: 'No hace falta corregir nada cuando el llamante envía el ACK y después el BYE (handled). Si no, corrige cómo gestiona el CANCEL el llamante: después de enviarlo, aún debe aceptar un 2xx, confirmarlo con ACK y luego enviar BYE (RFC 3261 §9.1, §15).',
        rfc: 'RFC 3261 §9.1, §9.2, §15',
        messages: {
          handled: 'El CANCEL y el {response} se cruzaron ({gap} de diferencia); el llamante confirmó la respuesta con ACK y terminó la llamada con un BYE {byeAfter} después.',
          'not-acked': 'El CANCEL y el {response} se cruzaron ({gap} de diferencia) y el llamante nunca confirmó la respuesta con ACK: el llamado la retransmitirá y cortará la llamada tras 64*T1.',
          'no-bye': 'El CANCEL y el {response} se cruzaron ({gap} de diferencia); el llamante confirmó la respuesta con ACK pero nunca envió BYE, así que la llamada que había abandonado siguió conectada ({waited} hasta el final de la captura).',
          unresolved: 'El CANCEL y el {response} se cruzaron ({gap} de diferencia); el llamante confirmó la respuesta con ACK y la captura terminó {waited} después, antes de ningún BYE, así que el resultado queda sin resolver.',
        },
        options: {
          byeWithinSeconds: 'Plazo (s) tras su ACK en el que el llamante debe enviar BYE; pasado ese plazo, la llamada se considera dejada conectada.',
        },
        values: { cancelResponse: { none: 'ninguna' } },
      },
    },
  },
  // An INVITE cancelled (Transaction.cancelledBy): a CANCEL transaction.
  needs: { methods: ['CANCEL'] },
  check(call, context) {
    for (const tx of call.transactions) {
      if (tx.method !== 'INVITE' || tx.cancelledBy === null || tx.request === null) continue;
      const cancelTx = call.transactions[tx.cancelledBy]!;
      if (cancelTx.request === null) continue;
      const ok = firstCopies(call, tx.responses).find((i) => statusOf(call, i) >= 200 && statusOf(call, i) < 300);
      if (ok === undefined) continue;
      const invite = captured(call, tx.request);
      const cancel = captured(call, cancelTx.request);
      const okMsg = captured(call, ok);
      const gapMs = diffMs(cancel.time, okMsg.time);
      const cancelFinal = firstFinal(call, cancelTx);
      const ack = ack2xxMessages(call, tx).find((i) => i > ok);
      // A 2xx inside a dialog that was already up (a cancelled re-INVITE, or a UAS that answered
      // the INVITE with the tags of the call's answered dialog) confirms that dialog: no second
      // call was connected, so there is nothing to hang up. Only a missing ACK is still wrong.
      if (ack !== undefined && inEstablishedDialog(call, tx, ok)) continue;
      const callerTag = invite.message.fromTag ?? null;
      const bye = call.messages.findIndex((m, i) => i > ok && !m.retransmission && m.captured.message.method === 'BYE' && fromTagOf(m.captured.message) === callerTag);
      const data: Record<string, DataValue> = {
        caller: endpoint(invite.src),
        response: statusLabel(okMsg.message),
        gap: duration(Math.abs(gapMs)),
        gapMs: Math.round(gapMs),
        cancelResponse: cancelFinal === null ? 'none' : statusLabel(captured(call, cancelFinal).message),
      };
      const evidence = [tx.request, cancelTx.request, ok, ...(cancelFinal === null ? [] : [cancelFinal])];
      const sorted = (list: number[]): number[] => [...new Set(list)].sort((a, b) => a - b);
      if (ack === undefined) {
        context.report({ messageId: 'not-acked', data, messages: sorted(evidence), anchor: ok });
      } else if (bye >= 0) {
        data['byeAfter'] = duration(diffMs(captured(call, ack).time, captured(call, bye).time));
        context.report({ messageId: 'handled', data, messages: sorted([...evidence, ack, bye]), anchor: bye });
      } else {
        const waitedMs = diffMs(captured(call, ack).time, context.captureEnd);
        data['waited'] = duration(waitedMs);
        const messageId = waitedMs >= context.options.byeWithinSeconds * 1000 ? 'no-bye' : 'unresolved';
        context.report({ messageId, data, messages: sorted([...evidence, ack]), anchor: ack });
      }
    }
  },
});
