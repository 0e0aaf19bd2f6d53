import { describe, expect, it } from 'vitest';
import { rulesMarkdown } from '../../../src/annotate/rules/docs-table.js';
import { RULES } from '../../../src/annotate/rules/index.js';
import { TRANSACTION_RULES } from '../../../src/annotate/rules/catalog.js';
import type { Severity } from '../../../src/types.js';

/**
 * docs/rules.md is generated from the rules' meta, so it cannot drift from them. After adding
 * or changing a rule: `npx vitest run test/annotate/rules/readme-table.test.ts -u`.
 */
describe('docs/rules.md', () => {
  it('is what rulesMarkdown(RULES) writes', async () => {
    await expect(rulesMarkdown(RULES)).toMatchFileSnapshot('../../../docs/rules.md');
  });

  it('lists every rule with its severity and every option with its default', () => {
    const doc = rulesMarkdown(RULES);
    for (const rule of RULES) {
      expect(doc).toContain(`| \`${rule.meta.id}\` | ${rule.meta.severity}`);
      for (const [name, option] of Object.entries(rule.meta.options as Record<string, { default: unknown }>)) expect(doc).toContain(`\`${name}\` = ${JSON.stringify(option.default)}`);
    }
  });

  it.each(TRANSACTION_RULES.map((r) => [r.meta.id, r]))('%s: per-message severities name real messages and are below the rule\'s', (_id, rule) => {
    const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
    const levels = (rule.meta as { messageSeverity?: Record<string, Severity> }).messageSeverity ?? {};
    for (const [id, severity] of Object.entries(levels)) {
      expect(Object.keys(rule.meta.messages)).toContain(id);
      expect(rank[severity]).toBeLessThan(rank[rule.meta.severity]);
    }
  });

  it.each(TRANSACTION_RULES.map((r) => [r.meta.id, r]))('%s: message templates have balanced braces', (_id, rule) => {
    // Message templates only use names; a stray brace would show up verbatim in a finding.
    for (const template of Object.values(rule.meta.messages)) {
      let depth = 0;
      for (const ch of template) {
        if (ch === '{') depth++;
        if (ch === '}') depth--;
        expect(depth === 0 || depth === 1).toBe(true);
      }
      expect(depth).toBe(0);
    }
  });
});
