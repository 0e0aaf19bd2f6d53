/**
 * Time-based rules on calls still open: the findings that capture time alone makes certain
 * (an INVITE stuck on 100 Trying past the threshold, a request unanswered when Timer B or F
 * runs out, a 2xx repeated with no ACK), reported while the call is in progress rather than at
 * its hand-over. The same rules as at the hand-over, run over the call as it stands with "now" as
 * the end of the capture; only their message ids that no later message can take back count.
 */
import { checkCall, type RulesConfig } from '../annotate/engine.js';
import { RULES_BY_ID, type AnyRule } from '../annotate/rules/index.js';
import type { Finding } from '../annotate/rules/types.js';
import type { Call } from '../parse/dialog/types.js';
import { fromMs } from '../time.js';

/**
 * The 2xx sent this many times with no ACK: the first copy and two retransmissions (T1 and 2*T1
 * later, RFC 3261 §13.3.1.4), 1.5 s with the default T1. One retransmission may cross an ACK on
 * its way; the rule's `late-ack` counts the same two before it calls an arriving ACK late.
 */
const NO_ACK_COPIES = 3;

/** Per rule, which of its findings hold while the call is open (the others wait for the hand-over). */
const LIVE_FINDINGS: Readonly<Record<string, (f: Finding) => boolean>> = {
  // Past the threshold with nothing but 100 Trying: a later 18x makes it a late response, still stuck.
  'stuck-on-100-trying': (f) => f.messageId === 'capture-ended',
  // Timer B or F ran out (RFC 3261 §17.1.1.2, §17.1.2.2): the sender has given up.
  'no-response': (f) => f.messageId === 'timeout' || f.messageId === 'timeout-reliable',
  'no-ack-for-2xx': (f) => (f.messageId === 'no-ack' && Number(f.data['copies']) >= NO_ACK_COPIES) || f.messageId === 'no-ack-bye',
};

/** The rules run on open calls. */
export const LIVE_RULES: readonly AnyRule[] = Object.keys(LIVE_FINDINGS).map((id) => RULES_BY_ID.get(id)!);

/** How a live finding is told apart from the others of its call: one is reported once. */
export function liveFindingKey(f: Finding): string {
  return `${f.rule}\u0000${f.messageId}\u0000${f.messages[0] ?? -1}`;
}

/** The time-based findings of an open call at capture time `nowMs`. */
export function liveFindings(call: Call, nowMs: number, config: RulesConfig = {}): Finding[] {
  return checkCall(call, fromMs(nowMs), config, LIVE_RULES).filter((f) => LIVE_FINDINGS[f.rule]?.(f) === true);
}
