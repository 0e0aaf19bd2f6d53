import { groupData, groupEvidence, responseGroups, uriOf } from './lib/call.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { EVENT_METHODS } from './subscription-not-found.js';
import { defineRule } from './types.js';

const MESSAGE_ID: Readonly<Record<number, string>> = { 404: 'not-found', 604: 'nowhere', 484: 'incomplete' };

/** 404 Not Found, 604 Does Not Exist Anywhere, 484 Address Incomplete: the target does not resolve. */
export const notFound = defineRule({
  meta: {
    id: 'not-found',
    severity: 'warning',
    description: 'A request was answered 404 Not Found, 604 Does Not Exist Anywhere or 484 Address Incomplete: the dialled target does not resolve.',
    evidence: 'The request and its 404/604/484 response (each hop that forwarded it).',
    explanation:
      '{server} could not find "{user}" in {uri}. 404: the user is unknown in this domain (a typo, a number missing from the dial plan, a format the server does not expect such as missing country code or a leading +, or a user that is not provisioned). 604: the server knows the user does not exist anywhere. 484: the number is too short for the dial plan (overlap dialling sent it before all digits were in).',
    fix: 'Compare "{user}" in {uri} with what {server} expects: number format (E.164 with +, national, with or without prefix), domain, and the dial plan or routing table; for 484, configure the phone to wait for the full number (digit map, "#" to send) or fix the dial plan\'s expected length.',
    rfc: 'RFC 3261 §21.4.5 (404), §21.6.3 (604), §21.4.22 (484)',
    messages: {
      'not-found': '{method} for {uri} was answered {response} by {server}: "{user}" is unknown there.',
      nowhere: '{method} for {uri} was answered {response} by {server}: "{user}" does not exist anywhere.',
      incomplete: '{method} for {uri} was answered {response} by {server}: the number "{user}" is incomplete.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una petición recibió 404 Not Found, 604 Does Not Exist Anywhere o 484 Address Incomplete: el destino marcado no se resuelve.',
        evidence: 'La petición y su respuesta 404/604/484 (en cada salto que la reenvió).',
        explanation:
          '{server} no encontró «{user}» en {uri}. 404: el usuario es desconocido en este dominio (una errata, un número que falta en el plan de marcación, un formato que el servidor no espera, como la falta del código de país o de un + inicial, o un usuario no dado de alta). 604: el servidor sabe que el usuario no existe en ningún sitio. 484: el número es demasiado corto para el plan de marcación (la marcación con solapamiento lo envió antes de tener todas las cifras).',
        fix: 'Compara «{user}» en {uri} con lo que espera {server}: el formato del número (E.164 con +, nacional, con o sin prefijo), el dominio, y el plan de marcación o la tabla de enrutamiento; para el 484, configura el teléfono para que espere al número completo (digit map, «#» para enviar) o corrige la longitud que espera el plan de marcación.',
        rfc: 'RFC 3261 §21.4.5 (404), §21.6.3 (604), §21.4.22 (484)',
        messages: {
          'not-found': 'El {method} para {uri} recibió {response} de {server}: «{user}» es desconocido allí.',
          nowhere: 'El {method} para {uri} recibió {response} de {server}: «{user}» no existe en ningún sitio.',
          incomplete: 'El {method} para {uri} recibió {response} de {server}: el número «{user}» está incompleto.',
        },
        options: {},
        values: GROUP_VALUES_ES,
      },
    },
  },
  needs: { statuses: [404, 604, 484] },
  check(call, context) {
    // A 404 to SUBSCRIBE or PUBLISH is about its event package, not the user: subscription-not-found's.
    const owned = (status: number, method: string): boolean => MESSAGE_ID[status] !== undefined && ownsMethod(method) && !(status === 404 && EVENT_METHODS.has(method));
    for (const group of responseGroups(call, owned)) {
      const data = groupData(call, group);
      const user = uriOf(data.uri)?.user ?? '';
      context.report({ messageId: MESSAGE_ID[group.status]!, data: { ...data, user }, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
