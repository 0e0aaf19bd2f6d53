/**
 * The ladder (sequence) diagram for a terminal: one column per participant (address:port,
 * or its alias), one arrow per message with the time since the call started and the frame,
 * retransmissions marked, findings named beside the arrow they are anchored to. Fits the
 * given width; when the participants do not fit, it falls back to a lettered list
 * ("A ──▶ B") so nothing is cut. Pure: timeline in, string out.
 */
import type { Severity } from '../../types.js';
import type { Timeline, TimelineCall, TimelineMessage } from '../timeline.js';
import { formatDuration, messageRef } from '../values.js';
import { legCauseLine, legsLine, typeText } from '../legs.js';
import { formatEndpoint, formatTimestampText } from './format.js';
import { describeInput, diagnosticLine } from './messages.js';
import { sanitizeForTerminal } from './sanitize.js';
import type { Lang } from '../../annotate/i18n.js';
import type { Outcome } from '../../annotate/outcome.js';
import { COMMON, MEDIA_REPORT } from '../catalog.js';
import { linesText, renderWhole, type CallsHeld } from './report-stream.js';
import { ladderRows, mediaColumns, offsetText, streamFigures, streamEndLabel, streamOffsets, streamStartLabel } from './media-ladder.js';

export interface LadderOptions {
  /** Columns available (the CLI passes the terminal width, or 120 when not a terminal). */
  readonly width: number;
  readonly color: boolean;
  /** Names for participants, by "ip:port" or by "ip" (an alias file). */
  readonly aliases?: ReadonlyMap<string, string>;
  /** Language of the ladder's own words (English unless given; renderLadder uses the timeline's). */
  readonly lang?: Lang;
}

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m' };
const SEVERITY_MARK: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };
const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan };
const MIN_COLUMN = 14;
const MAX_COLUMN = 36;

/** Terminal cells of a code point: 0 for combining marks, 2 for East Asian wide and emoji, else 1. */
function cellsOf(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200d) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += cellsOf(ch.codePointAt(0)!);
  return n;
}

