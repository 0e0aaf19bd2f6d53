import { captured, groupData, groupEvidence, responseGroups } from './lib/call.js';
import { retryAfterSeconds } from '../../parse/sip/header-values.js';
import { defineCatalogRule } from './lib/define.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';

const MESSAGE_ID: Readonly<Record<number, string>> = {
  480: 'temporarily-unavailable',
  486: 'busy-here',
  600: 'busy-everywhere',
  603: 'declined',
  607: 'unwanted',
  608: 'rejected',
};

/** The callee (or something acting for them) did not take the call. */
export const calleeUnavailable = defineCatalogRule({
  meta: {
    id: 'callee-unavailable',
    severity: 'warning',
    messageSeverity: { 'busy-here': 'info', 'busy-everywhere': 'info', declined: 'info' },
    description: 'The callee did not take the call: 480 Temporarily Unavailable, 486 Busy Here, 600 Busy Everywhere, 603 Decline, 607 Unwanted or 608 Rejected.',
    evidence: 'The request and its final response (each hop that forwarded it).',
    explanation:
      '{server} answered {response} for {uri}. 480: the callee is known but cannot be reached now (not registered, do-not-disturb, no device answered, or a gateway without a free channel). 486/600: the callee is busy. 603: the callee or their device declined. 607: the callee marked the call as unwanted. 608: an intermediary (call analytics, robocall filtering) rejected the call.',
    fix: 'For 480, check the callee\'s registration and reachability on {server} and any Retry-After; 486/600/603 are decisions of the callee and need no fix unless unexpected (check do-not-disturb, call limits per device, busy-on-busy); for 607/608, the caller\'s number is being blocked or flagged: check caller ID attestation (STIR/SHAKEN) and reputation, and any Call-Info or Reason in the response.',
    rfc: 'RFC 3261 §21.4.18 (480), §21.4.24 (486), §21.6.1 (600), §21.6.2 (603); RFC 8197 (607); RFC 8688 (608)',
    messages: {
      'temporarily-unavailable': '{method} for {uri} was answered {response} by {server}: the callee cannot be reached right now.',
      'busy-here': '{method} for {uri} was answered {response} by {server}: the callee is busy.',
      'busy-everywhere': '{method} for {uri} was answered {response} by {server}: the callee is busy on every device.',
      declined: '{method} for {uri} was answered {response} by {server}: the callee declined the call.',
      unwanted: '{method} for {uri} was answered {response} by {server}: the callee marked this call as unwanted.',
      rejected: '{method} for {uri} was answered {response} by {server}: an intermediary rejected the call.',
    },
    options: {},
    translations: {
      es: {
        description: 'El llamado no aceptó la llamada: 480 Temporarily Unavailable, 486 Busy Here, 600 Busy Everywhere, 603 Decline, 607 Unwanted o 608 Rejected.',
        evidence: 'La petición y su respuesta final (en cada salto que la reenvió).',
        explanation:
          '{server} respondió {response} para {uri}. 480: el llamado es conocido, pero ahora no se le puede localizar (no registrado, en modo no molestar, ningún dispositivo contestó, o un gateway sin canal libre). 486/600: el llamado está ocupado. 603: el llamado o su dispositivo rechazó la llamada. 607: el llamado marcó la llamada como no deseada. 608: un intermediario (análisis de llamadas, filtrado de llamadas automáticas) rechazó la llamada.',
        fix: 'Para el 480, revisa el registro y la disponibilidad del llamado en {server} y cualquier Retry-After; 486/600/603 son decisiones del llamado y no requieren corrección salvo que sean inesperadas (revisa el modo no molestar, los límites de llamadas por dispositivo, busy-on-busy); para 607/608, el número del llamante está siendo bloqueado o marcado: revisa la atestación del identificador de llamante (STIR/SHAKEN) y su reputación, y cualquier Call-Info o Reason de la respuesta.',
        rfc: 'RFC 3261 §21.4.18 (480), §21.4.24 (486), §21.6.1 (600), §21.6.2 (603); RFC 8197 (607); RFC 8688 (608)',
        messages: {
          'temporarily-unavailable': 'El {method} para {uri} recibió {response} de {server}: ahora mismo no se puede localizar al llamado.',
          'busy-here': 'El {method} para {uri} recibió {response} de {server}: el llamado está ocupado.',
          'busy-everywhere': 'El {method} para {uri} recibió {response} de {server}: el llamado está ocupado en todos sus dispositivos.',
          declined: 'El {method} para {uri} recibió {response} de {server}: el llamado rechazó la llamada.',
          unwanted: 'El {method} para {uri} recibió {response} de {server}: el llamado marcó esta llamada como no deseada.',
          rejected: 'El {method} para {uri} recibió {response} de {server}: un intermediario rechazó la llamada.',
        },
        options: {},
        values: GROUP_VALUES_ES,
      },
    },
  },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => MESSAGE_ID[status] !== undefined && ownsMethod(method))) {
      const retryAfter = retryAfterSeconds(captured(call, group.responses[0]!).message);
      const data = { ...groupData(call, group), retryAfter: retryAfter ?? 'none' };
      context.report({ messageId: MESSAGE_ID[group.status]!, data, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
