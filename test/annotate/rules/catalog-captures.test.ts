/**
 * The catalog rules on real captures: each fires on its fixture (fixtures/rules/README.md),
 * and none fires on a normal call. Every rule runs over every capture of the shared corpus
 * without throwing (skipped when the corpus is absent).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { showFinding } from '../../../src/present/findings.js';
import { buildRuleFixtures } from '../../../fixtures/scripts/rule-fixtures.js';
import { corpusCaptures, hasCorpus, REPO_ROOT } from '../../support/captures.js';

/** rule/messageId of every finding (of one call), sorted; every text must have all its {placeholders} filled. */
async function findings(path: string, callNumber?: number): Promise<string[]> {
  const result = await analyze([join(REPO_ROOT, path)]);
  const all = result.calls.filter((c) => callNumber === undefined || c.number === callNumber).flatMap((c) => c.findings);
  for (const f of all.map((x) => showFinding(x, 'en'))) for (const text of [f.message, f.explanation, f.fix]) expect(text, `${f.rule}/${f.messageId}`).not.toMatch(/\{[a-zA-Z]+\}/);
  return all.map((f) => `${f.rule}/${f.messageId}`).sort();
}

describe('no rule fires on a normal call', () => {
  it('fixtures/real/sipp-uac-uas-call.pcap', async () => expect(await findings('fixtures/real/sipp-uac-uas-call.pcap')).toEqual([]));
  it('samples/demo.pcap, call 1 (the normal one)', async () => expect(await findings('samples/demo.pcap', 1)).toEqual([]));
  it('samples/demo.pcap: only the known findings', async () => expect(await findings('samples/demo.pcap')).toEqual(['gone-410/gone', 'stuck-on-100-trying/cancelled']));
  it('fixtures/real/kamailio-proxy-call.pcap (a normal call through a proxy, both hops)', async () => expect(await findings('fixtures/real/kamailio-proxy-call.pcap')).toEqual([]));
  it.each(['sipp-call-ipv6.pcap', 'sipp-call-nano.pcap', 'sipp-call-sll.pcap', 'sipp-call-sll2.pcap', 'sipp-call.pcapng', 'sipp-options-ping.pcap'])('fixtures/real/%s', async (name) =>
    expect(await findings(`fixtures/real/${name}`)).toEqual([]),
  );
});

const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'sipp-invite-retransmitted.pcap': ['request-retransmissions/retransmitted'],
  'sipp-no-ack-2xx.pcap': ['no-ack-for-2xx/never-sent-bye'],
  'sipp-no-ack-486.pcap': ['callee-unavailable/busy-here', 'no-ack-for-error-response/no-ack'],
  'sipp-auth-loop.pcap': ['auth-loop/loop'],
  'sipp-reject-403.pcap': ['forbidden/forbidden', 'reason-and-warning/warning'],
  'sipp-reject-404.pcap': ['not-found/not-found'],
  'sipp-reject-486-reason.pcap': ['callee-unavailable/busy-here', 'reason-and-warning/q850'],
  'sipp-reject-483.pcap': ['loop-detected/too-many-hops'],
  'sipp-reject-500.pcap': ['server-error/internal-error'],
  'sipp-reject-503-retry-after.pcap': ['overload/retry-after'],
  'sipp-redirect-302.pcap': ['redirect-not-followed/not-followed'],
  'sipp-reject-422.pcap': ['session-timer/interval-too-small'],
  'sipp-reject-488-warning.pcap': ['codec-mismatch/refused', 'reason-and-warning/warning'],
  'sipp-bye-481.pcap': ['call-does-not-exist/forgotten'],
  'sipp-glare-491.pcap': ['glare/retried'],
  'sipp-post-dial-delay.pcap': ['post-dial-delay/slow-progress'],
  'sipp-early-media.pcap': ['early-media-without-ringing/early-media'],
  'sipp-prack-ignored.pcap': ['prack-problems/not-acknowledged', 'reason-and-warning/sip-cause', 'server-error/gateway-timeout'],
  'sipp-bye-not-answered.pcap': ['bye-not-answered/no-final'],
  'sipp-udp-too-large.pcap': ['udp-message-too-large/whole'],
  'sipp-malformed-invite.pcap': ['malformed-message/content-length-mismatch', 'malformed-message/missing-max-forwards', 'reason-and-warning/warning'],
  'sipp-register-423.pcap': ['registration-problems/interval-too-brief-retried'],
  'sipp-options-503.pcap': ['options-keepalive-failures/failing'],
  'sipp-session-timer-expiry.pcap': ['reason-and-warning/sip-cause', 'session-timer/bye-at-expiry'],
  'sipp-subscribe-404.pcap': ['subscription-not-found/no-mailbox'],
  'sipp-scanner-options.pcap': ['scanner/answered'],
  'sipp-invite-timer-b.pcap': ['no-response/last-copy'],
  'sipp-stir-438.pcap': ['stir-shaken/signed', 'stir-shaken/invalid-identity'],
  'sipp-subscribe-489.pcap': ['event-refused/bad-event'],
  'sipp-transfer-busy.pcap': ['transfer/failed'],
  'sipp-transfer-linked.pcap': ['transfer/completed-in-call', 'transfer/transferred-from'],
  'sipp-forked-none-answered.pcap': ['callee-unavailable/busy-here', 'hunting/none-answered'],
  'sipp-responses-misdirected.pcap': ['icmp-unreachable/response-elsewhere', 'request-retransmissions/responses-misdirected', 'stuck-on-100-trying/unresolved'],
  // The 486 never reached the caller (a firewall in front of it): the retransmissions name that cause, and the missing ACK is not a second finding.
  'sipp-responses-lost.pcap': ['callee-unavailable/busy-here', 'request-retransmissions/responses-lost'],
  'synthetic-cancel-race.pcap': ['cancel-race/handled', 'cancel-race/no-bye'],
};

