/**
 * The HTML report: one self-contained file (inline style and script, no network; a
 * Content-Security-Policy allows only its own script and style, by hash) that opens from
 * disk. A summary with the statistics, the list of calls (sortable; filtered by text,
 * outcome, type and rule; each Call-ID whole), per call its legs (linked to each other) and
 * an SVG ladder whose arrows open the message as captured (headers highlighted, SDP
 * explained line by line), the findings with why and fix linked to their messages, and the
 * input diagnostics.
 *
 * Every string from the trace is escaped (htmlText for text and attributes, which also
 * makes control characters and bidi overrides visible; the data block is JSON with `<`,
 * `>`, `&` as \u escapes); the script builds nodes with textContent only.
 * Pure: timeline in, string out (the hashes make it deterministic too).
 */
import { mainProblemLines } from '../findings.js';
import { crypto, zlib } from '../../parse/lazy-builtins.js';
import { diffMs } from '../../time.js';
import { formatDuration, messageRef } from '../values.js';
import { StatisticsBuilder, type Statistics } from '../stats.js';
import { countedMessages, type Timeline, type TimelineCall, type TimelineMessage } from '../timeline.js';
import { htmlText as h, jsonForScript, showControls } from './escape.js';
import { formatEndpoint, formatTimestampIso, formatTimestampText } from './format.js';
import { REPORT_CSS, reportScript, THEME_SCRIPT } from './html-assets.js';
import { arrowLabel, participantsOf } from './ladder.js';
import { kindShort, legCauseLine, legParts, legShort, typeShort, typeText } from '../legs.js';
import { describeInput, diagnosticLine } from './messages.js';
import { formatMs, formatRatio, mediaDistributionRows } from './stats.js';
import type { Lang } from '../../annotate/i18n.js';
import type { Outcome } from '../../annotate/outcome.js';
import { COMMON, HTML, MEDIA, MEDIA_REPORT, REPORT, STATS, TEXT } from '../catalog.js';
import type { CallStream } from '../../parse/media/types.js';
import { lossPercent, mediaLines, negotiatedMedia, streamLine, xrDetail } from '../media.js';
import { ladderRows, mediaColumns, offsetText, streamEndLabel, streamFigures, streamOffsets, streamStartLabel } from './media-ladder.js';

export interface HtmlOptions {
  /** The inputs as given, for the page's title (known before they are read). */
  readonly inputs: readonly string[];
  readonly aliases?: ReadonlyMap<string, string>;
  /** Page title (default: the inputs). */
  readonly title?: string;
}

function sha256(text: string): string {
  return crypto().createHash('sha256').update(text, 'utf8').digest('base64');
}

/**
 * What the call list shows of a call, parsed when the page loads. Words in the report's
 * language; `search` holds what the filter looks in beside the shown columns (addresses,
 * request URIs, outcome and type, rules), lower-cased.
 */
function callRow(call: TimelineCall, lang: Lang): Record<string, unknown> {
  const rules = [...new Set(call.findings.map((f) => f.rule))];
  const worst = call.findings.some((f) => f.severity === 'error') ? 'error' : call.findings.some((f) => f.severity === 'warning') ? 'warning' : call.findings.length ? 'info' : '';
  const search = new Set([call.outcome, call.type, kindShort(call, lang), ...rules]);
  for (const m of call.messages) {
    search.add(formatEndpoint(m.src));
    search.add(formatEndpoint(m.dst));
    if (m.requestUri !== null) search.add(m.requestUri);
  }
  return {
    number: call.number,
    callId: showControls(call.callId),
    outcome: call.outcome,
    outcomeText: showControls(call.outcomeText),
    type: call.type,
    ...(call.partial ? { partial: true } : {}),
    // The type column and its filter: a partial call is a kind of its own ("call (partial)"), not a call among the others.
    typeText: typeShort(call, lang),
    ...(call.leg === null ? {} : { legText: legShort(call, lang) }),
    from: call.from === null ? null : showControls(call.from),
    to: call.to === null ? null : showControls(call.to),
    start: `${call.start.sec}.${String(call.start.nsec).padStart(9, '0')}`,
    startText: formatTimestampText(call.start),
    durationMs: Math.round(call.durationMs * 1000) / 1000,
    durationText: formatDuration(call.durationMs),
    findings: call.findings.length,
    worst,
    rules: rules.map(showControls),
    search: showControls([...search].join(' ').toLowerCase()),
  };
}

