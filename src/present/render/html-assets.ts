/**
 * The stylesheet and script of the HTML report, inlined into every report (no network,
 * no CDN: the file opens from disk). The script never parses trace text as HTML: it reads
 * the JSON data blocks and builds nodes with textContent. Its own words are written into it
 * as JSON, so the script is one per language (and so is its hash in the page's CSP).
 *
 * The page stays fast whatever the number of calls: the call list draws only the rows in
 * view (filters and sorting work on an array of the calls' list lines), and a call's ladder,
 * media table and findings are built only when the call is opened, from its own data block,
 * parsed then. The ladder's geometry is src/present/render/html.ts's data drawn as SVG here.
 */
import type { Lang } from '../../annotate/i18n.js';
import { COMMON, HTML, HTML_SCRIPT, MEDIA_REPORT } from '../catalog.js';
import { jsonForScript } from './escape.js';

/**
 * The page's colours, every one a custom property: a light set, and a dark one used when the
 * system prefers dark (prefers-color-scheme) or the reader chose it with the page's toggle
 * (`data-theme` on the root element, remembered in localStorage). Paper gets the light set.
 */
const LIGHT = {
  fg: '#1d232a',
  muted: '#5b6673',
  line: '#d5dbe1',
  bg: '#fff',
  panel: '#f6f8fa',
  accent: '#0b62c4',
  error: '#c62828',
  warning: '#b26a00',
  info: '#1565c0',
  ok: '#2e7d32',
  badge: '#eef1f4',
  'ok-bg': '#e3f3e4',
  'error-bg': '#fde8e8',
  'warning-bg': '#fff3e0',
  ladder: '#fcfdfe',
  lifeline: '#9aa5b1',
  arrow: '#34495e',
  retransmission: '#8e99a4',
  hover: '#e8f0fb',
  selected: '#d0e2fa',
  rtp: '#00897b',
  'rtp-label': '#00695c',
  chart: '#90b8e0',
  jitter: '#e65100',
  'header-name': '#6a1b9a',
  body: '#37474f',
  shadow: 'rgba(0,0,0,.12)',
};
const DARK: typeof LIGHT = {
  fg: '#dde3ea',
  muted: '#98a4b1',
  line: '#3a434d',
  bg: '#13171c',
  panel: '#1b2128',
  accent: '#6cb0ff',
  error: '#ff7b72',
  warning: '#e3a341',
  info: '#79b8ff',
  ok: '#6bcf77',
  badge: '#28303a',
  'ok-bg': '#183320',
  'error-bg': '#3f1c1c',
  'warning-bg': '#3a2b12',
  ladder: '#161b21',
  lifeline: '#59646f',
  arrow: '#c0ccd8',
  retransmission: '#76818c',
  hover: '#1f2d40',
  selected: '#1e3a5f',
  rtp: '#4db6ac',
  'rtp-label': '#80cbc4',
  chart: '#4a78a6',
  jitter: '#ff9e52',
  'header-name': '#d2a8ff',
  body: '#b4c0cb',
  shadow: 'rgba(0,0,0,.5)',
};
const declarations = (colours: typeof LIGHT): string => Object.entries(colours).map(([name, value]) => `--${name}: ${value};`).join(' ');
const THEMES = [
  `:root { color-scheme: light; ${declarations(LIGHT)} }`,
  `@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { color-scheme: dark; ${declarations(DARK)} } }`,
  `:root[data-theme="dark"] { color-scheme: dark; ${declarations(DARK)} }`,
  `@media print { :root, :root[data-theme], :root:not([data-theme="light"]) { color-scheme: light; ${declarations(LIGHT)} } }`,
].join('\n');

/** Where the reader's choice of theme is kept (localStorage: per origin, so one choice for every report opened from disk). */
const THEME_KEY = 'siplens-theme';

/**
 * Run in the page's head, before the body is drawn: the theme the reader chose, so a page of
 * many calls is not shown in the other one while it loads. Storage may be refused (a browser's
 * privacy settings): the system's preference then stands.
 */
export const THEME_SCRIPT = `try { var theme = localStorage.getItem('${THEME_KEY}'); if (theme === 'dark' || theme === 'light') document.documentElement.setAttribute('data-theme', theme); } catch (e) {}`;

