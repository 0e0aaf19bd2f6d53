import type { Transaction } from '../../parse/dialog/types.js';
import { diffMs } from '../../time.js';
import type { Timestamp } from '../../types.js';
import { captured, endpointKey, firstFinal, sameEndpoint, sipOf, statusOf } from './lib/call.js';
import { carriesCredentials, challengeOf, credentialsOf } from '../../parse/sip/header-values.js';
import { duration, endpoint, refs, defineRule, type RuleContext } from './types.js';
import { PATTERN_THRESHOLDS, type LateCredentials } from '../patterns.js';
import { storyIndex } from './lib/stories.js';
import { otherDigestUri } from './lib/digest.js';
import type { Call } from '../../parse/dialog/types.js';

interface Attempt {
  readonly tx: Transaction;
  readonly request: number;
  readonly final: number | null;
  readonly nonce: string | null;
  readonly user: string;
  readonly hasCredentials: boolean;
  /** The final response is a 401/407 that is not `stale=true`. */
  readonly challenged: boolean;
  readonly stale: boolean;
}

/**
 * Digest authentication that does not converge (RFC 3261 §22): credentials rejected again and
 * again, a nonce the server already refused sent again, or a challenge nobody answers.
 */
export const authLoop = defineRule<{ loopThreshold: number; unansweredSeconds: number; slowCredentialsSeconds: number }>({
  meta: {
    id: 'auth-loop',
    severity: 'error',
    messageSeverity: { unanswered: 'warning', unresolved: 'info', 'late-answers-accepted': 'info' },
    stories: { 'late-answers': 'nonce-expired' },
    description: 'Digest authentication fails: credentials challenged again and again (same realm), a refused nonce reused, or a 401/407 challenge never answered.',
    evidence: 'Each request with its credentials and the 401/407 challenge that answered it.',
    explanation:
      'A 401 or 407 asks the client to repeat {method} with credentials for realm "{realm}". A server that challenges credentials again without stale=true is refusing them: the user name ("{user}"), the password or the realm is wrong, the account is disabled or blocked (fail2ban, too many attempts), or the client computes the digest over the wrong URI. Credentials that come many seconds after the challenge (a phone asking its user for the password) can also meet a nonce that has expired meanwhile. A client that sends a nonce the server already refused, or never answers the challenge, has no usable credentials for that realm.',
    fix: 'Check user name, authentication user (often different from the extension), password and realm on the device against the account on {server}; check whether {server} has blocked the source address; for a challenge that is never answered, configure credentials for realm "{realm}" on the client (or allow the source by IP on {server}).',
    rfc: 'RFC 3261 §22.2, §22.3, §8.1.3.5; RFC 7616 (stale)',
    messages: {
      loop: '{method} was challenged {count} times by {server} although it carried credentials for "{user}" (realm "{realm}"): an authentication loop.',
      rejected: '{server} refused the credentials of "{user}" for {method} (realm "{realm}"): it challenged them again and the request never succeeded.',
      'wrong-digest-uri':
        '{server} refused the credentials of "{user}" for {method} (realm "{realm}") with a new challenge, and the request never succeeded: they were computed over the Digest uri {digestUri}, which is not the Request-URI {requestUri} they must name, or the password is wrong.',
      'nonce-expired': '{server} challenged the credentials of "{user}" for {method} again (realm "{realm}"), but they came {delay} after the challenge: its nonce had most likely expired, and the request never succeeded.',
      'nonce-reused': '{method} reused nonce {nonce}, which {server} had already refused, instead of the nonce of the latest challenge.',
      unanswered: '{server} challenged {method} with {challenge} (realm "{realm}") and the client never sent it again with credentials (not in the {waited} that followed in the capture).',
      unresolved: '{server} challenged {method} with {challenge} (realm "{realm}"); the capture ended {waited} later, before the client answered, so the outcome is unresolved.',
      'late-answers':
        '{client} answers Digest challenges late, call after call: {delay} after the challenge (median of the {answers} answers so far), {late} answer(s) {threshold} or more late ({answered}); {refused} of them were refused with a new challenge ({refusals}), the nonce most likely expired while the client waited.',
      'late-answers-accepted':
        '{client} answers Digest challenges late, call after call: {delay} after the challenge (median of the {answers} answers so far), {late} answer(s) {threshold} or more late ({answered}); the server accepted them so far.',
    },
    fixes: {
      'wrong-digest-uri':
        'Make the client put the Request-URI in the Digest uri parameter (RFC 3261 §22.4: the digest is computed over it, and a server may check that it names the request), then check the password against the account on {server}.',
      'late-answers':
        'Find what keeps {client} from answering at once: a phone that asks its user for the password answers after a delay that varies, while one that is the same every time is the client\'s own (a timer, or a lookup that times out first). Store the password on {client} or remove that delay, or make the server keep its nonces valid for longer than the client takes; the answers refused with a new challenge above follow from the delay, not from a wrong password.',
      'late-answers-accepted':
        'Find what keeps {client} from answering at once (a user typing the password, or a delay of the client\'s own when it is the same every time) and remove it: every call waits for it, and a server with shorter-lived nonces would refuse the answers.',
    },
    options: {
      loopThreshold: { default: 3, description: 'Challenged requests that carried credentials, in one call, that count as a loop even if one finally succeeds.' },
      unansweredSeconds: {
        default: 60,
        description: 'How long after a challenge the capture must go on, without a new request, before the challenge counts as never answered (a phone may wait for its user to type the password: sngrep-aaa answers 17 to 51 s later).',
      },
      slowCredentialsSeconds: {
        default: PATTERN_THRESHOLDS.lateMs / 1000,
        description: 'Credentials sent this long (s) or longer after their challenge and refused point at an expired nonce (a client waiting for its user to type the password) rather than a wrong password.',
      },
    },
    translations: {
      es: {
        description: 'La autenticación digest falla: credenciales desafiadas una y otra vez (mismo realm), un nonce rechazado que se reutiliza, o un desafío 401/407 que nunca se responde.',
        evidence: 'Cada petición con sus credenciales y el desafío 401/407 que la respondió.',
        explanation:
          'Un 401 o un 407 pide al cliente que repita el {method} con credenciales para el realm «{realm}». Un servidor que vuelve a desafiar unas credenciales sin stale=true las está rechazando: el nombre de usuario («{user}»), la contraseña o el realm son incorrectos, la cuenta está deshabilitada o bloqueada (fail2ban, demasiados intentos), o el cliente calcula el digest sobre una URI equivocada. Unas credenciales que llegan muchos segundos después del desafío (un teléfono que pide la contraseña a su usuario) también pueden encontrarse con un nonce que ha caducado entretanto. Un cliente que envía un nonce que el servidor ya rechazó, o que nunca responde al desafío, no tiene credenciales válidas para ese realm.',
        fix: 'Compara el nombre de usuario, el usuario de autenticación (a menudo distinto de la extensión), la contraseña y el realm del dispositivo con la cuenta en {server}; comprueba si {server} ha bloqueado la dirección de origen; si el desafío nunca se responde, configura en el cliente credenciales para el realm «{realm}» (o permite el origen por IP en {server}).',
        rfc: 'RFC 3261 §22.2, §22.3, §8.1.3.5; RFC 7616 (stale)',
        messages: {
          loop: '{server} desafió {count} veces el {method} aunque llevaba credenciales de «{user}» (realm «{realm}»): un bucle de autenticación.',
          rejected: '{server} rechazó las credenciales de «{user}» para el {method} (realm «{realm}»): las volvió a desafiar y la petición nunca tuvo éxito.',
          'wrong-digest-uri':
            '{server} rechazó con un nuevo desafío las credenciales de «{user}» para el {method} (realm «{realm}»), y la petición nunca tuvo éxito: se calcularon sobre el uri Digest {digestUri}, que no es la Request-URI {requestUri} que deben nombrar, o la contraseña es incorrecta.',
          'nonce-expired':
            '{server} volvió a desafiar las credenciales de «{user}» para el {method} (realm «{realm}»), pero llegaron {delay} después del desafío: lo más probable es que su nonce hubiera caducado, y la petición nunca tuvo éxito.',
          'nonce-reused': 'El {method} reutilizó el nonce {nonce}, que {server} ya había rechazado, en lugar del nonce del último desafío.',
          unanswered: '{server} desafió el {method} con un {challenge} (realm «{realm}») y el cliente nunca lo reenvió con credenciales (no en los {waited} siguientes de la captura).',
          unresolved: '{server} desafió el {method} con un {challenge} (realm «{realm}»); la captura terminó {waited} después, antes de que el cliente respondiera, así que el resultado queda sin resolver.',
          'late-answers':
            '{client} responde tarde a los desafíos Digest, llamada tras llamada: {delay} después del desafío (mediana de las {answers} respuestas hasta ahora), {late} respuesta(s) con {threshold} o más de retraso ({answered}); {refused} de ellas se rechazaron con un nuevo desafío ({refusals}): lo más probable es que el nonce caducara mientras el cliente esperaba.',
          'late-answers-accepted':
            '{client} responde tarde a los desafíos Digest, llamada tras llamada: {delay} después del desafío (mediana de las {answers} respuestas hasta ahora), {late} respuesta(s) con {threshold} o más de retraso ({answered}); hasta ahora el servidor las aceptó.',
        },
        fixes: {
          'wrong-digest-uri':
            'Haz que el cliente ponga la Request-URI en el parámetro uri de Digest (RFC 3261 §22.4: el digest se calcula sobre él, y un servidor puede comprobar que nombra la petición); después compara la contraseña con la cuenta en {server}.',
          'late-answers':
            'Busca qué impide a {client} responder enseguida: un teléfono que pide la contraseña a su usuario responde con un retraso que varía, mientras que uno que es el mismo cada vez es del propio cliente (un temporizador, o una consulta que agota antes su tiempo). Guarda la contraseña en {client} o elimina ese retraso, o haz que el servidor mantenga sus nonces válidos más tiempo del que tarda el cliente; las respuestas rechazadas arriba con un nuevo desafío se deben al retraso, no a una contraseña errónea.',
          'late-answers-accepted':
            'Busca qué impide a {client} responder enseguida (un usuario que escribe la contraseña, o un retraso propio del cliente cuando es el mismo cada vez) y elimínalo: cada llamada lo espera, y un servidor con nonces de vida más corta rechazaría las respuestas.',
        },
        options: {
          loopThreshold: 'Peticiones desafiadas que llevaban credenciales, en una misma llamada, a partir de las cuales se considera un bucle aunque una acabe teniendo éxito.',
          unansweredSeconds:
            'Cuánto tiempo debe continuar la captura tras un desafío, sin una petición nueva, para que el desafío se considere nunca respondido (un teléfono puede esperar a que su usuario escriba la contraseña: sngrep-aaa responde entre 17 y 51 s después).',
          slowCredentialsSeconds:
            'Unas credenciales enviadas este tiempo (s) o más después de su desafío, y rechazadas, apuntan a un nonce caducado (un cliente que espera a que su usuario escriba la contraseña) más que a una contraseña incorrecta.',
        },
      },
    },
  },
  check(call, context) {
    lateAnswersStory(call, context);
    // Every finding is about a challenge: a call without a 401 or 407 has nothing to look at.
    if (!challenged(call)) return;
    if (!mayTellAttempts(call, context.options.loopThreshold)) return;
    // One client's attempts at one method, in order: the source address and the method.
    const groups = new Map<string, Attempt[]>();
    for (let t = 0; t < call.transactions.length; t++) {
      const tx = call.transactions[t]!;
      if (tx.request === null || tx.method === 'ACK' || tx.method === 'CANCEL') continue;
      const first = captured(call, tx.request);
      const credentials = credentialsOf(first.message);
      const final = firstFinal(call, tx);
      const status = final === null ? 0 : statusOf(call, final);
      const challenge = status === 401 || status === 407 ? challengeOf(sipOf(call, final!)) : null;
      const stale = challenge?.params['stale']?.toLowerCase() === 'true';
      const key = `${tx.method}\u0000${endpointKey(first.src)}`;
      const attempt: Attempt = {
        tx,
        request: tx.request,
        final,
        nonce: credentials?.params['nonce'] ?? null,
        user: credentials?.params['username'] ?? '',
        hasCredentials: credentials !== null,
        challenged: (status === 401 || status === 407) && !stale,
        stale,
      };
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [attempt]);
      else group.push(attempt);
    }
    for (const attempts of groups.values()) {
      const challenges = attempts.filter((a) => a.final !== null && (statusOf(call, a.final) === 401 || statusOf(call, a.final) === 407));
      if (challenges.length === 0) continue;
      const lastChallenge = challenges[challenges.length - 1]!;
      const challengeMsg = sipOf(call, lastChallenge.final!);
      const params = challengeOf(challengeMsg)?.params ?? {};
      const method = attempts[0]!.tx.method;
      const user = attempts.find((a) => a.user !== '')?.user ?? '';
      const base = {
        method,
        realm: params['realm'] ?? '',
        user,
        server: endpoint(captured(call, lastChallenge.final!).src),
        challenge: String(challengeMsg.status ?? 0),
      };
      // Credentials are refused when they answer the latest challenge (its nonce) and are challenged
      // again. Credentials built on an older nonce (a refresh reusing a cached nonce) that get a
      // new challenge only mean the nonce expired, whatever stale says. A success ends a run.
      let run: Attempt[] = [];
      let longest: Attempt[] = [];
      let latestNonce: string | null = null;
      let latestChallengeAt: Timestamp | null = null;
      /** How long after its challenge each refused request came. */
      const delays = new Map<Attempt, number>();
      const refusedNonces = new Map<string, Attempt>();
      let reuse: [Attempt, Attempt] | null = null;
      for (const a of attempts) {
        const status = a.final === null ? 0 : statusOf(call, a.final);
        // Reused: a refused nonce sent again although the server has issued another one since.
        const earlier = a.nonce === null || a.nonce === latestNonce ? undefined : refusedNonces.get(a.nonce);
        if (earlier !== undefined && reuse === null) reuse = [earlier, a];
        if (a.hasCredentials && a.challenged && a.nonce !== null && a.nonce === latestNonce) {
          if (latestChallengeAt !== null) delays.set(a, diffMs(latestChallengeAt, captured(call, a.request).time));
          run.push(a);
          refusedNonces.set(a.nonce, a);
          if (run.length > longest.length) longest = run;
        } else if (status >= 200 && status < 300) {
          run = [];
        }
        if (status === 401 || status === 407) {
          latestNonce = challengeOf(sipOf(call, a.final!))?.params['nonce'] ?? null;
          latestChallengeAt = captured(call, a.final!).time;
        }
      }
      const refused = longest;
      const last = attempts[attempts.length - 1]!;
      const succeeded = last.final !== null && statusOf(call, last.final) >= 200 && statusOf(call, last.final) < 300;
      const endsRefused = run.length > 0 && run[run.length - 1] === last;
      const evidenceOf = (list: readonly Attempt[]): number[] => list.flatMap((a) => (a.final === null ? [a.request] : [a.request, a.final])).sort((x, y) => x - y);
      if (reuse !== null) {
        const [earlier, again] = reuse;
        context.report({ messageId: 'nonce-reused', data: { ...base, nonce: again.nonce! }, messages: evidenceOf([earlier, again]), anchor: again.request });
      }

      if (refused.length >= context.options.loopThreshold) {
        context.report({ messageId: 'loop', data: { ...base, count: refused.length }, messages: evidenceOf(refused), anchor: refused[refused.length - 1]!.final! });
      } else if (endsRefused) {
        // Credentials that come long after the challenge meet an expired nonce: servers that do not set stale=true refuse them.
        const slowest = Math.min(...run.map((a) => delays.get(a) ?? 0));
        const slow = slowest >= context.options.slowCredentialsSeconds * 1000;
        // The same comparison as forbidden's for a 403 (one home): credentials over another URI than the request's.
        const otherUri = slow ? null : otherDigestUri(sipOf(call, run[run.length - 1]!.request));
        const messageId = slow ? 'nonce-expired' : otherUri !== null ? 'wrong-digest-uri' : 'rejected';
        context.report({ messageId, data: { ...base, count: run.length, delay: duration(slowest), ...(otherUri ?? {}) }, messages: evidenceOf(run), anchor: run[run.length - 1]!.final! });
      } else if (reuse === null && last === lastChallenge && !succeeded) {
        // The last thing that happened is a challenge nobody answered.
        const waitedMs = diffMs(captured(call, lastChallenge.final!).time, context.captureEnd);
        const data = { ...base, waited: duration(waitedMs) };
        const messageId = waitedMs >= context.options.unansweredSeconds * 1000 ? 'unanswered' : 'unresolved';
        context.report({ messageId, data, messages: evidenceOf([lastChallenge]), anchor: lastChallenge.final! });
      }
    }
  },
  retell(sources, messageId, data) {
    // An accepted story stays the story it was told as: the counts of refusals come with `late-answers`.
    const client = data['client'];
    if (messageId !== 'late-answers' || typeof client !== 'object' || client.kind !== 'endpoint') return null;
    const story = sources.lateCredentials(client.ip);
    // The story stays as told when the end of the input no longer tells it: the client's later
    // answers brought its median under the threshold (the message would say "late" of a median
    // that is not), or its entry was let go and started again (fewer answers than were told).
    if (story === null || story.medianDelayMs < PATTERN_THRESHOLDS.lateMs || story.answers < Number(data['answers'])) return null;
    return { ...data, ...lateAnswersCounts(story) };
  },
});

