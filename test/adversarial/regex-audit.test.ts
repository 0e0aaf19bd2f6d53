/**
 * Every regular-expression literal in src/ meets hostile text: long runs of one character
 * (blanks, quotes, backslashes, separators...) with and without a failing tail. A pattern that
 * backtracks super-linearly takes seconds on these; each must stay far below 100 ms.
 * (This found a display-name pattern in the redactor that took 3 s on 3,000 blanks.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../support/captures.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const LITERAL = /\/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+)\/([dgimsuy]*)/g;
const RUNS = [' ', '\t', 'a', 'A', '0', '1', ',', ';', ':', '=', '-', '.', '@', '<', '[', ']', '"', '\\', '/', '%', 'x ', 'a.', '1.', '"a', ', ', 'a:', 'a@'];
const TAILS = ['', '!', '\n', '\u0000'];

it('every regular expression in src/ runs in linear time on hostile text', () => {
  const slow: string[] = [];
  let checked = 0;
  for (const file of sources(join(REPO_ROOT, 'src'))) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!/(match|replace|test|exec|split|search|RegExp|= \/)/.test(line)) continue;
      for (const m of line.matchAll(LITERAL)) {
        if (m[1]!.length < 4) continue;
        let re: RegExp;
        try {
          re = new RegExp(m[1]!, `${m[2]!.replace('g', '')}g`);
        } catch {
          continue; // not a regular expression (a division, a path in a comment)
        }
        checked++;
        for (const run of RUNS) {
          for (const tail of TAILS) {
            const text = run.repeat(Math.ceil(3000 / run.length)) + tail;
            const started = performance.now();
            text.replace(re, '');
            const ms = performance.now() - started;
            if (ms > 100) slow.push(`${relative(REPO_ROOT, file)}: /${m[1]}/ on ${JSON.stringify(run)}×3000: ${ms.toFixed(0)} ms`);
          }
        }
      }
    }
  }
  expect(checked).toBeGreaterThan(50);
  expect(slow).toEqual([]);
});
