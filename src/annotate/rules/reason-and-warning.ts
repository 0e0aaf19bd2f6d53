import { isSipStatusCode, lookupResponseCode } from '../codes/index.js';
import { statusLabel } from './lib/call.js';
import { headerValues, reasonsOf, warningsOf, type ReasonValue, type WarningValue } from '../../parse/sip/header-values.js';
import { meaningsEs, q850Meaning, warnCodeMeaning } from './lib/q850.js';
import { endpoint, defineRule } from './types.js';
import { HEADER_BIT, type SipMessage } from '../../parse/sip/types.js';

/** Q.850 cause 16: the call ended normally. */
const NORMAL_CLEARING = 16;

/**
 * A Reason that says a call ended the ordinary way, which is no finding: Q.850 cause 16 (normal
 * clearing, which many PBXs put on every BYE), and on a BYE or CANCEL a SIP Reason with no cause
 * (`SIP;description="User Hung Up"`) or cause 200 (the call was answered elsewhere, RFC 3326).
 */
function ordinaryEnding(method: string | null, protocol: string, cause: number | null): boolean {
  if (protocol === 'Q.850') return cause === NORMAL_CLEARING;
  return protocol === 'SIP' && (method === 'BYE' || method === 'CANCEL') && (cause === null || cause === 200);
}

/**
 * The explanation a peer gives for ending or refusing something: Reason headers (RFC 3326; a
 * Q.850 cause from the telephone network, or a SIP code) and Warning headers (RFC 3261 §20.43)
 * on BYE, CANCEL and error responses.
 */
export const reasonAndWarning = defineRule<{ includeNormalClearing: boolean }>({
  meta: {
    id: 'reason-and-warning',
    severity: 'info',
    description: 'Shows the Reason (Q.850 cause with its meaning, or SIP cause) and Warning headers a peer gives on BYE, CANCEL and error responses.',
    evidence: 'The BYE, CANCEL or error response that carries the header.',
    explanation:
      'Reason and Warning headers are the sender\'s own explanation, often more precise than the status code: a gateway passes on the Q.850 cause from the telephone network (17 user busy, 1 unallocated number, 34 no circuit available...), a CANCEL says "SIP;cause=200" when another device took the call, and Warning 3xx codes say which part of the session description was not acceptable. The text parameter and the warn-text are free text from the vendor.',
    fix: 'Use the cause to decide where to look: a Q.850 cause from a gateway points at the telephone network side of the call, a Warning names the agent ({agent}) that refused something. No fix is needed for normal clearing or "call completed elsewhere".',
    rfc: 'RFC 3326 (Reason); ITU-T Q.850; RFC 3261 §20.43 (Warning); RFC 3398, RFC 6432 (Q.850 in SIP)',
    messages: {
      q850: '{where} from {sender} gives Q.850 cause {cause}: {meaning}{detail}.',
      'sip-cause': '{where} from {sender} gives SIP cause {cause} ({meaning}){detail}.',
      other: '{where} from {sender} gives Reason: {reason}.',
      warning: '{where} from {sender} carries Warning {code} from {agent} ({meaning}): "{text}".',
    },
    options: {
      includeNormalClearing: { default: false, description: 'Also report the Reasons of an ordinary ending: Q.850 cause 16 (normal call clearing), which many PBXs put on every BYE, and a SIP Reason on a BYE or CANCEL with no cause or cause 200 (answered elsewhere).' },
    },
    translations: {
      es: {
        description: 'Muestra los encabezados Reason (una causa Q.850 con su significado, o una causa SIP) y Warning que da un destino en BYE, CANCEL y respuestas de error.',
        evidence: 'El BYE, el CANCEL o la respuesta de error que lleva el encabezado.',
        explanation:
          'Los encabezados Reason y Warning son la propia explicación del remitente, a menudo más precisa que el código de estado: un gateway transmite la causa Q.850 de la red telefónica (17 usuario ocupado, 1 número no asignado, 34 no hay circuito disponible...), un CANCEL dice «SIP;cause=200» cuando otro dispositivo contestó la llamada, y los códigos Warning 3xx indican qué parte de la descripción de sesión no era aceptable. El parámetro text y el warn-text son texto libre del fabricante.',
        fix: 'Usa la causa para decidir dónde mirar: una causa Q.850 de un gateway apunta al lado de la red telefónica de la llamada; un Warning nombra al agente ({agent}) que rechazó algo. No hace falta corregir nada en una liberación normal ni en «call completed elsewhere».',
        rfc: 'RFC 3326 (Reason); ITU-T Q.850; RFC 3261 §20.43 (Warning); RFC 3398, RFC 6432 (Q.850 en SIP)',
        messages: {
          q850: 'El {where} de {sender} da la causa Q.850 {cause}: {meaning}{detail}.',
          'sip-cause': 'El {where} de {sender} da la causa SIP {cause} ({meaning}){detail}.',
          other: 'El {where} de {sender} da Reason: {reason}.',
          warning: 'El {where} de {sender} lleva Warning {code} de {agent} ({meaning}): «{text}».',
        },
        options: {
          includeNormalClearing: 'Informar también de los Reason de un final ordinario: la causa Q.850 16 (liberación normal de la llamada), que muchas PBX ponen en todos los BYE, y un Reason SIP en un BYE o un CANCEL sin causa o con causa 200 (contestada en otro sitio).',
        },
        values: {
          meaning: { ...meaningsEs(), 'not a SIP status code': 'no es un código de estado SIP' },
          code: { none: 'ninguno' },
        },
      },
    },
  },
  needs: { headers: HEADER_BIT.reason | HEADER_BIT.warning },
  check(call, context) {
    // Made at the first header told (most calls tell none).
    let seen = null as Set<string> | null;
    const messages = call.messages;
    // A loop, not forEach: no closure per call, and nothing made for a message that tells nothing.
    for (let index = 0; index < messages.length; index++) {
      const m = messages[index]!;
      if (m.retransmission) continue;
      const c = m.captured;
      const msg = c.message;
      const relevant = msg.kind === 'request' ? msg.method === 'BYE' || msg.method === 'CANCEL' : (msg.status ?? 0) >= 300;
      if (!relevant) continue;
      // The parser's header bits say which of the two it may carry (a 487 or a CANCEL usually has neither): no list read or made for an absent one.
      const bits = msg.headerBits;
      // The usual BYE: one Reason that is Q.850 cause 16 and no Warning, known by its value without parsing it again.
      if ((bits & HEADER_BIT.warning) === 0 && (bits & HEADER_BIT.reason) !== 0 && !context.options.includeNormalClearing && onlyNormalClearing(msg)) continue;
      const reasons = (bits & HEADER_BIT.reason) === 0 ? NONE_REASONS : reasonsOf(msg);
      const warnings = (bits & HEADER_BIT.warning) === 0 ? NONE_WARNINGS : warningsOf(msg);
      // Most BYEs and failures carry neither, or only a Reason that says the call ended the ordinary way: nothing is made for them.
      if (warnings.length === 0 && (context.options.includeNormalClearing ? reasons.length === 0 : allOrdinary(msg.method, reasons))) continue;
      const where = msg.kind === 'request' ? msg.method! : statusLabel(msg);
      const base = { where, sender: endpoint(c.src), agent: '' };
      // A proxy forwards the same header on every hop: report it once per request or response.
      const once = (raw: string): boolean => {
        const key = `${where}\u0000${msg.cseq?.seq ?? ''}\u0000${msg.cseq?.method ?? ''}\u0000${raw}`;
        if (seen?.has(key) === true) return false;
        (seen ??= new Set()).add(key);
        return true;
      };
      for (const reason of reasons) {
        const protocol = reason.protocol.toUpperCase();
        if (!context.options.includeNormalClearing && ordinaryEnding(msg.method, protocol, reason.cause)) continue;
        if (!once(reason.raw)) continue;
        const detail = reason.text === '' ? '' : ` ("${reason.text}")`;
        const cause = reason.cause ?? 'none';
        if (protocol === 'Q.850' && reason.cause !== null) {
          context.report({ messageId: 'q850', data: { ...base, cause, meaning: q850Meaning(reason.cause), text: reason.text, detail }, messages: [index], anchor: index });
        } else if (protocol === 'SIP' && reason.cause !== null) {
          const meaning = isSipStatusCode(reason.cause) ? lookupResponseCode(reason.cause).reason : 'not a SIP status code';
          context.report({ messageId: 'sip-cause', data: { ...base, cause, meaning, text: reason.text, detail }, messages: [index], anchor: index });
        } else {
          context.report({ messageId: 'other', data: { ...base, protocol: reason.protocol, cause, text: reason.text, reason: reason.raw }, messages: [index], anchor: index });
        }
      }
      for (const warning of warnings) {
        if (!once(warning.raw)) continue;
        context.report({
          messageId: 'warning',
          data: { ...base, code: warning.code ?? 'none', meaning: warnCodeMeaning(warning.code), agent: warning.agent, text: warning.text },
          messages: [index],
          anchor: index,
        });
      }
    }
  },
});

