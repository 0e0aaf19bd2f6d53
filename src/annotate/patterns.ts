/**
 * Habits that only show across calls, told once as a story rather than once per message: a
 * server that keeps losing subscriptions it accepted (481 to the next refresh a few
 * seconds after its 2xx), and a client that answers every Digest challenge many seconds late (a
 * user typing the password, or a delay of the client's own: sngrep-aaa's REGISTERs wait about 17 s,
 * or twice that), so that nonces expire. Fed every message in capture order by the
 * analysis session (through SourceTracker); a rule tells a story on the call that holds the
 * message at which the pattern became evident (its frame, in capture order, whatever calls were
 * checked before), with the counts known when that call is checked.
 *
 * Memory is bounded by what is open, not by the file: at most MAX_OPEN subscriptions and
 * unanswered challenges are followed (the oldest is let go first, and counted), at most
 * MAX_STORIES addresses have a story, and each story keeps MAX_SAMPLES times for its medians
 * and MAX_REFS message references; counts go on past them.
 */
import type { CapturedMessage, Endpoint } from '../types.js';
import { carriesCredentials, headerValue } from '../parse/sip/header-values.js';
import { toMs } from '../time.js';

/** Subscriptions and challenges followed at once (each table); also said by the analysis.patterns-limit diagnostic. */
const MAX_OPEN = 10_000;
const MAX_STORIES = MAX_OPEN;
const MAX_SAMPLES = 64;
/** Message references a story lists (the first few); its counts go on. */
export const MAX_REFS = 4;

/** RFC 6665 §3.1.1, §5.4.4: without Expires in its 2xx a subscription lasts what the event package says; an hour is the common default. */
export const DEFAULT_SUBSCRIPTION_S = 3600;

/** A NOTIFY that ends its subscription (RFC 6665 §4.1.3, Subscription-State: terminated). */
export function endsSubscription(msg: CapturedMessage['message']): boolean {
  return msg.kind === 'request' && msg.method === 'NOTIFY' && /^\s*terminated/i.test(headerValue(msg, 'subscription-state') ?? '');
}

/** How long a 2xx to SUBSCRIBE grants the subscription, in seconds (its Expires, else the common default). */
export function grantedSubscriptionSeconds(msg: CapturedMessage['message']): number {
  const expires = Number.parseInt(headerValue(msg, 'expires') ?? '', 10);
  return Number.isNaN(expires) ? DEFAULT_SUBSCRIPTION_S : expires;
}

/** A message as a story points at it: its input, frame or line, and the Call-ID of its call. */
export interface StoryRef {
  readonly file: string;
  readonly frame: number | null;
  readonly line: number | null;
  readonly callId: string;
}

/** A server that lost subscriptions it had accepted, as known so far. */
export interface LostSubscriptions {
  /** Subscriptions it answered 481 in while they were still granted. */
  readonly count: number;
  /** The address that answered 481 (the last time). */
  readonly server: Endpoint;
  /** The other side of the lost subscriptions (the last one). */
  readonly peer: Endpoint;
  /** Median time from the 2xx that set a subscription up to the 481 that showed it lost. */
  readonly medianLifetimeMs: number;
  /** Median time between the starts of successive lost subscriptions (how often the peer set them up again); null with one. */
  readonly medianPeriodMs: number | null;
  /** The first 481s (MAX_REFS). */
  readonly losses: readonly StoryRef[];
  readonly last: StoryRef;
  /** The 481 at which the pattern became evident (minLosses reached). */
  readonly evident: StoryRef;
}

/** A client that answers Digest challenges late, as known so far. */
export interface LateCredentials {
  /** Challenges it answered with credentials. */
  readonly answers: number;
  /** Of them, answered at least `lateMs` after the challenge. */
  readonly late: number;
  readonly client: Endpoint;
  /** Median time from a challenge to the request that answered it. */
  readonly medianDelayMs: number;
  /** The first late answers (MAX_REFS). */
  readonly lateAnswers: readonly StoryRef[];
  /** Late answers that the server refused with a new challenge (a nonce that had expired meanwhile). */
  readonly refused: number;
  /** The first such refusals (MAX_REFS). */
  readonly refusals: readonly StoryRef[];
  /** The answer at which the habit became evident. */
  readonly evident: StoryRef;
}

/** When a habit is a pattern: how many times, and (for credentials) how late. */
export interface PatternThresholds {
  /** Lost subscriptions by one server before it is a pattern. */
  readonly minLosses: number;
  /** Challenges answered by one client before its median delay is read as a habit. */
  readonly minAnswers: number;
  /** A challenge answered this long after it is late; a median this long is the habit. */
  readonly lateMs: number;
}

export const PATTERN_THRESHOLDS: PatternThresholds = { minLosses: 3, minAnswers: 3, lateMs: 10_000 };

