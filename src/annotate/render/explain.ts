/**
 * `siplens explain` and `siplens rules`: the knowledge base and the rule docs as text or
 * data. Pure functions; the CLI prints them.
 */
import { compareResponseCodes, isSipStatusCode, lookupResponseCode, RESPONSE_CLASSES } from '../codes/index.js';
import type { ResponseCodeInfo } from '../codes/types.js';
import { RULES_BY_ID, type AnyRule } from '../rules/index.js';

export type ExplainTopic = { kind: 'code'; info: ResponseCodeInfo } | { kind: 'rule'; rule: AnyRule };

/** Reads "410", "stuck-on-100-trying"; null when the topic is neither a status code nor a rule id. */
export function explainTopic(topic: string): ExplainTopic | null {
  if (/^\d{3}$/.test(topic) && isSipStatusCode(Number(topic))) return { kind: 'code', info: lookupResponseCode(Number(topic)) };
  const rule = RULES_BY_ID.get(topic);
  return rule === undefined ? null : { kind: 'rule', rule };
}

function classTitle(info: ResponseCodeInfo): string {
  const cls = RESPONSE_CLASSES[info.class];
  return `${cls.range} ${cls.title}`;
}

function section(title: string, body: string): string[] {
  return [title, `  ${body}`, ''];
}

export function renderCodeText(info: ResponseCodeInfo): string {
  return [
    `SIP ${info.code} ${info.reason} — ${classTitle(info)}`,
    '',
    ...section('What it means', info.meaning),
    ...section("When you'll see it", info.whenSeen),
    ...section('How to fix it', info.fix),
    'Often confused with',
    ...info.confusedWith.map((c) => `  ${c.code} ${lookupResponseCode(c.code).reason}: ${c.difference}`),
    '',
    `Defined in ${info.rfc}`,
  ].join('\n');
}

/** Two codes side by side, in the shape of the seed page: each one, then the key differences and when each applies. */
export function renderComparisonText(a: number, b: number): string {
  const cmp = compareResponseCodes(a, b);
  const x = cmp.a;
  const y = cmp.b;
  return [
    `SIP ${x.code} ${x.reason} vs ${y.code} ${y.reason}`,
    '',
    `${x.code} is ${classTitle(x)}; ${y.code} is ${classTitle(y)}.`,
    '',
    ...[x, y].flatMap((i) => [`SIP ${i.code} ${i.reason}`, `  What it means: ${i.meaning}`, `  When you'll see it: ${i.whenSeen}`, '']),
    'Key differences',
    `  ${cmp.difference}`,
    '',
    'When each applies',
    `  ${x.code}: ${x.fix}`,
    `  ${y.code}: ${y.fix}`,
  ].join('\n');
}

export function renderRuleText(rule: AnyRule): string {
  const m = rule.meta;
  const options = Object.entries(m.options as Record<string, { default: unknown; description: string }>);
  return [
    `${m.id} — ${m.severity}`,
    '',
    `  ${m.description}`,
    '',
    ...section('Evidence', m.evidence),
    ...section('Why', m.explanation),
    ...section('Fix', m.fix),
    'Options',
    ...(options.length === 0 ? ['  none'] : options.map(([name, o]) => `  ${name} (default ${JSON.stringify(o.default)}): ${o.description}`)),
    '',
    'Messages',
    ...Object.entries(m.messages).map(([id, text]) => `  ${id}: ${text}`),
    '',
    `See ${m.rfc}`,
  ].join('\n');
}

export function renderRulesText(rules: readonly AnyRule[]): string {
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  return rules
    .map((r) => {
      const options = Object.entries(r.meta.options as Record<string, { default: unknown }>).map(([n, o]) => `${n}=${JSON.stringify(o.default)}`);
      return `${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(7)}  ${r.meta.description}${options.length ? `  [${options.join(', ')}]` : ''}`;
    })
    .join('\n');
}

export function ruleJson(rule: AnyRule): Record<string, unknown> {
  const { id, severity, description, evidence, explanation, fix, rfc, messages, options } = rule.meta;
  return { id, severity, description, evidence, explanation, fix, rfc, messages, options };
}
