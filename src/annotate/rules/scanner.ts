import type { Call } from '../../parse/dialog/types.js';
import { captured, statusLabel } from './lib/call.js';
import { METHOD_VALUES_ES, URI_VALUES_ES } from './lib/es.js';
import { openingRequest, scannerUserAgentOf } from './lib/scanner.js';
import { headerValue } from '../../parse/sip/header-values.js';
import { endpoint, defineRule } from './types.js';

/** What the targets did with the scanner's requests in this call: a 2xx to INVITE or REGISTER, the last other final (else provisional) response, or nothing. */
function answerOf(call: Call, scannerIp: string): { messageId: 'accepted' | 'answered' | 'ignored'; index: number | null } {
  let answered: number | null = null;
  let provisional: number | null = null;
  for (let i = 0; i < call.messages.length; i++) {
    const m = call.messages[i]!;
    const c = m.captured;
    if (m.retransmission || c.message.kind !== 'response' || c.dst.ip !== scannerIp) continue;
    const status = c.message.status ?? 0;
    const method = c.message.cseq?.method ?? '';
    if (status >= 200 && status < 300 && (method === 'INVITE' || method === 'REGISTER')) return { messageId: 'accepted', index: i };
    // The last final response: what the scanner's last try got (a 401 challenge, then the 403 to its guessed credentials).
    if (status >= 200) answered = i;
    else provisional ??= i;
  }
  const index = answered ?? provisional;
  return index === null ? { messageId: 'ignored', index: null } : { messageId: 'answered', index };
}

/**
 * SIP scanners and password guessers: a call whose first request comes from a known scanning
 * tool (User-Agent), or from an address that, across the capture, tried to register eight (minTargets) or more
 * users, or was answered by as many hosts, with hardly any success. Such a call is not a
 * phone with a wrong password or a peer that is down: the other rules' findings on it are
 * dropped (meta.supersedes) and this one says what the targets did.
 */
