/**
 * The analysis as Markdown (GitHub Flavored) for tickets and pull-request comments: the
 * inputs and summary, a table of calls, then per call a Mermaid sequence diagram, the
 * message table and the findings with why and fix. Trace values are code spans (mdCode),
 * so nothing from the trace is parsed as Markdown, HTML or an autolink; siplens's own
 * sentences go through mdText. Pure.
 */
import type { Finding } from '../../annotate/rules/types.js';
import { formatDuration, messageRef } from '../values.js';
import type { Timeline, TimelineCall, TimelineMessage } from '../timeline.js';
import { mdCode, mdText } from './escape.js';
import { formatEndpoint, formatTimestampText } from './format.js';
import { describeInput, diagnosticLine } from './messages.js';
import { mermaidCall, type MermaidOptions } from './mermaid.js';
import { splitProse } from './prose.js';
import type { Statistics } from '../stats.js';
import { statisticsMarkdown } from './stats.js';

export interface MarkdownOptions extends MermaidOptions {
  /** Draw a Mermaid diagram per call (default true). */
  readonly mermaid?: boolean;
  /** Statistics to append (the CLI computes them from the same timeline). */
  readonly statistics?: Statistics;
}

const SEVERITY_MARK = { error: '✖ error', warning: '⚠ warning', info: 'ℹ info' } as const;

/** Addresses, URIs, anything with syntax in it: data shown as code. Words and numbers stay prose (escaped all the same). */
function technical(value: string): boolean {
  return /[^A-Za-z0-9 ._-]/.test(value) || /\d\.\d+\./.test(value);
}

/** A finding sentence: siplens's words escaped, the trace values in it as code spans. */
export function findingMarkdown(text: string, finding: Finding): string {
  return splitProse(text, finding)
    .map((p) => (p.value && technical(p.text) ? mdCode(p.text) : mdText(p.text)))
    .join('');
}

function startLine(m: TimelineMessage): string {
  if (m.method !== null) return `${m.method} ${m.requestUri ?? ''}`.trimEnd();
  return `${m.status ?? '?'} ${m.reason ?? ''}`.trimEnd() + (m.cseq && m.cseq.method !== 'INVITE' ? ` (${m.cseq.method})` : '');
}

function cell(text: string | null): string {
  return text === null || text === '' ? '—' : mdCode(text, { table: true });
}

/** A trace value in a paragraph: as in a cell, but `|` needs no escape outside a table (in a code span the backslash would show). */
function inline(text: string | null): string {
  return text === null || text === '' ? '—' : mdCode(text);
}

function callMarkdown(call: TimelineCall, options: MarkdownOptions): string[] {
  const lines: string[] = [];
  lines.push(`## Call ${call.number} — ${mdText(call.outcomeText)}`, '');
  const parties = call.from || call.to ? ` · ${inline(call.from)} → ${inline(call.to)}` : '';
  lines.push(
    `${inline(call.callId)} · ${mdText(call.type)}${parties} · ${call.messages.length} message${call.messages.length === 1 ? '' : 's'} · ${formatDuration(call.durationMs)} · started ${formatTimestampText(call.start)} UTC`,
    '',
  );
  if (options.mermaid !== false) lines.push('```mermaid', mermaidCall(call, options).trimEnd(), '```', '');
  lines.push('| frame | time | from → to | message | meaning |', '|---|--:|---|---|---|');
  for (const m of call.messages) {
    const marks = m.findings.map((f) => ` ${SEVERITY_MARK[call.findings[f]!.severity].split(' ')[0]}`).join('');
    lines.push(
      `| ${mdText(messageRef(m))} | +${(m.offsetMs / 1000).toFixed(3)} s | ${cell(formatEndpoint(m.src))} → ${cell(formatEndpoint(m.dst))} | ${cell(startLine(m))}${marks} | ${mdText(m.note)} |`,
    );
  }
  if (call.findings.length > 0) {
    lines.push('', '### Findings', '');
    for (const f of call.findings) {
      const evidence = f.messages.map((n) => messageRef(call.messages[n]!)).join(', ');
      lines.push(`- **${SEVERITY_MARK[f.severity]}** ${mdCode(f.rule)} — ${mdText(f.frames.length > 0 ? 'frames' : 'messages')} ${mdText(evidence)}  `);
      lines.push(`  ${findingMarkdown(f.message, f)}  `);
      lines.push(`  **Why:** ${findingMarkdown(f.explanation, f)}  `);
      lines.push(`  **Fix:** ${findingMarkdown(f.fix, f)}  `);
      lines.push(`  **See:** ${mdText(f.rfc)}`);
    }
  }
  lines.push('');
  return lines;
}

export function renderMarkdown(timeline: Timeline, options: MarkdownOptions = {}): string {
  const s = timeline.summary;
  const lines: string[] = ['# siplens report', ''];
  for (const input of timeline.inputs) lines.push(`- ${mdText(describeInput(input))}`);
  if (timeline.inputs.length > 0) lines.push('');
  const outcomes = Object.entries(s.outcomes)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  lines.push(
    `**Summary:** ${s.calls} call${s.calls === 1 ? '' : 's'}${outcomes ? ` — ${mdText(outcomes)}` : ''} · ${s.messages} messages (${s.retransmissions} retransmitted) · findings: ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info · diagnostics: ${s.diagnostics.error + s.diagnostics.warning + s.diagnostics.info}`,
    '',
  );
  if (timeline.calls.length > 0) {
    lines.push('| call | outcome | from | to | start (UTC) | duration | findings | Call-ID |', '|--:|---|---|---|---|--:|--:|---|');
    for (const c of timeline.calls) {
      lines.push(
        `| ${c.number} | ${mdText(c.outcomeText)} | ${cell(c.from)} | ${cell(c.to)} | ${formatTimestampText(c.start)} | ${formatDuration(c.durationMs)} | ${c.findings.length} | ${cell(c.callId)} |`,
      );
    }
    lines.push('');
  }
  for (const c of timeline.calls) lines.push(...callMarkdown(c, options));
  const diagnostics = timeline.inputs.flatMap((i) => i.diagnostics);
  if (diagnostics.length > 0) {
    lines.push('## Diagnostics', '');
    for (const d of diagnostics) lines.push(`- ${mdText(diagnosticLine(d).trim())}`);
    lines.push('');
  }
  if (options.statistics) lines.push(...statisticsMarkdown(options.statistics));
  return lines.join('\n').trimEnd() + '\n';
}
