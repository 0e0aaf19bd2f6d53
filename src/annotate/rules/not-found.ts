import { groupData, groupEvidence, responseGroups, uriOf } from './lib/call.js';
import { defineCatalogRule } from './lib/define.js';
import { ownsMethod } from './lib/owners.js';

const MESSAGE_ID: Readonly<Record<number, string>> = { 404: 'not-found', 604: 'nowhere', 484: 'incomplete' };

/** 404 Not Found, 604 Does Not Exist Anywhere, 484 Address Incomplete: the target does not resolve. */
export const notFound = defineCatalogRule({
  meta: {
    id: 'not-found',
    severity: 'warning',
    description: 'A request was answered 404 Not Found, 604 Does Not Exist Anywhere or 484 Address Incomplete: the dialled target does not resolve.',
    evidence: 'The request and its 404/604/484 response (each hop that forwarded it).',
    explanation:
      '{server} could not find "{user}" in {uri}. 404: the user is unknown in this domain (a typo, a number missing from the dial plan, a format the server does not expect such as missing country code or a leading +, or a user that is not provisioned). 604: the server knows the user does not exist anywhere. 484: the number is too short for the dial plan (overlap dialling sent it before all digits were in).',
    fix: 'Compare "{user}" in {uri} with what {server} expects: number format (E.164 with +, national, with or without prefix), domain, and the dial plan or routing table; for 484, configure the phone to wait for the full number (digit map, "#" to send) or fix the dial plan\'s expected length.',
    rfc: 'RFC 3261 §21.4.5 (404), §21.6.3 (604), §21.4.22 (484)',
    messages: {
      'not-found': '{method} for {uri} was answered {response} by {server}: "{user}" is unknown there.',
      nowhere: '{method} for {uri} was answered {response} by {server}: "{user}" does not exist anywhere.',
      incomplete: '{method} for {uri} was answered {response} by {server}: the number "{user}" is incomplete.',
    },
    options: {},
  },
  check(call, context) {
    for (const group of responseGroups(call, (status, method) => MESSAGE_ID[status] !== undefined && ownsMethod(method))) {
      const data = groupData(call, group);
      const user = uriOf(data.uri)?.user ?? '';
      context.report({ messageId: MESSAGE_ID[group.status]!, data: { ...data, user }, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
