/**
 * What each source address sent across calls, for the rules that need more than one call to
 * judge (a scan is many calls from one address): out-of-dialog requests, the users it tried to
 * register, the hosts that answered it, how many of its calls got a 2xx, and the first call in
 * which each user agent left out Max-Forwards. Fed every message
 * in capture order by the analysis session; a call is judged when it is handed over, with what
 * its source had sent by then. Memory is bounded (`Bound`).
 */
import type { CapturedMessage } from '../types.js';
import { PatternTracker, type LateCredentials, type LostSubscriptions } from './patterns.js';

/**
 * Read for every message that adds to a set; a const enum, so that the bundler writes each into
 * the code as a number (docs/decisions.md "Offsets read per packet as const enums").
 */
const enum Bound {
  /** Source addresses followed at once. */
  SOURCES = 10_000,
  /** Values a set of one source holds: counts past it only matter as "many". */
  PER_SET = 1_024,
}

/** Requests that open something (a call, a registration, a subscription, a probe). */
const OPENING = new Set(['INVITE', 'REGISTER', 'OPTIONS', 'SUBSCRIBE', 'MESSAGE']);

export interface SourceProfile {
  /** Call-IDs in which the address sent an out-of-dialog INVITE, REGISTER, OPTIONS, SUBSCRIBE or MESSAGE. */
  readonly calls: number;
  /** Distinct users (To user part) of its REGISTERs. */
  readonly registerUsers: number;
  /** Distinct addresses it sent such requests to. */
  readonly hosts: number;
  /** Distinct addresses that answered them with a final response. */
  readonly answeringHosts: number;
  /** Of its calls, those in which one of these requests got a 2xx. */
  readonly succeeded: number;
}

/** Read access to the profiles, as the rules get it. */
export interface SourceProfiles {
  profile(ip: string): SourceProfile | null;
  /**
   * The Call-ID of the first call in which the address sent an opening request, in capture
   * order (fed by add(), so it does not depend on which calls were checked, or in what order):
   * a rule that tells one story per address tells it on that call. Null when none.
   */
  firstCall(ip: string): string | null;
  /**
   * The Call-ID of the first call in which a user agent (its address and User-Agent) sent a
   * request with no Max-Forwards, in capture order: a habit of its stack, told once. Null when none.
   */
  firstWithoutMaxForwards(ip: string, userAgent: string | null): string | null;
  /** The subscriptions the address lost after accepting them (src/annotate/patterns.ts), so far; null until they are a pattern. */
  lostSubscriptions(ip: string): LostSubscriptions | null;
  /** How late the address answers Digest challenges (src/annotate/patterns.ts), so far; null until that is a habit. */
  lateCredentials(ip: string): LateCredentials | null;
  /** Whether lateCredentials is non-null for any address so far (a rule asks before asking per address). */
  anyLateCredentials(): boolean;
}

interface Entry {
  readonly first: string;
  readonly calls: Set<string>;
  readonly registerUsers: Set<string>;
  readonly hosts: Set<string>;
  readonly answeringHosts: Set<string>;
  readonly succeeded: Set<string>;
}

function addBounded(set: Set<string>, value: string): void {
  if (set.size < Bound.PER_SET) set.add(value);
}

/** A user agent as a key: its address and what its User-Agent header says. */
export function userAgentKey(ip: string, userAgent: string | null): string {
  return `${ip}\u0000${userAgent ?? ''}`;
}

export class SourceTracker implements SourceProfiles {
  private readonly entries = new Map<string, Entry>();
  /** User agent -> the Call-ID of its first request with no Max-Forwards (at most Bound.SOURCES user agents). */
  private readonly noMaxForwards = new Map<string, string>();
  /** Habits told across calls: lost subscriptions, late answers to challenges. */
  readonly patterns = new PatternTracker();
  firstCall(ip: string): string | null {
    return this.entries.get(ip)?.first ?? null;
  }

  firstWithoutMaxForwards(ip: string, userAgent: string | null): string | null {
    return this.noMaxForwards.get(userAgentKey(ip, userAgent)) ?? null;
  }

  lostSubscriptions(ip: string): LostSubscriptions | null {
    return this.patterns.lostSubscriptions(ip);
  }

  lateCredentials(ip: string): LateCredentials | null {
    return this.patterns.lateCredentials(ip);
  }

  anyLateCredentials(): boolean {
    return this.patterns.anyLateCredentials();
  }

  add(m: CapturedMessage): void {
    this.patterns.add(m);
    const msg = m.message;
    const callId = msg.callId;
    if (callId === null || callId === undefined) return;
    if (msg.kind === 'request') {
      // The parsed value is null when the header is absent or unreadable; only absence is this habit.
      if (msg.maxForwards === null && this.noMaxForwards.size < Bound.SOURCES && !msg.headers.some((h) => h.key === 'max-forwards')) {
        const key = userAgentKey(m.src.ip, msg.headers.find((h) => h.key === 'user-agent')?.value ?? null);
        if (!this.noMaxForwards.has(key)) this.noMaxForwards.set(key, callId);
      }
      if (msg.method === null || !OPENING.has(msg.method) || msg.toTag !== null) return;
      let entry = this.entries.get(m.src.ip);
      if (entry === undefined) {
        if (this.entries.size >= Bound.SOURCES) return;
        entry = { first: callId, calls: new Set(), registerUsers: new Set(), hosts: new Set(), answeringHosts: new Set(), succeeded: new Set() };
        this.entries.set(m.src.ip, entry);
      }
      addBounded(entry.calls, callId);
      addBounded(entry.hosts, m.dst.ip);
      // Only a REGISTER's To is read here: reading it makes the message's header objects, which it would hold while its call is open.
      const user = msg.method === 'REGISTER' ? msg.to?.uri.user : undefined;
      if (user) addBounded(entry.registerUsers, user);
      return;
    }
    // A final response to one of the source's opening requests, back to the source.
    const method = msg.cseq?.method;
    const status = msg.status ?? 0;
    if (status < 200 || method === undefined || !OPENING.has(method)) return;
    const entry = this.entries.get(m.dst.ip);
    if (entry === undefined || !entry.calls.has(callId)) return;
    addBounded(entry.answeringHosts, m.src.ip);
    if (status < 300) addBounded(entry.succeeded, callId);
  }

  profile(ip: string): SourceProfile | null {
    const e = this.entries.get(ip);
    if (e === undefined) return null;
    return { calls: e.calls.size, registerUsers: e.registerUsers.size, hosts: e.hosts.size, answeringHosts: e.answeringHosts.size, succeeded: e.succeeded.size };
  }
}
