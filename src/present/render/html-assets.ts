/**
 * The stylesheet and script of the HTML report, inlined into every report (no network,
 * no CDN: the file opens from disk). The script never parses trace text as HTML: it reads
 * the JSON data block and builds nodes with textContent. Its own words are written into it
 * as JSON, so the script is one per language (and so is its hash in the page's CSP).
 */
import type { Lang } from '../../annotate/i18n.js';
import { COMMON, HTML_SCRIPT } from '../catalog.js';
import { jsonForScript } from './escape.js';

export const REPORT_CSS = `
:root { --fg: #1d232a; --muted: #5b6673; --line: #d5dbe1; --bg: #fff; --panel: #f6f8fa; --accent: #0b62c4;
  --error: #c62828; --warning: #b26a00; --info: #1565c0; --ok: #2e7d32; }
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
#call-table tbody tr:hover { background: var(--panel); }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.figure b { display: block; font-size: 18px; }
.figure span { color: var(--muted); font-size: 12px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.controls input[type=search] { min-width: 260px; padding: 4px 8px; }
.controls select { padding: 3px 6px; }
.count { color: var(--muted); }
.outcome { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; background: #eef1f4; white-space: nowrap; }
.outcome.answered, .outcome.completed { background: #e3f3e4; color: var(--ok); }
.outcome.failed, .outcome.stuck, .outcome.no-response, .outcome.rejected { background: #fde8e8; color: var(--error); }
.outcome.busy, .outcome.no-answer, .outcome.cancelled, .outcome.unresolved, .outcome.redirected { background: #fff3e0; color: var(--warning); }
.sev { font-weight: 600; }
.sev.error { color: var(--error); } .sev.warning { color: var(--warning); } .sev.info { color: var(--info); }
section.call { border-top: 1px solid var(--line); margin-top: 20px; padding-top: 4px; }
section.call .meta { color: var(--muted); }
.ladder { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: #fcfdfe; }
.ladder svg { display: block; }
.ladder text { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; fill: var(--fg); }
.ladder .party { font-weight: 600; }
.ladder .lifeline { stroke: #9aa5b1; stroke-width: 1; }
.ladder .time { fill: var(--muted); }
.ladder g.msg { cursor: pointer; }
.ladder g.msg line { stroke: #34495e; stroke-width: 1.4; }
.ladder g.msg polygon { fill: #34495e; }
.ladder g.msg.response line { stroke-dasharray: 5 3; }
.ladder g.msg.retr line { stroke: #8e99a4; stroke-dasharray: 2 3; }
.ladder g.msg.retr polygon, .ladder g.msg.retr text.label { fill: #8e99a4; }
.ladder g.msg .hit { fill: transparent; }
.ladder g.msg:hover .hit, .ladder g.msg:focus .hit { fill: #e8f0fb; }
.ladder g.msg.selected .hit { fill: #d0e2fa; }
.ladder g.msg:focus { outline: none; }
.ladder circle.error { fill: var(--error); } .ladder circle.warning { fill: var(--warning); } .ladder circle.info { fill: var(--info); }
.ladder g.rtp line, .ladder g.rtp path { stroke: #00897b; stroke-width: 3; }
.ladder g.rtp polygon { fill: #00897b; }
.ladder g.rtp.end line, .ladder g.rtp.end path { stroke-width: 1.4; stroke-dasharray: 2 3; }
.ladder g.rtp text.label { fill: #00695c; }
.ladder text.figures { fill: var(--muted); font-size: 11px; }
table.media caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.media td { vertical-align: middle; white-space: nowrap; }
svg.chart { display: block; background: var(--panel); border: 1px solid var(--line); }
svg.chart rect.p { fill: #90b8e0; }
svg.chart rect.loss { fill: var(--error); }
svg.chart polyline.j { fill: none; stroke: #e65100; stroke-width: 1.2; }
p.media-none { color: var(--warning); }
ul.findings { list-style: none; padding: 0; }
ul.findings li { border-left: 3px solid var(--line); padding: 4px 10px; margin: 8px 0; }
ul.findings li.error { border-color: var(--error); } ul.findings li.warning { border-color: var(--warning); } ul.findings li.info { border-color: var(--info); }
ul.findings p { margin: 2px 0; }
button.ref { font: inherit; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; border: 1px solid var(--line); background: var(--panel); border-radius: 4px; padding: 0 4px; cursor: pointer; color: var(--accent); }
aside.panel { position: fixed; top: 0; right: 0; bottom: 0; width: min(720px, 100vw); background: var(--bg); border-left: 1px solid var(--line);
  box-shadow: -4px 0 16px rgba(0,0,0,.12); overflow: auto; padding: 12px 16px 32px; z-index: 5; }
aside.panel[hidden] { display: none; }
aside.panel .close { float: right; font-size: 18px; border: 0; background: none; cursor: pointer; }
aside.panel h2 { margin-top: 4px; }
.raw { border: 1px solid var(--line); border-radius: 6px; background: var(--panel); padding: 8px 10px; white-space: pre-wrap; word-break: break-all; }
.raw .start { font-weight: 700; }
.raw .hname { color: #6a1b9a; }
.raw .hname.key { color: #0b62c4; font-weight: 600; }
.raw .body { color: #37474f; }
table.sdp td:first-child { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-all; }
table.sdp td:last-child { color: var(--muted); }
.muted { color: var(--muted); }
[hidden] { display: none !important; }
`;

