/**
 * Statistics over the calls of a timeline (after filters and redaction, so every report
 * agrees with what it shows): calls by type and outcome, answer-seizure and network
 * effectiveness ratios, setup time, post-dial delay and talk time distributions, response
 * codes by method, request→response times per method and peer (like tshark's
 * `-z sip,stat`, split by the peer that answered), and retransmissions. Pure.
 *
 * Percentiles use the nearest-rank method: the value at rank ⌈p/100 × n⌉ of the sorted
 * sample, so every figure is one that was measured.
 */
import type { CallType } from '../parse/dialog/types.js';
import { diffMs } from '../time.js';
import type { Outcome } from './outcome.js';
import { formatEndpoint } from './render/format.js';
import type { Timeline, TimelineCall, TimelineMessage } from './timeline.js';

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

export interface Statistics {
  readonly calls: number;
  readonly messages: number;
  readonly byType: Readonly<Partial<Record<CallType, number>>>;
  readonly outcomes: Readonly<Partial<Record<Outcome, number>>>;
  /** INVITE calls (type "call"): the seizures of ITU-T E.411. */
  readonly seizures: number;
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
    if (req.method === null || req.retransmission || req.method === 'ACK' || req.cseq === null) return;
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

export function computeStatistics(timeline: Timeline): Statistics {
  const calls = timeline.calls;
  const byType: Partial<Record<CallType, number>> = {};
  const outcomes: Partial<Record<Outcome, number>> = {};
  for (const c of calls) {
    countInto(byType, c.type);
    countInto(outcomes, c.outcome);
  }
  const invites = calls.filter((c) => c.type === 'call');
  const answered = invites.filter((c) => c.outcome === 'answered').length;
  const reached = invites.filter((c) => REACHED.has(c.outcome)).length;
  const figure = (pick: (c: TimelineCall) => number | null): number[] => invites.map(pick).filter((v): v is number => v !== null);

  const responses = new Map<string, Map<number, number>>();
  const times = new Map<string, { peer: string; method: string; samples: number[]; requests: number; unanswered: number }>();
  const retransmitted = new Map<string, number>();
  let retransmissions = 0;
  for (const c of calls) {
    for (const m of c.messages) {
      if (m.retransmission) {
        retransmissions++;
        const key = m.method ?? `${m.status ?? '?'}${m.cseq ? ` (${m.cseq.method})` : ''}`;
        retransmitted.set(key, (retransmitted.get(key) ?? 0) + 1);
        continue;
      }
      if (m.status !== null) {
        const method = m.cseq?.method ?? '?';
        const byStatus = responses.get(method) ?? new Map<number, number>();
        byStatus.set(m.status, (byStatus.get(m.status) ?? 0) + 1);
        responses.set(method, byStatus);
      }
    }
    for (const { request, response } of requestResponses(c)) {
      const peer = formatEndpoint(request.dst);
      const key = `${peer}\u0000${request.method}`;
      const entry = times.get(key) ?? { peer, method: request.method!, samples: [], requests: 0, unanswered: 0 };
      entry.requests++;
      if (response === null) entry.unanswered++;
      else entry.samples.push(diffMs(request.time, response.time));
      times.set(key, entry);
    }
  }
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    calls: calls.length,
    messages: calls.reduce((n, c) => n + c.messages.length, 0),
    byType,
    outcomes,
    seizures: invites.length,
    answered,
    asr: invites.length === 0 ? null : answered / invites.length,
    ner: invites.length === 0 ? null : reached / invites.length,
    postDialDelayMs: distribution(figure((c) => c.figures.postDialDelayMs)),
    setupMs: distribution(figure((c) => c.figures.setupMs)),
    talkMs: distribution(figure((c) => c.figures.talkMs)),
    responses: [...responses.entries()]
      .sort(([a], [b]) => byName(a, b))
      .map(([method, statuses]) => ({ method, statuses: [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => ({ status, count })) })),
    responseTimes: [...times.values()]
      .sort((a, b) => byName(a.peer, b.peer) || byName(a.method, b.method))
      .map((t) => ({ peer: t.peer, method: t.method, requests: t.requests, unanswered: t.unanswered, ...distribution(t.samples) })),
    retransmissions: {
      total: retransmissions,
      byMessage: [...retransmitted.entries()].sort(([a], [b]) => byName(a, b)).map(([message, count]) => ({ message, count })),
    },
  };
}