/** A request that is an attempt of its client's (the groups below): not an ACK or a CANCEL. */
function isAttempt(tx: Transaction): boolean {
  return tx.request !== null && tx.method !== 'ACK' && tx.method !== 'CANCEL';
}

/** Whether any message of the call is a 401 or 407: a loop, not `some` with a closure made for every call. */
function challenged(call: Call): boolean {
  const messages = call.messages;
  for (let i = 0; i < messages.length; i++) {
    const status = messages[i]!.captured.message.status;
    if (status === 401 || status === 407) return true;
  }
  return false;
}

/**
 * Whether the call's attempts can tell anything, found without reading a credential or a
 * challenge. Every finding below is about a request whose credentials were challenged again (a
 * loop, a refusal, a nonce sent again after it was refused) or about a challenge that is the last
 * thing a client's attempts at a method met (unanswered, unresolved). The usual flow, a request
 * without credentials challenged and a later attempt carrying them (REGISTER, 401, REGISTER, 200),
 * has neither, and most REGISTER and INVITE calls that hold a challenge are that flow.
 */
function mayTellAttempts(call: Call, loopThreshold: number): boolean {
  // A threshold of zero or less counts any attempts as a loop.
  if (loopThreshold <= 0) return true;
  const txs = call.transactions;
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!;
    if (!isAttempt(tx)) continue;
    const final = firstFinal(call, tx);
    const status = final === null ? 0 : statusOf(call, final);
    if (status !== 401 && status !== 407) continue;
    const request = captured(call, tx.request!);
    // Credentials challenged again: refused unless the challenge says stale, which the full reading tells.
    if (carriesCredentials(request.message)) return true;
    // The last attempt of its client at this method met the challenge (the groups' key: method and source).
    let answered = false;
    for (let j = i + 1; j < txs.length && !answered; j++) {
      const later = txs[j]!;
      answered = isAttempt(later) && later.method === tx.method && sameEndpoint(captured(call, later.request!).src, request.src);
    }
    if (!answered) return true;
  }
  return false;
}

