/**
 * Writes docs/corpus-findings.md: every rule run over every file of the shared corpus
 * (../shared/corpus: the captures in pcap/ and the text logs in text/, see its MANIFEST.md),
 * what fired where, and what siplens said about reading each file (its error and warning
 * diagnostics, so that a file it cannot read shows as such). The "Review notes" section at the
 * end of the file is kept as it is: it is written by the person who read the findings for false
 * positives. Run `npx tsx scripts/corpus-findings.ts` after changing rules.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, type AnalysisResult } from '../src/index.js';
import { RULES } from '../src/annotate/rules/index.js';
import { showFinding } from '../src/present/findings.js';
import { sanitizeForTerminal } from '../src/present/render/sanitize.js';
import type { Diagnostic } from '../src/types.js';
import { TEXT_FIXTURE_DATE } from '../test/support/captures.js';
import { diagnosticText } from '../src/present/diagnostics.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const OUT = join(ROOT, 'docs', 'corpus-findings.md');
const NOTES = '## Review notes';
/** Findings listed per file under "Findings, file by file". */
const MAX_LISTED = 20;

if (!existsSync(CORPUS)) {
  console.error(`no corpus at ${CORPUS}`);
  process.exit(2);
}

/** Every capture in pcap/ (whatever its format: a .cap may be pcap or something siplens cannot read) and every text log in text/. */
const filesIn = (dir: string, keep: (f: string) => boolean) => (existsSync(join(CORPUS, dir)) ? readdirSync(join(CORPUS, dir)).filter(keep).sort().map((f) => `${dir}/${f}`) : []);
const captures = filesIn('pcap', (f) => /\.(pcap|pcapng|cap)$/.test(f));
const logs = filesIn('text', (f) => !f.startsWith('.'));
const files = [...captures, ...logs];

/** A text log prints times without a date: the tests' fixed date keeps this file the same from day to day. */
const optionsFor = (file: string) => (file.startsWith('text/') ? { date: TEXT_FIXTURE_DATE } : {});
/** Where a diagnostic was found, as the CLI says it. */
const locationOf = (d: Diagnostic) => (d.frame !== undefined ? `frame ${d.frame}` : d.line !== undefined ? `line ${d.line}` : d.offset !== undefined ? `byte ${d.offset}` : '—');
const positionOf = (d: Diagnostic) => d.frame ?? d.line ?? d.offset ?? 0;
/**
 * Messages quote the traces (a fuzzed reason phrase carries a NUL): one line, control characters
 * escaped as the text report does, and the input named relative to the corpus, so the file reads
 * the same on every machine.
 */
const oneLine = (text: string) => sanitizeForTerminal(text.replaceAll('\n', ' ').replaceAll(`${CORPUS}/`, ''));
const cell = (text: string) => oneLine(text).replaceAll('|', '\\|');

