import { beforeEach, describe, expect, it } from 'vitest';
import { checkCall } from '../../../src/annotate/engine.js';
import { authLoop } from '../../../src/annotate/rules/auth-loop.js';
import { callDoesNotExist } from '../../../src/annotate/rules/call-does-not-exist.js';
import { SourceTracker } from '../../../src/annotate/sources.js';
import { PATTERN_THRESHOLDS, PatternTracker } from '../../../src/annotate/patterns.js';
import { correlate } from '../../../src/parse/dialog/correlate.js';
import type { CapturedMessage } from '../../../src/types.js';
import { A, B, req, res, resetCatalogFrames } from '../../support/catalog.js';

beforeEach(resetCatalogFrames);

/** Every call, checked as the analysis session checks them: with the cross-call tables of all the messages. */
function run(messages: CapturedMessage[], rule: typeof authLoop | typeof callDoesNotExist, ids: readonly string[]) {
  const sources = new SourceTracker();
  for (const m of messages) sources.add(m);
  return correlate(messages).flatMap((call) =>
    checkCall(call, call.end, {}, [rule], null, sources)
      .filter((f) => ids.includes(f.messageId))
      .map((f) => ({ call: call.callId, messageId: f.messageId, severity: f.severity, frames: f.frames, data: f.data })),
  );
}

/** A subscription accepted at `at` ms (202, Expires 1800) whose refresh `lostAfter` ms later is answered 481. */
function lostSubscription(n: number, at: number, lostAfter = 5_000, expires = 1800): CapturedMessage[] {
  const subscribe = req('SUBSCRIBE', 1, at, { callId: `sub-${n}`, fromTag: `p${n}`, extra: ['Event: dialog', 'Expires: 1800'] });
  const accepted = res(subscribe, '202 Accepted', at + 2, [`Expires: ${expires}`], { toTag: `s${n}` });
  const refresh = req('SUBSCRIBE', 2, at + lostAfter, { callId: `sub-${n}`, fromTag: `p${n}`, toTag: `s${n}`, extra: ['Event: dialog', 'Expires: 1800'] });
  return [subscribe, accepted, refresh, res(refresh, '481 Call Leg/Transaction Does Not Exist', at + lostAfter + 1)];
}

describe('call-does-not-exist/subscriptions-lost: a server losing the subscriptions it accepts', () => {
  const STORY = ['subscriptions-lost'];

  it('invalid (warning): three subscriptions lost 5 s after their 202, set up again every 10 s, told once on the third', () => {
    const messages = [0, 10_000, 20_000].flatMap((at, i) => lostSubscription(i + 1, at));
    expect(run(messages, callDoesNotExist, STORY)).toEqual([
      {
        call: 'sub-3',
        messageId: 'subscriptions-lost',
        severity: 'warning',
        frames: [11, 12],
        data: {
          method: 'SUBSCRIBE',
          server: { kind: 'endpoint', ...B },
          peer: { kind: 'endpoint', ...A },
          count: 3,
          lifetime: { kind: 'ms', ms: 4_999 },
          period: { kind: 'ms', ms: 10_000 },
          losses: { kind: 'refs', refs: [4, 8, 12].map((frame) => ({ kind: 'ref', frame, line: null })), total: 3 },
          last: { kind: 'ref', frame: 12, line: null },
        },
      },
    ]);
  });

  it('valid: two losses are not yet a pattern', () => {
    expect(run([0, 10_000].flatMap((at, i) => lostSubscription(i + 1, at)), callDoesNotExist, STORY)).toEqual([]);
  });

  it('valid: a 481 after the granted Expires ran out is an expired subscription, not a lost one', () => {
    const messages = [0, 10_000, 20_000].flatMap((at, i) => lostSubscription(i + 1, at, 5_000, 3));
    expect(run(messages, callDoesNotExist, STORY)).toEqual([]);
  });

  it('valid: the subscriber answering 481 to the NOTIFYs of subscriptions it set up has not lost subscriptions it accepted', () => {
    const messages = [0, 10_000, 20_000].flatMap((at, i) => {
      const [subscribe, accepted] = lostSubscription(i + 1, at);
      const notify = req('NOTIFY', 1, at + 5_000, { callId: `sub-${i + 1}`, fromTag: `s${i + 1}`, toTag: `p${i + 1}`, from: B, to: A, extra: ['Event: dialog', 'Subscription-State: active;expires=1795'] });
      return [subscribe!, accepted!, notify, res(notify, '481 Call Leg/Transaction Does Not Exist', at + 5_001)];
    });
    expect(run(messages, callDoesNotExist, STORY)).toEqual([]);
  });

  it('valid: a subscription ended by a NOTIFY with Subscription-State: terminated is not lost', () => {
    const messages = [0, 10_000, 20_000].flatMap((at, i) => {
      const [subscribe, accepted, refresh, refused] = lostSubscription(i + 1, at);
      const end = req('NOTIFY', 1, at + 1_000, { callId: `sub-${i + 1}`, fromTag: `s${i + 1}`, toTag: `p${i + 1}`, from: B, to: A, extra: ['Event: dialog', 'Subscription-State: terminated;reason=timeout'] });
      return [subscribe!, accepted!, end, refresh!, refused!];
    });
    expect(run(messages, callDoesNotExist, STORY)).toEqual([]);
  });
});

