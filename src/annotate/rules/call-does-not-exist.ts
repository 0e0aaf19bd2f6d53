import { captured, finalResponses, groupData, groupEvidence, responseGroups, statusOf } from './lib/call.js';
import { ownsMethod } from './lib/owners.js';
import { METHOD_VALUES_ES } from './lib/es.js';
import { duration, endpoint, ref, refs, type DataValue, defineRule } from './types.js';
import type { Call } from '../../parse/dialog/types.js';
import { diffMs } from '../../time.js';
import { endsSubscription, grantedSubscriptionSeconds, type LostSubscriptions } from '../patterns.js';
import { storyIndex } from './lib/stories.js';

/**
 * 481 Call/Transaction Does Not Exist: the request names a dialog or transaction the server
 * does not have (any more).
 */
export const callDoesNotExist = defineRule({
  meta: {
    id: 'call-does-not-exist',
    severity: 'warning',
    stories: { 'subscriptions-lost': 'forgotten' },
    description: 'A request was answered 481 Call/Transaction Does Not Exist: it names a dialog or transaction the server does not know (any more).',
    evidence: 'The request, its 481, and what ended the dialog earlier in the capture when there is such a message.',
    explanation:
      '{server} has no dialog or transaction matching {method} (Call-ID, From tag and To tag; for CANCEL, the INVITE\'s branch). Either it ended already (a BYE crossed this request, the INVITE failed, a subscription expired), or the server lost it (restart, failover to another node), or something on the way changed Call-ID, tags or branch (an SBC or B2BUA that does not map them back).',
    fix: 'Check whether the dialog was ended earlier (see the evidence), and for a dialog the server forgot, whether it restarted or failed over; if an SBC or B2BUA sits in the path, compare Call-ID and tags on both of its sides. A 481 to CANCEL is harmless when the INVITE had already got its final response.',
    fixes: {
      'tag-mismatch':
        'Fix {sender} (or whatever passes the request on to {server}): it must send the tags of the dialog byte for byte; a tag cut at a fixed length and ended with stray bytes points at a buffer too short for long tags (RFC 3261 §19.3 sets no limit), which the other side can avoid by sending shorter tags.',
      forgotten:
        'Look at {server} at the time of the 481: a restart or a failover to another node, a full dialog table, or (an SBC or B2BUA) a setting that does not keep the dialog. A lost subscription is set up again with a new SUBSCRIBE (so the same exchange repeats); a lost call stays up on its other side until a timer ends it.',
      'subscriptions-lost':
        'Look at how {server} keeps subscriptions: losing each one a few seconds after accepting it, again and again, is a setting or a defect (an SBC or B2BUA that drops the dialog once the first NOTIFY has passed, a cluster whose nodes do not share dialogs, a too short dialog timer), not a restart. Until it is fixed every subscription lives only seconds, so the phone sees no state (busy lamps, voicemail) and the signalling repeats itself.',
    },
    rfc: 'RFC 3261 §21.4.19, §9.2 (CANCEL), §12.2.2 (requests within a dialog)',
    messages: {
      'unknown-dialog': '{method} was answered {response} by {server}: it does not know this dialog or transaction.',
      'tag-mismatch':
        '{method} from {sender} names the dialog set up at {createdAt}, but with the tag {sentTag} where the dialog has {knownTag} (the first {common} characters agree): the tag was cut or overwritten on its way, so {server} matches no dialog.',
      forgotten:
        '{method} was answered {response} by {server}, in a dialog set up with it at {createdAt} ({age} earlier) that nothing in the capture ended: {server} lost a dialog it still had to keep.',
      'after-end': '{method} was answered {response} by {server}: the dialog had already ended at {endedAt}.',
      'cancel-too-late': 'CANCEL was answered {response} by {server}: the INVITE had already got its final response at {endedAt}, so there was nothing left to cancel.',
      'cancel-unknown': 'CANCEL was answered {response} by {server}: it has no INVITE transaction to cancel (the INVITE never arrived there, or CANCEL took another path).',
      'subscriptions-lost':
        '{server} has lost {count} subscriptions it had accepted by now: it answered 481 to the next refresh {lifetime} (median) after its 2xx ({losses}; last {last}), and {peer} set them up again every {period}.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una petición recibió 481 Call/Transaction Does Not Exist: nombra un diálogo o una transacción que el servidor no conoce (o ya no conoce).',
        evidence: 'La petición, su 481 y, si está en la captura, el mensaje que terminó antes el diálogo.',
        explanation:
          '{server} no tiene ningún diálogo ni ninguna transacción que coincida con el {method} (Call-ID, tag de From y tag de To; para CANCEL, la rama del INVITE). O bien ya terminó (un BYE se cruzó con esta petición, el INVITE falló, una suscripción caducó), o el servidor lo perdió (un reinicio, una conmutación a otro nodo), o algo en el camino cambió el Call-ID, los tags o la rama (un SBC o B2BUA que no los vuelve a traducir).',
        fix: 'Comprueba si el diálogo terminó antes (mira la evidencia) y, si el servidor lo olvidó, si se reinició o conmutó a otro nodo; si hay un SBC o un B2BUA en el camino, compara el Call-ID y los tags a ambos lados. Un 481 a un CANCEL es inofensivo cuando el INVITE ya había recibido su respuesta final.',
        fixes: {
          'tag-mismatch':
            'Corrige {sender} (o lo que reenvía la petición a {server}): debe enviar los tags del diálogo byte a byte; un tag cortado a una longitud fija y terminado con bytes sueltos apunta a un búfer demasiado corto para tags largos (RFC 3261 §19.3 no fija límite), que el otro lado puede evitar enviando tags más cortos.',
          forgotten:
            'Revisa {server} en el momento del 481: un reinicio o una conmutación a otro nodo, una tabla de diálogos llena, o (un SBC o B2BUA) una configuración que no conserva el diálogo. Una suscripción perdida se vuelve a establecer con un SUBSCRIBE nuevo (así que el mismo intercambio se repite); una llamada perdida sigue activa en su otro lado hasta que un temporizador la termina.',
          'subscriptions-lost':
            'Revisa cómo conserva {server} las suscripciones: perder cada una pocos segundos después de aceptarla, una y otra vez, es una configuración o un defecto (un SBC o B2BUA que descarta el diálogo tras el primer NOTIFY, un clúster cuyos nodos no comparten los diálogos, un temporizador de diálogo demasiado corto), no un reinicio. Mientras no se corrija cada suscripción vive solo segundos, así que el teléfono no ve ningún estado (luces de ocupado, buzón de voz) y la señalización se repite.',
        },
        rfc: 'RFC 3261 §21.4.19, §9.2 (CANCEL), §12.2.2 (peticiones dentro de un diálogo)',
        messages: {
          'unknown-dialog': 'El {method} recibió {response} de {server}: no conoce este diálogo ni esta transacción.',
          'tag-mismatch':
            'El {method} de {sender} nombra el diálogo establecido en {createdAt}, pero con el tag {sentTag} donde el diálogo tiene {knownTag} (coinciden los primeros {common} caracteres): el tag se cortó o se sobrescribió por el camino, así que {server} no encuentra ningún diálogo.',
          forgotten:
            'El {method} recibió {response} de {server}, en un diálogo establecido con él en {createdAt} ({age} antes) que nada en la captura terminó: {server} perdió un diálogo que aún debía conservar.',
          'after-end': 'El {method} recibió {response} de {server}: el diálogo ya había terminado en {endedAt}.',
          'cancel-too-late': 'El CANCEL recibió {response} de {server}: el INVITE ya había recibido su respuesta final en {endedAt}, así que no quedaba nada que cancelar.',
          'cancel-unknown': 'El CANCEL recibió {response} de {server}: no tiene ninguna transacción INVITE que cancelar (el INVITE nunca llegó allí, o el CANCEL tomó otro camino).',
          'subscriptions-lost':
            '{server} ha perdido ya {count} suscripciones que había aceptado: respondió 481 a la siguiente renovación {lifetime} (mediana) después de su 2xx ({losses}; la última {last}), y {peer} las volvió a establecer cada {period}.',
        },
        options: {},
        values: { method: METHOD_VALUES_ES },
      },
    },
  },
  // Its story of lost subscriptions is told at a 481 of the call too.
  needs: { statuses: [481] },
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
      const near = messageId === 'unknown-dialog' ? nearDialogOf(call, group.request) : null;
      if (near !== null) {
        messageId = 'tag-mismatch';
        Object.assign(data, { sender: endpoint(captured(call, group.request!).src), createdAt: ref(captured(call, near.createdBy)), sentTag: near.sent, knownTag: near.known, common: near.common });
      }
      const created = messageId === 'unknown-dialog' ? liveDialogOf(call, group.request, response) : null;
      if (created !== null) {
        messageId = 'forgotten';
        ended = created;
        data['createdAt'] = ref(captured(call, created));
        data['age'] = duration(diffMs(captured(call, created).time, captured(call, response).time));
      }
      if (ended !== null && created === null) data['endedAt'] = ref(captured(call, ended));
      const first = ended ?? near?.createdBy ?? null;
      const evidence = first === null ? groupEvidence(group) : [first, ...groupEvidence(group)].sort((a, b) => a - b);
      context.report({ messageId, data, messages: evidence, anchor: response });
    }
    lostSubscriptionsStory(call, context);
  },
  retell(sources, messageId, data) {
    const server = data['server'];
    if (messageId !== 'subscriptions-lost' || typeof server !== 'object' || server.kind !== 'endpoint') return null;
    const story = sources.lostSubscriptions(server.ip);
    // An entry let go and started again counts fewer losses than were told: the story stays as told.
    if (story === null || story.medianPeriodMs === null || story.count < Number(data['count'])) return null;
    return { ...data, ...lostSubscriptionsCounts(story, story.medianPeriodMs) };
  },
});