/** A message as the ladder draws it and the message panel shows it. */
function messageData(m: TimelineMessage, columns: ReadonlyMap<string, number>, lang: Lang): Record<string, unknown> {
  const src = formatEndpoint(m.src);
  const dst = formatEndpoint(m.dst);
  const ref = showControls(messageRef(m));
  const label = showControls(arrowLabel(m, lang));
  return {
    ref,
    label,
    aria: HTML[lang].arrow(ref, label, showControls(src), showControls(dst)),
    from: columns.get(src)!,
    to: columns.get(dst)!,
    request: m.method !== null,
    // A duplicate (the same packet captured again) is drawn dimmed like a retransmission; its label says which it is.
    retransmission: m.retransmission || m.duplicateOf !== null,
    time: formatTimestampIso(m.time),
    offsetMs: Math.round(m.offsetMs * 1000) / 1000,
    src: showControls(src),
    dst: showControls(dst),
    transport: m.transport,
    file: showControls(m.file),
    note: showControls(m.note),
    findings: m.findings,
    // Marked only where true: most messages carry no SDP.
    ...(m.sdp ? { sdp: true } : {}),
    raw: showControls(m.raw),
  };
}

/** A media stream: its rows in the ladder, its line in the media table and its chart's series. */
function streamData(call: TimelineCall, s: CallStream, n: number, ends: { from: number; to: number }, lang: Lang): Record<string, unknown> {
  const w = MEDIA_REPORT[lang].html;
  const m = MEDIA[lang];
  const rtp = s.rtp;
  const jitter = (v: number | undefined): string => (rtp === null || rtp.clockRate <= 0 || v === undefined ? '—' : `${v.toFixed(1)} ms`);
  const events = s.dtmf.flatMap((d) => (d.key === null ? [] : [d.key])).join(' ');
  const digits = [events, s.inbandDtmf.length === 0 ? '' : m.inband(s.inbandDtmf.map((d) => d.key).join(' '))].filter(Boolean).join(' · ');
  const xr = xrDetail(s, lang);
  const { first, last } = streamOffsets(call, s);
  const durationMs = diffMs(s.first, s.last);
  const seconds = durationMs / 1000;
  const f1 = (v: number): string => String(Math.round(v * 10) / 10);
  const { packets, lost, maxJitterMs, bucketMs } = s.series;
  const span = w.span(seconds.toFixed(seconds < 10 ? 2 : 1), f1(bucketMs));
  // The last bucket is cut short by the stream's end: the chart draws it as wide as the time it
  // covers, and its bar as the rate over that time, so the end does not look like a drop.
  const cover = Math.min(1, Math.max(0.05, (durationMs - (packets.length - 1) * bucketMs) / bucketMs));
  const rate = (i: number): number => packets[i]! / (i === packets.length - 1 ? cover : 1);
  let maxRate = 1;
  for (let i = 0; i < packets.length; i++) maxRate = Math.max(maxRate, rate(i));
  const maxJitter = Math.max(0, ...maxJitterMs);
  return {
    title: showControls(streamLine(s, lang)),
    from: ends.from,
    to: ends.to,
    startTime: `${offsetText(first)}  #${s.firstFrame}`,
    endTime: `${offsetText(last)}  #${s.lastFrame}`,
    startLabel: showControls(streamStartLabel(s, lang)),
    endLabel: showControls(streamEndLabel(s, lang)),
    figures: streamFigures(s, lang).map(showControls),
    table: [
      s.from === null ? m.unknownSide : `${m.side[s.from]} → ${m.side[s.from === 'caller' ? 'callee' : 'caller']}`,
      showControls(s.codec ?? (rtp === null ? s.kind.toUpperCase() : `PT ${rtp.firstPayloadType}`)),
      String(s.packets),
      rtp === null ? '—' : `${Math.max(0, rtp.lost)} (${lossPercent(s).toFixed(1)} %)`,
      jitter(rtp?.meanJitterMs),
      jitter(rtp?.maxJitterMs),
      s.quality === null ? '—' : s.quality.mos.toFixed(2),
      showControls(`${formatEndpoint(s.src)} → ${formatEndpoint(s.dst)}`),
      showControls(digits || '—'),
    ],
    // The receiver's RTCP XR VoIP metrics, when it sent any (the column is drawn only then).
    ...(xr === null ? {} : { xr }),
    // A stream over its life as a small chart of fixed size (its series has a fixed number of buckets); none without buckets.
    chart:
      packets.length === 0 || bucketMs <= 0
        ? null
        : {
            label: `${w.chartLabel(n)} (${span})`,
            title: `${w.legendPackets(Math.round(maxRate))} · ${w.legendJitter(f1(maxJitter))} · ${w.legendLoss} · ${span}`,
            packets,
            lost,
            maxJitterMs: maxJitterMs.map((j) => Math.round(j * 1000) / 1000),
            cover,
            maxRate,
            maxJitter,
          },
  };
}

