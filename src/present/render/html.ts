/**
 * The HTML report: one self-contained file (inline style and script, no network; a
 * Content-Security-Policy allows only its own script and style, by hash) that opens from
 * disk. A summary with the statistics, the list of calls (sortable; filtered by text,
 * outcome and rule), per call an SVG ladder whose arrows open the message as captured
 * (headers highlighted, SDP explained line by line), the findings with why and fix linked
 * to their messages, and the input diagnostics.
 *
 * Every string from the trace is escaped (htmlText for text and attributes, which also
 * makes control characters and bidi overrides visible; the data block is JSON with `<`,
 * `>`, `&` as \u escapes); the script builds nodes with textContent only.
 * Pure: timeline in, string out (the hashes make it deterministic too).
 */
import { createHash } from 'node:crypto';
import { diffMs } from '../../time.js';
import type { Finding } from '../../annotate/rules/types.js';
import { formatDuration, messageRef } from '../values.js';
import type { Statistics } from '../stats.js';
import { countedMessages, type Timeline, type TimelineCall, type TimelineMessage } from '../timeline.js';
import { htmlText as h, jsonForScript, showControls } from './escape.js';
import { formatEndpoint, formatTimestampIso, formatTimestampText } from './format.js';
import { REPORT_CSS, reportScript } from './html-assets.js';
import { arrowLabel, participantsOf } from './ladder.js';
import { describeInput, diagnosticLine } from './messages.js';
import { formatMs, formatRatio, mediaDistributionRows } from './stats.js';
import type { Lang } from '../../annotate/i18n.js';
import type { Outcome } from '../../annotate/outcome.js';
import { COMMON, HTML, MEDIA, MEDIA_REPORT, REPORT, STATS, TEXT } from '../catalog.js';
import type { CallStream } from '../../parse/media/types.js';
import { lossPercent, mediaLines, streamLine } from '../media.js';
import { ladderRows, mediaColumns, offsetText, streamEndLabel, streamFigures, streamStartLabel } from './media-ladder.js';

export interface HtmlOptions {
  readonly statistics: Statistics;
  readonly aliases?: ReadonlyMap<string, string>;
  /** Page title (default: the inputs). */
  readonly title?: string;
}

const SEVERITY_MARK = { error: '✖', warning: '⚠', info: 'ℹ' } as const;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** Frame references of a finding's evidence, each a button that opens the message. */
function evidenceButtons(call: TimelineCall, f: Finding): string {
  return f.messages.map((i) => `<button type="button" class="ref" data-call="${call.number}" data-msg="${i}">${h(messageRef(call.messages[i]!))}</button>`).join(' ');
}

// Ladder geometry (px).
const GUTTER = 150;
const COLUMN = 230;
const TOP = 46;
const ROW = 30;

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** As many of the parts as fit in `max` characters, joined by " · " (the first one cut if it alone is too long). */
function fitting(parts: readonly string[], max: number): string {
  let shown = '';
  for (const part of parts) {
    const next = shown ? `${shown} · ${part}` : part;
    if ([...next].length > max && shown) break;
    shown = next;
  }
  return truncate(shown, max);
}

