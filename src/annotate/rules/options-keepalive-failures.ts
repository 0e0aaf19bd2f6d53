import { captured, endpointKey, firstFinal, statusLabel, statusOf } from './lib/call.js';
import { estimateT1 } from './lib/timers.js';
import { sentOnceUnseen, unanswered } from './lib/waiting.js';
import { T1_MS_OPTION_ES } from './lib/es.js';
import { endpoint, type DataEndpoint, type DataValue, defineRule } from './types.js';

interface PeerPings {
  sender: DataEndpoint;
  peer: DataEndpoint;
  pings: number;
  unanswered: number[];
  unresolved: number[];
  sentOnce: number[];
  failing: number[];
}

/**
 * OPTIONS used as keep-alive pings (trunks, SBC and load-balancer health checks): pings that
 * get no answer, or are answered 408/5xx/6xx. Any other answer, even 404 or 405, proves the
 * peer is alive and is not reported.
 */
export const optionsKeepaliveFailures = defineRule<{ t1Ms: number; minUnresolvedSeconds: number }>({
  meta: {
    id: 'options-keepalive-failures',
    severity: 'error',
    messageSeverity: { failing: 'warning', unresolved: 'info', 'sent-once': 'info' },
    description: 'OPTIONS pings to a peer went unanswered (until Timer F) or were answered 408, 5xx or 6xx; counted per peer.',
    evidence: 'The unanswered or failing OPTIONS and their responses.',
    explanation:
      'Proxies, SBCs and PBXs send OPTIONS to their peers to know whether a trunk or server is up; after a few failures they mark the peer down and stop routing calls to it. Unanswered pings to {peer} mean it is down, unreachable (routing, firewall, NAT) or answers somewhere else; 408/5xx/6xx mean it is up but refuses or is overloaded. Any other answer, even 404 or 405, proves it is alive.',
    fix: 'Check reachability of {peer} from {sender} (routing, firewall, ACLs that drop OPTIONS from unknown sources), that {peer} answers OPTIONS at all, and its load; for a peer that is fine but refuses pings, allow OPTIONS from {sender} or change the health check.',
    rfc: 'RFC 3261 §11 (OPTIONS), §17.1.2.2 (Timer F); RFC 3263 §4.3 (marking servers down)',
    messages: {
      unanswered: '{unanswered} of {pings} OPTIONS ping(s) from {sender} to {peer} got no answer before Timer F: the peer looks down or unreachable.',
      failing: '{failing} of {pings} OPTIONS ping(s) from {sender} to {peer} were answered {response}: the peer is up but failing.',
      unresolved: '{unresolved} of {pings} OPTIONS ping(s) from {sender} to {peer} had no answer when the capture ended, before Timer F, so whether the peer answers is unresolved.',
      'sent-once': '{sentOnce} of {pings} OPTIONS from {sender} to {peer} got no answer but were sent only once over UDP, never retransmitted: the sender ran no RFC 3261 transaction (a probe or a fire-and-forget ping, not a keep-alive that gives up), so whether {peer} is down is unresolved.',
    },
    options: {
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
      minUnresolvedSeconds: {
        default: 2,
        description: 'A ping sent once, with no answer and a capture ending less than this many seconds later, is not reported (it is simply the end of the capture).',
      },
    },
    translations: {
      es: {
        description: 'Los pings OPTIONS a un destino quedaron sin respuesta (hasta el Timer F) o recibieron 408, 5xx o 6xx; se cuentan por destino.',
        evidence: 'Los OPTIONS sin respuesta o fallidos y sus respuestas.',
        explanation:
          'Los proxies, SBC y PBX envían OPTIONS a sus destinos para saber si un troncal o un servidor está activo; tras unos cuantos fallos marcan el destino como caído y dejan de enrutarle llamadas. Los pings sin respuesta a {peer} significan que está caído, que es inalcanzable (enrutamiento, firewall, NAT) o que responde a otro sitio; 408/5xx/6xx significan que está activo, pero rechaza o está sobrecargado. Cualquier otra respuesta, incluso 404 o 405, demuestra que está vivo.',
        fix: 'Comprueba la alcanzabilidad de {peer} desde {sender} (enrutamiento, firewall, ACL que descartan los OPTIONS de orígenes desconocidos), que {peer} responde a OPTIONS y su carga; si el destino funciona bien pero rechaza los pings, permite OPTIONS desde {sender} o cambia la comprobación de estado.',
        rfc: 'RFC 3261 §11 (OPTIONS), §17.1.2.2 (Timer F); RFC 3263 §4.3 (marcar servidores como caídos)',
        messages: {
          unanswered: '{unanswered} de {pings} ping(s) OPTIONS de {sender} a {peer} no recibieron respuesta antes del Timer F: el destino parece caído o inalcanzable.',
          failing: '{failing} de {pings} ping(s) OPTIONS de {sender} a {peer} recibieron {response}: el destino está activo, pero falla.',
          unresolved:
            '{unresolved} de {pings} ping(s) OPTIONS de {sender} a {peer} seguían sin respuesta al terminar la captura, antes del Timer F, así que queda sin resolver si el destino responde.',
          'sent-once':
            '{sentOnce} de {pings} OPTIONS de {sender} a {peer} no recibieron respuesta, pero se enviaron una sola vez por UDP, sin retransmitirse: el remitente no llevaba una transacción de la RFC 3261 (una sonda o un ping sin seguimiento, no un keep-alive que desiste), así que queda sin resolver si {peer} está caído.',
        },
        options: {
          t1Ms: T1_MS_OPTION_ES,
          minUnresolvedSeconds:
            'Un ping enviado una sola vez, sin respuesta y con una captura que termina menos de estos segundos después, no se informa (es simplemente el final de la captura).',
        },
      },
    },
  },
  needs: { methods: ['OPTIONS'] },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    const byPeer = new Map<string, PeerPings>();
    for (const tx of call.transactions) {
      if (tx.method !== 'OPTIONS' || tx.request === null) continue;
      const first = captured(call, tx.request);
      const key = `${endpointKey(first.src)}\u0000${endpointKey(first.dst)}`;
      const peer = byPeer.get(key) ?? { sender: endpoint(first.src), peer: endpoint(first.dst), pings: 0, unanswered: [], unresolved: [], failing: [], sentOnce: [] };
      byPeer.set(key, peer);
      peer.pings++;
      const u = unanswered(call, tx, context.captureEnd, t1.t1Ms);
      if (u !== null) {
        // Over UDP a client transaction retransmits (Timer E); one copy in the whole of Timer F was no
        // transaction, unless an ICMP error quoting it ended the transaction (lib/waiting.ts).
        if (sentOnceUnseen(call, u, context.icmp ?? [])) peer.sentOnce.push(...u.sends);
        else if (u.expired) peer.unanswered.push(...u.sends);
        else if (u.sends.length > 1 || u.waitedMs >= context.options.minUnresolvedSeconds * 1000) peer.unresolved.push(...u.sends);
        continue;
      }
      const final = firstFinal(call, tx);
      if (final === null) continue;
      const status = statusOf(call, final);
      if (status === 408 || status >= 500) peer.failing.push(tx.request, final);
    }
    for (const p of byPeer.values()) {
      const data: Record<string, DataValue> = { sender: p.sender, peer: p.peer, pings: p.pings, unanswered: new Set(p.unanswered.map((i) => call.messages[i]!.transaction)).size, unresolved: new Set(p.unresolved.map((i) => call.messages[i]!.transaction)).size, failing: p.failing.length / 2 };
      if (p.unanswered.length > 0) context.report({ messageId: 'unanswered', data, messages: p.unanswered, anchor: p.unanswered[p.unanswered.length - 1]! });
      if (p.failing.length > 0) {
        const last = p.failing[p.failing.length - 1]!;
        context.report({ messageId: 'failing', data: { ...data, response: statusLabel(captured(call, last).message) }, messages: p.failing, anchor: last });
      }
      if (p.unanswered.length === 0 && p.sentOnce.length > 0) context.report({ messageId: 'sent-once', data: { ...data, sentOnce: p.sentOnce.length }, messages: p.sentOnce, anchor: p.sentOnce[p.sentOnce.length - 1]! });
      if (p.unanswered.length === 0 && p.unresolved.length > 0) context.report({ messageId: 'unresolved', data, messages: p.unresolved, anchor: p.unresolved[p.unresolved.length - 1]! });
    }
  },
});
