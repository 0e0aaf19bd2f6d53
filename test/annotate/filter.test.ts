import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { filterTimeline, parseCaptureTime, type FilterCriteria } from '../../src/present/filter.js';
import { usersOf } from '../../src/analysis/select.js';
import { buildTimeline, type Timeline } from '../../src/present/timeline.js';

let demo: Timeline;
beforeAll(async () => {
  demo = buildTimeline(await analyze(['samples/demo.pcap']));
});

const numbers = (criteria: FilterCriteria): number[] => filterTimeline(demo, criteria).calls.map((c) => c.number);

describe('filters', () => {
  it('select calls by Call-ID (with * wildcards), user part, method, status or class, type', () => {
    expect(numbers({})).toEqual([1, 2, 3]);
    expect(numbers({ callIds: ['demo-call-2@192.0.2.10'] })).toEqual([2]);
    expect(numbers({ callIds: ['demo-call-*'] })).toEqual([1, 2]);
    expect(numbers({ callIds: ['demo-call'] })).toEqual([]);
    expect(numbers({ users: ['carol'] })).toEqual([2]);
    expect(numbers({ users: ['ALICE'] })).toEqual([1, 2]);
    expect(numbers({ users: ['bob', 'dave'] })).toEqual([1, 3]);
    expect(numbers({ methods: ['cancel'] })).toEqual([2]);
    expect(numbers({ methods: ['BYE', 'REGISTER'] })).toEqual([1, 3]);
    expect(numbers({ statuses: ['410'] })).toEqual([3]);
    expect(numbers({ statuses: ['4xx'] })).toEqual([2, 3]);
    expect(numbers({ types: ['registration'] })).toEqual([3]);
    expect(numbers({ onlyProblems: true })).toEqual([2, 3]);
    expect(numbers({ methods: ['INVITE'], onlyProblems: true })).toEqual([2]);
  });

  it('select calls that overlap a capture time window', () => {
    // Call 1 runs 07:06:40.000–43.429, call 2 07:06:45.000–57.407, call 3 07:06:48.000–48.004.
    expect(numbers({ since: parseCaptureTime('2024-11-19T07:06:44Z')! })).toEqual([2, 3]);
    expect(numbers({ until: parseCaptureTime('2024-11-19 07:06:45')! })).toEqual([1, 2]);
    expect(numbers({ since: parseCaptureTime('2024-11-19T07:06:43.5Z')!, until: parseCaptureTime('2024-11-19T07:06:47Z')! })).toEqual([2]);
  });

  it('recompute the summary over the calls kept', () => {
    const t = filterTimeline(demo, { statuses: ['4xx'] });
    expect(t.summary).toMatchObject({ calls: 2, messages: 8, retransmissions: 0, outcomes: { stuck: 1, failed: 1 }, findings: { error: 0, warning: 2, info: 0 } });
    expect(t.inputs).toBe(demo.inputs);
  });

  it('user parts come from From, To and every Request-URI', () => {
    expect(usersOf(demo.calls[1]!)).toEqual(['alice', 'carol']);
  });

  it('capture times: ISO 8601 (UTC unless a zone is given) or Unix seconds', () => {
    expect(parseCaptureTime('1732000000.25')).toEqual({ sec: 1732000000, nsec: 250_000_000 });
    expect(parseCaptureTime('2024-11-19T07:06:45Z')).toEqual({ sec: 1732000005, nsec: 0 });
    expect(parseCaptureTime('2024-11-19T08:06:45+01:00')).toEqual({ sec: 1732000005, nsec: 0 });
    expect(parseCaptureTime('2024-11-19')).toEqual({ sec: 1731974400, nsec: 0 });
    expect(parseCaptureTime('yesterday')).toBeNull();
  });
});
