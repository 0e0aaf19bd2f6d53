/**
 * The words of a finding, made when a report is shown and in its language: the rule's message,
 * explanation and fix templates (declared with the rule, ESLint-style, in English and its
 * translations) filled with the finding's data. The analysis produces findings as data only
 * (src/annotate/engine.ts); this is the one place their sentences are made.
 */
import { SIPLENS_BUG } from '../annotate/engine.js';
import { RULES_BY_ID, type AnyRule } from '../annotate/rules/index.js';
import type { DataValue, Finding, ReportData, RuleTexts } from '../annotate/rules/types.js';
import type { Lang } from '../annotate/i18n.js';
import { formatValue } from './values.js';
import { COMMON, INTERNAL_ERROR } from './catalog.js';
import type { MainProblem } from '../analysis/types.js';

/** A finding with its sentences in one language: what every renderer shows. */
export interface ShownFinding extends Finding {
  readonly message: string;
  readonly explanation: string;
  readonly fix: string;
  readonly rfc: string;
}

/** Replaces {name} with data[name] as `lang` writes it; unknown names stay as written. Linear, no regular expression. */
export function renderTemplate(template: string, data: ReportData, lang: Lang = 'en'): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = template.indexOf('}', open + 1);
    if (close < 0) break;
    const name = template.slice(open + 1, close);
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    out += template.slice(i, open) + (value === undefined ? template.slice(open, close + 1) : formatValue(value, lang));
    i = close + 1;
  }
  return out + template.slice(i);
}

/** A rule's texts in a language, falling back to English where no translation exists. */
export function ruleTexts(
  rule: AnyRule,
  lang: Lang = 'en',
): Omit<RuleTexts, 'options' | 'rfc' | 'values'> & { readonly rfc: string; readonly values: NonNullable<RuleTexts['values']> } {
  const cached = TEXTS_CACHE.get(rule)?.[lang];
  if (cached !== undefined) return cached;
  const m = rule.meta;
  const tr = lang === 'en' ? undefined : m.translations?.[lang];
  const texts = {
    description: tr?.description ?? m.description,
    evidence: tr?.evidence ?? m.evidence,
    explanation: tr?.explanation ?? m.explanation,
    explanations: { ...(m.explanations ?? {}), ...(tr?.explanations ?? {}) },
    fix: tr?.fix ?? m.fix,
    fixes: { ...(m.fixes ?? {}), ...(tr?.fixes ?? {}) },
    messages: { ...m.messages, ...(tr?.messages ?? {}) },
    rfc: tr?.rfc ?? m.rfc,
    values: tr?.values ?? {},
  };
  TEXTS_CACHE.set(rule, { ...TEXTS_CACHE.get(rule), [lang]: texts });
  return texts;
}

/** A rule's texts per language, merged once (every call asks for them). */
const TEXTS_CACHE = new WeakMap<AnyRule, Partial<Record<Lang, ReturnType<typeof ruleTexts>>>>();

/**
 * The data as a sentence in the language shows it: each value that `values` translates
 * (placeholder -> English value -> text) replaced, everything else as reported. The same object
 * when nothing changes, so English renders exactly the reported data.
 */
export function localizeData(data: ReportData, values: NonNullable<RuleTexts['values']>): ReportData {
  let out: Record<string, DataValue> | null = null;
  for (const [name, words] of Object.entries(values)) {
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    if (typeof value !== 'string' || !Object.hasOwn(words, value)) continue;
    out ??= { ...data };
    out[name] = words[value]!;
  }
  return out ?? data;
}

/** A finding with its sentences in `lang`. */
export function showFinding(finding: Finding, lang: Lang): ShownFinding {
  if (finding.messageId === SIPLENS_BUG) {
    const internal = INTERNAL_ERROR[lang];
    return withWords(finding, internal.message(finding.rule, formatValue(finding.data.error ?? 'undefined', lang)), internal.explanation, internal.fix, '-');
  }
  const rule = RULES_BY_ID.get(finding.rule);
  if (rule === undefined) return withWords(finding, finding.messageId, '', '', '-');
  const texts = ruleTexts(rule, lang);
  const shown = localizeData(finding.data, texts.values);
  return withWords(
    finding,
    renderTemplate(texts.messages[finding.messageId] ?? finding.messageId, shown, lang),
    renderTemplate(texts.explanations?.[finding.messageId] ?? texts.explanation, shown, lang),
    renderTemplate(texts.fixes?.[finding.messageId] ?? texts.fix, shown, lang),
    texts.rfc,
  );
}

/**
 * The finding's members, then its words. Listed, not spread: V8 (Node 20) gives an object spread
 * and then given members of its own (`{ ...finding, message, … }`) a hidden class of its own each
 * time, about 10 µs a finding against 10 ns for the literal (BENCHMARKS.md, session 13).
 */
function withWords(f: Finding, message: string, explanation: string, fix: string, rfc: string): ShownFinding {
  return { rule: f.rule, severity: f.severity, messageId: f.messageId, data: f.data, messages: f.messages, anchor: f.anchor, frames: f.frames, lines: f.lines, time: f.time, message, explanation, fix, rfc };
}

/**
 * The trace's main problems as lines, in `lang`: severity, rule and message id, the sentence of
 * the first finding of that kind, and how many findings and calls it has. Plain text (each
 * renderer escapes it for its format).
 */
export function mainProblemLines(problems: readonly MainProblem[], lang: Lang): string[] {
  const c = COMMON[lang];
  return problems.map((p) => `${c.severity[p.severity]} ${p.rule}/${p.messageId}: ${problemMessage(p, lang)} (${c.problemCounts(p.findings, p.calls, p.firstCall)})`);
}

/** The sentence of a main problem: its first finding's message, in `lang`. */
export function problemMessage(p: MainProblem, lang: Lang): string {
  const rule = RULES_BY_ID.get(p.rule);
  if (rule === undefined) return p.messageId;
  const texts = ruleTexts(rule, lang);
  return renderTemplate(texts.messages[p.messageId] ?? p.messageId, localizeData(p.data, texts.values), lang);
}
