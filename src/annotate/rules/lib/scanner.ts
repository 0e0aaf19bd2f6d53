/**
 * Scanner recognition: the User-Agents of SIP scanning and password-guessing tools, and the
 * first request of a call that a scanner sent. The tools named here exist only to probe or
 * attack SIP servers (SIPVicious's svmap/svwar/svcrack say "friendly-scanner" by default,
 * sipcli is a toll-fraud dialer, sundayddr a worm); general SIP stacks that attackers also
 * use (PJSIP, VaxSIPUserAgent, Cisco strings) are not in the list, since a phone can say them.
 */
import type { Call } from '../../../parse/dialog/types.js';
import { headerValue } from '../../../parse/sip/header-values.js';

const SCANNER_USER_AGENTS: readonly string[] = ['friendly-scanner', 'sipvicious', 'sipcli', 'sundayddr', 'sip-scan', 'sipscan', 'iwar', 'sivus', 'siparmyknife', 'smap'];

/**
 * Verdicts by User-Agent value: a trunk's few phones and servers say the same few values on every
 * request, so each is judged once. At most MAX_VERDICTS (a key may hold the header text it was read
 * from, about a kilobyte); values beyond them are judged each time.
 */
const VERDICTS = new Map<string, boolean>();
const MAX_VERDICTS = 256;
/** The value last judged and its verdict. */
const last = { value: null as string | null, verdict: false };

/** True when a User-Agent (or Server) value names a scanning tool (its first word, case-insensitive; SIPVicious anywhere). */
export function isScannerUserAgent(value: string | null): boolean {
  if (value === null) return false;
  // The requests of a call, and calls after each other, mostly say the value last asked about:
  // compared, it is not hashed for the table.
  if (value === last.value) return last.verdict;
  let verdict = VERDICTS.get(value);
  if (verdict === undefined) {
    verdict = namesScanner(value);
    if (VERDICTS.size < MAX_VERDICTS) VERDICTS.set(value, verdict);
  }
  last.value = value;
  last.verdict = verdict;
  return verdict;
}

function namesScanner(value: string): boolean {
  const lower = value.trim().toLowerCase();
  if (lower.includes('sipvicious')) return true;
  const first = lower.split(/[\s/;(]/)[0] ?? '';
  return SCANNER_USER_AGENTS.includes(first);
}

/** The first request of the call that opens something (no To tag), as a message index; null when none is captured. */
export function openingRequest(call: Call): number | null {
  // A loop, not findIndex: no closure made per call (the scanner rule asks it of every call).
  const messages = call.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const msg = m.captured.message;
    if (!m.retransmission && msg.kind === 'request' && msg.method !== 'ACK' && msg.toTag == null) return i;
  }
  return null;
}

/** The User-Agent of the first request from `ip` in the call that names a scanner, or null. */
export function scannerUserAgentOf(call: Call, ip: string): string | null {
  const messages = call.messages;
  for (let i = 0; i < messages.length; i++) {
    const c = messages[i]!.captured;
    if (c.message.kind !== 'request' || c.src.ip !== ip) continue;
    const ua = headerValue(c.message, 'user-agent');
    if (isScannerUserAgent(ua)) return ua!.trim();
  }
  return null;
}