/** Cuts terminal-safe text to at most `max` cells, ending with "…" when cut. */
export function fitWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = cellsOf(ch.codePointAt(0)!);
    if (used + w > max - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

/** What an arrow says: the method, or the status and reason (with the CSeq method when it is not INVITE). */
export function arrowLabel(m: TimelineMessage, lang: Lang = 'en'): string {
  const base =
    m.method !== null
      ? m.method
      : `${m.status ?? '?'} ${m.reason ?? ''}`.trimEnd() + (m.cseq && m.cseq.method !== 'INVITE' ? ` (${m.cseq.method})` : '');
  return m.retransmission ? COMMON[lang].retransmission(base) : m.duplicateOf !== null ? COMMON[lang].duplicate(base) : base;
}

export interface Participant {
  readonly key: string;
  readonly name: string;
}

/** Participants in order of first appearance; named by alias ("ip:port", then "ip") or address. */
export function participantsOf(call: TimelineCall, aliases?: ReadonlyMap<string, string>): Participant[] {
  const seen = new Map<string, Participant>();
  for (const m of call.messages) {
    for (const e of [m.src, m.dst]) {
      const key = formatEndpoint(e);
      if (seen.has(key)) continue;
      const alias = aliases?.get(key) ?? aliases?.get(e.ip);
      seen.set(key, { key, name: alias === undefined ? key : `${alias} (${key})` });
    }
  }
  return [...seen.values()];
}

type Paint = (color: string, text: string) => string;

/** What a ladder row shows: its gutter (time, frame), where it runs, its label, and how it is drawn. */
interface Row {
  readonly time: string;
  readonly ref: string;
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly style: 'message' | 'start' | 'figures' | 'end';
  /** The message, for a SIP row. */
  readonly message: TimelineMessage | null;
  /** A figures row's figures: as many as fit are shown. */
  readonly parts?: readonly string[];
}

const LINE: Record<Row['style'], string> = { message: '─', start: '═', figures: ' ', end: '┄' };

/** The rows of one call's ladder: its messages, and its streams' start, figures and end where they happened. */
function rowsOf(call: TimelineCall, ends: readonly { from: number; to: number }[], index: ReadonlyMap<string, number>, lang: Lang | undefined): Row[] {
  const rows: Row[] = [];
  const l = lang ?? 'en';
  for (const r of ladderRows(call)) {
    if (r.kind === 'message') {
      const m = call.messages[r.index]!;
      const from = index.get(formatEndpoint(m.src))!;
      const to = index.get(formatEndpoint(m.dst))!;
      rows.push({ time: offsetText(m.offsetMs), ref: sanitizeForTerminal(messageRef(m)), from, to, label: sanitizeForTerminal(arrowLabel(m, lang)), style: 'message', message: m });
      continue;
    }
    const s = call.media!.streams[r.stream]!;
    const { from, to } = ends[r.stream]!;
    if (r.kind === 'start') {
      rows.push({ time: offsetText(r.offsetMs), ref: `#${s.firstFrame}`, from, to, label: sanitizeForTerminal(streamStartLabel(s, l)), style: 'start', message: null });
      const figures = streamFigures(s, l).map(sanitizeForTerminal);
      if (figures.length > 0) rows.push({ time: '', ref: '', from, to, label: figures.join(' '), style: 'figures', message: null, parts: figures });
    } else {
      rows.push({ time: offsetText(r.offsetMs), ref: `#${s.lastFrame}`, from, to, label: sanitizeForTerminal(streamEndLabel(s, l)), style: 'end', message: null });
    }
  }
  return rows;
}

/** The diagram rows for one call, or null when the participants do not fit the width. */
function diagram(call: TimelineCall, parts: readonly Participant[], ends: readonly { from: number; to: number }[], options: LadderOptions, paint: Paint): string[] | null {
  const index = new Map(parts.map((p, i) => [p.key, i]));
  const rowList = rowsOf(call, ends, index, options.lang);
  const times = rowList.map((r) => r.time);
  const refs = rowList.map((r) => r.ref);
  const timeW = maxLength(times);
  const refW = maxLength(refs);
  const gutter = 2 + timeW + 2 + refW + 2;
  const names = parts.map((p) => sanitizeForTerminal(p.name));
  const labels = rowList.map((r) => r.label);
  const notes = rowList.map((r) => (r.message === null ? '' : r.message.findings.map((f) => `${SEVERITY_MARK[call.findings[f]!.severity]} ${call.findings[f]!.rule}`).join(' ')));
  const notesW = Math.min(28, Math.max(0, ...notes.map((n) => displayWidth(n) + 2)));
  const span = Math.max(1, parts.length - 1);
  // Wide enough for the longest label between neighbours and the longest name, within the width:
  // a message's label is cut only when the terminal has no room for it (a name is cut at MAX_COLUMN).
  // (A stream's figures are laid out in the room there is, so they ask for MAX_COLUMN at most.)
  const messageLabels = rowList.filter((r) => r.message !== null).map((r) => r.label);
  const wanted = Math.max(
    Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, ...labels.map((l) => displayWidth(l) + 9), ...names.map((n) => Math.min(displayWidth(n), MAX_COLUMN) + 2))),
    ...messageLabels.map((l) => displayWidth(l) + 9),
  );
  const halfName = (n: string): number => Math.ceil(Math.min(displayWidth(n), MAX_COLUMN) / 2);
  const lead = halfName(names[0]!);
  const tail = Math.max(halfName(names[names.length - 1]!), notesW);
  const fit = parts.length === 1 ? wanted : Math.floor((options.width - gutter - lead - tail - 1) / span);
  const column = Math.min(wanted, fit);
  if (column < MIN_COLUMN) return null;
  const x = parts.map((_, i) => gutter + lead + i * column);
  const total = x[x.length - 1]! + 1;
  const rows: string[] = [];

  // Header: names centred on their lifelines, alternating over two lines when neighbours would touch.
  const width = Math.max(total + tail, options.width);
  const twoLines = parts.length > 1 && names.some((n) => displayWidth(n) > column - 1);
  const headers = [Array<string>(width).fill(' '), Array<string>(width).fill(' ')];
  names.forEach((name, i) => {
    const line = twoLines ? i % 2 : 0;
    const room = parts.length === 1 ? options.width - gutter : (twoLines ? 2 * column : column) - 1;
    const text = fitWidth(name, Math.min(room, MAX_COLUMN * 2));
    const w = displayWidth(text);
    placeText(headers[line]!, Math.max(0, Math.min(x[i]! - Math.floor(w / 2), width - w)), text);
  });
  for (const h of twoLines ? headers : headers.slice(0, 1)) rows.push(paint(ANSI.bold, h.join('').trimEnd()));
  const blank = (): string[] => {
    const line = Array<string>(total).fill(' ');
    for (const xi of x) line[xi] = '│';
    return line;
  };
  rows.push(blank().join('').trimEnd());

  rowList.forEach((r, i) => {
    const line = blank();
    const a = r.from;
    const b = r.to;
    let label = labels[i]!;
    if (a === b) {
      // A message to itself (or a stream between two ports of one host): a loop mark beside the lifeline.
      label = fitWidth(label, column - 4);
      line[x[a]! + 1] = r.style === 'figures' ? ' ' : r.style === 'message' ? '↺' : '↻';
      line[x[a]! + 2] = ' ';
      placeText(line, x[a]! + 3, label);
    } else {
      const left = Math.min(x[a]!, x[b]!);
      const right = Math.max(x[a]!, x[b]!);
      const fill = LINE[r.style];
      for (let c = left + 1; c < right; c++) line[c] = fill;
      if (r.style !== 'figures') {
        const head = r.style === 'end' ? ['▷', '◁'] : ['▶', '◀'];
        if (a < b) line[right - 1] = head[0]!;
        else line[left + 1] = head[1]!;
      }
      if (r.parts) {
        // The figures under a stream's arrow: as many as fit between the lifelines.
        const room = right - left - 4;
        let shown = '';
        for (const part of r.parts) {
          const next = shown ? `${shown} ${part}` : part;
          if (displayWidth(next) > room && shown) break;
          shown = next;
        }
        placeText(line, left + 3, fitWidth(shown, Math.max(1, room)));
      } else {
        const room = right - left - 1 - 7;
        label = fitWidth(label, Math.max(1, room));
        placeText(line, left + 5, ` ${label} `);
      }
    }
    const arrow = line.join('');
    const note = notes[i] ? `  ${fitWidth(notes[i]!, Math.max(0, options.width - total - 2))}` : '';
    const gutterText = `  ${times[i]!.padStart(timeW)}  ${refs[i]!.padEnd(refW)}  `;
    const body = arrow.slice(gutter);
    const m = r.message;
    const painted = m === null ? paint(ANSI.cyan, body) : m.retransmission || m.duplicateOf !== null ? paint(ANSI.dim, body) : body;
    const severity = m !== null && m.findings.length > 0 ? call.findings[m.findings[0]!]!.severity : null;
    rows.push(`${paint(ANSI.dim, gutterText)}${painted}${note && severity ? paint(SEVERITY_COLOR[severity], note) : note}`.trimEnd());
  });
  rows.push(blank().join('').trimEnd());
  return rows;
}

