import type { Transaction } from '../../parse/dialog/types.js';
import type { SipMessage } from '../../parse/sip/types.js';
import { diffMs } from '../../time.js';
import { messageRef } from '../render/format.js';
import { captured, firstFinal, formatDuration, formatEndpoint, headerValue, leadingNumber, sameUriTarget, sipOf, statusLabel, statusOf } from './lib/call.js';
import { defineCatalogRule } from './lib/define.js';
import { expiresOf } from './lib/headers.js';
import { STATUS_OWNERS } from './lib/owners.js';

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
export const registrationProblems = defineCatalogRule<{ shortenedRatio: number; lengthenedRatio: number; graceSeconds: number }>({
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
  },
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
      const data: Record<string, string | number> = {
        aor: request.to?.uri.raw ?? '(unknown)',
        registrar: formatEndpoint(response.src),
        response: statusLabel(response.message),
        asked: asked ?? 'none',
      };
      const evidence = [tx.request, final];
      if (status === 423) {
        const minExpires = leadingNumber(headerValue(response.message, 'min-expires'));
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
        if (!STATUS_OWNERS.has(status)) context.report({ messageId: 'failed', data, messages: evidence, anchor: final });
        return;
      }
      if (status < 200) return;
      if (asked === 0) {
        const again = registers.find((t, k) => k > n && askedExpires(sipOf(call, t.request)) !== 0 && sipOf(call, t.request).contact.length > 0);
        if (again !== undefined) {
          data['after'] = formatDuration(diffMs(response.time, captured(call, again.request).time));
          context.report({ messageId: 'deregistered', data, messages: [...evidence, again.request], anchor: again.request });
        }
        return;
      }
      const granted = grantedExpires(response.message, request);
      if (granted === null || request.contact.length === 0) return;
      data['granted'] = granted;
      if (granted === 0) {
        context.report({ messageId: 'contact-removed', data, messages: evidence, anchor: final });
        return;
      }
      if (asked !== null && granted < asked * context.options.shortenedRatio) context.report({ messageId: 'expires-shortened', data, messages: evidence, anchor: final });
      if (asked !== null && granted > asked * context.options.lengthenedRatio) context.report({ messageId: 'expires-lengthened', data, messages: evidence, anchor: final });
      // The next REGISTER must come before the binding runs out.
      const next = registers[n + 1];
      const grantedMs = granted * 1000;
      data['since'] = messageRef(response);
      if (next !== undefined) {
        const elapsedMs = diffMs(response.time, captured(call, next.request).time);
        if (elapsedMs > grantedMs + graceMs) {
          context.report({ messageId: 'refresh-late', data: { ...data, elapsed: formatDuration(elapsedMs), lapsed: formatDuration(elapsedMs - grantedMs) }, messages: [...evidence, next.request], anchor: next.request });
        }
      } else {
        const elapsedMs = diffMs(response.time, context.captureEnd);
        if (elapsedMs > grantedMs + graceMs) context.report({ messageId: 'refresh-missing', data: { ...data, elapsed: formatDuration(elapsedMs) }, messages: evidence, anchor: final });
      }
    });
  },
});
