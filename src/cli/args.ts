/**
 * The command line read against the table (table.ts): Node's own util.parseArgs splits it
 * into tokens, without knowing which command takes what; this file decides the command, then
 * checks every option against that command's entry, so an unknown option is named (with the
 * closest real one) and never takes the next argument as its value: `siplens --bogus
 * call.pcap` says "--bogus", not "no file given". A wrong command line is a UsageError (exit 2),
 * in the language asked for.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { langFromEnv, LANGS, type Lang } from '../annotate/i18n.js';
import { CLI_WORDS, orList, type CommandName, type OptionName } from '../present/help.js';
import { UsageError } from './options.js';
import { COMMANDS, DEFAULT_COMMAND, OPTIONS, type CommandSpec, type OptionSpec } from './table.js';

/** The value an option of the table carries once read. */
type ValueOf<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'number' }
    ? number
    : S extends { multiple: true }
      ? string[]
      : S extends { choices: readonly (infer C)[] }
        ? C
        : string;

export type OptionValues = { -readonly [K in OptionName]?: ValueOf<(typeof OPTIONS)[K]> };

export type CommandLine =
  /** Bare `siplens`. */
  | { readonly kind: 'short-help'; readonly lang: Lang }
  | { readonly kind: 'help'; readonly command: CommandName | null; readonly lang: Lang }
  | { readonly kind: 'version'; readonly lang: Lang }
  | { readonly kind: 'run'; readonly command: CommandName; readonly operands: readonly string[]; readonly values: OptionValues; readonly lang: Lang };

const NAMES = Object.keys(OPTIONS) as OptionName[];
const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
const spec = (name: OptionName): OptionSpec => OPTIONS[name];
const commandSpec = (name: CommandName): CommandSpec => COMMANDS[name];

/** Edit distance (insertions, deletions, substitutions): names are a few dozen characters at most. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

/** The candidate a typo most likely meant: within two edits (one for short words), or one the word begins. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const allowed = word.length <= 3 ? 1 : 2;
  for (const candidate of candidates) {
    const d = word.length >= 3 && candidate.startsWith(word) ? 0.5 : distance(word, candidate);
    if (d <= allowed && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

const split = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** Options written as the user would type them. */
const long = (name: string): string => `--${name}`;

/** The language of everything said about the command line: a valid --lang, else the environment's. */
export function langOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Lang {
  let lang: Lang | undefined;
  argv.forEach((arg, i) => {
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    if (value !== undefined && (LANGS as readonly string[]).includes(value)) lang = value as Lang;
  });
  return lang ?? langFromEnv(env);
}

/**
 * Reads `argv` (without node and the script). `env` gives the language when --lang is absent.
 * Throws a UsageError for anything the table does not allow.
 */
export function readCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CommandLine {
  const { tokens } = parseArgs({
    args: [...argv],
    // Numbers are read as text and checked here, so a bad one is named like every other mistake.
    options: Object.fromEntries(NAMES.map((n) => [n, { type: spec(n).type === 'boolean' ? 'boolean' : 'string', ...(spec(n).short ? { short: spec(n).short } : {}) }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []));
  const lang = langOf(argv, env);
  const w = CLI_WORDS[lang].errors;
  if (argv.length === 0) return { kind: 'short-help', lang };

  const named = positionals.length > 0 && (COMMAND_NAMES as readonly string[]).includes(positionals[0]!);
  const command: CommandName = named ? (positionals[0] as CommandName) : DEFAULT_COMMAND;
  const operands = named ? positionals.slice(1) : positionals;
  const cmd = commandSpec(command);
  const options = tokens.filter((t) => t.kind === 'option');
  if (options.some((t) => t.name === 'help')) return { kind: 'help', command: named ? command : null, lang };
  if (options.some((t) => t.name === 'version')) return { kind: 'version', lang };

  const taken = new Set<string>(cmd.options);
  const values: Record<string, unknown> = {};
  for (const token of options) {
    const negated = !(token.name in OPTIONS) && token.name.startsWith('no-') && spec(token.name.slice(3) as OptionName)?.type === 'boolean';
    const name = (negated ? token.name.slice(3) : token.name) as OptionName;
    const option = spec(name) as OptionSpec | undefined;
    if (option === undefined) {
      const candidates = cmd.options.flatMap((n) => (spec(n).type === 'boolean' ? [long(n), `--no-${n}`] : [long(n)]));
      throw new UsageError(w.unknownOption(token.rawName, token.rawName.startsWith('--') ? closest(token.rawName, candidates) : null), command);
    }
    if (!taken.has(name)) {
      const takers = COMMAND_NAMES.filter((c) => (commandSpec(c).options as readonly string[]).includes(name));
      throw new UsageError(w.notForCommand(long(name), command, orList(takers, lang), takers.length), command);
    }
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(w.noValue(token.rawName), command);
      values[name] = !negated;
      continue;
    }
    // A value that looks like another option is a forgotten value: `-o --format json`.
    const forgotten = token.value !== undefined && !token.inlineValue && token.value.startsWith('-') && token.value !== '-' && !(option.type === 'number' && /^-\d/.test(token.value));
    if (token.value === undefined || forgotten) {
      throw new UsageError(w.missingValue(token.rawName, option.value ?? (option.choices ?? []).join('|')), command);
    }
    values[name] = readValue(name, option, token.value, command, values[name], lang);
  }

  for (const name of cmd.options) {
    const fallback = cmd.defaults?.[name] ?? spec(name).default;
    if (values[name] === undefined && fallback !== undefined && spec(name).type !== 'boolean') values[name] = fallback;
  }
  if (cmd.operands === undefined && operands.length > 0) throw new UsageError(w.noOperands(command, operands.map((o) => `"${o}"`).join(', ')), command);
  if (cmd.operands === 'source') {
    // live reads one thing: an interface (-i), or a capture (a file, or - for stdin).
    if (operands.length > 1 || (operands.length === 1) === (values.interface !== undefined)) throw new UsageError(w.liveReadsOne, command);
  } else if (cmd.operands !== undefined && operands.length === 0) throw new UsageError(cmd.operands === 'files' ? w.needsFiles(command) : w.needsTopics, command);
  if (!named && cmd.operands === 'files') {
    // `siplens anaylze x.pcap`: a misspelt command would read as a missing file; name the command instead.
    const first = operands[0]!;
    const meant = /^[a-z]+$/.test(first) && !existsSync(first) ? closest(first, COMMAND_NAMES) : null;
    if (meant !== null) throw new UsageError(w.unknownCommand(first, meant), null);
  }
  return { kind: 'run', command, operands, values: values as OptionValues, lang };
}

function readValue(name: OptionName, option: OptionSpec, text: string, command: CommandName, previous: unknown, lang: Lang): unknown {
  const w = CLI_WORDS[lang].errors;
  const cmd = commandSpec(command);
  if (option.type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(w.notANumber(long(name), text), command);
    return n;
  }
  const choices = name === 'format' ? cmd.formats : option.choices;
  const given = option.multiple ? split(text) : [text];
  for (const value of given) {
    if (choices === undefined || choices.includes(value)) continue;
    if (name === 'format' && option.choices?.includes(value)) throw new UsageError(w.formatNotFor(command, value, orList(choices, lang)), command);
    throw new UsageError(w.badChoice(long(name), value, orList(choices, lang), closest(value, choices)), command);
  }
  return option.multiple ? [...((previous as string[] | undefined) ?? []), ...given] : text;
}
