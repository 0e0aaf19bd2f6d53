import type { Transaction } from '../../parse/dialog/types.js';
import type { SipMessage } from '../../parse/sip/types.js';
import { diffMs } from '../../time.js';
import { captured, firstFinal, sameUriTarget, sipOf, statusLabel, statusOf } from './lib/call.js';
import { expiresOf, headerValue, leadingNumber } from '../../parse/sip/header-values.js';
import { STATUS_OWNERS } from './lib/owners.js';
import { duration, endpoint, ref, type DataValue, defineRule } from './types.js';

/** The expiry a REGISTER asks for: its first Contact's expires parameter, else Expires; 0 for `Contact: *`; null when it does not say. */
function askedExpires(msg: SipMessage): number | null {
  const contact = msg.contact[0];
  if (contact === undefined) return null; // a query of the bindings, not a registration
  if (contact.uri.raw === '*') return 0;
  const param = contact.params['expires'];
  return param !== undefined ? leadingNumber(param) : expiresOf(msg);
}

/** The expiry a 2xx grants the request's Contact (RFC 3261 §10.2.4): its entry's expires, else Expires. */
function grantedExpires(response: SipMessage, request: SipMessage): number | null {
  const ours = request.contact[0];
  const entry = (ours === undefined ? undefined : response.contact.find((c) => sameUriTarget(c.uri, ours.uri))) ?? (response.contact.length === 1 ? response.contact[0] : undefined);
  const param = entry?.params['expires'];
  return param !== undefined ? leadingNumber(param) : expiresOf(response);
}

/**
 * Registration trouble (RFC 3261 §10): REGISTER failures no other rule explains, 423 Interval
 * Too Brief, an expiry granted far from the one asked, a binding removed by the registrar,
 * refreshes that come late or never, and de-registrations followed by a new registration.
 */
