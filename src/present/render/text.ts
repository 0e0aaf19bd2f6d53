/** The annotated timeline as text for a terminal or a file. Pure: timeline in, string out. */
import { mediaLines } from '../media.js';
import type { Severity } from '../../types.js';
import { countedMessages, type Timeline, type TimelineCall, type TimelineMessage } from '../timeline.js';
import { formatDuration, messageRef } from '../values.js';
import { legCauseLine, legsLine, typeText } from '../legs.js';
import { describeInput, diagnosticLine } from './messages.js';
import { mainProblemLines } from '../findings.js';
import { formatEndpoint, formatTimestampText } from './format.js';
import { sanitizeForTerminal } from './sanitize.js';
import { leadingSpaces, wrapLine } from './wrap.js';
import type { Lang } from '../../annotate/i18n.js';
import type { Outcome } from '../../annotate/outcome.js';
import { COMMON, TEXT } from '../catalog.js';

export interface TextOptions {
  /** ANSI colours (the CLI enables them on a TTY unless NO_COLOR is set). */
  readonly color: boolean;
  /** A terminal's columns: longer lines are broken between words with a hanging indent. Unset: one line per item, whatever its length (for grep). */
  readonly width?: number;
}

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m' };
const SEVERITY_SYMBOL: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };
const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan };

/** Trace text is escaped before any colour is added, so only our own escape sequences reach the terminal. */
function paint(options: TextOptions, color: string, text: string): string {
  const safe = sanitizeForTerminal(text);
  return options.color ? `${color}${safe}${ANSI.reset}` : safe;
}

const plain = sanitizeForTerminal;

