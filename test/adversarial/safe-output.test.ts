/**
 * Safe output: a capture whose every shown field (From display name and user, User-Agent,
 * Call-ID, Request-URI, reason phrase, Reason and Warning headers, SDP body) and whose file
 * name carry hostile payloads — HTML and script, terminal escapes (CSI, OSC 8, backspace, bare
 * CR, C1), Markdown, Mermaid, CSV formulas, bidi overrides, zero-width characters, GitHub
 * workflow commands, XML breakers — run through the built CLI in every format. For each format,
 * a check of what the payload must not be able to do there.
 */
import { inflateRawSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/present/timeline.js';
import { renderLadder } from '../../src/present/render/ladder.js';
import { renderText } from '../../src/present/render/text.js';
import { THEME_SCRIPT } from '../../src/present/render/html-assets.js';
import { analyze } from '../../src/index.js';
import { REPO_ROOT } from '../support/captures.js';
import { HOSTILE_FILE_NAME, HOSTILE_PAYLOADS, hostileCapture } from '../support/hostile-payloads.js';
import { parseXml } from '../support/xml.js';
import { parseCsv } from '../support/csv.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'siplens-safe-'));
const CALLS = HOSTILE_PAYLOADS.length;

function siplens(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Run from the capture's folder, so the hostile file name is printed as given (a CSV cell starts with it).
    execFile(process.execPath, [CLI, ...args], { cwd: scratch, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * What acts instead of showing: C0 controls (ESC, BEL, BS, NUL, CR...) but LF, DEL, C1, bidi
 * controls, zero-width and invisible characters, line and paragraph separators.
 */
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/u;

function expectNothingActive(out: string, format: string, allow: RegExp | null = null): void {
  const text = allow === null ? out : out.replace(allow, '');
  const m = ACTIVE.exec(text);
  if (m !== null) {
    const at = m.index;
    expect.fail(`${format}: U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 30))}`);
  }
}

/** Each payload's call reached this output (its Call-ID suffix is there): a check cannot pass by dropping the calls. */
function expectEveryCall(out: string, format: string): void {
  const missing = HOSTILE_PAYLOADS.filter((p) => !out.includes(`~${p.id}@evil.example`)).map((p) => p.id);
  expect(missing, `${format}: calls missing from the output`).toEqual([]);
}

// ---- Markdown -------------------------------------------------------------------------

/** A line with its code spans (CommonMark: a backtick run closed by a run of the same length) blanked, backslash escapes kept as they are. */
function outsideCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1]!)) {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      out += c;
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    let close = -1;
    for (let j = line.indexOf('`', i + n); j >= 0; j = line.indexOf('`', j)) {
      let k = 0;
      while (line[j + k] === '`') k++;
      if (k === n) {
        close = j;
        break;
      }
      j += k;
    }
    if (close < 0) {
      out += '`'.repeat(n);
      i += n;
    } else {
      out += ' CODE ';
      i = close + n;
    }
  }
  return out;
}

/** Cells of a table row as GFM and markdown-it split them: on `|` not preceded by a backslash. */
function tableCells(row: string): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) if (row[i] === '|' && row[i - 1] !== '\\') n++;
  return n - 1;
}

