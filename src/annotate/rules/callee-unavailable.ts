import type { Call } from '../../parse/dialog/types.js';
import { captured, groupData, groupEvidence, responseGroups, statusOf, type ResponseGroup } from './lib/call.js';
import { reasonsOf, retryAfterSeconds, warningsOf } from '../../parse/sip/header-values.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { defineRule } from './types.js';

const MESSAGE_ID: Readonly<Record<number, string>> = {
  480: 'temporarily-unavailable',
  486: 'busy-here',
  600: 'busy-everywhere',
  603: 'declined',
  607: 'unwanted',
  608: 'rejected',
};

/** Q.850 causes that say the callee was alerted and did not answer (18 no user responding, 19 no answer from user). */
const NO_ANSWER_CAUSES: ReadonlySet<number> = new Set([18, 19]);

/** The Q.850 cause of a response's Reason header (RFC 3326), or null. */
function q850Cause(call: Call, index: number): number | null {
  // A loop, not `find` with a closure: asked of every response this rule reports on.
  const reasons = reasonsOf(captured(call, index).message);
  for (let k = 0; k < reasons.length; k++) {
    const r = reasons[k]!;
    if (r.cause !== null && r.protocol.toUpperCase() === 'Q.850') return r.cause;
  }
  return null;
}

/** True when the request of the group got a ringing response (180 or 183) before its final response, on any hop. */
function rang(call: Call, group: ResponseGroup): boolean {
  return group.tx.responses.some((i) => i < group.responses[0]! && (statusOf(call, i) === 180 || statusOf(call, i) === 183));
}

/**
 * The message id of a 480: to a REGISTER it is the registrar that cannot route or resolve
 * something (RFC 3261 §10.3 leaves the registrar's failures to the Warning); after ringing, or
 * with Q.850 cause 18/19, nobody answered (a normal outcome); otherwise the callee cannot be reached.
 */
function unavailableId(call: Call, group: ResponseGroup, cause: number | null): string {
  if (group.method === 'REGISTER') return 'registrar-unavailable';
  if ((cause !== null && NO_ANSWER_CAUSES.has(cause)) || rang(call, group)) return 'no-answer';
  return 'temporarily-unavailable';
}

