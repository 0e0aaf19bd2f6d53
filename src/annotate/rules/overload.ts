import { captured, groupData, groupEvidence, responseGroups, retryAfterSeconds } from './lib/call.js';
import { defineCatalogRule } from './lib/define.js';
import { ownsMethod } from './lib/owners.js';

/** 503 Service Unavailable: the server (or the one behind it) cannot take the request now. */
export const overload = defineCatalogRule({
  meta: {
    id: 'overload',
    severity: 'error',
    description: 'A request was answered 503 Service Unavailable: the server is overloaded, in maintenance, or has no working route onwards.',
    evidence: 'The request and its 503 response (each hop that forwarded it), with Retry-After when present.',
    explanation:
      '{server} answered {response}. With Retry-After the server says it is temporarily overloaded or in maintenance and asks clients not to send it anything for that long. Without Retry-After, a proxy or SBC usually means it found no working next hop (every gateway or trunk down, a DNS failure, all channels in use) and the client should try its next server (RFC 3263).',
    fix: 'On {server}: check load, licence and channel limits, and the state of the trunks or gateways it routes {uri} to. Clients should honour Retry-After and fail over to another server from DNS SRV. Many 503s in a row from one server point at overload control (RFC 7339) or a dead upstream.',
    rfc: 'RFC 3261 §21.5.4, §20.33 (Retry-After); RFC 3263 §4.3 (failover); RFC 7339 (overload control)',
    messages: {
      'retry-after': '{method} for {uri} was answered {response} by {server}, asking for no new requests for {retryAfter} s.',
      'no-retry-after': '{method} for {uri} was answered {response} by {server}, without Retry-After: it has no way onwards, and the client should try another server.',
    },
    options: {},
  },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => status === 503 && ownsMethod(method))) {
      const retryAfter = retryAfterSeconds(captured(call, group.responses[0]!).message);
      const data = { ...groupData(call, group), retryAfter: retryAfter ?? 'none' };
      context.report({ messageId: retryAfter === null ? 'no-retry-after' : 'retry-after', data, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