/** The report's script with the words of `lang`. */
export function reportScript(lang: Lang): string {
  const words = { ...HTML_SCRIPT[lang], call: COMMON[lang].call, severity: COMMON[lang].severity };
  return `
(function () {
  'use strict';
  var WORDS = ${jsonForScript(words)};
  var data = JSON.parse(document.getElementById('siplens-data').textContent);
  var calls = {};
  data.calls.forEach(function (c) { calls[c.number] = c; });

  // Filters: free text, outcome, rule. They hide rows of the call table and the calls' sections.
  var text = document.getElementById('filter-text');
  var outcome = document.getElementById('filter-outcome');
  var rule = document.getElementById('filter-rule');
  var count = document.getElementById('filter-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#call-table tbody tr'));
  function applyFilters() {
    var q = text.value.trim().toLowerCase();
    var o = outcome.value;
    var r = rule.value;
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!q || row.getAttribute('data-search').indexOf(q) >= 0) &&
        (!o || row.getAttribute('data-outcome') === o) &&
        (!r || (' ' + row.getAttribute('data-rules') + ' ').indexOf(' ' + r + ' ') >= 0);
      row.hidden = !ok;
      var section = document.getElementById('call-' + row.getAttribute('data-call'));
      if (section) section.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' ' + WORDS.of + ' ' + rows.length + ' ' + (rows.length === 1 ? WORDS.callOne : WORDS.callOther);
  }
  if (text) {
    text.addEventListener('input', applyFilters);
    outcome.addEventListener('change', applyFilters);
    rule.addEventListener('change', applyFilters);
    applyFilters();
  }

  // Sorting: click a column header; numbers compare as numbers.
  var table = document.getElementById('call-table');
  if (table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll('th[data-sort]'));
    heads.forEach(function (th, column) {
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-sort') === 'number';
        var body = table.tBodies[0];
        var sorted = Array.prototype.slice.call(body.rows).sort(function (a, b) {
          var x = a.cells[column].getAttribute('data-key');
          var y = b.cells[column].getAttribute('data-key');
          var d = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
          if (d === 0) d = Number(a.getAttribute('data-call')) - Number(b.getAttribute('data-call'));
          return ascending ? d : -d;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  }

  // The message panel: a click on an arrow or a frame reference shows the message as captured.
  var panel = document.getElementById('message');
  var title = document.getElementById('message-title');
  var meta = document.getElementById('message-meta');
  var body = document.getElementById('message-body');
  var selected = null;
  var KEY_HEADERS = { 'via': 1, 'v': 1, 'from': 1, 'f': 1, 'to': 1, 't': 1, 'call-id': 1, 'i': 1, 'cseq': 1, 'contact': 1, 'm': 1, 'content-type': 1, 'c': 1 };
  function own(table, key) { return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined; }

  function el(tag, cls, textValue) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (textValue !== undefined) node.textContent = textValue;
    return node;
  }

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
        var table = el('table', 'sdp');
        bodyLines.forEach(function (line) {
          var row = el('tr');
          row.appendChild(el('td', '', line));
          row.appendChild(el('td', '', sdpNote(line)));
          table.appendChild(row);
        });
        out.appendChild(table);
      } else out.appendChild(el('pre', 'raw body', bodyLines.join('\\n')));
    }
    return out;
  }

  function openMessage(callNumber, index) {
    var call = calls[callNumber];
    if (!call) return;
    var m = call.messages[index];
    if (!m) return;
    if (selected) selected.classList.remove('selected');
    selected = document.querySelector('g.msg[data-call="' + callNumber + '"][data-msg="' + index + '"]');
    if (selected) selected.classList.add('selected');
    title.textContent = m.ref + '  ' + m.label;
    meta.textContent = '';
    meta.appendChild(el('div', 'mono', WORDS.call + ' ' + callNumber + ' · +' + (m.offsetMs / 1000).toFixed(3) + ' s · ' + m.time + ' · ' + m.src + ' → ' + m.dst + ' · ' + m.transport + ' · ' + m.file));
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
    panel.focus();
  }

  function closeMessage() {
    panel.hidden = true;
    if (selected) { selected.classList.remove('selected'); selected.focus(); selected = null; }
  }

  document.addEventListener('click', function (e) {
    var target = e.target.closest ? e.target.closest('[data-msg]') : null;
    if (target) { e.preventDefault(); openMessage(target.getAttribute('data-call'), Number(target.getAttribute('data-msg'))); }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !panel.hidden) { closeMessage(); return; }
    var target = e.target;
    if ((e.key === 'Enter' || e.key === ' ') && target && target.getAttribute && target.getAttribute('data-msg') !== null && target.tagName.toLowerCase() === 'g') {
      e.preventDefault();
      openMessage(target.getAttribute('data-call'), Number(target.getAttribute('data-msg')));
    }
  });
  document.getElementById('message-close').addEventListener('click', closeMessage);
})();
`;
}
