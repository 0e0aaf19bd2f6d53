import type { Call } from '../../parse/dialog/types.js';
import type { SipMessage } from '../../parse/sip/types.js';
import { diffMs } from '../../time.js';
import type { CapturedMessage } from '../../types.js';
import { captured, endpointKey, firstCopies, firstFinal, isInitialRequest, sameEndpoint, sipOf, statusLabel } from './lib/call.js';
import { duration, endpoint, defineRule } from './types.js';

/** A target tried for the call, and the best it answered. */
interface Tried {
  readonly name: string;
  /** Status of its final response, else of its last provisional one; 0 when it sent nothing. */
  status: number;
  /** Its best answer, null when it sent none: labelled only for a story told (most calls try one target). */
  answer: SipMessage | null;
  evidence: number[];
}

/** The best of two answers of one target: a final response over a provisional one, a later provisional over an earlier one. */
function better(t: Tried, answer: SipMessage, index: number): void {
  t.evidence.push(index);
  if (t.status >= 200) return;
  t.status = answer.status ?? 0;
  t.answer = answer;
}

/**
 * The targets a proxy tried for the caller's INVITE with CSeq `seq`: the Request-URIs of the
 * INVITEs that one address other than the caller sent out of dialog with that CSeq (a forking
 * proxy or a PBX hunting, captured where it sends), or, when the capture only holds the caller's
 * side, the To tags of the responses that its next hop relayed back (each To tag is another UAS,
 * RFC 3261 §12.1.1). Responses from many addresses (a burst to many hosts) are not one proxy's.
 */
function targetsOf(call: Call, callerInvite: number, seq: number): Tried[] {
  const first = captured(call, callerInvite);
  // Made on their first target: most calls have one INVITE, from the caller, and one answering To tag.
  let bySender: Map<string, Map<string, Tried>> | null = null;
  // The answering To tags are only counted here: most calls have one, which tells no story; the
  // targets by tag are made (tagTargets) only when a second tag was seen and they are the answer.
  let firstTag: string | null = null;
  let tags = 0;
  for (let x = 0; x < call.transactions.length; x++) {
    const tx = call.transactions[x]!;
    if (tx.method !== 'INVITE' || tx.cseq !== seq || tx.request === null || !isInitialRequest(sipOf(call, tx.request))) continue;
    const request = captured(call, tx.request);
    if (!sameEndpoint(request.src, first.src)) {
      const key = endpointKey(request.src);
      let targets = (bySender ??= new Map()).get(key);
      if (targets === undefined) bySender.set(key, (targets = new Map()));
      const name = request.message.requestUri ?? `${request.dst.ip}:${request.dst.port}`;
      let t = targets.get(name);
      if (t === undefined) targets.set(name, (t = { name, status: 0, answer: null, evidence: [tx.request] }));
      for (let r = 0; r < tx.responses.length; r++) {
        const i = tx.responses[r]!;
        if (call.messages[i]!.retransmission) continue;
        const status = sipOf(call, i).status ?? 0;
        if (status > 100) better(t, sipOf(call, i), i);
      }
    }
    if (tags < 2) {
      for (let r = 0; r < tx.responses.length; r++) {
        const i = tx.responses[r]!;
        const tag = answeringTag(call, i, first);
        if (tag === null || tag === firstTag) continue;
        if (firstTag === null) firstTag = tag;
        tags++;
        if (tags === 2) break;
      }
    }
  }
  let best: Tried[] = [];
  if (bySender !== null) for (const targets of bySender.values()) if (targets.size > best.length) best = [...targets.values()];
  return best.length >= 2 || tags < 2 ? best : tagTargets(call, seq, first);
}

/**
 * The To tag of a response (not a retransmission) above 100 that the caller's next hop relayed
 * back to the caller, or null.
 */
function answeringTag(call: Call, i: number, first: CapturedMessage): string | null {
  if (call.messages[i]!.retransmission) return null;
  const m = captured(call, i);
  const tag = m.message.toTag;
  const status = m.message.status ?? 0;
  if (status <= 100 || !tag || !sameEndpoint(m.dst, first.src) || !sameEndpoint(m.src, first.dst)) return null;
  return tag;
}

/** The targets by the To tags of the responses relayed back to the caller (targetsOf's second way), in the order of their first response. */
function tagTargets(call: Call, seq: number, first: CapturedMessage): Tried[] {
  const byTag = new Map<string, Tried>();
  for (let x = 0; x < call.transactions.length; x++) {
    const tx = call.transactions[x]!;
    if (tx.method !== 'INVITE' || tx.cseq !== seq || tx.request === null || !isInitialRequest(sipOf(call, tx.request))) continue;
    for (let r = 0; r < tx.responses.length; r++) {
      const i = tx.responses[r]!;
      const tag = answeringTag(call, i, first);
      if (tag === null) continue;
      let t = byTag.get(tag);
      if (t === undefined) byTag.set(tag, (t = { name: `To;tag=${tag}`, status: 0, answer: null, evidence: [] }));
      better(t, sipOf(call, i), i);
    }
  }
  return [...byTag.values()];
}

