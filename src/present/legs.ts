/**
 * A call's legs (B2BUA, src/annotate/legs.ts) and whether it is partial, in words: the one home
 * of what every report says about them, so the text timeline, the ladder, Markdown, JUnit and
 * the HTML page say the same ("legs: call 1 (inbound) → call 2 (outbound, X-Call-ID)").
 */
import { lookupResponseCode } from '../annotate/codes/index.js';
import type { Lang } from '../annotate/i18n.js';
import type { LegLinkReason } from '../annotate/legs.js';
import { COMMON, TEXT } from './catalog.js';
import type { TimelineCall } from './timeline.js';
import { formatDuration } from './values.js';

/** Header names and identifiers, written as the wire has them; a guess says why in words. */
const LINK_REASON: Record<Exclude<LegLinkReason, 'shared-media'>, string> = { 'x-call-id': 'X-Call-ID', 'session-id': 'Session-ID', icid: 'P-Charging-Vector icid', 'numbers-and-time': '' };

/** One leg in a call's legs line: "call 2" (a link in HTML) and what follows it, " (outbound, X-Call-ID)". */
export interface LegPart {
  readonly call: number;
  readonly label: string;
  readonly detail: string;
}

/** Every leg of the call's group in order of start, the inbound one first; empty when the call stands alone. */
export function legParts(call: TimelineCall, lang: Lang): LegPart[] {
  const leg = call.leg;
  if (leg === null) return [];
  const w = TEXT[lang];
  const first = leg.calls[0]!;
  return leg.calls.map((n) => {
    if (n === first) return { call: n, label: w.legCall(n), detail: ` (${w.role.inbound})` };
    const link = leg.links.find((l) => l.to === n) ?? leg.links.find((l) => l.from === n);
    const other = link === undefined ? null : link.from === n ? link.to : link.from;
    const why = link === undefined ? '' : link.guess ? w.guess(formatDuration(link.gapMs)) : link.reason === 'shared-media' ? w.sharedMedia : LINK_REASON[link.reason];
    const via = other !== null && other !== first ? ` ${w.via(other)}` : '';
    return { call: n, label: w.legCall(n), detail: ` (${w.role.outbound}${why ? `, ${why}` : ''}${via})` };
  });
}

/** "legs: call 1 (inbound) → call 2 (outbound, X-Call-ID)", or null when the call stands alone. */
export function legsLine(call: TimelineCall, lang: Lang): string | null {
  const parts = legParts(call, lang);
  return parts.length === 0 ? null : `${TEXT[lang].legs}: ${parts.map((p) => p.label + p.detail).join(' → ')}`;
}

function statusWords(status: number): string {
  return `${status} ${lookupResponseCode(status).reason}`;
}

/** Why a failed inbound leg failed: "the outbound leg, call 2, got 503 Service Unavailable first, so this leg got 480 …"; null otherwise. */
export function legCauseLine(call: TimelineCall, lang: Lang): string | null {
  const cause = call.leg?.cause ?? null;
  if (cause === null || call.status === null) return null;
  return TEXT[lang].cause(cause.call, statusWords(cause.status), statusWords(call.status));
}

/** The short form for a list of calls: "leg of call 1" for an outbound leg, "outbound legs: 2, 3" for the inbound one; null when alone. */
export function legShort(call: TimelineCall, lang: Lang): string | null {
  const leg = call.leg;
  if (leg === null) return null;
  const c = COMMON[lang];
  return leg.role === 'outbound' ? c.legOf(leg.calls[0]!) : c.outboundLegs(leg.calls.slice(1).join(', '));
}

/** A call's type in words, with "partial" when its start is not in the capture: "call", "call (partial: its start is not in the capture)". */
export function typeText(call: Pick<TimelineCall, 'type' | 'partial'>, lang: Lang): string {
  const c = COMMON[lang];
  return call.partial ? `${c.callType[call.type]} (${c.partial})` : c.callType[call.type];
}

/** The short form for a list of calls and its filter: "call", "call (partial)". */
export function typeShort(call: Pick<TimelineCall, 'type' | 'partial'>, lang: Lang): string {
  const c = COMMON[lang];
  return call.partial ? `${c.callType[call.type]} (${c.partialShort})` : c.callType[call.type];
}

/** A call's type and legs for a list of calls: "call (partial)", "call · leg of call 1". */
export function kindShort(call: TimelineCall, lang: Lang): string {
  const leg = legShort(call, lang);
  return leg === null ? typeShort(call, lang) : `${typeShort(call, lang)} · ${leg}`;
}
