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
      'A strict peer rejects such a message with 400 Bad Request or drops it without a word; a tolerant one may guess, differently from the sender. Each message id below says what its defect breaks. A message whose frame the capture\'s snap length cut is not judged at all (the sip.cut-by-capture diagnostic names it).',
    explanations: {
      'bad-start-line':
        'A receiver learns from the first line whether the message is a request (its method and Request-URI) or a response (its status code), RFC 3261 §7.1 and §7.2. Without a valid one it cannot tell what the message is: a strict peer answers 400 Bad Request if it can still see a request, or drops the message without a word, and the transaction it belongs to goes no further.',
      'missing-headers':
        'Via, From, To, Call-ID and CSeq are mandatory in every request and response, and Max-Forwards in every request (RFC 3261 §8.1.1): the Call-ID, the From and To tags and the CSeq tie messages to dialogs and transactions, the top Via says where the response goes, and Max-Forwards stops loops. A peer answers a request without them with 400 Bad Request (naming the missing header in its reason phrase, as RFC 3261 §21.4.1 asks) or drops it; a strict client drops a response without them, and another may not tie it to its transaction or dialog.',
      'missing-max-forwards':
        'Every request must carry Max-Forwards (RFC 3261 §8.1.1.6, §20.22): each proxy lowers it and refuses a request that reaches 0 with 483 Too Many Hops, which is what ends a loop. A proxy adds it to a request that lacks it (§16.6 step 3), so such requests usually get through; a strict first hop, or a user agent reached directly, may refuse them with 400 Bad Request (or drop an ACK, which gets no response). A missing Max-Forwards is a habit of a user agent\'s stack: it is told once per user agent (address and User-Agent), on the first call where it happened.',
      'unreadable-headers':
        'The headers are there but their values break their grammar (RFC 3261 §25.1), so a peer cannot read what it needs from them: the top Via\'s sent-by (where the response goes), the From and To tags and the CSeq number and method (which dialog and transaction the message belongs to), or the Max-Forwards count. A strict peer answers 400 Bad Request; a tolerant one guesses, differently from the sender, and responses or retransmissions may then match nothing.',
      'content-length-invalid':
        'Content-Length tells where the body ends (RFC 3261 §20.14), and on TCP or TLS where the next message starts (§18.3). A value that is not a decimal number leaves a strict peer only 400 Bad Request; a tolerant one guesses the body\'s length, and on a stream a wrong guess shifts every message that follows on the connection.',
      'content-length-mismatch':
        'Content-Length tells how many body bytes follow (RFC 3261 §20.14). Over UDP a datagram that ends before the announced body is an error (§18.3): a response is discarded, a request refused with 400 Bad Request, so the transaction goes on as if it were lost. Two Content-Length headers with different values leave a peer to choose one, differently from the sender. The usual cause is a device that rewrote the body (an SBC or ALG changing the SDP addresses) and left the length as it was.',
      'content-length-missing':
        'On a byte stream (TCP, TLS) the messages follow each other with nothing between them, so Content-Length is mandatory there (RFC 3261 §18.3, §20.14): only it says where the body ends and the next message begins. A receiver without it has to guess: taking the message as bodiless loses its SDP, reading on can swallow the next message, and a strict one closes the connection.',
      'cseq-mismatch':
        'The CSeq method is the request\'s own method, even for ACK and CANCEL (RFC 3261 §8.1.1.5, §9.1, §17.1.1.3, §20.16). The response copies the CSeq, and the client matches a response to its transaction by the CSeq method (§17.1.3): with another method there, the response to this request matches nothing, so the client retransmits until its timer fires. A strict peer answers 400 Bad Request.',
      incomplete:
        'The capture or the log cut this message, not (as far as it shows) its sender: headers that never end (an excerpt), or a body shorter than its Content-Length in a text log (the log holds what it printed) or on TCP or TLS (a message on a stream only ends once its Content-Length is complete). What is missing cannot be checked, so the message is not judged as malformed.',
      'content-length-crlf':
        'Content-Length counts the body\'s bytes (RFC 3261 §20.14) and SIP lines end in CRLF (§7). This body is exactly one byte short for each of its lines that ends in LF alone, so the length was right when the message was written with CRLF, and something turned CRLF into LF afterwards. If the receiver gets it the same way, it finds the body short and refuses the message (400 Bad Request, §18.3); if only the capture or the log rewrote it, the receiver got it whole.',
      'cancel-via-mismatch':
        'A server finds the INVITE a CANCEL cancels by the CANCEL\'s top Via, branch and sent-by (RFC 3261 §9.2 with §17.2.3), and §9.1 makes that Via the INVITE\'s, byte for byte. With another sent-by the server finds no INVITE to cancel: it answers the CANCEL 481 Call/Transaction Does Not Exist, and the INVITE goes on until a timer or the callee ends it.',
    },
    fix: 'Fix the sender ({sender}): it, or an ALG, SBC or header-manipulation rule on the way, builds or rewrites the message wrongly. SIP ALGs in routers are frequent culprits: turn them off.',
    fixes: {
      'content-length-invalid':
        'Fix the sender ({sender}), or whatever rewrote the message on the way (an ALG, an SBC, a header-manipulation rule): Content-Length must be the body\'s length in bytes, as a decimal number.',
      'content-length-mismatch':
        'Look for what changed the body between the sender ({sender}) and this capture without updating Content-Length: an SBC or a router\'s SIP ALG rewriting the SDP addresses is the usual one (turn the ALG off; make the SBC recompute the length). If the sender itself writes a wrong length, fix its stack.',
      'missing-max-forwards':
        'Configure the user agent at {sender} to send Max-Forwards (70 is the usual value, RFC 3261 §8.1.1.6). Until then, keep a proxy that adds it as its first hop.',
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
          'Un destino estricto rechaza un mensaje así con 400 Bad Request o lo descarta sin decir nada; uno tolerante puede intentar adivinarlo, y de forma distinta a como lo entiende el remitente. Cada identificador de mensaje dice qué rompe su defecto. Un mensaje cuya trama recortó la longitud de captura (snaplen) no se juzga (lo indica el diagnóstico sip.cut-by-capture).',
        explanations: {
          'bad-start-line':
            'Por la primera línea sabe el receptor si el mensaje es una petición (su método y su Request-URI) o una respuesta (su código de estado), RFC 3261 §7.1 y §7.2. Sin una válida no puede saber qué es el mensaje: un destino estricto responde 400 Bad Request si aún reconoce una petición, o lo descarta sin decir nada, y la transacción a la que pertenece no avanza.',
          'missing-headers':
            'Via, From, To, Call-ID y CSeq son obligatorios en toda petición y respuesta, y Max-Forwards en toda petición (RFC 3261 §8.1.1): el Call-ID, los tags de From y To y el CSeq asocian los mensajes a diálogos y transacciones, el Via superior dice adónde va la respuesta y Max-Forwards detiene los bucles. Un destino responde a una petición sin ellos con 400 Bad Request (con el encabezado que falta en su frase de estado, como pide la RFC 3261 §21.4.1) o la descarta; un cliente estricto descarta una respuesta sin ellos, y otro puede no asociarla a su transacción o a su diálogo.',
          'missing-max-forwards':
            'Toda petición debe llevar Max-Forwards (RFC 3261 §8.1.1.6, §20.22): cada proxy lo reduce y rechaza con 483 Too Many Hops una petición que llega a 0, y eso es lo que termina un bucle. Un proxy lo añade a una petición que no lo lleva (§16.6 paso 3), así que estas peticiones suelen pasar; un primer salto estricto, o un agente de usuario al que se llega directamente, puede rechazarlas con 400 Bad Request (o descartar un ACK, que no recibe respuesta). Que falte Max-Forwards es un hábito de la pila de un agente de usuario: se informa una vez por agente de usuario (dirección y User-Agent), en la primera llamada en que ocurrió.',
          'unreadable-headers':
            'Los encabezados están, pero sus valores incumplen su gramática (RFC 3261 §25.1), así que un destino no puede leer lo que necesita de ellos: el sent-by del Via superior (adónde va la respuesta), los tags de From y To y el número y el método del CSeq (a qué diálogo y transacción pertenece el mensaje), o la cuenta de Max-Forwards. Un destino estricto responde 400 Bad Request; uno tolerante lo adivina, de forma distinta al remitente, y las respuestas o retransmisiones pueden no corresponder entonces a nada.',
          'content-length-invalid':
            'Content-Length indica dónde termina el cuerpo (RFC 3261 §20.14) y, en TCP o TLS, dónde empieza el siguiente mensaje (§18.3). Un valor que no es un número decimal deja a un destino estricto solo el 400 Bad Request; uno tolerante adivina la longitud del cuerpo, y en un flujo un error desplaza todos los mensajes que siguen en la conexión.',
          'content-length-mismatch':
            'Content-Length dice cuántos bytes de cuerpo siguen (RFC 3261 §20.14). Por UDP, un datagrama que termina antes del cuerpo anunciado es un error (§18.3): una respuesta se descarta y una petición se rechaza con 400 Bad Request, así que la transacción sigue como si se hubiera perdido. Dos encabezados Content-Length con valores distintos obligan al destino a elegir uno, quizá otro que el del remitente. La causa habitual es un equipo que reescribió el cuerpo (un SBC o un ALG que cambia las direcciones del SDP) y dejó la longitud como estaba.',
          'content-length-missing':
            'En un flujo de bytes (TCP, TLS) los mensajes van uno tras otro sin nada entre ellos, así que ahí Content-Length es obligatorio (RFC 3261 §18.3, §20.14): solo él dice dónde termina el cuerpo y empieza el siguiente mensaje. Un receptor sin él tiene que adivinar: tomar el mensaje como sin cuerpo pierde su SDP, seguir leyendo puede tragarse el mensaje siguiente, y uno estricto cierra la conexión.',
          'cseq-mismatch':
            'El método del CSeq es el de la propia petición, también en ACK y CANCEL (RFC 3261 §8.1.1.5, §9.1, §17.1.1.3, §20.16). La respuesta copia el CSeq, y el cliente asocia una respuesta a su transacción por el método del CSeq (§17.1.3): con otro método ahí, la respuesta a esta petición no corresponde a nada, y el cliente retransmite hasta que vence su temporizador. Un destino estricto responde 400 Bad Request.',
          incomplete:
            'La captura o el registro recortaron este mensaje, no (hasta donde se ve) su remitente: encabezados que nunca terminan (un extracto), o un cuerpo más corto que su Content-Length en un registro de texto (el registro contiene lo que imprimió) o en TCP o TLS (en un flujo, un mensaje solo termina cuando su Content-Length está completo). Lo que falta no se puede comprobar, así que el mensaje no se juzga como mal formado.',
          'content-length-crlf':
            'Content-Length cuenta los bytes del cuerpo (RFC 3261 §20.14) y las líneas SIP terminan en CRLF (§7). A este cuerpo le falta exactamente un byte por cada una de sus líneas que termina solo en LF, así que la longitud era correcta cuando el mensaje se escribió con CRLF, y algo cambió después CRLF por LF. Si el receptor lo recibe igual, encuentra el cuerpo corto y rechaza el mensaje (400 Bad Request, §18.3); si solo lo reescribió la captura o el registro, el receptor lo recibió entero.',
          'cancel-via-mismatch':
            'Un servidor encuentra el INVITE que cancela un CANCEL por el Via superior del CANCEL, su branch y su sent-by (RFC 3261 §9.2 con §17.2.3), y §9.1 exige que ese Via sea el del INVITE, byte a byte. Con otro sent-by el servidor no encuentra ningún INVITE que cancelar: responde al CANCEL 481 Call/Transaction Does Not Exist, y el INVITE sigue hasta que un temporizador o el llamado lo terminan.',
        },
        fix: 'Corrige el remitente ({sender}): él, o un ALG, un SBC o una regla de manipulación de encabezados del camino, construye o reescribe mal el mensaje. Los SIP ALG de los routers son culpables frecuentes: desactívalos.',
        fixes: {
          'content-length-invalid':
            'Corrige el remitente ({sender}), o lo que reescribió el mensaje por el camino (un ALG, un SBC, una regla de manipulación de encabezados): Content-Length debe ser la longitud del cuerpo en bytes, como número decimal.',
          'content-length-mismatch':
            'Busca qué cambió el cuerpo entre el remitente ({sender}) y esta captura sin actualizar Content-Length: lo habitual es un SBC o el SIP ALG de un router que reescribe las direcciones del SDP (desactiva el ALG; haz que el SBC recalcule la longitud). Si es el propio remitente el que escribe una longitud errónea, corrige su pila.',
          'missing-max-forwards':
            'Configura el agente de usuario de {sender} para que envíe Max-Forwards (70 es el valor habitual, RFC 3261 §8.1.1.6). Mientras tanto, mantén como su primer salto un proxy que lo añada.',
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
