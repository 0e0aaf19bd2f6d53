import type { Call, Transaction } from '../../parse/dialog/types.js';
import { headerValue } from '../../parse/sip/header-values.js';
import type { SipMessage } from '../../parse/sip/types.js';
import { referTarget } from '../transfers.js';
import { captured, firstFinal, sipOf, statusLabel, statusOf } from './lib/call.js';
import { eventPackage } from './subscription-not-found.js';
import { endpoint, ref, defineRule } from './types.js';

const CHALLENGES: ReadonlySet<number> = new Set([401, 407]);

/** At most this many bytes of a sipfrag body are read: its status line is first (RFC 3420). */
const SIPFRAG_HEAD = 200;

/** The status line of a message/sipfrag body ("SIP/2.0 180 Ringing"), as code and reason; null when it is not one. */
export function sipfragStatus(msg: SipMessage): { status: number; reason: string } | null {
  if (!(msg.contentType ?? '').toLowerCase().startsWith('message/sipfrag')) return null;
  let text = '';
  for (let i = 0; i < Math.min(msg.body.length, SIPFRAG_HEAD) && msg.body[i] !== 0x0d && msg.body[i] !== 0x0a; i++) text += String.fromCharCode(msg.body[i]!);
  const m = /^SIP\/2\.0 (\d{3})(?: (.*))?$/.exec(text.trim());
  return m === null ? null : { status: Number(m[1]), reason: (m[2] ?? '').trim() };
}

/** REFER answered 405 or 501: the recipient does not do REFER at all (RFC 3261 §21.4.6, §21.5.2). */
const UNSUPPORTED: ReadonlySet<number> = new Set([405, 501]);

/** What a failure status the target gave means for the transfer (the word shown beside it). */
function meaningOf(status: number): string {
  if (status === 486 || status === 600) return 'the target is busy';
  if (status === 404 || status === 604 || status === 484 || status === 410) return 'no such target';
  if (status === 480 || status === 408 || status === 487) return 'the target did not answer';
  if (status === 403 || status === 603) return 'the target or its server refused the call';
  if (status === 488 || status === 415) return 'the media offered was not accepted';
  return 'the call to the target failed';
}

/**
 * The NOTIFYs of the REFER's implicit subscription (RFC 3515: Event: refer, its id the
 * REFER's CSeq when more than one REFER shares the dialog), in order, with their sipfrag status.
 */
function progressOf(call: Call, refer: Transaction): { index: number; status: number; reason: string }[] {
  const out: { index: number; status: number; reason: string }[] = [];
  for (let t = 0; t < call.transactions.length; t++) {
    const tx = call.transactions[t]!;
    if (tx.method !== 'NOTIFY' || tx.request === null || tx.request < refer.request!) continue;
    const msg = sipOf(call, tx.request);
    const event = headerValue(msg, 'event');
    if (eventPackage(event) !== 'refer') continue;
    const id = /;\s*id\s*=\s*(\d+)/i.exec(event ?? '')?.[1];
    if (id !== undefined && Number(id) !== refer.cseq) continue;
    const frag = sipfragStatus(msg);
    if (frag !== null) out.push({ index: tx.request, ...frag });
  }
  return out;
}

/**
 * A transfer (REFER, RFC 3515): the Refer-To target, whether it replaces a dialog (attended,
 * RFC 3891), the answer to the REFER, and the progress the transferee reports in its sipfrag
 * NOTIFYs (RFC 3420): refused, failed at the target, or completed.
 */