function offset(ms: number): string {
  // A second capture of the first message may be stamped a little before it (a HEP agent's clock).
  return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(3)} s`;
}

function label(m: TimelineMessage): string {
  if (m.method !== null) return `${m.method} ${m.requestUri ?? ''}`.trimEnd();
  const cseqMethod = m.cseq && m.cseq.method !== 'INVITE' ? ` (${m.cseq.method})` : '';
  return `${m.status ?? '?'} ${m.reason ?? ''}`.trimEnd() + cseqMethod;
}

/** The words of one language: the common ones and the timeline's own. */
type TextWords = (typeof COMMON)[Lang] & (typeof TEXT)[Lang];

function wordsFor(lang: Lang): TextWords {
  return { ...COMMON[lang], ...TEXT[lang] };
}

/** "legs: call 1 (inbound) → call 2 (outbound, X-Call-ID)", and why a failed inbound leg failed. */
function legLines(call: TimelineCall, lang: Lang): string[] {
  return [legsLine(call, lang), legCauseLine(call, lang)].flatMap((line) => (line === null ? [] : [`        ${line}`]));
}

function renderCall(call: TimelineCall, options: TextOptions, w: TextWords, lang: Lang): string[] {
  const lines: string[] = [];
  const parties = call.from || call.to ? `  ${call.from ?? '?'} → ${call.to ?? '?'}` : '';
  lines.push(paint(options, ANSI.bold, `${w.call} ${call.number}  ${call.callId || w.noCallId}  ${typeText(call, lang)}${parties}`));
  for (const line of legLines(call, lang)) lines.push(plain(line));
  const count = w.message(countedMessages(call));
  const f = call.figures;
  const figures = [
    f.postDialDelayMs === null ? '' : `${w.postDialDelay} ${formatDuration(f.postDialDelayMs)}`,
    f.setupMs === null ? '' : `${w.setup} ${formatDuration(f.setupMs)}`,
    f.talkMs === null ? '' : `${w.talk} ${formatDuration(f.talkMs)}`,
    f.hungUpBy === null ? '' : w.hungUp[f.hungUpBy],
  ].filter(Boolean);
  lines.push(plain(`        ${w.outcome}: ${call.outcomeText} · ${count} · ${formatDuration(call.durationMs)} · ${w.started} ${formatTimestampText(call.start)}`));
  if (figures.length > 0) lines.push(plain(`        ${figures.join(' · ')}`));
  for (const line of mediaLines(call.media, call.figures.talkMs !== null, lang)) lines.push(plain(line));
  const rows = call.messages.map((m) => [
    messageRef(m),
    offset(m.offsetMs),
    `${formatEndpoint(m.src)} → ${formatEndpoint(m.dst)}`,
    m.transport,
    label(m),
  ]);
  // A loop, not Math.max(...): a call of a few hundred thousand messages would overflow the argument stack.
  const widths = rows[0]!.map((_, col) => rows.reduce((max, r) => Math.max(max, [...r[col]!].length), 0));
  // A message's note wraps under itself, beside its message's columns; on a narrow terminal,
  // under the time, so the words still get most of the line.
  const noteColumn = 2 + widths.reduce((sum, w) => sum + w + 2, 0);
  const messageHang = options.width === undefined || noteColumn <= options.width - 40 ? noteColumn : 2 + widths[0]! + 2;
  const hang = new Map<number, number>();
  call.messages.forEach((m, i) => {
    const cells = rows[i]!.map((cell, col) => (col === 1 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)));
    hang.set(lines.length, messageHang);
    lines.push(`  ${plain(cells.join('  '))}  ${paint(options, ANSI.dim, m.note)}`);
    for (const f of m.findings) {
      const finding = call.findings[f]!;
      // Frames beyond the messages' are media packets (a stream's first and last, the packet after its longest gap).
      const messageFrames = new Set(finding.messages.map((n) => call.messages[n]!.frame));
      const packets = finding.frames.filter((f) => !messageFrames.has(f));
      const evidence = finding.messages.map((n) => messageRef(call.messages[n]!)).join(', ') + (packets.length > 0 ? ` · RTP ${packets.map((f) => `#${f}`).join(', ')}` : '');
      const kind = finding.frames.length > 0 ? w.frames : w.lines;
      lines.push(`  ${paint(options, SEVERITY_COLOR[finding.severity], `${SEVERITY_SYMBOL[finding.severity]} ${w.severity[finding.severity]}`)}  ${plain(`${finding.rule}  ${kind} ${evidence}`)}`);
      lines.push(plain(`     ${finding.message}`));
      lines.push(plain(`     ${w.why}: ${finding.explanation}`));
      lines.push(plain(`     ${w.fix}: ${finding.fix}`));
      lines.push(plain(`     ${w.see}: ${finding.rfc}`));
    }
  });
  const width = options.width;
  return width === undefined ? lines : lines.flatMap((line, i) => wrapLine(line, width, hang.get(i) ?? leadingSpaces(line) + 4));
}

/** One call's block, ending with an empty line: what the streaming CLI prints as each call is handed over. */
export function renderTextCall(call: TimelineCall, options: TextOptions, lang: Timeline['lang']): string {
  return renderCall(call, options, wordsFor(lang), lang).join('\n') + '\n\n';
}

/** What follows the calls: the inputs as read, their diagnostics and the summary (known only at the end). */
export function renderTextEnd(timeline: Omit<Timeline, 'calls'>): string {
  const lang = timeline.lang;
  const w = wordsFor(lang);
  const lines: string[] = [];
  for (const input of timeline.inputs) lines.push(plain(describeInput(input, lang)));
  const s = timeline.summary;
  const outcomes = Object.entries(s.outcomes)
    .map(([outcome, n]) => w.outcomeCount[outcome as Outcome](n))
    .join(', ');
  const diagnostics = s.diagnostics.error + s.diagnostics.warning + s.diagnostics.info;
  const allDiagnostics = timeline.inputs.flatMap((i) => i.diagnostics);
  if (allDiagnostics.length > 0) {
    lines.push('', `${w.diagnostics}:`);
    for (const d of allDiagnostics) lines.push(plain(diagnosticLine(d, lang)));
  }
  lines.push(
    '',
    plain(
      `${w.summary}: ${w.callCount(s.calls)}${outcomes ? ` — ${outcomes}` : ''} · ${w.message(s.messages)} (${s.retransmissions} ${w.retransmitted}${s.duplicates > 0 ? `; ${w.duplicates(s.duplicates)}` : ''}) · ${w.findings}: ${w.severityCounts(s.findings.error, s.findings.warning, s.findings.info)} · ${w.diagnostics.toLowerCase()}: ${diagnostics === 0 ? w.none : w.severityCounts(s.diagnostics.error, s.diagnostics.warning, s.diagnostics.info)}`,
    ),
  );
  const problems = mainProblemLines(s.mainProblems, lang);
  if (problems.length > 0) lines.push(`${w.mainProblems}:`, ...problems.map((p) => plain(`  ${p}`)));
  return lines.join('\n') + '\n';
}

/** The whole timeline: every call, then the inputs, diagnostics and summary (the order the streaming CLI prints in). */
export function renderText(timeline: Timeline, options: TextOptions): string {
  return timeline.calls.map((call) => renderTextCall(call, options, timeline.lang)).join('') + renderTextEnd(timeline);
}