/** What a late-answers story counts, from the tracker's account of the client so far. */
function lateAnswersCounts(story: LateCredentials) {
  return {
    client: endpoint(story.client),
    delay: duration(story.medianDelayMs),
    answers: story.answers,
    late: story.late,
    threshold: duration(PATTERN_THRESHOLDS.lateMs),
    answered: refs(story.lateAnswers, story.late),
    refused: story.refused,
    refusals: story.refusals.length === 0 ? '-' : refs(story.refusals, story.refused),
  };
}

/**
 * The story of a client that answers challenges late in call after call (src/annotate/patterns.ts),
 * told once, on the call that holds the answer at which its median delay became a habit, with what
 * the capture held by the time the call is checked: which late answers were refused.
 */
function lateAnswersStory(call: Call, context: RuleContext<{ slowCredentialsSeconds: number }>): void {
  // No address has the habit (nearly every capture): no Set of the call's clients made to ask each.
  if (context.sources == null || !context.sources.anyLateCredentials()) return;
  const clients = new Set<string>();
  for (const m of call.messages) if (m.captured.message.kind === 'request' && !m.retransmission) clients.add(m.captured.src.ip);
  for (const ip of clients) {
    const story = context.sources?.lateCredentials(ip) ?? null;
    const at = story === null ? -1 : storyIndex(call, story.evident);
    if (story === null || at < 0) continue;
    const answer = captured(call, at);
    const credentials = credentialsOf(answer.message);
    context.report({
      messageId: story.refused > 0 ? 'late-answers' : 'late-answers-accepted',
      data: {
        // The answer the habit became evident at, for the rule's explanation.
        method: answer.message.method ?? '',
        realm: credentials?.params['realm'] ?? '',
        user: credentials?.params['username'] ?? '',
        server: endpoint(answer.dst),
        ...lateAnswersCounts(story),
      },
      messages: [at],
      anchor: at,
    });
  }
}
