/**
 * `siplens explain` and `siplens rules`: the knowledge base and the rule docs as text or
 * data, in English or Spanish. Pure functions; the CLI prints them.
 */
import { compareResponseCodes, isSipStatusCode, lookupResponseCode, responseClasses } from '../../annotate/codes/index.js';
import { wrapLine } from './wrap.js';
import type { ResponseCodeInfo } from '../../annotate/codes/types.js';
import { ruleTexts } from '../findings.js';
import type { Lang } from '../../annotate/i18n.js';
import { DIAGNOSTICS, type DiagnosticCode, type DiagnosticInfo } from '../../diagnostics.js';
import { RULES_BY_ID, type AnyRule } from '../../annotate/rules/index.js';
import { COMMON, EXPLAIN } from '../catalog.js';

export type ExplainTopic =
  | { kind: 'code'; info: ResponseCodeInfo }
  | { kind: 'rule'; rule: AnyRule }
  | { kind: 'diagnostic'; code: DiagnosticCode; info: DiagnosticInfo };


/** Reads "410", "stuck-on-100-trying", "capture.truncated-record"; null when the topic is none of a status code, a rule id, a diagnostic code. */
export function explainTopic(topic: string, lang: Lang = 'en'): ExplainTopic | null {
  if (/^\d{3}$/.test(topic) && isSipStatusCode(Number(topic))) return { kind: 'code', info: lookupResponseCode(Number(topic), lang) };
  const rule = RULES_BY_ID.get(topic);
  if (rule !== undefined) return { kind: 'rule', rule };
  if (Object.hasOwn(DIAGNOSTICS, topic)) return { kind: 'diagnostic', code: topic as DiagnosticCode, info: DIAGNOSTICS[topic as DiagnosticCode] };
  return null;
}

/** A diagnostic code explained: its layer, its severity and what it means (the description is src/diagnostics.ts's, in English). */
export function renderDiagnosticText(code: DiagnosticCode, info: DiagnosticInfo, lang: Lang = 'en'): string {
  const w = EXPLAIN[lang];
  return [w.diagnostic(code, w.layer[info.layer], COMMON[lang].severity[info.severity]), `  ${info.description}`].join('\n');
}

