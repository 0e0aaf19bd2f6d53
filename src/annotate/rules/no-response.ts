import { defineCatalogRule } from './lib/define.js';
import { estimateT1 } from './lib/timers.js';
import { unanswered, unansweredData } from './lib/waiting.js';

/** Methods another rule watches for a missing answer (ACK is never answered). */
const NOT_HERE = new Set(['ACK', 'BYE', 'OPTIONS']);

/**
 * A request that got no response of any kind: not even 100 Trying. Over UDP the sender
 * retransmits it (T1, 2*T1, 4*T1...) until Timer B or F (64*T1, 32 s) gives up; over TCP it
 * waits in silence for the same time.
 */
export const noResponse = defineCatalogRule<{ t1Ms: number; minUnresolvedSeconds: number }>({
  meta: {
    id: 'no-response',
    severity: 'error',
    messageSeverity: { unresolved: 'warning', 'unresolved-once': 'info' },
    description: 'A request got no response at all (not even 100 Trying) until the transaction timer (Timer B/F, 64*T1) ran out.',
    evidence: 'Every copy of the request (the first and its retransmissions) and the time the capture ended.',
    explanation:
      'Nothing came back from {peer}: the request never arrived (wrong address or port, a firewall or NAT dropping it, the host down or not listening on {transport}), or the answers are sent somewhere this capture does not see (for example to the Via address when the request came through NAT without rport). The next hop answers an INVITE with 100 Trying within 200 ms and any other request long before {timerName}, so complete silence means the request or its answers are lost.',
    fix: 'Check that {peer} is up and listens for SIP on {transport}; look for ICMP port or host unreachable; capture on the far side to see whether the request arrives. If it arrives, check where the response is sent (top Via sent-by, received/rport) and the firewall on the way back.',
    rfc: 'RFC 3261 §17.1.1.2 (Timer A/B), §17.1.2.2 (Timer E/F), §18.2.2 (where responses go)',
    messages: {
      timeout: '{method} to {peer} was sent {copies} time(s) and got no response at all in {waited}; {timerName} ({timer}) expired, so the sender has given up.',
      'timeout-reliable': '{method} to {peer} over {transport} got no response at all for {waited}; {timerName} ({timer}) expired, so the sender has given up.',
      unresolved:
        '{method} to {peer} was sent {copies} time(s) with no response; the capture ended {waited} after the first copy, before {timerName} ({timer}), so whether it was ever answered is unresolved.',
      'unresolved-once':
        '{method} to {peer} got no response; the capture ended {waited} later, before {timerName} ({timer}), so whether it was ever answered is unresolved.',
    },
    options: {
      t1Ms: { default: 500, description: 'T1 in milliseconds when the call shows no retransmission to measure it from (RFC 3261 default 500 ms).' },
      minUnresolvedSeconds: {
        default: 2,
        description: 'A request sent once, with no answer and a capture ending less than this many seconds later, is not reported (it is simply the end of the capture).',
      },
    },
  },
  check(call, context) {
    const t1 = estimateT1(call, context.options.t1Ms);
    for (const tx of call.transactions) {
      if (NOT_HERE.has(tx.method)) continue;
      const u = unanswered(call, tx, context.captureEnd, t1.t1Ms);
      if (u === null) continue;
      const data = unansweredData(call, u, t1.t1Ms, t1.fromTrace);
      const evidence = [...u.sends];
      const anchor = u.sends[u.sends.length - 1]!;
      if (u.expired) {
        context.report({ messageId: u.reliable ? 'timeout-reliable' : 'timeout', data, messages: evidence, anchor });
      } else if (u.sends.length > 1) {
        context.report({ messageId: 'unresolved', data, messages: evidence, anchor });
      } else if (u.waitedMs >= context.options.minUnresolvedSeconds * 1000) {
        context.report({ messageId: 'unresolved-once', data, messages: evidence, anchor });
      }
    }
  },
});
