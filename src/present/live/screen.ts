/**
 * The live view's screens as lines of a terminal of `width` × `height` cells: the call list,
 * one call (its ladder with the findings beside their messages, and a panel with the raw
 * message or the findings' why and fix), and the help. Pure: state in, lines out (each exactly
 * `width` cells, SGR colours only); src/cli/live.ts writes them and reads the keys. Trace text is
 * stripped of control sequences before it is shown.
 */
import type { Lang } from '../../annotate/i18n.js';
import { sdpOfMessage } from '../../parse/sip/parse.js';
import type { CapturedMessage, Severity } from '../../types.js';
import { LIVE } from '../catalog.js';
import { showFinding } from '../findings.js';
import { formatTimestampIso } from '../render/format.js';
import { arrowLabel, displayWidth, fitWidth, participantsOf } from '../render/ladder.js';
import { sanitizeForTerminal } from '../render/sanitize.js';
import type { TimelineCall } from '../timeline.js';
import { formatEndpoint, messageRef } from '../values.js';
import type { DiffLine } from './diff.js';
import { explainSdp } from './sdp.js';
import type { LiveRow, SortKey } from './store.js';
import { mediaSoFarText, progressText } from './words.js';

const SGR = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', inverse: '\u001b[7m', red: '\u001b[31m', green: '\u001b[32m', yellow: '\u001b[33m', cyan: '\u001b[36m' };
const MARK: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };
const MARK_COLOR: Record<Severity, string> = { error: SGR.red, warning: SGR.yellow, info: SGR.cyan };
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** `text` cut or padded to exactly `width` cells. */
function cell(text: string, width: number): string {
  const fitted = fitWidth(text, width);
  return fitted + ' '.repeat(Math.max(0, width - displayWidth(fitted)));
}

/** Trace text, safe for the terminal and on one line. */
function safe(text: string | null): string {
  return sanitizeForTerminal(text ?? '');
}

function paint(color: string, text: string): string {
  return `${color}${text}${SGR.reset}`;
}

/** The most severe of some findings, or null. */
function worst(findings: readonly { readonly severity: Severity }[]): Severity | null {
  let top: Severity | null = null;
  for (const f of findings) if (top === null || RANK[f.severity] > RANK[top]) top = f.severity;
  return top;
}

/** Words wrapped to `width` cells (a word longer than a line is cut). */
function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (displayWidth(indent + next) <= width || line === '') line = next;
    else {
      lines.push(indent + line);
      line = word;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.map((l) => fitWidth(l, width));
}

export interface ListView {
  readonly rows: readonly LiveRow[];
  readonly selected: number;
  /** The first row on screen. */
  readonly top: number;
  /** What is read: the interface, "-" or the file. */
  readonly source: string;
  readonly total: number;
  readonly open: number;
  readonly dropped: number;
  readonly state: 'live' | 'paused' | 'reading' | 'readToEnd';
  readonly sort: SortKey;
  readonly descending: boolean;
  /** The filter applied ('' for none). */
  readonly filter: string;
  /** Calls marked (Space), by number. */
  readonly marked: ReadonlySet<number>;
  /** How far the capture read lags the wall clock, in whole seconds, when it lags (a slow consumer); null otherwise. */
  readonly behindSeconds: number | null;
  /** Sentences that stay on screen above the keys (the capture process's drops, its end). */
  readonly alerts: readonly string[];
  /** What is being typed on the bottom line: the filter, or a file name (null when nothing is). */
  readonly prompt: Prompt | null;
  /** A line in place of the keys for a moment (what a key did, or why it could not). */
  readonly notice: string | null;
}

/** A line being typed: its label ("/" for the filter) and the text so far. */
export interface Prompt {
  readonly label: string;
  readonly text: string;
}

/** Rows of the list a screen of `height` shows (a header, the column titles, the alerts and the keys line around them). */
export function listRows(height: number, alerts = 0): number {
  return Math.max(1, height - 3 - alerts);
}

interface Columns {
  readonly number: number;
  readonly time: number;
  readonly from: number;
  readonly to: number;
  readonly state: number;
  readonly findings: number;
  readonly media: number;
}

/** Column widths: parties share what the fixed columns leave with the state; media only on a wide terminal. */
function columnsFor(width: number): Columns {
  const number = 6;
  const time = 8;
  const findings = 5;
  const media = width >= 110 ? 22 : 0;
  const gaps = media > 0 ? 6 : 5;
  const rest = Math.max(12, width - number - time - findings - media - gaps);
  // At 80 columns the state gets 33 cells: "INVITE 12 s ago, only 100 Trying" whole.
  const party = Math.max(6, Math.min(28, Math.floor((rest - 33) / 2)));
  return { number, time, from: party, to: party, state: Math.max(4, rest - 2 * party), findings, media };
}

function joinColumns(c: Columns, values: { number: string; time: string; from: string; to: string; state: string; findings: string; media: string }): string {
  const parts = [cell(values.number, c.number), cell(values.time, c.time), cell(values.from, c.from), cell(values.to, c.to), cell(values.state, c.state), values.findings];
  if (c.media > 0) parts.push(cell(values.media, c.media));
  return parts.join(' ');
}

/** "✖3" in the findings column: the most severe finding's mark and how many there are. */
function findingsCell(row: LiveRow, width: number, color: boolean): string {
  const top = worst(row.findings);
  if (top === null) return ' '.repeat(width);
  const text = cell(`${MARK[top]}${row.findings.length}`, width);
  return color ? paint(MARK_COLOR[top], text) : text;
}

function timeOfDay(row: LiveRow): string {
  return formatTimestampIso(row.call.start).slice(11, 19);
}

export function renderList(v: ListView, width: number, height: number, lang: Lang): string[] {
  const w = LIVE[lang];
  const c = columnsFor(width);
  // What changes first; the source, which the user gave, last (cut first on a narrow terminal).
  const status = [
    w.calls(v.total, v.open),
    ...(v.dropped > 0 ? [w.dropped(v.dropped)] : []),
    w[v.state],
    ...(v.behindSeconds === null ? [] : [w.behind(v.behindSeconds)]),
    ...(v.marked.size > 0 ? [w.marked(v.marked.size)] : []),
    ...(v.filter === '' ? [] : [w.filtered(safe(v.filter))]),
    w.sortBy(w.sortNames[v.sort], v.descending ? '↓' : '↑'),
    `${w.title} ${safe(v.source)}`,
  ];
  const lines = [paint(SGR.bold, cell(status.join('  '), width))];
  const titles = joinColumns(c, { number: w.columns.number, time: w.columns.time, from: w.columns.from, to: w.columns.to, state: w.columns.state, findings: cell(w.columns.findings, c.findings), media: w.columns.media });
  lines.push(paint(SGR.dim, cell(titles, width)));
  const alerts = v.alerts.slice(0, Math.max(0, height - 4));
  const shown = listRows(height, alerts.length);
  for (let i = 0; i < shown; i++) {
    const row = v.rows[v.top + i];
    if (row === undefined) {
      lines.push(cell(i === 0 && v.rows.length === 0 ? (v.filter === '' ? w.noCalls : w.noMatch) : '', width));
      continue;
    }
    const selected = v.top + i === v.selected;
    const text = joinColumns(c, {
      number: `${v.marked.has(row.number) ? '*' : ''}${row.number}`,
      time: timeOfDay(row),
      from: safe(row.from),
      to: safe(row.to),
      state: progressText(row.progress, lang),
      findings: findingsCell(row, c.findings, !selected),
      media: mediaSoFarText(row.media, lang),
    });
    // Exactly `width` cells by construction (its colour codes take none).
    lines.push(selected ? paint(SGR.inverse, text) : text);
  }
  for (const alert of alerts) lines.push(paint(SGR.yellow, cell(`⚠ ${alert}`, width)));
  lines.push(footerLine(v.prompt, v.notice ?? w.listKeys, width));
  return lines;
}

/** The bottom line: what is being typed, with the cursor, or a notice, or the keys. */
function footerLine(prompt: Prompt | null, text: string, width: number): string {
  if (prompt === null) return paint(SGR.dim, cell(text, width));
  // The end of what is typed stays in sight: a long file name is cut at its start.
  const typed = safe(prompt.text);
  const room = Math.max(1, width - displayWidth(prompt.label) - 1);
  const chars = [...typed];
  let shown = typed;
  while (displayWidth(shown) > room && chars.length > 0) {
    chars.shift();
    shown = `…${chars.join('')}`;
  }
  return cell(`${prompt.label}${shown}█`, width);
}

export interface CallView {
  readonly row: LiveRow;
  /** The call as the reports show it (src/present/timeline.ts). */
  readonly timeline: TimelineCall;
  /** The selected message (index into the call's messages). */
  readonly message: number;
  readonly panel: 'raw' | 'findings' | 'compare';
  /** Lines scrolled in the panel. */
  readonly scroll: number;
  /** Where the call is in the list: 1-based, and how many there are. */
  readonly position: number;
  readonly count: number;
  /** Whether the call is marked (Space). */
  readonly marked: boolean;
  /** The message of this call marked for comparison (m), as an index into its messages; null when none here. */
  readonly markedMessage: number | null;
  /** Two messages compared (the compare panel). */
  readonly compare: Comparison | null;
  readonly prompt: Prompt | null;
  readonly notice: string | null;
}

/** Two messages compared: what each is ("#12 INVITE"), and their lines diffed (src/present/live/diff.ts). */
export interface Comparison {
  readonly first: string;
  readonly second: string;
  readonly lines: readonly DiffLine[];
}

/** Rows of the ladder (participants line included) and of the panel, between the title, the panel's title and the keys. */
function callLayout(height: number): { ladder: number; panel: number } {
  const body = Math.max(3, height - 3);
  const ladder = Math.max(2, Math.floor(body / 2));
  return { ladder, panel: Math.max(1, body - ladder) };
}

/** The arrows of the ladder, one line per message, over `width` cells shared by the participants' columns. */
function ladderLine(call: TimelineCall, index: number, columnOf: ReadonlyMap<string, number>, width: number, lang: Lang): string {
  const m = call.messages[index]!;
  const chars = Array.from({ length: width }, () => ' ');
  for (const x of columnOf.values()) if (x < width) chars[x] = '│';
  const a = columnOf.get(formatEndpoint(m.src)) ?? 0;
  const b = columnOf.get(formatEndpoint(m.dst)) ?? 0;
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  for (let x = lo + 1; x < hi && x < width; x++) chars[x] = '─';
  if (b < width) chars[b] = a === b ? '↺' : a < b ? '▶' : '◀';
  const label = safe(arrowLabel(m, lang));
  const room = Math.max(0, hi - lo - 3);
  const start = room > 0 ? lo + 2 : Math.min(hi + 2, width - 1);
  const text = [...fitWidth(label, room > 0 ? room : Math.max(0, width - start))];
  text.forEach((ch, i) => {
    if (start + i < width) chars[start + i] = ch;
  });
  return chars.join('');
}

/**
 * The captured message behind a row of the timeline: its rows are the call's messages in order,
 * each followed by its second captures (src/present/timeline.ts), which repeat its bytes.
 */
export function capturedOf(row: LiveRow, call: TimelineCall, index: number): CapturedMessage | null {
  const shown = call.messages[index];
  if (shown === undefined) return null;
  const target = shown.duplicateOf ?? index;
  let k = 0;
  for (let i = 0; i < target; i++) if (call.messages[i]!.duplicateOf === null) k++;
  return row.call.messages[k]?.captured ?? null;
}

/** The raw message, one line per line of it, header names in bold; then its SDP explained, when it has SDP. */
function rawLines(v: CallView, lang: Lang): string[] {
  const raw = v.timeline.messages[v.message]?.raw ?? '';
  const lines = raw
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .map((line, i) => {
      const text = safe(line);
      if (i === 0) return paint(SGR.bold, text);
      const colon = text.indexOf(':');
      return colon > 0 && !text.startsWith(' ') ? `${paint(SGR.bold, text.slice(0, colon))}${text.slice(colon)}` : text;
    });
  const captured = capturedOf(v.row, v.timeline, v.message);
  const sdp = captured === null ? null : sdpOfMessage(captured.message);
  if (sdp === null) return lines;
  return [...lines, '', paint(SGR.bold, `── ${LIVE[lang].sdpTitle}`), ...explainSdp(sdp, lang).map(safe)];
}

/** Two messages compared, as `diff -u` shows them: - for a line only in the first, + only in the second. */
function compareLines(c: Comparison, lang: Lang): string[] {
  const w = LIVE[lang];
  const removed = c.lines.filter((l) => l.kind === 'removed').length;
  const added = c.lines.filter((l) => l.kind === 'added').length;
  const head = [paint(SGR.red, `--- ${safe(c.first)}`), paint(SGR.green, `+++ ${safe(c.second)}`), removed + added === 0 ? w.identical : w.differences(removed, added)];
  return [
    ...head,
    ...c.lines.map((l) => {
      const text = safe(l.text);
      return l.kind === 'same' ? ` ${text}` : l.kind === 'removed' ? paint(SGR.red, `-${text}`) : paint(SGR.green, `+${text}`);
    }),
  ];
}

/** Each finding with its sentence, why and fix, wrapped; those beside the selected message first. */
function findingLines(v: CallView, width: number, lang: Lang): string[] {
  const w = LIVE[lang];
  const findings = v.row.findings.map((f) => showFinding(f, lang));
  if (findings.length === 0) return [w.noFindings];
  const here = findings.filter((f) => f.anchor === v.message);
  const ordered = [...here, ...findings.filter((f) => f.anchor !== v.message)];
  return ordered.flatMap((f) => [
    ...wrap(`${MARK[f.severity]} ${f.rule}: ${f.message}`, width).map((l) => paint(MARK_COLOR[f.severity], l)),
    ...wrap(`${w.why}${f.explanation}`, width, '  '),
    ...wrap(`${w.fix}${f.fix}`, width, '  '),
    '',
  ]);
}

export function renderCall(v: CallView, width: number, height: number, lang: Lang): string[] {
  const w = LIVE[lang];
  const call = v.timeline;
  const state = progressText(v.row.progress, lang) + (v.row.open ? ` (${w.openNow})` : '');
  const title = `${v.marked ? '*' : ''}${w.callTitle(v.row.number, v.position, v.count)}  ${safe(v.row.from)} → ${safe(v.row.to)}  ${state}`;
  const lines = [paint(SGR.bold, cell(title, width))];
  const layout = callLayout(height);
  // The ladder: a gutter with the time since the call began and the mark of the findings beside each message.
  const gutter = 10;
  const marks = 3;
  const area = Math.max(10, width - gutter - marks);
  const participants = participantsOf(call);
  const step = Math.max(1, Math.floor(area / Math.max(1, participants.length)));
  const columnOf = new Map(participants.map((p, i) => [p.key, Math.min(area - 1, Math.floor(step * i + step / 2))]));
  const names = Array.from({ length: area }, () => ' ');
  participants.forEach((p) => {
    const label = [...fitWidth(safe(p.name), step - 1)];
    const at = Math.max(0, Math.min(area - label.length, columnOf.get(p.key)! - Math.floor(label.length / 2)));
    label.forEach((ch, k) => {
      if (at + k < area) names[at + k] = ch;
    });
  });
  lines.push(paint(SGR.dim, cell(' '.repeat(gutter) + names.join(''), width)));
  const visible = layout.ladder - 1;
  const first = Math.max(0, Math.min(v.message - Math.floor(visible / 2), call.messages.length - visible));
  for (let i = 0; i < visible; i++) {
    const index = first + i;
    const m = call.messages[index];
    if (m === undefined) {
      lines.push(cell('', width));
      continue;
    }
    // The message marked for comparison (m) shows a * after its time.
    const offset = cell(`+${(m.offsetMs / 1000).toFixed(3)}${index === v.markedMessage ? '*' : ''}`, gutter);
    const found = m.findings.map((k) => v.row.findings[k]!).filter(Boolean);
    const top = worst(found);
    const mark = top === null ? '   ' : ` ${MARK[top]} `;
    const body = offset + ladderLine(call, index, columnOf, area, lang);
    lines.push(index === v.message ? paint(SGR.inverse, cell(body + mark, width)) : cell(body, width - marks) + (top === null ? mark : paint(MARK_COLOR[top], mark)));
  }
  const selected = call.messages[v.message];
  const panelTitle =
    v.panel === 'compare' && v.compare !== null
      ? w.comparePanel(safe(v.compare.first), safe(v.compare.second))
      : v.panel === 'findings'
        ? w.findingsPanel(v.row.findings.length)
        : selected === undefined
          ? ''
          : `${w.rawPanel(messageRef(selected))}  ${formatEndpoint(selected.src)} → ${formatEndpoint(selected.dst)} ${selected.transport}`;
  lines.push(paint(SGR.dim, cell(`── ${panelTitle} ${'─'.repeat(width)}`, width)));
  const panel = v.panel === 'compare' && v.compare !== null ? compareLines(v.compare, lang) : v.panel === 'findings' ? findingLines(v, width, lang) : rawLines(v, lang);
  const scroll = Math.max(0, Math.min(v.scroll, panel.length - layout.panel));
  for (let i = 0; i < layout.panel; i++) {
    const line = panel[scroll + i] ?? '';
    lines.push(line.includes('\u001b') ? fitStyled(line, width) : cell(line, width));
  }
  lines.push(footerLine(v.prompt, v.notice ?? w.callKeys, width));
  return lines.slice(0, height);
}

/** A line with SGR sequences cut or padded to `width` visible cells. */
function fitStyled(line: string, width: number): string {
  let out = '';
  let used = 0;
  for (let i = 0; i < line.length; ) {
    if (line.charCodeAt(i) === 0x1b) {
      const end = line.indexOf('m', i);
      out += line.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    const cells = displayWidth(ch);
    if (used + cells > width) break;
    out += ch;
    used += cells;
    i += ch.length;
  }
  return out + SGR.reset + ' '.repeat(Math.max(0, width - used));
}

/** A section of the help: its title and each key (as shown) with what it does. */
export interface HelpSection {
  readonly title: 'helpEverywhere' | 'helpList' | 'helpCall';
  readonly keys: readonly { readonly label: string; readonly does: keyof (typeof LIVE)['en']['keys'] }[];
}

/** Lines of the help, before it is cut to the screen (the help scrolls by `scroll` lines). */
export function helpLines(sections: readonly HelpSection[], width: number, lang: Lang): string[] {
  const w = LIVE[lang];
  const column = 14;
  const lines: string[] = [];
  for (const section of sections) {
    if (lines.length > 0) lines.push('');
    lines.push(paint(SGR.bold, w[section.title]));
    for (const { label, does } of section.keys) {
      lines.push(...wrap(`${cell(label, column)}${w.keys[does]}`, width, '').map((l, i) => (i === 0 ? l : ' '.repeat(column) + l)));
    }
  }
  return lines;
}

/** Every key of the view and what it does, from the view's own table of keys (src/cli/live-view.ts), scrolled by `scroll` lines. */
export function renderHelp(sections: readonly HelpSection[], scroll: number, width: number, height: number, lang: Lang): string[] {
  const body = helpLines(sections, width, lang);
  const room = Math.max(0, height - 1);
  const from = Math.max(0, Math.min(scroll, body.length - room));
  const lines = [paint(SGR.bold, cell(LIVE[lang].helpTitle, width)), ...body.slice(from, from + room)];
  return Array.from({ length: height }, (_, i) => {
    const line = lines[i] ?? '';
    return line.includes('\u001b') ? fitStyled(line, width) : cell(line, width);
  });
}
