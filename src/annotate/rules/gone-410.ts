import { METHOD_VALUES_ES } from './lib/es.js';
import { defineRule, endpoint } from './types.js';

/** A request answered 410 Gone: the target existed once and was removed for good. */
export const gone410 = defineRule({
  meta: {
    id: 'gone-410',
    severity: 'warning',
    description: 'A request was answered 410 Gone: the user or resource it names was removed for good.',
    evidence: 'The request and its 410 response.',
    explanation:
      '{server} says {uri} ({uriKind}) existed there once but has been permanently removed, with no forwarding address. Unlike 404 Not Found, the server knows the user; unlike 480 or 486, waiting will not help.',
    fix: 'Remove {uri} from the device, contact list, dial plan or trunk configuration that still uses it, or restore the account on {server} if the removal was a mistake. Retrying the same request will get the same answer.',
    rfc: 'RFC 3261 §21.4.10',
    messages: {
      gone: '{method} for {uri} was answered 410 Gone by {server}: that {uriKind} no longer exists.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una petición recibió 410 Gone: el usuario o el recurso que nombra se eliminó de forma definitiva.',
        evidence: 'La petición y su respuesta 410.',
        explanation:
          '{server} indica que {uri} ({uriKind}) existió allí, pero se eliminó de forma permanente y sin dirección de reenvío. A diferencia del 404 Not Found, el servidor conoce al usuario; a diferencia del 480 o el 486, esperar no servirá de nada.',
        fix: 'Quita {uri} del dispositivo, la lista de contactos, el plan de marcación o la configuración del troncal que aún lo usan, o restaura la cuenta en {server} si la eliminación fue un error. Reintentar la misma petición obtendrá la misma respuesta.',
        rfc: 'RFC 3261 §21.4.10',
        messages: {
          gone: 'El {method} para {uri} recibió 410 Gone de {server}: esa {uriKind} ya no existe.',
        },
        options: {},
        values: {
          method: METHOD_VALUES_ES,
          uri: { '(unknown URI)': '(URI desconocida)' },
          uriKind: { 'address-of-record': 'dirección de registro' },
        },
      },
    },
  },
  needs: { statuses: [410] },
  check(call, context) {
    for (const tx of call.transactions) {
      const goneIndex = tx.responses.find((i) => !call.messages[i]!.retransmission && call.messages[i]!.captured.message.status === 410);
      if (goneIndex === undefined) continue;
      const gone = call.messages[goneIndex]!.captured;
      const request = tx.request === null ? null : call.messages[tx.request]!.captured.message;
      const method = request?.method ?? gone.message.cseq?.method ?? 'request';
      // REGISTER names an address-of-record in To (RFC 3261 §10.2); other requests target the Request-URI.
      const useTo = method === 'REGISTER' || request === null;
      const uri = useTo ? (request?.to ?? gone.message.to)?.uri.raw : request.requestUri;
      context.report({
        messageId: 'gone',
        data: {
          method,
          uri: uri ?? '(unknown URI)',
          uriKind: useTo ? 'address-of-record' : 'Request-URI',
          server: endpoint(gone.src),
        },
        messages: tx.request === null ? [goneIndex] : [tx.request, goneIndex],
        anchor: goneIndex,
      });
    }
  },
});
