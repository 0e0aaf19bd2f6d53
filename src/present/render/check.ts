/** `siplens check`: each policy check with what it required and what was measured, then the verdict. Pure. */
import type { CheckResult } from '../policy.js';
import { jsonText } from './escape.js';
import { JSON_SCHEMA_ID } from './messages.js';
import { sanitizeForTerminal } from './sanitize.js';
import type { Lang } from '../../annotate/i18n.js';
import { CHECK } from '../catalog.js';

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', red: '\u001b[31m', green: '\u001b[32m' };

/** The checks as text; `lang` sets the renderer's own words (English unless given). */
export function renderCheckText(checks: readonly CheckResult[], options: { color: boolean; source: string; lang?: Lang }): string {
  const w = CHECK[options.lang ?? 'en'];
  const paint = (color: string, text: string): string => (options.color ? `${color}${text}${ANSI.reset}` : text);
  const lines = [sanitizeForTerminal(w.policy(options.source))];
  for (const c of checks) {
    const mark = c.passed ? paint(ANSI.green, w.pass) : paint(ANSI.red, w.fail);
    lines.push(`  ${mark}  ${sanitizeForTerminal(`${c.id}: ${c.expected} — ${c.actual}`)}`);
    const shown = c.details.slice(0, 50);
    for (const d of shown) lines.push(sanitizeForTerminal(`          ${d}`));
    const more = c.details.length - shown.length + (c.detailsOmitted ?? 0);
    if (more > 0) lines.push(`          ${w.andMore(more)}`);
  }
  const failed = checks.filter((c) => !c.passed);
  lines.push(
    '',
    failed.length === 0
      ? paint(ANSI.bold, w.passed(checks.length))
      : paint(ANSI.bold, sanitizeForTerminal(w.failed(failed.length, checks.length, failed.map((c) => c.id).join(', ')))),
  );
  return lines.join('\n') + '\n';
}

export function renderCheckJson(checks: readonly CheckResult[], source: string): string {
  return jsonText({ schema: JSON_SCHEMA_ID, kind: 'check', policy: source, passed: checks.every((c) => c.passed), checks }, 2) + '\n';
}
