import { captured, finalResponses, groupData, groupEvidence, responseGroups, statusOf } from './lib/call.js';
import { ownsMethod } from './lib/owners.js';
import { METHOD_VALUES_ES } from './lib/es.js';
import { ref, type DataValue, defineRule } from './types.js';

/**
 * 481 Call/Transaction Does Not Exist: the request names a dialog or transaction the server
 * does not have (any more).
 */
export const callDoesNotExist = defineRule({
  meta: {
    id: 'call-does-not-exist',
    severity: 'warning',
    description: 'A request was answered 481 Call/Transaction Does Not Exist: it names a dialog or transaction the server does not know (any more).',
    evidence: 'The request, its 481, and what ended the dialog earlier in the capture when there is such a message.',
    explanation:
      '{server} has no dialog or transaction matching {method} (Call-ID, From tag and To tag; for CANCEL, the INVITE\'s branch). Either it ended already (a BYE crossed this request, the INVITE failed, a subscription expired), or the server lost it (restart, failover to another node), or something on the way changed Call-ID, tags or branch (an SBC or B2BUA that does not map them back).',
    fix: 'Check whether the dialog was ended earlier (see the evidence), and for a dialog the server forgot, whether it restarted or failed over; if an SBC or B2BUA sits in the path, compare Call-ID and tags on both of its sides. A 481 to CANCEL is harmless when the INVITE had already got its final response.',
    rfc: 'RFC 3261 §21.4.19, §9.2 (CANCEL), §12.2.2 (requests within a dialog)',
    messages: {
      'unknown-dialog': '{method} was answered {response} by {server}: it does not know this dialog or transaction.',
      'after-end': '{method} was answered {response} by {server}: the dialog had already ended at {endedAt}.',
      'cancel-too-late': 'CANCEL was answered {response} by {server}: the INVITE had already got its final response at {endedAt}, so there was nothing left to cancel.',
      'cancel-unknown': 'CANCEL was answered {response} by {server}: it has no INVITE transaction to cancel (the INVITE never arrived there, or CANCEL took another path).',
    },
    options: {},
    translations: {
      es: {
        description: 'Una petición recibió 481 Call/Transaction Does Not Exist: nombra un diálogo o una transacción que el servidor no conoce (o ya no conoce).',
        evidence: 'La petición, su 481 y, si está en la captura, el mensaje que terminó antes el diálogo.',
        explanation:
          '{server} no tiene ningún diálogo ni ninguna transacción que coincida con el {method} (Call-ID, tag de From y tag de To; para CANCEL, la rama del INVITE). O bien ya terminó (un BYE se cruzó con esta petición, el INVITE falló, una suscripción caducó), o el servidor lo perdió (un reinicio, una conmutación a otro nodo), o algo en el camino cambió el Call-ID, los tags o la rama (un SBC o B2BUA que no los vuelve a traducir).',
        fix: 'Comprueba si el diálogo terminó antes (mira la evidencia) y, si el servidor lo olvidó, si se reinició o conmutó a otro nodo; si hay un SBC o un B2BUA en el camino, compara el Call-ID y los tags a ambos lados. Un 481 a un CANCEL es inofensivo cuando el INVITE ya había recibido su respuesta final.',
        rfc: 'RFC 3261 §21.4.19, §9.2 (CANCEL), §12.2.2 (peticiones dentro de un diálogo)',
        messages: {
          'unknown-dialog': 'El {method} recibió {response} de {server}: no conoce este diálogo ni esta transacción.',
          'after-end': 'El {method} recibió {response} de {server}: el diálogo ya había terminado en {endedAt}.',
          'cancel-too-late': 'El CANCEL recibió {response} de {server}: el INVITE ya había recibido su respuesta final en {endedAt}, así que no quedaba nada que cancelar.',
          'cancel-unknown': 'El CANCEL recibió {response} de {server}: no tiene ninguna transacción INVITE que cancelar (el INVITE nunca llegó allí, o el CANCEL tomó otro camino).',
        },
        options: {},
        values: { method: METHOD_VALUES_ES },
      },
    },
  },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => status === 481 && ownsMethod(method))) {
      const data: Record<string, DataValue> = groupData(call, group);
      const response = group.responses[0]!;
      const before = group.request ?? response;
      let messageId = 'unknown-dialog';
      let ended: number | null = null;
      if (group.method === 'CANCEL') {
        const invite = group.tx.cancels === null ? null : call.transactions[group.tx.cancels]!;
        ended = invite === null ? null : (finalResponses(call, invite).find((i) => i < response) ?? null);
        messageId = ended === null ? 'cancel-unknown' : 'cancel-too-late';
      } else {
        // A BYE answered with 2xx earlier, or an INVITE that failed: the dialog was over.
        for (const tx of call.transactions) {
          if (tx === group.tx) continue;
          const final = finalResponses(call, tx).find((i) => i < before);
          if (final === undefined) continue;
          const status = statusOf(call, final);
          if ((tx.method === 'BYE' && status >= 200 && status < 300) || (tx.method === 'INVITE' && status >= 300 && tx.request !== null && captured(call, tx.request).message.toTag == null)) {
            ended = final;
            messageId = 'after-end';
          }
        }
      }
      if (ended !== null) data['endedAt'] = ref(captured(call, ended));
      const evidence = ended === null ? groupEvidence(group) : [ended, ...groupEvidence(group)].sort((a, b) => a - b);
      context.report({ messageId, data, messages: evidence, anchor: response });
    }
  },
});