const perRule = new Map<string, { findings: number; files: Set<string> }>(RULES.map((r) => [r.meta.id, { findings: 0, files: new Set<string>() }]));
const rows: string[] = [];
const problems: string[] = [];
const details: string[] = [];
for (const file of files) {
  let result: AnalysisResult;
  try {
    result = await analyze([join(CORPUS, file)], optionsFor(file));
  } catch (error) {
    // Never silently: a file that makes analyze() throw is listed with what it threw.
    rows.push(`| ${file} | **threw** | — | — | — | (exception) |`);
    problems.push(`| ${file} | error | (exception) | 1 | — | ${cell(error instanceof Error ? error.message : String(error))} |`);
    continue;
  }
  const input = result.inputs[0]!;
  const counts = new Map<string, number>();
  const lines: string[] = [];
  for (const call of result.calls) {
    for (const f of call.findings) {
      const key = `${f.rule}/${f.messageId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const stats = perRule.get(f.rule)!;
      stats.findings++;
      stats.files.add(file);
      const evidence = f.frames.length > 0 ? f.frames.map((n) => `#${n}`) : f.lines.map((n) => `L${n}`);
      const where = `${evidence.slice(0, 6).join(', ')}${evidence.length > 6 ? ', …' : ''}`;
      lines.push(`- call ${call.number}, ${f.severity}, \`${key}\` (${where}): ${oneLine(showFinding(f, 'en').message)}`);
    }
  }
  // Diagnostics of one code are grouped: how many in all, and the first (with its sentence).
  const byCode = new Map<string, { severity: Diagnostic['severity']; count: number; first: Diagnostic }>();
  for (const d of input.diagnostics) {
    if (d.severity === 'info') continue;
    const seen = byCode.get(d.code);
    if (seen === undefined) byCode.set(d.code, { severity: d.severity, count: d.count ?? 1, first: d });
    else {
      seen.count += d.count ?? 1;
      if (positionOf(d) < positionOf(seen.first)) seen.first = d;
    }
  }
  for (const [code, { severity, count, first }] of [...byCode].sort(([a], [b]) => a.localeCompare(b))) {
    problems.push(`| ${file} | ${severity} | \`${code}\` | ${count} | ${locationOf(first)} | ${cell(diagnosticText(first))} |`);
  }
  const readAs = !input.readable ? '**not read**' : input.format === 'text' ? `text (${(input.logFormats ?? []).join(', ') || 'no format'})` : input.format;
  const fired = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => (n > 1 ? `\`${k}\` ×${n}` : `\`${k}\``));
  const diagnosed = [...byCode].sort(([a], [b]) => a.localeCompare(b)).map(([k, { count }]) => (count > 1 ? `\`${k}\` ×${count}` : `\`${k}\``));
  rows.push(`| ${file} | ${readAs} | ${result.calls.length} | ${result.messages.length} | ${fired.join(', ') || '—'} | ${diagnosed.join(', ') || '—'} |`);
  // The first findings of each file; a fuzzed capture or an attack trace has many more of the same kind.
  const shown = lines.slice(0, MAX_LISTED);
  if (lines.length > MAX_LISTED) shown.push(`- … ${lines.length - MAX_LISTED} more (see the table above)`);
  if (lines.length > 0) details.push(`### ${file}`, '', ...shown, '');
}

const previous = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
// The notes heading at the start of a line (the introduction quotes it too).
const notesAt = previous.indexOf(`\n${NOTES}\n`);
const notes = notesAt >= 0 ? previous.slice(notesAt + 1) : `${NOTES}\n\n(none yet)\n`;
const text = [
  '# Rules over the shared corpus',
  '',
  `Every rule (${RULES.length}) run over the ${files.length} files of \`../shared/corpus/\`: ${captures.length} captures in \`pcap/\` and ${logs.length} text logs in \`text/\` (public traces; see its MANIFEST.md for where each comes from). Text logs are read with \`date: ${TEXT_FIXTURE_DATE}\`, as the tests read them. Written by \`npx tsx scripts/corpus-findings.ts\`; everything above the review notes is regenerated, the notes are kept. test/annotate/rules/catalog-captures.test.ts checks that no capture makes a rule crash.`,
  '',
  '## By rule',
  '',
  '| rule | findings | files |',
  '|---|---|---|',
  ...[...perRule].map(([id, s]) => `| \`${id}\` | ${s.findings} | ${s.files.size} |`),
  '',
  '## By file',
  '',
  '"read as": the capture format, or the text-log formats recognised; **not read** when siplens could not read the file at all (its diagnostic is below). "diagnostics": what siplens noticed about the input itself, errors and warnings only (docs/diagnostics.md).',
  '',
  '| file | read as | calls | SIP messages | findings (rule/message ×count) | diagnostics (error, warning) |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  '## Diagnostics of error and warning severity, file by file',
  '',
  'One row per file and code: how many, where the first was found, and its sentence.',
  '',
  '| file | severity | code | count | first at | first message |',
  '|---|---|---|---|---|---|',
  ...problems,
  '',
  '## Findings, file by file',
  '',
  ...details,
  notes.trimEnd(),
  '',
].join('\n');
writeFileSync(OUT, text);
console.log(`${basename(OUT)}: ${captures.length} captures, ${logs.length} text logs`);
