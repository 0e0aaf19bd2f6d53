import { captured, groupData, groupEvidence, responseGroups } from './lib/call.js';
import { retryAfterSeconds } from '../../parse/sip/header-values.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { defineRule } from './types.js';

/** 503 Service Unavailable: the server (or the one behind it) cannot take the request now. */
export const overload = defineRule({
  meta: {
    id: 'overload',
    severity: 'error',
    description: 'A request was answered 503 Service Unavailable: the server is overloaded, in maintenance, or has no working route onwards.',
    evidence: 'The request and its 503 response (each hop that forwarded it), with Retry-After when present.',
    explanation:
      '{server} answered {response}. With Retry-After the server says it is temporarily overloaded or in maintenance and asks clients not to send it anything for that long. Without Retry-After, a proxy or SBC usually means it found no working next hop (every gateway or trunk down, a DNS failure, all channels in use) and the client should try its next server (RFC 3263).',
    fix: 'On {server}: check load, licence and channel limits, and the state of the trunks or gateways it routes {uri} to. Clients should honour Retry-After and fail over to another server from DNS SRV. Many 503s in a row from one server point at overload control (RFC 7339) or a dead upstream.',
    rfc: 'RFC 3261 §21.5.4, §20.33 (Retry-After); RFC 3263 §4.3 (failover); RFC 7339 (overload control)',
    messages: {
      'retry-after': '{method} for {uri} was answered {response} by {server}, asking for no new requests for {retryAfter} s.',
      'no-retry-after': '{method} for {uri} was answered {response} by {server}, without Retry-After: it has no way onwards, and the client should try another server.',
      'retry-now': '{method} for {uri} was answered {response} by {server} with Retry-After: 0, which asks for no wait: it has no way onwards right now, and the client may try again at once or try another server.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una petición recibió 503 Service Unavailable: el servidor está sobrecargado, en mantenimiento o no tiene ninguna ruta operativa hacia delante.',
        evidence: 'La petición y su respuesta 503 (en cada salto que la reenvió), con Retry-After si lo hay.',
        explanation:
          '{server} respondió {response}. Con Retry-After, el servidor indica que está sobrecargado temporalmente o en mantenimiento y pide a los clientes que no le envíen nada durante ese tiempo. Sin Retry-After, un proxy o un SBC suele querer decir que no encontró ningún siguiente salto operativo (todos los gateways o troncales caídos, un fallo de DNS, todos los canales ocupados), y el cliente debería probar con su siguiente servidor (RFC 3263).',
        fix: 'En {server}: revisa la carga, los límites de licencia y de canales, y el estado de los troncales o gateways hacia los que enruta {uri}. Los clientes deben respetar Retry-After y conmutar a otro servidor del DNS SRV. Muchos 503 seguidos de un mismo servidor apuntan al control de sobrecarga (RFC 7339) o a un servidor caído más adelante.',
        rfc: 'RFC 3261 §21.5.4, §20.33 (Retry-After); RFC 3263 §4.3 (conmutación a otro servidor); RFC 7339 (control de sobrecarga)',
        messages: {
          'retry-after': 'El {method} para {uri} recibió {response} de {server}, que pide no recibir peticiones nuevas durante {retryAfter} s.',
          'no-retry-after': 'El {method} para {uri} recibió {response} de {server}, sin Retry-After: no tiene ningún camino hacia delante, y el cliente debería probar otro servidor.',
          'retry-now': 'El {method} para {uri} recibió {response} de {server} con Retry-After: 0, que no pide ninguna espera: ahora no tiene camino hacia delante, y el cliente puede reintentar enseguida o probar otro servidor.',
        },
        options: {},
        values: GROUP_VALUES_ES,
      },
    },
  },
  needs: { statuses: [503] },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => status === 503 && ownsMethod(method))) {
      const retryAfter = retryAfterSeconds(captured(call, group.responses[0]!).message);
      const data = { ...groupData(call, group), retryAfter: retryAfter ?? 'none' };
      // RFC 3261 §20.33: Retry-After is how long the client should wait; 0 asks for no wait at all.
      const messageId = retryAfter === null ? 'no-retry-after' : retryAfter === 0 ? 'retry-now' : 'retry-after';
      context.report({ messageId, data, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
