import { describe, expect, it } from 'vitest';
import { checkCall } from '../../src/annotate/engine.js';
import { renderTemplate } from '../../src/present/findings.js';
import { defineRule } from '../../src/annotate/rules/types.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import { A, B, captured, dialogHeaders } from '../support/sip.js';

const call = correlate([captured(['OPTIONS sip:b@example.com SIP/2.0', ...dialogHeaders({ cseq: '1 OPTIONS' })], 0, A, B)])[0]!;

const throwing = defineRule({
  meta: { id: 'throws', severity: 'info', description: 'd'.repeat(20), evidence: 'e'.repeat(20), explanation: 'x'.repeat(20), fix: 'f'.repeat(20), rfc: 'RFC 3261', messages: {}, options: {} },
  check() {
    throw new Error('boom');
  },
});

describe('rules engine', () => {
  it('a rule that throws becomes a visible error finding, and the analysis goes on', () => {
    expect(checkCall(call, call.end, {}, [throwing]).map((f) => [f.rule, f.messageId, f.severity, f.data.error])).toEqual([['throws', 'siplens-bug', 'error', 'boom']]);
  });

  it('renders templates without regular expressions, leaving unknown names as written', () => {
    expect(renderTemplate('{a} and {b} and {c', { a: 1, b: 'x' })).toBe('1 and x and {c');
    expect(renderTemplate('{__proto__}{toString}', {})).toBe('{__proto__}{toString}');
  });

  it('a rule set to off does not run, and a configured severity applies', () => {
    const reporting = defineRule({ ...throwing, check: (_c, ctx) => ctx.report({ messageId: 'm', data: {}, messages: [0] }) });
    expect(checkCall(call, call.end, { throws: { severity: 'off' } }, [reporting])).toEqual([]);
    expect(checkCall(call, call.end, { throws: { severity: 'error' } }, [reporting]).map((f) => f.severity)).toEqual(['error']);
  });
});
