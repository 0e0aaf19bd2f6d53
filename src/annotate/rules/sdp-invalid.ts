import type { Call } from '../../parse/dialog/types.js';
import type { SdpDefect } from '../../parse/sip/sdp.js';
import { sdpAt } from '../media.js';
import { firstFinal, statusLabel } from './lib/call.js';
import { endpoint, defineRule } from './types.js';

/** Answers that say the session description itself was not acceptable (RFC 3261 §21.4.1 400, §21.4.26 488, §21.6.4 606). */
const SDP_REJECTIONS: ReadonlySet<number> = new Set([400, 488, 606]);

/** Methods whose SDP is an offer or an answer (RFC 3261 §13, RFC 3311, RFC 3262). */
const SESSION_METHODS: ReadonlySet<string> = new Set(['INVITE', 'UPDATE', 'PRACK', 'ACK']);

/** Each defect in a few words (the Spanish texts map them); where it is goes in data of its own. */
const PROBLEM: Readonly<Record<SdpDefect['kind'], string>> = {
  version: 'a v= line other than v=0',
  'no-origin': 'no valid o= line',
  'no-session-name': 'no s= line',
  'no-timing': 'no valid t= line',
  'no-connection': 'a stream with no c= address',
  'no-rtpmap': 'dynamic payload types without a=rtpmap',
};

/** The finding's data of a defect: its kind, its words, and where it is. */
function defectData(defect: SdpDefect): { defect: string; problem: string; version: string; media: number | string; payloads: string } {
  return {
    defect: defect.kind,
    problem: PROBLEM[defect.kind],
    version: defect.kind === 'version' ? defect.version : '-',
    media: defect.kind === 'no-connection' || defect.kind === 'no-rtpmap' ? defect.media : '-',
    payloads: defect.kind === 'no-rtpmap' ? defect.payloads.join(', ') : '-',
  };
}

/** Which message id says a defect on its own. */
function invalidId(defect: SdpDefect): 'invalid' | 'invalid-connection' | 'invalid-rtpmap' {
  return defect.kind === 'no-connection' ? 'invalid-connection' : defect.kind === 'no-rtpmap' ? 'invalid-rtpmap' : 'invalid';
}

/**
 * SDP that breaks RFC 4566 (src/parse/sip/sdp.ts names the defects), and an offer refused with
 * 400, 488 or 606 when its SDP has such a defect: then the defect, not the codec lists, is the
 * likely reason, and codec-mismatch leaves that refusal to this rule. A description forwarded
 * unchanged by each proxy is one finding per defect and call, with every copy as evidence.
 */
