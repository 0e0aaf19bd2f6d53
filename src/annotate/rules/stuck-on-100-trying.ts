import type { Call, Transaction } from '../../parse/dialog/types.js';
import { compareTime, diffMs } from '../../time.js';
import type { Timestamp } from '../../types.js';
import { fromTagOf } from './lib/call.js';
import { duration, endpoint, defineRule } from './types.js';

interface Ending {
  kind: 'cancelled' | 'timeout' | 'late-response' | 'capture-ended';
  time: Timestamp;
  index: number | null;
  status: number | null;
}

/** What ended the wait after the 100: a CANCEL, the first response other than 100, or the end of the capture. */
function endingOf(call: Call, tx: Transaction, captureEnd: Timestamp): Ending {
  const firstOther = firstResponse(call, tx, false);
  const cancelTx = tx.cancelledBy === null ? null : call.transactions[tx.cancelledBy]!;
  const cancelIndex = cancelTx?.request ?? null;
  const cancelTime = cancelIndex === null ? null : call.messages[cancelIndex]!.captured.time;
  const otherTime = firstOther === undefined ? null : call.messages[firstOther]!.captured.time;
  if (cancelTime !== null && (otherTime === null || compareTime(cancelTime, otherTime) <= 0)) {
    return { kind: 'cancelled', time: cancelTime, index: cancelIndex, status: null };
  }
  if (otherTime !== null) {
    const status = call.messages[firstOther!]!.captured.message.status;
    return { kind: status === 408 ? 'timeout' : 'late-response', time: otherTime, index: firstOther!, status };
  }
  return { kind: 'capture-ended', time: captureEnd, index: null, status: null };
}

/**
 * The first copy among a transaction's responses that is a 100 Trying (`trying`), or that is not
 * one; undefined when there is none. A loop, not `find` with a closure: asked of every INVITE.
 */
function firstResponse(call: Call, tx: Transaction, trying: boolean): number | undefined {
  for (let r = 0; r < tx.responses.length; r++) {
    const i = tx.responses[r]!;
    const m = call.messages[i]!;
    if (!m.retransmission && (m.captured.message.status === 100) === trying) return i;
  }
  return undefined;
}

/** The same INVITE (CSeq number and From tag) on every hop the capture shows, this one included. */
function sameInviteOnHops(call: Call, tx: Transaction): Transaction[] {
  const fromTag = call.messages[tx.request!]!.captured.message.fromTag ?? null;
  return call.transactions.filter((t) => t.method === 'INVITE' && t.request !== null && t.cseq === tx.cseq && fromTagOf(call.messages[t.request]!.captured.message) === fromTag);
}

/** True when the INVITE got a 2xx on any hop. */
function answered(call: Call, tx: Transaction): boolean {
  return sameInviteOnHops(call, tx).some((t) => t.responses.some((i) => {
    const status = call.messages[i]!.captured.message.status ?? 0;
    return status >= 200 && status < 300;
  }));
}

/**
 * The INVITE that `hopIp` (which answered 100 Trying) forwarded for the same attempt and that got
 * no response at all, as a message index; null when the capture shows none.
 */
function silentNextHop(call: Call, tx: Transaction, hopIp: string): number | null {
  const hops = sameInviteOnHops(call, tx);
  for (let h = 0; h < hops.length; h++) {
    const t = hops[h]!;
    if (t === tx || t.responses.length > 0) continue;
    const forwarded = call.messages[t.request!]!.captured;
    if (forwarded.src.ip === hopIp && compareTime(forwarded.time, call.messages[tx.request!]!.captured.time) >= 0) return t.request!;
  }
  return null;
}

/**
 * An INVITE answered only by 100 Trying: the first hop took the call, and nothing came
 * back from beyond it (no 18x, no final response) for longer than the threshold.
 * A caller that cancelled is a warning: the call did not go through, but the caller chose
 * to stop waiting, so nothing proves that the next hop was lost for good (it may have been
 * slow); a 408 or a capture that ends with the call still waiting is an error.
 */
