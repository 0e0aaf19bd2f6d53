/**
 * What a user tries in their first hour, through the built CLI: version, help, a wrong option,
 * colours, text fitted to the terminal, and what -o says on stderr.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { visibleWidth } from '../src/present/render/wrap.js';
import { REPO_ROOT } from './support/captures.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const demo = join(REPO_ROOT, 'samples', 'demo.pcap');
const scratch = mkdtempSync(join(tmpdir(), 'siplens-conventions-'));
const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The environment without any colour setting of the test runner's own, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C', ...extra };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'LC_ALL', 'LC_MESSAGES']) if (!(name in extra)) delete env[name];
  return env;
}

function siplens(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: scratch, env: cleanEnv(env), maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const ESC = '\u001b[';

describe('command-line conventions', () => {
  it('--version and -V print the package version', async () => {
    for (const flag of ['--version', '-V']) expect(await siplens([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('bare siplens prints the short help on stderr and exits 2; --help and -h print the full help on stdout', async () => {
    const bare = await siplens([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^siplens \d+\.\d+\.\d+: reads SIP traffic/);
    expect(bare.stderr).toContain('siplens demo');
    expect(bare.stderr).not.toContain('--max-open-calls');
    for (const flag of ['--help', '-h']) {
      const full = await siplens([flag]);
      expect(full.code).toBe(0);
      expect(full.stdout).toContain('Commands:');
      expect(full.stdout).toContain('-V, --version');
    }
  });

  it('COMMAND --help shows that command\'s options and an example, in the language asked for', async () => {
    const check = await siplens(['check', '--help']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^Usage: siplens check <files\.\.> \[options\]/);
    expect(check.stdout).toContain('-p, --policy FILE');
    expect(check.stdout).toContain('siplens check --policy policy.yaml call.pcap');
    expect(check.stdout).not.toContain('--ladder');
    const es = await siplens(['messages', '-h'], { LANG: 'es_ES.UTF-8' });
    expect(es.stdout).toMatch(/^Uso: siplens messages/);
    expect(es.stdout).toContain('Filtros');
  });

  it('an unknown option is named, with a did-you-mean, exit 2, and the file after it is not taken as its value', async () => {
    const r = await siplens(['--only-problem', demo]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'siplens: unknown option --only-problem; did you mean --only-problems?\nRun "siplens analyze --help" for its options.\n' });
    const es = await siplens(['--lang', 'es', 'stats', '--bogus', demo]);
    expect(es.code).toBe(2);
    expect(es.stderr).toBe('siplens: opción desconocida --bogus\nEjecute "siplens stats --help" para ver sus opciones.\n');
  });

  it('every usage error is said in the reader\'s language, the values kept as given', async () => {
    const es = await siplens(['--lang', 'es', '--status', '4x9', demo]);
    expect(es.code).toBe(2);
    expect(es.stderr.split('\n')[0]).toBe('siplens: --status lleva un código de estado (486) o una clase (4xx), no "4x9"');
    const date = await siplens(['messages', '--date', '2024-13', demo], { LANG: 'es_ES.UTF-8' });
    expect(date.stderr.split('\n')[0]).toBe('siplens: --date debe ser una fecha AAAA-MM-DD, no "2024-13"');
    expect((await siplens(['--width', '20', demo])).stderr.split('\n')[0]).toBe('siplens: --width must be a whole number of columns, at least 40');
  });

  it('messages takes the filters every command takes: --call-id lists that call\'s messages only', async () => {
    const r = await siplens(['messages', '--call-id', 'demo-call-2*', demo]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('#'));
    expect(rows.length).toBe(6);
    expect(rows.every((l) => l.includes('demo-call-2@192.0.2.10'))).toBe(true);
  });

  it('colours: none in a pipe; FORCE_COLOR and --color turn them on, FORCE_COLOR=0, NO_COLOR and --no-color off', async () => {
    expect((await siplens(['demo'])).stdout).not.toContain(ESC);
    expect((await siplens(['demo'], { FORCE_COLOR: '1' })).stdout).toContain(ESC);
    expect((await siplens(['demo'], { FORCE_COLOR: '0' })).stdout).not.toContain(ESC);
    expect((await siplens(['demo', '--color'])).stdout).toContain(ESC);
    expect((await siplens(['demo', '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toContain(ESC);
    expect((await siplens(['demo'], { NO_COLOR: '1' })).stdout).not.toContain(ESC);
  });

  it('siplens rules fits 80 columns when not on a terminal, each description wrapped under itself', async () => {
    const r = await siplens(['rules']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) expect(visibleWidth(line), line).toBeLessThanOrEqual(80);
    const continued = lines.filter((l) => l.startsWith(' '));
    expect(continued.length).toBeGreaterThan(0);
    const column = lines[0]!.search(/ {2}\S+ {2,}\S/) ;
    expect(column).toBeGreaterThan(0);
  });

  it('the timeline wrapped to --width breaks lines between words only, with a hanging indent', async () => {
    const plain = await siplens(['demo']);
    const wrapped = await siplens(['demo', '--width', '80']);
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    expect(words(wrapped.stdout)).toEqual(words(plain.stdout));
    const lines = wrapped.stdout.split('\n');
    // A line wider than 80 holds a single unbreakable word after its indent.
    for (const line of lines.filter((l) => visibleWidth(l) > 80)) expect(line.trim().split(' ').length, line).toBe(1);
    expect(lines.filter((l) => visibleWidth(l) > 80).length).toBeLessThan(lines.length / 10);
    // Continuation lines are indented: a line at column 0 begins a line of the unwrapped output.
    const starts = plain.stdout.split('\n').filter((l) => /^\S/.test(l));
    expect(lines.filter((l) => /^\S/.test(l) && !starts.some((s) => s.startsWith(l)))).toEqual([]);
  });

  it('a ladder label is cut only when the width leaves no room for it', async () => {
    const capture = join(REPO_ROOT, 'fixtures', 'rules', 'sipp-options-503.pcap');
    const wide = await siplens(['--format', 'ladder', '--width', '120', '--fail-on', 'never', capture]);
    expect(wide.stdout).toContain('◀─── 503 Service Unavailable (OPTIONS) ──│');
    const narrow = await siplens(['--format', 'ladder', '--width', '80', '--fail-on', 'never', capture]);
    expect(narrow.stdout).toMatch(/◀─── 503 Service .*… ─│/);
  });
});

describe('-o FILE says what was written', () => {
  // An INVITE sent 7 times with no answer: an error, so exit 1 at the default --fail-on.
  const timerB = join(REPO_ROOT, 'fixtures', 'rules', 'sipp-invite-timer-b.pcap');
  it('one stderr line with the calls and findings shown; exit 0 when nothing reaches --fail-on', async () => {
    const out = join(scratch, 'report.html');
    const r = await siplens(['demo', '--format', 'html', '-o', out]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: `siplens: wrote ${out}: 3 calls, 0 errors, 2 warnings\n` });
  });

  it('on exit 1, a second line says why, streamed or not, and in Spanish', async () => {
    const out = join(scratch, 'report.txt');
    const text = await siplens([timerB, '-o', out]);
    expect(text).toEqual({ code: 1, stdout: '', stderr: `siplens: wrote ${out}: 1 call, 1 error, 0 warnings\nsiplens: exit 1: 1 finding at or above --fail-on error\n` });
    const json = await siplens([demo, '--format', 'json', '--fail-on', 'warning', '-o', out]);
    expect(json.stderr).toBe(`siplens: wrote ${out}: 3 calls, 0 errors, 2 warnings\nsiplens: exit 1: 2 findings at or above --fail-on warning\n`);
    const es = await siplens([demo, '--lang', 'es', '--status', '410', '-o', out]);
    expect(es).toEqual({ code: 0, stdout: '', stderr: `siplens: escrito ${out}: 1 llamada, 0 errores, 1 aviso\n` });
  });

  it('check -o says how many checks failed', async () => {
    const out = join(scratch, 'junit.xml');
    const r = await siplens(['check', '--format', 'junit', '-o', out, timerB]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `siplens: wrote ${out}: 1 call, 1 error, 0 warnings\nsiplens: exit 1: 1 of 1 check failed (findings)\n` });
  });

  it('messages, stats and streams -o say what they wrote', async () => {
    expect((await siplens(['messages', '-o', join(scratch, 'm.txt'), demo])).stderr).toBe(`siplens: wrote ${join(scratch, 'm.txt')}: 15 messages\n`);
    expect((await siplens(['stats', '-o', join(scratch, 's.txt'), demo])).stderr).toBe(`siplens: wrote ${join(scratch, 's.txt')}: 3 calls\n`);
    expect((await siplens(['streams', '-o', join(scratch, 'r.txt'), demo])).stderr).toMatch(/^siplens: wrote .*r\.txt: \d+ RTP streams?\n$/);
  });
});
