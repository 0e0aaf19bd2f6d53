/**
 * Rule.needs: the engine runs a rule with needs only on a call that holds one of them (a status,
 * a transaction's method, a header bit). The gate must be exact: over every fixture's calls, each
 * rule with needs gives the same findings through the engine as a copy of it without needs, and
 * the copy reports nothing on a call the gate keeps it from.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { relative } from 'node:path';
import { analyzeStream } from '../../src/index.js';
import { checkCall } from '../../src/annotate/engine.js';
import { RULES, type AnyRule } from '../../src/annotate/rules/index.js';
import { defineRule, type Finding } from '../../src/annotate/rules/types.js';
import { HEADER_BIT } from '../../src/parse/sip/types.js';
import type { AnalyzedCall } from '../../src/analysis/types.js';
import type { CallMedia, CallStream } from '../../src/parse/media/types.js';
import type { CallIcmpError } from '../../src/parse/icmp-calls.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import { req, res, resetCatalogFrames } from '../support/catalog.js';
import { fixtureCaptures, fixtureTextLogs, keyLogOptions, REPO_ROOT, TEXT_FIXTURE_DATE } from '../support/captures.js';

beforeEach(resetCatalogFrames);

const META = { severity: 'info', description: 'd'.repeat(20), evidence: 'e'.repeat(20), explanation: 'x'.repeat(20), fix: 'f'.repeat(20), rfc: 'RFC 3261', messages: {}, options: {} } as const;

/** The ids of the rules (each with the needs given) that ran on the call made of `messages`, checked with `media` and `icmp`. */
function ran(needs: Record<string, AnyRule['needs']>, messages: Parameters<typeof correlate>[0], media: CallMedia | null = null, icmp: readonly CallIcmpError[] = []): string[] {
  const seen: string[] = [];
  const rules = Object.entries(needs).map(([id, n]) => defineRule({ meta: { ...META, id }, needs: n, check: () => void seen.push(id) }));
  for (const call of correlate(messages)) checkCall(call, call.end, {}, rules, media, null, icmp);
  return seen;
}

/** A call's media as the gates read it: how many streams, and whether the capture held RTP. */
function mediaOf(streams: number, mediaCaptured: boolean): CallMedia {
  return { announced: [], streams: Array.from({ length: streams }, () => ({}) as CallStream), mediaCaptured, mediaSeenAtHosts: false };
}

