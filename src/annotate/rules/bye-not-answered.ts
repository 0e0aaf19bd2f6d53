import { estimateT1 } from './lib/timers.js';
import { sentOnceUnseen, unanswered, unansweredData } from './lib/waiting.js';
import { T1_MS_OPTION_ES } from './lib/es.js';
import { defineRule } from './types.js';

/**
 * A BYE with no final response. The side that hung up considers the call over either way, but
 * the other side may never have heard of it: its call (and its billing, and its RTP) goes on.
 */
export const byeNotAnswered = defineRule<{ t1Ms: number; minUnresolvedSeconds: number }>({
  meta: {
    id: 'bye-not-answered',
    severity: 'error',
    messageSeverity: { unresolved: 'warning', 'unresolved-once': 'info', 'sent-once': 'info' },
    description: 'A BYE got no final response before Timer F (64*T1) expired: the other side may still think the call is up.',
    evidence: 'Every copy of the BYE and the time the capture ended.',
    explanation:
      'BYE is answered at once by any UA that knows the dialog (200, or 481 if it does not). No answer from {peer} means the BYE did not reach it, or its answer does not come back: the BYE is sent to the remote Contact through the route set, so a wrong or private Contact, a missing Record-Route, a NAT binding that expired during the call, or a firewall that closed the path breaks it. The far end then keeps the call up (billing, channels, RTP) until its own timers or a media timeout end it.',
    fix: 'Check where the BYE went ({peer}) against the Contact and Record-Route learnt when the call was set up, NAT keep-alives for long calls, and the firewall\'s UDP timeouts; on the far side, look for the call hanging until an RTP or session timer ends it.',
    rfc: 'RFC 3261 §15.1.1, §15.1.2, §17.1.2.2 (Timer F)',
    messages: {
      'no-final': 'BYE from {sender} to {peer} was sent {copies} time(s) and got no final response in {waited}; {timerName} ({timer}) expired.',
      unresolved: 'BYE from {sender} to {peer} was sent {copies} time(s) with no final response; the capture ended {waited} after the first copy, before {timerName} ({timer}), so whether it was answered is unresolved.',
      'unresolved-once': 'BYE from {sender} to {peer} got no final response; the capture ended {waited} later, before {timerName} ({timer}), so whether it was answered is unresolved.',
      'sent-once':
        'BYE from {sender} to {peer} over UDP got no final response in the capture, but it was never sent again in the {waited} that followed: a sender left without an answer repeats its BYE after T1 ({t1}), so the capture misses part of this transaction (an answer it did not see, the copies, or the time between: its clock may jump), and whether it was answered is unresolved.',
    },
    fixes: {
      'sent-once': 'Nothing to blame on {peer} from this capture alone: capture where both directions of {sender} ↔ {peer} pass, on one interface with a steady clock, and look there for the answer or the copies.',
    },
    options: {
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
      minUnresolvedSeconds: {
        default: 2,
        description: 'A BYE sent once, with no answer and a capture ending less than this many seconds later, is not reported (it is simply the end of the capture).',
      },
    },
    translations: {
      es: {
        description: 'Un BYE no recibió respuesta final antes de que venciera el Timer F (64*T1): el otro lado puede seguir creyendo que la llamada está activa.',
        evidence: 'Cada copia del BYE y el momento en que terminó la captura.',
        explanation:
          'Cualquier UA que conozca el diálogo responde enseguida a un BYE (200, o 481 si no lo conoce). Que {peer} no responda significa que el BYE no le llegó o que su respuesta no vuelve: el BYE se envía al Contact remoto a través del conjunto de rutas, así que un Contact equivocado o privado, un Record-Route que falta, una asociación NAT que caducó durante la llamada o un firewall que cerró el camino lo impiden. El otro extremo mantiene entonces la llamada (facturación, canales, RTP) hasta que la terminan sus propios temporizadores o un timeout de medios.',
        fix: 'Compara adónde fue el BYE ({peer}) con el Contact y el Record-Route aprendidos al establecer la llamada; revisa los keep-alives de NAT en las llamadas largas y los timeouts de UDP del firewall; en el otro extremo, busca la llamada que sigue abierta hasta que la termina un temporizador de RTP o de sesión.',
        rfc: 'RFC 3261 §15.1.1, §15.1.2, §17.1.2.2 (Timer F)',
        fixes: {
          'sent-once':
            'Esta captura no basta para culpar a {peer}: captura donde pasen los dos sentidos de {sender} ↔ {peer}, en una sola interfaz y con un reloj estable, y busca allí la respuesta o las copias.',
        },
        messages: {
          'no-final': 'El BYE de {sender} a {peer} no recibió respuesta final en {waited} tras {copies} envío(s); {timerName} ({timer}) venció.',
          unresolved:
            'El BYE de {sender} a {peer} se envió {copies} veces sin respuesta final; la captura terminó {waited} después de la primera copia, antes de {timerName} ({timer}), así que queda sin resolver si recibió respuesta.',
          'unresolved-once':
            'El BYE de {sender} a {peer} no recibió respuesta final; la captura terminó {waited} después, antes de {timerName} ({timer}), así que queda sin resolver si recibió respuesta.',
          'sent-once':
            'El BYE de {sender} a {peer} por UDP no recibió respuesta final en la captura, pero nunca se volvió a enviar en los {waited} siguientes: un remitente que se queda sin respuesta repite su BYE tras T1 ({t1}), así que a la captura le falta parte de esta transacción (una respuesta que no vio, las copias, o el tiempo entre medias: su reloj puede saltar), y queda sin resolver si recibió respuesta.',
        },
        options: {
          t1Ms: T1_MS_OPTION_ES,
          minUnresolvedSeconds:
            'Un BYE enviado una sola vez, sin respuesta y con una captura que termina menos de estos segundos después, no se informa (es simplemente el final de la captura).',
        },
      },
    },
  },
  needs: { methods: ['BYE'] },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    for (let t = 0; t < call.transactions.length; t++) {
      const tx = call.transactions[t]!;
      if (tx.method !== 'BYE') continue;
      const u = unanswered(call, tx, context.captureEnd, t1.t1Ms, true);
      if (u === null) continue;
      const data = unansweredData(call, u, t1.t1Ms, t1.fromTrace);
      const evidence = [...u.sends];
      const anchor = u.sends[u.sends.length - 1]!;
      if (sentOnceUnseen(call, u, context.icmp ?? [])) context.report({ messageId: 'sent-once', data, messages: evidence, anchor });
      else if (u.expired) context.report({ messageId: 'no-final', data, messages: evidence, anchor });
      else if (u.sends.length > 1) context.report({ messageId: 'unresolved', data, messages: evidence, anchor });
      else if (u.waitedMs >= context.options.minUnresolvedSeconds * 1000) context.report({ messageId: 'unresolved-once', data, messages: evidence, anchor });
    }
  },
});