export const registrationProblems = defineRule<{ shortenedRatio: number; lengthenedRatio: number; graceSeconds: number }>({
  meta: {
    id: 'registration-problems',
    severity: 'error',
    messageSeverity: {
      'interval-too-brief': 'warning',
      'interval-too-brief-retried': 'info',
      'expires-shortened': 'info',
      'expires-lengthened': 'warning',
      'contact-removed': 'warning',
      'refresh-late': 'warning',
      'refresh-missing': 'warning',
      deregistered: 'info',
    },
    description: 'Registration trouble: REGISTER failures (other than those explained by their own rules), 423 Interval Too Brief, expiry granted far shorter or longer than asked, a binding removed, refreshes late or missing, de-registration followed by a new registration.',
    evidence: 'The REGISTER requests and their responses, and the time the capture ended for a missing refresh.',
    explanation:
      'A registration binds {aor} to a contact address for the expiry the registrar grants; the UA must refresh it before it runs out, or incoming calls fail with 404/480 from then on. Registrars shorten expiries on purpose (to keep NAT bindings open) and enforce a minimum (423 with Min-Expires); a binding that lapses, a registrar that drops the contact, or a UA that removes and re-adds its binding (after a crash, a network change, a second device with the same account) shows up as calls that fail only some of the time.',
    fix: 'Compare the expiry the UA asks for with what the registrar ({registrar}) grants and with how often the UA really refreshes; check for a second device or app registered with the same account (bindings replacing each other), and for NAT or firewall timeouts shorter than the refresh interval. For 423, let the UA use the Min-Expires of the response.',
    rfc: 'RFC 3261 §10.2 (REGISTER), §10.2.1.1 (expiry), §10.2.2 (removing bindings), §10.3 (registrar behaviour), §21.4.17 (423)',
    messages: {
      failed: 'REGISTER for {aor} was answered {response} by {registrar}.',
      'interval-too-brief': 'REGISTER for {aor} asked for {asked} s and {registrar} answered {response} (Min-Expires {minExpires} s); no REGISTER with a longer expiry followed.',
      'interval-too-brief-retried': 'REGISTER for {aor} asked for {asked} s; {registrar} answered {response} (Min-Expires {minExpires} s) and it was sent again asking for {retried} s.',
      'expires-shortened': 'REGISTER for {aor} asked for {asked} s and {registrar} granted only {granted} s: the UA must refresh that often.',
      'expires-lengthened': 'REGISTER for {aor} asked for {asked} s and {registrar} granted {granted} s, far longer: NAT bindings may close before the UA refreshes.',
      'contact-removed': 'REGISTER for {aor} asked for {asked} s, but {registrar} answered with the binding at expires 0: the contact was removed.',
      'refresh-late': 'The registration of {aor} granted {granted} s at {since} was refreshed only {elapsed} later: it lapsed for {lapsed}.',
      'refresh-missing': 'The registration of {aor} granted {granted} s at {since} was not refreshed: the capture goes on {elapsed} after it, so it lapsed.',
      deregistered: 'The UA removed its binding for {aor} and registered again {after} later.',
    },
    options: {
      shortenedRatio: { default: 0.5, description: 'A granted expiry below this fraction of the one asked counts as shortened.' },
      lengthenedRatio: { default: 2, description: 'A granted expiry above this multiple of the one asked counts as lengthened.' },
      graceSeconds: { default: 10, description: 'How long (s) past the granted expiry a refresh may come before the registration counts as lapsed.' },
    },
    translations: {
      es: {
        description:
          'Problemas de registro: fallos de REGISTER (salvo los que explican sus propias reglas), 423 Interval Too Brief, una caducidad concedida mucho más corta o más larga que la pedida, una asociación eliminada, refrescos tardíos o ausentes, o un desregistro seguido de un registro nuevo.',
        evidence: 'Las peticiones REGISTER y sus respuestas y, si falta un refresco, el momento en que terminó la captura.',
        explanation:
          'Un registro asocia {aor} a una dirección de contacto durante la caducidad que concede el registrador; el UA debe refrescarlo antes de que venza, o a partir de entonces las llamadas entrantes fallan con 404/480. Los registradores acortan las caducidades a propósito (para mantener abiertas las asociaciones NAT) e imponen un mínimo (423 con Min-Expires); una asociación que vence, un registrador que elimina el contacto, o un UA que borra y vuelve a añadir su asociación (tras un bloqueo, un cambio de red, un segundo dispositivo con la misma cuenta) se manifiestan como llamadas que fallan solo a veces.',
        fix: 'Compara la caducidad que pide el UA con la que concede el registrador ({registrar}) y con la frecuencia real con que el UA refresca; busca un segundo dispositivo o aplicación registrados con la misma cuenta (asociaciones que se reemplazan entre sí), y timeouts de NAT o de firewall más cortos que el intervalo de refresco. Para el 423, deja que el UA use el Min-Expires de la respuesta.',
        rfc: 'RFC 3261 §10.2 (REGISTER), §10.2.1.1 (caducidad), §10.2.2 (eliminar asociaciones), §10.3 (comportamiento del registrador), §21.4.17 (423)',
        messages: {
          failed: 'El REGISTER para {aor} recibió {response} de {registrar}.',
          'interval-too-brief': 'El REGISTER para {aor} pidió {asked} s y {registrar} respondió {response} (Min-Expires {minExpires} s); no siguió ningún REGISTER con una caducidad mayor.',
          'interval-too-brief-retried': 'El REGISTER para {aor} pidió {asked} s; {registrar} respondió {response} (Min-Expires {minExpires} s) y se volvió a enviar pidiendo {retried} s.',
          'expires-shortened': 'El REGISTER para {aor} pidió {asked} s y {registrar} solo concedió {granted} s: el UA debe refrescar con esa frecuencia.',
          'expires-lengthened': 'El REGISTER para {aor} pidió {asked} s y {registrar} concedió {granted} s, mucho más: las asociaciones NAT pueden cerrarse antes de que el UA refresque.',
          'contact-removed': 'El REGISTER para {aor} pidió {asked} s, pero {registrar} respondió con la asociación en expires 0: el contacto se eliminó.',
          'refresh-late': 'El registro de {aor}, concedido por {granted} s en {since}, no se refrescó hasta {elapsed} después: estuvo vencido durante {lapsed}.',
          'refresh-missing': 'El registro de {aor}, concedido por {granted} s en {since}, no se refrescó: la captura sigue {elapsed} después, así que venció.',
          deregistered: 'El UA eliminó su asociación para {aor} y volvió a registrarse {after} después.',
        },
        options: {
          shortenedRatio: 'Una caducidad concedida por debajo de esta fracción de la pedida se considera acortada.',
          lengthenedRatio: 'Una caducidad concedida por encima de este múltiplo de la pedida se considera alargada.',
          graceSeconds: 'Cuánto tiempo (s) después de la caducidad concedida puede llegar un refresco antes de que el registro se considere vencido.',
        },
        values: {
          aor: { '(unknown)': '(desconocida)' },
          asked: { none: 'ninguno' },
          minExpires: { none: 'ninguno' },
        },
      },
    },
  },
  needs: { methods: ['REGISTER'] },
  check(call, context) {
    const registers = call.transactions.filter((tx): tx is Transaction & { request: number } => tx.method === 'REGISTER' && tx.request !== null);
    const graceMs = context.options.graceSeconds * 1000;
    registers.forEach((tx, n) => {
      const final = firstFinal(call, tx);
      if (final === null) return;
      const request = sipOf(call, tx.request);
      const response = captured(call, final);
      const status = statusOf(call, final);
      const asked = askedExpires(request);
      // Made when a report needs it (most finals report nothing: the To read, the registrar and
      // the status written out for nothing), then one object that every report of this REGISTER
      // shares and adds to: `since` is added after expires-shortened reported it.
      let data: Record<string, DataValue> | null = null;
      const dataOf = (): Record<string, DataValue> =>
        (data ??= {
          aor: request.to?.uri.raw ?? '(unknown)',
          registrar: endpoint(response.src),
          response: statusLabel(response.message),
          asked: asked ?? 'none',
        });
      const evidence = [tx.request, final];
      if (status === 423) {
        const minExpires = leadingNumber(headerValue(response.message, 'min-expires'));
        const data = dataOf();
        data['minExpires'] = minExpires ?? 'none';
        const retry = registers.find((t, k) => k > n && (askedExpires(sipOf(call, t.request)) ?? 0) >= (minExpires ?? 1));
        if (retry !== undefined) {
          data['retried'] = askedExpires(sipOf(call, retry.request))!;
          context.report({ messageId: 'interval-too-brief-retried', data, messages: [...evidence, retry.request], anchor: retry.request });
        } else {
          context.report({ messageId: 'interval-too-brief', data, messages: evidence, anchor: final });
        }
        return;
      }
      if (status >= 300) {
        if (!STATUS_OWNERS.has(status)) context.report({ messageId: 'failed', data: dataOf(), messages: evidence, anchor: final });
        return;
      }
      if (status < 200) return;
      if (asked === 0) {
        const again = registers.find((t, k) => k > n && askedExpires(sipOf(call, t.request)) !== 0 && sipOf(call, t.request).contact.length > 0);
        if (again !== undefined) {
          const data = dataOf();
          data['after'] = duration(diffMs(response.time, captured(call, again.request).time));
          context.report({ messageId: 'deregistered', data, messages: [...evidence, again.request], anchor: again.request });
        }
        return;
      }
      const granted = grantedExpires(response.message, request);
      if (granted === null || request.contact.length === 0) return;
      const withGranted = (): Record<string, DataValue> => {
        const data = dataOf();
        data['granted'] = granted;
        return data;
      };
      if (granted === 0) {
        context.report({ messageId: 'contact-removed', data: withGranted(), messages: evidence, anchor: final });
        return;
      }
      if (asked !== null && granted < asked * context.options.shortenedRatio) context.report({ messageId: 'expires-shortened', data: withGranted(), messages: evidence, anchor: final });
      if (asked !== null && granted > asked * context.options.lengthenedRatio) context.report({ messageId: 'expires-lengthened', data: withGranted(), messages: evidence, anchor: final });
      // The next REGISTER must come before the binding runs out.
      const next = registers[n + 1];
      const grantedMs = granted * 1000;
      // Added to the data a report above already holds, as to the data of the reports below.
      const withSince = (): Record<string, DataValue> => {
        const data = withGranted();
        data['since'] ??= ref(response);
        return data;
      };
      if (data !== null) withSince();
      // The refresh is in this entry, or began the next one (each refresh cycle is an entry: src/parse/dialog/correlate.ts).
      const refresh = next !== undefined ? captured(call, next.request) : (call.refreshedBy ?? null);
      if (refresh !== null) {
        const elapsedMs = diffMs(response.time, refresh.time);
        if (elapsedMs > grantedMs + graceMs) {
          const shown = next !== undefined ? { messages: [...evidence, next.request], anchor: next.request } : { messages: evidence, anchor: final };
          context.report({ messageId: 'refresh-late', data: { ...withSince(), elapsed: duration(elapsedMs), lapsed: duration(elapsedMs - grantedMs) }, ...shown });
        }
      } else {
        const elapsedMs = diffMs(response.time, context.captureEnd);
        if (elapsedMs > grantedMs + graceMs) context.report({ messageId: 'refresh-missing', data: { ...withSince(), elapsed: duration(elapsedMs) }, messages: evidence, anchor: final });
      }
    });
  },
});
