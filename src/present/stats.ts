/**
 * Statistics over the calls of a timeline (after filters and redaction, so every report
 * agrees with what it shows): calls by type and outcome, answer-seizure and network
 * effectiveness ratios, setup time, post-dial delay and talk time distributions, response
 * codes by method, request→response times per method and peer (like tshark's
 * `-z sip,stat`, split by the peer that answered), retransmissions, and the media streams'
 * MOS, loss and mean jitter distributions. Pure.
 *
 * Percentiles use the nearest-rank method: the value at rank ⌈p/100 × n⌉ of the sorted
 * sample, so every figure is one that was measured.
 */
import type { CallType } from '../parse/dialog/types.js';
import { diffMs } from '../time.js';
import type { Outcome } from '../annotate/outcome.js';
import { streamIdentity } from '../annotate/legs.js';
import { formatEndpoint } from './render/format.js';
import { lossPercent } from './media.js';
import { countedMessages, type Timeline, type TimelineCall, type TimelineMessage } from './timeline.js';

export interface Distribution {
  readonly count: number;
  /** Milliseconds; null when there is no sample. */
  readonly min: number | null;
  readonly median: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

export interface ResponseTimes extends Distribution {
  /** The side that answered ("ip:port"). */
  readonly peer: string;
  readonly method: string;
  /** Requests (first copies) sent to this peer with this method. */
  readonly requests: number;
  /** Of those, how many got no response at all. */
  readonly unanswered: number;
}

/** The media streams of the calls: their quality as distributions over all streams. */
export interface MediaStatistics {
  /** Streams tied to the calls (RTP and UDPTL). */
  readonly streams: number;
  /** E-model MOS estimate (1..4.5), of the streams whose codec the model knows. */
  readonly mos: Distribution;
  /** Packets lost, % of those expected (duplicates count as none), of the RTP streams. */
  readonly lossPercent: Distribution;
  /** Mean interarrival jitter (RFC 3550 A.8), ms, of the RTP streams with a known clock rate. */
  readonly meanJitterMs: Distribution;
}

export interface Statistics {
  readonly calls: number;
  readonly messages: number;
  readonly byType: Readonly<Partial<Record<CallType, number>>>;
  readonly outcomes: Readonly<Partial<Record<Outcome, number>>>;
  /** INVITE calls (type "call"): the seizures of ITU-T E.411. A partial call is not one: how it was set up is not in the capture. */
  readonly seizures: number;
  /** Calls whose start is not in the capture (src/annotate/partial.ts), of any type: counted by type and outcome, left out of the ratios and timings. */
  readonly partial: number;
  readonly answered: number;
  /** Answer-seizure ratio: answered / seizures (0..1), null without seizures. */
  readonly asr: number | null;
  /**
   * Network effectiveness ratio (ITU-T E.411, GSMA IR.42): calls that reached the callee
   * (answered, busy, no answer, rejected by the callee) / seizures.
   */
  readonly ner: number | null;
  /** INVITE → first 18x. */
  readonly postDialDelayMs: Distribution;
  /** INVITE → 2xx. */
  readonly setupMs: Distribution;
  /** 2xx → BYE. */
  readonly talkMs: Distribution;
  /** Final and provisional responses by the CSeq method they answer (first copies), statuses ascending. */
  readonly responses: readonly { readonly method: string; readonly statuses: readonly { readonly status: number; readonly count: number }[] }[];
  readonly responseTimes: readonly ResponseTimes[];
  readonly retransmissions: { readonly total: number; readonly byMessage: readonly { readonly message: string; readonly count: number }[] };
  readonly media: MediaStatistics;
}

/** Nearest-rank percentile of an ascending sample (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number | null => {
    const v = percentile(sorted, p);
    return v === null ? null : round(v);
  };
  return { count: sorted.length, min: at(0), median: at(50), p95: at(95), max: at(100) };
}

const REACHED: ReadonlySet<Outcome> = new Set(['answered', 'busy', 'no-answer', 'rejected']);

function sameEndpoint(a: TimelineMessage['src'], b: TimelineMessage['src']): boolean {
  return a.ip === b.ip && a.port === b.port;
}

/** For each first-copy request (not ACK), the first response coming back from where it was sent. */
function requestResponses(call: TimelineCall): { request: TimelineMessage; response: TimelineMessage | null }[] {
  const out: { request: TimelineMessage; response: TimelineMessage | null }[] = [];
  call.messages.forEach((req, i) => {
    if (req.method === null || req.retransmission || req.duplicateOf !== null || req.method === 'ACK' || req.cseq === null) return;
    const response =
      call.messages
        .slice(i + 1)
        .find(
          (m) =>
            m.status !== null &&
            m.cseq !== null &&
            m.cseq.seq === req.cseq!.seq &&
            m.cseq.method === req.cseq!.method &&
            sameEndpoint(m.src, req.dst) &&
            sameEndpoint(m.dst, req.src),
        ) ?? null;
    out.push({ request: req, response });
  });
  return out;
}

function countInto<K extends string>(map: Partial<Record<K, number>>, key: K): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Leg groups whose shared streams are remembered at once (see StatisticsBuilder.sharedStreams). */
const SHARED_GROUPS = 1024;

/**
 * Statistics added up call by call, so a streamed analysis can give them at the end without
 * keeping the calls: per call it keeps counts and the few figures the distributions need.
 */
export class StatisticsBuilder {
  private calls = 0;
  private messages = 0;
  private readonly byType: Partial<Record<CallType, number>> = {};
  private readonly outcomes: Partial<Record<Outcome, number>> = {};
  private seizures = 0;
  private partial = 0;
  private answered = 0;
  private reached = 0;
  private readonly postDialDelays: number[] = [];
  private readonly setups: number[] = [];
  private readonly talks: number[] = [];
  private readonly responses = new Map<string, Map<number, number>>();
  private readonly times = new Map<string, { peer: string; method: string; samples: number[]; requests: number; unanswered: number }>();
  private readonly retransmitted = new Map<string, number>();
  private retransmissions = 0;
  private streams = 0;
  /**
   * Streams already counted for legs of one call that share them (a B2BUA passing media between
   * the phones ties one stream to both legs: counted once). By leg group, until its last leg is
   * added; at most SHARED_GROUPS groups (a filtered report may never add the other legs).
   */
  private readonly sharedStreams = new Map<number, { left: number; ids: Set<string> }>();
  private readonly mos: number[] = [];
  private readonly loss: number[] = [];
  private readonly jitter: number[] = [];

