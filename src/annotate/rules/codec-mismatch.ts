import type { Call, Transaction } from '../../parse/dialog/types.js';
import type { MediaDescription } from '../../parse/sip/sdp.js';
import { codecKey, codecList, describeOffer, faxMedia, isMainCodec, mainCodecs, offerAnswers, sameCodec, sdpAt } from '../media.js';
import { warningsOf } from '../../parse/sip/header-values.js';
import { meaningsEs, warnCodeMeaning } from './lib/q850.js';
import { defineRule } from './types.js';

/** Statuses that say the session description itself was refused (RFC 3261 §21.4.26, §21.4.13, §21.6.4). */
const MEDIA_REFUSALS = new Set([488, 415, 606]);

/**
 * Whether an audio stream the answer accepts (port other than 0) names a main codec that an
 * offered audio stream names too (same codecKey, asked by sameCodec without making the keys):
 * the check below then finds a common codec and reports nothing.
 */
function answersOfferedCodec(offer: readonly MediaDescription[], answer: readonly MediaDescription[]): boolean {
  for (let j = 0; j < answer.length; j++) {
    const a = answer[j]!;
    if (a.type !== 'audio' || a.port === 0) continue;
    for (let k = 0; k < a.codecs.length; k++) {
      const answered = a.codecs[k]!;
      if (!isMainCodec(answered)) continue;
      for (let p = 0; p < offer.length; p++) {
        const o = offer[p]!;
        if (o.type !== 'audio') continue;
        for (let q = 0; q < o.codecs.length; q++) {
          const offered = o.codecs[q]!;
          if (isMainCodec(offered) && sameCodec(offered, answered)) return true;
        }
      }
    }
  }
  return false;
}

/** The first copy among a transaction's responses that refuses its media (MEDIA_REFUSALS), or -1: a loop, not `find` with a closure per INVITE and UPDATE. */
function firstRefusal(call: Call, tx: Transaction): number {
  for (let r = 0; r < tx.responses.length; r++) {
    const i = tx.responses[r]!;
    const m = call.messages[i]!;
    if (!m.retransmission && MEDIA_REFUSALS.has(m.captured.message.status ?? 0)) return i;
  }
  return -1;
}

