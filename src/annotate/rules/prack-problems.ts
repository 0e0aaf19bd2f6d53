import { diffMs } from '../../time.js';
import type { Call } from '../../parse/dialog/types.js';
import { captured, firstFinal, sameHop, statusLabel } from './lib/call.js';
import { hasOptionTag, rackOf, rseqOf } from '../../parse/sip/header-values.js';
import { duration, endpoint, type DataValue, defineRule } from './types.js';
import { HEADER_BIT } from '../../parse/sip/types.js';

/** A PRACK transaction after message `after` whose request the capture lacks but whose response it holds. */
function uncapturedPrackAfter(call: Call, after: number): boolean {
  return call.transactions.some((tx) => tx.method === 'PRACK' && tx.request === null && tx.responses.some((i) => i > after));
}

/**
 * Reliable provisional responses (RFC 3262): a 1xx with Require: 100rel and RSeq must be
 * acknowledged with PRACK; the UAS retransmits it until then. Reports reliable 1xx that are
 * retransmitted with no PRACK, and PRACKs that fail.
 */
export const prackProblems = defineRule({
  meta: {
    id: 'prack-problems',
    severity: 'error',
    description: 'Reliable provisional responses (100rel) go wrong: a 1xx with RSeq retransmitted and never PRACKed, or a PRACK that fails.',
    evidence: 'The reliable 1xx and its retransmissions, the PRACK and its response.',
    explanation:
      'A provisional response sent reliably (Require: 100rel, RSeq {rseq}) must be acknowledged with a PRACK carrying RAck "{rseq} {cseq} INVITE". Until the PRACK arrives, {uas} repeats the {response}, and after 64*T1 without one it rejects the call with 5xx. A PRACK that does not arrive (NAT, the Contact or Record-Route of the 1xx unreachable), a caller that did not really support 100rel, or a PRACK with the wrong RAck (answered 481) break early media and call setup.',
    fix: 'Check that {uac} supports 100rel (Supported: 100rel in the INVITE) and sends PRACK to the Contact of the 1xx through its Record-Route, with RAck matching RSeq and CSeq; if 100rel causes trouble with this peer, set it to "supported" rather than "required" or turn it off on the side that sends reliable 1xx.',
    rfc: 'RFC 3262 §3 (UAS retransmits until PRACK), §4 (UAC sends PRACK), §7.1 (RSeq), §7.2 (RAck)',
    messages: {
      'not-acknowledged': 'The reliable {response} (RSeq {rseq}) from {uas} was sent {copies} time(s) over {waited} and {uac} never sent a PRACK for it.',
      'prack-failed': 'The PRACK for the reliable {response} (RSeq {rseq}) was answered {prackResponse} by {uas}.',
    },
    options: {},
    translations: {
      es: {
        description: 'Las respuestas provisionales fiables (100rel) fallan: un 1xx con RSeq retransmitido y nunca confirmado con PRACK, o un PRACK que falla.',
        evidence: 'El 1xx fiable y sus retransmisiones, el PRACK y su respuesta.',
        explanation:
          'Una respuesta provisional enviada de forma fiable (Require: 100rel, RSeq {rseq}) debe confirmarse con un PRACK que lleve RAck «{rseq} {cseq} INVITE». Hasta que llega el PRACK, {uas} repite el {response}, y tras 64*T1 sin él rechaza la llamada con un 5xx. Un PRACK que no llega (NAT, el Contact o el Record-Route del 1xx inalcanzables), un llamante que en realidad no admitía 100rel, o un PRACK con el RAck equivocado (respondido con 481) estropean el early media y el establecimiento de la llamada.',
        fix: 'Comprueba que {uac} admite 100rel (Supported: 100rel en el INVITE) y que envía el PRACK al Contact del 1xx a través de su Record-Route, con un RAck que coincida con RSeq y CSeq; si 100rel da problemas con este destino, configúralo como «supported» en lugar de «required», o desactívalo en el lado que envía los 1xx fiables.',
        rfc: 'RFC 3262 §3 (el UAS retransmite hasta el PRACK), §4 (el UAC envía el PRACK), §7.1 (RSeq), §7.2 (RAck)',
        messages: {
          'not-acknowledged': 'El {response} fiable (RSeq {rseq}) de {uas} se envió {copies} veces durante {waited} y {uac} nunca envió un PRACK para él.',
          'prack-failed': 'El PRACK del {response} fiable (RSeq {rseq}) recibió {prackResponse} de {uas}.',
        },
        options: {},
      },
    },
  },
  // A reliable 1xx says Require: 100rel.
  needs: { headers: HEADER_BIT.require },
  check(call, context) {
    // Made when a PRACK failure is told (few calls).
    let reported = null as Set<string> | null;
    for (let t = 0; t < call.transactions.length; t++) {
      const tx = call.transactions[t]!;
      if (tx.method !== 'INVITE') continue;
      // Reliable 1xx by RSeq: the correlator sees two 183s with different RSeq as one response, so group here.
      // Made at the first reliable 1xx: most INVITEs have none.
      let groups: Map<string, number[]> | null = null;
      for (let r = 0; r < tx.responses.length; r++) {
        const i = tx.responses[r]!;
        const msg = captured(call, i).message;
        const status = msg.status ?? 0;
        if (status <= 100 || status >= 200 || !hasOptionTag(msg, 'require', '100rel')) continue;
        const rseq = rseqOf(msg);
        if (rseq === null) continue;
        const key = `${msg.toTag ?? ''}\u0000${rseq}\u0000${msg.cseq?.seq ?? ''}`;
        const group = (groups ??= new Map()).get(key);
        if (group === undefined) groups.set(key, [i]);
        else group.push(i);
      }
      if (groups === null) continue;
      for (const [key, all] of groups) {
        const first = captured(call, all[0]!);
        const msg = first.message;
        const rseq = rseqOf(msg)!;
        const cseq = msg.cseq?.seq ?? 0;
        // Copies on the hop nearest to the UAS (second captures of one packet never reach the call).
        const copies = all.filter((i) => sameHop(first, captured(call, i)));
        const prack = call.messages.findIndex((m, i) => {
          const rack = m.captured.message.method === 'PRACK' && i > all[0]! ? rackOf(m.captured.message) : null;
          return rack !== null && rack.rseq === rseq && rack.cseq === cseq;
        });
        const data: Record<string, DataValue> = {
          response: statusLabel(msg),
          rseq,
          cseq,
          uas: endpoint(first.src),
          uac: endpoint(first.dst),
          copies: copies.length,
          waited: duration(diffMs(first.time, captured(call, copies[copies.length - 1]!).time)),
        };
        if (prack < 0) {
          // A PRACK answered but not captured itself (sent inside IPsec, as IMS phones do, or on a path the capture
          // missed) may be the one for this 1xx: the capture cannot say the caller never sent it.
          if (copies.length >= 2 && !uncapturedPrackAfter(call, all[0]!)) context.report({ messageId: 'not-acknowledged', data, messages: copies, anchor: copies[copies.length - 1]! });
          continue;
        }
        const prackTx = call.transactions[call.messages[prack]!.transaction]!;
        const final = firstFinal(call, prackTx);
        if (final !== null && (captured(call, final).message.status ?? 0) >= 300 && reported?.has(key) !== true) {
          (reported ??= new Set()).add(key);
          context.report({ messageId: 'prack-failed', data: { ...data, prackResponse: statusLabel(captured(call, final).message), uas: endpoint(captured(call, final).src) }, messages: [all[0]!, prack, final], anchor: final });
        }
      }
    }
  },
});
