import { diffMs } from '../../time.js';
import type { Call } from '../../parse/dialog/types.js';
import type { Timestamp } from '../../types.js';
import { captured, firstFinal, groupData, groupEvidence, responseGroups, sameEndpoint, sipOf, statusLabel, statusOf } from './lib/call.js';
import { headerValue, leadingNumber, minSeOf, sessionExpiresOf } from '../../parse/sip/header-values.js';
import { ownsMethod } from './lib/owners.js';
import { METHOD_VALUES_ES } from './lib/es.js';
import { duration, endpoint, ref, type DataValue, defineRule } from './types.js';
import { HEADER_BIT, type SipMessage } from '../../parse/sip/types.js';

/** Failures of a refresh that other rules explain (glare, authentication, 422 itself). */
const NOT_A_REFRESH_FAILURE = new Set([401, 407, 422, 491]);

interface Session {
  seconds: number;
  /** The request the 2xx answered: its sender is the uac, its receiver the uas. */
  request: number;
  /** The 2xx that started or last refreshed the session timer. */
  since: number;
  time: Timestamp;
}

/**
 * Session timers (RFC 4028): a 422 Session Interval Too Small, a refresh (re-INVITE or UPDATE)
 * that fails or never comes, and a BYE sent when the session interval ran out.
 */
