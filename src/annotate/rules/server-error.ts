import { captured, groupData, groupEvidence, responseGroups } from './lib/call.js';
import { retryAfterSeconds } from '../../parse/sip/header-values.js';
import { rawLengthOf } from '../../parse/sip/parse.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { EVENT_METHODS } from './subscription-not-found.js';
import { defineRule } from './types.js';

const MESSAGE_ID: Readonly<Record<number, string>> = {
  500: 'internal-error',
  501: 'not-implemented',
  502: 'bad-gateway',
  504: 'gateway-timeout',
  513: 'message-too-large',
};

/** 5xx other than 503: the server failed, or something behind it did. */
export const serverError = defineRule({
  meta: {
    id: 'server-error',
    severity: 'error',
    messageSeverity: { 'not-implemented': 'warning' },
    description: 'A request was answered 500 Server Internal Error, 501 Not Implemented, 502 Bad Gateway, 504 Server Time-out or 513 Message Too Large.',
    evidence: 'The request and its 5xx response (each hop that forwarded it).',
    explanation:
      '{server} answered {response}. 500: it hit an error of its own (a script or database failure, or, with Retry-After on a re-INVITE, a request overlapping one still in progress). 501: it does not support {method} at all. 502: the next server answered with something invalid. 504: the next server (or a DNS or location lookup) did not answer in time. 513: the message ({size} bytes) is larger than it accepts.',
    fix: 'For 500/502/504, look at the logs of {server} and of the server behind it at this time, and at the Warning or Reason headers of the response. For 501, stop sending {method} to {server} or enable the feature on it. For 513, make the message smaller (fewer headers, shorter SDP) or use TCP.',
    rfc: 'RFC 3261 §21.5.1 (500), §21.5.2 (501), §21.5.3 (502), §21.5.5 (504), §21.5.7 (513)',
    messages: {
      'internal-error': '{method} for {uri} was answered {response} by {server}: it failed internally.',
      'not-implemented': '{method} for {uri} was answered {response} by {server}: it does not implement {method}.',
      'bad-gateway': '{method} for {uri} was answered {response} by {server}: the server behind it answered with something invalid.',
      'gateway-timeout': '{method} for {uri} was answered {response} by {server}: the server behind it did not answer in time.',
      'message-too-large': '{method} for {uri} ({size} bytes) was answered {response} by {server}: the message is too large for it.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una petición recibió 500 Server Internal Error, 501 Not Implemented, 502 Bad Gateway, 504 Server Time-out o 513 Message Too Large.',
        evidence: 'La petición y su respuesta 5xx (en cada salto que la reenvió).',
        explanation:
          '{server} respondió {response}. 500: sufrió un error propio (un fallo de un script o de la base de datos o, con Retry-After en un re-INVITE, una petición que se solapa con otra aún en curso). 501: no admite {method} en absoluto. 502: el siguiente servidor respondió algo no válido. 504: el siguiente servidor (o una consulta DNS o de localización) no respondió a tiempo. 513: el mensaje ({size} bytes) es más grande de lo que acepta.',
        fix: 'Para 500/502/504, mira los logs de {server} y del servidor que tiene detrás a esa hora, y los encabezados Warning o Reason de la respuesta. Para 501, deja de enviar {method} a {server} o habilita la función en él. Para 513, reduce el mensaje (menos encabezados, un SDP más corto) o usa TCP.',
        rfc: 'RFC 3261 §21.5.1 (500), §21.5.2 (501), §21.5.3 (502), §21.5.5 (504), §21.5.7 (513)',
        messages: {
          'internal-error': 'El {method} para {uri} recibió {response} de {server}: falló internamente.',
          'not-implemented': 'El {method} para {uri} recibió {response} de {server}: no implementa {method}.',
          'bad-gateway': 'El {method} para {uri} recibió {response} de {server}: el servidor que tiene detrás respondió algo no válido.',
          'gateway-timeout': 'El {method} para {uri} recibió {response} de {server}: el servidor que tiene detrás no respondió a tiempo.',
          'message-too-large': 'El {method} para {uri} ({size} bytes) recibió {response} de {server}: el mensaje es demasiado grande para él.',
        },
        options: {},
        values: GROUP_VALUES_ES,
      },
    },
  },
  needs: { statuses: [500, 501, 502, 504, 513] },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => MESSAGE_ID[status] !== undefined && ownsMethod(method))) {
      const first = captured(call, group.responses[0]!);
      const size = group.request === null ? 0 : rawLengthOf(captured(call, group.request).message);
      const data = { ...groupData(call, group), size, retryAfter: retryAfterSeconds(first.message) ?? 'none' };
      // 501 to SUBSCRIBE or PUBLISH: the server offers no presence or event service; calls are not affected (info).
      const optionalFeature = group.status === 501 && EVENT_METHODS.has(group.method);
      context.report({ messageId: MESSAGE_ID[group.status]!, data, messages: groupEvidence(group), anchor: group.responses[0]!, ...(optionalFeature ? { severity: 'info' as const } : {}) });
    }
  },
});