function ladderSvg(call: TimelineCall, aliases: ReadonlyMap<string, string> | undefined, lang: Lang): string {
  const w = HTML[lang];
  const { columns: parts, ends } = mediaColumns(call, participantsOf(call, aliases), aliases, lang);
  const index = new Map(parts.map((p, i) => [p.key, i]));
  const rows = ladderRows(call);
  const streams = call.media?.streams ?? [];
  const x = (i: number): number => GUTTER + 20 + i * COLUMN;
  const width = x(parts.length - 1) + COLUMN / 2 + 40;
  const height = TOP + rows.length * ROW + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${h(w.ladderOf(call.number))}">`,
  ];
  parts.forEach((p, i) => {
    out.push(`<text class="party" x="${x(i)}" y="18" text-anchor="middle"><title>${h(p.name)}</title>${h(truncate(p.name, 30))}</text>`);
    out.push(`<line class="lifeline" x1="${x(i)}" y1="26" x2="${x(i)}" y2="${height - 8}"/>`);
  });
  const arrow = (x1: number, x2: number, y: number, room: number, label: string): void => {
    const dir = x2 > x1 ? 1 : -1;
    const tip = x2 - dir * 2;
    out.push(`<line x1="${x1}" y1="${y}" x2="${tip - dir * 8}" y2="${y}"/>`);
    out.push(`<polygon points="${tip},${y} ${tip - dir * 9},${y - 4} ${tip - dir * 9},${y + 4}"/>`);
    out.push(`<text class="label" x="${(x1 + x2) / 2}" y="${y - 5}" text-anchor="middle">${h(truncate(label, room))}</text>`);
  };
  rows.forEach((row, r) => {
    const y = TOP + r * ROW + ROW / 2;
    if (row.kind !== 'message') {
      // A media stream: a thick arrow at its first packet (its figures under it), a dotted one at its last.
      const s = streams[row.stream]!;
      const { from: a, to: b } = ends[row.stream]!;
      const start = row.kind === 'start';
      out.push(`<g class="${start ? 'rtp' : 'rtp end'}"><title>${h(streamLine(s, lang))}</title>`);
      out.push(`<text class="time" x="6" y="${y + 4}">${h(offsetText(row.offsetMs))}  #${start ? s.firstFrame : s.lastFrame}</text>`);
      const label = start ? streamStartLabel(s, lang) : streamEndLabel(s, lang);
      if (a === b) {
        out.push(`<path d="M${x(a)} ${y - 6} h30 v12 h-30" fill="none"/>`);
        out.push(`<text class="label" x="${x(a) + 36}" y="${y + 4}">${h(truncate(label, 40))}</text>`);
      } else {
        const room = Math.max(6, Math.floor((Math.abs(x(b) - x(a)) - 20) / 7.2));
        arrow(x(a), x(b), y, room, label);
        if (start) out.push(`<text class="figures" x="${(x(a) + x(b)) / 2}" y="${y + 12}" text-anchor="middle">${h(fitting(streamFigures(s, lang), room + 6))}</text>`);
      }
      out.push('</g>');
      return;
    }
    const i = row.index;
    const m = call.messages[i]!;
    const a = index.get(formatEndpoint(m.src))!;
    const b = index.get(formatEndpoint(m.dst))!;
    const kind = `msg${m.method === null ? ' response' : ' request'}${m.retransmission || m.duplicateOf !== null ? ' retr' : ''}`;
    const label = arrowLabel(m, lang);
    const aria = w.arrow(messageRef(m), label, formatEndpoint(m.src), formatEndpoint(m.dst));
    out.push(`<g class="${kind}" data-call="${call.number}" data-msg="${i}" tabindex="0" role="button" aria-label="${h(aria)}">`);
    out.push(`<rect class="hit" x="0" y="${y - ROW / 2}" width="${width}" height="${ROW}"/>`);
    out.push(`<text class="time" x="6" y="${y + 4}">+${(m.offsetMs / 1000).toFixed(3)}  ${h(messageRef(m))}</text>`);
    if (a === b) {
      out.push(`<path d="M${x(a)} ${y - 6} h30 v12 h-30" fill="none" stroke="#34495e"/>`);
      out.push(`<text class="label" x="${x(a) + 36}" y="${y + 4}">${h(truncate(label, 40))}</text>`);
    } else {
      arrow(x(a), x(b), y, Math.max(6, Math.floor((Math.abs(x(b) - x(a)) - 20) / 7.2)), label);
    }
    const marks = m.findings.map((f) => call.findings[f]!);
    marks.forEach((f, k) => {
      const cx = Math.max(x(a), x(b)) + 14 + k * 14;
      out.push(`<circle class="${f.severity}" cx="${cx}" cy="${y}" r="5"><title>${h(`${COMMON[lang].severity[f.severity]} ${f.rule}: ${f.message}`)}</title></circle>`);
    });
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}

// Stream chart geometry (px): one bar per bucket of the stream's series.
const CHART_W = 192;
const CHART_H = 44;

/**
 * A stream over its life as a small SVG: packets per interval as bars, the highest jitter per
 * interval as a line (scaled to the stream's highest), intervals with packets lost marked red on
 * top. Fixed size whatever the stream's length (its series has a fixed number of buckets).
 */
export function streamChart(stream: CallStream, n: number, lang: Lang): string {
  const w = MEDIA_REPORT[lang].html;
  const { packets, lost, maxJitterMs, bucketMs } = stream.series;
  const buckets = packets.length;
  if (buckets === 0 || bucketMs <= 0) return '';
  // The last bucket is cut short by the stream's end: drawn as wide as the time it covers, and
  // its bar as the rate over that time, so the end does not look like a drop.
  const durationMs = diffMs(stream.first, stream.last);
  const cover = Math.min(1, Math.max(0.05, (durationMs - (buckets - 1) * bucketMs) / bucketMs));
  const step = CHART_W / (buckets - 1 + cover);
  const share = (i: number): number => (i === buckets - 1 ? cover : 1);
  let maxPackets = 1;
  let maxJitter = 0;
  for (let i = 0; i < buckets; i++) {
    const rate = packets[i]! / share(i);
    if (rate > maxPackets) maxPackets = rate;
    if ((maxJitterMs[i] ?? 0) > maxJitter) maxJitter = maxJitterMs[i]!;
  }
  const top = 6;
  const plot = CHART_H - top;
  const f1 = (v: number): string => String(Math.round(v * 10) / 10);
  const seconds = durationMs / 1000;
  const span = w.span(seconds.toFixed(seconds < 10 ? 2 : 1), f1(bucketMs));
  const out = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${CHART_W}" height="${CHART_H}" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="${h(`${w.chartLabel(n)} (${span})`)}">`,
    `<title>${h(`${w.legendPackets(Math.round(maxPackets))} · ${w.legendJitter(f1(maxJitter))} · ${w.legendLoss} · ${span}`)}</title>`,
  ];
  for (let i = 0; i < buckets; i++) {
    const p = packets[i]!;
    if (p > 0) {
      const bar = (p / share(i) / maxPackets) * plot;
      out.push(`<rect class="p" x="${f1(i * step)}" y="${f1(CHART_H - bar)}" width="${f1(Math.max(1, step * share(i) - 0.5))}" height="${f1(bar)}"/>`);
    }
    if ((lost[i] ?? 0) > 0) out.push(`<rect class="loss" x="${f1(i * step)}" y="0" width="${f1(Math.max(1.5, step * share(i) - 0.5))}" height="${top - 1}"/>`);
  }
  if (maxJitter > 0) {
    const points = maxJitterMs.map((j, i) => `${f1(i * step + (step * share(i)) / 2)},${f1(CHART_H - (j / maxJitter) * plot)}`).join(' ');
    out.push(`<polyline class="j" points="${points}"/>`);
  }
  out.push('</svg>');
  return out.join('');
}