/** The callee (or something acting for them) did not take the call. */
export const calleeUnavailable = defineRule({
  meta: {
    id: 'callee-unavailable',
    severity: 'warning',
    messageSeverity: { 'busy-here': 'info', 'busy-everywhere': 'info', declined: 'info', 'no-answer': 'info' },
    description: 'The callee did not take the call: 480 Temporarily Unavailable, 486 Busy Here, 600 Busy Everywhere, 603 Decline, 607 Unwanted or 608 Rejected.',
    evidence: 'The request and its final response (each hop that forwarded it).',
    explanation:
      '{server} answered {response} for {uri}. 480: the callee is known but cannot be reached now (not registered, do-not-disturb, no device answered, or a gateway without a free channel); after 180 Ringing, or with Q.850 cause 18 or 19 in a Reason header, it means the callee was alerted and nobody answered (a ring timeout), not that the callee is unregistered; to a REGISTER it is the registrar that could not route or resolve something (the Warning says what). 486/600: the callee is busy. 603: the callee or their device declined. 607: the callee marked the call as unwanted. 608: an intermediary (call analytics, robocall filtering) rejected the call.',
    fix: 'For 480, check the callee\'s registration and reachability on {server} and any Retry-After (after ringing, only the ring timeout or forwarding on no answer, if the call should have been answered elsewhere; to a REGISTER, the registrar\'s DNS and routing named by its Warning); 486/600/603 are decisions of the callee and need no fix unless unexpected (check do-not-disturb, call limits per device, busy-on-busy); for 607/608, the caller\'s number is being blocked or flagged: check caller ID attestation (STIR/SHAKEN) and reputation, and any Call-Info or Reason in the response.',
    rfc: 'RFC 3261 §21.4.18 (480), §21.4.24 (486), §21.6.1 (600), §21.6.2 (603); RFC 3326 (Reason with Q.850 causes); RFC 8197 (607); RFC 8688 (608)',
    messages: {
      'temporarily-unavailable': '{method} for {uri} was answered {response} by {server}: the callee cannot be reached right now.',
      'no-answer': '{method} for {uri} was answered {response} by {server} after the callee was alerted (Q.850 cause {cause}): nobody answered.',
      'registrar-unavailable': 'REGISTER for {uri} was answered {response} by {server}: the registrar could not complete the registration (Warning: {warning}).',
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
          '{server} respondió {response} para {uri}. 480: el llamado es conocido, pero ahora no se le puede localizar (no registrado, en modo no molestar, ningún dispositivo contestó, o un gateway sin canal libre); después de un 180 Ringing, o con la causa Q.850 18 o 19 en un encabezado Reason, significa que se avisó al llamado y nadie contestó (vencimiento del tiempo de timbre), no que no esté registrado; a un REGISTER, es el registrador el que no pudo encaminar o resolver algo (el Warning dice qué). 486/600: el llamado está ocupado. 603: el llamado o su dispositivo rechazó la llamada. 607: el llamado marcó la llamada como no deseada. 608: un intermediario (análisis de llamadas, filtrado de llamadas automáticas) rechazó la llamada.',
        fix: 'Para el 480, revisa el registro y la disponibilidad del llamado en {server} y cualquier Retry-After (tras el timbre, solo el tiempo de timbre o el desvío por no contestar, si la llamada debía contestarse en otro sitio; a un REGISTER, el DNS y el encaminamiento del registrador que nombra su Warning); 486/600/603 son decisiones del llamado y no requieren corrección salvo que sean inesperadas (revisa el modo no molestar, los límites de llamadas por dispositivo, busy-on-busy); para 607/608, el número del llamante está siendo bloqueado o marcado: revisa la atestación del identificador de llamante (STIR/SHAKEN) y su reputación, y cualquier Call-Info o Reason de la respuesta.',
        rfc: 'RFC 3261 §21.4.18 (480), §21.4.24 (486), §21.6.1 (600), §21.6.2 (603); RFC 3326 (Reason con causas Q.850); RFC 8197 (607); RFC 8688 (608)',
        messages: {
          'temporarily-unavailable': 'El {method} para {uri} recibió {response} de {server}: ahora mismo no se puede localizar al llamado.',
          'no-answer': 'El {method} para {uri} recibió {response} de {server} después de que se avisara al llamado (causa Q.850 {cause}): nadie contestó.',
          'registrar-unavailable': 'El REGISTER para {uri} recibió {response} de {server}: el registrador no pudo completar el registro (Warning: {warning}).',
          'busy-here': 'El {method} para {uri} recibió {response} de {server}: el llamado está ocupado.',
          'busy-everywhere': 'El {method} para {uri} recibió {response} de {server}: el llamado está ocupado en todos sus dispositivos.',
          declined: 'El {method} para {uri} recibió {response} de {server}: el llamado rechazó la llamada.',
          unwanted: 'El {method} para {uri} recibió {response} de {server}: el llamado marcó esta llamada como no deseada.',
          rejected: 'El {method} para {uri} recibió {response} de {server}: un intermediario rechazó la llamada.',
        },
        options: {},
        values: { ...GROUP_VALUES_ES, cause: { none: 'ninguna' }, warning: { none: 'ninguno' } },
      },
    },
  },
  needs: { statuses: [480, 486, 600, 603, 607, 608] },
  check(call, context) {
    for (const group of responseGroups(call, isUnavailable)) {
      const retryAfter = retryAfterSeconds(captured(call, group.responses[0]!).message);
      const cause = q850Cause(call, group.responses[0]!);
      const warning = warningsOf(captured(call, group.responses[0]!).message)[0];
      const data = { ...groupData(call, group), retryAfter: retryAfter ?? 'none', cause: cause ?? 'none', warning: warning === undefined ? 'none' : warning.raw };
      const messageId = group.status === 480 ? unavailableId(call, group, cause) : MESSAGE_ID[group.status]!;
      context.report({ messageId, data, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});

/** The responses this rule groups (a module constant, not a closure made per call). */
const isUnavailable = (status: number, method: string): boolean => MESSAGE_ID[status] !== undefined && ownsMethod(method);
