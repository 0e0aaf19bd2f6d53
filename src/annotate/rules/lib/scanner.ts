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

/** True when a User-Agent (or Server) value names a scanning tool (its first word, case-insensitive; SIPVicious anywhere). */
export function isScannerUserAgent(value: string | null): boolean {
  if (value === null) return false;
  let verdict = VERDICTS.get(value);
  if (verdict === undefined) {
    verdict = namesScanner(value);
    if (VERDICTS.size < MAX_VERDICTS) VERDICTS.set(value, verdict);
  }
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
  const i = call.messages.findIndex((m) => !m.retransmission && m.captured.message.kind === 'request' && m.captured.message.method !== 'ACK' && m.captured.message.toTag == null);
  return i < 0 ? null : i;
}

/** The User-Agent of the first request from `ip` in the call that names a scanner, or null. */
export function scannerUserAgentOf(call: Call, ip: string): string | null {
  for (const m of call.messages) {
    const c = m.captured;
    if (c.message.kind !== 'request' || c.src.ip !== ip) continue;
    const ua = headerValue(c.message, 'user-agent');
    if (isScannerUserAgent(ua)) return ua!.trim();
  }
  return null;
}