export const sdpInvalid = defineRule({
  meta: {
    id: 'sdp-invalid',
    severity: 'error',
    messageSeverity: { invalid: 'warning', 'invalid-connection': 'warning', 'invalid-rtpmap': 'warning', 'answer-rtpmap': 'info' },
    description: 'A session description breaks RFC 4566 (v= other than 0; no o=, s= or t= line; a live stream with no c= address; dynamic payload types without a=rtpmap), or an offer with such a defect was refused with 400, 488 or 606.',
    evidence: 'The messages carrying the defective SDP and, for a refusal, the response.',
    explanation:
      'Every SDP needs v=0, o=, s= and t= lines in that order, an address (c=) for each stream that is not turned off, and an a=rtpmap line for each dynamic payload type (96-127), which otherwise names no codec. Tolerant stacks read past such gaps; strict ones (many SBCs, carriers, Kamailio\'s SDP checks, Java stacks) refuse the whole offer with 400 Bad Request ("Bad Session Description") or 488. The defect here: {problem}, first sent by {sender}.',
    fix: 'Fix the SDP at its source ({sender}): a softphone or test tool with a hand-written template, an SBC or B2BUA rewriting the body (topology hiding, codec filtering) or an ALG on a router that mangles it. Compare the body with RFC 4566 §5 line by line; a capture of the same call on the other side of the SBC shows which hop broke it.',
    rfc: 'RFC 4566 §5 (v §5.1, o §5.2, s §5.3, c §5.7, t §5.9), §6 (rtpmap attribute); RFC 3261 §21.4.1, §21.4.26, §21.6.4',
    messages: {
      invalid: 'The SDP in {method} from {sender} has {problem}.',
      'invalid-connection': 'The SDP in {method} from {sender} gives media line {media} no c= address, and the session none either: the other side has nowhere to send that stream.',
      'invalid-rtpmap': 'The SDP in {method} from {sender} offers dynamic payload types {payloads} on media line {media} without a=rtpmap lines: nothing says which codecs they are.',
      'answer-rtpmap': 'The answer in {method} from {sender} lists dynamic payload types {payloads} on media line {media} without a=rtpmap lines; the offer mapped them ({offered}), and most stacks read them as the offer did.',
      rejected: '{response} answered the {method} from {sender}, whose SDP has {problem}: that is the likely reason it was refused.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una descripción de sesión incumple la RFC 4566 (v= distinto de 0; falta la línea o=, s= o t=; un flujo activo sin dirección c=; tipos de carga dinámicos sin a=rtpmap), o una oferta con un defecto así se rechazó con 400, 488 o 606.',
        evidence: 'Los mensajes con el SDP defectuoso y, para un rechazo, la respuesta.',
        explanation:
          'Todo SDP necesita las líneas v=0, o=, s= y t= en ese orden, una dirección (c=) para cada flujo que no esté desactivado y una línea a=rtpmap para cada tipo de carga dinámico (96-127), que si no no nombra ningún códec. Las pilas tolerantes pasan por alto esas carencias; las estrictas (muchos SBC, operadores, las comprobaciones SDP de Kamailio, pilas Java) rechazan toda la oferta con 400 Bad Request («Bad Session Description») o 488. El defecto aquí: {problem}, enviado primero por {sender}.',
        fix: 'Corrija el SDP en su origen ({sender}): un softphone o una herramienta de pruebas con una plantilla escrita a mano, un SBC o B2BUA que reescribe el cuerpo (ocultación de topología, filtrado de códecs) o un ALG de un router que lo estropea. Compare el cuerpo con la RFC 4566 §5 línea a línea; una captura de la misma llamada al otro lado del SBC muestra qué salto lo rompió.',
        rfc: 'RFC 4566 §5 (v §5.1, o §5.2, s §5.3, c §5.7, t §5.9), §6 (atributo rtpmap); RFC 3261 §21.4.1, §21.4.26, §21.6.4',
        messages: {
          invalid: 'El SDP del {method} de {sender} tiene {problem}.',
          'invalid-connection': 'El SDP del {method} de {sender} no da dirección c= a la línea de medios {media}, ni la sesión tiene una: el otro lado no tiene adónde enviar ese flujo.',
          'invalid-rtpmap': 'El SDP del {method} de {sender} ofrece los tipos de carga dinámicos {payloads} en la línea de medios {media} sin líneas a=rtpmap: nada dice qué códecs son.',
          'answer-rtpmap': 'La respuesta SDP del {method} de {sender} lista los tipos de carga dinámicos {payloads} en la línea de medios {media} sin líneas a=rtpmap; la oferta los definía ({offered}), y la mayoría de las pilas los leen como en la oferta.',
          rejected: '{response} respondió al {method} de {sender}, cuyo SDP tiene {problem}: es el motivo probable del rechazo.',
        },
        options: {},
        values: {
          problem: {
            'a v= line other than v=0': 'una línea v= distinta de v=0',
            'no valid o= line': 'ninguna línea o= válida',
            'no s= line': 'ninguna línea s=',
            'no valid t= line': 'ninguna línea t= válida',
            'a stream with no c= address': 'un flujo sin dirección c=',
            'dynamic payload types without a=rtpmap': 'tipos de carga dinámicos sin a=rtpmap',
          },
        },
      },
    },
  },
  check(call, context) {
    // Per defect: the first message carrying it and every other one (proxies forward the body
    // unchanged). Made at the first defect: most calls have none.
    let found: Map<string, { defect: SdpDefect; messages: number[] }> | null = null;
    let defective: Map<number, readonly SdpDefect[]> | null = null;
    for (let index = 0; index < call.messages.length; index++) {
      const m = call.messages[index]!;
      const msg = m.captured.message;
      if (m.retransmission || !SESSION_METHODS.has(msg.kind === 'request' ? msg.method! : (msg.cseq?.method ?? ''))) continue;
      // A body the capture's snap length or the log cut short lacks lines its sender did send (malformed-message says so).
      if ((m.captured.cutByCapture ?? 0) > 0 || (msg.contentLength !== null && msg.body.length < msg.contentLength)) continue;
      const sdp = sdpAt(call, index)?.sdp;
      if (sdp === undefined || sdp.defects.length === 0) continue;
      (defective ??= new Map()).set(index, sdp.defects);
      for (const defect of sdp.defects) {
        const key = JSON.stringify(defect);
        const seen = (found ??= new Map()).get(key);
        if (seen === undefined) found.set(key, { defect, messages: [index] });
        else seen.messages.push(index);
      }
    }
    if (found === null) return;
    const refusals: { request: number; response: number; defect: SdpDefect }[] = [];
    for (const tx of call.transactions) {
      if (tx.request === null) continue;
      const final = firstFinal(call, tx);
      if (final === null || !SDP_REJECTIONS.has(call.messages[final]!.captured.message.status ?? 0)) continue;
      const defects = defective?.get(tx.request);
      if (defects !== undefined) refusals.push({ request: tx.request, response: final, defect: defects[0]! });
    }
    const explained = new Set(refusals.map((r) => JSON.stringify(r.defect)));
    for (const [key, { defect, messages }] of found) {
      if (explained.has(key)) continue;
      const first = call.messages[messages[0]!]!.captured;
      const data = { ...defectData(defect), method: labelOf(first.message), sender: endpoint(first.src) };
      const offered = defect.kind === 'no-rtpmap' ? offeredMapping(call, messages[0]!, defect) : null;
      if (offered !== null) context.report({ messageId: 'answer-rtpmap', data: { ...data, offered }, messages, anchor: messages[0]! });
      else context.report({ messageId: invalidId(defect), data, messages, anchor: messages[0]! });
    }
    for (const r of refusals) {
      const request = call.messages[r.request]!.captured;
      const response = call.messages[r.response]!.captured.message;
      context.report({
        messageId: 'rejected',
        data: { ...defectData(r.defect), method: labelOf(request.message), sender: endpoint(request.src), status: response.status!, response: statusLabel(response) },
        messages: [...(found.get(JSON.stringify(r.defect))?.messages ?? [r.request]), r.response].sort((a, b) => a - b),
        anchor: r.response,
      });
    }
  },
});

