/**
 * The command-line table (src/cli/table.ts) and what is made from it: the parser, the help in
 * every language and docs/cli.md. Unit tests of the parser; test/cli-conventions.test.ts runs
 * the built CLI.
 */
import { describe, expect, it } from 'vitest';
import { LANGS } from '../src/annotate/i18n.js';
import { closest, readCommandLine } from '../src/cli/args.js';
import { cliMarkdown, commandHelp, mainHelp } from '../src/cli/help.js';
import { UsageError } from '../src/cli/options.js';
import { COMMANDS, OPTIONS } from '../src/cli/table.js';
import { CLI_WORDS, type CommandName, type OptionName } from '../src/present/help.js';

const env = { LANG: 'C' };
const commands = Object.keys(COMMANDS) as CommandName[];
const FILTERS: readonly OptionName[] = ['call-id', 'user', 'method', 'status', 'since', 'until', 'only-problems', 'type'];
const SAMPLE: Partial<Record<OptionName, string>> = { 'call-id': 'a*', user: 'alice', method: 'INVITE', status: '4xx', since: '1732000000', until: '2024-11-19T08:00:00Z', type: 'call' };

function usageError(argv: string[]): UsageError {
  try {
    readCommandLine(argv, env);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('the command line, read against the table', () => {
  it('every command that reads captures takes every filter (the README promises them in every command)', () => {
    for (const command of commands.filter((c) => 'operands' in COMMANDS[c] ? COMMANDS[c].operands === 'files' : c === 'demo')) {
      for (const filter of FILTERS) {
        const argv = [command, ...(SAMPLE[filter] === undefined ? [`--${filter}`] : [`--${filter}`, SAMPLE[filter]!]), ...(command === 'demo' ? [] : ['call.pcap'])];
        const line = readCommandLine(argv, env);
        expect(line.kind, argv.join(' ')).toBe('run');
      }
    }
  });

  it('an unknown option is named with the closest real one, and the file after it stays a file', () => {
    expect(usageError(['--bogus', 'call.pcap']).message).toBe('unknown option --bogus');
    expect(usageError(['--fromat', 'json', 'call.pcap']).message).toBe('unknown option --fromat; did you mean --format?');
    expect(usageError(['--only-problem', 'call.pcap']).message).toBe('unknown option --only-problem; did you mean --only-problems?');
    expect(usageError(['--no-colour', 'call.pcap']).message).toBe('unknown option --no-colour; did you mean --no-color?');
    expect(usageError(['--lang', 'es', '--fromat', 'json', 'x.pcap']).message).toBe('opción desconocida --fromat; ¿quería decir --format?');
    // Not swallowed: with the unknown option gone, the file is still there to read.
    const line = readCommandLine(['--ladder', 'call.pcap'], env);
    expect(line).toMatchObject({ kind: 'run', command: 'analyze', operands: ['call.pcap'] });
  });

  it('an option of another command says which commands take it', () => {
    const err = usageError(['rules', '--policy', 'p.yaml']);
    expect(err.message).toBe('--policy is not an option of rules; check takes it');
    expect(err.command).toBe('rules');
  });

  it('values are checked against the table: choices (with a suggestion), numbers, missing values, formats per command', () => {
    expect(usageError(['--fail-on', 'warn', 'x.pcap']).message).toBe('--fail-on must be error, warning, info or never, got "warn"; did you mean warning?');
    expect(usageError(['--width', 'wide', 'x.pcap']).message).toBe('--width takes a number, got "wide"');
    expect(usageError(['-o', '--format', 'json', 'x.pcap']).message).toBe('-o needs a value (FILE)');
    expect(usageError(['messages', '--format', 'html', 'x.pcap']).message).toBe('messages writes text or json, not html');
    expect(usageError(['--type', 'call,regstration', 'x.pcap']).message).toMatch(/--type must be .*got "regstration"; did you mean registration\?/);
    expect(usageError(['--ladder=yes', 'x.pcap']).message).toBe('--ladder takes no value');
  });

  it('operands: files where a command reads them, none where it does not, and a misspelt command is named', () => {
    expect(usageError(['analyze']).message).toMatch(/^analyze needs a capture or a log/);
    expect(usageError(['--format', 'json']).message).toMatch(/^analyze needs a capture or a log/);
    expect(usageError(['explain']).message).toMatch(/^explain needs a topic/);
    expect(usageError(['rules', 'extra']).message).toBe('rules reads no file, got "extra"');
    expect(usageError(['anaylze', 'x.pcap']).message).toBe('"anaylze" is neither a file nor a command; did you mean the command analyze?');
  });

  it('filters repeat or take commas; booleans take --no-; command defaults win over option defaults', () => {
    const line = readCommandLine(['demo', '--status', '486', '--status', '5xx,603', '--no-color'], env);
    expect(line).toMatchObject({ kind: 'run', values: { status: ['486', '5xx', '603'], color: false, 'fail-on': 'never', format: 'text' } });
    expect(readCommandLine(['x.pcap'], env)).toMatchObject({ values: { 'fail-on': 'error' } });
    expect(readCommandLine(['-', '--width=100'], env)).toMatchObject({ operands: ['-'], values: { width: 100 } });
  });

  it('help, version and the short help win over everything else', () => {
    expect(readCommandLine([], env)).toEqual({ kind: 'short-help', lang: 'en' });
    expect(readCommandLine(['check', '--bogus', '-h'], env)).toEqual({ kind: 'help', command: 'check', lang: 'en' });
    expect(readCommandLine(['-V'], { LANG: 'es_ES.UTF-8' })).toEqual({ kind: 'version', lang: 'es' });
  });

  it('closest: within two edits, one for short words, or a prefix', () => {
    expect(closest('--bogus', ['--bogus-x', '--format'])).toBe('--bogus-x');
    expect(closest('xyz', ['--format'])).toBeNull();
    expect(closest('jsn', ['json', 'csv'])).toBe('json');
  });
});

describe('help from the table', () => {
  for (const lang of LANGS) {
    it(`every command's help lists each of its options and examples, in ${lang}, within 80 columns`, () => {
      for (const command of commands) {
        const help = commandHelp(command, lang);
        for (const option of COMMANDS[command].options) expect(help, `${command} --${option}`).toContain(`--${option}`);
        for (const [name, line] of Object.entries(COMMANDS[command].examples)) {
          expect(help).toContain(line);
          expect(help).toContain(CLI_WORDS[lang].examples[name as keyof (typeof CLI_WORDS)['en']['examples']].split(' ')[0]);
        }
        for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
      }
      const main = mainHelp({ lang, version: '9.9.9', full: true });
      for (const command of commands) expect(main).toContain(`  ${command}`);
      expect(main).toContain('9.9.9');
    });
  }

  it('each option of the table is taken by some command', () => {
    const taken = new Set(commands.flatMap((c) => COMMANDS[c].options));
    expect((Object.keys(OPTIONS) as OptionName[]).filter((o) => !taken.has(o))).toEqual([]);
  });

  it('docs/cli.md is made from the same table', async () => {
    await expect(cliMarkdown()).toMatchFileSnapshot('../docs/cli.md');
  });
});