/** Writes text into a line of cells (a wide character takes two cells). */
function placeText(line: string[], at: number, text: string): void {
  let col = at;
  for (const ch of text) {
    if (col >= line.length) return;
    line[col] = ch;
    const w = cellsOf(ch.codePointAt(0)!);
    for (let k = 1; k < w && col + k < line.length; k++) line[col + k] = '';
    col += w;
  }
}

/** The fallback when the columns do not fit: participants lettered, one row per message and per stream. */
function list(call: TimelineCall, parts: readonly Participant[], ends: readonly { from: number; to: number }[], options: LadderOptions, paint: Paint): string[] {
  const lang = options.lang ?? 'en';
  const letter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `P${i + 1}`);
  const index = new Map(parts.map((p, i) => [p.key, i]));
  const rows = parts.map((p, i) => `  ${letter(i)} = ${fitWidth(sanitizeForTerminal(p.name), options.width - 6)}`);
  rows.push('');
  const order = ladderRows(call).filter((r) => r.kind !== 'end');
  const times = order.map((r) => offsetText(r.offsetMs));
  const refs = order.map((r) => (r.kind === 'message' ? sanitizeForTerminal(messageRef(call.messages[r.index]!)) : `#${call.media!.streams[r.stream]!.firstFrame}`));
  const timeW = maxLength(times);
  const refW = maxLength(refs);
  const letterW = maxLength(parts.map((_, i) => letter(i)));
  order.forEach((r, i) => {
    if (r.kind !== 'message') {
      const s = call.media!.streams[r.stream]!;
      const { from, to } = ends[r.stream]!;
      const head = `  ${times[i]!.padStart(timeW)}  ${refs[i]!.padEnd(refW)}  ${letter(from).padEnd(letterW)} ══▶ ${letter(to).padEnd(letterW)}  `;
      const words = [streamStartLabel(s, lang), ...streamFigures(s, lang), MEDIA_REPORT[lang].until(offsetText(streamOffsets(call, s).last))].filter(Boolean).join(' ');
      rows.push(`${paint(ANSI.dim, head)}${paint(ANSI.cyan, fitWidth(sanitizeForTerminal(words), Math.max(8, options.width - displayWidth(head))))}`.trimEnd());
      return;
    }
    const m = call.messages[r.index]!;
    const from = letter(index.get(formatEndpoint(m.src))!).padEnd(letterW);
    const to = letter(index.get(formatEndpoint(m.dst))!).padEnd(letterW);
    const notes = m.findings.map((f) => `${SEVERITY_MARK[call.findings[f]!.severity]} ${call.findings[f]!.rule}`).join(' ');
    const head = `  ${times[i]!.padStart(timeW)}  ${refs[i]!.padEnd(refW)}  ${from} ──▶ ${to}  `;
    const label = fitWidth(sanitizeForTerminal(arrowLabel(m, options.lang)), Math.max(8, options.width - displayWidth(head) - (notes ? displayWidth(notes) + 2 : 0)));
    const text = `${label}${notes ? `  ${notes}` : ''}`;
    rows.push(`${paint(ANSI.dim, head)}${m.retransmission || m.duplicateOf !== null ? paint(ANSI.dim, text) : text}`.trimEnd());
  });
  return rows;
}

