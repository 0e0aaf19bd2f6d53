/**
 * A finding as shown (src/present/findings.ts showFinding): every member of the analysis's
 * finding, in its order and with the same values, then its words. showFinding lists the members
 * rather than spreading the finding (a spread given new members is slow in V8), so this holds the
 * list to the finding's own keys.
 */
import { describe, expect, it } from 'vitest';
import { showFinding } from '../../src/present/findings.js';
import { SIPLENS_BUG } from '../../src/annotate/engine.js';
import type { Finding } from '../../src/annotate/rules/types.js';

const finding: Finding = {
  rule: 'not-found',
  severity: 'warning',
  messageId: 'not-found',
  data: { method: 'INVITE', uri: 'sip:+4940555@198.51.100.20', server: { kind: 'endpoint', ip: '198.51.100.20', port: 5060 }, status: 404, response: '404 Not Found', user: '+4940555' },
  messages: [0, 2],
  anchor: 2,
  frames: [11, 15],
  lines: [],
  time: { sec: 1795510800, nsec: 169284000 },
};

describe('showFinding', () => {
  for (const [name, f] of [
    ['a rule of the catalogue', finding],
    ['a rule siplens does not know', { ...finding, rule: 'no-such-rule' }],
    ['a siplens bug', { ...finding, rule: 'legs', messageId: SIPLENS_BUG, data: { error: 'boom' } }],
  ] as const) {
    it(`keeps every member of the finding, in order, then adds its words (${name})`, () => {
      const shown = showFinding(f, 'en');
      expect(Object.keys(shown)).toEqual([...Object.keys(f), 'message', 'explanation', 'fix', 'rfc']);
      for (const key of Object.keys(f)) expect(shown[key as keyof Finding]).toBe(f[key as keyof Finding]);
      expect(typeof shown.message).toBe('string');
    });
  }

  it('fills the words from the data', () => {
    const shown = showFinding(finding, 'en');
    expect(shown.message).toContain('+4940555');
    expect(shown.rfc).not.toBe('-');
  });
});