/**
 * Everything the page needs to draw a call once it is opened: the line under its title, the
 * ladder's columns and rows, each message, each stream, the findings. Parsed only when opened.
 */
function callDetail(call: TimelineCall, aliases: ReadonlyMap<string, string> | undefined, lang: Lang): Record<string, unknown> {
  const c = COMMON[lang];
  const t = TEXT[lang];
  const sip = participantsOf(call, aliases);
  const { columns, ends } = mediaColumns(call, sip, aliases, lang);
  const index = new Map(sip.map((p, i) => [p.key, i]));
  const f = call.figures;
  const figures = [
    f.postDialDelayMs === null ? '' : `${t.postDialDelay} ${formatMs(f.postDialDelayMs)}`,
    f.setupMs === null ? '' : `${t.setup} ${formatMs(f.setupMs)}`,
    f.talkMs === null ? '' : `${t.talk} ${formatMs(f.talkMs)}`,
    f.hungUpBy === null ? '' : t.hungUp[f.hungUpBy],
  ].filter(Boolean);
  const streams = call.media?.streams ?? [];
  const noMedia = call.media !== null && streams.length === 0 ? mediaLines(call.media, call.figures.talkMs !== null, lang, '')[0] : undefined;
  const legs = legParts(call, lang);
  const codec = negotiatedMedia(call.media);
  return {
    callId: showControls(call.callId || c.noCallId),
    type: typeText(call, lang),
    // The legs line, each other leg a link to it; the cause of a failed inbound leg.
    legs: legs.length === 0 ? null : { title: t.legs, parts: legs, cause: legCauseLine(call, lang) },
    parties: call.from || call.to ? [showControls(call.from ?? '?'), showControls(call.to ?? '?')] : null,
    about: [c.message(countedMessages(call)), formatDuration(call.durationMs), REPORT[lang].startedUtc(formatTimestampText(call.start)), ...figures].join(' · '),
    ladderLabel: HTML[lang].ladderOf(call.number),
    columns: columns.map((p) => showControls(p.name)),
    rows: ladderRows(call).map((row) => (row.kind === 'message' ? row.index : { stream: row.stream, start: row.kind === 'start' })),
    messages: call.messages.map((m) => messageData(m, index, lang)),
    streams: streams.map((s, i) => streamData(call, s, i + 1, ends[i]!, lang)),
    noMedia: noMedia ?? null,
    ...(streams.some((s) => s.rtcp?.lastVoipMetrics) ? { xrColumn: MEDIA_REPORT[lang].html.xr } : {}),
    codec: codec === null ? null : showControls(codec),
    findings: call.findings.map((finding) => ({
      rule: showControls(finding.rule),
      severity: finding.severity,
      message: showControls(finding.message),
      explanation: showControls(finding.explanation),
      fix: showControls(finding.fix),
      rfc: showControls(finding.rfc),
      messages: finding.messages.map((i) => ({ index: i, ref: showControls(messageRef(call.messages[i]!)) })),
    })),
  };
}

