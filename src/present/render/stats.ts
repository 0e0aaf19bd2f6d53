/** Statistics as text (`siplens stats`), Markdown (in the Markdown report) and JSON. Pure. */
import type { Distribution, Statistics } from '../stats.js';
import { jsonText, mdCode, mdText } from './escape.js';
import { JSON_SCHEMA_ID } from './messages.js';
import { sanitizeForTerminal } from './sanitize.js';
import type { Lang } from '../../annotate/i18n.js';
import type { Outcome } from '../../annotate/outcome.js';
import type { CallType } from '../../parse/dialog/types.js';
import { COMMON, MEDIA_REPORT, STATS } from '../catalog.js';

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatRatio(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1)} %`;
}

/** MOS, loss % and mean jitter as their figures are written. */
const MEDIA_FORMAT = {
  mos: (v: number | null): string => (v === null ? '—' : v.toFixed(2)),
  lossPercent: (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} %`),
  meanJitterMs: (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} ms`),
} as const;

/** The media distributions as rows (name, count, min, median, p95, max), or none when the calls have no stream. */
export function mediaDistributionRows(s: Statistics, lang: Lang): string[][] {
  const w = MEDIA_REPORT[lang].stats;
  const m = s.media;
  if (m.streams === 0) return [];
  const row = (name: string, d: Distribution, f: (v: number | null) => string): string[] => [name, String(d.count), f(d.min), f(d.median), f(d.p95), f(d.max)];
  return [row(w.mos, m.mos, MEDIA_FORMAT.mos), row(w.loss, m.lossPercent, MEDIA_FORMAT.lossPercent), row(w.meanJitter, m.meanJitterMs, MEDIA_FORMAT.meanJitterMs)];
}

function distributionCells(d: Distribution): string[] {
  return [String(d.count), formatMs(d.min), formatMs(d.median), formatMs(d.p95), formatMs(d.max)];
}

/** Left-aligned columns, numbers right-aligned (cells that start with a digit or a dash). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]!].length)));
  const numeric = header.map((_, i) => i > 0 && rows.every((r) => /^(—|[\d.]+( ms| s| %)?)$/.test(r[i]!)));
  const line = (cells: readonly string[]): string =>
    '  ' +
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function statisticsLines(s: Statistics, lang: Lang = 'en'): string[] {
  const c = COMMON[lang];
  const w = STATS[lang];
  const lines: string[] = [];
  const types = Object.entries(s.byType).map(([t, n]) => c.callTypeCount[t as CallType](n)).join(', ');
  lines.push(`${w.calls(s.calls, types)} · ${c.message(s.messages)}`);
  const outcomes = Object.entries(s.outcomes).map(([o, n]) => c.outcomeCount[o as Outcome](n)).join(', ');
  if (outcomes) lines.push(`${w.outcomes}: ${outcomes}`);
  lines.push(w.inviteCalls(s.seizures, s.answered, formatRatio(s.asr), formatRatio(s.ner)) + (s.partial > 0 ? ` · ${w.partialNotCounted(s.partial)}` : ''));
  lines.push('', w.timing);
  const k = w.columns;
  lines.push(
    ...table(
      ['', k.calls, k.min, k.median, k.p95, k.max],
      [
        [w.postDialDelay, ...distributionCells(s.postDialDelayMs)],
        [w.setupTime, ...distributionCells(s.setupMs)],
        [w.talkTime, ...distributionCells(s.talkMs)],
      ],
    ),
  );
  if (s.responses.length > 0) {
    lines.push('', w.responsesByMethod);
    lines.push(...table([w.method, w.responses], s.responses.map((r) => [r.method, r.statuses.map((x) => `${x.status}×${x.count}`).join('  ')])));
  }
  if (s.responseTimes.length > 0) {
    lines.push('', w.responseTimes);
    lines.push(
      ...table(
        [w.peer, w.method, w.requests, w.unanswered, k.min, k.median, k.p95, k.max],
        s.responseTimes.map((t) => [t.peer, t.method, String(t.requests), String(t.unanswered), formatMs(t.min), formatMs(t.median), formatMs(t.p95), formatMs(t.max)]),
      ),
    );
  }
  lines.push('', `${w.retransmissions}: ${s.retransmissions.total}${s.retransmissions.byMessage.length ? ` (${s.retransmissions.byMessage.map((r) => `${r.message} ×${r.count}`).join(', ')})` : ''}`);
  const media = mediaDistributionRows(s, lang);
  if (media.length > 0) {
    const m = MEDIA_REPORT[lang].stats;
    lines.push('', m.title(s.media.streams));
    lines.push(...table(['', m.streams, k.min, k.median, k.p95, k.max], media));
  }
  return lines.map(sanitizeForTerminal);
}

/** `siplens stats` as text, in `lang` (English unless given). */
export function renderStatisticsText(s: Statistics, lang: Lang = 'en'): string {
  return statisticsLines(s, lang).join('\n') + '\n';
}

/** The statistics as a Markdown section of the report, in `lang` (English unless given). */
export function statisticsMarkdown(s: Statistics, lang: Lang = 'en'): string[] {
  const c = COMMON[lang];
  const w = STATS[lang];
  const k = w.columns;
  const lines = [`## ${w.title}`, ''];
  const outcomes = Object.entries(s.outcomes).map(([o, n]) => c.outcomeCount[o as Outcome](n)).join(', ');
  lines.push(`- ${w.callsTotal}: ${s.calls}${outcomes ? ` — ${mdText(outcomes)}` : ''}`);
  lines.push(`- ${w.inviteAnswered(s.seizures, s.answered, mdText(formatRatio(s.asr)), mdText(formatRatio(s.ner)))}${s.partial > 0 ? ` · ${mdText(w.partialNotCounted(s.partial))}` : ''}`);
  lines.push(`- ${w.retransmissions}: ${s.retransmissions.total}`, '');
  lines.push(`| ${w.inviteCallsColumn} | ${w.count} | ${k.min} | ${k.median} | ${k.p95} | ${k.max} |`, '|---|--:|--:|--:|--:|--:|');
  const named = w.distribution;
  for (const [name, d] of [[named.postDialDelay, s.postDialDelayMs], [named.setupTime, s.setupMs], [named.talkTime, s.talkMs]] as const) {
    lines.push(`| ${name} | ${distributionCells(d).join(' | ')} |`);
  }
  if (s.responseTimes.length > 0) {
    lines.push('', `| ${w.peer} | ${w.method} | ${w.requests} | ${w.unanswered} | ${k.min} | ${k.median} | ${k.p95} | ${k.max} |`, '|---|---|--:|--:|--:|--:|--:|--:|');
    for (const t of s.responseTimes) {
      lines.push(`| ${mdCode(t.peer, { table: true })} | ${mdCode(t.method, { table: true })} | ${t.requests} | ${t.unanswered} | ${[t.min, t.median, t.p95, t.max].map(formatMs).join(' | ')} |`);
    }
  }
  const media = mediaDistributionRows(s, lang);
  if (media.length > 0) {
    const m = MEDIA_REPORT[lang].stats;
    lines.push('', `| ${m.title(s.media.streams)} | ${m.streams} | ${k.min} | ${k.median} | ${k.p95} | ${k.max} |`, '|---|--:|--:|--:|--:|--:|');
    for (const row of media) lines.push(`| ${row.map(mdText).join(' | ')} |`);
  }
  if (s.responses.length > 0) {
    lines.push('', `| ${w.method} | ${w.responses} |`, '|---|---|');
    for (const r of s.responses) lines.push(`| ${mdCode(r.method, { table: true })} | ${r.statuses.map((x) => `${x.status} ×${x.count}`).join(', ')} |`);
  }
  lines.push('');
  return lines;
}

export function renderStatisticsJson(s: Statistics): string {
  return jsonText({ schema: JSON_SCHEMA_ID, kind: 'stats', ...s }, 2) + '\n';
}
