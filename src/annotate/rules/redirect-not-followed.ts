import { diffMs } from '../../time.js';
import { captured, groupData, groupEvidence, responseGroups, sameUriTarget, uriOf } from './lib/call.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { duration, defineRule } from './types.js';

/** Contacts listed in the data (the rest are counted). */
const LISTED_CONTACTS = 3;

/**
 * A 3xx redirect that nobody followed: no new request to any of the Contacts it lists
 * (RFC 3261 §8.1.3.4). The client (or a proxy recursing for it) should try them in q order.
 */
export const redirectNotFollowed = defineRule<{ waitSeconds: number }>({
  meta: {
    id: 'redirect-not-followed',
    severity: 'warning',
    messageSeverity: { unresolved: 'info' },
    description: 'A 3xx redirect got no new request to any Contact it lists (or it listed none), so the call went nowhere.',
    evidence: 'The request, the 3xx response with its Contacts, and the capture end.',
    explanation:
      '{server} answered {response}: "try {contacts} instead". The client, or a proxy recursing on its behalf, should send a new request to those addresses; none appears in this call. Many phones, PBXs and SBCs treat 3xx as a failure unless redirects are enabled, and a 3xx without Contact cannot be followed at all. (A client that retries with a new Call-ID appears as a separate call in this capture.)',
    fix: 'Enable redirect handling ("follow 3xx", "recurse on redirect") on the device or proxy that received the {response}, or make {server} forward the call itself instead of redirecting; for a 3xx without Contact, fix {server} so it says where to go.',
    rfc: 'RFC 3261 §8.1.3.4, §16.5 (proxies recursing), §21.3',
    messages: {
      'not-followed': '{method} for {uri} was redirected by {server} ({response}) to {contacts}, and no request to those addresses followed in {waited}.',
      'no-contact': '{method} for {uri} was redirected by {server} ({response}) without any Contact, so there was nowhere to go.',
      unresolved: '{method} for {uri} was redirected by {server} ({response}) to {contacts}; the capture ended {waited} later, before a new request, so whether it was followed is unresolved.',
    },
    options: {
      waitSeconds: { default: 4, description: 'How long after the 3xx the capture must go on without a request to a Contact before the redirect counts as not followed.' },
    },
    translations: {
      es: {
        description: 'Una redirección 3xx no dio lugar a ninguna petición nueva a los Contact que lista (o no listaba ninguno), así que la llamada no llegó a ninguna parte.',
        evidence: 'La petición, la respuesta 3xx con sus Contact y el final de la captura.',
        explanation:
          '{server} respondió {response}: «prueba en {contacts}». El cliente, o un proxy que actúa recursivamente en su nombre, debería enviar una petición nueva a esas direcciones; en esta llamada no aparece ninguna. Muchos teléfonos, PBX y SBC tratan un 3xx como un fallo salvo que las redirecciones estén habilitadas, y un 3xx sin Contact no se puede seguir en absoluto. (Un cliente que reintenta con un Call-ID nuevo aparece como una llamada aparte en esta captura.)',
        fix: 'Habilita el manejo de redirecciones («follow 3xx», «recurse on redirect») en el dispositivo o proxy que recibió el {response}, o haz que {server} reenvíe él mismo la llamada en lugar de redirigirla; para un 3xx sin Contact, corrige {server} para que indique adónde ir.',
        rfc: 'RFC 3261 §8.1.3.4, §16.5 (proxies que actúan recursivamente), §21.3',
        messages: {
          'not-followed': '{server} redirigió el {method} para {uri} ({response}) a {contacts}, y en {waited} no siguió ninguna petición a esas direcciones.',
          'no-contact': '{server} redirigió el {method} para {uri} ({response}) sin ningún Contact, así que no había adónde ir.',
          unresolved: '{server} redirigió el {method} para {uri} ({response}) a {contacts}; la captura terminó {waited} después, antes de una petición nueva, así que queda sin resolver si se siguió la redirección.',
        },
        options: {
          waitSeconds: 'Cuánto tiempo debe continuar la captura tras el 3xx sin ninguna petición a un Contact para que la redirección se considere no seguida.',
        },
        values: { ...GROUP_VALUES_ES, contacts: { '(none)': '(ninguno)' } },
      },
    },
  },
  needs: { statuses: [[300, 399]] },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => status >= 300 && status < 400 && ownsMethod(method))) {
      const response = group.responses[0]!;
      const r = captured(call, response);
      const contacts = r.message.contact.filter((c) => c.uri.raw !== '*');
      const listed = contacts.slice(0, LISTED_CONTACTS).map((c) => c.uri.raw).join(', ') + (contacts.length > LISTED_CONTACTS ? ` (+${contacts.length - LISTED_CONTACTS})` : '');
      const waitedMs = diffMs(r.time, context.captureEnd);
      const data = { ...groupData(call, group), contacts: listed || '(none)', contactCount: contacts.length, waited: duration(waitedMs) };
      if (contacts.length === 0) {
        context.report({ messageId: 'no-contact', data, messages: groupEvidence(group), anchor: response });
        continue;
      }
      const followed = call.messages.some((m, i) => {
        const msg = m.captured.message;
        if (i <= response || msg.kind !== 'request' || msg.method === 'ACK' || msg.method === 'CANCEL') return false;
        const uri = uriOf(msg.requestUri);
        return uri !== null && contacts.some((c) => sameUriTarget(c.uri, uri));
      });
      if (followed) continue;
      context.report({ messageId: waitedMs >= context.options.waitSeconds * 1000 ? 'not-followed' : 'unresolved', data, messages: groupEvidence(group), anchor: response });
    }
  },
});
