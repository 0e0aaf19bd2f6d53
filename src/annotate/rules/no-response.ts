import type { Call, Transaction } from '../../parse/dialog/types.js';
import { compareTime, diffMs } from '../../time.js';
import { captured, fromTagOf, statusLabel } from './lib/call.js';
import { duration, defineRule } from './types.js';
import { estimateT1 } from './lib/timers.js';
import { sentOnceUnseen, unanswered, unansweredData } from './lib/waiting.js';
import { METHOD_VALUES_ES, T1_MS_OPTION_ES } from './lib/es.js';

/** Methods another rule watches for a missing answer (ACK is never answered). */
const NOT_HERE = new Set(['ACK', 'BYE', 'OPTIONS']);

/** Final responses a proxy sends its caller when its own request to the next hop timed out or found no one. */
const GAVE_UP = new Set([408, 480, 500, 503, 504]);

/**
 * The final response that the sender of the unanswered request `tx` (a proxy) sent its own caller
 * for the same request (same method, CSeq and From tag, on another hop) after forwarding it: proof
 * that it gave up on the silent next hop, whatever the capture's end. Null when none.
 */
function upstreamGiveUp(call: Call, tx: Transaction): number | null {
  const forwarded = captured(call, tx.request!);
  const fromTag = forwarded.message.fromTag ?? null;
  for (let t = 0; t < call.transactions.length; t++) {
    const other = call.transactions[t]!;
    if (other === tx || other.method !== tx.method || other.cseq !== tx.cseq || other.request === null) continue;
    if (fromTagOf(captured(call, other.request).message) !== fromTag) continue;
    for (let k = 0; k < other.responses.length; k++) {
      const i = other.responses[k]!;
      const r = captured(call, i);
      if (r.src.ip === forwarded.src.ip && GAVE_UP.has(r.message.status ?? 0) && compareTime(r.time, forwarded.time) > 0) return i;
    }
  }
  return null;
}

/**
 * A request that got no response of any kind: not even 100 Trying. Over UDP the sender
 * retransmits it (T1, 2*T1, 4*T1...) until Timer B or F (64*T1, 32 s) gives up; over TCP it
 * waits in silence for the same time.
 */
