/**
 * The calls as CSV (RFC 4180), one row per call, for spreadsheets: identity, outcome,
 * figures, findings, whether the call is partial and its legs (B2BUA). Trace text cannot
 * become a formula: csvCell quotes what needs it and defuses a leading `=`, `+`, `-`, `@`,
 * tab or carriage return. Pure.
 */
import { countedMessages, type Timeline, type TimelineCall } from '../timeline.js';
import type { Lang } from '../../annotate/i18n.js';
import { CSV } from '../catalog.js';
import { csvCell } from './escape.js';
import { formatTimestampIso } from './format.js';
import { renderWhole, type CallsWritten } from './report-stream.js';

/** The columns in order, named in the timeline's language; the values below follow this order. */
const COLUMNS = [
  'call', 'callId', 'type', 'from', 'to', 'outcome', 'status', 'start', 'durationMs',
  'postDialDelayMs', 'setupMs', 'talkMs', 'messages', 'retransmissions', 'errors', 'warnings', 'infos', 'rules', 'file',
  'partial', 'legGroup', 'legRole', 'legs',
] as const satisfies readonly (keyof (typeof CSV)['en'])[];

const ms = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000);

/** One row per call, written as the call is shown; the column names are in the report's language, the values are data (ids, ISO times, milliseconds). */
export function csvReport(lang: Lang): CallsWritten {
  return { kind: 'calls', begin: () => COLUMNS.map((column) => CSV[lang][column]).join(',') + '\r\n', call: csvRow, end: () => '' };
}

function csvRow(c: TimelineCall): string {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of c.findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  let retransmissions = 0;
  for (const m of c.messages) if (m.retransmission) retransmissions++;
  return (
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
      retransmissions,
      errors,
      warnings,
      infos,
      [...new Set(c.findings.map((f) => f.rule))].join(' '),
      c.messages[0]?.file ?? null,
      c.partial ? 'true' : 'false',
      c.leg?.group ?? null,
      c.leg?.role ?? null,
      // Every leg of the end-to-end call, this one included, in order of start: "1 2".
      c.leg === null ? null : c.leg.calls.join(' '),
    ]
      .map(csvCell)
      .join(',') + '\r\n'
  );
}

export function renderCsv(timeline: Timeline): string {
  return renderWhole(csvReport(timeline.lang), timeline, { statistics: null });
}
