import type { Call } from '../../parse/dialog/types.js';
import { captured, groupData, groupEvidence, responseGroups, statusOf, type ResponseGroup } from './lib/call.js';
import { reasonsOf, retryAfterSeconds, warningsOf } from '../../parse/sip/header-values.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { meaningsEs, q850Meaning } from './lib/q850.js';
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
 * Q.850 causes a 480 may carry without saying more than the 480 itself: 16 normal call clearing and
 * 31 normal, unspecified (gateways put them on everything), 20 subscriber absent (the 480's own meaning).
 */
const UNAVAILABLE_CAUSES: ReadonlySet<number> = new Set([16, 20, 31]);

/** Q.850 causes that are a refusal, not a failure (17 user busy, 21 call rejected): reported as info. */
const DECISION_CAUSES: ReadonlySet<number> = new Set([17, 21]);

/**
 * The message id of a 480: to a REGISTER it is the registrar that cannot route or resolve
 * something (RFC 3261 §10.3 leaves the registrar's failures to the Warning); with Q.850 cause
 * 18/19 nobody answered (a normal outcome); with a cause that says more than the 480 (21 call
 * rejected, 17 user busy, 38 network out of order...), that cause is why (RFC 3326): a 480 with
 * cause 21 right after a 183 is a refusal, neither "nobody answered" nor "cannot be reached";
 * after ringing, nobody answered; otherwise the callee cannot be reached.
 */
function unavailableId(call: Call, group: ResponseGroup, cause: number | null): string {
  if (group.method === 'REGISTER') return 'registrar-unavailable';
  if (cause !== null && NO_ANSWER_CAUSES.has(cause)) return 'no-answer';
  if (cause !== null && !UNAVAILABLE_CAUSES.has(cause)) return 'other-cause';
  if (rang(call, group)) return 'no-answer';
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
    explanations: {
      'temporarily-unavailable':
        '{server} answered {response} for {uri}: the callee is known but cannot be reached now (RFC 3261 §21.4.18): not registered, do-not-disturb, every device refused or failed, or a gateway without a free channel. Nothing in the call says it rang first (no 180 Ringing, no Reason with Q.850 cause 18 or 19), so it is not a ring timeout.',
      'no-answer':
        '{server} answered {response} for {uri} after the callee was alerted (a 180 Ringing came first, or a Reason header gives Q.850 cause 18 or 19: no user responding, no answer): the phone rang and nobody picked up until the ring timer of the callee\'s device or server ran out. It does not mean that the callee is unregistered.',
      'other-cause':
        '{server} answered {response} for {uri}, and its Reason header gives Q.850 cause {cause}, {meaning} (RFC 3326): the sender\'s own, more precise account of why the call failed. The 480 says only that the callee cannot be reached now; the cause says why. Cause 21 (call rejected) or 17 (user busy) is a refusal by the callee, their device or a network element, which an announcement in an earlier 183 may also have said; other causes name a failure on the way. It is not a ring timeout, which would be cause 18 or 19.',
      'registrar-unavailable':
        '{server} answered {response} to a REGISTER for {uri}: the registrar itself could not complete the registration now, usually because something it needs (a database, an upstream registrar, a DNS name) did not answer; its Warning header, when it has one, says what (here: {warning}).',
      'busy-here':
        '{server} answered {response} for {uri}: the callee\'s device is busy (RFC 3261 §21.4.24), on another call or at its limit of calls; another device of the same user might still take it. A decision of the callee\'s side, not a fault.',
      'busy-everywhere':
        '{server} answered {response} for {uri}: the callee is busy and no other device of theirs will take the call (RFC 3261 §21.6.1). A decision of the callee\'s side, not a fault.',
      declined:
        '{server} answered {response} for {uri}: the callee, or their device or service acting for them (do-not-disturb, call screening, a reject button), declined the call (RFC 3261 §21.6.2). A decision, not a fault.',
      unwanted:
        '{server} answered {response} for {uri}: the callee marked this call as unwanted (RFC 8197), a signal that service providers may use to block or flag the caller\'s later calls.',
      rejected:
        '{server} answered {response} for {uri}: not the callee but an intermediary rejected the call (RFC 8688), typically call analytics or robocall filtering at a carrier that judged the caller\'s number or its attestation; a Call-Info or Reason in the response may say who and how to appeal.',
    },
    fix: 'For 480, check the callee\'s registration and reachability on {server} and any Retry-After (after ringing, only the ring timeout or forwarding on no answer, if the call should have been answered elsewhere; to a REGISTER, the registrar\'s DNS and routing named by its Warning); 486/600/603 are decisions of the callee and need no fix unless unexpected (check do-not-disturb, call limits per device, busy-on-busy); for 607/608, the caller\'s number is being blocked or flagged: check caller ID attestation (STIR/SHAKEN) and reputation, and any Call-Info or Reason in the response.',
    fixes: {
      'temporarily-unavailable':
        'Check on {server} that the callee is registered and reachable (their contacts, do-not-disturb, forwarding rules, the gateway\'s free channels) and honour any Retry-After of the response before calling again.',
      'no-answer':
        'Nothing to fix unless the call should have been answered elsewhere: then check the ring timeout and forwarding on no answer (to voicemail, a hunt group) on {server}.',
      'other-cause':
        'For cause 21 or 17, nothing to fix unless the refusal was unexpected: find who refused (the callee, their device\'s call screening or busy limit, or a network element behind {server}; an announcement in an earlier 183 may say). For another cause, follow it to the element that gave it (the Reason\'s text, the gateway or carrier behind {server}).',
      'registrar-unavailable':
        'Look on the registrar {server} at what its Warning names (here: {warning}): the database, upstream registrar or DNS it could not reach; the user agent retries after any Retry-After of the response.',
      'busy-here':
        'Nothing to fix unless the busy was unexpected: check do-not-disturb, the calls allowed per device, call waiting, and busy-on-busy settings for {uri}.',
      'busy-everywhere':
        'Nothing to fix unless the busy was unexpected: check do-not-disturb and the calls allowed per user for {uri}.',
      declined: 'Nothing to fix unless the decline was unexpected: check do-not-disturb, call screening or blocked-caller lists for {uri}.',
      unwanted: 'The caller\'s number is being blocked or flagged: check its caller ID attestation (STIR/SHAKEN) and reputation with the terminating carrier, and the call patterns that made the callee mark it.',
      rejected: 'The caller\'s number is being blocked or flagged by an intermediary: check its caller ID attestation (STIR/SHAKEN) and reputation, and follow the Call-Info or Reason of the response to the analytics provider\'s redress process.',
    },
    rfc: 'RFC 3261 §21.4.18 (480), §21.4.24 (486), §21.6.1 (600), §21.6.2 (603); RFC 3326 (Reason with Q.850 causes); RFC 8197 (607); RFC 8688 (608)',
    messages: {
      'temporarily-unavailable': '{method} for {uri} was answered {response} by {server}: the callee cannot be reached right now.',
      'no-answer': '{method} for {uri} was answered {response} by {server} after the callee was alerted (Q.850 cause {cause}): nobody answered.',
      'other-cause': '{method} for {uri} was answered {response} by {server}, whose Reason gives why: Q.850 cause {cause}, {meaning}.',
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
        explanations: {
          'temporarily-unavailable':
            '{server} respondió {response} para {uri}: el llamado es conocido, pero ahora no se le puede localizar (RFC 3261 §21.4.18): no registrado, en modo no molestar, todos sus dispositivos rechazaron o fallaron, o un gateway sin canal libre. Nada en la llamada dice que sonara antes (ningún 180 Ringing, ningún Reason con la causa Q.850 18 o 19), así que no es un vencimiento del tiempo de timbre.',
          'no-answer':
            '{server} respondió {response} para {uri} después de que se avisara al llamado (llegó antes un 180 Ringing, o un encabezado Reason da la causa Q.850 18 o 19: usuario que no responde, sin respuesta): el teléfono sonó y nadie contestó hasta que venció el tiempo de timbre del dispositivo o del servidor del llamado. No significa que el llamado no esté registrado.',
          'other-cause':
            '{server} respondió {response} para {uri}, y su encabezado Reason da la causa Q.850 {cause}, {meaning} (RFC 3326): la explicación del propio remitente, más precisa, de por qué falló la llamada. El 480 solo dice que ahora no se puede localizar al llamado; la causa dice por qué. La causa 21 (llamada rechazada) o 17 (usuario ocupado) es un rechazo del llamado, de su dispositivo o de un equipo de la red, que una locución en un 183 anterior puede haber dicho también; otras causas nombran un fallo en el camino. No es un vencimiento del tiempo de timbre, que sería la causa 18 o 19.',
          'registrar-unavailable':
            '{server} respondió {response} a un REGISTER para {uri}: el propio registrador no pudo completar ahora el registro, normalmente porque algo que necesita (una base de datos, un registrador superior, un nombre DNS) no respondió; su encabezado Warning, si lo lleva, dice qué (aquí: {warning}).',
          'busy-here':
            '{server} respondió {response} para {uri}: el dispositivo del llamado está ocupado (RFC 3261 §21.4.24), en otra llamada o en su límite de llamadas; otro dispositivo del mismo usuario aún podría atenderla. Es una decisión del lado del llamado, no una avería.',
          'busy-everywhere':
            '{server} respondió {response} para {uri}: el llamado está ocupado y ningún otro dispositivo suyo atenderá la llamada (RFC 3261 §21.6.1). Es una decisión del lado del llamado, no una avería.',
          declined:
            '{server} respondió {response} para {uri}: el llamado, o su dispositivo o un servicio en su nombre (no molestar, filtrado de llamadas, un botón de rechazo), rechazó la llamada (RFC 3261 §21.6.2). Es una decisión, no una avería.',
          unwanted:
            '{server} respondió {response} para {uri}: el llamado marcó esta llamada como no deseada (RFC 8197), una señal que los operadores pueden usar para bloquear o marcar las siguientes llamadas del llamante.',
          rejected:
            '{server} respondió {response} para {uri}: no el llamado sino un intermediario rechazó la llamada (RFC 8688), normalmente el análisis de llamadas o el filtrado de llamadas automáticas de un operador que juzgó el número del llamante o su atestación; un Call-Info o un Reason en la respuesta puede decir quién y cómo reclamar.',
        },
        fix: 'Para el 480, revisa el registro y la disponibilidad del llamado en {server} y cualquier Retry-After (tras el timbre, solo el tiempo de timbre o el desvío por no contestar, si la llamada debía contestarse en otro sitio; a un REGISTER, el DNS y el encaminamiento del registrador que nombra su Warning); 486/600/603 son decisiones del llamado y no requieren corrección salvo que sean inesperadas (revisa el modo no molestar, los límites de llamadas por dispositivo, busy-on-busy); para 607/608, el número del llamante está siendo bloqueado o marcado: revisa la atestación del identificador de llamante (STIR/SHAKEN) y su reputación, y cualquier Call-Info o Reason de la respuesta.',
        fixes: {
          'temporarily-unavailable':
            'Comprueba en {server} que el llamado está registrado y localizable (sus contactos, el modo no molestar, las reglas de desvío, los canales libres del gateway) y respeta cualquier Retry-After de la respuesta antes de volver a llamar.',
          'no-answer':
            'Nada que corregir salvo que la llamada debiera haberse contestado en otro sitio: entonces revisa en {server} el tiempo de timbre y el desvío por no contestar (al buzón de voz, a un grupo de salto).',
          'other-cause':
            'Para la causa 21 o 17, nada que corregir salvo que el rechazo fuera inesperado: averigua quién rechazó (el llamado, el filtrado de llamadas o el límite de ocupado de su dispositivo, o un equipo de la red tras {server}; una locución en un 183 anterior puede decirlo). Para otra causa, síguela hasta el equipo que la dio (el texto del Reason, el gateway o el operador tras {server}).',
          'registrar-unavailable':
            'Mira en el registrador {server} lo que nombra su Warning (aquí: {warning}): la base de datos, el registrador superior o el DNS al que no pudo llegar; el agente de usuario reintenta tras cualquier Retry-After de la respuesta.',
          'busy-here':
            'Nada que corregir salvo que el ocupado fuera inesperado: revisa el modo no molestar, las llamadas permitidas por dispositivo, la llamada en espera y busy-on-busy para {uri}.',
          'busy-everywhere':
            'Nada que corregir salvo que el ocupado fuera inesperado: revisa el modo no molestar y las llamadas permitidas por usuario para {uri}.',
          declined: 'Nada que corregir salvo que el rechazo fuera inesperado: revisa el modo no molestar, el filtrado de llamadas o las listas de llamantes bloqueados para {uri}.',
          unwanted: 'El número del llamante está siendo bloqueado o marcado: revisa la atestación de su identificador de llamante (STIR/SHAKEN) y su reputación ante el operador de destino, y los patrones de llamada que llevaron al llamado a marcarla.',
          rejected: 'Un intermediario está bloqueando o marcando el número del llamante: revisa la atestación de su identificador de llamante (STIR/SHAKEN) y su reputación, y sigue el Call-Info o el Reason de la respuesta hasta el procedimiento de reclamación del proveedor de análisis.',
        },
        rfc: 'RFC 3261 §21.4.18 (480), §21.4.24 (486), §21.6.1 (600), §21.6.2 (603); RFC 3326 (Reason con causas Q.850); RFC 8197 (607); RFC 8688 (608)',
        messages: {
          'temporarily-unavailable': 'El {method} para {uri} recibió {response} de {server}: ahora mismo no se puede localizar al llamado.',
          'no-answer': 'El {method} para {uri} recibió {response} de {server} después de que se avisara al llamado (causa Q.850 {cause}): nadie contestó.',
          'other-cause': 'El {method} para {uri} recibió {response} de {server}, cuyo Reason dice por qué: la causa Q.850 {cause}, {meaning}.',
          'registrar-unavailable': 'El REGISTER para {uri} recibió {response} de {server}: el registrador no pudo completar el registro (Warning: {warning}).',
          'busy-here': 'El {method} para {uri} recibió {response} de {server}: el llamado está ocupado.',
          'busy-everywhere': 'El {method} para {uri} recibió {response} de {server}: el llamado está ocupado en todos sus dispositivos.',
          declined: 'El {method} para {uri} recibió {response} de {server}: el llamado rechazó la llamada.',
          unwanted: 'El {method} para {uri} recibió {response} de {server}: el llamado marcó esta llamada como no deseada.',
          rejected: 'El {method} para {uri} recibió {response} de {server}: un intermediario rechazó la llamada.',
        },
        options: {},
        values: { ...GROUP_VALUES_ES, cause: { none: 'ninguna' }, warning: { none: 'ninguno' }, meaning: meaningsEs() },
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
      if (messageId === 'other-cause') {
        // The cause's meaning goes with this message only: the others' data stays as it was.
        const severity = DECISION_CAUSES.has(cause!) ? ('info' as const) : undefined;
        context.report({ messageId, data: { ...data, meaning: q850Meaning(cause!) }, messages: groupEvidence(group), anchor: group.responses[0]!, ...(severity === undefined ? {} : { severity }) });
      } else context.report({ messageId, data, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});

/** The responses this rule groups (a module constant, not a closure made per call). */
const isUnavailable = (status: number, method: string): boolean => MESSAGE_ID[status] !== undefined && ownsMethod(method);
