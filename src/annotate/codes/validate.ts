import { classForFirstDigit } from './classes.js';

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
    const seen = new Set<number>();
    for (const item of confused as unknown[]) {
      const c = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      const other = c['code'];
      const difference = c['difference'];
      if (typeof other !== 'number') {
        problems.push(`${label}: confusedWith entry without a numeric code`);
        continue;
      }
      if (other === code) problems.push(`${label}: confusedWith lists the code itself`);
      if (seen.has(other)) problems.push(`${label}: confusedWith lists ${other} twice`);
      seen.add(other);
      if (!isRegistered(other)) problems.push(`${label}: confusedWith ${other} is not a registered code`);
      if (typeof difference !== 'string' || difference.trim() === '') {
        problems.push(`${label}: confusedWith ${other} has no difference text`);
      }
    }
  }
  return problems;
}
