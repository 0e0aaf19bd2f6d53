/**
 * The RFC 3261 timers, in one table (§17, Table 4 in Appendix A). Every timer the analysis
 * waits for is a multiple of T1, so a trace that shows another T1 (its first retransmission
 * gap; src/annotate/rules/lib/timers.ts estimates it) scales them all.
 */

/**
 * The timers with RFC 3261's default T1, read for every message (the correlator's deadlines); a
 * const enum, so that the bundler writes each into the code as a number (docs/decisions.md
 * "Offsets read per packet as const enums").
 */
export const enum Timer {
  /** T1: round-trip time estimate, 500 ms by default (§17.1.1.1). */
  T1_MS = 500,
  /**
   * Timer B (INVITE client transaction timeout, §17.1.1.2), Timer F (non-INVITE, §17.1.2.2),
   * Timer H (wait for an ACK to a final INVITE response, §17.2.1), Timer J (§17.2.2) and the
   * retransmission of a 2xx to INVITE until ACKed (§13.3.1.4) all last 64×T1.
   */
  TIMEOUT_T1S = 64,
  /** The same with the default T1: 32 s. */
  TIMEOUT_MS = TIMEOUT_T1S * T1_MS,
  /**
   * Timer C (§16.6 step 11, §16.8): a proxy waits more than 3 minutes for the final response to
   * an INVITE (refreshed by each provisional response) before it gives up.
   */
  C_MS = 180_000,
}

/** T1 by default, for the rules that estimate the trace's own. */
export const DEFAULT_T1_MS: number = Timer.T1_MS;

/** Timer B, F, H and J (Timer.TIMEOUT_T1S) with the given T1. */
export function transactionTimeoutMs(t1Ms: number = Timer.T1_MS): number {
  return Timer.TIMEOUT_T1S * t1Ms;
}
