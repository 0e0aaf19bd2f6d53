/**
 * Writes docs/corpus-findings.md: every rule run over every capture of the shared corpus
 * (../shared/corpus/pcap, see its MANIFEST.md), and what fired where. The "Review notes"
 * section at the end of the file is kept as it is: it is written by the person who read the
 * findings for false positives. Run `npx tsx scripts/corpus-findings.ts` after changing rules.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/index.js';
import { RULES } from '../src/annotate/rules/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'pcap');
const OUT = join(ROOT, 'docs', 'corpus-findings.md');
const NOTES = '## Review notes';
/** Findings listed per capture under "Every finding". */
const MAX_LISTED = 20;

if (!existsSync(CORPUS)) {
  console.error(`no corpus at ${CORPUS}`);
  process.exit(2);
}

const files = readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng)$/.test(f)).sort();
const perRule = new Map<string, { findings: number; captures: Set<string> }>(RULES.map((r) => [r.meta.id, { findings: 0, captures: new Set<string>() }]));
const rows: string[] = [];
const details: string[] = [];
for (const file of files) {
  const result = await analyze([join(CORPUS, file)]);
  const counts = new Map<string, number>();
  const lines: string[] = [];
  for (const call of result.calls) {
    for (const f of call.findings) {
      const key = `${f.rule}/${f.messageId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const stats = perRule.get(f.rule)!;
      stats.findings++;
      stats.captures.add(file);
      const where = f.frames.length > 0 ? `#${f.frames.slice(0, 6).join(', #')}${f.frames.length > 6 ? ', …' : ''}` : '';
      lines.push(`- call ${call.number}, ${f.severity}, \`${key}\` (${where}): ${f.message.replaceAll('\n', ' ')}`);
    }
  }
  const fired = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => (n > 1 ? `\`${k}\` ×${n}` : `\`${k}\``));
  rows.push(`| ${file} | ${result.calls.length} | ${result.messages.length} | ${fired.join(', ') || '—'} |`);
  // The first findings of each capture; a fuzzed capture has many more of the same kind.
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
  `Every rule (${RULES.length}) run over the ${files.length} captures of \`../shared/corpus/pcap/\` (public captures; see its MANIFEST.md for where each comes from). Written by \`npx tsx scripts/corpus-findings.ts\`; everything above the review notes is regenerated, the notes are kept. test/annotate/rules/catalog-captures.test.ts checks that no capture makes a rule crash.`,
  '',
  '## By rule',
  '',
  '| rule | findings | captures |',
  '|---|---|---|',
  ...[...perRule].map(([id, s]) => `| \`${id}\` | ${s.findings} | ${s.captures.size} |`),
  '',
  '## By capture',
  '',
  '| capture | calls | SIP messages | findings (rule/message ×count) |',
  '|---|---|---|---|',
  ...rows,
  '',
  '## Findings, capture by capture',
  '',
  ...details,
  notes.trimEnd(),
  '',
].join('\n');
writeFileSync(OUT, text);
console.log(`${basename(OUT)}: ${files.length} captures`);
