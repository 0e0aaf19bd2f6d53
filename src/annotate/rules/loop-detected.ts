import { captured, groupData, groupEvidence, responseGroups, sipOf } from './lib/call.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { endpoint, defineRule } from './types.js';

/**
 * A request going round in circles: 482 Loop Detected, 483 Too Many Hops, or a request whose
 * Max-Forwards (70 when sent, minus one per proxy) is nearly used up.
 */
export const loopDetected = defineRule<{ lowMaxForwards: number }>({
  meta: {
    id: 'loop-detected',
    severity: 'error',
    messageSeverity: { 'max-forwards-low': 'warning' },
    description: 'A request loops between proxies: 482 Loop Detected, 483 Too Many Hops, or Max-Forwards running out.',
    evidence: 'The request and the 482/483 response, or the request copy with the lowest Max-Forwards (and the highest seen for comparison).',
    explanation:
      'Every proxy decrements Max-Forwards (70 when the request is created) and rejects the request with 483 when it reaches 0; a proxy that finds its own address already in the Via list answers 482. Both mean the request is routed in a circle: two servers each think the other one handles the target (a route pointing back, a domain served by both, a call-forward loop, a trunk whose "from" and "to" are the same server).',
    fix: 'Follow the Via headers of the request: they list every hop it took. Find the proxy that sends it back, and fix its route or dial plan for {uri} (for call-forward loops, the forwarding targets of the users involved).',
    rfc: 'RFC 3261 §16.3 (loop detection, Max-Forwards), §20.22, §21.4.20 (482), §21.4.21 (483)',
    messages: {
      'loop-detected': '{method} for {uri} was answered {response} by {server}: the request came back to a proxy it had already passed.',
      'too-many-hops': '{method} for {uri} was answered {response} by {server}: Max-Forwards reached 0.',
      'max-forwards-low': '{method} for {uri} from {sender} had Max-Forwards {maxForwards} (highest seen in this call: {highest}): it has passed through {hops} hops and is close to being dropped.',
    },
    options: {
      lowMaxForwards: { default: 5, description: 'A request arriving with Max-Forwards at or below this is running out (it starts at 70; OPTIONS with 0 is a legitimate query of the next hop and is ignored).' },
    },
    translations: {
      es: {
        description: 'Una petición da vueltas entre proxies: 482 Loop Detected, 483 Too Many Hops, o un Max-Forwards a punto de agotarse.',
        evidence: 'La petición y la respuesta 482/483, o la copia de la petición con el Max-Forwards más bajo (y, para comparar, la del más alto visto).',
        explanation:
          'Cada proxy decrementa Max-Forwards (70 cuando se crea la petición) y rechaza la petición con 483 cuando llega a 0; un proxy que encuentra su propia dirección ya en la lista de Via responde 482. Ambos significan que la petición se enruta en círculo: dos servidores creen cada uno que el otro se encarga del destino (una ruta que apunta de vuelta, un dominio servido por ambos, un bucle de desvíos de llamada, un troncal cuyo origen y destino son el mismo servidor).',
        fix: 'Sigue los encabezados Via de la petición: enumeran cada salto que recorrió. Encuentra el proxy que la devuelve y corrige su ruta o su plan de marcación para {uri} (en los bucles de desvíos, los destinos de desvío de los usuarios implicados).',
        rfc: 'RFC 3261 §16.3 (detección de bucles, Max-Forwards), §20.22, §21.4.20 (482), §21.4.21 (483)',
        messages: {
          'loop-detected': 'El {method} para {uri} recibió {response} de {server}: la petición volvió a un proxy por el que ya había pasado.',
          'too-many-hops': 'El {method} para {uri} recibió {response} de {server}: Max-Forwards llegó a 0.',
          'max-forwards-low':
            'El {method} para {uri} de {sender} llevaba Max-Forwards {maxForwards} (el más alto visto en esta llamada: {highest}): ha atravesado {hops} saltos y está a punto de descartarse.',
        },
        options: {
          lowMaxForwards:
            'Una petición que llega con Max-Forwards igual o inferior a este valor se está quedando sin saltos (empieza en 70; un OPTIONS con 0 es una consulta legítima al siguiente salto y se ignora).',
        },
        values: GROUP_VALUES_ES,
      },
    },
  },
  check(call, context) {
    let reported = false;
    const groups = responseGroups(call, isLoopResponse);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      reported = true;
      context.report({ messageId: group.status === 482 ? 'loop-detected' : 'too-many-hops', data: groupData(call, group), messages: groupEvidence(group), anchor: group.responses[0]! });
    }
    if (reported) return;
    let lowest: number | null = null;
    let highest: number | null = null;
    // A loop, not forEach: this rule runs on every call, and a closure per call is garbage.
    const messages = call.messages;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      const msg = m.captured.message;
      if (msg.kind !== 'request' || msg.maxForwards === null || m.retransmission) continue;
      if (highest === null || msg.maxForwards > sipOf(call, highest).maxForwards!) highest = i;
      if (msg.method === 'OPTIONS' && msg.maxForwards === 0) continue;
      if (msg.maxForwards <= context.options.lowMaxForwards && (lowest === null || msg.maxForwards < sipOf(call, lowest).maxForwards!)) lowest = i;
    }
    if (lowest === null) return;
    const low = captured(call, lowest);
    const high = sipOf(call, highest!).maxForwards!;
    context.report({
      messageId: 'max-forwards-low',
      data: {
        method: low.message.method ?? 'request',
        uri: low.message.requestUri ?? '(unknown)',
        sender: endpoint(low.src),
        maxForwards: low.message.maxForwards!,
        highest: high,
        hops: 70 - low.message.maxForwards!,
      },
      messages: highest === lowest ? [lowest] : [Math.min(highest!, lowest), Math.max(highest!, lowest)],
      anchor: lowest,
    });
  },
});

/** The responses this rule groups (a module constant: a closure made per call is garbage on every call). */
const isLoopResponse = (status: number, method: string): boolean => (status === 482 || status === 483) && ownsMethod(method);
