/** How a call ended, from its first INVITE (or first request) transaction. */
import type { Call, Transaction } from '../parse/dialog/types.js';

export type Outcome =
  | 'answered' // INVITE got a 2xx
  | 'completed' // a non-INVITE request got a 2xx
  | 'redirected' // 3xx
  | 'failed' // 4xx/5xx/6xx (not a 487 after CANCEL)
  | 'cancelled' // the caller sent CANCEL before any 2xx
  | 'no-final-response' // only provisional responses
  | 'no-response' // no response at all
  | 'unknown'; // no request in the capture

export interface CallOutcome {
  readonly outcome: Outcome;
  /** The final status that decided it, if any. */
  readonly status: number | null;
}

function statusesOf(call: Call, tx: Transaction): number[] {
  return tx.responses.map((i) => call.messages[i]!.captured.message.status ?? 0);
}

/**
 * The transaction that decides the outcome. A call may try several INVITEs (a 401/407
 * challenge answered with credentials, a 3xx followed): the first one answered with a 2xx
 * decides, otherwise the last attempt. Re-INVITEs inside a dialog (To tag set) do not count.
 * Other calls (REGISTER, OPTIONS...) are decided by their last request.
 */
function decidingTransaction(call: Call): Transaction | undefined {
  const attempts = call.transactions.filter((t) => t.request !== null && t.method !== 'ACK' && t.method !== 'CANCEL');
  const initialInvites = attempts.filter((t) => t.method === 'INVITE' && call.messages[t.request!]!.captured.message.to?.tag == null);
  const candidates = initialInvites.length > 0 ? initialInvites : attempts.filter((t) => t.method !== 'BYE');
  const pool = candidates.length > 0 ? candidates : attempts;
  return pool.find((t) => statusesOf(call, t).some((s) => s >= 200 && s < 300)) ?? pool[pool.length - 1];
}

export function callOutcome(call: Call): CallOutcome {
  const tx = decidingTransaction(call);
  if (tx === undefined) return { outcome: 'unknown', status: null };
  const statuses = statusesOf(call, tx);
  const success = statuses.find((s) => s >= 200 && s < 300);
  if (success !== undefined) return { outcome: tx.method === 'INVITE' ? 'answered' : 'completed', status: success };
  if (tx.cancelledBy !== null) return { outcome: 'cancelled', status: statuses.find((s) => s >= 300) ?? null };
  const final = statuses.find((s) => s >= 300);
  if (final !== undefined) return { outcome: final < 400 ? 'redirected' : 'failed', status: final };
  return { outcome: statuses.length > 0 ? 'no-final-response' : 'no-response', status: null };
}
