import { headerValue, headerValues } from '../../parse/sip/header-values.js';
import { parseNumberValue } from '../../parse/sip/headers.js';
import { headerSectionEnded } from '../../parse/sip/parse.js';
import { userAgentKey } from '../sources.js';
import { HEADER_BIT, type SipMessage } from '../../parse/sip/types.js';
import { captured, isStream, sipOf, statusLabel } from './lib/call.js';
import { METHOD_VALUES_ES } from './lib/es.js';
import { endpoint, type DataValue, type Report, defineRule } from './types.js';
import type { Call } from '../../parse/dialog/types.js';

/** Headers every message needs (RFC 3261 §8.1.1, §20): key, the name to show, and its bit in `SipMessage.headerBits`. */
const VIA = HEADER_BIT.via;
const FROM = HEADER_BIT.from;
const TO = HEADER_BIT.to;
const CALL_ID = HEADER_BIT.callId;
const CSEQ = HEADER_BIT.cseq;
const MAX_FORWARDS = HEADER_BIT.maxForwards;
const MANDATORY: readonly (readonly [string, string, number])[] = [
  ['via', 'Via', VIA],
  ['from', 'From', FROM],
  ['to', 'To', TO],
  ['call-id', 'Call-ID', CALL_ID],
  ['cseq', 'CSeq', CSEQ],
];
const ALL_MANDATORY = VIA | FROM | TO | CALL_ID | CSEQ;

/** Longest start line quoted in a finding. */
const START_LINE_MAX = 80;

/**
 * The values of a message's Content-Length headers, as numbers, and the first that is not one.
 * Run on every message: one readable Content-Length, the usual case, is the parser's own value
 * (`contentLength`) and makes no array; only otherwise are the header lines read again.
 */
function contentLengths(msg: SipMessage): { values: readonly number[]; invalid: string | undefined } {
  const bits = msg.headerBits;
  if ((bits & HEADER_BIT.contentLength) === 0) return NO_LENGTHS;
  const single = singleContentLength(msg);
  if (single !== null) return { values: [single], invalid: undefined };
  const lengths = headerValues(msg, 'content-length');
  const invalid = lengths.find((v) => parseNumberValue(v) === null);
  const values = invalid !== undefined ? [] : lengths.length === 1 ? [parseNumberValue(lengths[0]!)!] : [...new Set(lengths.map((v) => parseNumberValue(v)).filter((v): v is number => v !== null))];
  return { values, invalid };
}

const NO_LENGTHS = { values: [], invalid: undefined };

/** The message's one readable Content-Length (the parser's own value), or null when it has none, several, or one that does not read. */
function singleContentLength(msg: SipMessage): number | null {
  return (msg.headerBits & (HEADER_BIT.contentLength | HEADER_BIT.contentLengthAgain)) === HEADER_BIT.contentLength ? msg.contentLength : null;
}

function startLine(msg: SipMessage): string {
  const raw = msg.raw;
  let end = 0;
  while (end < raw.length && end < START_LINE_MAX && raw[end] !== 0x0d && raw[end] !== 0x0a) end++;
  return Buffer.from(raw.subarray(0, end)).toString('utf8');
}

function badStartLine(msg: SipMessage): boolean {
  if (msg.version !== 'SIP/2.0' && msg.version.toUpperCase() !== 'SIP/2.0') return true;
  if (msg.kind === 'response') return msg.status === null || msg.status < 100 || msg.status > 699;
  return msg.method === null || msg.requestUri === null || msg.requestUri === '' || msg.requestUri.includes(' ');
}

/**
 * Messages that break the SIP grammar in ways that make peers drop or misread them: a bad
 * start line, mandatory headers missing or unreadable, a Content-Length that disagrees with the
 * body, a CSeq method that is not the request's method.
 */