/**
 * For an answer (a response whose request carried the offer) that lists dynamic payload types
 * without rtpmap: the offer's mapping of each ("telephone-event/8000"), when the offer's media
 * line at the same place maps all of them (RFC 3264 §6.1 keeps the offer's numbers); else null.
 */
function offeredMapping(call: Call, index: number, defect: Extract<SdpDefect, { kind: 'no-rtpmap' }>): string | null {
  const m = call.messages[index]!;
  if (m.captured.message.kind !== 'response') return null;
  const request = call.transactions[m.transaction]?.request;
  const offer = request == null ? null : sdpAt(call, request)?.sdp.media[defect.media - 1];
  if (offer == null) return null;
  const names = defect.payloads.map((p) => offer.codecs.find((c) => c.payload === p && c.name !== ''));
  return names.every((c) => c !== undefined) ? names.map((c) => (c!.rate === null ? c!.name : `${c!.name}/${c!.rate}`)).join(', ') : null;
}

/** "INVITE", or "200 OK (INVITE)" for an answer in a response. */
function labelOf(msg: { readonly kind: string; readonly method: string | null; readonly cseq: { readonly method: string } | null; readonly status: number | null; readonly reason: string | null }): string {
  return msg.kind === 'request' ? msg.method! : `${msg.status} ${msg.reason ?? ''}`.trim() + ` (${msg.cseq?.method ?? '?'})`;
}