/** The call's media as a table: one row per stream with its figures and its chart; or "no RTP in the capture". */
function mediaSection(call: TimelineCall, lang: Lang): string {
  const media = call.media;
  if (media === null) return '';
  const w = MEDIA_REPORT[lang].html;
  const m = MEDIA[lang];
  if (media.streams.length === 0) {
    const line = mediaLines(media, call.figures.talkMs !== null, lang, '');
    return line.length > 0 ? `<p class="media-none">${h(line[0]!)}</p>` : '';
  }
  const out = [
    `<table class="media"><caption>${h(w.title)}</caption><thead><tr><th>${h(w.direction)}</th><th>${h(w.codec)}</th><th class="num">${h(w.packets)}</th><th class="num">${h(w.lost)}</th>` +
      `<th class="num">${h(w.meanJitter)}</th><th class="num">${h(w.maxJitter)}</th><th class="num">MOS</th><th>${h(w.addresses)}</th><th>${h(w.dtmf)}</th><th>${h(w.chart)}</th></tr></thead><tbody>`,
  ];
  media.streams.forEach((s, i) => {
    const direction = s.from === null ? m.unknownSide : `${m.side[s.from]} → ${m.side[s.from === 'caller' ? 'callee' : 'caller']}`;
    const rtp = s.rtp;
    const codec = s.codec ?? (rtp === null ? s.kind.toUpperCase() : `PT ${rtp.firstPayloadType}`);
    const lostCell = rtp === null ? '—' : `${Math.max(0, rtp.lost)} (${lossPercent(s).toFixed(1)} %)`;
    const jitter = (v: number | undefined): string => (rtp === null || rtp.clockRate <= 0 || v === undefined ? '—' : `${v.toFixed(1)} ms`);
    const digits = s.dtmf.flatMap((d) => (d.key === null ? [] : [d.key])).join(' ');
    out.push(
      `<tr><td>${h(direction)}</td><td class="mono">${h(codec)}</td><td class="num">${s.packets}</td><td class="num">${h(lostCell)}</td>` +
        `<td class="num">${h(jitter(rtp?.meanJitterMs))}</td><td class="num">${h(jitter(rtp?.maxJitterMs))}</td><td class="num">${s.quality === null ? '—' : h(s.quality.mos.toFixed(2))}</td>` +
        `<td class="mono">${h(`${formatEndpoint(s.src)} → ${formatEndpoint(s.dst)}`)}</td><td class="mono">${h(digits || '—')}</td><td>${streamChart(s, i + 1, lang)}</td></tr>`,
    );
  });
  out.push('</tbody></table>');
  return out.join('');
}