const NONE_REASONS: readonly ReasonValue[] = [];

/** Reason header values seen, kept at most (a const enum: read per message). */
const enum Bound {
  REASON_VALUES = 64,
}

/**
 * Per Reason header value: whether every reason in it is Q.850 cause 16 (normal clearing), an
 * ordinary ending whatever the method. A capture repeats a few values on thousands of BYEs
 * (`Q.850;cause=16;text="Normal call clearing"`), each parsed (its list, its parameters) only to
 * find that; the verdict depends on the value alone, so it is kept by value, at most
 * Bound.REASON_VALUES of them (the table is emptied when full).
 */
const NORMAL_CLEARING_VALUES = new Map<string, boolean>();

/** Whether the message's Reason headers are one value whose reasons are all Q.850 cause 16. */
function onlyNormalClearing(msg: SipMessage): boolean {
  const values = headerValues(msg, 'reason');
  if (values.length !== 1) return false;
  const value = values[0]!;
  let verdict = NORMAL_CLEARING_VALUES.get(value);
  if (verdict === undefined) {
    // One value: reasonsOf reads exactly its reasons.
    const reasons = reasonsOf(msg);
    verdict = reasons.length > 0;
    for (const r of reasons) if (r.protocol.toUpperCase() !== 'Q.850' || r.cause !== NORMAL_CLEARING) verdict = false;
    if (NORMAL_CLEARING_VALUES.size >= Bound.REASON_VALUES) NORMAL_CLEARING_VALUES.clear();
    NORMAL_CLEARING_VALUES.set(value, verdict);
  }
  return verdict;
}
const NONE_WARNINGS: readonly WarningValue[] = [];

/** Whether every Reason of a message says the call ended the ordinary way (true for none). */
function allOrdinary(method: string | null, reasons: readonly ReasonValue[]): boolean {
  for (const r of reasons) if (!ordinaryEnding(method, r.protocol.toUpperCase(), r.cause)) return false;
  return true;
}