export const REPORT_CSS = `
${THEMES}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
header.top ul { margin: 4px 0; padding-left: 18px; color: var(--muted); }
nav.sections { display: flex; gap: 16px; padding: 8px 24px; border-bottom: 1px solid var(--line); background: var(--panel); position: sticky; top: 0; z-index: 2; }
nav.sections a { color: var(--accent); text-decoration: none; }
main { padding: 8px 24px 48px; max-width: 1400px; }
h2 { font-size: 17px; margin: 24px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th[data-sort] { cursor: pointer; user-select: none; white-space: nowrap; }
th[data-sort]::after { content: " ↕"; color: var(--muted); }
th[aria-sort="ascending"]::after { content: " ↑"; color: var(--fg); }
th[aria-sort="descending"]::after { content: " ↓"; color: var(--fg); }
#call-table tbody tr[data-call]:hover { background: var(--panel); }
.call-list { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
#call-table { table-layout: fixed; width: 100%; margin: 0; }
#call-table thead th { position: sticky; top: 0; background: var(--bg); z-index: 1; }
#call-table td { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; height: 27px; }
#call-table td.callid, .callid { white-space: normal; overflow-wrap: anywhere; word-break: break-all; }
#call-table tbody tr[data-call] { cursor: pointer; }
#call-table tr.spacer td { padding: 0; border: 0; height: auto; }
#call-table th:nth-child(1) { width: 3.5em; } #call-table th:nth-child(2) { width: 13em; } #call-table th:nth-child(3) { width: 10em; }
#call-table th:nth-child(4), #call-table th:nth-child(5) { width: 11%; }
#call-table th:nth-child(6) { width: 14.5em; } #call-table th:nth-child(7), #call-table th:nth-child(8) { width: 5.5em; }
section.call h3 .close { float: right; font-size: 16px; border: 0; background: none; cursor: pointer; color: var(--muted); }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.figure b { display: block; font-size: 18px; }
.figure span { color: var(--muted); font-size: 12px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.controls input[type=search] { min-width: 260px; padding: 4px 8px; }
.controls select { padding: 3px 6px; }
.count { color: var(--muted); }
.outcome { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; background: var(--badge); white-space: nowrap; }
.outcome.answered, .outcome.completed { background: var(--ok-bg); color: var(--ok); }
.outcome.failed, .outcome.stuck, .outcome.no-response, .outcome.rejected { background: var(--error-bg); color: var(--error); }
.outcome.busy, .outcome.no-answer, .outcome.cancelled, .outcome.unresolved, .outcome.redirected { background: var(--warning-bg); color: var(--warning); }
.outcome.plain.answered, .outcome.plain.completed { background: var(--badge); color: var(--muted); }
.sev { font-weight: 600; }
.sev.error { color: var(--error); } .sev.warning { color: var(--warning); } .sev.info { color: var(--info); }
section.call { border-top: 1px solid var(--line); margin-top: 20px; padding-top: 4px; scroll-margin-top: 40px; }
section.call .meta { color: var(--muted); }
.ladder { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--ladder); }
.ladder svg { display: block; }
.ladder text { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; fill: var(--fg); }
.ladder .party { font-weight: 600; }
.ladder .lifeline { stroke: var(--lifeline); stroke-width: 1; }
.ladder .time { fill: var(--muted); }
.ladder g.msg { cursor: pointer; }
.ladder g.msg line, .ladder g.msg path { stroke: var(--arrow); stroke-width: 1.4; }
.ladder g.msg polygon { fill: var(--arrow); }
.ladder g.msg.response line { stroke-dasharray: 5 3; }
.ladder g.msg.retr line { stroke: var(--retransmission); stroke-dasharray: 2 3; }
.ladder g.msg.retr polygon, .ladder g.msg.retr text.label { fill: var(--retransmission); }
.ladder g.msg .hit { fill: transparent; }
.ladder g.msg:hover .hit, .ladder g.msg:focus .hit { fill: var(--hover); }
.ladder g.msg.selected .hit { fill: var(--selected); }
.ladder g.msg:focus { outline: none; }
.ladder g.msg:focus-visible .hit { stroke: var(--accent); stroke-width: 2; }
.ladder text.delta { fill: var(--muted); font-size: 10.5px; }
.ladder tspan.sdp { fill: var(--accent); font-weight: 700; font-size: 10.5px; }
.ladder circle.error { fill: var(--error); } .ladder circle.warning { fill: var(--warning); } .ladder circle.info { fill: var(--info); }
.ladder g.rtp line, .ladder g.rtp path { stroke: var(--rtp); stroke-width: 3; }
.ladder g.rtp polygon { fill: var(--rtp); }
.ladder g.rtp.end line, .ladder g.rtp.end path { stroke-width: 1.4; stroke-dasharray: 2 3; }
.ladder g.rtp text.label { fill: var(--rtp-label); }
.ladder text.figures { fill: var(--muted); font-size: 11px; }
table.media caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.media td { vertical-align: middle; white-space: nowrap; }
table.media td.xr { white-space: normal; min-width: 16em; }
table.media td.xr span { white-space: nowrap; }
svg.chart { display: block; background: var(--panel); border: 1px solid var(--line); }
svg.chart rect.p { fill: var(--chart); }
svg.chart rect.loss { fill: var(--error); }
svg.chart polyline.j { fill: none; stroke: var(--jitter); stroke-width: 1.2; }
p.media-none { color: var(--warning); }
ul.findings { list-style: none; padding: 0; }
ul.findings li { border-left: 3px solid var(--line); padding: 4px 10px; margin: 8px 0; }
ul.findings li.error { border-color: var(--error); } ul.findings li.warning { border-color: var(--warning); } ul.findings li.info { border-color: var(--info); }
ul.findings p { margin: 2px 0; }
button.ref { font: inherit; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; border: 1px solid var(--line); background: var(--panel); border-radius: 4px; padding: 0 4px; cursor: pointer; color: var(--accent); }
aside.panel { position: fixed; top: 0; right: 0; bottom: 0; width: min(720px, 100vw); background: var(--bg); border-left: 1px solid var(--line);
  box-shadow: -4px 0 16px var(--shadow); overflow: auto; padding: 12px 16px 32px; z-index: 5; }
aside.panel[hidden] { display: none; }
aside.panel .close, aside.keys .close { float: right; font-size: 18px; border: 0; background: none; cursor: pointer; color: var(--fg); }
aside.panel h2 { margin-top: 4px; }
.raw { border: 1px solid var(--line); border-radius: 6px; background: var(--panel); padding: 8px 10px; white-space: pre-wrap; word-break: break-all; }
.raw .start { font-weight: 700; }
.raw .hname { color: var(--header-name); }
.raw .hname.key { color: var(--accent); font-weight: 600; }
.raw .body { color: var(--body); }
table.sdp td:first-child { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-all; }
table.sdp td:last-child { color: var(--muted); }
.muted { color: var(--muted); }
[hidden] { display: none !important; }
#call-table tbody tr.current td { background: var(--selected); }
#call-table tbody tr.current td:first-child { box-shadow: inset 3px 0 0 var(--accent); }
nav.sections .tools { margin-left: auto; display: flex; gap: 8px; }
nav.sections button, button.copy-link { font: inherit; font-size: 12.5px; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 1px 8px; cursor: pointer; }
#theme-toggle[aria-pressed="true"] { background: var(--selected); }
section.call h3 a.permalink { color: inherit; text-decoration: none; }
section.call h3 a.permalink:hover { text-decoration: underline; }
section.call h3 .copy-link { margin-left: 8px; vertical-align: 1px; }
section.call .codec { display: inline-block; margin-left: 4px; padding: 0 6px; border-radius: 10px; font-size: 12px; background: var(--badge); }
aside.panel .copy-link { float: right; margin: 4px 12px 0 0; }
aside.keys { position: fixed; top: 64px; left: 50%; transform: translateX(-50%); width: min(520px, 96vw); background: var(--bg); border: 1px solid var(--line);
  border-radius: 8px; box-shadow: 0 8px 24px var(--shadow); padding: 8px 16px 12px; z-index: 6; }
aside.keys td:first-child { white-space: nowrap; }
kbd { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 5px; background: var(--panel); }
p.status { position: fixed; bottom: 12px; left: 50%; transform: translateX(-50%); margin: 0; padding: 4px 12px; border-radius: 6px; background: var(--fg); color: var(--bg); z-index: 7; }
p.status:empty { display: none; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
section.call:focus { outline: none; }
section.call:focus-visible h3 { text-decoration: underline; text-decoration-color: var(--accent); }
@media print {
  nav.sections, #calls, #details > p.muted, aside.panel, aside.keys, p.status, button.close, button.copy-link { display: none !important; }
  /* With a call opened, the paper carries the calls opened; with none, the summary and the inputs. */
  body:has(#opened section.call:not([hidden])) #summary, body:has(#opened section.call:not([hidden])) #diagnostics { display: none; }
  body { font-size: 11px; }
  main { padding: 0; max-width: none; }
  #details > h2 { display: none; }
  section.call { break-before: page; border-top: 0; margin-top: 0; }
  section.call:first-child { break-before: auto; }
  .ladder { overflow: visible; border: 0; }
  .ladder svg { max-width: 100%; height: auto; }
  .ladder g.msg .hit { fill: transparent !important; stroke: none !important; }
  ul.findings li { break-inside: avoid; }
}
`;