export const noResponse = defineRule<{ t1Ms: number; minUnresolvedSeconds: number }>({
  meta: {
    id: 'no-response',
    severity: 'error',
    messageSeverity: { unresolved: 'warning', 'unresolved-once': 'info', 'sent-once': 'info' },
    description: 'A request got no response at all (not even 100 Trying) until the transaction timer (Timer B/F, 64*T1) ran out or its last retransmission was sent, or until the proxy that sent it gave up and answered its own caller.',
    evidence: 'Every copy of the request (the first and its retransmissions) and the time the capture ended.',
    explanation:
      'Nothing came back from {peer}: the request never arrived (wrong address or port, a firewall or NAT dropping it, the host down or not listening on {transport}), or the answers are sent somewhere this capture does not see (for example to the Via address when the request came through NAT without rport). The next hop answers an INVITE with 100 Trying within 200 ms and any other request long before {timerName}, so complete silence means the request or its answers are lost.',
    fix: 'Check that {peer} is up and listens for SIP on {transport}; look for ICMP port or host unreachable; capture on the far side to see whether the request arrives. If it arrives, check where the response is sent (top Via sent-by, received/rport) and the firewall on the way back.',
    fixes: {
      'sent-once':
        'Nothing to blame on {peer} from this capture alone: capture where both directions of {sender} ↔ {peer} pass, on one interface with a steady clock, and look there for the answer or the copies.',
    },
    rfc: 'RFC 3261 §17.1.1.2 (Timer A/B), §17.1.2.2 (Timer E/F), §18.2.2 (where responses go)',
    messages: {
      timeout: '{method} to {peer} was sent {copies} time(s) and got no response at all in {waited}; {timerName} ({timer}) expired, so the sender has given up.',
      'timeout-reliable': '{method} to {peer} over {transport} got no response at all for {waited}; {timerName} ({timer}) expired, so the sender has given up.',
      unresolved:
        '{method} to {peer} was sent {copies} time(s) with no response; the capture ended {waited} after the first copy, before {timerName} ({timer}), so whether it was ever answered is unresolved.',
      'unresolved-once':
        '{method} to {peer} got no response; the capture ended {waited} later, before {timerName} ({timer}), so whether it was ever answered is unresolved.',
      'sent-once':
        '{method} to {peer} over UDP got no response in the capture, but it was never sent again in the {waited} that followed: a sender left without an answer repeats its request after T1 ({t1}), so the capture misses part of this transaction (an answer it did not see, the copies, or the time between: its clock may jump), and whether it was answered is unresolved.',
      'given-up': '{method} to {peer} was sent {copies} time(s) and got no response at all; after {waited} {sender} gave up and answered its own caller {response}.',
      'last-copy': '{method} to {peer} was sent {copies} time(s), the last after {last}, the last copy {timerName} ({timer}) allows, and got no response at all: the sender has given up.',
    },
    options: {
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
      minUnresolvedSeconds: {
        default: 2,
        description: 'A request sent once, with no answer and a capture ending less than this many seconds later, is not reported (it is simply the end of the capture).',
      },
    },
    translations: {
      es: {
        description: 'Una petición no recibió ninguna respuesta (ni siquiera 100 Trying) antes de que venciera el temporizador de transacción (Timer B/F, 64*T1) o de que saliera su última retransmisión, o antes de que el proxy que la envió desistiera y respondiera a su propio llamante.',
        evidence: 'Cada copia de la petición (la primera y sus retransmisiones) y el momento en que terminó la captura.',
        explanation:
          'No llegó nada de {peer}: la petición nunca llegó (dirección o puerto equivocados, un firewall o un NAT que la descarta, el equipo caído o sin escuchar en {transport}), o las respuestas se envían a algún sitio que esta captura no ve (por ejemplo, a la dirección del Via cuando la petición atravesó un NAT sin rport). El siguiente salto responde a un INVITE con 100 Trying en menos de 200 ms, y a cualquier otra petición mucho antes de {timerName}, así que un silencio total significa que se pierden la petición o sus respuestas.',
        fix: 'Comprueba que {peer} está activo y escucha SIP en {transport}; busca mensajes ICMP de puerto o de host inalcanzable; captura en el otro extremo para ver si la petición llega. Si llega, revisa adónde se envía la respuesta (sent-by del Via superior, received/rport) y el firewall del camino de vuelta.',
        fixes: {
          'sent-once':
            'Esta captura no basta para culpar a {peer}: captura donde pasen los dos sentidos de {sender} ↔ {peer}, en una sola interfaz y con un reloj estable, y busca allí la respuesta o las copias.',
        },
        rfc: 'RFC 3261 §17.1.1.2 (Timer A/B), §17.1.2.2 (Timer E/F), §18.2.2 (adónde van las respuestas)',
        messages: {
          timeout: 'El {method} a {peer} no recibió ninguna respuesta en {waited} tras {copies} envío(s); {timerName} ({timer}) venció, así que el remitente ya ha desistido.',
          'timeout-reliable': 'El {method} a {peer} por {transport} no recibió ninguna respuesta en {waited}; {timerName} ({timer}) venció, así que el remitente ya ha desistido.',
          unresolved:
            'El {method} a {peer} se envió {copies} veces sin respuesta; la captura terminó {waited} después de la primera copia, antes de {timerName} ({timer}), así que queda sin resolver si llegó a recibir respuesta.',
          'unresolved-once':
            'El {method} a {peer} no recibió respuesta; la captura terminó {waited} después, antes de {timerName} ({timer}), así que queda sin resolver si llegó a recibir respuesta.',
          'sent-once':
            'El {method} a {peer} por UDP no recibió respuesta en la captura, pero nunca se volvió a enviar en los {waited} siguientes: un remitente que se queda sin respuesta repite su petición tras T1 ({t1}), así que a la captura le falta parte de esta transacción (una respuesta que no vio, las copias, o el tiempo entre medias: su reloj puede saltar), y queda sin resolver si recibió respuesta.',
          'given-up': 'El {method} a {peer} se envió {copies} veces y no recibió ninguna respuesta; a los {waited}, {sender} desistió y respondió {response} a su propio llamante.',
          'last-copy': 'El {method} a {peer} se envió {copies} veces, la última a los {last}, la última copia que permite {timerName} ({timer}), y no recibió ninguna respuesta: el remitente ya ha desistido.',
        },
        options: {
          t1Ms: T1_MS_OPTION_ES,
          minUnresolvedSeconds:
            'Una petición enviada una sola vez, sin respuesta y con una captura que termina menos de estos segundos después, no se informa (es simplemente el final de la captura).',
        },
        values: { method: METHOD_VALUES_ES },
      },
    },
  },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    for (let t = 0; t < call.transactions.length; t++) {
      const tx = call.transactions[t]!;
      if (NOT_HERE.has(tx.method)) continue;
      const u = unanswered(call, tx, context.captureEnd, t1.t1Ms);
      if (u === null) continue;
      const data = unansweredData(call, u, t1.t1Ms, t1.fromTrace);
      const evidence = [...u.sends];
      const anchor = u.sends[u.sends.length - 1]!;
      const gaveUp = u.expired || u.lastCopySent ? null : upstreamGiveUp(call, tx);
      if (sentOnceUnseen(call, u, context.icmp ?? [])) {
        context.report({ messageId: 'sent-once', data, messages: evidence, anchor });
      } else if (u.expired) {
        context.report({ messageId: u.reliable ? 'timeout-reliable' : 'timeout', data, messages: evidence, anchor });
      } else if (u.lastCopySent) {
        const lastMs = diffMs(captured(call, u.first).time, captured(call, anchor).time);
        context.report({ messageId: 'last-copy', data: { ...data, last: duration(lastMs) }, messages: evidence, anchor });
      } else if (gaveUp !== null) {
        const response = captured(call, gaveUp);
        const waitedMs = diffMs(captured(call, u.first).time, response.time);
        context.report({ messageId: 'given-up', data: { ...data, waited: duration(waitedMs), waitedMs: Math.round(waitedMs), response: statusLabel(response.message) }, messages: [...evidence, gaveUp].sort((a, b) => a - b), anchor: gaveUp });
      } else if (u.sends.length > 1) {
        context.report({ messageId: 'unresolved', data, messages: evidence, anchor });
      } else if (u.waitedMs >= context.options.minUnresolvedSeconds * 1000) {
        context.report({ messageId: 'unresolved-once', data, messages: evidence, anchor });
      }
    }
  },
});
