import { describe, expect, it } from 'vitest';
import { MAX_SUBJECTS, ProblemCounts } from '../../src/analysis/problems.js';
import type { Finding } from '../../src/annotate/rules/types.js';
import type { CapturedMessage, Severity } from '../../src/types.js';
import type { SourceProfiles } from '../../src/annotate/sources.js';
import type { LateCredentials, LostSubscriptions } from '../../src/annotate/patterns.js';

const finding = (rule: string, messageId: string, severity: Severity, data: Finding['data'] = {}): Finding => ({
  rule,
  messageId,
  severity,
  data,
  messages: [0],
  anchor: 0,
  frames: [1],
  lines: [],
  time: { sec: 0, nsec: 0 },
});

/** The call's first message, where a table-limit diagnostic points. */
const firstOf = (call: number): CapturedMessage => ({ file: 'x.pcap', frame: call, offset: call * 100 }) as unknown as CapturedMessage;

describe('main problems: the few kinds of error and warning that matter most', () => {
  it('by severity, then calls touched, then first call; at most three; info never', () => {
    const counts = new ProblemCounts();
    // Calls are handed over in the order they end: call 3 before call 1.
    counts.add(3, [finding('no-response', 'timeout', 'error', { n: 3 }), finding('nat-hints', 'private-contact', 'info')], firstOf(3));
    counts.add(1, [finding('no-response', 'timeout', 'error', { n: 1 }), finding('no-response', 'timeout', 'error', { n: 11 }), finding('overload', 'retry-after', 'warning')], firstOf(1));
    counts.add(2, [finding('overload', 'retry-after', 'warning'), finding('server-error', 'internal', 'error')], firstOf(2));
    counts.add(4, [finding('overload', 'retry-after', 'warning'), finding('forbidden', 'forbidden', 'warning')], firstOf(4));
    expect(counts.result()).toEqual([
      { rule: 'no-response', messageId: 'timeout', severity: 'error', findings: 3, calls: 2, firstCall: 1, data: { n: 1 } },
      { rule: 'server-error', messageId: 'internal', severity: 'error', findings: 1, calls: 1, firstCall: 2, data: {} },
      { rule: 'overload', messageId: 'retry-after', severity: 'warning', findings: 3, calls: 3, firstCall: 1, data: {} },
    ]);
  });

  it('a story told across calls stands for the per-call findings it sums up', () => {
    const counts = new ProblemCounts();
    for (const call of [1, 2, 4, 7]) counts.add(call, [finding('call-does-not-exist', 'forgotten', 'warning')], firstOf(call));
    counts.add(4, [finding('call-does-not-exist', 'subscriptions-lost', 'warning', { count: 4 })], firstOf(4));
    for (const call of [2, 4, 7]) counts.add(call, [finding('call-does-not-exist', 'tag-mismatch', 'warning')], firstOf(call));
    expect(counts.result().map((p) => [p.messageId, p.findings, p.calls, p.firstCall])).toEqual([
      ['subscriptions-lost', 4, 4, 4],
      ['tag-mismatch', 3, 3, 2],
    ]);
  });

  it('a story sums up only the findings about its own subject: another server\'s are a problem of their own', () => {
    const counts = new ProblemCounts();
    const server = (ip: string) => ({ server: { kind: 'endpoint' as const, ip, port: 5060 } });
    for (const call of [2, 4, 7]) counts.add(call, [finding('call-does-not-exist', 'forgotten', 'warning', server('192.0.2.1'))], firstOf(call));
    counts.add(1, [finding('call-does-not-exist', 'forgotten', 'warning', server('192.0.2.9'))], firstOf(1));
    counts.add(7, [finding('call-does-not-exist', 'subscriptions-lost', 'warning', { ...server('192.0.2.1'), count: 3 })], firstOf(7));
    expect(counts.result().map((p) => [p.messageId, p.findings, p.calls, p.firstCall, p.data['server']])).toEqual([
      ['subscriptions-lost', 3, 3, 7, server('192.0.2.1').server],
      ['forgotten', 1, 1, 1, server('192.0.2.9').server],
    ]);
  });

  it('past its bound of subjects a story sums up the findings of every subject (the tallies by subject are not whole)', () => {
    const counts = new ProblemCounts();
    const server = (i: number) => ({ server: { kind: 'endpoint' as const, ip: `10.0.${i >> 8}.${i & 255}`, port: 5060 } });
    for (let i = 0; i <= MAX_SUBJECTS; i++) counts.add(i + 1, [finding('call-does-not-exist', 'forgotten', 'warning', server(i))], firstOf(i + 1));
    counts.add(1, [finding('call-does-not-exist', 'subscriptions-lost', 'warning', server(0))], firstOf(1));
    expect(counts.result().map((p) => [p.messageId, p.findings, p.calls])).toEqual([['subscriptions-lost', MAX_SUBJECTS + 1, MAX_SUBJECTS + 1]]);
    // The table said so: the last "forgotten" and the story were not counted by their subject, first in the call after the bound.
    expect(counts.overflow).toEqual({ count: 2, first: firstOf(MAX_SUBJECTS + 1) });
  });

  it('a story is told with the counts of the whole input, not those known on the call it was told on', () => {
    const counts = new ProblemCounts();
    const client = { kind: 'endpoint' as const, ip: '192.0.2.7', port: 5060 };
    counts.add(3, [finding('auth-loop', 'late-answers', 'error', { client, answers: 5, late: 5, refused: 2 })], firstOf(3));
    const ref = { file: 'x.pcap', frame: 9, line: null, callId: 'a' };
    const atEnd: LateCredentials = { answers: 12, late: 11, client: { ip: '192.0.2.7', port: 5060 }, medianDelayMs: 17_300, lateAnswers: [ref], refused: 5, refusals: [ref], evident: ref };
    const sources = { lateCredentials: (ip: string) => (ip === client.ip ? atEnd : null), lostSubscriptions: () => null } as unknown as SourceProfiles;
    expect(counts.result(sources)[0]!.data).toMatchObject({ client, answers: 12, late: 11, refused: 5, delay: { kind: 'ms', ms: 17_300 } });
    // Without the account at the end (a filtered report counts again), the data it was told with.
    expect(counts.result()[0]!.data).toMatchObject({ answers: 5, refused: 2 });
  });

  it('a story stays as told when the end of the input no longer tells it: a median under the threshold, an entry started again', () => {
    const client = { kind: 'endpoint' as const, ip: '192.0.2.7', port: 5060 };
    const server = { kind: 'endpoint' as const, ip: '198.51.100.1', port: 5060 };
    const ref = { file: 'x.pcap', frame: 9, line: null, callId: 'a' };
    const told = { client, answers: 5, late: 5, refused: 2 };
    const late = (end: Partial<LateCredentials>): LateCredentials => ({ answers: 12, late: 6, client: { ip: '192.0.2.7', port: 5060 }, medianDelayMs: 17_300, lateAnswers: [ref], refused: 5, refusals: [ref], evident: ref, ...end });
    const retold = (end: LateCredentials | null, lost: LostSubscriptions | null) => {
      const counts = new ProblemCounts();
      counts.add(3, [finding('auth-loop', 'late-answers', 'error', told)], firstOf(3));
      counts.add(4, [finding('call-does-not-exist', 'subscriptions-lost', 'error', { server, count: 4 })], firstOf(4));
      const sources = { lateCredentials: () => end, lostSubscriptions: () => lost } as unknown as SourceProfiles;
      return counts.result(sources).map((p) => [p.messageId, p.data['answers'] ?? p.data['count']]);
    };
    // Fast answers later brought the median to 4 s, under the 10 s that makes an answer late.
    expect(retold(late({ medianDelayMs: 4_000 }), null)).toEqual([['late-answers', 5], ['subscriptions-lost', 4]]);
    // The entries were let go and started again: fewer answers and losses than told.
    const lost: LostSubscriptions = { count: 3, server: { ip: '198.51.100.1', port: 5060 }, peer: { ip: '192.0.2.8', port: 5060 }, medianLifetimeMs: 5_000, medianPeriodMs: 60_000, losses: [ref], last: ref, evident: ref };
    expect(retold(late({ answers: 3 }), lost)).toEqual([['late-answers', 5], ['subscriptions-lost', 4]]);
    // Both accounts grew: told again with the counts at the end.
    expect(retold(late({}), { ...lost, count: 9 })).toEqual([['late-answers', 12], ['subscriptions-lost', 9]]);
  });

  it('silent with no error or warning', () => {
    const counts = new ProblemCounts();
    counts.add(1, [finding('nat-hints', 'private-contact', 'info')], firstOf(1));
    expect(counts.result()).toEqual([]);
    expect(counts.overflow).toBeNull();
  });
});