describe('each rule fires on its fixture (fixtures/rules/)', () => {
  it.each(Object.entries(EXPECTED))('%s', async (name, expected) => expect(await findings(`fixtures/rules/${name}`)).toEqual([...expected].sort()));

  it('sipp-responses-lost.pcap: the data name the sender, the peer and how fast every copy was answered', async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures/rules/sipp-responses-lost.pcap')]);
    const lost = result.calls.flatMap((c) => c.findings).find((f) => f.messageId === 'responses-lost');
    expect(lost?.data).toMatchObject({ peer: { kind: 'endpoint', ip: '127.0.0.1', port: 5060 }, sender: { kind: 'endpoint', ip: '127.0.0.1', port: 5061 }, requests: 1, retransmissions: 3, methods: 'INVITE' });
    expect(lost?.frames).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('and on the older fixtures', async () => {
    expect(await findings('fixtures/real/sipp-retransmit-no-answer.pcap')).toEqual(['no-response/unresolved']);
    expect(await findings('fixtures/real/kamailio-proxy-no-ack.pcap')).toEqual(['no-ack-for-2xx/ack-elsewhere', 'not-found/not-found', 'not-found/not-found']);
    // Kamailio answers 408 after its fr_timer (30 s) because the next hop reads and never answers: the silent hop is named, before Timer B.
    expect(await findings('fixtures/real/kamailio-proxy-408-silent-hop.pcap')).toEqual(['no-response/given-up', 'stuck-on-100-trying/timeout-silent-hop']);
    // Kamailio hunts bob, carol and dave one after another (fixtures/kamailio/proxy-hunt.cfg): one story on the caller's INVITE.
    expect(await findings('fixtures/real/kamailio-proxy-hunt.pcap')).toEqual(['callee-unavailable/busy-here', 'callee-unavailable/temporarily-unavailable', 'hunting/none-answered']);
    const silent = await analyze([join(REPO_ROOT, 'fixtures/real/kamailio-proxy-408-silent-hop.pcap')]);
    expect(silent.calls.map((c) => c.outcome)).toEqual([{ outcome: 'failed', status: 408 }]);
  });

  it('every rule of the catalog has a fixture where it fires', async () => {
    const { TRANSACTION_RULES } = await import('../../../src/annotate/rules/catalog.js');
    const fired = new Set([...Object.values(EXPECTED).flat(), 'no-response/unresolved', 'no-ack-for-2xx/ack-elsewhere'].map((f) => f.split('/')[0]));
    expect(TRANSACTION_RULES.map((r) => r.meta.id).filter((id) => !fired.has(id))).toEqual([]);
  });

  it.each(Object.entries(buildRuleFixtures()))('%s is what fixtures/scripts/rule-fixtures.ts writes', (path, bytes) => {
    expect(readFileSync(join(REPO_ROOT, path)).equals(bytes)).toBe(true);
  });
});

describe.skipIf(!hasCorpus)('every rule over the shared corpus', () => {
  it.each(corpusCaptures().map((f) => [basename(f), f]))('%s: no crash, every finding names its evidence', async (_name, file) => {
    const result = await analyze([file]);
    for (const call of result.calls) {
      for (const f of call.findings) {
        expect(f.messages.length, `${f.rule}/${f.messageId}`).toBeGreaterThan(0);
        expect(f.messages.every((i) => i >= 0 && i < call.call.messages.length)).toBe(true);
        const shown = showFinding(f, 'en');
        for (const text of [shown.message, shown.explanation, shown.fix]) expect(text, `${f.rule}/${f.messageId}`).not.toMatch(/\{[a-zA-Z]+\}/);
      }
    }
  });
});