describe('the engine runs a rule with needs only on a call that holds one of them', () => {
  const invite = req('INVITE', 1, 0);
  const busy = [invite, res(invite, '100 Trying', 10), res(invite, '486 Busy Here', 20, ['Reason: Q.850;cause=17'])];

  it('by status: a code, or a code in a range', () => {
    expect(ran({ busy: { statuses: [486] }, notFound: { statuses: [404] }, failure: { statuses: [[400, 499]] }, redirect: { statuses: [[300, 399]] }, always: undefined }, busy)).toEqual(['busy', 'failure', 'always']);
  });

  it("by a transaction's method, and by a header bit of any message", () => {
    expect(ran({ invite: { methods: ['INVITE'] }, bye: { methods: ['BYE'] }, reason: { headers: HEADER_BIT.reason }, warning: { headers: HEADER_BIT.warning } }, busy)).toEqual(['invite', 'reason']);
  });

  it('by a header bit set by a compact or differently cased name, after a broken line too (RFC 3261 §7.3.1, §7.3.3)', () => {
    const answered = [invite, res(invite, '200 OK', 10, ['Not a header line', 'x: 90;refresher=uac', 'y: e30.e30.c2ln', 'REASON: SIP;cause=200', 'require: 100rel', 'WARNING: 399 host "x"'])];
    const needs = { sessionExpires: { headers: HEADER_BIT.sessionExpires }, identity: { headers: HEADER_BIT.identity }, reason: { headers: HEADER_BIT.reason }, require: { headers: HEADER_BIT.require }, warning: { headers: HEADER_BIT.warning } };
    expect(ran(needs, answered)).toEqual(['sessionExpires', 'identity', 'reason', 'require', 'warning']);
  });

  it('by a retransmission of any message', () => {
    const again = [invite, req('INVITE', 1, 500), res(invite, '180 Ringing', 600)];
    expect(ran({ retransmitted: { retransmitted: true } }, again)).toEqual(['retransmitted']);
    expect(ran({ retransmitted: { retransmitted: true } }, busy)).toEqual([]);
  });

  it('by media: a stream of the call, or RTP anywhere in the capture', () => {
    const needs = { streams: { media: 'streams' }, rtp: { media: 'rtp' }, either: { media: 'streams', statuses: [486] } } as const;
    expect(ran(needs, busy)).toEqual(['either']);
    expect(ran(needs, busy, mediaOf(0, false))).toEqual(['either']);
    expect(ran(needs, busy, mediaOf(0, true))).toEqual(['rtp', 'either']);
    // A fax's UDPTL stream is a stream in a capture that may hold no RTP.
    expect(ran(needs, busy, mediaOf(1, false))).toEqual(['streams', 'either']);
    expect(ran(needs, busy, mediaOf(2, true))).toEqual(['streams', 'rtp', 'either']);
  });

  it('by an ICMP error about one of its packets', () => {
    expect(ran({ icmp: { icmp: true } }, busy)).toEqual([]);
    expect(ran({ icmp: { icmp: true } }, busy, null, [{} as CallIcmpError])).toEqual(['icmp']);
  });

  it('any one need is enough', () => {
    expect(ran({ either: { statuses: [403], methods: ['BYE'], headers: HEADER_BIT.reason }, none: { statuses: [403], methods: ['BYE'], headers: HEADER_BIT.warning } }, busy)).toEqual(['either']);
  });

  it('each call is read afresh: a need met by one call does not let the rule run on the next', () => {
    const other = req('INVITE', 1, 1000, { callId: 'call-2' });
    expect(ran({ busy: { statuses: [486] } }, [...busy, other, res(other, '200 OK', 1010, [], { toTag: 'c' })])).toEqual(['busy']);
  });
});

/** Every fixture's analysed calls. */
async function fixtureCalls(): Promise<AnalyzedCall[]> {
  const calls: AnalyzedCall[] = [];
  for (const file of [...fixtureCaptures(), ...fixtureTextLogs()]) {
    const path = relative(REPO_ROOT, file);
    const options = file.endsWith('.pcap') || file.endsWith('.pcapng') ? keyLogOptions(path) : { date: TEXT_FIXTURE_DATE };
    await analyzeStream([path], { ...options, onCalls: (batch) => void calls.push(...batch) });
  }
  return calls;
}

const shown = (findings: readonly Finding[]) => findings.map((f) => [f.rule, f.messageId, f.anchor, JSON.stringify(f.data)]);

describe('every rule with needs is exact over the fixtures', () => {
  const gated = RULES.filter((r) => r.needs !== undefined);

  it('has rules with needs', () => {
    expect(gated.length).toBeGreaterThan(10);
  });

  it('the same findings with and without the gate, and none on a call it skips', async () => {
    const calls = await fixtureCalls();
    expect(calls.length).toBeGreaterThan(100);
    let skipped = 0;
    let reported = 0;
    for (const rule of gated) {
      let runs = 0;
      const counted = defineRule({ ...rule, check: (call, context) => void (runs++, rule.check(call, context)) });
      const ungated = defineRule({ ...rule, needs: undefined });
      for (const { call, media } of calls) {
        runs = 0;
        const through = checkCall(call, call.end, {}, [counted], media);
        const without = checkCall(call, call.end, {}, [ungated], media);
        expect(shown(through), `${rule.meta.id} on call ${call.callId}`).toEqual(shown(without));
        if (runs === 0) skipped++;
        reported += without.length;
      }
    }
    // The gate keeps most rules from most calls, and the rules still report.
    expect(skipped).toBeGreaterThan(calls.length * gated.length * 0.5);
    expect(reported).toBeGreaterThan(50);
  }, 120_000);
});