export const transfer = defineRule({
  meta: {
    id: 'transfer',
    severity: 'warning',
    messageSeverity: { completed: 'info', pending: 'info', 'completed-in-call': 'info', 'pending-in-call': 'info', 'transferred-from': 'info' },
    description: 'A call transfer (REFER): its target (Refer-To, attended when it carries Replaces), the answer to the REFER, and how the transferee\'s sipfrag NOTIFYs say the call to the target went: refused, failed, completed, or still pending when the capture ends; and the call the transferee made to the target (another Call-ID), linked both ways.',
    evidence: 'The REFER, its response, and the NOTIFY that carries the last status (message/sipfrag).',
    explanation:
      'A REFER asks {transferee} to call {target} ({kind} transfer). A 202 only means the REFER was accepted; the result comes in NOTIFYs (Event: refer) whose message/sipfrag body is the status line the target sent to {transferee}: 100 Trying, 180 Ringing, then 200 OK when the target answered, or a failure (486 busy, 404, 480...) when the transfer failed. The transferor usually hangs up after the 200; after a failure it should take the call back. The call from {transferee} to the target has a Call-ID of its own: it is linked to the REFER when its INVITE carries the Replaces of the Refer-To (attended), a Referred-By naming the transferor, or comes from {transferee} to the target right after the REFER, and then how that call ended is read from it.',
    fixes: {
      unsupported: '{server} does not accept REFER (405 Method Not Allowed, 501 Not Implemented): transfer through the PBX instead (its transfer feature code or attended transfer by the PBX), or enable REFER on {server} (many PBXs and SBCs have a setting that allows or rejects transfers by REFER).',
      'transferred-from': 'Nothing to fix here: the story of the transfer, and how it went, is told on call {call}, where the REFER is.',
    },
    fix: 'A refused REFER: check that {server} allows transfers for this account (transfer permissions, REFER support, Referred-By required) and that the target is well formed. A failed transfer: the target refused the call from {transferee} (see the status), so check the target\'s availability and the dial plan {transferee} uses for {target}; for an attended transfer, that the Replaces names a dialog that still exists.',
    rfc: 'RFC 3515 (REFER, Refer-To, Event: refer); RFC 3420 (message/sipfrag); RFC 3891 (Replaces); RFC 3892 (Referred-By)',
    messages: {
      refused: 'REFER from {sender} to transfer the call to {target} ({kind}) was refused by {server} with {response}: the transfer was not attempted.',
      unsupported: 'REFER from {sender} to transfer the call to {target} ({kind}) was answered {response} by {server}: it does not do transfers by REFER at all, so the transfer was not attempted.',
      failed: 'The {kind} transfer to {target} failed: {transferee} reports that the target answered {status} ({meaning}).',
      completed: 'The {kind} transfer to {target} completed: {transferee} reports that the target answered {status}.',
      pending: 'The {kind} transfer to {target} was accepted ({response}); the last progress {transferee} reported was {status}, and the capture ends there.',
      'failed-in-call': 'The {kind} transfer to {target} failed: {transferee} called the target in call {call}, which got {callResponse} ({meaning}).',
      'completed-in-call': 'The {kind} transfer to {target} completed: {transferee} called the target in call {call}, which was answered ({callResponse}).',
      'pending-in-call': 'The {kind} transfer to {target} was accepted ({response}): {transferee} called the target in call {call}, which had no final response when this call ended.',
      'transferred-from': 'This call carries out the {kind} transfer asked for in call {call} (REFER {refer} from {sender}): {transferee} calls {target}.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una transferencia de llamada (REFER): su destino (Refer-To, atendida si lleva Replaces), la respuesta al REFER y cómo dicen los NOTIFY sipfrag del transferido que fue la llamada al destino: rechazada, fallida, completada o aún pendiente al final de la captura; y la llamada que hizo el transferido al destino (otro Call-ID), enlazada en ambos sentidos.',
        evidence: 'El REFER, su respuesta y el NOTIFY que lleva el último estado (message/sipfrag).',
        explanation:
          'Un REFER pide a {transferee} que llame a {target} (transferencia {kind}). Un 202 solo significa que se aceptó el REFER; el resultado llega en NOTIFY (Event: refer) cuyo cuerpo message/sipfrag es la línea de estado que el destino envió a {transferee}: 100 Trying, 180 Ringing y después 200 OK si el destino contestó, o un fallo (486 ocupado, 404, 480...) si la transferencia falló. El transferidor suele colgar tras el 200; tras un fallo debería recuperar la llamada. La llamada de {transferee} al destino tiene su propio Call-ID: se enlaza con el REFER cuando su INVITE lleva el Replaces del Refer-To (atendida), un Referred-By que nombra al transferidor, o va de {transferee} al destino justo después del REFER, y entonces cómo terminó esa llamada se lee en ella.',
        fix: 'Un REFER rechazado: comprueba que {server} permite transferencias a esta cuenta (permisos de transferencia, soporte de REFER, Referred-By obligatorio) y que el destino está bien formado. Una transferencia fallida: el destino rechazó la llamada de {transferee} (mira el estado), así que revisa la disponibilidad del destino y el plan de marcación que usa {transferee} para {target}; en una transferencia atendida, que el Replaces nombre un diálogo que aún exista.',
        rfc: 'RFC 3515 (REFER, Refer-To y el paquete de eventos de la transferencia); RFC 3420 (cuerpos sipfrag); RFC 3891 (Replaces); RFC 3892 (Referred-By)',
        messages: {
          refused: '{server} rechazó con {response} el REFER de {sender} para transferir la llamada a {target} ({kind}): la transferencia no se intentó.',
          unsupported: '{server} respondió {response} al REFER de {sender} para transferir la llamada a {target} ({kind}): no hace transferencias por REFER, así que la transferencia no se intentó.',
          failed: 'La transferencia {kind} a {target} falló: {transferee} informa de que el destino respondió {status} ({meaning}).',
          completed: 'La transferencia {kind} a {target} se completó: {transferee} informa de que el destino respondió {status}.',
          pending: 'La transferencia {kind} a {target} se aceptó ({response}); el último progreso que informó {transferee} fue {status}, y ahí termina la captura.',
          'failed-in-call': 'La transferencia {kind} a {target} falló: {transferee} llamó al destino en la llamada {call}, que recibió {callResponse} ({meaning}).',
          'completed-in-call': 'La transferencia {kind} a {target} se completó: {transferee} llamó al destino en la llamada {call}, que fue contestada ({callResponse}).',
          'pending-in-call': 'La transferencia {kind} a {target} se aceptó ({response}): {transferee} llamó al destino en la llamada {call}, que no tenía respuesta final cuando terminó esta llamada.',
          'transferred-from': 'Esta llamada lleva a cabo la transferencia {kind} pedida en la llamada {call} (REFER {refer} de {sender}): {transferee} llama a {target}.',
        },
        fixes: {
          unsupported: '{server} no acepta REFER (405 Method Not Allowed, 501 Not Implemented): transfiere a través de la centralita (su código de transferencia, o la transferencia atendida que hace la propia centralita), o habilita REFER en {server} (muchas centralitas y SBC tienen un ajuste que permite o rechaza las transferencias por REFER).',
          'transferred-from': 'Nada que corregir aquí: la historia de la transferencia, y cómo fue, se cuenta en la llamada {call}, donde está el REFER.',
        },
        options: {},
        values: {
          kind: { attended: 'atendida', blind: 'ciega' },
          status: { 'no NOTIFY': 'ningún NOTIFY' },
          target: { '(none)': '(ninguno)' },
          meaning: {
            'the target is busy': 'el destino está ocupado',
            'no such target': 'el destino no existe',
            'the target did not answer': 'el destino no contestó',
            'the target or its server refused the call': 'el destino o su servidor rechazaron la llamada',
            'the media offered was not accepted': 'no se aceptaron los medios ofrecidos',
            'the call to the target failed': 'la llamada al destino falló',
          },
        },
      },
    },
  },
  check(call, context) {
    // The call that a REFER in another call asked for: the link, told once on its first INVITE.
    const origin = context.related?.transferredFrom(call) ?? null;
    if (origin !== null) {
      const invite = call.messages.findIndex((m) => m.captured.message.kind === 'request' && m.captured.message.method === 'INVITE');
      if (invite >= 0) {
        const data = { call: origin.number, link: origin.reason, refer: ref(origin.refer), sender: endpoint(origin.refer.src), transferee: endpoint(captured(call, invite).src), target: origin.target.uri, kind: origin.target.attended ? 'attended' : 'blind' };
        context.report({ messageId: 'transferred-from', data, messages: [invite], anchor: invite });
      }
    }
    // The same REFER forwarded by a proxy (same CSeq and From tag) is one transfer: told once, at its first hop.
    let told = null as Set<string> | null;
    for (let t = 0; t < call.transactions.length; t++) {
      const refer = call.transactions[t]!;
      if (refer.method !== 'REFER' || refer.request === null) continue;
      const request = captured(call, refer.request);
      const key = `${refer.cseq}\u0000${request.message.fromTag ?? ''}`;
      if (told?.has(key) === true) continue;
      const { uri, attended } = referTarget(headerValue(request.message, 'refer-to') ?? '(none)');
      const base = { sender: endpoint(request.src), transferee: endpoint(request.dst), server: endpoint(request.dst), target: uri, kind: attended ? 'attended' : 'blind' };
      const final = firstFinal(call, refer);
      // A 401/407 is a challenge (auth-loop's story): the transferor retries the REFER with credentials, a new transaction.
      if (final === null || CHALLENGES.has(statusOf(call, final))) continue;
      (told ??= new Set()).add(key);
      const response = captured(call, final);
      const data = { ...base, server: endpoint(response.src), response: statusLabel(response.message) };
      if (statusOf(call, final) >= 300) {
        context.report({ messageId: UNSUPPORTED.has(statusOf(call, final)) ? 'unsupported' : 'refused', data, messages: [refer.request, final], anchor: final });
        continue;
      }
      const progress = progressOf(call, refer);
      const last = progress[progress.length - 1];
      const status = last === undefined ? 'no NOTIFY' : `${last.status} ${last.reason}`.trim();
      const evidence = last === undefined ? [refer.request, final] : [refer.request, final, last.index];
      const anchor = evidence[evidence.length - 1]!;
      // The transferee's call to the target, in the capture: how it ended is read there, the NOTIFYs only say what was reported.
      const became = context.related?.transferOf(call, refer.request) ?? null;
      if (became !== null) {
        const code = became.status ?? last?.status ?? null;
        const messageId = became.status === null ? 'pending-in-call' : became.status < 300 ? 'completed-in-call' : 'failed-in-call';
        const linked = { ...data, status, statusCode: last?.status ?? 'none', call: became.number, link: became.reason, callResponse: became.response ?? 'none', meaning: code !== null && code >= 300 ? meaningOf(code) : '' };
        context.report({ messageId, data: linked, messages: evidence, anchor });
        continue;
      }
      const messageId = last === undefined || last.status < 200 ? 'pending' : last.status < 300 ? 'completed' : 'failed';
      context.report({ messageId, data: { ...data, status, statusCode: last?.status ?? 'none', meaning: last !== undefined && last.status >= 300 ? meaningOf(last.status) : '' }, messages: evidence, anchor });
    }
  },
});