export const stuckOn100Trying = defineRule<{ thresholdSeconds: number }>({
  meta: {
    id: 'stuck-on-100-trying',
    severity: 'error',
    messageSeverity: { cancelled: 'warning', unresolved: 'info' },
    description: 'An INVITE got 100 Trying and then nothing else (no 18x, no final response) for longer than the threshold. A caller that cancels after that wait is a warning; a 408 or a call still waiting when the capture ends is an error. An INVITE answered 2xx in the end is not stuck: its wait is post-dial-delay\'s.',
    evidence: 'The INVITE, the 100 Trying, and what ended the wait: a CANCEL, a late response, or the end of the capture.',
    explanation:
      '100 Trying is sent hop by hop: it only proves that {hop} received the INVITE. The call is lost beyond that hop: the next hop is unreachable or does not answer, the callee is not registered, or a route or DNS lookup fails downstream.',
    fix: 'Capture on the outbound side of {hop} and look for its INVITE towards the next hop (retransmitted with no answer?). Check the route and the registration for {target} on {hop}, DNS/SRV of the next hop, and the firewall between them.',
    rfc: 'RFC 3261 §21.1.1, §17.1.1.2 (Timer B), §16.8 (Timer C)',
    messages: {
      cancelled: 'The INVITE got 100 Trying after {tryingAfter} and nothing more for {waited}, until the caller cancelled.',
      timeout: 'The INVITE got 100 Trying after {tryingAfter} and nothing more for {waited}, until {hop} gave up with 408 Request Timeout.',
      'timeout-silent-hop': 'The INVITE got 100 Trying after {tryingAfter} and nothing more for {waited}, until {hop} gave up with 408 Request Timeout: its INVITE to {nextHop} got no response at all.',
      'late-response': 'The INVITE got 100 Trying after {tryingAfter} and nothing more for {waited}, then {status}.',
      'capture-ended': 'The INVITE got 100 Trying after {tryingAfter} and nothing more in the {waited} that followed in the capture; the call was still unanswered.',
      unresolved:
        'The INVITE got 100 Trying after {tryingAfter}; the capture ended {waited} later, before the {threshold} threshold, so whether the call was stuck is unresolved.',
    },
    options: {
      thresholdSeconds: { default: 10, description: 'How long an INVITE may wait after 100 Trying with nothing else before it counts as stuck.' },
    },
    translations: {
      es: {
        description: 'Un INVITE recibió 100 Trying y después nada más (ni 18x ni respuesta final) durante más tiempo que el umbral. Si el llamante cancela tras esa espera es un aviso; un 408 o una llamada que sigue esperando al final de la captura es un error.',
        evidence: 'El INVITE, el 100 Trying y lo que puso fin a la espera: un CANCEL, una respuesta tardía o el final de la captura.',
        explanation:
          'El 100 Trying se envía salto a salto: solo demuestra que {hop} recibió el INVITE. La llamada se pierde más allá de ese salto: el siguiente salto es inalcanzable o no responde, el llamado no está registrado, o falla una ruta o una consulta DNS más adelante.',
        fix: 'Captura en el lado de salida de {hop} y busca su INVITE hacia el siguiente salto (¿se retransmite sin respuesta?). Revisa la ruta y el registro de {target} en {hop}, el DNS/SRV del siguiente salto y el firewall entre ambos.',
        rfc: 'RFC 3261 §21.1.1, §17.1.1.2 (Timer B), §16.8 (Timer C)',
        messages: {
          cancelled: 'El INVITE recibió 100 Trying tras {tryingAfter} y nada más durante {waited}, hasta que el llamante canceló.',
          timeout: 'El INVITE recibió 100 Trying tras {tryingAfter} y nada más durante {waited}, hasta que {hop} desistió con 408 Request Timeout.',
          'timeout-silent-hop': 'El INVITE recibió 100 Trying tras {tryingAfter} y nada más durante {waited}, hasta que {hop} desistió con 408 Request Timeout: su INVITE a {nextHop} no recibió ninguna respuesta.',
          'late-response': 'El INVITE recibió 100 Trying tras {tryingAfter} y nada más durante {waited}; después llegó {status}.',
          'capture-ended': 'El INVITE recibió 100 Trying tras {tryingAfter} y nada más en los {waited} siguientes de la captura; la llamada seguía sin respuesta.',
          unresolved:
            'El INVITE recibió 100 Trying tras {tryingAfter}; la captura terminó {waited} después, antes del umbral de {threshold}, así que queda sin resolver si la llamada estaba atascada.',
        },
        options: {
          thresholdSeconds: 'Cuánto tiempo puede esperar un INVITE tras el 100 Trying sin recibir nada más antes de considerarse atascado.',
        },
        values: { target: { '(unknown)': '(desconocida)' } },
      },
    },
  },
  // Every finding is about an INVITE that got a 100 Trying.
  needs: { statuses: [100] },
  check(call, context) {
    const thresholdMs = context.options.thresholdSeconds * 1000;
    for (let t = 0; t < call.transactions.length; t++) {
      const tx = call.transactions[t]!;
      if (tx.method !== 'INVITE' || tx.request === null) continue;
      const trying = firstResponse(call, tx, true);
      if (trying === undefined) continue;
      const invite = call.messages[tx.request]!.captured;
      const ending = endingOf(call, tx, context.captureEnd);
      const waitedMs = diffMs(invite.time, ending.time);
      // A non-100 response (18x or final) arrived in time: the call progressed normally (most calls; asked first, as it looks at this transaction alone).
      if (ending.kind !== 'capture-ended' && waitedMs < thresholdMs) continue;
      // Answered in the end (on this hop, or on another hop of the same INVITE): a slow answer, post-dial-delay's story, not a stuck call.
      if (answered(call, tx)) continue;
      const tryingMessage = call.messages[trying]!.captured;
      const data = {
        tryingAfter: duration(diffMs(invite.time, tryingMessage.time)),
        waited: duration(waitedMs),
        waitedMs: Math.round(waitedMs),
        threshold: duration(thresholdMs),
        hop: endpoint(tryingMessage.src),
        target: invite.message.requestUri ?? '(unknown)',
        status: ending.status === null ? '' : `${ending.status} ${call.messages[ending.index!]!.captured.message.reason ?? ''}`.trim(),
        endedBy: ending.kind,
      };
      const evidence = ending.index === null ? [tx.request, trying] : [tx.request, trying, ending.index];
      const silent = ending.kind === 'timeout' ? silentNextHop(call, tx, tryingMessage.src.ip) : null;
      if (silent !== null) {
        const forwarded = call.messages[silent]!.captured;
        context.report({ messageId: 'timeout-silent-hop', data: { ...data, nextHop: endpoint(forwarded.dst) }, messages: [...evidence, silent].sort((a, b) => a - b), anchor: ending.index! });
      } else if (ending.kind === 'capture-ended' && waitedMs < thresholdMs) {
        context.report({ messageId: 'unresolved', data, messages: evidence, anchor: trying });
      } else {
        context.report({ messageId: ending.kind, data, messages: evidence, anchor: ending.index ?? trying });
      }
    }
  },
});