function outcomeBadge(call: TimelineCall): string {
  return `<span class="outcome ${h(call.outcome)}">${h(call.outcomeText)}</span>`;
}

function callSection(call: TimelineCall, options: HtmlOptions, lang: Lang): string {
  const c = COMMON[lang];
  const t = TEXT[lang];
  const parties = call.from || call.to ? ` · <span class="mono">${h(call.from ?? '?')}</span> → <span class="mono">${h(call.to ?? '?')}</span>` : '';
  const f = call.figures;
  const figures = [
    f.postDialDelayMs === null ? '' : `${t.postDialDelay} ${formatMs(f.postDialDelayMs)}`,
    f.setupMs === null ? '' : `${t.setup} ${formatMs(f.setupMs)}`,
    f.talkMs === null ? '' : `${t.talk} ${formatMs(f.talkMs)}`,
    f.hungUpBy === null ? '' : t.hungUp[f.hungUpBy],
  ].filter(Boolean);
  const out = [
    `<section class="call" id="call-${call.number}">`,
    `<h3>${h(c.call)} ${call.number} ${outcomeBadge(call)}</h3>`,
    `<p class="meta"><span class="mono">${h(call.callId || c.noCallId)}</span> · ${h(c.callType[call.type])}${parties} · ${h(c.message(countedMessages(call)))} · ${h(formatDuration(call.durationMs))} · ${h(REPORT[lang].startedUtc(formatTimestampText(call.start)))}${figures.length ? ` · ${h(figures.join(' · '))}` : ''}</p>`,
    `<div class="ladder">${ladderSvg(call, options.aliases, lang)}</div>`,
  ];
  const media = mediaSection(call, lang);
  if (media) out.push(media);
  if (call.findings.length > 0) {
    out.push('<ul class="findings">');
    for (const finding of call.findings) {
      out.push(
        `<li class="${finding.severity}"><p><span class="sev ${finding.severity}">${SEVERITY_MARK[finding.severity]} ${h(c.severity[finding.severity])}</span> <code>${h(finding.rule)}</code> · ${evidenceButtons(call, finding)}</p>` +
          `<p>${h(finding.message)}</p><p><b>${h(c.why)}:</b> ${h(finding.explanation)}</p><p><b>${h(c.fix)}:</b> ${h(finding.fix)}</p><p class="muted">${h(c.see)} ${h(finding.rfc)}</p></li>`,
      );
    }
    out.push('</ul>');
  }
  out.push('</section>');
  return out.join('\n');
}

function distributionRow(name: string, d: Statistics['setupMs']): string {
  return `<tr><td>${h(name)}</td><td class="num">${d.count}</td>${[d.min, d.median, d.p95, d.max].map((v) => `<td class="num">${h(formatMs(v))}</td>`).join('')}</tr>`;
}

