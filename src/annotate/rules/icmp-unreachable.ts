import type { Call } from '../../parse/dialog/types.js';
import type { CallIcmpError } from '../../parse/icmp-calls.js';
import type { CallMedia, CallStream } from '../../parse/media/types.js';
import { compareTime, diffMs } from '../../time.js';
import type { Timestamp } from '../../types.js';
import { messageBeforeFrame } from './lib/media.js';
import { defineRule, endpoint, ref, type Report } from './types.js';

/** What an ICMP "destination unreachable" says was unreachable (RFC 792, RFC 1122 §3.2.2.1, RFC 4443 §3.1). */
export type UnreachableReason = 'port' | 'host' | 'network' | 'prohibited';

export function unreachableReason(e: Pick<CallIcmpError, 'icmpVersion' | 'code'>): UnreachableReason {
  if (e.icmpVersion === 4) {
    if (e.code === 3) return 'port';
    if (e.code === 0 || e.code === 6 || e.code === 11) return 'network';
    if (e.code === 9 || e.code === 10 || e.code === 13) return 'prohibited';
    return 'host';
  }
  if (e.code === 4) return 'port';
  if (e.code === 0) return 'network';
  if (e.code === 1 || e.code === 5 || e.code === 6) return 'prohibited';
  return 'host';
}

/** How long before its BYE the hanging-up side may close its media port. */
const HANGUP_RACE_MS = 2000;

/** A "fragmentation needed" (ICMPv4 3/4, RFC 1191) or "packet too big" (ICMPv6 2, RFC 8201). */
function tooBig(e: CallIcmpError): boolean {
  return e.kind === 'packet-too-big' || (e.kind === 'unreachable' && e.icmpVersion === 4 && e.code === 4);
}

/** The time of the first BYE of the call (either side), or null. */
function firstBye(call: Call): { index: number; time: Timestamp } | null {
  const index = call.messages.findIndex((m) => m.captured.message.method === 'BYE');
  return index === -1 ? null : { index, time: call.messages[index]!.captured.time };
}

/** The time of the first 2xx to an INVITE of the call, or null. */
function firstAnswer(call: Call): Timestamp | null {
  const m = call.messages.find((x) => {
    const msg = x.captured.message;
    return msg.status !== null && msg.status >= 200 && msg.status < 300 && msg.cseq?.method === 'INVITE';
  });
  return m?.captured.time ?? null;
}

/** Groups errors by what they bounced (a message and its retransmissions, a stream) and by what they say. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [item]);
    else g.push(item);
  }
  return [...groups.values()];
}

/**
 * A SIP message or a media packet of the call came back as an ICMP error from the capture: the
 * destination (or a router on the way) said nothing listens there, or the packet was too big for
 * the path. The error is evidence the capture holds, read here instead of guessed at.
 */
