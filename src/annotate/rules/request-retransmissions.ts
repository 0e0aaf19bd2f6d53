import { diffMs } from '../../time.js';
import { captured, endpointKey, reverseHop, copiesOf, sipOf } from './lib/call.js';
import { defineCatalogRule } from './lib/define.js';
import { estimateT1 } from './lib/timers.js';
import { T1_MS_OPTION_ES } from './lib/es.js';
import { duration, endpoint, type DataEndpoint } from './types.js';

interface PeerStats {
  peer: DataEndpoint;
  requests: number;
  retransmissions: number;
  methods: Set<string>;
  worstCopies: number;
  slowestAnswerMs: number;
  evidence: number[];
}

/**
 * Requests that had to be retransmitted before they were answered, counted per peer (the
 * destination). Over UDP a request is resent after T1, 2*T1... until a response arrives, so
 * each retransmission is a request or response lost, or a peer slower than T1 to answer.
 */
export const requestRetransmissions = defineCatalogRule<{ minRetransmissions: number; t1Ms: number }>({
  meta: {
    id: 'request-retransmissions',
    severity: 'warning',
    description: 'Requests to a peer had to be retransmitted before an answer came (packet loss or a slow peer); counted per peer.',
    evidence: 'Every copy of each retransmitted request that was eventually answered.',
    explanation:
      'Over UDP a request is sent again after T1 ({t1}), then 2*T1, 4*T1... until a response arrives. {retransmissions} retransmission(s) of {requests} request(s) to {peer} means requests or their responses were lost on the way, or {peer} took longer than T1 to answer (the slowest answer came {slowestAnswer} after the first copy).',
    fix: 'Look for packet loss between the two sides (interface errors, a congested or lossy link, a firewall dropping fragments of large messages) and for a slow or overloaded {peer} (CPU, DNS lookups before answering). A peer that answers INVITE only with its final response, without 100 Trying, causes retransmissions too.',
    rfc: 'RFC 3261 §17.1.1.2 (Timer A), §17.1.2.2 (Timer E), §17.2.1 (100 Trying within 200 ms)',
    messages: {
      retransmitted: '{retransmissions} retransmission(s) were needed for {requests} request(s) to {peer} ({methods}) before they were answered.',
    },
    options: {
      minRetransmissions: { default: 1, description: 'Retransmissions to one peer in a call before the rule reports them.' },
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
    },
    translations: {
      es: {
        description: 'Las peticiones a un destino tuvieron que retransmitirse antes de recibir respuesta (pérdida de paquetes o un destino lento); se cuentan por destino.',
        evidence: 'Cada copia de cada petición retransmitida que acabó recibiendo respuesta.',
        explanation:
          'Por UDP una petición se vuelve a enviar tras T1 ({t1}), luego tras 2*T1, 4*T1... hasta que llega una respuesta. {retransmissions} retransmisión(es) de {requests} petición(es) a {peer} significa que las peticiones o sus respuestas se perdieron por el camino, o que {peer} tardó más de T1 en responder (la respuesta más lenta llegó {slowestAnswer} después de la primera copia).',
        fix: 'Busca pérdida de paquetes entre ambos lados (errores de interfaz, un enlace congestionado o con pérdidas, un firewall que descarta los fragmentos de los mensajes grandes) y un {peer} lento o sobrecargado (CPU, consultas DNS antes de responder). Un destino que responde al INVITE solo con su respuesta final, sin 100 Trying, también provoca retransmisiones.',
        rfc: 'RFC 3261 §17.1.1.2 (Timer A), §17.1.2.2 (Timer E), §17.2.1 (100 Trying en menos de 200 ms)',
        messages: {
          retransmitted: 'Hicieron falta {retransmissions} retransmisión(es) para {requests} petición(es) a {peer} ({methods}) antes de que recibieran respuesta.',
        },
        options: {
          minRetransmissions: 'Retransmisiones hacia un mismo destino en una llamada a partir de las cuales la regla las informa.',
          t1Ms: T1_MS_OPTION_ES,
        },
      },
    },
  },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    const byPeer = new Map<string, PeerStats>();
    for (const tx of call.transactions) {
      if (tx.request === null || tx.method === 'ACK') continue;
      const first = captured(call, tx.request);
      const copies = copiesOf(call, tx.request);
      if (copies.length < 2) continue;
      // Answered on the reverse hop: unanswered requests are no-response's.
      const answer = tx.responses.find((i) => reverseHop(first, captured(call, i)));
      if (answer === undefined) continue;
      const key = endpointKey(first.dst);
      const stats = byPeer.get(key) ?? { peer: endpoint(first.dst), requests: 0, retransmissions: 0, methods: new Set<string>(), worstCopies: 0, slowestAnswerMs: 0, evidence: [] };
      stats.requests++;
      stats.retransmissions += copies.length - 1;
      stats.methods.add(sipOf(call, tx.request).method ?? tx.method);
      stats.worstCopies = Math.max(stats.worstCopies, copies.length);
      stats.slowestAnswerMs = Math.max(stats.slowestAnswerMs, diffMs(first.time, captured(call, answer).time));
      stats.evidence.push(...copies);
      byPeer.set(key, stats);
    }
    for (const stats of byPeer.values()) {
      if (stats.retransmissions < context.options.minRetransmissions) continue;
      const evidence = stats.evidence.sort((a, b) => a - b);
      context.report({
        messageId: 'retransmitted',
        data: {
          peer: stats.peer,
          requests: stats.requests,
          retransmissions: stats.retransmissions,
          methods: [...stats.methods].join(', '),
          worstCopies: stats.worstCopies,
          slowestAnswer: duration(stats.slowestAnswerMs),
          t1: duration(t1.t1Ms),
        },
        messages: evidence,
        anchor: evidence[evidence.length - 1]!,
      });
    }
  },
});
