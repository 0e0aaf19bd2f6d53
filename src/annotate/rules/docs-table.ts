/**
 * docs/rules.md, generated from the rules' own meta so it cannot drift from them:
 * test/annotate/rules/readme-table.test.ts compares the file with `rulesMarkdown(RULES)`.
 */
import type { Severity } from '../../types.js';
import type { Rule } from './types.js';

const SEVERITY_MEANING: readonly (readonly [Severity, string])[] = [
  ['error', 'signalling is broken or a call or registration failed for a reason that needs fixing (a request or answer lost, an ACK missing, a loop, a server failure, a malformed message).'],
  ['warning', 'refused or degraded: something a person should look at (a 403 or 404, retransmissions, a slow or odd registration, a redirect nobody followed).'],
  ['info', 'normal behaviour worth knowing (busy, declined, glare that resolved itself, Reason headers) and everything the capture ended too early to judge ("unresolved at end of capture").'],
];

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function messageSeverities(rule: Rule<any>): Readonly<Record<string, Severity>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return rule.meta.messageSeverity ?? {};
}

function severityCell(rule: Rule<any>): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const lowered = Object.entries(messageSeverities(rule));
  if (lowered.length === 0) return rule.meta.severity;
  return `${rule.meta.severity} (${lowered.map(([id, s]) => `${id}: ${s}`).join('; ')})`;
}

function optionsCell(rule: Rule<any>): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const options = Object.entries(rule.meta.options as Record<string, { default: unknown; description: string }>);
  if (options.length === 0) return '—';
  return options.map(([name, o]) => `\`${name}\` = ${JSON.stringify(o.default)}: ${o.description}`).join('<br>');
}

/** The whole of docs/rules.md. */
export function rulesMarkdown(rules: readonly Rule<any>[]): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const lines: string[] = [
    '# Rules',
    '',
    '<!-- Generated from the rules\' meta by rulesMarkdown() in src/annotate/rules/docs-table.ts. Do not edit:',
    '     test/annotate/rules/readme-table.test.ts fails when this file differs; regenerate with',
    '     npx vitest run test/annotate/rules/readme-table.test.ts -u -->',
    '',
    `siplens checks every call with ${rules.length} rules. Each finding names the messages that prove it, says why it happens and what to do. Severities (change them, or turn a rule off, with the \`rules\` setting of \`analyze()\`):`,
    '',
    ...SEVERITY_MEANING.map(([s, meaning]) => `- **${s}**: ${meaning}`),
    '',
    'Where a rule reports some of its messages below its own severity, the severity column lists them (message id: severity). A rule never reports a verdict the capture cannot prove: when the capture ends before a timer could expire it says "unresolved" instead, at a lower severity. Timers follow RFC 3261 with T1 = 500 ms unless the call shows another T1 (its first retransmission gap).',
    '',
    '| id | default severity | description | descripción (es) | options (default) |',
    '|---|---|---|---|---|',
    ...rules.map((r) => `| \`${r.meta.id}\` | ${cell(severityCell(r))} | ${cell(r.meta.description)} | ${cell(r.meta.translations?.es?.description ?? '—')} | ${cell(optionsCell(r))} |`),
    '',
    '## Details',
    '',
  ];
  for (const r of rules) {
    const levels = messageSeverities(r);
    lines.push(
      `### ${r.meta.id}`,
      '',
      r.meta.description,
      '',
      `- Evidence: ${r.meta.evidence}`,
      `- Reference: ${r.meta.rfc}`,
      `- Messages: ${Object.keys(r.meta.messages).map((id) => `\`${id}\` (${levels[id] ?? r.meta.severity})`).join(', ')}`,
      '',
    );
  }
  return lines.join('\n');
}
