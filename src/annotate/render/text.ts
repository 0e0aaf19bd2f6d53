/** The annotated timeline as text for a terminal or a file. Pure: timeline in, string out. */
import type { Severity } from '../../types.js';
import type { Timeline, TimelineCall, TimelineMessage } from '../timeline.js';
import { formatDuration } from '../rules/stuck-on-100-trying.js';
import { describeInput, diagnosticLine } from './messages.js';
import { formatEndpoint, formatTimestampText, messageRef } from './format.js';
import { sanitizeForTerminal } from './sanitize.js';

export interface TextOptions {
  /** ANSI colours (the CLI enables them on a TTY unless NO_COLOR is set). */
  readonly color: boolean;
}

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m' };
const SEVERITY_MARK: Record<Severity, string> = { error: '✖ error', warning: '⚠ warning', info: 'ℹ info' };
const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan };

/** Trace text is escaped before any colour is added, so only our own escape sequences reach the terminal. */
function paint(options: TextOptions, color: string, text: string): string {
  const safe = sanitizeForTerminal(text);
  return options.color ? `${color}${safe}${ANSI.reset}` : safe;
}

const plain = sanitizeForTerminal;

function offset(ms: number): string {
  return `+${(ms / 1000).toFixed(3)} s`;
}

function label(m: TimelineMessage): string {
  if (m.method !== null) return `${m.method} ${m.requestUri ?? ''}`.trimEnd();
  const cseqMethod = m.cseq && m.cseq.method !== 'INVITE' ? ` (${m.cseq.method})` : '';
  return `${m.status ?? '?'} ${m.reason ?? ''}`.trimEnd() + cseqMethod;
}

function renderCall(call: TimelineCall, options: TextOptions): string[] {
  const lines: string[] = [];
  const parties = call.from || call.to ? `  ${call.from ?? '?'} → ${call.to ?? '?'}` : '';
  lines.push(paint(options, ANSI.bold, `Call ${call.number}  ${call.callId || '(no Call-ID)'}  ${call.type}${parties}`));
  const count = `${call.messages.length} message${call.messages.length === 1 ? '' : 's'}`;
  const f = call.figures;
  const figures = [
    f.postDialDelayMs === null ? '' : `post-dial delay ${formatDuration(f.postDialDelayMs)}`,
    f.setupMs === null ? '' : `setup ${formatDuration(f.setupMs)}`,
    f.talkMs === null ? '' : `talk ${formatDuration(f.talkMs)}`,
    f.hungUpBy === null ? '' : `${f.hungUpBy} hung up`,
  ].filter(Boolean);
  lines.push(plain(`        outcome: ${call.outcomeText} · ${count} · ${formatDuration(call.durationMs)} · started ${formatTimestampText(call.start)}`));
  if (figures.length > 0) lines.push(plain(`        ${figures.join(' · ')}`));
  const rows = call.messages.map((m) => [
    messageRef(m),
    offset(m.offsetMs),
    `${formatEndpoint(m.src)} → ${formatEndpoint(m.dst)}`,
    m.transport,
    label(m),
  ]);
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => [...r[col]!].length)));
  call.messages.forEach((m, i) => {
    const cells = rows[i]!.map((cell, col) => (col === 1 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)));
    lines.push(`  ${plain(cells.join('  '))}  ${paint(options, ANSI.dim, m.note)}`);
    for (const f of m.findings) {
      const finding = call.findings[f]!;
      const evidence = finding.messages.map((n) => messageRef(call.messages[n]!)).join(', ');
      const kind = finding.frames.length > 0 ? 'frames' : 'lines';
      lines.push(`  ${paint(options, SEVERITY_COLOR[finding.severity], SEVERITY_MARK[finding.severity])}  ${plain(`${finding.rule}  ${kind} ${evidence}`)}`);
      lines.push(plain(`     ${finding.message}`));
      lines.push(plain(`     Why: ${finding.explanation}`));
      lines.push(plain(`     Fix: ${finding.fix}`));
      lines.push(plain(`     See: ${finding.rfc}`));
    }
  });
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderText(timeline: Timeline, options: TextOptions): string {
  const lines: string[] = [];
  for (const input of timeline.inputs) lines.push(plain(describeInput(input)));
  for (const call of timeline.calls) lines.push('', ...renderCall(call, options));
  const s = timeline.summary;
  const outcomes = Object.entries(s.outcomes)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  const diagnostics = s.diagnostics.error + s.diagnostics.warning + s.diagnostics.info;
  const allDiagnostics = timeline.inputs.flatMap((i) => i.diagnostics);
  if (allDiagnostics.length > 0) {
    lines.push('', 'Diagnostics:');
    for (const d of allDiagnostics) lines.push(plain(diagnosticLine(d)));
  }
  lines.push(
    '',
    plain(`Summary: ${plural(s.calls, 'call')}${outcomes ? ` — ${outcomes}` : ''} · ${plural(s.messages, 'message')} (${s.retransmissions} retransmitted) · findings: ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info · diagnostics: ${diagnostics === 0 ? 'none' : `${s.diagnostics.error} error, ${s.diagnostics.warning} warning, ${s.diagnostics.info} info`}`),
  );
  return lines.join('\n') + '\n';
}
