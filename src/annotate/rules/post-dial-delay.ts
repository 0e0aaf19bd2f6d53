import { diffMs } from '../../time.js';
import type { Call, Transaction } from '../../parse/dialog/types.js';
import { captured, firstFinal, isInitialRequest, sameEndpoint, statusLabel, statusOf } from './lib/call.js';
import { duration, endpoint, defineRule } from './types.js';

/**
 * Post-dial delay: from the caller's first INVITE to the first sign of progress it gets back
 * (18x, or the answer), and to the answer (2xx). Reported with the figures of the call when
 * longer than the thresholds. The time the caller itself took to send its INVITE again after a
 * 401/407 is its own, not the network's (RFC 6076 §4.3, §5.3 count authentication round trips, not a
 * phone asking its user for a password): the thresholds judge what is left.
 */
export const postDialDelay = defineRule<{ progressSeconds: number; answerSeconds: number }>({
  meta: {
    id: 'post-dial-delay',
    severity: 'warning',
    messageSeverity: { 'slow-answer': 'info', 'slow-credentials': 'info' },
    description: 'Long post-dial delay: the caller waited longer than the thresholds for the first 18x (default 5 s) or for the answer (default 30 s); the figures of the call are in the data.',
    evidence: 'The caller\'s first INVITE, the first 18x and the 2xx it got back.',
    explanation:
      'The caller heard nothing for {pdd} after dialling (first response other than 100 Trying: {firstProgress}). Long post-dial delay comes from routing that waits: DNS or ENUM lookups timing out, a first route or gateway that does not answer before the next one is tried (Timer B or a short failover timer), number portability or fraud checks, or authentication round trips. A long time to answer ({answer}) is often just the callee, but for automated destinations it points at the same causes.',
    fix: 'Look at what happens between the INVITE and the first 18x on the server that finally answers: retransmissions or timeouts towards a first choice route, slow DNS, database lookups. Shorten failover timers to dead routes, and make servers send 180/183 as soon as the callee is alerted.',
    fixes: {
      'slow-credentials':
        'Nothing to change in the network for this wait: find why {caller} sends its credentials only {callerWait} after the {challenge} (a phone asking its user for the password instead of storing it, or a client busy with something else, such as DNS lookups, before it answers).',
    },
    rfc: 'RFC 6076 §4.3 (post-dial delay), RFC 3261 §21.1',
    messages: {
      'slow-progress': 'The caller ({caller}) waited {pdd} after its first INVITE for {firstProgress} (threshold {threshold}).',
      'slow-answer': 'The call was answered {answer} after the caller\'s first INVITE (threshold {threshold}); the first progress came after {pdd}.',
      'slow-credentials':
        'The caller ({caller}) got {firstProgress} {pdd} after its first INVITE, but {callerWait} of it was the caller itself, sending its INVITE again only that long after the {challenge} challenge; the network took {networkPdd} (threshold {threshold}).',
    },
    options: {
      progressSeconds: { default: 5, description: 'Longest acceptable time (s) from the first INVITE to the first 18x (or to the answer when there is no 18x).' },
      answerSeconds: { default: 30, description: 'Longest acceptable time (s) from the first INVITE to the 2xx answer.' },
    },
    translations: {
      es: {
        description: 'Retardo posmarcación largo: el llamante esperó más que los umbrales hasta el primer 18x (5 s por defecto) o hasta la respuesta (30 s por defecto); las cifras de la llamada están en los datos.',
        evidence: 'El primer INVITE del llamante, y el primer 18x y el 2xx que recibió.',
        explanation:
          'El llamante no oyó nada durante {pdd} después de marcar (primera respuesta distinta de 100 Trying: {firstProgress}). Un retardo posmarcación largo se debe a un enrutamiento que espera: consultas DNS o ENUM que agotan su tiempo, una primera ruta o un primer gateway que no responde antes de que se pruebe el siguiente (Timer B o un temporizador de conmutación corto), comprobaciones de portabilidad numérica o antifraude, o idas y vueltas de autenticación. Un tiempo largo hasta la respuesta ({answer}) suele deberse simplemente al llamado, pero en destinos automatizados apunta a las mismas causas.',
        fix: 'Mira qué ocurre entre el INVITE y el primer 18x en el servidor que finalmente responde: retransmisiones o timeouts hacia una ruta de primera opción, un DNS lento, consultas a bases de datos. Acorta los temporizadores de conmutación hacia rutas caídas, y haz que los servidores envíen 180/183 en cuanto se avisa al llamado.',
        fixes: {
          'slow-credentials':
            'No hay nada que cambiar en la red por esta espera: averigua por qué {caller} envía sus credenciales solo {callerWait} después del {challenge} (un teléfono que pide la contraseña a su usuario en lugar de guardarla, o un cliente ocupado en otra cosa, como consultas DNS, antes de responder).',
        },
        rfc: 'RFC 6076 §4.3 (retardo posmarcación), RFC 3261 §21.1',
        messages: {
          'slow-progress': 'El llamante ({caller}) esperó {pdd} tras su primer INVITE hasta recibir {firstProgress} (umbral {threshold}).',
          'slow-answer': 'La llamada se contestó {answer} después del primer INVITE del llamante (umbral {threshold}); el primer progreso llegó tras {pdd}.',
          'slow-credentials':
            'El llamante ({caller}) recibió {firstProgress} {pdd} después de su primer INVITE, pero {callerWait} se debieron al propio llamante, que volvió a enviar su INVITE ese tiempo después del desafío {challenge}; la red tardó {networkPdd} (umbral {threshold}).',
        },
        options: {
          progressSeconds: 'Tiempo máximo aceptable (s) desde el primer INVITE hasta el primer 18x (o hasta la respuesta cuando no hay 18x).',
          answerSeconds: 'Tiempo máximo aceptable (s) desde el primer INVITE hasta la respuesta 2xx.',
        },
        values: { answer: { none: 'ninguna' } },
      },
    },
  },
  check(call, context) {
    const inviteIndex = initialInvite(call);
    if (inviteIndex < 0) return;
    const invite = captured(call, inviteIndex);
    const attempts: Transaction[] = [];
    for (let t = 0; t < call.transactions.length; t++) {
      const tx = call.transactions[t]!;
      if (tx.method === 'INVITE' && tx.request !== null && isInitialRequest(captured(call, tx.request).message)) attempts.push(tx);
    }
    // The first progress (a 101-199 or a 2xx) and the first answer (2xx) among the responses to
    // initial INVITEs (any attempt, e.g. after a 407), first copies after the INVITE: among those
    // sent towards the caller when there are any. Earliest by index, so no list is made nor sorted.
    let towardsCaller = false;
    let progressAny = -1;
    let answerAny = -1;
    let progressToCaller = -1;
    let answerToCaller = -1;
    for (let t = 0; t < attempts.length; t++) {
      const tx = attempts[t]!;
      for (let r = 0; r < tx.responses.length; r++) {
        const i = tx.responses[r]!;
        if (i <= inviteIndex || call.messages[i]!.retransmission) continue;
        const s = statusOf(call, i);
        const isProgress = s > 100 && s < 300;
        const isAnswer = s >= 200 && s < 300;
        if (isProgress && (progressAny < 0 || i < progressAny)) progressAny = i;
        if (isAnswer && (answerAny < 0 || i < answerAny)) answerAny = i;
        if (!sameEndpoint(captured(call, i).dst, invite.src)) continue;
        towardsCaller = true;
        if (isProgress && (progressToCaller < 0 || i < progressToCaller)) progressToCaller = i;
        if (isAnswer && (answerToCaller < 0 || i < answerToCaller)) answerToCaller = i;
      }
    }
    const progress = towardsCaller ? progressToCaller : progressAny;
    const answerAt = towardsCaller ? answerToCaller : answerAny;
    const answer = answerAt < 0 ? undefined : answerAt;
    if (progress < 0) return;
    // The caller's own time: from each 401/407 it got before the progress to its next INVITE.
    // Made only for a call challenged before its progress (most calls were not).
    let sentAgain: number[] | null = null;
    let callerWaitMs = 0;
    let lastChallenge: number | null = null;
    for (let t = 0; t < attempts.length; t++) {
      const tx = attempts[t]!;
      const final = firstFinal(call, tx);
      if (final === null || final > progress || !sameEndpoint(captured(call, final).dst, invite.src) || (statusOf(call, final) !== 401 && statusOf(call, final) !== 407)) continue;
      sentAgain ??= attempts.map((tx) => tx.request!).filter((i) => sameEndpoint(captured(call, i).src, invite.src)).sort((a, b) => a - b);
      const next = sentAgain.find((i) => i > final && i < progress);
      if (next === undefined) continue;
      callerWaitMs += diffMs(captured(call, final).time, captured(call, next).time);
      lastChallenge = final;
    }
    const pddMs = diffMs(invite.time, captured(call, progress).time);
    const answerMs = answer === undefined ? null : diffMs(invite.time, captured(call, answer).time);
    const threshold = context.options.progressSeconds * 1000;
    const slowProgress = pddMs - callerWaitMs > threshold;
    const slowCredentials = !slowProgress && pddMs > threshold && lastChallenge !== null;
    const slowAnswer = answer !== undefined && answerMs! - callerWaitMs > context.options.answerSeconds * 1000;
    // Most calls are neither: their figures are not written out.
    if (!slowProgress && !slowAnswer && !slowCredentials) return;
    const figures = {
      caller: endpoint(invite.src),
      pdd: duration(pddMs),
      pddMs: Math.round(pddMs),
      firstProgress: statusLabel(captured(call, progress).message),
      answer: answerMs === null ? 'none' : duration(answerMs),
      answerMs: answerMs === null ? -1 : Math.round(answerMs),
    };
    if (slowProgress) {
      context.report({ messageId: 'slow-progress', data: { ...figures, threshold: duration(threshold) }, messages: [inviteIndex, progress], anchor: progress });
    }
    if (slowCredentials) {
      const data = {
        ...figures,
        callerWait: duration(callerWaitMs),
        callerWaitMs: Math.round(callerWaitMs),
        networkPdd: duration(pddMs - callerWaitMs),
        challenge: String(statusOf(call, lastChallenge!)),
        threshold: duration(threshold),
      };
      context.report({ messageId: 'slow-credentials', data, messages: [inviteIndex, lastChallenge!, progress], anchor: progress });
    }
    if (slowAnswer) {
      context.report({ messageId: 'slow-answer', data: { ...figures, threshold: duration(context.options.answerSeconds * 1000) }, messages: [...new Set([inviteIndex, progress, answer!])], anchor: answer! });
    }
  },
});

/** The first copy of the call's first initial INVITE, or -1: a loop, not findIndex and its closure, on every call. */
function initialInvite(call: Call): number {
  const messages = call.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const msg = m.captured.message;
    if (msg.method === 'INVITE' && !m.retransmission && isInitialRequest(msg)) return i;
  }
  return -1;
}
