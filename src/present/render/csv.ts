/**
 * The calls as CSV (RFC 4180), one row per call, for spreadsheets: identity, outcome,
 * figures and findings. Trace text cannot become a formula: csvCell quotes what needs it
 * and defuses a leading `=`, `+`, `-`, `@`, tab or carriage return. Pure.
 */
import { countedMessages, type Timeline } from '../timeline.js';
import { CSV } from '../catalog.js';
import { csvCell } from './escape.js';
import { formatTimestampIso } from './format.js';

/** The columns in order, named in the timeline's language; the values below follow this order. */
const COLUMNS = [
  'call', 'callId', 'type', 'from', 'to', 'outcome', 'status', 'start', 'durationMs',
  'postDialDelayMs', 'setupMs', 'talkMs', 'messages', 'retransmissions', 'errors', 'warnings', 'infos', 'rules', 'file',
] as const satisfies readonly (keyof (typeof CSV)['en'])[];

const ms = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000);

/** One row per call; the column names are in the timeline's language, the values are data (ids, ISO times, milliseconds). */
export function renderCsv(timeline: Timeline): string {
  const names = CSV[timeline.lang];
  const rows = [COLUMNS.map((column) => names[column]).join(',')];
  for (const c of timeline.calls) {
    const count = (s: string): number => c.findings.filter((f) => f.severity === s).length;
    rows.push(
      [
        c.number,
        c.callId,
        c.type,
        c.from,
        c.to,
        c.outcome,
        c.status,
        formatTimestampIso(c.start),
        ms(c.durationMs),
        ms(c.figures.postDialDelayMs),
        ms(c.figures.setupMs),
        ms(c.figures.talkMs),
        countedMessages(c),
        c.messages.filter((m) => m.retransmission).length,
        count('error'),
        count('warning'),
        count('info'),
        [...new Set(c.findings.map((f) => f.rule))].join(' '),
        c.messages[0]?.file ?? null,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}