/** The report's script with the words of `lang`. */
export function reportScript(lang: Lang): string {
  const c = COMMON[lang];
  const m = MEDIA_REPORT[lang].html;
  const words = {
    ...HTML_SCRIPT[lang],
    call: c.call,
    severity: c.severity,
    outcomeName: c.outcomeName,
    why: c.why,
    fix: c.fix,
    see: c.see,
    close: HTML[lang].close,
    copyLink: HTML[lang].copyLink,
    linkCopied: HTML[lang].linkCopied,
    media: { title: m.title, direction: m.direction, codec: m.codec, packets: m.packets, lost: m.lost, meanJitter: m.meanJitter, maxJitter: m.maxJitter, addresses: m.addresses, dtmf: m.dtmf, chart: m.chart },
  };
  return `
(function () {
  'use strict';
  var WORDS = ${jsonForScript(words)};
  var SEVERITY_MARK = { error: '\\u2716', warning: '\\u26a0', info: '\\u2139' };
  var SVG = 'http://www.w3.org/2000/svg';

  function el(tag, cls, textValue) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (textValue !== undefined) node.textContent = textValue;
    return node;
  }
  function svg(tag, attributes, textValue) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, String(attributes[name])); });
    if (textValue !== undefined) node.textContent = textValue;
    return node;
  }
  function own(table, key) { return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined; }
  function truncate(text, max) {
    var chars = Array.from(text);
    return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '\\u2026';
  }
  /** As many of the parts as fit in max characters, joined by " · " (the first one cut if it alone is too long). */
  function fitting(parts, max) {
    var shown = '';
    for (var i = 0; i < parts.length; i++) {
      var next = shown ? shown + ' \\u00b7 ' + parts[i] : parts[i];
      if (Array.from(next).length > max && shown) break;
      shown = next;
    }
    return truncate(shown, max);
  }

  // The summary and the header are written after the calls (their figures are known only at the
  // end of the analysis): shown first.
  var main = document.querySelector('main');
  document.body.insertBefore(document.querySelector('header.top'), document.body.firstChild);
  main.insertBefore(document.getElementById('summary'), main.firstChild);

  /** A batch's details, deflated (RFC 1951 raw deflate) and base64-encoded by siplens, back as JSON. */
  function inflate(packed) {
    var binary = atob(packed);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).text().then(JSON.parse);
  }

  // The call list: one line per call, from the batches' data blocks; each batch's details stay
  // compressed until one of its calls is opened.
  var blocks = document.getElementsByClassName('calls');
  var batches = [];
  var rows = [];
  var byNumber = {};
  for (var b = 0; b < blocks.length; b++) {
    var block = JSON.parse(blocks[b].textContent);
    batches.push({ packed: block.details });
    for (var slot = 0; slot < block.rows.length; slot++) {
      var r = block.rows[slot];
      r.batch = b;
      r.slot = slot;
      rows.push(r);
      byNumber[r.number] = r;
    }
  }

  var text = document.getElementById('filter-text');
  var outcome = document.getElementById('filter-outcome');
  var type = document.getElementById('filter-type');
  var rule = document.getElementById('filter-rule');
  var count = document.getElementById('filter-count');
  var list = document.getElementById('call-list');
  var table = document.getElementById('call-table');
  var tbody = table.tBodies[0];
  var opened = document.getElementById('opened');

  function fillChoices() {
    var outcomes = {};
    var types = {};
    var rules = {};
    rows.forEach(function (r) {
      outcomes[r.outcome] = 1;
      types[r.typeText] = 1;
      r.rules.forEach(function (name) { rules[name] = 1; });
    });
    Object.keys(types).sort().forEach(function (t) {
      var option = el('option', '', t);
      option.value = t;
      type.appendChild(option);
    });
    Object.keys(outcomes).sort().forEach(function (o) {
      var option = el('option', '', own(WORDS.outcomeName, o) || o);
      option.value = o;
      outcome.appendChild(option);
    });
    Object.keys(rules).sort().forEach(function (name) {
      var option = el('option', '', name);
      option.value = name;
      rule.appendChild(option);
    });
  }

  function haystack(r) {
    if (r.haystack === undefined) r.haystack = [r.callId, r.from || '', r.to || '', r.outcomeText, r.search].join(' ').toLowerCase();
    return r.haystack;
  }

  // Where the reader is: the call and the message the keyboard moves from, null before any.
  var current = { call: null, msg: null };

  // Rows drawn: only those in view, between two spacers as tall as the rows above and below.
  // A row is one line tall, or more when its Call-ID wraps (shown whole, never cut). The Call-ID
  // column is monospace, so a row's height follows from its Call-ID's length; a row drawn a
  // line taller or shorter than that (characters of other widths) is remembered as measured.
  var order = rows.map(function (r, i) { return i; });
  var metrics = null;
  var measured = {};
  var tops = [0];
  var pending = false;

  function rowHeight(r) {
    if (!metrics) return 28;
    var known = measured[r.number];
    if (known !== undefined) return known;
    return metrics.base + (Math.max(1, Math.ceil((r.callId.length || 1) / metrics.perLine)) - 1) * metrics.line;
  }
  /** Where each row of the list starts: tops[i] for the i-th row shown, tops[order.length] the list's height. */
  function layout() {
    tops = new Float64Array(order.length + 1);
    for (var i = 0; i < order.length; i++) tops[i + 1] = tops[i] + rowHeight(rows[order[i]]);
  }
  /** The position in the list of the row at height y. */
  function rowAt(y) {
    var low = 0;
    var high = order.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (tops[middle + 1] <= y) low = middle + 1;
      else high = middle;
    }
    return low;
  }
  /** The Call-ID column's characters per line and a row's height, from a row drawn; false when the list is not laid out. */
  function measure(tr) {
    var cell = tr.lastChild;
    var style = getComputedStyle(cell);
    var probe = el('span', '', '0000000000000000000000000000000000000000');
    // On one line whatever the cell's width: its width is then 40 characters'.
    probe.style.whiteSpace = 'pre';
    cell.appendChild(probe);
    var charWidth = probe.getBoundingClientRect().width / 40;
    cell.removeChild(probe);
    var width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (!(charWidth > 0) || !(width > 0)) return false;
    var line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.45;
    var perLine = Math.max(1, Math.floor(width / charWidth));
    var r = byNumber[tr.getAttribute('data-call')];
    var lines = Math.max(1, Math.ceil((r.callId.length || 1) / perLine));
    metrics = { perLine: perLine, line: line, base: tr.getBoundingClientRect().height - (lines - 1) * line };
    return true;
  }

  /** An outcome's badge: green only for real calls, not for a registration, a ping or a call whose start is not in the capture. */
  function badge(r) {
    return el('span', 'outcome ' + r.outcome + (r.partial || r.type !== 'call' ? ' plain' : ''), r.outcomeText);
  }
  function rowElement(r) {
    var tr = el('tr', r.number === current.call ? 'current' : '');
    tr.setAttribute('data-call', r.number);
    if (r.number === current.call) tr.setAttribute('aria-current', 'true');
    var link = el('a', '', String(r.number));
    link.href = '#call-' + r.number;
    var cell = el('td', 'num');
    cell.appendChild(link);
    tr.appendChild(cell);
    cell = el('td');
    cell.appendChild(badge(r));
    tr.appendChild(cell);
    cell = el('td', '', r.legText ? r.typeText + ' \\u00b7 ' + r.legText : r.typeText);
    cell.title = cell.textContent;
    tr.appendChild(cell);
    tr.appendChild(el('td', 'mono', r.from === null ? '\\u2014' : r.from));
    tr.appendChild(el('td', 'mono', r.to === null ? '\\u2014' : r.to));
    tr.appendChild(el('td', '', r.startText));
    tr.appendChild(el('td', 'num', r.durationText));
    cell = el('td', 'num');
    if (r.findings) cell.appendChild(el('span', 'sev ' + r.worst, String(r.findings)));
    else cell.textContent = '0';
    tr.appendChild(cell);
    // The whole Call-ID, wrapped: the row grows (rowHeight).
    tr.appendChild(el('td', 'mono callid', r.callId || '\\u2014'));
    return tr;
  }
  function spacer(height) {
    var tr = el('tr', 'spacer');
    var td = el('td');
    td.colSpan = 9;
    tr.appendChild(td);
    tr.style.height = height + 'px';
    return tr;
  }
  function drawRows(again) {
    var first = Math.max(0, rowAt(list.scrollTop) - 10);
    var last = Math.min(order.length, rowAt(list.scrollTop + (list.clientHeight || 600)) + 11);
    var fragment = document.createDocumentFragment();
    fragment.appendChild(spacer(tops[first]));
    for (var i = first; i < last; i++) fragment.appendChild(rowElement(rows[order[i]]));
    fragment.appendChild(spacer(tops[order.length] - tops[last]));
    tbody.textContent = '';
    tbody.appendChild(fragment);
    if (last <= first) return;
    var changed = !metrics && measure(tbody.rows[1]);
    if (!metrics) return;
    for (var k = 1; k <= last - first; k++) {
      var tr = tbody.rows[k];
      var r = byNumber[tr.getAttribute('data-call')];
      var height = tr.getBoundingClientRect().height;
      // A line more or less than estimated (a character of another width); not the half pixel a row's place rounds to.
      if (Math.abs(height - rowHeight(r)) > metrics.line / 2) {
        measured[r.number] = height;
        changed = true;
      }
    }
    // Drawn again once with the heights learnt: the spacers then match the rows above and below.
    if (changed) {
      layout();
      if (!again) drawRows(true);
    }
  }
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; drawRows(); });
  }
  list.addEventListener('scroll', redraw);
  /** Scrolls the list (not the page) so the line of a call is in view, and draws it. */
  function revealRow(number) {
    var position = -1;
    for (var i = 0; i < order.length; i++) if (rows[order[i]].number === number) { position = i; break; }
    if (position < 0) { drawRows(); return; }
    // The header row stays at the top of the list (sticky) and covers what is under it.
    var head = table.tHead.getBoundingClientRect().height;
    function show(top, height) {
      if (top < list.scrollTop + head) list.scrollTop = top - head;
      else if (top + height > list.scrollTop + list.clientHeight) list.scrollTop = top + height - list.clientHeight;
    }
    // Where the line is by the rows' heights, then where it is once drawn.
    show(head + tops[position], tops[position + 1] - tops[position]);
    drawRows();
    var line = tbody.querySelector('tr[data-call="' + number + '"]');
    if (line) show(line.offsetTop, line.offsetHeight);
  }
  // A new width wraps the Call-IDs anew.
  window.addEventListener('resize', function () {
    metrics = null;
    measured = {};
    layout();
    redraw();
  });

  // Filters: free text, outcome, type, rule. They hide lines of the list and the calls opened.
  var sorted = order.slice();
  function shows(r, q, o, t, name) {
    return (!q || haystack(r).indexOf(q) >= 0) && (!o || r.outcome === o) && (!t || r.typeText === t) && (!name || r.rules.indexOf(name) >= 0);
  }
  function applyFilters() {
    var q = text.value.trim().toLowerCase();
    var o = outcome.value;
    var t = type.value;
    var name = rule.value;
    order = sorted.filter(function (i) { return shows(rows[i], q, o, t, name); });
    layout();
    Array.prototype.forEach.call(opened.children, function (section) {
      section.hidden = !shows(byNumber[section.getAttribute('data-call')], q, o, t, name);
    });
    count.textContent = order.length + ' ' + WORDS.of + ' ' + rows.length + ' ' + (rows.length === 1 ? WORDS.callOne : WORDS.callOther);
    list.scrollTop = 0;
    drawRows();
  }
  text.addEventListener('input', applyFilters);
  outcome.addEventListener('change', applyFilters);
  type.addEventListener('change', applyFilters);
  rule.addEventListener('change', applyFilters);

  // Sorting: click a column header; numbers compare as numbers, ties by call number.
  var KEYS = [
    function (r) { return r.number; }, function (r) { return r.outcome; }, function (r) { return r.typeText; }, function (r) { return r.from || ''; }, function (r) { return r.to || ''; },
    function (r) { return Number(r.start); }, function (r) { return r.durationMs; }, function (r) { return r.findings; }, function (r) { return r.callId; },
  ];
  var heads = Array.prototype.slice.call(table.querySelectorAll('th[data-sort]'));
  heads.forEach(function (th, column) {
    function sort() {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      heads.forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var key = KEYS[column];
      sorted.sort(function (a, b) {
        var x = key(rows[a]);
        var y = key(rows[b]);
        var d = x < y ? -1 : x > y ? 1 : 0;
        if (d === 0) d = rows[a].number - rows[b].number;
        return ascending ? d : -d;
      });
      applyFilters();
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
  });

  // A call opened: its data block parsed, its ladder, media and findings drawn; closed, all dropped.
  var details = {};
  var GUTTER = 170, COLUMN = 230, TOP = 46, ROW = 34;

  /** The time of day of an ISO 8601 capture time, to the microsecond ("12:00:01.234567"). */
  function clock(iso) {
    var t = /T(\\d\\d:\\d\\d:\\d\\d\\.\\d{6})/.exec(iso);
    return t ? t[1] : iso;
  }
  /** A time between two messages, in the unit that reads best. */
  function span(ms) {
    var size = Math.abs(ms);
    return size >= 1000 ? (ms / 1000).toFixed(3) + ' s' : size >= 10 ? ms.toFixed(1) + ' ms' : ms.toFixed(3) + ' ms';
  }

  function ladder(number, d) {
    var x = function (i) { return GUTTER + 20 + i * COLUMN; };
    var width = x(d.columns.length - 1) + COLUMN / 2 + 40;
    var height = TOP + d.rows.length * ROW + 20;
    var root = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': d.ladderLabel });
    d.columns.forEach(function (name, i) {
      var party = svg('text', { 'class': 'party', x: x(i), y: 18, 'text-anchor': 'middle' });
      party.appendChild(svg('title', {}, name));
      party.appendChild(document.createTextNode(truncate(name, 30)));
      root.appendChild(party);
      root.appendChild(svg('line', { 'class': 'lifeline', x1: x(i), y1: 26, x2: x(i), y2: height - 8 }));
    });
    function room(a, c) { return Math.max(6, Math.floor((Math.abs(x(c) - x(a)) - 20) / 7.2)); }
    /** An arrow's words: its label cut to the room there is, and a marker when the message carries SDP. */
    function labelText(attributes, label, max, sdp) {
      var node = svg('text', attributes, truncate(label, sdp ? Math.max(4, max - 4) : max));
      if (sdp) node.appendChild(svg('tspan', { 'class': 'sdp' }, ' SDP'));
      return node;
    }
    function arrow(g, a, c, y, label, sdp) {
      var x1 = x(a), x2 = x(c);
      var dir = x2 > x1 ? 1 : -1;
      var tip = x2 - dir * 2;
      g.appendChild(svg('line', { x1: x1, y1: y, x2: tip - dir * 8, y2: y }));
      g.appendChild(svg('polygon', { points: tip + ',' + y + ' ' + (tip - dir * 9) + ',' + (y - 4) + ' ' + (tip - dir * 9) + ',' + (y + 4) }));
      g.appendChild(labelText({ 'class': 'label', x: (x1 + x2) / 2, y: y - 5, 'text-anchor': 'middle' }, label, room(a, c), sdp));
    }
    function loop(g, a, y, label, sdp) {
      g.appendChild(svg('path', { d: 'M' + x(a) + ' ' + (y - 6) + ' h30 v12 h-30', fill: 'none' }));
      g.appendChild(labelText({ 'class': 'label', x: x(a) + 36, y: y + 4 }, label, 40, sdp));
    }
    // Each message's time is given as the time of day, and as the time since the call's first message and since the message above it.
    var previous = null;
    d.rows.forEach(function (row, r) {
      var y = TOP + r * ROW + ROW / 2;
      var g;
      if (typeof row !== 'number') {
        // A media stream: a thick arrow at its first packet (its figures under it), a dotted one at its last.
        var s = d.streams[row.stream];
        g = svg('g', { 'class': row.start ? 'rtp' : 'rtp end' });
        g.appendChild(svg('title', {}, s.title));
        g.appendChild(svg('text', { 'class': 'time', x: 6, y: y + 4 }, row.start ? s.startTime : s.endTime));
        var label = row.start ? s.startLabel : s.endLabel;
        if (s.from === s.to) loop(g, s.from, y, label, false);
        else {
          arrow(g, s.from, s.to, y, label);
          if (row.start) g.appendChild(svg('text', { 'class': 'figures', x: (x(s.from) + x(s.to)) / 2, y: y + 12, 'text-anchor': 'middle' }, fitting(s.figures, room(s.from, s.to) + 6)));
        }
        root.appendChild(g);
        return;
      }
      var m = d.messages[row];
      g = svg('g', { 'class': 'msg ' + (m.request ? 'request' : 'response') + (m.retransmission ? ' retr' : ''), 'data-call': number, 'data-msg': row, tabindex: 0, role: 'button', 'aria-label': m.aria });
      g.appendChild(svg('rect', { 'class': 'hit', x: 0, y: y - ROW / 2, width: width, height: ROW }));
      g.appendChild(svg('text', { 'class': 'time', x: 6, y: y - 2 }, clock(m.time) + '  ' + m.ref));
      g.appendChild(svg('text', { 'class': 'delta', x: 6, y: y + 11 }, '+' + (m.offsetMs / 1000).toFixed(3) + ' s' + (previous === null ? '' : '  \\u0394 ' + span(m.offsetMs - previous))));
      previous = m.offsetMs;
      if (m.from === m.to) loop(g, m.from, y, m.label, m.sdp);
      else arrow(g, m.from, m.to, y, m.label, m.sdp);
      m.findings.forEach(function (i, k) {
        var f = d.findings[i];
        var mark = svg('circle', { 'class': f.severity, cx: Math.max(x(m.from), x(m.to)) + 14 + k * 14, cy: y, r: 5 });
        mark.appendChild(svg('title', {}, WORDS.severity[f.severity] + ' ' + f.rule + ': ' + f.message));
        g.appendChild(mark);
      });
      root.appendChild(g);
    });
    return root;
  }

  /** A stream over its life: packets per interval as bars, the highest jitter per interval as a line, intervals with loss marked on top. */
  function chart(c) {
    var W = 192, H = 44, top = 6, plot = H - top;
    var buckets = c.packets.length;
    var step = W / (buckets - 1 + c.cover);
    var share = function (i) { return i === buckets - 1 ? c.cover : 1; };
    var f1 = function (v) { return Math.round(v * 10) / 10; };
    var root = svg('svg', { 'class': 'chart', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': c.label });
    root.appendChild(svg('title', {}, c.title));
    for (var i = 0; i < buckets; i++) {
      if (c.packets[i] > 0) {
        var bar = (c.packets[i] / share(i) / c.maxRate) * plot;
        root.appendChild(svg('rect', { 'class': 'p', x: f1(i * step), y: f1(H - bar), width: f1(Math.max(1, step * share(i) - 0.5)), height: f1(bar) }));
      }
      if (c.lost[i] > 0) root.appendChild(svg('rect', { 'class': 'loss', x: f1(i * step), y: 0, width: f1(Math.max(1.5, step * share(i) - 0.5)), height: top - 1 }));
    }
    if (c.maxJitter > 0) {
      var points = c.maxJitterMs.map(function (j, k) { return f1(k * step + (step * share(k)) / 2) + ',' + f1(H - (j / c.maxJitter) * plot); }).join(' ');
      root.appendChild(svg('polyline', { 'class': 'j', points: points }));
    }
    return root;
  }

  // The XR figures wrap between figures, never inside one: the cell stays narrow enough for the chart beside it.
  function xrCell(figures) {
    var td = el('td', 'mono xr');
    if (!figures) {
      td.textContent = '\\u2014';
      return td;
    }
    figures.forEach(function (f, i) {
      if (i > 0) td.appendChild(document.createTextNode(' \\u00b7 '));
      td.appendChild(el('span', '', f));
    });
    return td;
  }

  function mediaTable(d) {
    var w = WORDS.media;
    var tableNode = el('table', 'media');
    tableNode.appendChild(el('caption', '', w.title));
    var head = el('tr');
    var heads = [[w.direction], [w.codec], [w.packets, 'num'], [w.lost, 'num'], [w.meanJitter, 'num'], [w.maxJitter, 'num'], ['MOS', 'num'], [w.addresses], [w.dtmf]];
    if (d.xrColumn) heads.push([d.xrColumn]);
    heads.push([w.chart]);
    heads.forEach(function (h) {
      head.appendChild(el('th', h[1] || '', h[0]));
    });
    tableNode.appendChild(el('thead')).appendChild(head);
    var bodyNode = tableNode.appendChild(el('tbody'));
    var CLASSES = ['', 'mono', 'num', 'num', 'num', 'num', 'num', 'mono', 'mono'];
    d.streams.forEach(function (s) {
      var tr = el('tr');
      s.table.forEach(function (value, i) { tr.appendChild(el('td', CLASSES[i], value)); });
      if (d.xrColumn) tr.appendChild(xrCell(s.xr));
      var cell = el('td');
      if (s.chart) cell.appendChild(chart(s.chart));
      tr.appendChild(cell);
      bodyNode.appendChild(tr);
    });
    return tableNode;
  }

  function findingsList(number, d) {
    var ul = el('ul', 'findings');
    d.findings.forEach(function (f) {
      var li = el('li', f.severity);
      var first = el('p');
      first.appendChild(el('span', 'sev ' + f.severity, SEVERITY_MARK[f.severity] + ' ' + WORDS.severity[f.severity]));
      first.appendChild(document.createTextNode(' '));
      first.appendChild(el('code', '', f.rule));
      first.appendChild(document.createTextNode(' \\u00b7 '));
      f.messages.forEach(function (m, i) {
        if (i > 0) first.appendChild(document.createTextNode(' '));
        var ref = el('button', 'ref', m.ref);
        ref.type = 'button';
        ref.setAttribute('data-call', number);
        ref.setAttribute('data-msg', m.index);
        first.appendChild(ref);
      });
      li.appendChild(first);
      li.appendChild(el('p', '', f.message));
      [[WORDS.why, f.explanation], [WORDS.fix, f.fix]].forEach(function (pair) {
        var p = el('p');
        p.appendChild(el('b', '', pair[0] + ':'));
        p.appendChild(document.createTextNode(' ' + pair[1]));
        li.appendChild(p);
      });
      li.appendChild(el('p', 'muted', WORDS.see + ' ' + f.rfc));
      ul.appendChild(li);
    });
    return ul;
  }

  function callSection(number, r, d) {
    var section = el('section', 'call');
    section.id = 'call-' + number;
    section.tabIndex = -1;
    section.setAttribute('data-call', number);
    var h3 = el('h3');
    var permalink = el('a', 'permalink', WORDS.call + ' ' + number);
    permalink.href = '#call-' + number;
    h3.appendChild(permalink);
    h3.appendChild(document.createTextNode(' '));
    h3.appendChild(badge(r));
    var copy = el('button', 'copy-link', WORDS.copyLink);
    copy.type = 'button';
    copy.addEventListener('click', function () { copyLink(linkTo(number, null)); });
    h3.appendChild(copy);
    var close = el('button', 'close', '\\u2715');
    close.type = 'button';
    close.setAttribute('aria-label', WORDS.close);
    close.addEventListener('click', function () { closeCall(number); });
    h3.appendChild(close);
    section.appendChild(h3);
    var meta = el('p', 'meta');
    meta.appendChild(el('span', 'mono callid', d.callId));
    meta.appendChild(document.createTextNode(' \\u00b7 ' + d.type));
    if (d.parties) {
      meta.appendChild(document.createTextNode(' \\u00b7 '));
      meta.appendChild(el('span', 'mono', d.parties[0]));
      meta.appendChild(document.createTextNode(' \\u2192 '));
      meta.appendChild(el('span', 'mono', d.parties[1]));
    }
    meta.appendChild(document.createTextNode(' \\u00b7 ' + d.about));
    if (d.codec) {
      meta.appendChild(document.createTextNode(' \\u00b7 '));
      meta.appendChild(el('span', 'codec', WORDS.negotiatedCodec + ' ' + d.codec));
    }
    section.appendChild(meta);
    if (d.legs) {
      // "legs: call 1 (inbound) → call 2 (outbound, X-Call-ID)", each other leg a link that opens it.
      var legs = el('p', 'meta legs', d.legs.title + ': ');
      d.legs.parts.forEach(function (part, i) {
        if (i > 0) legs.appendChild(document.createTextNode(' \\u2192 '));
        if (part.call === number) legs.appendChild(el('b', '', part.label));
        else {
          var link = el('a', '', part.label);
          link.href = '#call-' + part.call;
          legs.appendChild(link);
        }
        legs.appendChild(document.createTextNode(part.detail));
      });
      section.appendChild(legs);
      if (d.legs.cause) section.appendChild(el('p', 'meta', d.legs.cause));
    }
    section.appendChild(el('div', 'ladder')).appendChild(ladder(number, d));
    if (d.streams.length) section.appendChild(mediaTable(d));
    else if (d.noMedia) section.appendChild(el('p', 'media-none', d.noMedia));
    if (d.findings.length) section.appendChild(findingsList(number, d));
    return section;
  }

  /** The details of a call's batch, inflated and parsed; the last batch opened is kept. */
  var inflated = null;
  function detailsOf(r) {
    var batch = batches[r.batch];
    if (inflated && inflated.batch === batch) return Promise.resolve(inflated.details[r.slot]);
    return inflate(batch.packed).then(function (details) {
      inflated = { batch: batch, details: details };
      return details[r.slot];
    });
  }

  /** Draws a call (once) and scrolls to it; resolves to its section, or null for no such call. */
  function openCall(number) {
    var r = byNumber[number];
    if (!r) return Promise.resolve(null);
    var section = document.getElementById('call-' + number);
    if (section) {
      section.hidden = false;
      section.scrollIntoView();
      return Promise.resolve(section);
    }
    return detailsOf(r).then(function (d) {
      var existing = document.getElementById('call-' + number);
      if (existing) return existing;
      details[number] = d;
      var drawn = callSection(number, r, d);
      // Opened calls in call order.
      var next = Array.prototype.find.call(opened.children, function (s) { return Number(s.getAttribute('data-call')) > number; });
      opened.insertBefore(drawn, next || null);
      drawn.scrollIntoView();
      return drawn;
    });
  }
  function closeCall(number) {
    var section = document.getElementById('call-' + number);
    if (section) section.remove();
    delete details[number];
    if (current.call === number) current.msg = null;
  }

  // Permalinks: #call-N opens call N, #call-N/msg-M its M-th message (counted from 1, as the
  // ladder's rows). The address follows the reader (replaced, not pushed: Back leaves the page).
  function hashOf(call, msg) { return '#call-' + call + (msg === null ? '' : '/msg-' + (msg + 1)); }
  function linkTo(call, msg) { return location.href.split('#')[0] + hashOf(call, msg); }
  // A key held down walks many messages a second; browsers refuse a flood of history changes,
  // so the address changes at most every 100 ms, and always to where the reader stopped.
  var addressTimer = 0;
  var addressAt = 0;
  function address(call, msg) {
    var hash = hashOf(call, msg);
    function apply() {
      addressAt = Date.now();
      if (location.hash !== hash) history.replaceState(null, '', hash);
    }
    clearTimeout(addressTimer);
    var wait = addressAt + 100 - Date.now();
    if (wait <= 0) apply();
    else addressTimer = setTimeout(apply, wait);
  }
  function follow(call, msg) {
    current.call = call;
    current.msg = msg;
    address(call, msg);
  }
  function openFromHash() {
    var m = /^#call-(\\d+)(?:\\/msg-(\\d+))?$/.exec(location.hash);
    if (!m) return;
    var number = Number(m[1]);
    var index = m[2] === undefined ? null : Number(m[2]) - 1;
    if (!byNumber[number]) return;
    current.call = number;
    current.msg = null;
    revealRow(number);
    openCall(number).then(function (section) {
      if (section && index !== null && details[number].messages[index]) openMessage(number, index, true);
    });
  }
  tbody.addEventListener('click', function (e) {
    var tr = e.target.closest('tr[data-call]');
    if (!tr) return;
    e.preventDefault();
    var number = Number(tr.getAttribute('data-call'));
    follow(number, null);
    drawRows();
    openCall(number);
  });

  // A link copied: by the clipboard API, else by the older copy command; shown either way, so
  // it can be copied by hand when the browser refuses both.
  var status = document.getElementById('status');
  var statusTimer = 0;
  function say(words) {
    status.textContent = words;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { status.textContent = ''; }, 4000);
  }
  function copyLink(url) {
    function byCommand() {
      var field = el('textarea');
      field.value = url;
      field.setAttribute('readonly', '');
      field.style.position = 'fixed';
      field.style.opacity = '0';
      document.body.appendChild(field);
      field.select();
      var copied = false;
      try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
      field.remove();
      return copied;
    }
    function done(copied) { say(copied ? WORDS.linkCopied + ': ' + url : url); }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(byCommand()); });
    else done(byCommand());
  }
  window.addEventListener('hashchange', openFromHash);

  // The message panel: a click on an arrow or a frame reference shows the message as captured.
  var panel = document.getElementById('message');
  var title = document.getElementById('message-title');
  var meta = document.getElementById('message-meta');
  var body = document.getElementById('message-body');
  var selected = null;
  var KEY_HEADERS = { 'via': 1, 'v': 1, 'from': 1, 'f': 1, 'to': 1, 't': 1, 'call-id': 1, 'i': 1, 'cseq': 1, 'contact': 1, 'm': 1, 'content-type': 1, 'c': 1 };

  function sdpNote(line) {
    var key = line.charAt(0);
    if (key === 'a') {
      var name = line.slice(2).split(/[:\\s]/)[0];
      return own(WORDS.sdpAttributes, name) || WORDS.attribute;
    }
    return own(WORDS.sdp, key) || '';
  }

  function renderRaw(raw) {
    var out = document.createDocumentFragment();
    var lines = raw.split(/\\r?\\n/);
    var blank = lines.indexOf('');
    var head = blank < 0 ? lines : lines.slice(0, blank);
    var bodyLines = blank < 0 ? [] : lines.slice(blank + 1);
    while (bodyLines.length && bodyLines[bodyLines.length - 1] === '') bodyLines.pop();
    var pre = el('pre', 'raw');
    head.forEach(function (line, i) {
      if (i === 0) { pre.appendChild(el('span', 'start', line)); }
      else {
        var colon = line.indexOf(':');
        if (colon > 0 && !/^\\s/.test(line)) {
          var name = line.slice(0, colon);
          pre.appendChild(el('span', 'hname' + (own(KEY_HEADERS, name.trim().toLowerCase()) ? ' key' : ''), name));
          pre.appendChild(document.createTextNode(line.slice(colon)));
        } else pre.appendChild(document.createTextNode(line));
      }
      pre.appendChild(document.createTextNode('\\n'));
    });
    out.appendChild(pre);
    if (bodyLines.length) {
      var isSdp = bodyLines.every(function (l) { return /^[a-z]=/.test(l) || l === ''; });
      out.appendChild(el('h3', '', isSdp ? WORDS.sdpBody : WORDS.body));
      if (isSdp) {
        var sdp = el('table', 'sdp');
        bodyLines.forEach(function (line) {
          var row = el('tr');
          row.appendChild(el('td', '', line));
          row.appendChild(el('td', '', sdpNote(line)));
          sdp.appendChild(row);
        });
        out.appendChild(sdp);
      } else out.appendChild(el('pre', 'raw body', bodyLines.join('\\n')));
    }
    return out;
  }

  /** Marks a message's arrow as the one selected; returns it. */
  function select(callNumber, index) {
    if (selected) selected.classList.remove('selected');
    selected = document.querySelector('g.msg[data-call="' + callNumber + '"][data-msg="' + index + '"]');
    if (selected) selected.classList.add('selected');
    return selected;
  }

  /** Shows a message in the panel; the panel takes the focus when asked (a click), not when the keyboard walks the ladder. */
  function openMessage(callNumber, index, focusPanel) {
    var call = details[callNumber];
    if (!call) return;
    var m = call.messages[index];
    if (!m) return;
    select(callNumber, index);
    follow(callNumber, index);
    drawRows();
    title.textContent = m.ref + '  ' + m.label;
    meta.textContent = '';
    meta.appendChild(el('div', 'mono', WORDS.call + ' ' + callNumber + ' \\u00b7 +' + (m.offsetMs / 1000).toFixed(3) + ' s \\u00b7 ' + m.time + ' \\u00b7 ' + m.src + ' \\u2192 ' + m.dst + ' \\u00b7 ' + m.transport + ' \\u00b7 ' + m.file));
    meta.appendChild(el('p', '', m.note));
    m.findings.forEach(function (i) {
      var f = call.findings[i];
      var p = el('p');
      p.appendChild(el('span', 'sev ' + f.severity, WORDS.severity[f.severity] + ' ' + f.rule + ': '));
      p.appendChild(document.createTextNode(f.message));
      meta.appendChild(p);
    });
    body.textContent = '';
    body.appendChild(renderRaw(m.raw));
    panel.hidden = false;
    if (focusPanel) panel.focus();
  }

  function closeMessage() {
    panel.hidden = true;
    // The keyboard goes on from the message closed.
    if (current.call !== null) address(current.call, null);
    if (selected) { selected.classList.remove('selected'); selected.focus(); selected = null; }
  }

  document.addEventListener('click', function (e) {
    var target = e.target.closest ? e.target.closest('[data-msg]') : null;
    if (target) { e.preventDefault(); openMessage(Number(target.getAttribute('data-call')), Number(target.getAttribute('data-msg')), true); }
  });
  document.getElementById('message-close').addEventListener('click', closeMessage);
  document.getElementById('message-link').addEventListener('click', function () {
    if (current.call !== null) copyLink(linkTo(current.call, current.msg));
  });

  // The keyboard: j/k (or the arrow keys on a ladder) walk the messages of the call, n/p the calls
  // of the list as filtered and sorted (the list scrolls to the line), Enter and Escape open and
  // close the message, ? lists the keys.
  function moveCall(step) {
    if (order.length === 0) return;
    var at = -1;
    for (var i = 0; current.call !== null && i < order.length; i++) if (rows[order[i]].number === current.call) { at = i; break; }
    var next = at < 0 ? (step > 0 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, at + step));
    if (next === at) return;
    var number = rows[order[next]].number;
    if (!panel.hidden) closeMessage();
    follow(number, null);
    revealRow(number);
    openCall(number).then(function (section) { if (section) section.focus(); });
  }
  function moveMessage(step) {
    if (current.call === null) { moveCall(step); return; }
    var d = details[current.call];
    if (!d) {
      // The current call was closed: drawn again, then walked.
      openCall(current.call).then(function (section) { if (section) moveMessage(step); });
      return;
    }
    var last = d.messages.length - 1;
    var next = current.msg === null ? (step > 0 ? 0 : last) : Math.min(last, Math.max(0, current.msg + step));
    if (next < 0) return;
    if (panel.hidden) {
      select(current.call, next);
      follow(current.call, next);
    } else openMessage(current.call, next, false);
    if (selected) selected.focus();
  }

  var keys = document.getElementById('keys');
  function showKeys(show) {
    keys.hidden = !show;
    if (show) keys.focus();
  }
  document.getElementById('keys-open').addEventListener('click', function () { showKeys(keys.hidden); });
  document.getElementById('keys-close').addEventListener('click', function () { showKeys(false); });

  function typing(target) {
    var tag = target && target.tagName ? target.tagName.toLowerCase() : '';
    return tag === 'input' || tag === 'select' || tag === 'textarea' || !!(target && target.isContentEditable);
  }
  /** Elements whose own Enter and Space the browser handles (links, buttons, sortable headers). */
  function activates(target) {
    var tag = target && target.tagName ? target.tagName.toLowerCase() : '';
    return tag === 'a' || tag === 'button' || tag === 'th' || tag === 'summary' || typing(target);
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var target = e.target;
    if (e.key === 'Escape') {
      if (!keys.hidden) showKeys(false);
      else if (!panel.hidden) closeMessage();
      return;
    }
    if (typing(target)) return;
    var onArrow = !!(target && target.getAttribute && target.getAttribute('data-msg') !== null && target.tagName.toLowerCase() === 'g');
    switch (e.key) {
      case 'j': moveMessage(1); break;
      case 'k': moveMessage(-1); break;
      case 'ArrowDown': if (!onArrow) return; moveMessage(1); break;
      case 'ArrowUp': if (!onArrow) return; moveMessage(-1); break;
      case 'n': moveCall(1); break;
      case 'p': moveCall(-1); break;
      case '?': showKeys(keys.hidden); break;
      case '/': text.focus(); break;
      case 'Enter':
      case ' ':
        if (onArrow) openMessage(Number(target.getAttribute('data-call')), Number(target.getAttribute('data-msg')), true);
        else if (e.key === 'Enter' && !activates(target) && current.call !== null && details[current.call]) {
          if (current.msg === null) moveMessage(1);
          openMessage(current.call, current.msg, true);
        } else return;
        break;
      default:
        return;
    }
    e.preventDefault();
  });

  // The theme: the system's (prefers-color-scheme) until the reader picks one with the toggle.
  var root = document.documentElement;
  var themeToggle = document.getElementById('theme-toggle');
  var prefersDark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  function dark() {
    var chosen = root.getAttribute('data-theme');
    return chosen ? chosen === 'dark' : !!(prefersDark && prefersDark.matches);
  }
  function showTheme() { themeToggle.setAttribute('aria-pressed', String(dark())); }
  themeToggle.addEventListener('click', function () {
    var theme = dark() ? 'light' : 'dark';
    root.setAttribute('data-theme', theme);
    try { localStorage.setItem(${JSON.stringify(THEME_KEY)}, theme); } catch (e) { /* not remembered: storage refused */ }
    showTheme();
  });
  if (prefersDark && prefersDark.addEventListener) prefersDark.addEventListener('change', showTheme);
  showTheme();

  fillChoices();
  applyFilters();
  openFromHash();
})();
`;
}