export const codecMismatch = defineRule({
  meta: {
    id: 'codec-mismatch',
    severity: 'error',
    description: 'The two sides could not agree on media: the offer was refused (488, 415, 606), the answer shares no codec with the offer, or it rejects every stream.',
    evidence: 'The message with the offer (its codecs) and the refusing response or the answer (its codecs).',
    explanation:
      'An SDP answer may only use codecs that the offer listed (RFC 3264 §6.1). When the callee supports none of the offered codecs, or its side is configured with a different codec list, the call fails with 488/606 or is set up with no usable media.',
    fix: 'Compare the codec lists of both ends ({offered} offered; {answered}) and enable at least one common codec on both (G.711 PCMU/PCMA is the usual common ground), or let the SBC/PBX transcode. Check also that the offer is not stripped by an SBC or ALG on the way.',
    rfc: 'RFC 3264 §6; RFC 3261 §21.4.26, §21.6.4',
    messages: {
      refused: '{method} offering {offered} was refused with {status}{warning}.',
      'refused-warning': '{method} offering {offered} was refused with {status}; its Warning {code} from {agent} ({meaning}) gives the reason{text}, so look there before the codec lists.',
      'no-common-codec': 'The answer offers {answered} but the offer had {offered}: no codec in common.',
      'all-streams-rejected': 'The answer rejects every media stream (port 0); the offer had {offered}.',
    },
    options: {},
    translations: {
      es: {
        description: 'Los dos lados no pudieron acordar los medios: la oferta se rechazó (488, 415, 606), la respuesta no comparte ningún códec con la oferta, o rechaza todos los flujos.',
        evidence: 'El mensaje con la oferta (sus códecs) y la respuesta que la rechaza o la respuesta SDP (sus códecs).',
        explanation:
          'Una respuesta SDP solo puede usar códecs que la oferta haya listado (RFC 3264 §6.1). Cuando el llamado no admite ninguno de los códecs ofrecidos, o su lado está configurado con otra lista de códecs, la llamada falla con 488/606 o se establece sin medios utilizables.',
        fix: 'Compara las listas de códecs de los dos extremos ({offered} en la oferta; {answered}) y habilita al menos un códec común en ambos (G.711 PCMU/PCMA es el terreno común habitual), o deja que el SBC o la PBX transcodifique. Comprueba también que ningún SBC o ALG del camino recorta la oferta.',
        rfc: 'RFC 3264 §6; RFC 3261 §21.4.26, §21.6.4',
        messages: {
          refused: 'El {method} que ofrecía {offered} se rechazó con {status}{warning}.',
          'refused-warning': 'El {method} que ofrecía {offered} se rechazó con {status}; su Warning {code} de {agent} ({meaning}) da el motivo{text}, así que mire ahí antes que en las listas de códecs.',
          'no-common-codec': 'La respuesta ofrece {answered}, pero la oferta tenía {offered}: ningún códec en común.',
          'all-streams-rejected': 'La respuesta rechaza todos los flujos de medios (puerto 0); la oferta tenía {offered}.',
        },
        options: {},
        values: {
          offered: { 'no SDP': 'sin SDP', '(none)': '(ninguno)', '(no media)': '(sin medios)' },
          answered: { 'no stream': 'ningún flujo', 'none accepted': 'ninguno aceptado', '(none)': '(ninguno)' },
          meaning: meaningsEs(),
        },
      },
    },
  },
  check(call, context) {
    const pairs = offerAnswers(call);
    for (let n = 0; n < pairs.length; n++) {
      const pair = pairs[n]!;
      if (pair.answer === null) continue;
      // The usual answer names an offered audio codec: it is found without making the lists the findings need.
      if (answersOfferedCodec(pair.offer.sdp.media, pair.answer.sdp.media)) continue;
      const answerAudio = pair.answer.sdp.media.filter((m) => m.type === 'audio');
      if (answerAudio.length === 0) continue;
      const offered = mainCodecs(pair.offer.sdp.media.filter((m) => m.type === 'audio').flatMap((m) => m.codecs));
      const evidence = [pair.offer.index, pair.answer.index];
      if (answerAudio.every((m) => m.port === 0)) {
        context.report({ messageId: 'all-streams-rejected', data: { offered: codecList(offered), answered: 'no stream' }, messages: evidence });
        continue;
      }
      const answered = mainCodecs(answerAudio.filter((m) => m.port !== 0).flatMap((m) => m.codecs));
      const offeredKeys = new Set(offered.map(codecKey));
      if (offered.length > 0 && answered.length > 0 && !answered.some((c) => offeredKeys.has(codecKey(c)))) {
        context.report({ messageId: 'no-common-codec', data: { offered: codecList(offered), answered: codecList(answered) }, messages: evidence });
      }
    }
    for (let t = 0; t < call.transactions.length; t++) {
      const tx = call.transactions[t]!;
      if (tx.request === null || (tx.method !== 'INVITE' && tx.method !== 'UPDATE')) continue;
      const refusal = firstRefusal(call, tx);
      if (refusal < 0) continue;
      const response = call.messages[refusal]!.captured.message;
      const offer = sdpAt(call, tx.request);
      // An offer that breaks RFC 4566 is sdp-invalid's: the defect, not the codecs, is the likely reason.
      if (offer !== null && offer.sdp.defects.length > 0) continue;
      // A re-INVITE switching the call to T.38 fax is t38-switch's: the call goes on as audio.
      const reinvite = call.messages[tx.request]!.captured.message.toTag != null;
      if (reinvite && tx.method === 'INVITE' && offer !== null && faxMedia(offer.sdp.media) !== undefined) continue;
      const warning = response.headers.find((h) => h.key === 'warning')?.value;
      // RFC 3261 §20.43: 304/305 name the media or its format; any other code (an address
      // family, a transport, bandwidth, an attribute, 399 with the agent's own words) names
      // another reason, and blaming the codec lists would send the reader the wrong way.
      const named = warningsOf(response).find((w) => w.code !== null && w.code !== 304 && w.code !== 305);
      if (named !== undefined) {
        context.report({
          messageId: 'refused-warning',
          data: {
            method: tx.method,
            offered: offer === null ? 'no SDP' : describeOffer(offer.sdp),
            answered: 'none accepted',
            status: `${response.status} ${response.reason ?? ''}`.trim(),
            code: named.code!,
            agent: named.agent,
            meaning: warnCodeMeaning(named.code),
            text: named.text === '' ? '' : `: "${named.text}"`,
          },
          messages: [tx.request, refusal],
        });
        continue;
      }
      context.report({
        messageId: 'refused',
        data: {
          method: tx.method,
          offered: offer === null ? 'no SDP' : describeOffer(offer.sdp),
          answered: 'none accepted',
          status: `${response.status} ${response.reason ?? ''}`.trim(),
          warning: warning === undefined ? '' : ` (Warning: ${warning})`,
        },
        messages: [tx.request, refusal],
      });
    }
  },
});