/** A REGISTER challenged at `at` ms and answered with credentials `delay` ms later, then answered `final`. */
function challenged(n: number, at: number, delay: number, final: string): CapturedMessage[] {
  const first = req('REGISTER', 1, at, { callId: `reg-${n}`, uri: 'sip:example.com' });
  const challenge = res(first, '401 Unauthorized', at + 50, ['WWW-Authenticate: Digest realm="example.com", nonce="n' + n + '"']);
  const answer = req('REGISTER', 2, at + delay, {
    callId: `reg-${n}`,
    uri: 'sip:example.com',
    extra: [`Authorization: Digest username="alice", realm="example.com", nonce="n${n}", uri="sip:example.com", response="00"`],
  });
  const extra = final.startsWith('401') ? ['WWW-Authenticate: Digest realm="example.com", nonce="m' + n + '"'] : [];
  return [first, challenge, answer, res(answer, final, at + delay + 100, extra)];
}

describe('auth-loop/late-answers: a client that answers challenges late, call after call', () => {
  const STORY = ['late-answers', 'late-answers-accepted'];

  it('invalid (error: the refused answers failed): three challenges answered 17 s late, one refused with a new challenge, told once on the third', () => {
    const messages = [
      ...challenged(1, 0, 17_000, '200 OK'),
      ...challenged(2, 100_000, 17_200, '401 Unauthorized'),
      ...challenged(3, 200_000, 17_400, '200 OK'),
    ];
    const found = run(messages, authLoop, STORY);
    expect(found).toEqual([
      {
        call: 'reg-3',
        messageId: 'late-answers',
        severity: 'error',
        frames: [11],
        data: {
          method: 'REGISTER',
          realm: 'example.com',
          user: 'alice',
          server: { kind: 'endpoint', ...B },
          client: { kind: 'endpoint', ...A },
          delay: { kind: 'ms', ms: 17_150 },
          answers: 3,
          late: 3,
          threshold: { kind: 'ms', ms: 10_000 },
          answered: { kind: 'refs', refs: [3, 7, 11].map((frame) => ({ kind: 'ref', frame, line: null })), total: 3 },
          refused: 1,
          refusals: { kind: 'refs', refs: [{ kind: 'ref', frame: 8, line: null }], total: 1 },
        },
      },
    ]);
  });

  it('invalid (info): answered late every time and accepted every time', () => {
    const messages = [0, 100_000, 200_000].flatMap((at, i) => challenged(i + 1, at, 15_000, '200 OK'));
    expect(run(messages, authLoop, STORY).map((f) => [f.call, f.messageId, f.severity, f.data['refused'], f.data['refusals']])).toEqual([['reg-3', 'late-answers-accepted', 'info', 0, '-']]);
  });

  it('valid: challenges answered at once are no habit, and one late answer among quick ones is not either', () => {
    expect(run([0, 100_000, 200_000].flatMap((at, i) => challenged(i + 1, at, 120, '200 OK')), authLoop, STORY)).toEqual([]);
    const mixed = [...challenged(1, 0, 120, '200 OK'), ...challenged(2, 100_000, 17_000, '200 OK'), ...challenged(3, 200_000, 150, '200 OK')];
    expect(run(mixed, authLoop, STORY)).toEqual([]);
  });
});

describe('the cross-call tables are bounded', () => {
  it('past its bound a table lets the oldest subscription go, counts it, and that loss is not told', () => {
    const tracker = new PatternTracker({ ...PATTERN_THRESHOLDS, minLosses: 1 }, 2);
    // Three subscriptions accepted before any 481: the first is let go, so its 481 is not counted.
    const lost = [1, 2, 3].map((n) => lostSubscription(n, n * 10));
    for (const [subscribe, accepted] of lost) for (const m of [subscribe!, accepted!]) tracker.add(m);
    for (const [, , refresh, refused] of lost) for (const m of [refresh!, refused!]) tracker.add(m);
    expect(tracker.overflow?.count).toBe(1);
    expect(tracker.overflow?.first.frame).toBe(10);
    expect(tracker.lostSubscriptions(B.ip)?.count).toBe(2);
  });
});
