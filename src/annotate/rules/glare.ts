import { diffMs } from '../../time.js';
import { captured, groupData, responseGroups, sameEndpoint } from './lib/call.js';
import { ownsMethod } from './lib/owners.js';
import { METHOD_VALUES_ES } from './lib/es.js';
import { duration, endpoint, ref, type DataValue, defineRule } from './types.js';

/** How far (ms) a crossing request from the other side may be from the refused one. */
const CROSSING_WINDOW_MS = 2000;
/** Slack (ms) when comparing a retry with the RFC 3261 §14.1 window. */
const RETRY_SLACK_MS = 100;

/**
 * 491 Request Pending: both sides of a dialog sent a re-INVITE (or UPDATE) at the same time
 * (glare). RFC 3261 §14.1: the side that owns the Call-ID retries after 2.1-4 s, the other
 * after 0-2 s, so the two retries do not collide again.
 */
export const glare = defineRule<{ waitSeconds: number }>({
  meta: {
    id: 'glare',
    severity: 'warning',
    messageSeverity: { retried: 'info', unresolved: 'info' },
    description: 'A re-INVITE or UPDATE was refused with 491 Request Pending (glare: both sides changed the session at once), and what followed.',
    evidence: 'The refused request, the request from the other side it crossed (when captured), the 491, and the retry.',
    explanation:
      '{server} was itself changing the session (its crossing request: {crossing}) when {method} from {requester} arrived, so it answered 491. RFC 3261 §14.1 has each side retry after a random delay, 2.1-4 s for the side that created the Call-ID and 0-2 s for the other ({range} for {requester} here), so the retries do not collide again. Glare is normal now and then; repeated glare usually comes from both sides refreshing a session timer or reacting to the same event (hold, a media change, a transfer) at once.',
    fix: 'No fix needed when the retry succeeds. If {requester} never retries, or retries at once and collides again, fix its 491 handling (random back-off per RFC 3261 §14.1); if glare repeats, make only one side refresh the session (refresher=uac/uas) or stagger the events that trigger re-INVITEs.',
    rfc: 'RFC 3261 §14.1, §21.4.27; RFC 3311 §5.2 (UPDATE)',
    messages: {
      retried: '{method} from {requester} met glare ({response} from {server}) and was retried {delay} later (window {range}).',
      'retried-early': '{method} from {requester} met glare ({response} from {server}) and was retried only {delay} later, outside the {range} window: it may collide again.',
      'not-retried': '{method} from {requester} met glare ({response} from {server}) and was never retried (not in the {waited} that followed in the capture).',
      unresolved: '{method} from {requester} met glare ({response} from {server}); the capture ended {waited} later, so whether it was retried is unresolved.',
    },
    options: {
      waitSeconds: { default: 5, description: 'How long after the 491 the capture must go on without a retry before the request counts as never retried (the longest back-off is 4 s).' },
    },
    translations: {
      es: {
        description: 'Un re-INVITE o un UPDATE se rechazó con 491 Request Pending (glare: ambos lados cambiaron la sesión a la vez), y lo que siguió.',
        evidence: 'La petición rechazada, la petición del otro lado con la que se cruzó (si se capturó), el 491 y el reintento.',
        explanation:
          '{server} estaba cambiando la sesión por su cuenta (su petición cruzada: {crossing}) cuando llegó el {method} de {requester}, así que respondió 491. La RFC 3261 §14.1 hace que cada lado reintente tras un retardo aleatorio, de 2.1-4 s para el lado que creó el Call-ID y de 0-2 s para el otro ({range} para {requester} aquí), para que los reintentos no vuelvan a chocar. Un glare de vez en cuando es normal; un glare repetido suele deberse a que ambos lados refrescan un temporizador de sesión o reaccionan al mismo evento (espera, un cambio de medios, una transferencia) a la vez.',
        fix: 'No hace falta corregir nada cuando el reintento tiene éxito. Si {requester} nunca reintenta, o reintenta enseguida y vuelve a chocar, corrige su manejo del 491 (espera aleatoria según la RFC 3261 §14.1); si el glare se repite, haz que solo un lado refresque la sesión (refresher=uac/uas) o escalona los eventos que provocan los re-INVITE.',
        rfc: 'RFC 3261 §14.1, §21.4.27; RFC 3311 §5.2 (UPDATE)',
        messages: {
          retried: 'El {method} de {requester} sufrió glare ({response} de {server}) y se reintentó {delay} después (ventana de {range}).',
          'retried-early': 'El {method} de {requester} sufrió glare ({response} de {server}) y se reintentó solo {delay} después, fuera de la ventana de {range}: puede volver a chocar.',
          'not-retried': 'El {method} de {requester} sufrió glare ({response} de {server}) y nunca se reintentó (no en los {waited} siguientes de la captura).',
          unresolved: 'El {method} de {requester} sufrió glare ({response} de {server}); la captura terminó {waited} después, así que queda sin resolver si se reintentó.',
        },
        options: {
          waitSeconds: 'Cuánto tiempo debe continuar la captura tras el 491 sin un reintento para que la petición se considere nunca reintentada (la espera más larga es de 4 s).',
        },
        values: { method: METHOD_VALUES_ES, crossing: { none: 'ninguna' } },
      },
    },
  },
  needs: { statuses: [491] },
  check(call, context) {
    const callerTag = call.messages.find((m) => m.captured.message.method === 'INVITE')?.captured.message.fromTag ?? null;
    for (const group of responseGroups(call, (status, method) => status === 491 && ownsMethod(method))) {
      if (group.request === null) continue;
      const response = group.responses[0]!;
      const r = captured(call, response);
      const request = captured(call, group.request);
      const owner = callerTag !== null && request.message.fromTag === callerTag;
      const minMs = owner ? 2100 : 0;
      const crossing = call.messages.findIndex(
        (m, i) =>
          i !== group.request &&
          !m.retransmission &&
          m.captured.message.method === group.method &&
          sameEndpoint(m.captured.src, request.dst) &&
          Math.abs(diffMs(m.captured.time, request.time)) <= CROSSING_WINDOW_MS,
      );
      const retry = call.messages.findIndex((m, i) => i > response && !m.retransmission && m.captured.message.method === group.method && sameEndpoint(m.captured.src, request.src));
      const waitedMs = diffMs(r.time, context.captureEnd);
      const data: Record<string, DataValue> = {
        ...groupData(call, group),
        requester: endpoint(request.src),
        callIdOwner: owner ? 'yes' : 'no',
        range: owner ? '2.1-4 s' : '0-2 s',
        crossing: crossing >= 0 ? ref(captured(call, crossing)) : 'none',
        waited: duration(waitedMs),
      };
      const evidence = [group.request, ...(crossing >= 0 ? [crossing] : []), response];
      if (retry >= 0) {
        const delayMs = diffMs(r.time, captured(call, retry).time);
        data['delay'] = duration(delayMs);
        data['delayMs'] = Math.round(delayMs);
        const early = delayMs < minMs - RETRY_SLACK_MS;
        context.report({ messageId: early ? 'retried-early' : 'retried', data, messages: [...evidence, retry].sort((a, b) => a - b), anchor: retry });
      } else {
        context.report({ messageId: waitedMs >= context.options.waitSeconds * 1000 ? 'not-retried' : 'unresolved', data, messages: evidence.sort((a, b) => a - b), anchor: response });
      }
    }
  },
});
