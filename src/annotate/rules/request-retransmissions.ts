import type { Call } from '../../parse/dialog/types.js';
import { diffMs } from '../../time.js';
import { captured, endpointKey, reverseHop, copiesOf, firstRetransmission, sameEndpoint, sipOf } from './lib/call.js';
import { estimateT1 } from './lib/timers.js';
import { T1_MS_OPTION_ES } from './lib/es.js';
import type { Endpoint } from '../../types.js';
import { duration, endpoint, type DataEndpoint, defineRule } from './types.js';

interface PeerStats {
  peer: DataEndpoint;
  requests: number;
  retransmissions: number;
  methods: Set<string>;
  worstCopies: number;
  slowestAnswerMs: number;
  evidence: number[];
  /** The address the requests came from (the sender that kept retransmitting). */
  sender: DataEndpoint;
  /** Requests every copy of which was answered before the next copy was sent, within answeredWithinMs. */
  answeredEveryTime: number;
  /** Slowest answer to any copy of those requests, ms. */
  slowestCopyAnswerMs: number;
  /** INVITEs whose every copy got its own response, all at once, after the last copy, with no 100 Trying before. */
  answeredLateEveryCopy: number;
}

/** Responses that say a loop or an overload, whose own rules (loop-detected, overload) explain the retransmissions that came with them. */
const EXPLAINED_BY_OTHERS: ReadonlySet<number> = new Set([482, 483, 503]);

/**
 * For each copy of a request, how long until the peer answered it (a response on the reverse hop
 * after that copy and before the next one); null when some copy was not answered in that time.
 */
function answerDelays(call: Call, copies: readonly number[], answers: readonly number[]): number[] | null {
  const delays: number[] = [];
  for (let k = 0; k < copies.length; k++) {
    const sent = captured(call, copies[k]!).time;
    const next = k + 1 < copies.length ? captured(call, copies[k + 1]!).time : null;
    const answer = answers.find((i) => {
      const at = captured(call, i).time;
      return diffMs(sent, at) >= 0 && (next === null || diffMs(at, next) > 0);
    });
    if (answer === undefined) return null;
    delays.push(diffMs(sent, captured(call, answer).time));
  }
  return delays;
}

/**
 * Every copy of an INVITE was sent before its first answer, and that answer (one status, one To
 * tag) came with as many transmissions of it as there were copies, all within `withinMs`, with no 100 Trying before: the
 * peer got each copy and answered each late (gprshome #572, #574 → two 180s 1 ms apart, #575, #576).
 */
function answeredLateEveryCopy(call: Call, copies: readonly number[], answers: readonly number[], withinMs: number): number[] | null {
  const first = answers[0];
  if (first === undefined || first < copies[copies.length - 1]!) return null;
  const firstMsg = sipOf(call, first);
  if (firstMsg.status === 100) return null;
  const at = captured(call, first).time;
  // One To tag: a UAS answers every copy of its transaction alike (RFC 3261 §17.2.1); 180s with other tags are forks, each answering one copy.
  const burst = answers.filter((i) => sipOf(call, i).status === firstMsg.status && sipOf(call, i).toTag === firstMsg.toTag && diffMs(at, captured(call, i).time) <= withinMs);
  return burst.length >= copies.length ? burst : null;
}

/**
 * Requests that had to be retransmitted before they were answered, counted per peer (the
 * destination). Over UDP a request is resent after T1, 2*T1... until a response arrives, so
 * each retransmission is a request or response lost, or a peer slower than T1 to answer.
 */
