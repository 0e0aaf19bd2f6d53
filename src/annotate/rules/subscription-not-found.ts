import { groupData, groupEvidence, responseGroups, sipOf, uriOf } from './lib/call.js';
import { headerValue } from '../../parse/sip/header-values.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { defineRule } from './types.js';

/** Methods whose 404 is about the event package of their Event header (RFC 6665, RFC 3903), not about the user. */
export const EVENT_METHODS: ReadonlySet<string> = new Set(['SUBSCRIBE', 'PUBLISH']);

/** The event package of a SUBSCRIBE or PUBLISH (RFC 6665 §8.2.1: the Event header's token), lower case; null when unreadable. */
export function eventPackage(value: string | null): string | null {
  if (value === null) return null;
  const name = value.split(';')[0]!.trim().toLowerCase();
  return name === '' ? null : name;
}

/** The message id of a 404 to SUBSCRIBE/PUBLISH, by event package. */
function messageIdOf(event: string | null): string {
  if (event === 'message-summary') return 'no-mailbox';
  if (event === 'presence' || event === 'presence.winfo' || event === 'dialog') return 'no-presence';
  return 'no-event-state';
}

/**
 * 404 Not Found to SUBSCRIBE or PUBLISH, read with the event package of the Event header: the
 * notifier has no state of that package for the resource (no voicemail box for a
 * message-summary subscription, no presence source for a presence or dialog one). The user may
 * well exist and take calls, so this is not-found's "unknown user" (which leaves these alone).
 */
export const subscriptionNotFound = defineRule({
  meta: {
    id: 'subscription-not-found',
    severity: 'info',
    description: 'A SUBSCRIBE or PUBLISH was answered 404 Not Found: the server has no state of that event package for the resource (no voicemail box, no presence source), which is not an unknown user.',
    evidence: 'The SUBSCRIBE or PUBLISH (with its Event header) and its 404 response (each hop that forwarded it).',
    explanation:
      'A SUBSCRIBE or PUBLISH names an event package in its Event header (RFC 6665), and a 404 to it says that {server} has no state of that package for {uri}: for message-summary (voicemail indication, RFC 3842) no voicemail box for "{user}"; for presence, presence.winfo or dialog (busy lamp) no presence source for "{user}", such as an Asterisk extension without a hint in the dialplan. Phones subscribe to these on their own, for their own line and for every buddy or BLF key, whether or not the server offers them. The user may well exist and take calls: calls are not affected.',
    fix: 'Check whether {server} offers the {event} event package for "{user}"; if it does not, turn off that subscription on the subscriber.',
    fixes: {
      'no-mailbox': 'If "{user}" should have voicemail, create its mailbox on {server} (Asterisk: mailbox= on the peer or endpoint); if not, turn off the voicemail subscription (MWI, message waiting) on the phone so that it stops asking.',
      'no-presence': 'If the phone should show the state of "{user}" (busy lamp, presence), give that user a presence source on {server} (Asterisk: a hint for the extension in the dialplan); if not, remove "{user}" from the phone\'s buddy list or BLF keys.',
    },
    rfc: 'RFC 6665 §4.2.1.1 (SUBSCRIBE), §8.2.1 (Event); RFC 3903 §6 (PUBLISH); RFC 3261 §21.4.5 (404)',
    messages: {
      'no-mailbox': '{method} for message-summary of {uri} was answered {response} by {server}: it has no voicemail box for "{user}" (not an unknown user).',
      'no-presence': '{method} for {event} of {uri} was answered {response} by {server}: it offers no {event} state for "{user}" (not an unknown user).',
      'no-event-state': '{method} for {event} of {uri} was answered {response} by {server}: it has no {event} state for "{user}"; whether the user exists is unresolved.',
    },
    options: {},
    translations: {
      es: {
        description: 'Un SUBSCRIBE o un PUBLISH recibió 404 Not Found: el servidor no tiene estado de ese paquete de eventos para el recurso (ni buzón de voz, ni fuente de presencia), lo que no es un usuario desconocido.',
        evidence: 'El SUBSCRIBE o el PUBLISH (con su encabezado Event) y su respuesta 404 (en cada salto que la reenvió).',
        explanation:
          'Un SUBSCRIBE o un PUBLISH nombra un paquete de eventos en su encabezado Event (RFC 6665), y un 404 indica que {server} no tiene estado de ese paquete para {uri}: para message-summary (indicación de buzón de voz, RFC 3842), no hay buzón de voz para «{user}»; para presence, presence.winfo o dialog (piloto de ocupado), no hay fuente de presencia para «{user}», como una extensión de Asterisk sin hint en el plan de marcación. Los teléfonos se suscriben a esto por su cuenta, para su propia línea y para cada contacto o tecla BLF, lo ofrezca el servidor o no. El usuario puede existir y recibir llamadas: las llamadas no se ven afectadas.',
        fix: 'Comprueba si {server} ofrece el paquete de eventos {event} para «{user}»; si no lo ofrece, desactiva esa suscripción en el suscriptor.',
        fixes: {
          'no-mailbox': 'Si «{user}» debe tener buzón de voz, créalo en {server} (Asterisk: mailbox= en el peer o el endpoint); si no, desactiva en el teléfono la suscripción al buzón (MWI, mensaje en espera) para que deje de pedirla.',
          'no-presence': 'Si el teléfono debe mostrar el estado de «{user}» (piloto de ocupado, presencia), da a ese usuario una fuente de presencia en {server} (Asterisk: un hint para la extensión en el plan de marcación); si no, quita «{user}» de la lista de contactos o de las teclas BLF del teléfono.',
        },
        rfc: 'RFC 6665 §4.2.1.1 (SUBSCRIBE), §8.2.1 (Event); RFC 3903 §6 (PUBLISH); RFC 3261 §21.4.5 (404)',
        messages: {
          'no-mailbox': 'El {method} para message-summary de {uri} recibió {response} de {server}: no tiene buzón de voz para «{user}» (no es un usuario desconocido).',
          'no-presence': 'El {method} para {event} de {uri} recibió {response} de {server}: no ofrece estado {event} para «{user}» (no es un usuario desconocido).',
          'no-event-state': 'El {method} para {event} de {uri} recibió {response} de {server}: no tiene estado {event} para «{user}»; no se sabe si el usuario existe.',
        },
        options: {},
        values: { ...GROUP_VALUES_ES, event: { unknown: 'desconocido' } },
      },
    },
  },
  needs: { statuses: [404] },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => status === 404 && EVENT_METHODS.has(method))) {
      const data = groupData(call, group);
      const user = uriOf(data.uri)?.user ?? '';
      // The Event header is in the request (RFC 6665 §8.2.1); a response whose request was not captured may echo it.
      const carrier = group.request !== null ? sipOf(call, group.request) : sipOf(call, group.responses[0]!);
      const event = eventPackage(headerValue(carrier, 'event'));
      context.report({ messageId: messageIdOf(event), data: { ...data, user, event: event ?? 'unknown' }, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
