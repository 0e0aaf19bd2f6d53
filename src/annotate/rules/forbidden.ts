import type { Call } from '../../parse/dialog/types.js';
import { diffMs } from '../../time.js';
import { captured, groupData, groupEvidence, responseGroups, sipOf, statusOf, type ResponseGroup } from './lib/call.js';
import { PATTERN_THRESHOLDS } from '../patterns.js';
import { credentialsOf } from '../../parse/sip/header-values.js';
import { otherDigestUri } from './lib/digest.js';
import { ownsMethod } from './lib/owners.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { duration, defineRule } from './types.js';

/**
 * True when the refused request answered a Digest challenge: it carries credentials and an
 * earlier request of the same method in this call was challenged (401/407). A 403 then says
 * the credentials were wrong: FreeSWITCH and Asterisk's chan_sip answer a wrong password with
 * 403 instead of a new challenge.
 */
function answeredChallenge(call: Call, group: ResponseGroup): boolean {
  if (group.request === null || credentialsOf(sipOf(call, group.request)) === null) return false;
  return call.transactions.some((tx) => tx.method === group.method && tx.request !== null && tx.request < group.request! && tx.responses.some((i) => statusOf(call, i) === 401 || statusOf(call, i) === 407));
}

/**
 * How long after the latest challenge (401/407 to the same method, earlier in the call) the refused
 * request came with its credentials, ms; null without one.
 */
function challengeDelay(call: Call, group: ResponseGroup): number | null {
  if (group.request === null) return null;
  const sent = captured(call, group.request).time;
  let delay: number | null = null;
  for (const tx of call.transactions) {
    if (tx.method !== group.method || tx.request === null || tx.request >= group.request) continue;
    for (const i of tx.responses) {
      if (statusOf(call, i) !== 401 && statusOf(call, i) !== 407) continue;
      const since = diffMs(captured(call, i).time, sent);
      if (since >= 0 && (delay === null || since < delay)) delay = since;
    }
  }
  return delay;
}

