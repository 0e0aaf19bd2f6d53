import { diffMs } from '../../time.js';
import { captured, formatDuration, groupData, groupEvidence, responseGroups, sameUriTarget, uriOf } from './lib/call.js';
import { defineCatalogRule } from './lib/define.js';
import { ownsMethod } from './lib/owners.js';

/** Contacts listed in the data (the rest are counted). */
const LISTED_CONTACTS = 3;

/**
 * A 3xx redirect that nobody followed: no new request to any of the Contacts it lists
 * (RFC 3261 §8.1.3.4). The client (or a proxy recursing for it) should try them in q order.
 */
export const redirectNotFollowed = defineCatalogRule<{ waitSeconds: number }>({
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
  },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => status >= 300 && status < 400 && ownsMethod(method))) {
      const response = group.responses[0]!;
      const r = captured(call, response);
      const contacts = r.message.contact.filter((c) => c.uri.raw !== '*');
      const listed = contacts.slice(0, LISTED_CONTACTS).map((c) => c.uri.raw).join(', ') + (contacts.length > LISTED_CONTACTS ? ` (+${contacts.length - LISTED_CONTACTS})` : '');
      const waitedMs = diffMs(r.time, context.captureEnd);
      const data = { ...groupData(call, group), contacts: listed || '(none)', contactCount: contacts.length, waited: formatDuration(waitedMs) };
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