export const icmpUnreachable = defineRule({
  meta: {
    id: 'icmp-unreachable',
    severity: 'warning',
    description: 'A SIP message or an RTP packet of the call was answered by an ICMP destination unreachable, or a SIP message over UDP by an ICMP packet too big.',
    evidence: 'The SIP message (or the media stream) the ICMP error quotes, and the ICMP error itself.',
    explanation:
      'An ICMP error quotes the packet it is about, so the capture says which packet bounced and who said so. A port unreachable comes from the destination host itself: nothing listened on that port. A response goes to the top Via\'s sent-by, or to the received/rport address the request came from (RFC 3261 §18.2.2, RFC 3581 §4): when it bounces, the sender of the request closed the socket it sent from, a NAT or firewall dropped the binding (the response came too late, or the binding timed out), or the request was spoofed and its apparent sender never sent it. A request inside a dialog (ACK, BYE, re-INVITE) goes to the Contact of the other side: when it bounces, that phone is gone (unregistered, restarted, or behind a binding that changed). RTP to a closed port just before the answer or after the hang-up is normal (early media to a port not open yet, a few packets after the far end closed its socket); during the call it means the media goes where nothing listens. A packet too big means the SIP message did not fit the path\'s MTU over UDP.',
    explanations: {
      response:
        'A port unreachable comes from the destination host itself: nothing listened on that port. A response goes to the top Via\'s sent-by, or to the received/rport address the request came from (RFC 3261 §18.2.2, RFC 3581 §4): when it bounces, the sender of the request closed the socket it sent from, a NAT or firewall dropped the binding (the response came too late, or the binding timed out), or the request was spoofed and its apparent sender never sent it.',
      'response-elsewhere':
        'A port unreachable comes from the destination host itself: nothing listened on that port. A response goes to the top Via\'s sent-by unless the request asked for rport (RFC 3261 §18.2.2, RFC 3581 §4). This request came from {requestFrom} but named {target} in its Via, so its response went where nothing listens: a user agent behind a NAT that wrote its private or listening port in Via without asking for rport, or a forged Via (a scanner, a spoofed request), whose apparent sender never sent it.',
      request:
        'A port unreachable comes from the destination host itself: nothing listened on that port. A request goes where its Request-URI or route says, and inside a dialog (ACK, BYE, re-INVITE) to the other side\'s Contact (RFC 3261 §12.2.1.1): inside a dialog a bounce means that phone is gone (unregistered, restarted) or behind a NAT binding that changed or expired; for a new request, the address a registration or the routing gave is stale or wrong.',
      unreachable:
        'An ICMP error quotes the packet it is about, so the capture says which packet bounced and who said so. A destination unreachable of another kind than port (here: {reason}) comes from a router on the path or from the host: the packet could not be delivered (no route, a host that does not answer, or a filter that refuses it), so the SIP message never reached {target}, and its sender retransmits until its timer gives up.',
      'too-big':
        'A router on the path could not forward the UDP packet whole (IPv4 with Don\'t Fragment set, as most stacks send it, or any IPv6 router, RFC 4443 §3.2) and reported the MTU it can carry. That packet is lost; a retransmission may go out in IP fragments once the sender\'s stack has lowered its path MTU, and NATs and firewalls often drop fragments. RFC 3261 §18.1.1 sends a request within 200 bytes of the path MTU, or over 1300 bytes when the MTU is unknown, over TCP instead.',
      rtp: 'RTP that bounces during the call (unreachable: {reason}) means that direction\'s media goes where nothing receives it: the receiver did not open the port its SDP announced or closed it early (port), a NAT or firewall in front of it has no mapping for it, or a router cannot reach it at all (host, network, prohibited). The listener hears nothing from this sender while it lasts.',
      'rtp-early':
        'RTP to a closed port before the answer is usual: early media, or the first packets of a side that starts sending at once, reach a port the other side opens only when it answers or sends its own SDP. It matters only if announcements or ringback are meant to be heard.',
      'rtp-after-hangup':
        'A few RTP packets to a closed port at the hang-up are normal: the far end closed its media port to end the call, and the sender stopped only when it saw the BYE (or sent its last packets just after it).',
    },
    fix: 'Make the destination reachable where the SIP said it listens: check the Via, rport and Contact of the sender, and its NAT keep-alives.',
    fixes: {
      response:
        'Make the requester listen where its Via says, or use rport (RFC 3581) so responses follow the NAT binding the request opened; send keep-alives (RFC 5626 §4.4) so bindings live; if the requester is unknown, it may be a spoofed request: see the scanner and ACL advice.',
      unreachable: 'Check the route and the firewalls between the sender and {target}: a router (or the host) refused or could not deliver the packet.',
      'response-elsewhere':
        'Make the requester ask for rport (RFC 3581) so the response goes back to the port the request came from, or make it listen on the port its Via names; if the requester is unknown (a forged Via, as a scanner or a spoofed INVITE writes), the request was not genuine: see the scanner and ACL advice.',
      request: 'Check that the other side\'s Contact is still valid (registration, restart, NAT binding); make it send keep-alives or use Outbound (RFC 5626) so its binding lives.',
      'too-big': 'Send SIP over TCP (or TLS) when a request is within 200 bytes of the path MTU or over 1300 bytes (RFC 3261 §18.1.1); or shrink the message (fewer codecs, compact headers).',
      rtp: 'Check that the receiver opened the port its SDP announced ({target}), and that no firewall or NAT between them drops the media.',
      'rtp-early': 'Nothing to fix unless early media matters: the receiver had not opened its media port yet. If announcements or ringback are lost, make the callee open its port before sending the 18x with SDP.',
      'rtp-after-hangup': 'Nothing to fix: the sender kept sending a few packets after the far end closed its media port to hang up (just before its BYE, or after it).',
    },
    rfc: 'RFC 792 and RFC 4443 §3 (ICMP errors), RFC 3261 §18.2.2 (where responses go), RFC 3581 §4 (rport), RFC 3261 §18.1.1 (UDP and the MTU)',
    messages: {
      response: 'The {what} sent at {message} to {target} came back as ICMP port unreachable from {reporter} at {icmp} ({count} in all): nothing listens on {target}.',
      'response-elsewhere': 'The {what} sent at {message} to {target} came back as ICMP port unreachable from {reporter} at {icmp} ({count} in all): nothing listens on {target}, while the request came from {requestFrom}; the response followed the Via, not the request\'s source.',
      request: 'The {what} sent at {message} to {target} came back as ICMP port unreachable from {reporter} at {icmp} ({count} in all): nothing listens on {target}.',
      unreachable: 'The {what} sent at {message} to {target} could not be delivered: ICMP destination unreachable ({reason}) from {reporter} at {icmp} ({count} in all).',
      'too-big': 'The {what} sent at {message} over UDP to {target} was too big for the path: {reporter} reported an MTU of {mtu} at {icmp} ({count} in all); the packet is {length} bytes.',
      rtp: 'RTP from {source} to {target} came back as ICMP destination unreachable ({reason}) from {reporter} during the call, at {icmp} ({count} in all): the announced {target} does not take the media.',
      'rtp-early': 'RTP from {source} to {target} before the answer came back as ICMP destination unreachable ({reason}) from {reporter} at {icmp} ({count} in all): the port was not open yet.',
      'rtp-after-hangup': 'RTP from {source} to {target} at the hang-up came back as ICMP destination unreachable ({reason}) from {reporter} at {icmp} ({count} in all): the far end had closed its port.',
    },
    options: {},
    translations: {
      es: {
        description: 'Un mensaje SIP o un paquete RTP de la llamada recibió un ICMP destino inalcanzable, o un mensaje SIP sobre UDP un ICMP paquete demasiado grande.',
        evidence: 'El mensaje SIP (o el flujo de medios) que cita el error ICMP, y el propio error ICMP.',
        explanation:
          'Un error ICMP cita el paquete del que habla, así que la captura dice qué paquete rebotó y quién lo dijo. Un puerto inalcanzable lo envía el propio destino: nada escuchaba en ese puerto. Una respuesta va al sent-by del Via superior, o a la dirección received/rport de la que llegó la petición (RFC 3261 §18.2.2, RFC 3581 §4): si rebota, quien envió la petición cerró el socket desde el que la mandó, un NAT o cortafuegos borró la asociación (la respuesta llegó tarde, o la asociación caducó), o la petición era falsificada y su remitente aparente nunca la envió. Una petición dentro de un diálogo (ACK, BYE, re-INVITE) va al Contact del otro lado: si rebota, ese teléfono ya no está (dado de baja, reiniciado, o tras una asociación NAT que cambió). RTP a un puerto cerrado justo antes de contestar o tras colgar es normal (medios tempranos a un puerto aún no abierto, unos paquetes después de que el otro extremo cerrara su socket); durante la llamada significa que los medios van donde nada escucha. Un paquete demasiado grande significa que el mensaje SIP no cabía en la MTU del camino sobre UDP.',
        explanations: {
          response:
            'Un puerto inalcanzable lo envía el propio destino: nada escuchaba en ese puerto. Una respuesta va al sent-by del Via superior, o a la dirección received/rport de la que llegó la petición (RFC 3261 §18.2.2, RFC 3581 §4): si rebota, quien envió la petición cerró el socket desde el que la mandó, un NAT o cortafuegos borró la asociación (la respuesta llegó tarde, o la asociación caducó), o la petición era falsificada y su remitente aparente nunca la envió.',
          'response-elsewhere':
            'Un puerto inalcanzable lo envía el propio destino: nada escuchaba en ese puerto. Una respuesta va al sent-by del Via superior salvo que la petición pidiera rport (RFC 3261 §18.2.2, RFC 3581 §4). Esta petición llegó desde {requestFrom} pero nombraba {target} en su Via, así que su respuesta fue adonde nada escucha: un agente de usuario tras un NAT que escribió en el Via su puerto privado o de escucha sin pedir rport, o un Via falsificado (un escáner, una petición suplantada), cuyo remitente aparente nunca la envió.',
          request:
            'Un puerto inalcanzable lo envía el propio destino: nada escuchaba en ese puerto. Una petición va adonde dicen su Request-URI o su ruta, y dentro de un diálogo (ACK, BYE, re-INVITE) al Contact del otro lado (RFC 3261 §12.2.1.1): dentro de un diálogo, un rebote significa que ese teléfono ya no está (dado de baja, reiniciado) o está tras una asociación NAT que cambió o caducó; en una petición nueva, la dirección que dio un registro o el enrutamiento es antigua o errónea.',
          unreachable:
            'Un error ICMP cita el paquete del que habla, así que la captura dice qué paquete rebotó y quién lo dijo. Un destino inalcanzable de otro tipo que puerto (aquí: {reason}) lo envía un router del camino o el propio equipo: el paquete no pudo entregarse (no hay ruta, un equipo que no contesta, o un filtro que lo rechaza), así que el mensaje SIP nunca llegó a {target}, y su remitente lo retransmite hasta que su temporizador se rinde.',
          'too-big':
            'Un router del camino no pudo reenviar entero el paquete UDP (IPv4 con Don\'t Fragment activado, como lo envían la mayoría de las pilas, o cualquier router IPv6, RFC 4443 §3.2) e indicó la MTU que admite. Ese paquete se pierde; una retransmisión puede salir en fragmentos IP una vez que la pila del remitente haya reducido su MTU del camino, y los NAT y cortafuegos descartan a menudo los fragmentos. La RFC 3261 §18.1.1 envía por TCP una petición que quede a menos de 200 bytes de la MTU del camino, o que pase de 1300 bytes cuando no se conoce la MTU.',
          rtp: 'RTP que rebota durante la llamada (inalcanzable: {reason}) significa que los medios de ese sentido van adonde nada los recibe: el receptor no abrió el puerto que anunció su SDP o lo cerró antes de tiempo (puerto), un NAT o cortafuegos delante de él no tiene asociación para él, o un router no llega a él en absoluto (equipo, red, prohibido). Mientras dura, quien escucha no oye nada de este emisor.',
          'rtp-early':
            'RTP a un puerto cerrado antes de contestar es habitual: los medios tempranos, o los primeros paquetes de un lado que empieza a enviar enseguida, llegan a un puerto que el otro lado abre solo al contestar o al enviar su propio SDP. Solo importa si las locuciones o el tono de llamada deben oírse.',
          'rtp-after-hangup':
            'Unos pocos paquetes RTP a un puerto cerrado al colgar son normales: el otro extremo cerró su puerto de medios para terminar la llamada, y el emisor solo paró al ver el BYE (o envió sus últimos paquetes justo después).',
        },
        fix: 'Haz alcanzable el destino donde el SIP dijo que escucha: revisa el Via, el rport y el Contact del remitente, y sus keep-alives de NAT.',
        fixes: {
          response:
            'Haz que quien pide escuche donde dice su Via, o usa rport (RFC 3581) para que las respuestas sigan la asociación NAT que abrió la petición; envía keep-alives (RFC 5626 §4.4) para que las asociaciones vivan; si quien pide es desconocido, puede ser una petición falsificada: mira los consejos de escáneres y ACL.',
          unreachable: 'Revisa la ruta y los cortafuegos entre el emisor y {target}: un router (o el propio equipo) rechazó o no pudo entregar el paquete.',
          'response-elsewhere':
            'Haz que quien pide use rport (RFC 3581) para que la respuesta vuelva al puerto del que llegó la petición, o que escuche en el puerto que nombra su Via; si quien pide es desconocido (un Via falsificado, como el que escribe un escáner o un INVITE suplantado), la petición no era auténtica: mira los consejos de escáneres y ACL.',
          request: 'Comprueba que el Contact del otro lado sigue siendo válido (registro, reinicio, asociación NAT); haz que envíe keep-alives o use Outbound (RFC 5626) para que su asociación viva.',
          'too-big': 'Envía SIP por TCP (o TLS) cuando una petición quede a menos de 200 bytes de la MTU del camino o pase de 1300 bytes (RFC 3261 §18.1.1); o reduce el mensaje (menos códecs, cabeceras compactas).',
          rtp: 'Comprueba que el receptor abrió el puerto que anunció su SDP ({target}) y que ningún cortafuegos o NAT entre ellos descarta los medios.',
          'rtp-early': 'Nada que corregir salvo que importen los medios tempranos: el receptor aún no había abierto su puerto de medios. Si se pierden locuciones o tono de llamada, haz que el llamado abra su puerto antes de enviar el 18x con SDP.',
          'rtp-after-hangup': 'Nada que corregir: el emisor siguió enviando unos paquetes después de que el otro extremo cerrara su puerto de medios para colgar (justo antes de su BYE, o después).',
        },
        messages: {
          response: 'El {what} enviado en {message} a {target} volvió como ICMP puerto inalcanzable desde {reporter} en {icmp} ({count} en total): nada escucha en {target}.',
          'response-elsewhere': 'El {what} enviado en {message} a {target} volvió como ICMP puerto inalcanzable desde {reporter} en {icmp} ({count} en total): nada escucha en {target}, mientras que la petición llegó desde {requestFrom}; la respuesta siguió al Via, no al origen de la petición.',
          request: 'El {what} enviado en {message} a {target} volvió como ICMP puerto inalcanzable desde {reporter} en {icmp} ({count} en total): nada escucha en {target}.',
          unreachable: 'El {what} enviado en {message} a {target} no pudo entregarse: ICMP destino inalcanzable ({reason}) desde {reporter} en {icmp} ({count} en total).',
          'too-big': 'El {what} enviado en {message} por UDP a {target} era demasiado grande para el camino: {reporter} indicó una MTU de {mtu} en {icmp} ({count} en total); el paquete ocupa {length} bytes.',
          rtp: 'RTP de {source} a {target} volvió como ICMP destino inalcanzable ({reason}) desde {reporter} durante la llamada, en {icmp} ({count} en total): el {target} anunciado no recibe los medios.',
          'rtp-early': 'RTP de {source} a {target} antes de contestar volvió como ICMP destino inalcanzable ({reason}) desde {reporter} en {icmp} ({count} en total): el puerto aún no estaba abierto.',
          'rtp-after-hangup': 'RTP de {source} a {target} al colgar volvió como ICMP destino inalcanzable ({reason}) desde {reporter} en {icmp} ({count} en total): el otro extremo había cerrado su puerto.',
        },
        rfc: 'RFC 792 y RFC 4443 §3 (errores ICMP), RFC 3261 §18.2.2 (adónde van las respuestas), RFC 3581 §4 (rport), RFC 3261 §18.1.1 (UDP y la MTU)',
        options: {},
        values: {
          reason: { port: 'puerto', host: 'equipo', network: 'red', prohibited: 'prohibido por la administración' },
        },
      },
    },
  },
  // Reports on the call's ICMP errors only.
  needs: { icmp: true },
  check(call, context) {
    const errors = context.icmp ?? [];
    if (errors.length === 0) return;
    // SIP messages: one finding per message (a response and its retransmissions count as one) and per kind of error.
    const sip = errors.filter((e) => e.message !== null);
    for (const group of groupBy(sip, (e) => `${call.messages[e.message!]!.original ?? e.message}|${tooBig(e) ? 'mtu' : unreachableReason(e)}`)) {
      const first = group[0]!;
      const index = call.messages[first.message!]!.original ?? first.message!;
      const msg = call.messages[index]!.captured.message;
      const what = msg.kind === 'response' ? `${msg.status ?? ''} ${msg.reason ?? ''} (${msg.cseq?.method ?? '?'})`.replace(/\s+/g, ' ') : (msg.method ?? '?');
      const evidence = [...new Set([index, ...group.map((e) => e.message!)])].sort((a, b) => a - b);
      const common = {
        what,
        message: ref(call.messages[index]!.captured),
        target: endpoint(first.dst),
        reporter: first.reporter,
        icmp: ref({ frame: first.frame, line: null }),
        count: group.length,
      };
      if (tooBig(first)) {
        // Over TCP the stack adapts to the MTU itself: only UDP is the sender's to fix.
        if (first.protocol !== 17) continue;
        context.report({ messageId: 'too-big', data: { ...common, mtu: first.mtu ?? 0, length: first.length }, messages: evidence });
        continue;
      }
      if (first.kind !== 'unreachable') continue;
      const reason = unreachableReason(first);
      // Where the request came from: a response sent elsewhere (the Via port, no rport) shows why nobody listened.
      const request = msg.kind === 'response' ? call.transactions[call.messages[index]!.transaction]?.request ?? null : null;
      const from = request === null ? null : call.messages[request]!.captured.src;
      const elsewhere = from !== null && (from.ip !== first.dst.ip || from.port !== first.dst.port);
      const messageId = reason !== 'port' ? 'unreachable' : msg.kind === 'request' ? 'request' : elsewhere ? 'response-elsewhere' : 'response';
      context.report({ messageId, data: { ...common, reason, ...(messageId === 'response-elsewhere' ? { requestFrom: endpoint(from!) } : {}) }, messages: evidence });
    }
    // Media: one finding per stream and reason.
    const media = context.media;
    if (media === null) return;
    const unreachable = errors.filter((e) => e.stream !== null && e.kind === 'unreachable' && !tooBig(e));
    for (const group of groupBy(unreachable, (e) => `${e.stream}|${unreachableReason(e)}`)) {
      reportStream(call, media, group, context.report);
    }
  },
});