/** What a subscriptions-lost story counts, from the tracker's account of the server so far. */
function lostSubscriptionsCounts(story: LostSubscriptions, medianPeriodMs: number) {
  return {
    server: endpoint(story.server),
    peer: endpoint(story.peer),
    count: story.count,
    lifetime: duration(story.medianLifetimeMs),
    period: duration(medianPeriodMs),
    losses: refs(story.losses, story.count),
    last: ref(story.last),
  };
}

/**
 * The story of a server that keeps losing the subscriptions it accepts (src/annotate/patterns.ts),
 * told once, on the call that holds the 481 at which it became a pattern, with what the capture
 * held by the time the call is checked.
 */
function lostSubscriptionsStory(call: Call, context: Parameters<typeof callDoesNotExist.check>[1]): void {
  const servers = new Set<string>();
  for (const m of call.messages) if (!m.retransmission && m.captured.message.kind === 'response' && m.captured.message.status === 481) servers.add(m.captured.src.ip);
  for (const ip of servers) {
    const story = context.sources?.lostSubscriptions(ip) ?? null;
    const at = story === null ? -1 : storyIndex(call, story.evident);
    if (story === null || at < 0 || story.medianPeriodMs === null) continue;
    const request = call.transactions[call.messages[at]!.transaction]!.request;
    context.report({
      messageId: 'subscriptions-lost',
      data: {
        method: captured(call, at).message.cseq?.method ?? '',
        ...lostSubscriptionsCounts(story, story.medianPeriodMs),
      },
      messages: request === null ? [at] : [request, at],
      anchor: at,
    });
  }
}