function renderCallLadder(call: TimelineCall, options: LadderOptions, paint: Paint): string[] {
  const lang = options.lang ?? 'en';
  const w = COMMON[lang];
  const lines: string[] = [];
  const parties = call.from || call.to ? `  ${call.from ?? '?'} → ${call.to ?? '?'}` : '';
  lines.push(paint(ANSI.bold, sanitizeForTerminal(`${w.call} ${call.number}  ${call.callId || w.noCallId}  ${typeText(call, lang)}${parties}`)));
  for (const line of [legsLine(call, lang), legCauseLine(call, lang)]) if (line !== null) lines.push(sanitizeForTerminal(`        ${line}`));
  lines.push(sanitizeForTerminal(`        ${w.outcome}: ${call.outcomeText} · ${formatDuration(call.durationMs)} · ${w.started} ${formatTimestampText(call.start)}`));
  lines.push('');
  const { columns: parts, ends } = mediaColumns(call, participantsOf(call, options.aliases), options.aliases, options.lang ?? 'en');
  lines.push(...(diagram(call, parts, ends, options, paint) ?? list(call, parts, ends, options, paint)));
  for (const finding of call.findings) {
    const evidence = finding.messages.map((n) => messageRef(call.messages[n]!)).join(', ');
    lines.push(`  ${paint(SEVERITY_COLOR[finding.severity], `${SEVERITY_MARK[finding.severity]} ${w.severity[finding.severity]}`)}  ${sanitizeForTerminal(`${finding.rule}  ${evidence}`)}`);
    lines.push(sanitizeForTerminal(`     ${finding.message}`));
    lines.push(sanitizeForTerminal(`     ${w.fix}: ${finding.fix}`));
  }
  return lines;
}

/** Ladders of one call, for `--ladder` beside the text timeline. */
export function renderCallLadderText(call: TimelineCall, options: LadderOptions): string {
  return renderCallLadder(call, options, painter(options)).join('\n') + '\n';
}

function painter(options: LadderOptions): Paint {
  return (color, text) => (options.color && text !== '' ? `${color}${text}${ANSI.reset}` : text);
}

/**
 * The ladders, call by call: the inputs open the report and are known at the end, so the
 * ladders are held aside (section 0) and follow them; then the diagnostics and the summary.
 */
export function ladderReport(options: LadderOptions & { readonly lang: Lang }): CallsHeld {
  const paint = painter(options);
  return {
    kind: 'held',
    sections: 1,
    call: (call) => ['\n' + linesText(renderCallLadder(call, options, paint))],
    end: (end) => {
      const lang = end.lang;
      const w = COMMON[lang];
      const head = end.inputs.map((input) => sanitizeForTerminal(describeInput(input, lang)));
      const tail: string[] = [];
      const diagnostics = end.inputs.flatMap((i) => i.diagnostics);
      if (diagnostics.length > 0) {
        tail.push('', `${w.diagnostics}:`);
        for (const d of diagnostics) tail.push(sanitizeForTerminal(diagnosticLine(d, lang)));
      }
      const s = end.summary;
      const outcomes = Object.entries(s.outcomes)
        .map(([outcome, n]) => w.outcomeCount[outcome as Outcome](n))
        .join(', ');
      tail.push('', `${w.summary}: ${w.callCount(s.calls)}${outcomes ? ` — ${outcomes}` : ''} · ${w.findings}: ${w.severityCounts(s.findings.error, s.findings.warning, s.findings.info)}`);
      return [linesText(head), 0, linesText(tail)];
    },
  };
}

export function renderLadder(timeline: Timeline, options: LadderOptions): string {
  return renderWhole(ladderReport({ ...options, lang: timeline.lang }), timeline, { statistics: null });
}

/** The longest string's length, without spreading an array into arguments (a call of 200,000 messages would overflow the stack). */
function maxLength(items: readonly string[]): number {
  let max = 0;
  for (const item of items) if (item.length > max) max = item.length;
  return max;
}
