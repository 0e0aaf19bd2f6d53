import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { evaluatePolicy, parseDuration, parsePolicy, parseShare, PolicyError, type CheckResult } from '../../src/present/policy.js';
import { computeStatistics } from '../../src/present/stats.js';
import { buildTimeline, type Timeline } from '../../src/present/timeline.js';

let demo: Timeline;
let proxied: Timeline;

beforeAll(async () => {
  demo = buildTimeline(await analyze(['samples/demo.pcap']));
  proxied = buildTimeline(await analyze(['fixtures/real/kamailio-proxy-call.pcap']));
});

function check(yaml: string, timeline: Timeline = demo): CheckResult[] {
  return evaluatePolicy(parsePolicy(yaml), timeline, computeStatistics(timeline));
}

function byId(results: CheckResult[], id: string): CheckResult {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no check ${id} in ${results.map((r) => r.id).join(', ')}`);
  return found;
}

function problems(yaml: string): readonly string[] {
  try {
    parsePolicy(yaml, 'p.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return err.problems;
    throw err;
  }
  return [];
}

describe('reading a policy', () => {
  it('reads rule settings (severity, options, off), allow, forbid, fail-on and every assertion', () => {
    const policy = parsePolicy(`
rules:
  stuck-on-100-trying: { severity: warning, options: { thresholdSeconds: 5 } }
  media-hints: off
  gone-410: info
allow: [nat-hints]
forbid: no-ack-for-2xx
fail-on: warning
expect:
  calls: 3
  answered: { min: 95% }
  post-dial-delay: { p95: 3s, median: 800ms, max: 10 s }
  setup-time: { p99: 4000 }
  max-final-status: 499
  invite-answered-within: 5s
`);
    expect(policy.rules).toEqual({ 'stuck-on-100-trying': { severity: 'warning', options: { thresholdSeconds: 5 } }, 'media-hints': { severity: 'off' }, 'gone-410': { severity: 'info' } });
    expect(policy).toMatchObject({ allow: ['nat-hints'], forbid: ['no-ack-for-2xx'], failOn: 'warning' });
    expect(policy.expect).toEqual({
      calls: { min: 3, max: 3 },
      answered: { min: 0.95 },
      postDialDelay: { p95: 3000, median: 800, max: 10_000 },
      setupTime: { p99: 4000 },
      maxFinalStatus: 499,
      inviteAnsweredWithinMs: 5000,
    });
  });

  it('an empty policy fails on error findings only', () => {
    expect(parsePolicy('')).toEqual({ rules: {}, allow: [], forbid: [], failOn: 'error', expect: {} });
  });

  it('reports every problem at once, each with where it is', () => {
    expect(
      problems(`
colour: red
rules:
  no-such-rule: error
  gone-410: { severity: fatal, options: { x: 1 } }
  stuck-on-100-trying: { options: { thresholdSeconds: "ten" } }
allow: [gone-410, nope]
forbid: [gone-410]
fail-on: sometimes
expect:
  calls: { min: -1 }
  answered: 120%
  post-dial-delay: { p95: soon, p200: 1s }
  max-final-status: 99
  invite-answered-within: later
  whatever: 1
`),
    ).toEqual([
      'policy: unknown key "colour" (expected one of rules, allow, forbid, fail-on, expect)',
      'rules: unknown rule "no-such-rule" (see "siplens rules")',
      'rules.gone-410: severity must be error, warning, info or off, not "fatal"',
      'rules.gone-410.options: unknown option "x" (the rule has no options)',
      'rules.stuck-on-100-trying.options.thresholdSeconds: must be a number, not "ten"',
      'allow: unknown rule "nope" (see "siplens rules")',
      'allow: "gone-410" is both allowed and forbidden',
      'fail-on: must be error, warning, info or never, not "sometimes"',
      'expect: unknown key "whatever" (expected one of calls, answered, post-dial-delay, setup-time, max-final-status, invite-answered-within)',
      'expect.calls.min: must be a whole number, not -1',
      'expect.calls: needs min or max',
      'expect.answered: must be a share such as 0.95 or "95%" or { min, max }',
      'expect.post-dial-delay.p95: must be a duration such as 800ms or 3s, not "soon"',
      'expect.post-dial-delay: unknown key "p200" (use p50, p95, p99, median or max)',
      'expect.max-final-status: must be a status code from 200 to 699, not 99',
      'expect.invite-answered-within: must be a duration such as 5s, not "later"',
    ]);
    expect(problems('rules: [')).toEqual([expect.stringMatching(/^not valid YAML: /)]);
    expect(problems('- a list')).toEqual(['must be a mapping with rules, allow, forbid, fail-on and expect']);
  });

  it('durations and shares', () => {
    expect([parseDuration('800ms'), parseDuration('2s'), parseDuration('1.5 s'), parseDuration('1m'), parseDuration(250), parseDuration('x'), parseDuration(-1)]).toEqual([800, 2000, 1500, 60_000, 250, null, null]);
    expect([parseShare(0.5), parseShare('95%'), parseShare('99.5 %'), parseShare(2), parseShare('150%')]).toEqual([0.5, 0.95, 0.995, null, null]);
  });
});

describe('checking a policy', () => {
  it('findings: fails on findings at or above fail-on, except allowed rules', () => {
    // The demo's worst finding is a warning (a caller that cancelled after 12.4 s on 100 Trying): the default fail-on (error) passes.
    expect(byId(check(''), 'findings').passed).toBe(true);
    const failing = byId(check('fail-on: warning'), 'findings');
    expect(failing).toMatchObject({ passed: false, actual: '2 findings' });
    expect(failing.details).toEqual([expect.stringMatching(/^call 2 \(demo-call-2@192\.0\.2\.10\): warning stuck-on-100-trying at #58, #59, #62: /), expect.stringMatching(/^call 3 .*warning gone-410/)]);
    expect(byId(check('fail-on: warning\nallow: [stuck-on-100-trying]'), 'findings').details).toEqual([expect.stringMatching(/^call 3 .*warning gone-410/)]);
    expect(byId(check('fail-on: warning\nallow: [stuck-on-100-trying, gone-410]'), 'findings').passed).toBe(true);
    expect(byId(check('fail-on: never'), 'findings').passed).toBe(true);
  });

  it('rule settings reach the rules: off, severity, options', async () => {
    const run = async (yaml: string) => {
      const policy = parsePolicy(yaml);
      const t = buildTimeline(await analyze(['samples/demo.pcap'], { rules: policy.rules }));
      return t.calls.flatMap((c) => c.findings.map((f) => `${f.rule}:${f.severity}`));
    };
    expect(await run('')).toEqual(['stuck-on-100-trying:warning', 'gone-410:warning']);
    expect(await run('rules: { stuck-on-100-trying: off, gone-410: error }')).toEqual(['gone-410:error']);
    // The call waited 12.4 s after its 100 Trying: a 20 s threshold does not call that stuck.
    expect(await run('rules: { stuck-on-100-trying: { options: { thresholdSeconds: 20 } } }')).not.toContain('stuck-on-100-trying:warning');
  });

  it('forbid: any finding of the rule fails, whatever its severity', () => {
    const results = check('forbid: [gone-410]\nfail-on: never');
    expect(byId(results, 'forbid:gone-410')).toMatchObject({ passed: false, actual: '1 finding' });
    expect(byId(check('forbid: [no-ack-for-2xx]'), 'forbid:no-ack-for-2xx').passed).toBe(true);
  });

  it('calls: a number or a range', () => {
    expect(byId(check('expect: { calls: 3 }'), 'calls')).toMatchObject({ passed: true, actual: '3' });
    expect(byId(check('expect: { calls: { min: 4 } }'), 'calls')).toMatchObject({ passed: false, expected: 'number of calls ≥ 4' });
    expect(byId(check('expect: { calls: { max: 2 } }'), 'calls').passed).toBe(false);
  });

  it('answered: the share of INVITE calls answered', () => {
    const low = byId(check('expect: { answered: { min: 90% } }'), 'answered');
    expect(low).toMatchObject({ passed: false, actual: '50 % (1 of 2)' });
    expect(low.details).toEqual(['call 2 (demo-call-2@192.0.2.10): stuck on 100 Trying (487 Request Terminated)']);
    expect(byId(check('expect: { answered: { min: 0.5 } }'), 'answered').passed).toBe(true);
    expect(byId(check('expect: { answered: 1 }', proxied), 'answered').passed).toBe(true);
  });

  it('post-dial delay and setup time percentiles', () => {
    const results = check('expect: { post-dial-delay: { p95: 50ms, median: 1s }, setup-time: { max: 3s } }');
    expect(byId(results, 'post-dial-delay.p95')).toMatchObject({ passed: false, actual: '85 ms over 1 call', details: ['call 1 (demo-call-1@192.0.2.10): 85 ms'] });
    expect(byId(results, 'post-dial-delay.median').passed).toBe(true);
    expect(byId(results, 'setup-time.max')).toMatchObject({ passed: true, actual: '2.4 s over 1 call' });
    expect(byId(check('expect: { setup-time: { p50: 2s } }'), 'setup-time.p50').passed).toBe(false);
  });

  it('max-final-status: no final response above a code', () => {
    const results = check('expect: { max-final-status: 486 }');
    expect(byId(results, 'max-final-status')).toMatchObject({ passed: false, details: ['call 2 (demo-call-2@192.0.2.10): #64 487 Request Terminated'] });
    expect(byId(check('expect: { max-final-status: 499 }'), 'max-final-status')).toMatchObject({ passed: true, actual: 'none' });
  });

  it('invite-answered-within: every INVITE gets a final response in time, on every hop', () => {
    const late = byId(check('expect: { invite-answered-within: 5s }'), 'invite-answered-within');
    expect(late).toMatchObject({ passed: false, actual: '1 of 2 INVITEs late or unanswered' });
    expect(late.details).toEqual(['call 2 (demo-call-2@192.0.2.10): INVITE #58 got 487 after 12.406 s (#64)']);
    expect(byId(check('expect: { invite-answered-within: 15s }'), 'invite-answered-within').passed).toBe(true);
    // Through a proxy: both hops' INVITEs are checked.
    expect(byId(check('expect: { invite-answered-within: 1s }', proxied), 'invite-answered-within').actual).toBe('2 INVITEs, all answered in time');
  });

  it('an INVITE with no final response fails', async () => {
    const t = buildTimeline(await analyze(['fixtures/real/sipp-retransmit-no-answer.pcap']));
    expect(byId(check('expect: { invite-answered-within: 60s }', t), 'invite-answered-within').details).toEqual([expect.stringMatching(/INVITE #\d+ got no final response$/)]);
  });
});

describe('what failed, call by call', () => {
  it('a failed check lists every failing call (the text shows the first 50 and how many more)', () => {
    const many = (call: Timeline['calls'][number], n: number): Timeline => ({ ...demo, calls: Array.from({ length: n }, (_, i) => ({ ...call, number: i + 1 })) });
    const unanswered = byId(check('expect: { answered: { min: 100% } }', many(demo.calls[1]!, 30)), 'answered');
    expect(unanswered.details.length).toBe(30);
    expect(unanswered.details[29]).toMatch(/^call 30 /);
    const slow = check('expect: { post-dial-delay: { max: 1ms } }', many(demo.calls[0]!, 25)).find((r) => r.id.startsWith('post-dial-delay'))!;
    expect(slow.passed).toBe(false);
    expect(slow.details.length).toBe(25);
  });
});

describe('the documented example policy', () => {
  it('docs/policy.example.yaml reads without a problem and passes on a normal sipp call', async () => {
    const { readFileSync } = await import('node:fs');
    const policy = parsePolicy(readFileSync('docs/policy.example.yaml', 'utf8'), 'docs/policy.example.yaml');
    const t = buildTimeline(await analyze(['fixtures/real/sipp-uac-uas-call.pcap'], { rules: policy.rules }));
    const results = evaluatePolicy(policy, t, computeStatistics(t));
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });
});