function reportStream(call: Call, media: CallMedia, group: readonly CallIcmpError[], report: (r: Report) => void): void {
  const first = group[0]!;
  const stream: CallStream = media.streams[first.stream!]!;
  const bye = firstBye(call);
  const answer = firstAnswer(call);
  // The side that hangs up often closes its media port just before its BYE leaves, and with a
  // B2BUA and direct media the other leg's phone may hang up first (its BYE is on the other leg):
  // RTP bounced shortly before this call's BYE is the hang-up too.
  const afterBye = bye !== null && (compareTime(first.time, bye.time) >= 0 || diffMs(first.time, bye.time) <= HANGUP_RACE_MS);
  const early = !afterBye && (answer === null || compareTime(first.time, answer) < 0);
  const messageId = afterBye ? 'rtp-after-hangup' : early ? 'rtp-early' : 'rtp';
  const anchor = afterBye ? bye.index : (messageBeforeFrame(call, first.file, first.frame) ?? 0);
  // During the call, RTP to an address the SDP announced that nobody listens on is a warning; the rest is what happens at the edges of a call.
  const announced = stream.match === 'destination' || stream.match === 'nat';
  report({
    messageId,
    data: { source: endpoint(stream.src), target: endpoint(stream.dst), reporter: first.reporter, icmp: ref({ frame: first.frame, line: null }), count: group.length, reason: unreachableReason(first) },
    messages: [anchor],
    // The stream's packet nearest the bounce (its last one at the hang-up, else its first). The
    // ICMP frame is in the data ({icmp}): the renderers label extra frames as RTP.
    packets: [afterBye ? stream.lastFrame : stream.firstFrame],
    ...(messageId === 'rtp' && announced ? {} : { severity: 'info' as const }),
  });
}