/** 403 Forbidden: the server understood the request and refuses it; authenticating again will not help. */
export const forbidden = defineRule({
  meta: {
    id: 'forbidden',
    severity: 'warning',
    description: 'A request was answered 403 Forbidden: the server refuses it by policy, whatever the credentials.',
    evidence: 'The request and its 403 response (each hop that forwarded it).',
    explanation:
      '{server} understood {method} for {uri} and refuses it ("{response}"). Unlike 401/407, a 403 is final: sending the same credentials again will not help. Right after a Digest answer it is usually the credentials themselves that were refused: some servers (FreeSWITCH, Asterisk chan_sip, many carriers) answer a wrong password, or credentials they cannot check, with 403 instead of a new challenge. Otherwise the account is not allowed to do this (calls to that destination, international or premium numbers, an IP address or User-Agent not on an access list, a caller ID the account may not use, a blocked or unpaid account, or a registration from an unexpected address).',
    fix: 'Read the reason phrase and any Warning header of the 403, then check on {server} the account\'s permissions, its dial plan or route for {uri}, IP access lists and anti-fraud rules; for REGISTER, check that the user is allowed to register from this address.',
    rfc: 'RFC 3261 §21.4.4, §22.4 (Digest)',
    messages: {
      forbidden: '{method} for {uri} was refused by {server} with {response}.',
      'after-credentials': '{method} for {uri} carried credentials and was still refused by {server} with {response}: the account is known but not allowed to do this.',
      'wrong-credentials': '{method} for {uri} answered a Digest challenge as {authUser} and was refused by {server} with {response}: the password or the authentication user name is wrong (FreeSWITCH and Asterisk chan_sip answer a wrong password with 403, not a new 401).',
      registration: 'REGISTER for {uri} was refused by {server} with {response}: this account may not register (from this address).',
      'wrong-digest-uri':
        '{method} for {uri} answered a Digest challenge as {authUser} and was refused by {server} with {response}: the password is wrong, or {server} refuses the Digest uri {digestUri}, which is not the Request-URI {requestUri} the credentials must name.',
      'late-credentials':
        '{method} for {uri} answered a Digest challenge as {authUser} {delay} after it and was refused by {server} with {response}: either the nonce of the challenge had expired by then (some servers refuse an expired nonce with 403, not with a new challenge) or the password is wrong.',
    },
    fixes: {
      'wrong-credentials': 'Check the password and the authentication user name (often not the extension) on the device against the account on {server}; several refusals in a row from one address may also get it blocked (fail2ban).',
      'wrong-digest-uri':
        'Check the password on the device against the account on {server}, and make the device put the Request-URI in the Digest uri parameter (RFC 3261 §22.4: the digest is computed over it, and a server may check that it names the request).',
      'late-credentials':
        'Find what delays the device\'s answer to a challenge (a user typing the password, or a delay of its own) and remove it, or make {server} keep its nonces valid for longer; if the same account succeeds when it answers at once, the password is right.',
    },
    options: {},
    translations: {
      es: {
        description: 'Una petición recibió 403 Forbidden: el servidor la rechaza por política, sean cuales sean las credenciales.',
        evidence: 'La petición y su respuesta 403 (en cada salto que la reenvió).',
        explanation:
          '{server} entendió el {method} para {uri} y lo rechaza («{response}»). A diferencia del 401/407, un 403 es definitivo: volver a enviar las mismas credenciales no servirá. Justo después de una respuesta Digest lo que se rechazó suelen ser las propias credenciales: algunos servidores (FreeSWITCH, chan_sip de Asterisk, muchos operadores) responden 403 a una contraseña errónea, o a unas credenciales que no pueden comprobar, en lugar de un nuevo desafío. Si no, la cuenta no tiene permiso para hacer esto (llamadas a ese destino, números internacionales o de tarificación especial, una dirección IP o un User-Agent que no está en una lista de acceso, un identificador de llamante que la cuenta no puede usar, una cuenta bloqueada o impagada, o un registro desde una dirección inesperada).',
        fix: 'Lee la frase de estado y cualquier encabezado Warning del 403; después revisa en {server} los permisos de la cuenta, su plan de marcación o su ruta para {uri}, las listas de acceso por IP y las reglas antifraude; para REGISTER, comprueba que el usuario puede registrarse desde esta dirección.',
        rfc: 'RFC 3261 §21.4.4, §22.4 (Digest)',
        messages: {
          forbidden: '{server} rechazó el {method} para {uri} con {response}.',
          'after-credentials': 'El {method} para {uri} llevaba credenciales y aun así {server} lo rechazó con {response}: la cuenta es conocida, pero no tiene permiso para hacer esto.',
          'wrong-credentials': 'El {method} para {uri} respondió a un desafío Digest como {authUser} y {server} lo rechazó con {response}: la contraseña o el usuario de autenticación son incorrectos (FreeSWITCH y chan_sip de Asterisk responden 403 a una contraseña errónea, no un nuevo 401).',
          registration: '{server} rechazó el REGISTER para {uri} con {response}: esta cuenta no puede registrarse (desde esta dirección).',
          'wrong-digest-uri':
            'El {method} para {uri} respondió a un desafío Digest como {authUser} y {server} lo rechazó con {response}: la contraseña es incorrecta, o {server} rechaza el uri Digest {digestUri}, que no es la Request-URI {requestUri} que deben nombrar las credenciales.',
          'late-credentials':
            'El {method} para {uri} respondió a un desafío Digest como {authUser} {delay} después y {server} lo rechazó con {response}: o el nonce del desafío ya había caducado (algunos servidores rechazan un nonce caducado con 403, no con un nuevo desafío) o la contraseña es incorrecta.',
        },
        fixes: {
          'wrong-credentials': 'Compara la contraseña y el usuario de autenticación (a menudo distinto de la extensión) del dispositivo con la cuenta en {server}; varios rechazos seguidos desde una dirección también pueden hacer que la bloqueen (fail2ban).',
          'wrong-digest-uri':
            'Compara la contraseña del dispositivo con la cuenta en {server}, y haz que el dispositivo ponga la Request-URI en el parámetro uri de Digest (RFC 3261 §22.4: el digest se calcula sobre él, y un servidor puede comprobar que nombra la petición).',
          'late-credentials':
            'Busca qué retrasa la respuesta del dispositivo a un desafío (un usuario que escribe la contraseña, o un retraso propio) y elimínalo, o haz que {server} mantenga sus nonces válidos más tiempo; si la misma cuenta tiene éxito cuando responde enseguida, la contraseña es correcta.',
        },
        options: {},
        values: { ...GROUP_VALUES_ES, authUser: { '(none)': '(ninguno)' } },
      },
    },
  },
  needs: { statuses: [403] },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => status === 403 && ownsMethod(method))) {
      const request = group.request === null ? null : sipOf(call, group.request);
      const credentials = request === null ? null : credentialsOf(request);
      const wrong = answeredChallenge(call, group);
      // Credentials that come long after their challenge may meet an expired nonce (auth-loop's
      // nonce-expired reads a new challenge so): a delay seen in the capture comes before a guess at the uri.
      const delay = wrong ? challengeDelay(call, group) : null;
      const late = delay !== null && delay >= PATTERN_THRESHOLDS.lateMs;
      const otherUri = wrong && !late && request !== null ? otherDigestUri(request) : null;
      const messageId = late ? 'late-credentials' : otherUri !== null ? 'wrong-digest-uri' : wrong ? 'wrong-credentials' : group.method === 'REGISTER' ? 'registration' : credentials !== null ? 'after-credentials' : 'forbidden';
      const data = wrong
        ? { ...groupData(call, group), authUser: credentials?.params['username'] ?? '(none)', ...(otherUri ?? {}), ...(late ? { delay: duration(delay) } : {}) }
        : groupData(call, group);
      context.report({ messageId, data, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
