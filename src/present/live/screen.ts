/**
 * The live view's screens as lines of a terminal of `width` × `height` cells: the call list,
 * one call (its ladder with the findings beside their messages, and a panel with the raw
 * message or the findings' why and fix), and the help. Pure: state in, lines out (each exactly
 * `width` cells, SGR colours only); src/cli/live.ts writes them and reads the keys. Trace text is
 * stripped of control sequences before it is shown.
 */
import type { Lang } from '../../annotate/i18n.js';
import type { Severity } from '../../types.js';
import { LIVE } from '../catalog.js';
import { showFinding } from '../findings.js';
import { formatTimestampIso } from '../render/format.js';
import { arrowLabel, displayWidth, fitWidth, participantsOf } from '../render/ladder.js';
import { sanitizeForTerminal } from '../render/sanitize.js';
import type { TimelineCall } from '../timeline.js';
import { formatEndpoint, messageRef } from '../values.js';
import type { LiveRow, SortKey } from './store.js';
import { mediaSoFarText, progressText } from './words.js';

const SGR = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', inverse: '\u001b[7m', red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m' };
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
  /** The filter applied ('' for none), and the one being typed (null when not typing). */
  readonly filter: string;
  readonly typing: string | null;
  /** A line in place of the keys for a moment (a key that cannot do what it names here). */
  readonly notice: string | null;
}

/** Rows of the list a screen of `height` shows (a header, the column titles and the keys line around them). */
export function listRows(height: number): number {
  return Math.max(1, height - 3);
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
  const status = [w.calls(v.total, v.open), ...(v.dropped > 0 ? [w.dropped(v.dropped)] : []), w[v.state], ...(v.filter === '' ? [] : [w.filtered(safe(v.filter))]), w.sortBy(w.sortNames[v.sort], v.descending ? '↓' : '↑'), `${w.title} ${safe(v.source)}`];
  const lines = [paint(SGR.bold, cell(status.join('  '), width))];
  const titles = joinColumns(c, { number: w.columns.number, time: w.columns.time, from: w.columns.from, to: w.columns.to, state: w.columns.state, findings: cell(w.columns.findings, c.findings), media: w.columns.media });
  lines.push(paint(SGR.dim, cell(titles, width)));
  const shown = listRows(height);
  for (let i = 0; i < shown; i++) {
    const row = v.rows[v.top + i];
    if (row === undefined) {
      lines.push(cell(i === 0 && v.rows.length === 0 ? (v.filter === '' ? w.noCalls : w.noMatch) : '', width));
      continue;
    }
    const selected = v.top + i === v.selected;
    const text = joinColumns(c, {
      number: String(row.number),
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
  const footer = v.typing !== null ? `/${v.typing}█` : (v.notice ?? w.listKeys);
  lines.push(v.typing !== null ? cell(footer, width) : paint(SGR.dim, cell(footer, width)));
  return lines;
}

export interface CallView {
  readonly row: LiveRow;
  /** The call as the reports show it (src/present/timeline.ts). */
  readonly timeline: TimelineCall;
  /** The selected message (index into the call's messages). */
  readonly message: number;
  readonly panel: 'raw' | 'findings';
  /** Lines scrolled in the panel. */
  readonly scroll: number;
  /** Where the call is in the list: 1-based, and how many there are. */
  readonly position: number;
  readonly count: number;
  readonly notice: string | null;
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

/** The raw message, one line per line of it, header names in bold. */
function rawLines(call: TimelineCall, index: number): string[] {
  const raw = call.messages[index]?.raw ?? '';
  return raw
    .split(/\r?\n/)
    .map((line, i) => {
      const text = safe(line);
      if (i === 0) return paint(SGR.bold, text);
      const colon = text.indexOf(':');
      return colon > 0 && !text.startsWith(' ') ? `${paint(SGR.bold, text.slice(0, colon))}${text.slice(colon)}` : text;
    });
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
  const title = `${w.callTitle(v.row.number, v.position, v.count)}  ${safe(v.row.from)} → ${safe(v.row.to)}  ${state}`;
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
    const offset = cell(`+${(m.offsetMs / 1000).toFixed(3)}`, gutter);
    const found = m.findings.map((k) => v.row.findings[k]!).filter(Boolean);
    const top = worst(found);
    const mark = top === null ? '   ' : ` ${MARK[top]} `;
    const body = offset + ladderLine(call, index, columnOf, area, lang);
    lines.push(index === v.message ? paint(SGR.inverse, cell(body + mark, width)) : cell(body, width - marks) + (top === null ? mark : paint(MARK_COLOR[top], mark)));
  }
  const selected = call.messages[v.message];
  const panelTitle =
    v.panel === 'raw'
      ? selected === undefined
        ? ''
        : `${w.rawPanel(messageRef(selected))}  ${formatEndpoint(selected.src)} → ${formatEndpoint(selected.dst)} ${selected.transport}`
      : w.findingsPanel(v.row.findings.length);
  lines.push(paint(SGR.dim, cell(`── ${panelTitle} ${'─'.repeat(width)}`, width)));
  const panel = v.panel === 'raw' ? rawLines(call, v.message) : findingLines(v, width, lang);
  const scroll = Math.max(0, Math.min(v.scroll, panel.length - layout.panel));
  for (let i = 0; i < layout.panel; i++) {
    const line = panel[scroll + i] ?? '';
    lines.push(line.includes('\u001b') ? fitStyled(line, width) : cell(line, width));
  }
  lines.push(paint(SGR.dim, cell(v.notice ?? w.callKeys, width)));
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

/** Every key of the view and what it does. */
export function renderHelp(width: number, height: number, lang: Lang): string[] {
  const w = LIVE[lang];
  const k = w.keys;
  const entries = (list: readonly [string, string][]) => list.flatMap(([key, what]) => wrap(`${cell(key, 14)}${what}`, width, '').map((l, i) => (i === 0 ? l : ' '.repeat(14) + l)));
  const lines = [
    paint(SGR.bold, cell(w.helpTitle, width)),
    '',
    paint(SGR.bold, w.helpList),
    ...entries([
      ['↑ ↓  j k', k.move],
      ['PgUp PgDn', k.page],
      ['Home End', k.ends],
      ['Enter', k.open],
      ['/', k.filter],
      ['s', k.sort],
      ['r', k.reverse],
      ['p', k.pause],
      ['w', k.save],
      ['?', k.help],
      ['q', k.quit],
    ]),
    '',
    paint(SGR.bold, w.helpCall),
    ...entries([
      ['↑ ↓  j k', k.message],
      ['← →  h l', k.call],
      ['Tab', k.panel],
      ['PgUp PgDn', k.scroll],
      ['Esc', k.back],
    ]),
  ];
  return Array.from({ length: height }, (_, i) => {
    const line = lines[i] ?? '';
    return line.includes('\u001b') ? fitStyled(line, width) : cell(line, width);
  });
}