/**
 * The response that set up the dialog `request` names, when the server that answered 481 took part
 * in it (it sent or received that response), nothing before the 481 ended it (a BYE, a NOTIFY with
 * Subscription-State: terminated) and a subscription's granted Expires had not run out:
 * the server lost a dialog it still had (heplify-erspan: the SBC answers 481 two to five seconds after
 * its 202). Null otherwise.
 */
function liveDialogOf(call: Call, request: number | null, response: number): number | null {
  if (request === null) return null;
  const dialogIndex = call.messages[request]!.dialog;
  if (dialogIndex === null) return null;
  const createdBy = call.dialogs[dialogIndex]!.createdBy;
  if (createdBy >= request) return null;
  const made = captured(call, createdBy);
  const server = captured(call, response).src.ip;
  if (made.message.kind !== 'response' || (made.src.ip !== server && made.dst.ip !== server)) return null;
  // Up to the 481, not just the request: an end that crossed the request on the wire (both sides
  // hanging up at once) explains the 481 as well. A BYE ends the session for its sender as it leaves
  // (RFC 3261 §15.1.1), so its answer need not have come.
  const own = call.messages[request]!.transaction;
  for (let i = createdBy + 1; i < response; i++) {
    const m = call.messages[i]!;
    if (m.dialog !== dialogIndex || m.transaction === own) continue;
    const msg = m.captured.message;
    if (endsSubscription(msg)) return null;
    if (msg.kind === 'request' && msg.method === 'BYE') return null;
    if (msg.kind === 'response' && msg.cseq?.method === 'BYE' && (msg.status ?? 0) >= 200 && (msg.status ?? 0) < 300) return null;
  }
  if (made.message.cseq?.method === 'SUBSCRIBE' && diffMs(made.time, captured(call, response).time) >= grantedSubscriptionSeconds(made.message) * 1000) return null;
  return createdBy;
}

/** A tag this long in common with a dialog's, and no more, is that dialog's tag damaged, not another dialog. */
const DAMAGED_TAG_PREFIX = 16;

/**
 * The dialog of the call that the request was meant for when one of its tags is the dialog's and
 * the other agrees with the dialog's for a long start and then differs (heplify-erspan #22: a PBX
 * node overwrote the end of a 92-character tag with stray bytes). Null otherwise.
 */
function nearDialogOf(call: Call, request: number | null): { createdBy: number; sent: string; known: string; common: number } | null {
  if (request === null) return null;
  const msg = captured(call, request).message;
  const from = msg.fromTag;
  const to = msg.toTag;
  if (from == null || to == null) return null;
  // Tags that name a dialog of the call exactly are that dialog's, whatever other dialogs' tags look like (a Kamailio notifier's To tags share a 32-character prefix).
  const named = (d: { callerTag: string; calleeTag: string }): boolean => (d.callerTag === from && d.calleeTag === to) || (d.callerTag === to && d.calleeTag === from);
  if (call.dialogs.some((d) => d.createdBy < request && named(d))) return null;
  for (const d of call.dialogs) {
    if (d.createdBy >= request) continue;
    for (const [same, other] of [
      [d.callerTag, d.calleeTag],
      [d.calleeTag, d.callerTag],
    ] as const) {
      const sent = same === from ? to : same === to ? from : null;
      if (sent === null || sent === other) continue;
      let common = 0;
      while (common < sent.length && common < other.length && sent[common] === other[common]) common++;
      if (common >= DAMAGED_TAG_PREFIX) return { createdBy: d.createdBy, sent, known: other, common };
    }
  }
  return null;
}