/** docs/diagnostics.md: every diagnostic code, by layer (generated; a test keeps it in step with src/diagnostics.ts). */
export function diagnosticsMarkdown(): string {
  const lines = [
    '# Diagnostics',
    '',
    '<!-- Generated from src/diagnostics.ts by diagnosticsMarkdown() in src/present/render/explain.ts. Do not edit:',
    '     `npx vitest run test/cli-explain.test.ts -u` writes it again. -->',
    '',
    'Everything siplens notices about an input that is not a finding about a call: a packet it cannot',
    'decode, a stream that lost bytes, a table that reached its bound. A diagnostic never stops the',
    'analysis; it carries where it happened (file, frame, byte offset or line) and, when it repeats,',
    'how often. `siplens explain CODE` prints one of them.',
    '',
    '| code | layer | severity | meaning |',
    '|---|---|---|---|',
  ];
  for (const [code, info] of Object.entries(DIAGNOSTICS) as [DiagnosticCode, DiagnosticInfo][]) {
    lines.push(`| \`${code}\` | ${info.layer} | ${info.severity} | ${info.description.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}

function classTitle(info: ResponseCodeInfo, lang: Lang): string {
  const cls = responseClasses(lang)[info.class];
  return `${cls.range} ${cls.title}`;
}

function section(title: string, body: string): string[] {
  return [title, `  ${body}`, ''];
}

function heading(info: ResponseCodeInfo): string {
  return `SIP ${info.code} ${info.reason}${info.gloss ? ` (${info.gloss})` : ''}`;
}

export function renderCodeText(info: ResponseCodeInfo, lang: Lang = 'en'): string {
  const l = EXPLAIN[lang];
  return [
    `${heading(info)} — ${classTitle(info, lang)}`,
    '',
    ...section(l.meaning, info.meaning),
    ...section(l.whenSeen, info.whenSeen),
    ...section(l.fix, info.fix),
    l.confused,
    ...info.confusedWith.map((c) => `  ${c.code} ${lookupResponseCode(c.code).reason}: ${c.difference}`),
    '',
    `${l.defined} ${info.rfc}`,
  ].join('\n');
}

/** Two codes side by side, in the shape of the seed page: each one, then the key differences and when each applies. */
export function renderComparisonText(a: number, b: number, lang: Lang = 'en'): string {
  const l = EXPLAIN[lang];
  const cmp = compareResponseCodes(a, b, lang);
  const x = cmp.a;
  const y = cmp.b;
  return [
    `SIP ${x.code} ${x.reason} vs ${y.code} ${y.reason}`,
    '',
    `${l.is(x.code, classTitle(x, lang))}; ${l.is(y.code, classTitle(y, lang))}.`,
    '',
    ...[x, y].flatMap((i) => [heading(i), `  ${l.meaning}: ${i.meaning}`, `  ${l.whenSeen}: ${i.whenSeen}`, '']),
    l.differences,
    `  ${cmp.difference}`,
    '',
    l.whenEach,
    `  ${x.code}: ${x.fix}`,
    `  ${y.code}: ${y.fix}`,
  ].join('\n');
}

function optionDescriptions(rule: AnyRule, lang: Lang): [string, { default: unknown; description: string }][] {
  const translated = lang === 'en' ? undefined : rule.meta.translations?.[lang]?.options;
  return Object.entries(rule.meta.options as Record<string, { default: unknown; description: string }>).map(([name, o]) => [name, { default: o.default, description: translated?.[name] ?? o.description }]);
}

export function renderRuleText(rule: AnyRule, lang: Lang = 'en'): string {
  const l = EXPLAIN[lang];
  const t = ruleTexts(rule, lang);
  const options = optionDescriptions(rule, lang);
  return [
    `${rule.meta.id} — ${COMMON[lang].severity[rule.meta.severity]}`,
    '',
    `  ${t.description}`,
    '',
    ...section(l.evidence, t.evidence),
    ...section(l.why, t.explanation),
    ...section(l.ruleFix, t.fix),
    l.options,
    ...(options.length === 0 ? [`  ${l.none}`] : options.map(([name, o]) => `  ${name} (${l.byDefault} ${JSON.stringify(o.default)}): ${o.description}`)),
    '',
    l.messages,
    // A message id with a why or a fix of its own (the finding shows those) has them beneath it.
    ...Object.entries(t.messages).flatMap(([id, text]) => [
      `  ${id}: ${text}`,
      ...(t.explanations?.[id] === undefined ? [] : [`    ${l.why}: ${t.explanations[id]}`]),
      ...(t.fixes?.[id] === undefined ? [] : [`    ${l.ruleFix}: ${t.fixes[id]}`]),
    ]),
    '',
    `${l.see} ${t.rfc}`,
  ].join('\n');
}

/** One line per rule; with `width`, a description too long wraps under itself, so ids and severities stay a column. */
export function renderRulesText(rules: readonly AnyRule[], lang: Lang = 'en', width = Infinity): string {
  const idWidth = Math.max(...rules.map((r) => r.meta.id.length));
  const severity = COMMON[lang].severity;
  const severityWidth = Math.max(...Object.values(severity).map((name) => name.length));
  return rules
    .map((r) => {
      const options = Object.entries(r.meta.options as Record<string, { default: unknown }>).map(([n, o]) => `${n}=${JSON.stringify(o.default)}`);
      return `${r.meta.id.padEnd(idWidth)}  ${severity[r.meta.severity].padEnd(severityWidth)}  ${ruleTexts(r, lang).description}${options.length ? `  [${options.join(', ')}]` : ''}`;
    })
    .flatMap((line) => wrapLine(line, width, idWidth + severityWidth + 4))
    .join('\n');
}

export function ruleJson(rule: AnyRule, lang: Lang = 'en'): Record<string, unknown> {
  const t = ruleTexts(rule, lang);
  const options = Object.fromEntries(optionDescriptions(rule, lang));
  return { id: rule.meta.id, severity: rule.meta.severity, description: t.description, evidence: t.evidence, explanation: t.explanation, explanations: t.explanations, fix: t.fix, fixes: t.fixes, rfc: t.rfc, messages: t.messages, options };
}
