import { headerValue } from '../../parse/sip/header-values.js';
import { captured, groupData, groupEvidence, responseGroups, sipOf } from './lib/call.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { eventPackage } from './subscription-not-found.js';
import { defineRule } from './types.js';

/** Methods whose body is event state or application data, never an SDP offer (RFC 6665, RFC 6086, RFC 3428, RFC 3903). */
const NON_SESSION_METHODS: ReadonlySet<string> = new Set(['NOTIFY', 'SUBSCRIBE', 'INFO', 'MESSAGE', 'PUBLISH']);

/** Methods that name an event package in their Event header. */
const EVENT_METHODS: ReadonlySet<string> = new Set(['SUBSCRIBE', 'NOTIFY', 'PUBLISH']);

/**
 * 489 Bad Event, and 415/488 to a request whose body is not a session description: what was
 * refused is the event package or the body type (DTMF in an INFO, a message-summary or dialog
 * body in a NOTIFY, a text in a MESSAGE), not an SDP offer. codec-mismatch reads 415/488 to
 * INVITE and UPDATE only.
 */
export const eventRefused = defineRule({
  meta: {
    id: 'event-refused',
    severity: 'warning',
    messageSeverity: { 'bad-event': 'info' },
    description: 'A SUBSCRIBE, NOTIFY or PUBLISH was answered 489 Bad Event (the event package is not supported), or a NOTIFY, SUBSCRIBE, INFO, MESSAGE or PUBLISH was answered 415 or 488 (its body type or content was refused, which is not an SDP offer).',
    evidence: 'The request (with its Event and Content-Type) and the refusing response (each hop that forwarded it).',
    explanation:
      'Only INVITE, UPDATE, PRACK and ACK carry session descriptions. {server} refused what {method} carries: with 489, the event package "{event}" of its Event header, which it does not support (phones subscribe to presence, dialog and message-summary on their own, whether the server offers them or not); with 415 or 488, its body ({contentType}): the type is not in the receiver\'s Accept list, or its content (a DTMF relay, a sipfrag, a message-summary) is not what the receiver expects. No codec is involved.',
    fix: 'For 489, turn off the {event} subscription on the subscriber, or enable that event package on {server} (its Allow-Events header lists what it offers: {allowEvents}). For 415/488, send a body type {server} accepts ({accept}): for DTMF, agree on RFC 4733 events or application/dtmf-relay on both sides; for NOTIFY, check that the event package and its body type match.',
    rfc: 'RFC 6665 §8.2.1 (Event) and 489 Bad Event; RFC 3261 §21.4.13 (415), §21.4.26 (488); RFC 6086 (INFO)',
    messages: {
      'bad-event': '{method} for {uri} with Event "{event}" was answered {response} by {server}: it does not support that event package.',
      'body-refused': '{method} for {uri} with a {contentType} body was answered {response} by {server}: it refused that body, not an SDP offer.',
    },
    options: {},
    translations: {
      es: {
        description: 'Un SUBSCRIBE, NOTIFY o PUBLISH recibió 489 Bad Event (no se admite el paquete de eventos), o un NOTIFY, SUBSCRIBE, INFO, MESSAGE o PUBLISH recibió 415 o 488 (se rechazó el tipo o el contenido de su cuerpo, que no es una oferta SDP).',
        evidence: 'La petición (con su Event y su Content-Type) y la respuesta que la rechaza (en cada salto que la reenvió).',
        explanation:
          'Solo INVITE, UPDATE, PRACK y ACK llevan descripciones de sesión. {server} rechazó lo que lleva el {method}: con 489, el paquete de eventos «{event}» de su encabezado Event, que no admite (los teléfonos se suscriben por su cuenta a presence, dialog y message-summary, lo ofrezca el servidor o no); con 415 o 488, su cuerpo ({contentType}): el tipo no está en la lista Accept del receptor, o su contenido (un relé de DTMF, un sipfrag, un message-summary) no es el que el receptor espera. No interviene ningún códec.',
        fix: 'Para el 489, desactiva la suscripción a {event} en el suscriptor, o habilita ese paquete de eventos en {server} (su encabezado Allow-Events lista lo que ofrece: {allowEvents}). Para 415/488, envía un tipo de cuerpo que {server} acepte ({accept}): para DTMF, acordad eventos RFC 4733 o application/dtmf-relay en ambos lados; para NOTIFY, comprueba que el paquete de eventos y el tipo de su cuerpo coinciden.',
        rfc: 'RFC 6665 §8.2.1 (Event) y 489 Bad Event; RFC 3261 §21.4.13 (415), §21.4.26 (488); RFC 6086 (INFO)',
        messages: {
          'bad-event': 'El {method} para {uri} con Event «{event}» recibió {response} de {server}: no admite ese paquete de eventos.',
          'body-refused': 'El {method} para {uri} con un cuerpo {contentType} recibió {response} de {server}: rechazó ese cuerpo, que no es una oferta SDP.',
        },
        options: {},
        values: { ...GROUP_VALUES_ES, event: { none: 'ninguno' }, contentType: { none: 'sin tipo' }, accept: { 'not given': 'no indicado' }, allowEvents: { 'not given': 'no indicado' } },
      },
    },
  },
  needs: { statuses: [489, 415, 488] },
  check(call, context) {
    const refused = (status: number, method: string): boolean => (status === 489 && EVENT_METHODS.has(method)) || ((status === 415 || status === 488) && NON_SESSION_METHODS.has(method));
    for (const group of responseGroups(call, refused)) {
      const request = group.request === null ? null : sipOf(call, group.request);
      const response = captured(call, group.responses[0]!).message;
      const data = {
        ...groupData(call, group),
        event: eventPackage(request === null ? null : headerValue(request, 'event')) ?? 'none',
        contentType: (request === null ? null : headerValue(request, 'content-type'))?.split(';')[0]!.trim().toLowerCase() || 'none',
        accept: headerValue(response, 'accept') ?? 'not given',
        allowEvents: headerValue(response, 'allow-events') ?? 'not given',
      };
      context.report({ messageId: group.status === 489 ? 'bad-event' : 'body-refused', data, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