export const sessionTimer = defineRule<{ toleranceSeconds: number }>({
  meta: {
    id: 'session-timer',
    severity: 'error',
    messageSeverity: { 'interval-too-small': 'warning', 'interval-too-small-retried': 'info', 'refresh-missing': 'warning' },
    description: 'Session-timer trouble (RFC 4028): 422 Session Interval Too Small, a refresh that fails or never comes, or a BYE sent when the session expired.',
    evidence: 'The 422 and the retry; or the 2xx that set the session interval, the failed or missing refresh, and the BYE.',
    explanation:
      'With session timers the two sides agree on an interval (Session-Expires) and one of them, the refresher, sends a re-INVITE or UPDATE every half interval to prove the call is still alive. If no refresh succeeds, either side ends the call with BYE when the interval runs out (or up to 32 s before). Calls dropped at a fixed duration (often 15 or 30 minutes, or 90 s) are the typical symptom: the refresher did not refresh, its refresh was lost or refused, or a proxy or SBC in the middle did not pass it on. A 422 says the requested interval is below the server\'s Min-SE.',
    fix: 'Find the refresher (the "refresher" parameter of Session-Expires in the 2xx) and check that it sends its refresh at half the interval and that the refresh reaches the other side and gets a 2xx; if an SBC or B2BUA sits in the middle, check that both of its legs refresh. For 422, send Session-Expires at least as large as the Min-SE of the 422.',
    rfc: 'RFC 4028 §4, §6 (422), §7.2, §9 (refresh at half the interval), §10 (BYE at expiry)',
    messages: {
      'interval-too-small': '{method} asked for a session interval of {requested} s and {server} refused it with {response} (Min-SE {minSe} s); no retry with a larger interval followed.',
      'interval-too-small-retried': '{method} asked for a session interval of {requested} s; {server} answered {response} (Min-SE {minSe} s) and it was sent again with {retried} s.',
      'refresh-failed': 'The session refresh ({method}) was answered {response} by {server}: the session will expire {sessionExpires} s after {since} unless another refresh succeeds.',
      'bye-at-expiry': 'BYE from {sender} came {elapsed} after the last session refresh ({since}), just when the {sessionExpires} s session interval ran out: the call was ended by the session timer (refresher: {refresher}).',
      'refresh-missing': 'The session interval is {sessionExpires} s (refresher: {refresher}), but no refresh came in {elapsed} after {since}; one was due after {half} s.',
    },
    options: {
      toleranceSeconds: { default: 2, description: 'How close (seconds) a BYE must be to the session expiry (Session-Expires, or Session-Expires minus min(32 s, a third)) to count as sent by the session timer.' },
    },
    translations: {
      es: {
        description: 'Problemas con los temporizadores de sesión (RFC 4028): 422 Session Interval Too Small, un refresco que falla o que nunca llega, o un BYE enviado al caducar la sesión.',
        evidence: 'El 422 y el reintento; o el 2xx que fijó el intervalo de sesión, el refresco fallido o ausente, y el BYE.',
        explanation:
          'Con temporizadores de sesión, los dos lados acuerdan un intervalo (Session-Expires) y uno de ellos, el refresher, envía un re-INVITE o un UPDATE cada medio intervalo para demostrar que la llamada sigue viva. Si ningún refresco tiene éxito, cualquiera de los dos lados termina la llamada con BYE cuando se agota el intervalo (o hasta 32 s antes). Las llamadas que se cortan a una duración fija (a menudo 15 o 30 minutos, o 90 s) son el síntoma típico: el refresher no refrescó, su refresco se perdió o se rechazó, o un proxy o SBC intermedio no lo dejó pasar. Un 422 indica que el intervalo pedido está por debajo del Min-SE del servidor.',
        fix: 'Identifica el refresher (el parámetro «refresher» de Session-Expires en el 2xx) y comprueba que envía su refresco a la mitad del intervalo, que el refresco llega al otro lado y que recibe un 2xx; si hay un SBC o un B2BUA en medio, comprueba que refrescan los dos tramos. Para el 422, envía un Session-Expires al menos tan grande como el Min-SE del 422.',
        rfc: 'RFC 4028 §4, §6 (422), §7.2, §9 (refresco a la mitad del intervalo), §10 (BYE al caducar)',
        messages: {
          'interval-too-small':
            'El {method} pidió un intervalo de sesión de {requested} s y {server} lo rechazó con {response} (Min-SE {minSe} s); no siguió ningún reintento con un intervalo mayor.',
          'interval-too-small-retried': 'El {method} pidió un intervalo de sesión de {requested} s; {server} respondió {response} (Min-SE {minSe} s) y se volvió a enviar con {retried} s.',
          'refresh-failed': 'El refresco de sesión ({method}) recibió {response} de {server}: la sesión caducará {sessionExpires} s después de {since} salvo que otro refresco tenga éxito.',
          'bye-at-expiry':
            'El BYE de {sender} llegó {elapsed} después del último refresco de sesión ({since}), justo cuando se agotaba el intervalo de sesión de {sessionExpires} s: el temporizador de sesión terminó la llamada (refresher: {refresher}).',
          'refresh-missing': 'El intervalo de sesión es de {sessionExpires} s (refresher: {refresher}), pero no llegó ningún refresco en {elapsed} después de {since}; tocaba uno a los {half} s.',
        },
        options: {
          toleranceSeconds:
            'Lo cerca (en segundos) que debe estar un BYE de la caducidad de la sesión (Session-Expires, o Session-Expires menos min(32 s, un tercio)) para considerarse enviado por el temporizador de sesión.',
        },
        values: {
          method: METHOD_VALUES_ES,
          minSe: { none: 'ninguno' },
          requested: { none: 'ninguno' },
          refresher: { unknown: 'desconocido' },
        },
      },
    },
  },
  // A 422, or a session interval set by a 2xx's Session-Expires (refreshes and expiry are read from it).
  needs: { statuses: [422], headers: HEADER_BIT.sessionExpires },
  check(call, context) {
    const tolMs = context.options.toleranceSeconds * 1000;
    // 422 and what followed.
    const groups = responseGroups(call, isIntervalTooSmall);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const response = group.responses[0]!;
      const minSe = minSeOf(captured(call, response).message);
      const request = group.request === null ? null : captured(call, group.request);
      const requested = request === null ? null : sessionExpiresOf(request.message)?.seconds ?? null;
      const retry = request === null ? -1 : call.messages.findIndex((m, i) => i > response && !m.retransmission && m.captured.message.method === group.method && sameEndpoint(m.captured.src, request.src) && sessionExpiresOf(m.captured.message) !== null);
      const data: Record<string, DataValue> = { ...groupData(call, group), minSe: minSe ?? 'none', requested: requested ?? 'none' };
      if (retry >= 0) {
        data['retried'] = sessionExpiresOf(sipOf(call, retry))!.seconds;
        context.report({ messageId: 'interval-too-small-retried', data, messages: [...groupEvidence(group), retry], anchor: retry });
      } else {
        context.report({ messageId: 'interval-too-small', data, messages: groupEvidence(group), anchor: response });
      }
    }

    // The session interval as it is set and refreshed, message by message.
    let session: Session | null = null;
    for (let t = 0; t < call.transactions.length; t++) {
      const tx = call.transactions[t]!;
      if ((tx.method !== 'INVITE' && tx.method !== 'UPDATE') || tx.request === null) continue;
      const final = firstFinal(call, tx);
      if (final === null) continue;
      const status = statusOf(call, final);
      const request = captured(call, tx.request);
      if (status >= 200 && status < 300) {
        const seconds = sessionSeconds(sipOf(call, final));
        session = seconds === null ? null : { seconds, request: tx.request, since: final, time: captured(call, final).time };
      } else if (session !== null && request.message.toTag != null && sessionSeconds(request.message) !== null && !NOT_A_REFRESH_FAILURE.has(status)) {
        const r = captured(call, final);
        context.report({
          messageId: 'refresh-failed',
          data: { ...describe(call, session), method: tx.method, response: statusLabel(r.message), server: endpoint(r.src) },
          messages: [session.since, tx.request, final],
          anchor: final,
        });
      }
    }
    if (session === null) return;
    // Only the last session interval can still expire: look for a BYE after it, or the capture end.
    const last: Session = session;
    const bye = byeAfter(call, last.since);
    const end = bye >= 0 ? captured(call, bye).time : context.captureEnd;
    const elapsedMs = diffMs(last.time, end);
    const seMs = last.seconds * 1000;
    // RFC 4028 §10: a side ends the call at the expiry, or up to min(32 s, a third of the interval) before it.
    const atExpiry = bye >= 0 && (Math.abs(elapsedMs - seMs) <= tolMs || Math.abs(elapsedMs - (seMs - Math.min(32000, seMs / 3))) <= tolMs);
    // A refresh that was tried and failed is refresh-failed's, not missing.
    const missing =
      !atExpiry &&
      elapsedMs > seMs / 2 + tolMs &&
      !refreshedAfter(call, last.since);
    // Most calls end well inside their interval: their figures are not written out.
    if (!atExpiry && !missing) return;
    const data = { ...describe(call, last), elapsed: duration(elapsedMs), elapsedMs: Math.round(elapsedMs) };
    if (atExpiry) context.report({ messageId: 'bye-at-expiry', data: { ...data, sender: endpoint(captured(call, bye).src) }, messages: [last.since, bye], anchor: bye });
    else context.report({ messageId: 'refresh-missing', data, messages: bye >= 0 ? [last.since, bye] : [last.since], anchor: bye >= 0 ? bye : last.since });
  },
});

