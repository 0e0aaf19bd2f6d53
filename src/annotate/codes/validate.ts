import { classForFirstDigit } from './classes.js';
import type { ResponseCodeInfo } from './types.js';

/** Longest summary the timeline shows beside a message. */
export const MAX_SUMMARY_LENGTH = 90;

const TEXT_FIELDS = ['reason', 'summary', 'meaning', 'whenSeen', 'fix', 'rfc'] as const;

/**
 * Checks one knowledge-base entry and returns what is wrong with it (empty when it is sound).
 * Takes `unknown` so that broken entries (missing or mistyped fields) can be checked too.
 *
 * @param isRegistered tells whether a code is in the registry, for the confusedWith references.
 */
export function validateResponseCodeInfo(entry: unknown, isRegistered: (code: number) => boolean): string[] {
  if (typeof entry !== 'object' || entry === null) return ['entry is not an object'];
  const e = entry as Record<string, unknown>;
  const problems: string[] = [];
  const code = e['code'];
  const label = typeof code === 'number' ? String(code) : '(no code)';

  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 699) {
    problems.push(`${label}: code must be an integer from 100 to 699`);
  }

  for (const field of TEXT_FIELDS) {
    const value = e[field];
    if (value === undefined) problems.push(`${label}: ${field} is missing`);
    else if (typeof value !== 'string') problems.push(`${label}: ${field} is not a string`);
    else if (value.trim() === '') problems.push(`${label}: ${field} is empty`);
  }

  const summary = e['summary'];
  if (typeof summary === 'string' && summary.length > MAX_SUMMARY_LENGTH) {
    problems.push(`${label}: summary is ${summary.length} characters (max ${MAX_SUMMARY_LENGTH})`);
  }

  const rfc = e['rfc'];
  if (typeof rfc === 'string' && rfc.trim() !== '' && !/^RFC \d{4}\b/.test(rfc)) {
    problems.push(`${label}: rfc "${rfc}" does not start with "RFC NNNN"`);
  }

  const expectedClass = typeof code === 'number' ? classForFirstDigit(Math.floor(code / 100)) : undefined;
  if (e['class'] === undefined) problems.push(`${label}: class is missing`);
  else if (e['class'] !== expectedClass) {
    problems.push(`${label}: class "${String(e['class'])}" disagrees with the first digit (expected "${String(expectedClass)}")`);
  }

  const confused = e['confusedWith'];
  if (!Array.isArray(confused)) {
    problems.push(`${label}: confusedWith is missing or not an array`);
  } else {
    if (confused.length === 0) problems.push(`${label}: confusedWith is empty`);
    for (const { other, difference } of confusedEntries(confused, label, problems)) {
      if (other === code) problems.push(`${label}: confusedWith lists the code itself`);
      if (!isRegistered(other)) problems.push(`${label}: confusedWith ${other} is not a registered code`);
      if (difference === null) problems.push(`${label}: confusedWith ${other} has no difference text`);
    }
  }
  return problems;
}

/**
 * The entries of a confusedWith list that name a code, each once; an entry without a numeric
 * code or listed twice is a problem. `difference` is null when it has no text.
 */
function confusedEntries(confused: readonly unknown[], label: string, problems: string[]): { other: number; difference: string | null }[] {
  const entries: { other: number; difference: string | null }[] = [];
  const seen = new Set<number>();
  for (const item of confused) {
    const c = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const other = c['code'];
    const difference = c['difference'];
    if (typeof other !== 'number') {
      problems.push(`${label}: confusedWith entry without a numeric code`);
      continue;
    }
    if (seen.has(other)) problems.push(`${label}: confusedWith lists ${other} twice`);
    seen.add(other);
    entries.push({ other, difference: typeof difference === 'string' && difference.trim() !== '' ? difference : null });
  }
  return entries;
}

const TRANSLATED_FIELDS = ['gloss', 'summary', 'meaning', 'whenSeen', 'fix'] as const;

/** A citation with nothing to translate: "RFC 3261 §21.4.1", "RFC 6228". */
const PLAIN_CITATION = /^RFC \d{4}(?: §[\d.]+)?$/;

/**
 * Checks one translated entry against its English entry and returns what is wrong with it
 * (empty when it is sound): a missing or empty text, a summary over the limit, a citation left
 * in English, a confusedWith list that does not name exactly the English codes, or a text that
 * is a plain copy of the English one. Takes `unknown` so broken translations can be checked too.
 *
 * @param english the English entry (the source of truth for codes and confusedWith codes).
 */
export function validateTranslation(english: ResponseCodeInfo, translation: unknown): string[] {
  const label = String(english.code);
  if (typeof translation !== 'object' || translation === null) return [`${label}: no translation`];
  const t = translation as Record<string, unknown>;
  const problems: string[] = [];
  if (t['code'] !== english.code) problems.push(`${label}: translation is for code ${String(t['code'])}`);

  for (const field of TRANSLATED_FIELDS) {
    const value = t[field];
    if (value === undefined) problems.push(`${label}: ${field} is missing`);
    else if (typeof value !== 'string') problems.push(`${label}: ${field} is not a string`);
    else if (value.trim() === '') problems.push(`${label}: ${field} is empty`);
    else if (value.trim() === (field === 'gloss' ? english.reason : english[field]).trim()) {
      problems.push(`${label}: ${field} is a copy of the English text`);
    }
  }
  const summary = t['summary'];
  if (typeof summary === 'string' && summary.length > MAX_SUMMARY_LENGTH) {
    problems.push(`${label}: summary is ${summary.length} characters (max ${MAX_SUMMARY_LENGTH})`);
  }

  const rfc = t['rfc'];
  if (rfc !== undefined) {
    if (typeof rfc !== 'string' || rfc.trim() === '') problems.push(`${label}: rfc is empty`);
    else if (!/^RFC \d{4}\b/.test(rfc)) problems.push(`${label}: rfc "${rfc}" does not start with "RFC NNNN"`);
    else if (rfc === english.rfc) problems.push(`${label}: rfc is a copy of the English citation`);
  } else if (!PLAIN_CITATION.test(english.rfc)) {
    problems.push(`${label}: rfc is missing (the English citation "${english.rfc}" has words to translate)`);
  }

  const confused = t['confusedWith'];
  if (!Array.isArray(confused)) {
    problems.push(`${label}: confusedWith is missing or not an array`);
    return problems;
  }
  const expected = new Map(english.confusedWith.map((c) => [c.code, c.difference] as const));
  const seen = new Set<number>();
  for (const { other, difference } of confusedEntries(confused, label, problems)) {
    seen.add(other);
    if (!expected.has(other)) problems.push(`${label}: confusedWith ${other} is not in the English list`);
    if (difference === null) {
      problems.push(`${label}: confusedWith ${other} has no difference text`);
    } else if (difference.trim() === expected.get(other)?.trim()) {
      problems.push(`${label}: confusedWith ${other} is a copy of the English text`);
    }
  }
  for (const code of expected.keys()) {
    if (!seen.has(code)) problems.push(`${label}: confusedWith ${code} is missing (the English list has it)`);
  }
  return problems;
}
