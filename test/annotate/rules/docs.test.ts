import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/annotate/rules/index.js';

/** Every rule documents itself completely; a rule without docs cannot land (typescript-eslint's docs test). */
describe('rule docs', () => {
  it.each(RULES.map((r) => [r.meta.id, r]))('%s has every field', (id, rule) => {
    const meta = rule.meta;
    expect(meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const field of ['description', 'evidence', 'explanation', 'fix', 'rfc'] as const) expect(meta[field].trim().length, `${id}.${field}`).toBeGreaterThan(10);
    expect(['error', 'warning', 'info']).toContain(meta.severity);
    expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
    for (const [name, option] of Object.entries(meta.options as Record<string, { default: unknown; description: string }>)) {
      expect(option.description.length, `${id} option ${name}`).toBeGreaterThan(10);
      expect(option.default, `${id} option ${name}`).not.toBeUndefined();
    }
  });

  it('rule ids are unique', () => {
    expect(new Set(RULES.map((r) => r.meta.id)).size).toBe(RULES.length);
  });
});