/** The responses this rule groups (a module constant, not a closure made per call). */
const isIntervalTooSmall = (status: number, method: string): boolean => status === 422 && ownsMethod(method);

/**
 * The seconds of a message's Session-Expires (RFC 4028 §4), or null: `sessionExpiresOf(msg)?.seconds`,
 * without reading its parameters. Most calls' 2xx carry one and report nothing: the refresher
 * (a parameter list read and lowered) is read only for a report, by `describe`.
 */
function sessionSeconds(msg: SipMessage): number | null {
  return leadingNumber(headerValue(msg, 'session-expires'));
}

/** A session interval's figures for a report: made only when one is told. */
function describe(call: Call, s: Session): Record<string, DataValue> {
  const request = captured(call, s.request);
  // The 2xx at `since` carries the Session-Expires the interval was read from (sessionSeconds).
  const refresher = sessionExpiresOf(sipOf(call, s.since))!.refresher;
  const refresherAt = refresher === 'uas' ? endpoint(request.dst) : refresher === 'uac' ? endpoint(request.src) : 'unknown';
  return { sessionExpires: s.seconds, refresher: refresherAt, since: ref(captured(call, s.since)), half: s.seconds / 2 };
}

/** The first BYE (not a retransmission) after message `since`, or -1. Loops, not closures made per call, here and below. */
function byeAfter(call: Call, since: number): number {
  const messages = call.messages;
  for (let i = since + 1; i < messages.length; i++) {
    const m = messages[i]!;
    if (!m.retransmission && m.captured.message.method === 'BYE') return i;
  }
  return -1;
}

/** Whether an in-dialog INVITE or UPDATE (not a retransmission) came after message `since`: a refresh was tried. */
function refreshedAfter(call: Call, since: number): boolean {
  const messages = call.messages;
  for (let i = since + 1; i < messages.length; i++) {
    const m = messages[i]!;
    const msg = m.captured.message;
    if (!m.retransmission && (msg.method === 'INVITE' || msg.method === 'UPDATE') && msg.toTag != null) return true;
  }
  return false;
}
