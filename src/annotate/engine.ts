/** Runs the rules over each call and renders their reports into findings. */
import type { Call } from '../parse/dialog/types.js';
import { lessSevere } from '../severity.js';
import type { Severity, Timestamp } from '../types.js';
import { RULES, type AnyRule } from './rules/index.js';
import type { Finding, OptionValue, Report, ReportData, RuleTexts } from './rules/types.js';
import type { Lang } from './i18n.js';

export interface RuleSetting {
  /** A severity, or "off" to disable the rule. */
  readonly severity?: Severity | 'off';
  readonly options?: Readonly<Record<string, OptionValue>>;
}

export type RulesConfig = Readonly<Record<string, RuleSetting>>;

/** Replaces {name} with data[name]; unknown names stay as written. Linear, no regular expression. */
export function renderTemplate(template: string, data: ReportData): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = template.indexOf('}', open + 1);
    if (close < 0) break;
    const name = template.slice(open + 1, close);
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    out += template.slice(i, open) + (value === undefined ? template.slice(open, close + 1) : String(value));
    i = close + 1;
  }
  return out + template.slice(i);
}

/** A rule's options: its defaults with the configured values over them. Computed once per rule and configuration. */
function optionsFor(rule: AnyRule, setting: RuleSetting | undefined): Record<string, OptionValue> {
  const cache = OPTIONS_CACHE.get(rule);
  const key = setting ?? NO_SETTING;
  const hit = cache?.get(key);
  if (hit !== undefined) return hit;
  const options: Record<string, OptionValue> = {};
  for (const [name, meta] of Object.entries(rule.meta.options as Record<string, { default: OptionValue }>)) options[name] = meta.default;
  const merged = Object.freeze({ ...options, ...(setting?.options ?? {}) });
  if (cache === undefined) OPTIONS_CACHE.set(rule, new WeakMap([[key, merged]]));
  else cache.set(key, merged);
  return merged;
}

const NO_SETTING: RuleSetting = {};
const OPTIONS_CACHE = new WeakMap<AnyRule, WeakMap<RuleSetting, Record<string, OptionValue>>>();


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
  let out: Record<string, string | number> | null = null;
  for (const [name, words] of Object.entries(values)) {
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    if (typeof value !== 'string' || !Object.hasOwn(words, value)) continue;
    out ??= { ...data };
    out[name] = words[value]!;
  }
  return out ?? data;
}

/** The finding shown when a rule throws, in each language. */
const INTERNAL_ERROR: Readonly<Record<Lang, { message(rule: string, error: string): string; explanation: string; fix: string }>> = {
  en: {
    message: (rule, error) => `siplens bug: rule ${rule} failed on this call (${error}); please report it with the capture.`,
    explanation: 'The rule threw an exception; its result for this call is unknown.',
    fix: 'Report the problem to the siplens maintainers with the capture or the frames of this call.',
  },
  es: {
    message: (rule, error) => `error de siplens: la regla ${rule} falló con esta llamada (${error}); infórmalo adjuntando la captura.`,
    explanation: 'La regla lanzó una excepción; se desconoce su resultado para esta llamada.',
    fix: 'Informa del problema a los mantenedores de siplens con la captura o con las tramas de esta llamada.',
  },
};

/**
 * A siplens bug met while analysing a call (a rule, or the step named `step`, threw): shown
 * as an error finding on the call, so the call and the rest of the analysis go on.
 */
export function internalErrorFinding(call: Call, step: string, err: unknown, lang: Lang): Finding {
  const error = String((err as Error)?.message ?? err);
  const internal = INTERNAL_ERROR[lang] ?? INTERNAL_ERROR.en;
  const first = call.messages[0]?.captured;
  return {
    rule: step,
    severity: 'error',
    messageId: 'internal-error',
    data: { error },
    message: internal.message(step, error),
    explanation: internal.explanation,
    fix: internal.fix,
    rfc: '-',
    messages: [0],
    anchor: 0,
    frames: first?.frame == null ? [] : [first.frame],
    lines: first?.line == null ? [] : [first.line],
    time: call.start,
  };
}

/** Findings for one call, in the order of the messages they are shown beside. */
export function checkCall(call: Call, captureEnd: Timestamp, config: RulesConfig = {}, rules: readonly AnyRule[] = RULES, lang: Lang = 'en'): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = config[rule.meta.id];
    if (setting?.severity === 'off') continue;
    const configured: Severity = setting?.severity ?? rule.meta.severity;
    const texts = ruleTexts(rule, lang);
    const report = (r: Report): void => {
      const evidence = r.messages.length > 0 ? r.messages : [0];
      const anchor = r.anchor ?? evidence[evidence.length - 1]!;
      // A report that lowers its own severity (incomplete evidence) stays lower than the configured level.
      const severity = r.severity === undefined ? configured : lessSevere(r.severity, configured);
      const template = texts.messages[r.messageId] ?? r.messageId;
      const shown = localizeData(r.data, texts.values);
      findings.push({
        rule: rule.meta.id,
        severity,
        messageId: r.messageId,
        data: r.data,
        message: renderTemplate(template, shown),
        explanation: renderTemplate(texts.explanation, shown),
        fix: renderTemplate(texts.fixes?.[r.messageId] ?? texts.fix, shown),
        rfc: texts.rfc,
        messages: evidence,
        anchor,
        frames: evidence.flatMap((i) => call.messages[i]!.captured.frame ?? []),
        lines: evidence.flatMap((i) => call.messages[i]!.captured.line ?? []),
        time: call.messages[anchor]!.captured.time,
      });
    };
    try {
      rule.check(call, { options: optionsFor(rule, setting), captureEnd, report });
    } catch (err) {
      // A rule that throws is a siplens bug: the call keeps its other findings and the failure is shown, never swallowed.
      findings.push(internalErrorFinding(call, rule.meta.id, err, lang));
    }
  }
  return findings.sort((a, b) => a.anchor - b.anchor);
}
