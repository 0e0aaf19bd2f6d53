/**
 * The one order of severities, from most to least severe, and the comparisons every layer
 * makes with it (the engine lowering a report, --fail-on, policies, JUnit failures).
 */
import type { Severity } from './types.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

const RANK: Readonly<Record<Severity, number>> = { error: 2, warning: 1, info: 0 };

/** True when `severity` is `threshold` or more severe; nothing reaches 'never'. */
export function atLeast(severity: Severity, threshold: Severity | 'never'): boolean {
  return threshold !== 'never' && RANK[severity] >= RANK[threshold];
}

/** The less severe of two severities. */
export function lessSevere(a: Severity, b: Severity): Severity {
  return RANK[a] <= RANK[b] ? a : b;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}
