import { groupData, groupEvidence, responseGroups, sipOf, uriOf } from './lib/call.js';
import { headerValue } from '../../parse/sip/header-values.js';
import { defineCatalogRule } from './lib/define.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';

const MESSAGE_ID: Readonly<Record<number, string>> = { 404: 'not-found', 604: 'nowhere', 484: 'incomplete' };

/** Methods whose 404 is about the event package of their Event header (RFC 6665, RFC 3903), not the user. */
const EVENT_METHODS: ReadonlySet<string> = new Set(['SUBSCRIBE', 'PUBLISH']);

/** The event package of a SUBSCRIBE or PUBLISH (RFC 6665 §8.2.1: the Event header's token), lower case; null when unreadable. */
function eventPackage(value: string | null): string | null {
  if (value === null) return null;
  const name = value.split(';')[0]!.trim().toLowerCase();
  return name === '' ? null : name;
}

/** The message id of a 404 to SUBSCRIBE/PUBLISH, by event package. */
function eventMessageId(event: string | null): string {
  if (event === 'message-summary') return 'no-mailbox';
  if (event === 'presence' || event === 'presence.winfo' || event === 'dialog') return 'no-presence';
  return 'no-event-state';
}

/** 404 Not Found, 604 Does Not Exist Anywhere, 484 Address Incomplete: the target does not resolve. */
export const notFound = defineCatalogRule({
  meta: {
    id: 'not-found',
    severity: 'warning',
    messageSeverity: { 'no-mailbox': 'info', 'no-presence': 'info', 'no-event-state': 'info' },
    description: 'A request was answered 404 Not Found, 604 Does Not Exist Anywhere or 484 Address Incomplete: the dialled target does not resolve (for SUBSCRIBE and PUBLISH: the event package has nothing for that resource).',
    evidence: 'The request and its 404/604/484 response (each hop that forwarded it).',
    explanation:
      '{server} could not find "{user}" in {uri}. 404: the user is unknown in this domain (a typo, a number missing from the dial plan, a format the server does not expect such as missing country code or a leading +, or a user that is not provisioned). 604: the server knows the user does not exist anywhere. 484: the number is too short for the dial plan (overlap dialling sent it before all digits were in). A 404 to SUBSCRIBE or PUBLISH is read with the event package of its Event header: the notifier has no state of that package for the resource (message-summary: no voicemail box for the user; presence or dialog: no presence source for the user, such as an Asterisk extension without a hint); the user may well exist and take calls.',
    fix: 'Compare "{user}" in {uri} with what {server} expects: number format (E.164 with +, national, with or without prefix), domain, and the dial plan or routing table; for 484, configure the phone to wait for the full number (digit map, "#" to send) or fix the dial plan\'s expected length.',
    fixes: {
      'no-mailbox': 'If "{user}" should have voicemail, create its mailbox on {server} (Asterisk: mailbox= on the peer or endpoint); if not, turn off the voicemail subscription (MWI, message waiting) on the phone so that it stops asking.',
      'no-presence': 'If the phone should show the state of "{user}" (busy lamp, presence), give that user a presence source on {server} (Asterisk: a hint for the extension in the dialplan); if not, remove "{user}" from the phone\'s buddy list or BLF keys.',
      'no-event-state': 'Check whether {server} offers the {event} event package for "{user}"; if it does not, turn off that subscription on the subscriber.',
    },
    rfc: 'RFC 3261 §21.4.5 (404), §21.6.3 (604), §21.4.22 (484); RFC 6665 §4.2.1.1 (SUBSCRIBE)',
    messages: {
      'not-found': '{method} for {uri} was answered {response} by {server}: "{user}" is unknown there.',
      nowhere: '{method} for {uri} was answered {response} by {server}: "{user}" does not exist anywhere.',
      incomplete: '{method} for {uri} was answered {response} by {server}: the number "{user}" is incomplete.',
      'no-mailbox': '{method} for message-summary of {uri} was answered {response} by {server}: it has no voicemail box for "{user}" (not an unknown user).',
      'no-presence': '{method} for {event} of {uri} was answered {response} by {server}: it offers no {event} state for "{user}" (not an unknown user).',
      'no-event-state': '{method} for {event} of {uri} was answered {response} by {server}: it has no {event} state for "{user}"; whether the user exists is unresolved.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una petición recibió 404 Not Found, 604 Does Not Exist Anywhere o 484 Address Incomplete: el destino marcado no se resuelve.',
        evidence: 'La petición y su respuesta 404/604/484 (en cada salto que la reenvió).',
        explanation:
          '{server} no encontró «{user}» en {uri}. 404: el usuario es desconocido en este dominio (una errata, un número que falta en el plan de marcación, un formato que el servidor no espera, como la falta del código de país o de un + inicial, o un usuario no dado de alta). 604: el servidor sabe que el usuario no existe en ningún sitio. 484: el número es demasiado corto para el plan de marcación (la marcación con solapamiento lo envió antes de tener todas las cifras). Un 404 a SUBSCRIBE o PUBLISH se lee con el paquete de eventos de su encabezado Event: el notificador no tiene estado de ese paquete para el recurso (message-summary: no hay buzón de voz para el usuario; presence o dialog: no hay fuente de presencia para el usuario, como una extensión de Asterisk sin hint); el usuario puede existir y recibir llamadas.',
        fix: 'Compara «{user}» en {uri} con lo que espera {server}: el formato del número (E.164 con +, nacional, con o sin prefijo), el dominio, y el plan de marcación o la tabla de enrutamiento; para el 484, configura el teléfono para que espere al número completo (digit map, «#» para enviar) o corrige la longitud que espera el plan de marcación.',
        fixes: {
          'no-mailbox': 'Si «{user}» debe tener buzón de voz, créalo en {server} (Asterisk: mailbox= en el peer o el endpoint); si no, desactiva en el teléfono la suscripción al buzón (MWI, mensaje en espera) para que deje de pedirla.',
          'no-presence': 'Si el teléfono debe mostrar el estado de «{user}» (piloto de ocupado, presencia), da a ese usuario una fuente de presencia en {server} (Asterisk: un hint para la extensión en el plan de marcación); si no, quita «{user}» de la lista de contactos o de las teclas BLF del teléfono.',
          'no-event-state': 'Comprueba si {server} ofrece el paquete de eventos {event} para «{user}»; si no lo ofrece, desactiva esa suscripción en el suscriptor.',
        },
        rfc: 'RFC 3261 §21.4.5 (404), §21.6.3 (604), §21.4.22 (484); RFC 6665 §4.2.1.1 (SUBSCRIBE)',
        messages: {
          'not-found': 'El {method} para {uri} recibió {response} de {server}: «{user}» es desconocido allí.',
          nowhere: 'El {method} para {uri} recibió {response} de {server}: «{user}» no existe en ningún sitio.',
          incomplete: 'El {method} para {uri} recibió {response} de {server}: el número «{user}» está incompleto.',
          'no-mailbox': 'El {method} para message-summary de {uri} recibió {response} de {server}: no tiene buzón de voz para «{user}» (no es un usuario desconocido).',
          'no-presence': 'El {method} para {event} de {uri} recibió {response} de {server}: no ofrece estado {event} para «{user}» (no es un usuario desconocido).',
          'no-event-state': 'El {method} para {event} de {uri} recibió {response} de {server}: no tiene estado {event} para «{user}»; no se sabe si el usuario existe.',
        },
        options: {},
        values: { ...GROUP_VALUES_ES, event: { unknown: 'desconocido' } },
      },
    },
  },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => MESSAGE_ID[status] !== undefined && ownsMethod(method))) {
      const data = groupData(call, group);
      const user = uriOf(data.uri)?.user ?? '';
      const evidence = { messages: groupEvidence(group), anchor: group.responses[0]! };
      if (group.status === 404 && EVENT_METHODS.has(group.method)) {
        // The Event header is in the request (RFC 6665 §8.2.1); a response may echo it.
        const carrier = group.request !== null ? sipOf(call, group.request) : sipOf(call, group.responses[0]!);
        const event = eventPackage(headerValue(carrier, 'event'));
        context.report({ messageId: eventMessageId(event), data: { ...data, user, event: event ?? 'unknown' }, ...evidence });
        continue;
      }
      context.report({ messageId: MESSAGE_ID[group.status]!, data: { ...data, user }, ...evidence });
    }
  },
});