export const scanner = defineRule<{ minTargets: number; maxSuccessPercent: number }>({
  meta: {
    id: 'scanner',
    severity: 'error',
    supersedes: true,
    messageSeverity: { answered: 'warning', ignored: 'info' },
    description:
      'A call is a SIP scanner\'s probe: a known scanning tool\'s User-Agent, or one of many requests from one address that tried to register many users or was answered by many hosts, nearly all failing. Its other findings are dropped (advice for a phone does not apply). One finding per scanning address, on its first call, and one on each call a target accepted; its other calls are quiet.',
    evidence: 'The scanner\'s request and the target\'s answer (if any).',
    explanation:
      'Scanners sweep the Internet for SIP servers (OPTIONS), enumerate extensions and guess passwords (REGISTER, INVITE) and, once in, place calls to expensive international numbers (toll fraud). This call comes from {scanner}: its User-Agent is {userAgent}; from that address the capture holds {calls} such call(s), REGISTERs for {users} user(s), answers from {hosts} host(s), {succeeded} call(s) that got a 2xx. Nothing in it is a fault of a phone or a trunk, so the usual advice (check the password, the peer, the dial plan) does not apply.',
    fix: 'Nothing to fix on a phone: this is not one of your devices. Keep {target} out of reach: accept SIP only from known addresses (firewall, ACL), ban addresses that fail repeatedly (fail2ban, APIBAN), give the same answer for unknown and known users (Asterisk: alwaysauthreject=yes), use user names that are not extension numbers and long passwords, and consider not answering unknown sources at all.',
    fixes: {
      ignored: 'Nothing to fix: {target} rightly did not answer the scanner. If it keeps coming, drop {scanner} at the firewall (fail2ban, APIBAN).',
      accepted:
        'Urgent: {target} accepted a scanner\'s {method} ({response}). Require authentication for every call and registration from outside, restrict international and premium destinations, accept SIP only from known addresses, and check the call records for fraudulent calls.',
    },
    rfc: 'RFC 3261 §26 (security considerations: threat model)',
    messages: {
      accepted: '{method} for {uri} from the scanner {scanner} (User-Agent: {userAgent}) was accepted by {target} with {response}.',
      answered: '{method} for {uri} from the scanner {scanner} (User-Agent: {userAgent}) was answered {response} by {target}: the target is visible to it.',
      ignored: '{method} for {uri} from the scanner {scanner} (User-Agent: {userAgent}) got no answer from {target}.',
    },
    options: {
      minTargets: { default: 8, description: 'Users registered, or hosts that answered, from one address before its calls count as a scan (with nearly all failing).' },
      maxSuccessPercent: { default: 20, description: 'Largest share (percent) of an address\'s calls that may get a 2xx for its calls to count as a scan by their pattern.' },
    },
    translations: {
      es: {
        description:
          'Una llamada es la sonda de un escáner SIP: el User-Agent de una herramienta de escaneo conocida, o una de muchas peticiones desde una dirección que intentó registrar muchos usuarios o recibió respuesta de muchos hosts, casi todas fallidas. Sus demás hallazgos se descartan (los consejos para un teléfono no se aplican). Un hallazgo por dirección de escaneo, en su primera llamada, y uno en cada llamada que un destino aceptó; sus demás llamadas quedan en silencio.',
        evidence: 'La petición del escáner y la respuesta del destino (si la hay).',
        explanation:
          'Los escáneres recorren Internet en busca de servidores SIP (OPTIONS), enumeran extensiones y adivinan contraseñas (REGISTER, INVITE) y, una vez dentro, llaman a números internacionales caros (fraude de peaje). Esta llamada viene de {scanner}: su User-Agent es {userAgent}; desde esa dirección la captura contiene {calls} llamada(s) así, REGISTER para {users} usuario(s), respuestas de {hosts} host(s) y {succeeded} llamada(s) que recibieron un 2xx. Nada en ella es culpa de un teléfono o de un troncal, así que los consejos habituales (revisar la contraseña, el destino, el plan de marcación) no se aplican.',
        fix: 'Nada que corregir en un teléfono: no es uno de tus dispositivos. Mantén {target} fuera de su alcance: acepta SIP solo desde direcciones conocidas (firewall, ACL), bloquea las direcciones que fallan una y otra vez (fail2ban, APIBAN), da la misma respuesta para usuarios desconocidos y conocidos (Asterisk: alwaysauthreject=yes), usa nombres de usuario que no sean números de extensión y contraseñas largas, y plantéate no responder a orígenes desconocidos.',
        fixes: {
          ignored: 'Nada que corregir: {target} hizo bien en no responder al escáner. Si sigue llegando, descarta {scanner} en el firewall (fail2ban, APIBAN).',
          accepted:
            'Urgente: {target} aceptó un {method} de un escáner ({response}). Exige autenticación para toda llamada y todo registro desde fuera, restringe los destinos internacionales y de tarificación especial, acepta SIP solo desde direcciones conocidas y revisa los registros de llamadas en busca de llamadas fraudulentas.',
        },
        rfc: 'RFC 3261 §26 (consideraciones de seguridad: modelo de amenazas)',
        messages: {
          accepted: '{target} aceptó con {response} el {method} para {uri} del escáner {scanner} (User-Agent: {userAgent}).',
          answered: '{target} respondió {response} al {method} para {uri} del escáner {scanner} (User-Agent: {userAgent}): el destino es visible para él.',
          ignored: '{target} no respondió al {method} para {uri} del escáner {scanner} (User-Agent: {userAgent}).',
        },
        options: {
          minTargets: 'Usuarios registrados, o hosts que respondieron, desde una dirección antes de que sus llamadas cuenten como un escaneo (casi todas fallidas).',
          maxSuccessPercent: 'Proporción máxima (en porcentaje) de las llamadas de una dirección que pueden recibir un 2xx para que cuenten como un escaneo por su patrón.',
        },
        values: { method: METHOD_VALUES_ES, uri: URI_VALUES_ES, userAgent: { '(none)': '(ninguno)' }, response: { none: 'ninguna' } },
      },
    },
  },
  check(call, context) {
    // The scanner is the sender of the call's first opening request, or, when no request of the call is captured, the one its responses go to.
    const opening = openingRequest(call);
    const firstResponse = opening === null ? call.messages.findIndex((m) => m.captured.message.kind === 'response') : -1;
    if (opening === null && firstResponse < 0) return;
    const first = captured(call, opening ?? firstResponse);
    const ip = opening === null ? first.dst.ip : first.src.ip;
    const knownTool = scannerUserAgentOf(call, ip);
    const profile = context.sources?.profile(ip) ?? null;
    const { minTargets, maxSuccessPercent } = context.options;
    const pattern =
      profile !== null &&
      (profile.registerUsers >= minTargets || profile.answeringHosts >= minTargets) &&
      profile.succeeded * 100 <= profile.calls * maxSuccessPercent;
    if (knownTool === null && !pattern) return;
    const answer = answerOf(call, ip);
    const response = answer.index === null ? null : captured(call, answer.index);
    const evidence = opening === null ? [answer.index ?? firstResponse] : answer.index === null ? [opening] : [opening, answer.index];
    // One finding per scanning address, told on its first call (capture order, whatever was checked before), and on every call a
    // target accepted (each is toll fraud that went through); its other calls are quiet. Without profiles (a lone call), it is told.
    const firstCall = context.sources?.firstCall(ip) ?? null;
    const quiet = answer.messageId !== 'accepted' && firstCall !== null && firstCall !== call.callId;
    context.report({
      quiet,
      messageId: answer.messageId,
      data: {
        method: (opening === null ? first.message.cseq?.method : first.message.method) ?? 'request',
        uri: (opening === null ? null : first.message.requestUri) ?? '(unknown)',
        scanner: opening === null ? endpoint(first.dst) : endpoint(first.src),
        target: endpoint(response?.src ?? (opening === null ? first.src : first.dst)),
        userAgent: knownTool ?? (opening === null ? null : headerValue(first.message, 'user-agent')?.trim()) ?? '(none)',
        response: response === null ? 'none' : statusLabel(response.message),
        calls: profile?.calls ?? 1,
        users: profile?.registerUsers ?? 0,
        hosts: profile?.answeringHosts ?? 0,
        succeeded: profile?.succeeded ?? 0,
      },
      messages: [...new Set(evidence)].sort((x, y) => x - y),
      anchor: answer.index ?? evidence[0]!,
    });
  },
});