function summarySection(timeline: Timeline, s: Statistics): string {
  const c = COMMON[timeline.lang];
  const w = HTML[timeline.lang];
  const st = STATS[timeline.lang];
  const k = st.columns;
  const sum = timeline.summary;
  const figure = (value: string, label: string): string => `<div class="figure"><b>${h(value)}</b><span>${h(label)}</span></div>`;
  const out = [`<section id="summary"><h2>${h(c.summary)}</h2><div class="figures">`];
  out.push(figure(String(sum.calls), w.figures.calls));
  out.push(figure(String(sum.messages), w.figures.messages(sum.retransmissions)));
  out.push(figure(formatRatio(s.asr), w.figures.asr(s.answered, s.seizures)));
  out.push(figure(formatRatio(s.ner), w.figures.ner));
  out.push(figure(`${sum.findings.error} / ${sum.findings.warning} / ${sum.findings.info}`, `${c.findings}: ${c.severity.error} / ${c.severity.warning} / ${c.severity.info}`));
  out.push(figure(String(sum.diagnostics.error + sum.diagnostics.warning + sum.diagnostics.info), w.figures.inputDiagnostics));
  out.push('</div>');
  const outcomes = Object.entries(s.outcomes);
  if (outcomes.length > 0) {
    out.push(`<h3>${h(w.callsByOutcome)}</h3><table><tbody>`);
    for (const [o, n] of outcomes) out.push(`<tr><td><span class="outcome ${h(o)}">${h(c.outcomeName[o as Outcome])}</span></td><td class="num">${n}</td></tr>`);
    out.push('</tbody></table>');
  }
  out.push(
    `<h3>${h(w.timing)}</h3><table><thead><tr><th></th>${[k.calls, k.min, k.median, k.p95, k.max].map((name) => `<th class="num">${h(name)}</th>`).join('')}</tr></thead><tbody>`,
  );
  out.push(distributionRow(st.postDialDelay, s.postDialDelayMs), distributionRow(st.setupTime, s.setupMs), distributionRow(st.talkTime, s.talkMs));
  out.push('</tbody></table>');
  const media = mediaDistributionRows(s, timeline.lang);
  if (media.length > 0) {
    const m = MEDIA_REPORT[timeline.lang].stats;
    out.push(`<h3>${h(m.title(s.media.streams))}</h3><table><thead><tr><th></th>${[m.streams, k.min, k.median, k.p95, k.max].map((name) => `<th class="num">${h(name)}</th>`).join('')}</tr></thead><tbody>`);
    for (const [name, ...cells] of media) out.push(`<tr><td>${h(name!)}</td>${cells.map((v) => `<td class="num">${h(v)}</td>`).join('')}</tr>`);
    out.push('</tbody></table>');
  }
  if (s.responses.length > 0) {
    out.push(`<h3>${h(st.responsesByMethod)}</h3><table><thead><tr><th>${h(st.method)}</th><th>${h(st.responses)}</th></tr></thead><tbody>`);
    for (const r of s.responses) out.push(`<tr><td class="mono">${h(r.method)}</td><td class="mono">${h(r.statuses.map((x) => `${x.status} ×${x.count}`).join(', '))}</td></tr>`);
    out.push('</tbody></table>');
  }
  if (s.responseTimes.length > 0) {
    const columns = [st.requests, st.unanswered, k.min, k.median, k.p95, k.max].map((name) => `<th class="num">${h(name)}</th>`).join('');
    out.push(`<h3>${h(st.responseTimes)}</h3><table><thead><tr><th>${h(st.peer)}</th><th>${h(st.method)}</th>${columns}</tr></thead><tbody>`);
    for (const t of s.responseTimes) {
      out.push(
        `<tr><td class="mono">${h(t.peer)}</td><td class="mono">${h(t.method)}</td><td class="num">${t.requests}</td><td class="num">${t.unanswered}</td>${[t.min, t.median, t.p95, t.max].map((v) => `<td class="num">${h(formatMs(v))}</td>`).join('')}</tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push(`<p>${h(st.retransmissions)}: ${s.retransmissions.total}${s.retransmissions.byMessage.length ? ` (${h(s.retransmissions.byMessage.map((r) => `${r.message} ×${r.count}`).join(', '))})` : ''}</p>`);
  out.push('</section>');
  return out.join('\n');
}

function callsSection(timeline: Timeline): string {
  const common = COMMON[timeline.lang];
  const w = HTML[timeline.lang];
  const k = REPORT[timeline.lang].columns;
  const outcomes = [...new Set(timeline.calls.map((c) => c.outcome))].sort();
  const rules = [...new Set(timeline.calls.flatMap((c) => c.findings.map((f) => f.rule)))].sort();
  const out = [
    `<section id="calls"><h2>${h(REPORT[timeline.lang].calls)}</h2>`,
    '<div class="controls">',
    `<input type="search" id="filter-text" placeholder="${h(w.filter.placeholder)}" aria-label="${h(w.filter.text)}">`,
    `<select id="filter-outcome" aria-label="${h(w.filter.outcome)}"><option value="">${h(w.filter.anyOutcome)}</option>${outcomes.map((o) => `<option value="${h(o)}">${h(common.outcomeName[o])}</option>`).join('')}</select>`,
    `<select id="filter-rule" aria-label="${h(w.filter.rule)}"><option value="">${h(w.filter.anyRule)}</option>${rules.map((r) => `<option value="${h(r)}">${h(r)}</option>`).join('')}</select>`,
    `<span class="count" id="filter-count">${h(common.callCount(timeline.calls.length))}</span>`,
    '</div>',
    '<table id="call-table"><thead><tr>',
    `<th data-sort="number" class="num" tabindex="0">#</th><th data-sort="text" tabindex="0">${h(k.outcome)}</th><th data-sort="text" tabindex="0">${h(k.from)}</th><th data-sort="text" tabindex="0">${h(k.to)}</th>`,
    `<th data-sort="number" tabindex="0">${h(k.start)}</th><th data-sort="number" class="num" tabindex="0">${h(k.duration)}</th><th data-sort="number" class="num" tabindex="0">${h(k.findings)}</th><th data-sort="text" tabindex="0">${h(k.callId)}</th>`,
    '</tr></thead><tbody>',
  ];
  for (const c of timeline.calls) {
    const rulesOf = [...new Set(c.findings.map((f) => f.rule))];
    const search = [c.callId, c.from ?? '', c.to ?? '', c.outcome, c.outcomeText, c.type, ...rulesOf, ...c.messages.flatMap((m) => [formatEndpoint(m.src), formatEndpoint(m.dst), m.requestUri ?? ''])]
      .join(' ')
      .toLowerCase();
    const worst = c.findings.some((f) => f.severity === 'error') ? 'error' : c.findings.some((f) => f.severity === 'warning') ? 'warning' : c.findings.length ? 'info' : '';
    const startKey = `${c.start.sec}.${String(c.start.nsec).padStart(9, '0')}`;
    out.push(
      `<tr data-call="${c.number}" data-outcome="${h(c.outcome)}" data-rules="${h(rulesOf.join(' '))}" data-search="${h(search)}">` +
        `<td class="num" data-key="${c.number}"><a href="#call-${c.number}">${c.number}</a></td>` +
        `<td data-key="${h(c.outcome)}">${outcomeBadge(c)}</td>` +
        `<td class="mono" data-key="${h(c.from ?? '')}">${h(c.from ?? '—')}</td>` +
        `<td class="mono" data-key="${h(c.to ?? '')}">${h(c.to ?? '—')}</td>` +
        `<td data-key="${startKey}">${h(formatTimestampText(c.start))}</td>` +
        `<td class="num" data-key="${Math.round(c.durationMs * 1000) / 1000}">${h(formatDuration(c.durationMs))}</td>` +
        `<td class="num" data-key="${c.findings.length}">${c.findings.length ? `<span class="sev ${worst}">${c.findings.length}</span>` : '0'}</td>` +
        `<td class="mono" data-key="${h(c.callId)}">${h(c.callId || '—')}</td></tr>`,
    );
  }
  out.push('</tbody></table></section>');
  return out.join('\n');
}

function diagnosticsSection(timeline: Timeline): string {
  const w = HTML[timeline.lang];
  const out = [`<section id="diagnostics"><h2>${h(w.inputsAndDiagnostics)}</h2><ul>`];
  for (const input of timeline.inputs) {
    out.push(`<li>${h(describeInput(input, timeline.lang))}`);
    if (input.diagnostics.length > 0) {
      out.push('<ul>');
      for (const d of input.diagnostics) out.push(`<li class="mono"><span class="sev ${d.severity}">${h(d.severity)}</span> ${h(diagnosticLine(d, timeline.lang).trim().replace(/^\S+ /, ''))}</li>`);
      out.push('</ul>');
    } else out.push(` <span class="muted">— ${h(w.noDiagnostics)}</span>`);
    out.push('</li>');
  }
  out.push('</ul></section>');
  return out.join('\n');
}

function messageData(m: TimelineMessage, lang: Lang): Record<string, unknown> {
  return {
    ref: showControls(messageRef(m)),
    label: showControls(arrowLabel(m, lang)),
    time: formatTimestampIso(m.time),
    offsetMs: Math.round(m.offsetMs * 1000) / 1000,
    src: formatEndpoint(m.src),
    dst: formatEndpoint(m.dst),
    transport: m.transport,
    file: showControls(m.file),
    note: showControls(m.note),
    findings: m.findings,
    raw: showControls(m.raw),
  };
}

export function renderHtml(timeline: Timeline, options: HtmlOptions): string {
  const lang = timeline.lang;
  const c = COMMON[lang];
  const w = HTML[lang];
  const report = REPORT[lang];
  const data = {
    calls: timeline.calls.map((call) => ({
      number: call.number,
      messages: call.messages.map((m) => messageData(m, lang)),
      findings: call.findings.map((f) => ({ rule: showControls(f.rule), severity: f.severity, message: showControls(f.message) })),
    })),
  };
  const title = options.title ?? `${report.title} — ${timeline.inputs.map((i) => i.path).join(', ') || w.noInput}`;
  const script = reportScript(lang);
  const csp = `default-src 'none'; img-src data:; style-src 'sha256-${sha256(REPORT_CSS)}'; script-src 'sha256-${sha256(script)}'; base-uri 'none'; form-action 'none'`;
  const s = timeline.summary;
  return [
    '<!DOCTYPE html>',
    `<html lang="${h(w.htmlLang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // siplens's own text (hashes are base64, no quote or bracket): written as is.
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="generator" content="siplens">',
    '<link rel="icon" href="data:,">',
    `<title>${h(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header class="top">',
    `<h1>${h(report.title)}</h1>`,
    `<ul>${timeline.inputs.map((i) => `<li>${h(describeInput(i, lang))}</li>`).join('')}</ul>`,
    `<p>${h(`${c.callCount(s.calls)} · ${w.sipMessages(s.messages)} · ${c.findings}: ${c.severityCounts(s.findings.error, s.findings.warning, s.findings.info)}`)}</p>`,
    '</header>',
    `<nav class="sections"><a href="#summary">${h(c.summary)}</a><a href="#calls">${h(report.calls)}</a><a href="#details">${h(w.laddersAndFindings)}</a><a href="#diagnostics">${h(c.diagnostics)}</a></nav>`,
    '<main>',
    summarySection(timeline, options.statistics),
    callsSection(timeline),
    `<section id="details"><h2>${h(w.laddersAndFindings)}</h2><p class="muted">${h(w.clickHint)}</p>`,
    ...timeline.calls.map((call) => callSection(call, options, lang)),
    '</section>',
    diagnosticsSection(timeline),
    '</main>',
    '<aside class="panel" id="message" hidden tabindex="-1" aria-labelledby="message-title">',
    `<button type="button" class="close" id="message-close" aria-label="${h(w.close)}">✕</button>`,
    '<h2 id="message-title" class="mono"></h2>',
    '<div id="message-meta"></div>',
    '<div id="message-body"></div>',
    '</aside>',
    `<script type="application/json" id="siplens-data">${jsonForScript(data)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
