import { defineCatalogRule } from './lib/define.js';
import { estimateT1 } from './lib/timers.js';
import { unanswered, unansweredData } from './lib/waiting.js';

/**
 * A BYE with no final response. The side that hung up considers the call over either way, but
 * the other side may never have heard of it: its call (and its billing, and its RTP) goes on.
 */
export const byeNotAnswered = defineCatalogRule<{ t1Ms: number; minUnresolvedSeconds: number }>({
  meta: {
    id: 'bye-not-answered',
    severity: 'error',
    messageSeverity: { unresolved: 'warning', 'unresolved-once': 'info' },
    description: 'A BYE got no final response before Timer F (64*T1) expired: the other side may still think the call is up.',
    evidence: 'Every copy of the BYE and the time the capture ended.',
    explanation:
      'BYE is answered at once by any UA that knows the dialog (200, or 481 if it does not). No answer from {peer} means the BYE did not reach it, or its answer does not come back: the BYE is sent to the remote Contact through the route set, so a wrong or private Contact, a missing Record-Route, a NAT binding that expired during the call, or a firewall that closed the path breaks it. The far end then keeps the call up (billing, channels, RTP) until its own timers or a media timeout end it.',
    fix: 'Check where the BYE went ({peer}) against the Contact and Record-Route learnt when the call was set up, NAT keep-alives for long calls, and the firewall\'s UDP timeouts; on the far side, look for the call hanging until an RTP or session timer ends it.',
    rfc: 'RFC 3261 §15.1.1, §15.1.2, §17.1.2.2 (Timer F)',
    messages: {
      'no-final': 'BYE from {sender} to {peer} was sent {copies} time(s) and got no final response in {waited}; {timerName} ({timer}) expired.',
      unresolved: 'BYE from {sender} to {peer} was sent {copies} time(s) with no final response; the capture ended {waited} after the first copy, before {timerName} ({timer}), so whether it was answered is unresolved.',
      'unresolved-once': 'BYE from {sender} to {peer} got no final response; the capture ended {waited} later, before {timerName} ({timer}), so whether it was answered is unresolved.',
    },
    options: {
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
      minUnresolvedSeconds: {
        default: 2,
        description: 'A BYE sent once, with no answer and a capture ending less than this many seconds later, is not reported (it is simply the end of the capture).',
      },
    },
  },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    for (const tx of call.transactions) {
      if (tx.method !== 'BYE') continue;
      const u = unanswered(call, tx, context.captureEnd, t1.t1Ms, true);
      if (u === null) continue;
      const data = unansweredData(call, u, t1.t1Ms, t1.fromTrace);
      const evidence = [...u.sends];
      const anchor = u.sends[u.sends.length - 1]!;
      if (u.expired) context.report({ messageId: 'no-final', data, messages: evidence, anchor });
      else if (u.sends.length > 1) context.report({ messageId: 'unresolved', data, messages: evidence, anchor });
      else if (u.waitedMs >= context.options.minUnresolvedSeconds * 1000) context.report({ messageId: 'unresolved-once', data, messages: evidence, anchor });
    }
  },
});