/**
 * A proxy or PBX tried several targets for one call, one after another (sequential hunting) or at
 * once (forking): one story on the caller's INVITE, with each target's answer and how long the
 * caller waited for its final response.
 */
export const hunting = defineRule({
  meta: {
    id: 'hunting',
    severity: 'info',
    description: 'A proxy or PBX tried several targets for one call (forking, or hunting one target after another, in the same call or, for a B2BUA, in outbound legs linked to the inbound one): how many, what each answered, and how long the caller waited for its final response.',
    evidence: 'The caller\'s INVITE, the INVITEs the proxy sent to each target (or the responses with different To tags), and the final response the caller got.',
    explanation:
      'A proxy may fork a request to several targets (RFC 3261 §16.6): all at once (every registered phone of a user rings) or one after another as each fails or does not answer in time (a hunt group, a follow-me, a voicemail at the end). The caller gets only one final response: the 2xx of the target that answered, or, when none did, the best failure the proxy chose (RFC 3261 §16.7). Each target that failed or was cancelled is part of the story, not a problem on its own: {targets} targets were tried here.',
    fix: 'Nothing to fix when the call was answered. When none answered: check each target\'s own answer (a phone that is not registered answers nothing or 480, a busy one 486), the hunt timers of {proxy} (how long each target rings), and whether the last target should be a voicemail or an operator so that the caller does not wait {untilFinal} for a failure.',
    rfc: 'RFC 3261 §16.6 (forwarding to several targets), §16.7 (choosing the response for the caller)',
    messages: {
      answered: '{targets} targets were tried for {uri} by {proxy} ({tried}); {answeredBy} answered, and the caller heard {final} {untilFinal} after its INVITE.',
      'none-answered': '{targets} targets were tried for {uri} by {proxy} ({tried}), none answered: the caller heard {final} {untilFinal} after its INVITE.',
      unresolved: '{targets} targets were tried for {uri} by {proxy} ({tried}), none answered, and the caller had no final response when the capture ends.',
      'legs-answered': '{targets} targets were tried for {uri} by {proxy}, each in an outbound leg of its own (calls {calls}: {tried}); {answeredBy} answered, and the caller heard {final} {untilFinal} after its INVITE.',
      'legs-none-answered': '{targets} targets were tried for {uri} by {proxy}, each in an outbound leg of its own (calls {calls}: {tried}), none answered: the caller heard {final} {untilFinal} after its INVITE.',
      'legs-unresolved': '{targets} targets were tried for {uri} by {proxy}, each in an outbound leg of its own (calls {calls}: {tried}), none answered, and the caller had no final response when the capture ends.',
    },
    options: {},
    translations: {
      es: {
        description: 'Un proxy o una centralita probó varios destinos para una llamada (forking, o una búsqueda de un destino tras otro, en la misma llamada o, en un B2BUA, en tramos salientes enlazados con el entrante): cuántos, qué respondió cada uno y cuánto esperó quien llama su respuesta final.',
        evidence: 'El INVITE de quien llama, los INVITE que el proxy envió a cada destino (o las respuestas con distintos tags de To) y la respuesta final que recibió quien llama.',
        explanation:
          'Un proxy puede bifurcar una petición hacia varios destinos (RFC 3261 §16.6): todos a la vez (suenan todos los teléfonos registrados de un usuario) o uno tras otro a medida que cada uno falla o no contesta a tiempo (un grupo de salto, un sígueme, un buzón al final). Quien llama recibe una sola respuesta final: el 2xx del destino que contestó o, si ninguno lo hizo, el mejor fallo que eligió el proxy (RFC 3261 §16.7). Cada destino que falló o se canceló es parte de la historia, no un problema en sí: aquí se probaron {targets} destinos.',
        fix: 'Nada que corregir si la llamada se contestó. Si ninguno contestó: revisa la respuesta de cada destino (un teléfono no registrado no responde o responde 480, uno ocupado 486), los temporizadores de búsqueda de {proxy} (cuánto suena cada destino) y si el último destino debería ser un buzón o una operadora, para que quien llama no espere {untilFinal} un fallo.',
        rfc: 'RFC 3261 §16.6 (reenvío a varios destinos), §16.7 (elección de la respuesta para quien llama)',
        messages: {
          answered: '{proxy} probó {targets} destinos para {uri} ({tried}); contestó {answeredBy}, y quien llama recibió {final} {untilFinal} después de su INVITE.',
          'none-answered': '{proxy} probó {targets} destinos para {uri} ({tried}) y ninguno contestó: quien llama recibió {final} {untilFinal} después de su INVITE.',
          unresolved: '{proxy} probó {targets} destinos para {uri} ({tried}), ninguno contestó, y quien llama no tenía respuesta final al terminar la captura.',
          'legs-answered': '{proxy} probó {targets} destinos para {uri}, cada uno en un tramo saliente propio (llamadas {calls}: {tried}); contestó {answeredBy}, y quien llama recibió {final} {untilFinal} después de su INVITE.',
          'legs-none-answered': '{proxy} probó {targets} destinos para {uri}, cada uno en un tramo saliente propio (llamadas {calls}: {tried}), y ninguno contestó: quien llama recibió {final} {untilFinal} después de su INVITE.',
          'legs-unresolved': '{proxy} probó {targets} destinos para {uri}, cada uno en un tramo saliente propio (llamadas {calls}: {tried}), ninguno contestó, y quien llama no tenía respuesta final al terminar la captura.',
        },
        options: {},
      },
    },
  },
  check(call, context) {
    // The CSeqs told (a CSeq number is digits, never negative): most calls have one initial INVITE's, kept without a Set until a second.
    let firstSeq = -1;
    let done = null as Set<number> | null;
    for (let x = 0; x < call.transactions.length; x++) {
      const tx = call.transactions[x]!;
      if (tx.method !== 'INVITE' || tx.request === null || tx.cseq === firstSeq || done?.has(tx.cseq) === true || !isInitialRequest(sipOf(call, tx.request))) continue;
      if (firstSeq === -1) firstSeq = tx.cseq;
      else (done ??= new Set()).add(tx.cseq);
      const targets = targetsOf(call, tx.request, tx.cseq);
      if (targets.length < 2) continue;
      const final = firstFinal(call, tx);
      const answered = targets.find((t) => t.status >= 200 && t.status < 300);
      const evidence = [...new Set([tx.request, ...targets.flatMap((t) => t.evidence), ...(final === null ? [] : [final])])].sort((a, b) => a - b);
      const messageId = answered !== undefined ? 'answered' : final === null ? 'unresolved' : 'none-answered';
      context.report({ messageId, data: storyData(call, tx.request, final, targets, answered), messages: evidence, anchor: final ?? evidence[evidence.length - 1]! });
    }
    // A B2BUA hunting: each target is an outbound leg of its own (src/annotate/legs.ts), told on the inbound leg.
    const legs = context.related?.outboundLegs(call) ?? [];
    if (legs.length < 2) return;
    const inviteTx = call.transactions.find((tx) => tx.method === 'INVITE' && tx.request !== null && isInitialRequest(sipOf(call, tx.request)));
    if (inviteTx === undefined) return;
    const tried = legs.flatMap((leg): Tried[] => {
      const invite = leg.transactions.find((tx) => tx.method === 'INVITE' && tx.request !== null && isInitialRequest(sipOf(leg, tx.request)));
      if (invite === undefined) return [];
      const name = sipOf(leg, invite.request!).requestUri ?? leg.callId;
      // The leg's own final response that ended it (a challenge answered with a new INVITE does not).
      const finals = leg.transactions.filter((tx) => tx.method === 'INVITE').flatMap((tx) => firstCopies(leg, tx.responses)).filter((i) => (sipOf(leg, i).status ?? 0) > 100).sort((a, b) => a - b);
      const t: Tried = { name, status: 0, answer: null, evidence: [] };
      for (const i of finals) {
        const status = sipOf(leg, i).status ?? 0;
        if (status === 401 || status === 407) continue;
        if (t.status < 200) {
          t.status = status;
          t.answer = sipOf(leg, i);
        }
      }
      return [t];
    });
    if (tried.length < 2) return;
    const final = firstFinal(call, inviteTx);
    const answered = tried.find((t) => t.status >= 200 && t.status < 300);
    const data = { ...storyData(call, inviteTx.request!, final, tried, answered), calls: legs.map((leg) => leg.number).join(', ') };
    const evidence = final === null ? [inviteTx.request!] : [inviteTx.request!, final];
    const messageId = answered !== undefined ? 'legs-answered' : final === null ? 'legs-unresolved' : 'legs-none-answered';
    context.report({ messageId, data, messages: evidence, anchor: evidence[evidence.length - 1]! });
  },
});

/** The data of a hunting story: how many targets, each one's answer, and what the caller heard when. */
function storyData(call: Call, invite: number, final: number | null, targets: readonly Tried[], answered: Tried | undefined) {
  const request = captured(call, invite);
  return {
    targets: targets.length,
    uri: request.message.requestUri ?? '(unknown)',
    proxy: endpoint(request.dst),
    // A target that answered nothing is named alone: the data carries no words to translate.
    tried: targets.map((t) => (t.answer === null ? t.name : `${t.name} ${statusLabel(t.answer)}`)).join(', '),
    answeredBy: answered?.name ?? '',
    final: final === null ? '' : statusLabel(sipOf(call, final)),
    untilFinal: duration(final === null ? 0 : diffMs(request.time, captured(call, final).time)),
  };
}