export const requestRetransmissions = defineRule<{ minRetransmissions: number; t1Ms: number; answeredWithinMs: number }>({
  meta: {
    id: 'request-retransmissions',
    severity: 'warning',
    messageSeverity: { 'slow-peer': 'info' },
    description: 'Requests to a peer had to be retransmitted before an answer came (packet loss or a slow peer), or although the peer answered every copy at once or answered to another address (the responses do not reach the sender); counted per peer. A request answered 482, 483 or 503 is left to loop-detected and overload.',
    evidence: 'Every copy of each retransmitted request that was eventually answered.',
    explanation:
      'Over UDP a request is sent again after T1 ({t1}), then 2*T1, 4*T1... until a response arrives. {retransmissions} retransmission(s) of {requests} request(s) to {peer} means requests or their responses were lost on the way, or {peer} took longer than T1 to answer (the slowest answer came {slowestAnswer} after the first copy). When {peer} answered every copy within milliseconds and the copies kept coming, nothing was lost on the way there: the responses are lost on the way back (a NAT or firewall, or responses sent to the Via\'s address while received/rport says where the request really came from), and blaming packet loss or the 2xx\'s Contact would be wrong.',
    fix: 'Look for packet loss between the two sides (interface errors, a congested or lossy link, a firewall dropping fragments of large messages) and for a slow or overloaded {peer} (CPU, DNS lookups before answering). A peer that answers INVITE only with its final response, without 100 Trying, causes retransmissions too.',
    rfc: 'RFC 3261 §17.1.1.2 (Timer A), §17.1.2.2 (Timer E), §17.2.1 (100 Trying within 200 ms), §18.2.2 (where responses go); RFC 3581 §4 (rport)',
    messages: {
      retransmitted: '{retransmissions} retransmission(s) were needed for {requests} request(s) to {peer} ({methods}) before they were answered.',
      'responses-lost':
        '{sender} sent {requests} request(s) to {peer} ({methods}) again {retransmissions} time(s) although {peer} answered every copy within {answeredWithin}: its responses are not reaching {sender}.',
      'responses-misdirected':
        '{peer} answered {requests} request(s) from {sender} ({methods}), but sent its responses to {sentTo}, not to {sender} where the requests came from, so {sender} retransmitted {retransmissions} time(s).',
      'slow-peer':
        '{sender} sent {requests} INVITE(s) to {peer} again {retransmissions} time(s), and every copy reached it: {peer} answered each copy, all at once, {slowestAnswer} after the first, with no 100 Trying before: it was slow to answer, nothing was lost.',
    },
    fixes: {
      'responses-lost':
        'Not packet loss and not {peer}: the way back is broken. Look between {peer} and {sender} for a NAT or firewall that drops the responses (a binding that changed, a UDP timeout, a rule that lets requests out but nothing back), an ALG that rewrites them, or a {peer} that sends them to the top Via\'s address instead of the received/rport one (RFC 3581) when {sender} is behind NAT. A capture taken at {sender} shows whether the responses arrive.',
      'slow-peer':
        'Nothing to fix on the network. {peer} should send 100 Trying at once when it cannot answer within 200 ms (RFC 3261 §17.2.1), or answer faster (a UA that alerts its user only after a lookup, a slow CPU); the retransmission itself did no harm here.',
      'responses-misdirected':
        'Make {peer} send responses where the request came from: honour rport (RFC 3581 §4) and received (RFC 3261 §18.2.2), or make {sender} write an address it can be reached at in its Via (its public address, or the port it listens on). Behind NAT, ask for rport in the Via.',
    },
    options: {
      minRetransmissions: { default: 1, description: 'Retransmissions to one peer in a call before the rule reports them.' },
      answeredWithinMs: { default: 200, description: 'A peer that answered every copy of a request within this many milliseconds answered at once: the sender retransmitting anyway means the responses did not reach it.' },
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
    },
    translations: {
      es: {
        description: 'Las peticiones a un destino tuvieron que retransmitirse antes de recibir respuesta (pérdida de paquetes o un destino lento), o aunque el destino respondió al momento a cada copia o respondió a otra dirección (las respuestas no llegan al remitente); se cuentan por destino. Una petición respondida con 482, 483 o 503 se deja a loop-detected y overload.',
        evidence: 'Cada copia de cada petición retransmitida que acabó recibiendo respuesta.',
        explanation:
          'Por UDP una petición se vuelve a enviar tras T1 ({t1}), luego tras 2*T1, 4*T1... hasta que llega una respuesta. {retransmissions} retransmisión(es) de {requests} petición(es) a {peer} significa que las peticiones o sus respuestas se perdieron por el camino, o que {peer} tardó más de T1 en responder (la respuesta más lenta llegó {slowestAnswer} después de la primera copia). Si {peer} respondió a cada copia en milisegundos y las copias siguieron llegando, nada se perdió a la ida: las respuestas se pierden a la vuelta (un NAT o un cortafuegos, o respuestas enviadas a la dirección del Via cuando received/rport dice de dónde llegó de verdad la petición), y culpar a la pérdida de paquetes o al Contact del 2xx sería un error.',
        fix: 'Busca pérdida de paquetes entre ambos lados (errores de interfaz, un enlace congestionado o con pérdidas, un firewall que descarta los fragmentos de los mensajes grandes) y un {peer} lento o sobrecargado (CPU, consultas DNS antes de responder). Un destino que responde al INVITE solo con su respuesta final, sin 100 Trying, también provoca retransmisiones.',
        rfc: 'RFC 3261 §17.1.1.2 (Timer A), §17.1.2.2 (Timer E), §17.2.1 (100 Trying en menos de 200 ms), §18.2.2 (adónde van las respuestas); RFC 3581 §4 (rport)',
        messages: {
          retransmitted: 'Hicieron falta {retransmissions} retransmisión(es) para {requests} petición(es) a {peer} ({methods}) antes de que recibieran respuesta.',
          'responses-lost':
            '{sender} volvió a enviar {retransmissions} vez/veces {requests} petición(es) a {peer} ({methods}) aunque {peer} respondió a cada copia en menos de {answeredWithin}: sus respuestas no llegan a {sender}.',
          'responses-misdirected':
            '{peer} respondió a {requests} petición(es) de {sender} ({methods}), pero envió sus respuestas a {sentTo}, no a {sender}, de donde llegaron las peticiones, así que {sender} retransmitió {retransmissions} vez/veces.',
          'slow-peer':
            '{sender} volvió a enviar {retransmissions} vez/veces {requests} INVITE a {peer}, y todas las copias le llegaron: {peer} respondió a cada una, todas a la vez, {slowestAnswer} después de la primera, sin 100 Trying antes: tardó en responder, no se perdió nada.',
        },
        fixes: {
          'responses-lost':
            'No es pérdida de paquetes ni culpa de {peer}: el camino de vuelta está roto. Busca entre {peer} y {sender} un NAT o un cortafuegos que descarte las respuestas (una asociación que cambió, un tiempo de espera UDP, una regla que deja salir las peticiones pero no volver nada), un ALG que las reescriba, o un {peer} que las envíe a la dirección del Via superior en lugar de a la de received/rport (RFC 3581) cuando {sender} está detrás de NAT. Una captura tomada en {sender} muestra si las respuestas llegan.',
          'slow-peer':
            'No hay nada que corregir en la red. {peer} debería enviar 100 Trying enseguida cuando no puede responder en 200 ms (RFC 3261 §17.2.1), o responder antes (un UA que avisa a su usuario solo tras una consulta, una CPU lenta); la retransmisión en sí no hizo daño aquí.',
          'responses-misdirected':
            'Haz que {peer} envíe las respuestas adonde llegó la petición: que respete rport (RFC 3581 §4) y received (RFC 3261 §18.2.2), o que {sender} escriba en su Via una dirección en la que se le pueda alcanzar (su dirección pública, o el puerto en el que escucha). Detrás de NAT, pide rport en el Via.',
        },
        options: {
          minRetransmissions: 'Retransmisiones hacia un mismo destino en una llamada a partir de las cuales la regla las informa.',
          answeredWithinMs: 'Un destino que respondió a cada copia de una petición en menos de estos milisegundos respondió al momento: si el remitente retransmite igualmente, las respuestas no le llegaron.',
          t1Ms: T1_MS_OPTION_ES,
        },
      },
    },
  },
  // Every finding is about a request sent again.
  needs: { retransmitted: true },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    // A loop or an overload explains the retransmissions of its request: its rule tells that story.
    const explained = new Set<number>();
    for (const tx of call.transactions) for (const i of tx.responses) if (EXPLAINED_BY_OTHERS.has(sipOf(call, i).status ?? 0)) explained.add(tx.cseq);
    const byPeer = new Map<string, PeerStats>();
    const misdirected = new Map<string, PeerStats & { sentTo: DataEndpoint }>();
    for (const tx of call.transactions) {
      if (tx.request === null || tx.method === 'ACK' || explained.has(tx.cseq)) continue;
      // A request sent once (the usual case): its copies are not listed.
      if (firstRetransmission(call, tx.request) === null) continue;
      const first = captured(call, tx.request);
      const copies = copiesOf(call, tx.request);
      const fromPeer = tx.responses.filter((i) => sameEndpoint(captured(call, i).src, first.dst));
      // Answered on the reverse hop: unanswered requests are no-response's.
      const answers = fromPeer.filter((i) => reverseHop(first, captured(call, i)));
      const method = sipOf(call, tx.request).method ?? tx.method;
      if (answers.length === 0) {
        // The peer answered, but to another address than the one the request came from (its Via's sent-by, rport ignored).
        const elsewhere = fromPeer[0];
        if (elsewhere === undefined) continue;
        const sentTo = endpoint(captured(call, elsewhere).dst);
        const key = `${endpointKey(first.dst)}\u0000${endpointKey(first.src)}`;
        const stats = misdirected.get(key) ?? { ...emptyStats(first), sentTo };
        add(stats, copies, method, diffMs(first.time, captured(call, elsewhere).time), [...copies, elsewhere]);
        misdirected.set(key, stats);
        continue;
      }
      const key = endpointKey(first.dst);
      const stats = byPeer.get(key) ?? emptyStats(first);
      add(stats, copies, method, diffMs(first.time, captured(call, answers[0]!).time), copies);
      // A provisional response stops an INVITE's retransmissions (RFC 3261 §17.1.1.2), but a
      // non-INVITE request goes on being sent at T2 until its final response (§17.1.2.2).
      const stopping = tx.method === 'INVITE' ? answers : answers.filter((i) => (sipOf(call, i).status ?? 0) >= 200);
      const delays = answerDelays(call, copies, stopping);
      if (delays !== null && Math.max(...delays) <= context.options.answeredWithinMs) {
        stats.answeredEveryTime++;
        stats.slowestCopyAnswerMs = Math.max(stats.slowestCopyAnswerMs, ...delays);
        stats.evidence.push(...stopping.filter((i) => !stats.evidence.includes(i)));
      } else {
        const burst = tx.method === 'INVITE' ? answeredLateEveryCopy(call, copies, answers, context.options.answeredWithinMs) : null;
        if (burst !== null) {
          stats.answeredLateEveryCopy++;
          stats.evidence.push(...burst.filter((i) => !stats.evidence.includes(i)));
        }
      }
      byPeer.set(key, stats);
    }
    for (const stats of byPeer.values()) {
      if (stats.retransmissions < context.options.minRetransmissions) continue;
      const evidence = stats.evidence.sort((a, b) => a - b);
      // Every retransmitted request answered at once, every time: the sender never got the answers.
      const lost = stats.answeredEveryTime === stats.requests;
      const slow = !lost && stats.answeredLateEveryCopy === stats.requests;
      context.report({
        messageId: lost ? 'responses-lost' : slow ? 'slow-peer' : 'retransmitted',
        data: {
          peer: stats.peer,
          requests: stats.requests,
          retransmissions: stats.retransmissions,
          methods: [...stats.methods].join(', '),
          worstCopies: stats.worstCopies,
          slowestAnswer: duration(stats.slowestAnswerMs),
          t1: duration(t1.t1Ms),
          ...(lost ? { sender: stats.sender, answeredWithin: duration(stats.slowestCopyAnswerMs) } : {}),
          ...(slow ? { sender: stats.sender } : {}),
        },
        messages: evidence,
        anchor: evidence[evidence.length - 1]!,
      });
    }
    for (const stats of misdirected.values()) {
      if (stats.retransmissions < context.options.minRetransmissions) continue;
      const evidence = stats.evidence.sort((a, b) => a - b);
      context.report({
        messageId: 'responses-misdirected',
        data: { peer: stats.peer, sender: stats.sender, sentTo: stats.sentTo, requests: stats.requests, retransmissions: stats.retransmissions, methods: [...stats.methods].join(', '), worstCopies: stats.worstCopies, slowestAnswer: duration(stats.slowestAnswerMs), t1: duration(t1.t1Ms) },
        messages: evidence,
        anchor: evidence[evidence.length - 1]!,
      });
    }
  },
});

function emptyStats(first: { src: Endpoint; dst: Endpoint }): PeerStats {
  return { peer: endpoint(first.dst), sender: endpoint(first.src), requests: 0, retransmissions: 0, methods: new Set<string>(), worstCopies: 0, slowestAnswerMs: 0, evidence: [], answeredEveryTime: 0, slowestCopyAnswerMs: 0, answeredLateEveryCopy: 0 };
}

function add(stats: PeerStats, copies: readonly number[], method: string, answerMs: number, evidence: readonly number[]): void {
  stats.requests++;
  stats.retransmissions += copies.length - 1;
  stats.methods.add(method);
  stats.worstCopies = Math.max(stats.worstCopies, copies.length);
  stats.slowestAnswerMs = Math.max(stats.slowestAnswerMs, answerMs);
  stats.evidence.push(...evidence);
}
