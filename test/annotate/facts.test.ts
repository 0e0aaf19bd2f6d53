/** PerCall: a fact of the call being checked, shared by its rules, let go once the engine is done with the call. */
import { beforeEach, describe, expect, it } from 'vitest';
import { checkCall } from '../../src/annotate/engine.js';
import { PerCall, releaseCallFacts } from '../../src/annotate/facts.js';
import { defineRule } from '../../src/annotate/rules/types.js';
import type { Call } from '../../src/parse/dialog/types.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import { req, res, resetCatalogFrames } from '../support/catalog.js';

beforeEach(resetCatalogFrames);

const META = { severity: 'info', description: 'd'.repeat(20), evidence: 'e'.repeat(20), explanation: 'x'.repeat(20), fix: 'f'.repeat(20), rfc: 'RFC 3261', messages: {}, options: {} } as const;

function oneCall(): Call {
  const invite = req('INVITE', 1, 0);
  return correlate([invite, res(invite, '486 Busy Here', 20)])[0]!;
}

describe('PerCall', () => {
  it('computes a fact once for the rules of a call, and again for a call that grew', () => {
    const computed: number[] = [];
    const fact = new PerCall((call) => (computed.push(call.messages.length), call.messages.length));
    const call = oneCall();
    expect([fact.of(call), fact.of(call)]).toEqual([2, 2]);
    expect(computed).toEqual([2]);
    (call.messages as unknown[]).push(call.messages[1]);
    expect(fact.of(call)).toBe(3);
    expect(computed).toEqual([2, 3]);
    releaseCallFacts();
  });

  it('holds no call once the engine has run the rules on it', () => {
    const computed: string[] = [];
    const fact = new PerCall((call) => (computed.push(call.callId), call.callId));
    const rules = ['a', 'b'].map((id) => defineRule({ meta: { ...META, id }, check: (call) => void fact.of(call) }));
    const call = oneCall();
    checkCall(call, call.end, {}, rules);
    // The two rules shared one computation; after the check the fact is made again when asked.
    expect(computed).toHaveLength(1);
    expect(fact as unknown as { call: Call | null }).toMatchObject({ call: null, value: undefined });
    fact.of(call);
    expect(computed).toHaveLength(2);
    releaseCallFacts();
  });
});