function refOf(m: CapturedMessage, callId: string): StoryRef {
  return { file: m.file, frame: m.frame, line: m.line, callId };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function pushBounded<T>(list: T[], value: T, bound: number): void {
  if (list.length < bound) list.push(value);
}

/** A Map used as a bounded table: past `bound` the oldest entry is let go, and the caller counts it. */
function setBounded<K, V>(map: Map<K, V>, key: K, value: V, bound: number): boolean {
  map.delete(key);
  map.set(key, value);
  if (map.size <= bound) return false;
  map.delete(map.keys().next().value as K);
  return true;
}

interface Subscription {
  readonly startMs: number;
  readonly grantedMs: number;
  /** The address that accepted it (sent the 2xx): the notifier, the only side whose 481 says it lost what it accepted. */
  readonly notifier: string;
}

interface LossStory {
  count: number;
  server: Endpoint;
  peer: Endpoint;
  readonly lifetimes: number[];
  readonly starts: number[];
  readonly losses: StoryRef[];
  last: StoryRef;
  evident: StoryRef | null;
}

interface Challenge {
  readonly client: string;
  readonly method: string;
  readonly atMs: number;
}

interface Answer {
  readonly client: string;
  readonly seq: number;
  readonly method: string;
  readonly ref: StoryRef;
}

interface LateStory {
  answers: number;
  late: number;
  client: Endpoint;
  readonly delays: number[];
  readonly lateAnswers: StoryRef[];
  refused: number;
  readonly refusals: StoryRef[];
  evident: StoryRef | null;
}

/**
 * The key of a dialog between two addresses: its Call-ID, its two tags and the two addresses, each
 * pair in either order (a request from either side names it). The addresses keep apart the two
 * legs of a B2BUA that passes Call-ID and tags on unchanged (heplify-erspan's SBC).
 */
function dialogKey(m: CapturedMessage, callId: string, tagA: string, tagB: string): string {
  const [t1, t2] = tagA < tagB ? [tagA, tagB] : [tagB, tagA];
  const [a1, a2] = m.src.ip < m.dst.ip ? [m.src.ip, m.dst.ip] : [m.dst.ip, m.src.ip];
  return `${callId}\u0000${t1}\u0000${t2}\u0000${a1}\u0000${a2}`;
}

export class PatternTracker {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly losses = new Map<string, LossStory>();
  /** Challenged requests waiting for their credentials, by Call-ID. */
  private readonly challenges = new Map<string, Challenge>();
  /** Late credentials waiting for their final response, by Call-ID. */
  private readonly lateAnswersPending = new Map<string, Answer>();
  private readonly lateStories = new Map<string, LateStory>();
  /** How many late stories are evident (a habit): none on nearly every capture, so the rules ask no address then. */
  private evidentLateStories = 0;
  /** Entries let go because a table was full (the first message that found it so, and how many). */
  overflow: { count: number; first: CapturedMessage } | null = null;

  constructor(
    private readonly thresholds: PatternThresholds = PATTERN_THRESHOLDS,
    /** Entries each table of open things holds (subscriptions, challenges, late answers waiting for their outcome). */
    readonly maxOpen: number = MAX_OPEN,
  ) {}

  add(m: CapturedMessage): void {
    const msg = m.message;
    const callId = msg.callId;
    if (callId === null || callId === undefined) return;
    if (msg.kind === 'request') {
      if (msg.method === 'NOTIFY' && msg.fromTag !== null && msg.toTag !== null && endsSubscription(msg)) {
        this.subscriptions.delete(dialogKey(m, callId, msg.fromTag, msg.toTag));
      }
      this.answerOf(m, callId);
      return;
    }
    const status = msg.status ?? 0;
    const method = msg.cseq?.method;
    if (method === 'SUBSCRIBE' && status >= 200 && status < 300 && msg.fromTag !== null && msg.toTag !== null) {
      this.subscribed(m, callId, msg.fromTag, msg.toTag);
    } else if (status === 481 && msg.fromTag !== null && msg.toTag !== null) {
      this.lost(m, callId, msg.fromTag, msg.toTag);
    }
    if (status === 401 || status === 407) {
      if (method !== undefined) this.track(setBounded(this.challenges, callId, { client: m.dst.ip, method, atMs: toMs(m.time) }, this.maxOpen), m);
    }
    this.finalOf(m, callId, status);
  }

  private track(overflowed: boolean, m: CapturedMessage): void {
    if (!overflowed) return;
    if (this.overflow === null) this.overflow = { count: 1, first: m };
    else this.overflow.count++;
  }

  private subscribed(m: CapturedMessage, callId: string, fromTag: string, toTag: string): void {
    const key = dialogKey(m, callId, fromTag, toTag);
    const grantedMs = grantedSubscriptionSeconds(m.message) * 1000;
    // A 2xx with Expires 0 ends the subscription (RFC 6665 §4.1.2.3); a refresh keeps the start the dialog had.
    if (grantedMs === 0) this.subscriptions.delete(key);
    else if (!this.subscriptions.has(key)) this.track(setBounded(this.subscriptions, key, { startMs: toMs(m.time), grantedMs, notifier: m.src.ip }, this.maxOpen), m);
  }

  /**
   * A 481 from the notifier of a subscription still granted: it lost what it accepted (as
   * call-does-not-exist's `forgotten` reads one call). A 481 from the subscriber, to a NOTIFY, is
   * the subscriber's loss, not the notifier's: the subscription is over, and no story counts it.
   */
  private lost(m: CapturedMessage, callId: string, fromTag: string, toTag: string): void {
    const key = dialogKey(m, callId, fromTag, toTag);
    const sub = this.subscriptions.get(key);
    if (sub === undefined) return;
    if (m.src.ip !== sub.notifier) {
      this.subscriptions.delete(key);
      return;
    }
    this.subscriptions.delete(key);
    const atMs = toMs(m.time);
    if (atMs - sub.startMs >= sub.grantedMs) return;
    let story = this.losses.get(m.src.ip);
    const ref = refOf(m, callId);
    if (story === undefined) {
      if (this.losses.size >= MAX_STORIES) return this.track(true, m);
      story = { count: 0, server: m.src, peer: m.dst, lifetimes: [], starts: [], losses: [], last: ref, evident: null };
      this.losses.set(m.src.ip, story);
    }
    story.count++;
    story.server = m.src;
    story.peer = m.dst;
    story.last = ref;
    pushBounded(story.lifetimes, atMs - sub.startMs, MAX_SAMPLES);
    pushBounded(story.starts, sub.startMs, MAX_SAMPLES);
    pushBounded(story.losses, ref, MAX_REFS);
    if (story.evident === null && story.count >= this.thresholds.minLosses) story.evident = ref;
  }

  /** A request from a challenged client in the challenged call, carrying credentials: its answer to the challenge. */
  private answerOf(m: CapturedMessage, callId: string): void {
    // Called for every request, and most come while no challenge waits for its answer: no lookup then.
    if (this.challenges.size === 0) return;
    const challenge = this.challenges.get(callId);
    const msg = m.message;
    if (challenge === undefined || challenge.client !== m.src.ip || msg.method !== challenge.method || !carriesCredentials(msg)) return;
    this.challenges.delete(callId);
    const delay = toMs(m.time) - challenge.atMs;
    let story = this.lateStories.get(m.src.ip);
    if (story === undefined) {
      if (this.lateStories.size >= MAX_STORIES) return this.track(true, m);
      story = { answers: 0, late: 0, client: m.src, delays: [], lateAnswers: [], refused: 0, refusals: [], evident: null };
      this.lateStories.set(m.src.ip, story);
    }
    const ref = refOf(m, callId);
    story.answers++;
    story.client = m.src;
    pushBounded(story.delays, delay, MAX_SAMPLES);
    if (delay >= this.thresholds.lateMs) {
      story.late++;
      pushBounded(story.lateAnswers, ref, MAX_REFS);
      if (msg.cseq !== null) this.track(setBounded(this.lateAnswersPending, callId, { client: m.src.ip, seq: msg.cseq.seq, method: msg.cseq.method, ref }, this.maxOpen), m);
    }
    if (story.evident === null && story.answers >= this.thresholds.minAnswers && median(story.delays) >= this.thresholds.lateMs) {
      story.evident = ref;
      this.evidentLateStories++;
    }
  }

  /** The final response to late credentials: a new challenge refuses them (the nonce had expired meanwhile). */
  private finalOf(m: CapturedMessage, callId: string, status: number): void {
    if (status < 200) return;
    const pending = this.lateAnswersPending.get(callId);
    const cseq = m.message.cseq;
    if (pending === undefined || cseq === null || cseq.seq !== pending.seq || cseq.method !== pending.method || m.dst.ip !== pending.client) return;
    this.lateAnswersPending.delete(callId);
    if (status !== 401 && status !== 407) return;
    const story = this.lateStories.get(pending.client);
    if (story === undefined) return;
    story.refused++;
    pushBounded(story.refusals, refOf(m, callId), MAX_REFS);
  }

  /** The address's lost subscriptions once they are a pattern (null before: the rules tell only that). */
  lostSubscriptions(ip: string): LostSubscriptions | null {
    const s = this.losses.get(ip);
    if (s === undefined || s.evident === null) return null;
    const periods = s.starts.slice(1).map((start, i) => start - s.starts[i]!);
    return {
      count: s.count,
      server: s.server,
      peer: s.peer,
      medianLifetimeMs: median(s.lifetimes),
      medianPeriodMs: periods.length === 0 ? null : median(periods),
      losses: s.losses,
      last: s.last,
      evident: s.evident,
    };
  }

  /** Whether `lateCredentials` is non-null for any address: a story never stops being evident. */
  anyLateCredentials(): boolean {
    return this.evidentLateStories > 0;
  }

  /** How late the address answers challenges once that is a habit (null before: the rules tell only that). */
  lateCredentials(ip: string): LateCredentials | null {
    const s = this.lateStories.get(ip);
    if (s === undefined || s.evident === null) return null;
    return { answers: s.answers, late: s.late, client: s.client, medianDelayMs: median(s.delays), lateAnswers: s.lateAnswers, refused: s.refused, refusals: s.refusals, evident: s.evident };
  }
}