function distributionRow(name: string, d: Statistics['setupMs']): string {
  return `<tr><td>${h(name)}</td><td class="num">${d.count}</td>${[d.min, d.median, d.p95, d.max].map((v) => `<td class="num">${h(formatMs(v))}</td>`).join('')}</tr>`;
}

function summarySection(lang: Lang, sum: Timeline['summary'], s: Statistics): string {
  const c = COMMON[lang];
  const w = HTML[lang];
  const st = STATS[lang];
  const k = st.columns;
  const figure = (value: string, label: string): string => `<div class="figure"><b>${h(value)}</b><span>${h(label)}</span></div>`;
  const out = [`<section id="summary"><h2>${h(c.summary)}</h2><div class="figures">`];
  out.push(figure(String(sum.calls), w.figures.calls));
  out.push(figure(String(sum.messages), w.figures.messages(sum.retransmissions)));
  out.push(figure(formatRatio(s.asr), w.figures.asr(s.answered, s.seizures)));
  out.push(figure(formatRatio(s.ner), w.figures.ner));
  out.push(figure(`${sum.findings.error} / ${sum.findings.warning} / ${sum.findings.info}`, `${c.findings}: ${c.severity.error} / ${c.severity.warning} / ${c.severity.info}`));
  out.push(figure(String(sum.diagnostics.error + sum.diagnostics.warning + sum.diagnostics.info), w.figures.inputDiagnostics));
  out.push('</div>');
  const problems = mainProblemLines(sum.mainProblems, lang);
  if (problems.length > 0) out.push(`<h3>${h(c.mainProblems)}</h3><ul class="problems">${problems.map((p) => `<li>${h(p)}</li>`).join('')}</ul>`);
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
  const media = mediaDistributionRows(s, lang);
  if (media.length > 0) {
    const m = MEDIA_REPORT[lang].stats;
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

function diagnosticsSection(lang: Lang, inputs: Timeline['inputs']): string {
  const w = HTML[lang];
  const out = [`<section id="diagnostics"><h2>${h(w.inputsAndDiagnostics)}</h2><ul>`];
  for (const input of inputs) {
    out.push(`<li>${h(describeInput(input, lang))}`);
    if (input.diagnostics.length > 0) {
      out.push('<ul>');
      for (const d of input.diagnostics) out.push(`<li class="mono"><span class="sev ${d.severity}">${h(d.severity)}</span> ${h(diagnosticLine(d, lang).trim().replace(/^\S+ /, ''))}</li>`);
      out.push('</ul>');
    } else out.push(` <span class="muted">— ${h(w.noDiagnostics)}</span>`);
    out.push('</li>');
  }
  out.push('</ul></section>');
  return out.join('\n');
}

/** The list of keyboard shortcuts, shown by `?` (the keys are read by the script in html-assets.ts). */
function keysDialog(lang: Lang): string {
  const w = HTML[lang];
  const k = w.keys;
  const keys: [string[], string][] = [
    [['j', '↓'], k.next],
    [['k', '↑'], k.previous],
    [['n'], k.nextCall],
    [['p'], k.previousCall],
    [[w.enterKey], k.open],
    [['Esc'], k.close],
    [['/'], k.filter],
    [['?'], k.help],
  ];
  return [
    '<aside class="keys" id="keys" hidden tabindex="-1" role="dialog" aria-labelledby="keys-title">',
    `<button type="button" class="close" id="keys-close" aria-label="${h(w.close)}">✕</button>`,
    `<h2 id="keys-title">${h(w.keysTitle)}</h2>`,
    `<table><tbody>${keys.map(([names, what]) => `<tr><td>${names.map((name) => `<kbd>${h(name)}</kbd>`).join(' ')}</td><td>${h(what)}</td></tr>`).join('')}</tbody></table>`,
    '</aside>',
  ].join('\n');
}

/** The end of a streamed report: what is known only once every call is over. */
export interface HtmlEnd {
  readonly inputs: Timeline['inputs'];
  readonly summary: Timeline['summary'];
}

/** A report written as the analysis goes: the page's head first, then the calls as they are handed over, then the end. */
export interface HtmlReportWriter {
  begin(): string;
  call(call: TimelineCall): string;
  end(end: HtmlEnd): string;
}

/**
 * Calls are written in batches of at most this many calls or this many characters of detail
 * data: a browser spends its time on elements more than on bytes (BENCHMARKS.md, 100,000 calls:
 * one element per call loaded 4 to 6 times slower than one per batch), and a batch held until
 * it is written is bounded.
 */
const BATCH_CALLS = 500;
const BATCH_DETAIL_CHARS = 256 * 1024;

/**
 * The HTML report, streamed: the head (style, the empty call list and its controls), then the
 * calls in batches as they complete, then the summary, the statistics (added up call by call)
 * and the diagnostics, and last the script, which builds the call list and draws a call when it
 * is opened. A batch is one inert JSON block (`<`, `>`, `&`, U+2028/2029 as \u escapes): the
 * calls' lines in the list, parsed when the page loads, and what their ladders, media and
 * findings need as one deflate-compressed (RFC 1951) base64 string, inflated by the browser's
 * DecompressionStream only when one of them is opened (a call's messages repeat the same
 * headers: details shrink about sevenfold). The lines are not compressed: inflating every
 * batch on load cost more than reading them (BENCHMARKS.md). Holds at most one batch: memory
 * follows the calls open in the analysis, not the calls written.
 */
export function htmlReport(lang: Lang, options: HtmlOptions): HtmlReportWriter {
  const c = COMMON[lang];
  const w = HTML[lang];
  const report = REPORT[lang];
  const statistics = new StatisticsBuilder();
  let rows: string[] = [];
  let details: string[] = [];
  let detailChars = 0;
  const batch = (): string => {
    if (rows.length === 0) return '';
    const packed = zlib().deflateRawSync(Buffer.from(`[${details.join(',')}]`, 'utf8')).toString('base64');
    const block = `<script type="application/json" class="calls">{"rows":[${rows.join(',')}],"details":"${packed}"}</script>\n`;
    rows = [];
    details = [];
    detailChars = 0;
    return block;
  };
  return {
    begin(): string {
      const title = options.title ?? `${report.title} — ${options.inputs.join(', ') || w.noInput}`;
      const script = reportScript(lang);
      const csp = `default-src 'none'; img-src data:; style-src 'sha256-${sha256(REPORT_CSS)}'; script-src 'sha256-${sha256(THEME_SCRIPT)}' 'sha256-${sha256(script)}'; base-uri 'none'; form-action 'none'`;
      const k = report.columns;
      const sortable = (kind: 'number' | 'text', name: string, numeric = false): string => `<th data-sort="${kind}"${numeric ? ' class="num"' : ''} tabindex="0">${h(name)}</th>`;
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
        // Before the body is drawn, so a page of many calls is not shown in the other theme while it loads.
        `<script>${THEME_SCRIPT}</script>`,
        '</head>',
        '<body>',
        `<nav class="sections"><a href="#summary">${h(c.summary)}</a><a href="#calls">${h(report.calls)}</a><a href="#details">${h(w.laddersAndFindings)}</a><a href="#diagnostics">${h(c.diagnostics)}</a>` +
          `<span class="tools"><button type="button" id="keys-open" aria-keyshortcuts="?">${h(w.keysButton)} (?)</button><button type="button" id="theme-toggle" aria-pressed="false">${h(w.darkMode)}</button></span></nav>`,
        '<main>',
        `<section id="calls"><h2>${h(report.calls)}</h2>`,
        '<div class="controls">',
        `<input type="search" id="filter-text" placeholder="${h(w.filter.placeholder)}" aria-label="${h(w.filter.text)}">`,
        `<select id="filter-outcome" aria-label="${h(w.filter.outcome)}"><option value="">${h(w.filter.anyOutcome)}</option></select>`,
        `<select id="filter-type" aria-label="${h(w.filter.type)}"><option value="">${h(w.filter.anyType)}</option></select>`,
        `<select id="filter-rule" aria-label="${h(w.filter.rule)}"><option value="">${h(w.filter.anyRule)}</option></select>`,
        '<span class="count" id="filter-count"></span>',
        '</div>',
        '<div class="call-list" id="call-list"><table id="call-table"><thead><tr>',
        sortable('number', '#', true) + sortable('text', k.outcome) + sortable('text', k.type) + sortable('text', k.from) + sortable('text', k.to),
        sortable('number', k.start) + sortable('number', k.duration, true) + sortable('number', k.findings, true) + sortable('text', k.callId),
        '</tr></thead><tbody></tbody></table></div>',
        '</section>',
        `<section id="details"><h2>${h(w.laddersAndFindings)}</h2><p class="muted">${h(w.clickHint)}</p><div id="opened"></div></section>`,
        '',
      ].join('\n');
    },
    call(call: TimelineCall): string {
      statistics.add(call);
      rows.push(jsonForScript(callRow(call, lang)));
      const detail = JSON.stringify(callDetail(call, options.aliases, lang));
      details.push(detail);
      detailChars += detail.length;
      return rows.length >= BATCH_CALLS || detailChars >= BATCH_DETAIL_CHARS ? batch() : '';
    },
    end(end: HtmlEnd): string {
      const s = end.summary;
      return [
        batch(),
        summarySection(lang, s, statistics.result()),
        diagnosticsSection(lang, end.inputs),
        '</main>',
        // Written last, as the figures are known only now; the script moves it to the top.
        '<header class="top">',
        `<h1>${h(report.title)}</h1>`,
        `<ul>${end.inputs.map((i) => `<li>${h(describeInput(i, lang))}</li>`).join('')}</ul>`,
        `<p>${h(`${c.callCount(s.calls)} · ${w.sipMessages(s.messages)} · ${c.findings}: ${c.severityCounts(s.findings.error, s.findings.warning, s.findings.info)}`)}</p>`,
        '</header>',
        '<aside class="panel" id="message" hidden tabindex="-1" aria-labelledby="message-title">',
        `<button type="button" class="close" id="message-close" aria-label="${h(w.close)}">✕</button>`,
        `<button type="button" class="copy-link" id="message-link">${h(w.copyLink)}</button>`,
        '<h2 id="message-title" class="mono"></h2>',
        '<div id="message-meta"></div>',
        '<div id="message-body"></div>',
        '</aside>',
        keysDialog(lang),
        '<p class="status" id="status" role="status" aria-live="polite"></p>',
        `<script>${reportScript(lang)}</script>`,
        '</body>',
        '</html>',
        '',
      ].join('\n');
    },
  };
}

/** The whole report of a timeline at once: the streamed report's parts joined. */
export function renderHtml(timeline: Timeline, options: Omit<HtmlOptions, 'inputs'> = {}): string {
  const writer = htmlReport(timeline.lang, { ...options, inputs: timeline.inputs.map((i) => i.path) });
  return writer.begin() + timeline.calls.map((call) => writer.call(call)).join('') + writer.end(timeline);
}