const HEADINGS = /^(# siplens report|## Call \d+ — .*|### Findings|## Diagnostics|## Statistics)$/;

function checkMarkdown(md: string): void {
  expectNothingActive(md, 'markdown');
  const lines = md.split('\n');
  let fence: string | null = null;
  let mermaid: string[] = [];
  let table: number | null = null;
  for (const [n, line] of lines.entries()) {
    const where = `markdown line ${n + 1}: ${line.slice(0, 160)}`;
    if (fence !== null) {
      if (line === '```') {
        checkMermaid(mermaid.join('\n') + '\n', where);
        fence = null;
        mermaid = [];
      } else mermaid.push(line);
      continue;
    }
    // A fence opens on three backticks whose info string holds no backtick (CommonMark §4.5);
    // a line that starts with a code span of trace text has backticks after its opening run.
    if (/^```(?:`*)[^`]*$/.test(line)) {
      expect(line, where).toBe('```mermaid');
      fence = line;
      continue;
    }
    // Tables keep their column count on every row.
    if (line.startsWith('|')) {
      const cells = tableCells(line);
      if (table === null) table = cells;
      else expect(cells, where).toBe(table);
    } else table = null;
    // No heading, quote, list or HTML block can start from trace text.
    if (line.startsWith('#')) expect(line, where).toMatch(HEADINGS);
    const prose = outsideCodeSpans(line);
    // Outside code spans: no HTML, no link or image, no autolink.
    expect(prose, where).not.toMatch(/<[A-Za-z/!?]/);
    expect(prose, where).not.toMatch(/\]\(|!\[|<http|https?:\/\/|www\./i);
    expect(prose, where).not.toMatch(/javascript:/i);
  }
  expect(fence, 'an unclosed code fence').toBeNull();
}

// ---- Mermaid --------------------------------------------------------------------------

/** Label text: Mermaid's safe characters, and entity codes (#60;) for everything else; no `--`. */
const MERMAID_TEXT = /^(?:[A-Za-z0-9 .,:()@_+\-/=?*!'\u00a0-\uffff]|#\d+;)*$/u;
const MERMAID_STATEMENT = /^(?:sequenceDiagram|  participant P\d+ as (?<a>.*)|  P\d+(?:->>|-->>|-x)P\d+: (?<b>.*)|  Note (?:over P\d+(?:,P\d+)?|right of P\d+): (?<c>.*)|%% Call \d+: (?<d>.*)|)$/u;

function checkMermaid(src: string, where: string): void {
  expectNothingActive(src, `mermaid (${where})`);
  for (const line of src.replace(/\n$/, '').split('\n')) {
    const m = MERMAID_STATEMENT.exec(line);
    expect(m, `${where}: not a statement siplens writes: ${line}`).not.toBeNull();
    const text = m!.groups!.a ?? m!.groups!.b ?? m!.groups!.c ?? m!.groups!.d ?? '';
    expect(text, `${where}: ${line}`).toMatch(MERMAID_TEXT);
    expect(text, `${where}: ${line}`).not.toContain('--');
    expect(line.trim(), where).not.toMatch(/^click\b/);
  }
}

// ---- CSV ------------------------------------------------------------------------------


// ---- HTML -----------------------------------------------------------------------------

const HTML_TAGS = new Set('a aside b body button circle code div g h1 h2 h3 head header html input kbd li line link main meta nav option p polygon rect section select span style svg table tbody td text th thead title tr ul script'.split(' '));
const HTML_ATTRIBUTES = /^(?:aria-[a-z]+|charset|class|content|cx|cy|data-[a-z]+|height|hidden|href|http-equiv|id|lang|name|placeholder|points|r|rel|role|tabindex|text-anchor|type|value|viewBox|width|x|x1|x2|xmlns|y|y1|y2)$/;
const TAG = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w:-]+(?:="[^"<]*"|='[^'<]*')?)*)\s*\/?>/g;

function checkHtml(html: string): void {
  expectNothingActive(html, 'html');
  // Exactly siplens's script blocks: the theme in the head, the calls' data in batches, and its own script once.
  const blocks = [...html.matchAll(/<script type="application\/json" class="calls">([^]*?)<\/script>/g)];
  expect(html.match(/<script/gi)).toHaveLength(blocks.length + 2);
  expect(html.match(/<\/script/gi)).toHaveLength(blocks.length + 2);
  expect(html.match(/<script>/g)).toHaveLength(2);
  expect(html.slice(0, html.indexOf('</head>'))).toContain(`<script>${THEME_SCRIPT}</script>`);
  for (const block of blocks) {
    // Nothing in a data block can end it or start markup; its details are base64 of deflated JSON.
    expect(block[1]).not.toMatch(/[<>&]/);
    const data = JSON.parse(block[1]!) as { rows: unknown[]; details: string };
    expect(data.details).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
    expect(() => JSON.parse(inflateRawSync(Buffer.from(data.details, 'base64')).toString('utf8'))).not.toThrow();
  }
  // Outside the script and style blocks: only siplens's tags and attributes, every attribute quoted, links within the page.
  const markup = html.replace(/<script[^>]*>[^]*?<\/script>/g, '').replace(/<style[^>]*>[^]*?<\/style>/g, '');
  for (const tag of markup.matchAll(TAG)) {
    expect(HTML_TAGS.has(tag[2]!.toLowerCase()), `tag ${tag[0].slice(0, 80)}`).toBe(true);
    for (const a of tag[3]!.matchAll(/([\w:-]+)(?:=("[^"]*"|'[^']*'))?/g)) {
      expect(a[1], `attribute in ${tag[0].slice(0, 120)}`).toMatch(HTML_ATTRIBUTES);
      if (a[1] === 'href') expect(a[2], tag[0]).toMatch(/^["'](?:#|data:)/);
    }
  }
  // Whatever is not a tag is text: no `<` starts markup there, and no attribute was broken out of.
  const text = markup.replace(TAG, '').replace('<!DOCTYPE html>', '');
  expect(text).not.toMatch(/<[A-Za-z/!?]/);
}

// ---- GitHub workflow commands ---------------------------------------------------------

const PROPERTY = '(?:file|line|endLine|col|endColumn|title)=[^,:]*';
const COMMAND = new RegExp(`^::(?:error|warning|notice)(?: ${PROPERTY}(?:,${PROPERTY})*)?::(.*)$`);

function checkGithub(out: string): void {
  expectNothingActive(out, 'github');
  const lines = out.replace(/\n$/, '').split('\n');
  expect(lines.at(-1)).toMatch(/^siplens: \d+ calls?, /);
  for (const line of lines.slice(0, -1)) {
    // Every line is one command siplens wrote; trace text is inside its property values or its message, escaped.
    expect(line, line.slice(0, 200)).toMatch(COMMAND);
    expect(line, line.slice(0, 200)).not.toMatch(/%(?!25|0A|0D|3A|2C)/);
  }
  // The hostile file name is a property value, escaped as the Actions toolkit does (`%`, `:`, `,`), its controls shown and its line break a space.
  const file = `file==cmd|\\x1b[31m\\u202e<b>"x'|\`#;%25%25%3A%3Aerror%3A%3Ay%250A z.pcap,`;
  expect(lines.filter((l) => l.includes(file)).length, file).toBeGreaterThan(CALLS);
}

// ---- the table --------------------------------------------------------------------------

interface FormatCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly check: (out: string) => void;
}

const FORMATS: readonly FormatCase[] = [
  {
    name: 'text',
    args: ['analyze', '--format', 'text'],
    check: (out) => {
      expectNothingActive(out, 'text');
      expectEveryCall(out, 'text');
    },
  },
  {
    name: 'text with ladders and statistics',
    args: ['analyze', '--format', 'text', '--ladder', '--stats'],
    check: (out) => expectNothingActive(out, 'text --ladder --stats'),
  },
  {
    name: 'ladder',
    args: ['analyze', '--format', 'ladder', '--width', '200'],
    check: (out) => {
      expectNothingActive(out, 'ladder');
      expectEveryCall(out, 'ladder');
    },
  },
  {
    name: 'json',
    args: ['analyze', '--format', 'json'],
    check: (out) => {
      // A data format: the values exactly as captured, in valid JSON whose text obeys nothing (C0 escaped by JSON, the rest by siplens).
      expectNothingActive(out, 'json');
      const doc = JSON.parse(out);
      expect(doc.calls).toHaveLength(CALLS);
      const ids = doc.calls.map((c: { callId: string }) => c.callId);
      for (const id of ['html', 'bidi', 'zero-width', 'c1', 'osc8']) expect(ids).toContain(`${HOSTILE_PAYLOADS.find((p) => p.id === id)!.text} ~${id}@evil.example`);
      expect(doc.inputs[0].path).toBe(HOSTILE_FILE_NAME);
    },
  },
  {
    name: 'ndjson',
    args: ['analyze', '--format', 'ndjson'],
    check: (out) => {
      expectNothingActive(out, 'ndjson');
      const records = out.replace(/\n$/, '').split('\n').map((l) => JSON.parse(l));
      expect(records.filter((r) => r.kind === 'call')).toHaveLength(CALLS);
      expect(records.at(-1).kind).toBe('summary');
    },
  },
  {
    name: 'csv',
    args: ['analyze', '--format', 'csv'],
    check: (out) => {
      expectNothingActive(out, 'csv', /\r\n/g);
      const rows = parseCsv(out);
      expect(rows).toHaveLength(CALLS + 1);
      for (const row of rows) {
        expect(row, row.join(',')).toHaveLength(rows[0]!.length);
        for (const cell of row) expect(cell, row.join(',')).not.toMatch(/^[=+\-@\t\r]/);
      }
      expectEveryCall(out, 'csv');
      // The file column starts with the hostile name, defused.
      expect(rows[1]![rows[0]!.indexOf('file')]).toMatch(/^'=cmd\|/);
    },
  },
  { name: 'html', args: ['analyze', '--format', 'html'], check: (out) => (checkHtml(out), expectEveryCall(out, 'html')) },
  { name: 'markdown', args: ['analyze', '--format', 'markdown'], check: (out) => (checkMarkdown(out), expectEveryCall(out, 'markdown')) },
  { name: 'mermaid', args: ['analyze', '--format', 'mermaid'], check: (out) => checkMermaid(out, 'mermaid') },
  {
    name: 'junit',
    args: ['analyze', '--format', 'junit'],
    check: (out) => {
      expectNothingActive(out, 'junit');
      const root = parseXml(out);
      const cases = root.children.flatMap((suite) => suite.children.filter((c) => c.name === 'testcase'));
      expect(cases.length).toBeGreaterThanOrEqual(CALLS);
      expectEveryCall(out, 'junit');
    },
  },
  { name: 'github', args: ['analyze', '--format', 'github', '--fail-on', 'info'], check: checkGithub },
  { name: 'messages', args: ['messages'], check: (out) => (expectNothingActive(out, 'messages'), expectEveryCall(out, 'messages')) },
  {
    name: 'messages as JSON',
    args: ['messages', '--format', 'json'],
    check: (out) => {
      expectNothingActive(out, 'messages json');
      expect(JSON.parse(out).messages.length).toBeGreaterThan(CALLS);
    },
  },
  { name: 'stats', args: ['stats'], check: (out) => expectNothingActive(out, 'stats') },
  { name: 'stats as JSON', args: ['stats', '--format', 'json'], check: (out) => (expectNothingActive(out, 'stats json'), JSON.parse(out)) },
  {
    name: 'check',
    args: ['check', '--policy', 'policy.yaml'],
    check: (out) => {
      expectNothingActive(out, 'check');
      // The failed checks list the calls, by their Call-IDs.
      expect(out).toContain('~html@evil.example');
    },
  },
];

const outputs = new Map<string, { code: number; stdout: string; stderr: string }>();

beforeAll(async () => {
  writeFileSync(join(scratch, HOSTILE_FILE_NAME), hostileCapture());
  writeFileSync(join(scratch, 'policy.yaml'), 'fail-on: info\nexpect:\n  answered: { min: 100% }\n  max-final-status: 299\n');
  const runs = await Promise.all(FORMATS.map((f) => siplens([...f.args, HOSTILE_FILE_NAME])));
  FORMATS.forEach((f, i) => outputs.set(f.name, runs[i]!));
}, 120_000);

describe('hostile trace text cannot act in any output format', () => {
  for (const f of FORMATS) {
    it(f.name, () => {
      const run = outputs.get(f.name)!;
      expect(run.stderr).toBe('');
      expect(run.code, run.stderr).toBe(f.args[0] === 'check' || f.args.includes('info') ? 1 : 0);
      f.check(run.stdout);
    });
  }

  it('with colour, the only escape sequences in text and ladders are siplens\'s own SGR colours', async () => {
    const timeline = buildTimeline(await analyze([join(scratch, HOSTILE_FILE_NAME)]));
    const sgr = /\u001b\[[0-9;]*m/g;
    for (const [name, out] of [
      ['text', renderText(timeline, { color: true })],
      ['ladder', renderLadder(timeline, { width: 160, color: true })],
    ] as const) {
      expect(out, name).toMatch(sgr);
      expectNothingActive(out, `${name} in colour`, sgr);
    }
  });
});