export const malformedMessage = defineRule({
  meta: {
    id: 'malformed-message',
    severity: 'error',
    messageSeverity: { 'missing-max-forwards': 'info', incomplete: 'info', 'cancel-via-mismatch': 'warning' },
    description: 'A message breaks the SIP grammar: bad start line, mandatory headers missing or unreadable (Via, From, To, Call-ID, CSeq, and Max-Forwards in requests), Content-Length disagreeing with the body, or a CSeq method other than the request method.',
    evidence: 'The malformed message (its first copy).',
    explanation:
      'A strict peer rejects such a message with 400 Bad Request or drops it without a word; a tolerant one may guess, differently from the sender. Call-ID, From and To tags, CSeq and the top Via identify dialogs and transactions, so without them responses and retransmissions cannot be matched; Max-Forwards is what stops loops; Content-Length tells where the body ends (on TCP, where the next message starts). A message whose frame the capture\'s snap length cut is not judged at all (the sip.cut-by-capture diagnostic names it). One cut short otherwise by the capture or the log is reported as incomplete, not as the sender\'s fault: headers that never end (an excerpt), or a body shorter than its Content-Length in a text log (the log holds what it printed) or on TCP or TLS (a message on a stream only ends once its Content-Length is complete). A missing Max-Forwards is a habit of a user agent\'s stack, and proxies add the header: it is told once per user agent (address and User-Agent), on the first call where it happened.',
    fix: 'Fix the sender ({sender}): it, or an ALG, SBC or header-manipulation rule on the way, builds or rewrites the message wrongly. SIP ALGs in routers are frequent culprits: turn them off. For Content-Length, look for something that changed the body (SDP rewriting) without updating the header.',
    fixes: {
      'content-length-crlf':
        'Find what rewrites line ends between the sender and this capture or log (a script or template that builds the body, a capture or HEP tool, a log copied by hand): SIP lines end in CRLF (RFC 3261 §7), and a receiver of this message finds its body {announced} - {actual} bytes short.',
      'cancel-via-mismatch':
        'Fix {sender}: RFC 3261 §9.1 makes a CANCEL\'s top Via the INVITE\'s, byte for byte (sent-by with its port included). Until then a CANCEL may not stop the INVITE: the callee keeps ringing until a timer ends it, and the CANCEL itself is answered late or not at all.',
      incomplete: 'Nothing to fix in the sender ({sender}) for a message the capture or the log cut: capture with a full snap length (tcpdump -s 0), from the start of the TCP connection, or take the whole log around this message. Only if the message is also cut where it is received does the sender need fixing.',
    },
    rfc: 'RFC 3261 §7.1, §7.2, §8.1.1, §9.1 (CANCEL), §18.3 (framing), §20.14 (Content-Length), §20.16 (CSeq), §20.22 (Max-Forwards)',
    messages: {
      'bad-start-line': 'The message from {sender} does not start with a valid request or status line: "{startLine}".',
      'missing-headers': '{what} from {sender} lacks mandatory header(s): {headers}.',
      'missing-max-forwards': '{count} request(s) from {sender} ({what}) have no Max-Forwards header, which every request must carry (a proxy on the way adds one).',
      'unreadable-headers': '{what} from {sender} has mandatory header(s) that cannot be read: {headers}.',
      'content-length-invalid': '{what} from {sender} has a Content-Length that is not a number: "{value}".',
      'content-length-mismatch': '{what} from {sender} announces Content-Length {announced} but carries {actual} body bytes.',
      'content-length-missing': '{what} from {sender} over {transport} has no Content-Length, which stream transports need to find the end of the message.',
      'cseq-mismatch': '{what} from {sender} has CSeq method {cseqMethod}, not {method}.',
      incomplete: '{what} from {sender} is cut short in its {cut}: the capture or the log cut it (or the sender did), so what is missing is not checked.',
      'content-length-crlf':
        '{what} from {sender} announces Content-Length {announced} but carries {actual} body bytes: one byte less for each of its {lines} body lines that end in LF alone, so the length was written for CRLF line ends that were turned into LF afterwards.',
      'cancel-via-mismatch':
        'CANCEL from {sender} does not repeat the top Via of the INVITE it cancels (sent-by {cancelVia} instead of {inviteVia}): a server that matches it by that Via finds no INVITE to cancel.',
    },
    options: {},
    translations: {
      es: {
        description:
          'Un mensaje incumple la gramática SIP: una línea inicial incorrecta, encabezados obligatorios que faltan o son ilegibles (Via, From, To, Call-ID, CSeq y, en las peticiones, Max-Forwards), un Content-Length que no coincide con el cuerpo, o un método en CSeq distinto del de la petición.',
        evidence: 'El mensaje mal formado (su primera copia).',
        explanation:
          'Un destino estricto rechaza un mensaje así con 400 Bad Request o lo descarta sin decir nada; uno tolerante puede intentar adivinarlo, y de forma distinta a como lo entiende el remitente. El Call-ID, los tags de From y To, el CSeq y el Via superior identifican los diálogos y las transacciones, así que sin ellos no se pueden asociar las respuestas ni las retransmisiones; Max-Forwards es lo que detiene los bucles; Content-Length indica dónde termina el cuerpo (en TCP, dónde empieza el siguiente mensaje). Un mensaje cuya trama recortó la longitud de captura (snaplen) no se juzga (lo indica el diagnóstico sip.cut-by-capture). Uno recortado de otro modo por la captura o por el registro se informa como incompleto, no como culpa del remitente: encabezados que nunca terminan (un extracto), o un cuerpo más corto que su Content-Length en un registro de texto (el registro contiene lo que imprimió) o en TCP o TLS (en un flujo, un mensaje solo termina cuando su Content-Length está completo). Que falte Max-Forwards es un hábito de la pila de un agente de usuario, y los proxies añaden el encabezado: se informa una vez por agente de usuario (dirección y User-Agent), en la primera llamada en que ocurrió.',
        fix: 'Corrige el remitente ({sender}): él, o un ALG, un SBC o una regla de manipulación de encabezados del camino, construye o reescribe mal el mensaje. Los SIP ALG de los routers son culpables frecuentes: desactívalos. Para Content-Length, busca algo que haya cambiado el cuerpo (una reescritura del SDP) sin actualizar el encabezado.',
        fixes: {
          'content-length-crlf':
            'Busca qué reescribe los finales de línea entre el remitente y esta captura o registro (un script o una plantilla que construye el cuerpo, una herramienta de captura o de HEP, un registro copiado a mano): las líneas SIP terminan en CRLF (RFC 3261 §7), y quien reciba este mensaje encuentra su cuerpo {announced} - {actual} bytes más corto.',
          'cancel-via-mismatch':
            'Corrige {sender}: RFC 3261 §9.1 exige que el Via superior de un CANCEL sea el del INVITE, byte a byte (el sent-by con su puerto incluido). Mientras tanto, un CANCEL puede no detener el INVITE: el llamado sigue sonando hasta que un temporizador lo termina, y el CANCEL mismo se responde tarde o nunca.',
          incomplete: 'No hay nada que corregir en el remitente ({sender}) cuando la captura o el registro recortaron el mensaje: captura con el snap length completo (tcpdump -s 0), desde el inicio de la conexión TCP, o toma el registro completo alrededor de este mensaje. Solo si el mensaje también llega recortado a su destino hay que corregir el remitente.',
        },
        rfc: 'RFC 3261 §7.1, §7.2, §8.1.1, §9.1 (CANCEL), §18.3 (delimitación de mensajes), §20.14 (Content-Length), §20.16 (CSeq), §20.22 (Max-Forwards)',
        messages: {
          'bad-start-line': 'El mensaje de {sender} no empieza con una línea de petición o de estado válida: «{startLine}».',
          'missing-headers': 'El {what} de {sender} no lleva estos encabezados obligatorios: {headers}.',
          'missing-max-forwards': '{count} petición(es) de {sender} ({what}) no tienen encabezado Max-Forwards, que toda petición debe llevar (un proxy del camino añade uno).',
          'unreadable-headers': 'El {what} de {sender} lleva estos encabezados obligatorios, pero no se pueden leer: {headers}.',
          'content-length-invalid': 'El {what} de {sender} tiene un Content-Length que no es un número: «{value}».',
          'content-length-mismatch': 'El {what} de {sender} anuncia Content-Length {announced}, pero lleva {actual} bytes de cuerpo.',
          'content-length-missing': 'El {what} de {sender} por {transport} no tiene Content-Length, que los transportes de flujo necesitan para encontrar el final del mensaje.',
          'cseq-mismatch': 'El {what} de {sender} tiene el método {cseqMethod} en CSeq, no {method}.',
          incomplete: 'El {what} de {sender} está recortado en {cut}: lo recortó la captura o el registro (o el remitente), así que no se comprueba lo que falta.',
          'content-length-crlf':
            'El {what} de {sender} anuncia Content-Length {announced}, pero lleva {actual} bytes de cuerpo: un byte menos por cada una de sus {lines} líneas de cuerpo que terminan solo en LF, así que la longitud se escribió para finales de línea CRLF que después se convirtieron en LF.',
          'cancel-via-mismatch':
            'El CANCEL de {sender} no repite el Via superior del INVITE que cancela (sent-by {cancelVia} en lugar de {inviteVia}): un servidor que lo asocia por ese Via no encuentra ningún INVITE que cancelar.',
        },
        options: {},
        values: { what: METHOD_VALUES_ES, cut: { headers: 'sus encabezados', body: 'su cuerpo' } },
      },
    },
  },
  check(call, context) {
    // A missing Max-Forwards is a habit of the sender's stack: one finding per user agent (address
    // and User-Agent), on the first call where it happened, with every message and method of that call.
    // Made at the first such message (most calls have none).
    let noMaxForwards = null as Map<string, { sender: DataValue; ip: string; userAgent: string | null; indices: number[]; methods: Set<string> }> | null;
    // A loop, not forEach, and `report` a module function: no closure made per call for the usual call, which reports nothing.
    const messages = call.messages;
    for (let index = 0; index < messages.length; index++) {
      const m = messages[index]!;
      // A message the capture's snap length cut: what is missing was sent but never captured
      // (the sip.cut-by-capture diagnostic says so), so nothing in it is the sender's fault.
      if (m.retransmission || (m.captured.cutByCapture ?? 0) > 0) continue;
      const c = m.captured;
      const msg = c.message;
      if (badStartLine(msg)) report(call, context, index, 'bad-start-line', { startLine: startLine(msg) });
      if (!headerSectionEnded(msg)) {
        report(call, context, index, 'incomplete', { cut: 'headers' });
        continue;
      }
      const present = msg.headerBits;
      const request = msg.kind === 'request';
      const lacksMaxForwards = request && (present & MAX_FORWARDS) === 0;
      // Max-Forwards alone: proxies add it when it is missing (RFC 3261 §16.6 step 3), so it rarely breaks anything.
      if ((present & ALL_MANDATORY) === ALL_MANDATORY && lacksMaxForwards) {
        const userAgent = headerValue(msg, 'user-agent');
        const key = userAgentKey(c.src.ip, userAgent);
        noMaxForwards ??= new Map();
        const group = noMaxForwards.get(key) ?? { sender: endpoint(c.src), ip: c.src.ip, userAgent, indices: [], methods: new Set<string>() };
        group.indices.push(index);
        group.methods.add(msg.method ?? 'request');
        noMaxForwards.set(key, group);
      } else if ((present & ALL_MANDATORY) !== ALL_MANDATORY || lacksMaxForwards) {
        const missing = MANDATORY.filter(([, , bit]) => (present & bit) === 0).map(([, name]) => name);
        if (lacksMaxForwards) missing.push('Max-Forwards');
        report(call, context, index, 'missing-headers', { headers: missing.join(', ') });
      }
      // The top Via's sent-by and whether From and To read are noted as the message is parsed
      // (SipMessage.sentBy, headerBits): a Via with any readable entry has a sent-by.
      let unreadable: string[] | null = null;
      if ((present & VIA) !== 0 && msg.sentBy === '') (unreadable ??= []).push('Via');
      if ((present & HEADER_BIT.fromUnreadable) !== 0) (unreadable ??= []).push('From');
      if ((present & HEADER_BIT.toUnreadable) !== 0) (unreadable ??= []).push('To');
      if ((present & CSEQ) !== 0 && msg.cseq === null) (unreadable ??= []).push('CSeq');
      if (request && (present & MAX_FORWARDS) !== 0 && msg.maxForwards === null) (unreadable ??= []).push('Max-Forwards');
      if (unreadable !== null) report(call, context, index, 'unreadable-headers', { headers: unreadable.join(', ') });

      // The usual message has one readable Content-Length, no larger than its body: nothing to look at.
      const single = singleContentLength(msg);
      if (single === null || single > msg.body.length) {
        const { values, invalid } = contentLengths(msg);
        if (invalid !== undefined) report(call, context, index, 'content-length-invalid', { value: invalid });
        else if (values.length > 1) report(call, context, index, 'content-length-mismatch', { announced: values.join(' / '), actual: msg.body.length });
        else if (values.length === 1 && values[0]! > msg.body.length) {
          // Cut by the log or the capture, not sent short: a text log's message holds what the log
          // printed (an excerpt may end inside it, the logger may drop lines, the reader cuts a message
          // too long to keep: text.* diagnostics say which), and on a byte stream a message only ends
          // when its Content-Length is complete, so a short one is where the capture lost the stream.
          const cutByInput = c.line !== null || isStream(c);
          const bareLf = cutByInput ? 0 : bareLineFeeds(msg.body);
          if (bareLf > 0 && values[0]! - msg.body.length === bareLf) report(call, context, index, 'content-length-crlf', { announced: values[0]!, actual: msg.body.length, lines: bareLf });
          else report(call, context, index, cutByInput ? 'incomplete' : 'content-length-mismatch', { ...(cutByInput ? { cut: 'body' } : {}), announced: values[0]!, actual: msg.body.length });
        }
        // Only byte streams need it (RFC 3261 §18.3, §20.14): a UDP datagram, a WebSocket message
        // (RFC 7118 §5) and an SCTP message (RFC 4168) each hold one SIP message, whose end they mark.
        else if ((present & HEADER_BIT.contentLength) === 0 && isStream(c)) report(call, context, index, 'content-length-missing', { transport: c.transport });
      }

      if (request && msg.method !== null && msg.cseq !== null && msg.cseq.method !== msg.method) {
        report(call, context, index, 'cseq-mismatch', { method: msg.method, cseqMethod: msg.cseq.method });
      }
    }
    // RFC 3261 §9.1: a CANCEL's top Via is its INVITE's.
    for (const tx of call.transactions) {
      if (tx.method !== 'CANCEL' || tx.cancels === null || tx.request === null) continue;
      const invite = call.transactions[tx.cancels]!;
      if (invite.request === null) continue;
      // The sent-by is what a server matches on with the branch (§17.2.3); the branch is the same, or the CANCEL would not be tied to this INVITE.
      // Hosts compare without regard to case (RFC 3261 §19.1.4): the parser's sentBy is lower-cased.
      if (sipOf(call, tx.request).sentBy === sipOf(call, invite.request).sentBy) continue;
      const cancelVia = sentByOf(sipOf(call, tx.request));
      const inviteVia = sentByOf(sipOf(call, invite.request));
      if (cancelVia === null || inviteVia === null) continue;
      const c = captured(call, tx.request);
      context.report({ messageId: 'cancel-via-mismatch', data: { sender: endpoint(c.src), what: 'CANCEL', cancelVia, inviteVia }, messages: [invite.request, tx.request], anchor: tx.request });
    }
    if (noMaxForwards !== null) for (const group of noMaxForwards.values()) {
      // One finding per user agent across calls: on the first call where it left Max-Forwards out.
      const first = context.sources?.firstWithoutMaxForwards(group.ip, group.userAgent) ?? null;
      if (first !== null && first !== call.callId) continue;
      context.report({ messageId: 'missing-max-forwards', data: { sender: group.sender, what: [...group.methods].join(', '), count: group.indices.length }, messages: group.indices, anchor: group.indices[0]! });
    }
  },
});

/** The top Via's sent-by as written: host, and port when there is one. */
function sentByOf(msg: SipMessage): string | null {
  const via = msg.via[0];
  if (via === undefined || via.host === '') return null;
  const host = via.host.includes(':') ? `[${via.host}]` : via.host;
  return via.port === null ? host : `${host}:${via.port}`;
}

/** Line feeds of a body that no carriage return precedes. */
function bareLineFeeds(body: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < body.length; i++) if (body[i] === 0x0a && (i === 0 || body[i - 1] !== 0x0d)) count++;
  return count;
}

/** A report on one message: the sender and the message's name are only written out when there is something to report. */
function report(call: Call, context: { report(r: Report): void }, index: number, messageId: string, data: Record<string, DataValue> = {}): void {
  const c = call.messages[index]!.captured;
  const msg = c.message;
  context.report({ messageId, data: { sender: endpoint(c.src), what: msg.kind === 'request' ? (msg.method ?? 'request') : statusLabel(msg), ...data }, messages: [index], anchor: index });
}