  /** The identities of the streams counted so far for the call's leg group, when its legs share media; null otherwise. */
  private sharedStreamsOf(c: TimelineCall): Set<string> | null {
    const leg = c.leg;
    if (leg === null || !leg.links.some((l) => l.reason === 'shared-media')) return null;
    let entry = this.sharedStreams.get(leg.group);
    if (entry === undefined) {
      if (this.sharedStreams.size >= SHARED_GROUPS) this.sharedStreams.delete(this.sharedStreams.keys().next().value!);
      entry = { left: leg.calls.length, ids: new Set() };
      this.sharedStreams.set(leg.group, entry);
    }
    if (--entry.left === 0) this.sharedStreams.delete(leg.group);
    return entry.ids;
  }

  add(c: TimelineCall): void {
    this.calls++;
    this.messages += countedMessages(c);
    countInto(this.byType, c.type);
    countInto(this.outcomes, c.outcome);
    if (c.partial) this.partial++;
    else if (c.type === 'call') {
      this.seizures++;
      if (c.outcome === 'answered') this.answered++;
      if (REACHED.has(c.outcome)) this.reached++;
      if (c.figures.postDialDelayMs !== null) this.postDialDelays.push(c.figures.postDialDelayMs);
      if (c.figures.setupMs !== null) this.setups.push(c.figures.setupMs);
      if (c.figures.talkMs !== null) this.talks.push(c.figures.talkMs);
    }
    for (const m of c.messages) {
      if (m.duplicateOf !== null) continue;
      if (m.retransmission) {
        this.retransmissions++;
        const key = m.method ?? `${m.status ?? '?'}${m.cseq ? ` (${m.cseq.method})` : ''}`;
        this.retransmitted.set(key, (this.retransmitted.get(key) ?? 0) + 1);
        continue;
      }
      if (m.status !== null) {
        const method = m.cseq?.method ?? '?';
        const byStatus = this.responses.get(method) ?? new Map<number, number>();
        byStatus.set(m.status, (byStatus.get(m.status) ?? 0) + 1);
        this.responses.set(method, byStatus);
      }
    }
    const shared = this.sharedStreamsOf(c);
    for (const stream of c.media?.streams ?? []) {
      if (shared !== null) {
        const id = streamIdentity(stream);
        if (shared.has(id)) continue;
        shared.add(id);
      }
      this.streams++;
      // MOS to two decimals, as every report writes it (4.405 would otherwise read 4.41 here and 4.40 beside the stream).
      if (stream.quality !== null) this.mos.push(Math.round(stream.quality.mos * 100) / 100);
      if (stream.rtp !== null && stream.rtp.expected > 0) this.loss.push(lossPercent(stream));
      if (stream.rtp !== null && stream.rtp.clockRate > 0) this.jitter.push(stream.rtp.meanJitterMs);
    }
    for (const { request, response } of requestResponses(c)) {
      const peer = formatEndpoint(request.dst);
      const key = `${peer}\u0000${request.method}`;
      const entry = this.times.get(key) ?? { peer, method: request.method!, samples: [], requests: 0, unanswered: 0 };
      entry.requests++;
      if (response === null) entry.unanswered++;
      else entry.samples.push(diffMs(request.time, response.time));
      this.times.set(key, entry);
    }
  }

  result(): Statistics {
    const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    const invites = this.seizures;
    return {
      calls: this.calls,
      messages: this.messages,
      byType: { ...this.byType },
      outcomes: { ...this.outcomes },
      seizures: invites,
      partial: this.partial,
      answered: this.answered,
      asr: invites === 0 ? null : this.answered / invites,
      ner: invites === 0 ? null : this.reached / invites,
      postDialDelayMs: distribution(this.postDialDelays),
      setupMs: distribution(this.setups),
      talkMs: distribution(this.talks),
      responses: [...this.responses.entries()]
        .sort(([a], [b]) => byName(a, b))
        .map(([method, statuses]) => ({ method, statuses: [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => ({ status, count })) })),
      responseTimes: [...this.times.values()]
        .sort((a, b) => byName(a.peer, b.peer) || byName(a.method, b.method))
        .map((t) => ({ peer: t.peer, method: t.method, requests: t.requests, unanswered: t.unanswered, ...distribution(t.samples) })),
      retransmissions: {
        total: this.retransmissions,
        byMessage: [...this.retransmitted.entries()].sort(([a], [b]) => byName(a, b)).map(([message, count]) => ({ message, count })),
      },
      media: { streams: this.streams, mos: distribution(this.mos), lossPercent: distribution(this.loss), meanJitterMs: distribution(this.jitter) },
    };
  }
}

export function computeStatistics(timeline: Timeline): Statistics {
  const builder = new StatisticsBuilder();
  for (const c of timeline.calls) builder.add(c);
  return builder.result();
}
