/**
 * The options every analysis command shares (format, output file, filters, aliases, redaction,
 * table limits), declared once as a table for parsing and help, and read into typed
 * ReportOptions. A bad value is a UsageError (exit 2) before any input is read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CALL_TYPES, isStatusPattern, parseCaptureTime, type FilterCriteria } from '../present/filter.js';
import type { Lang } from '../annotate/i18n.js';
import type { FailOn } from '../present/render/junit.js';
import type { RedactOptions } from '../present/redact.js';
import type { CorrelatorOptions } from '../parse/dialog/correlate.js';
import { CLI_WORDS, type CommandName } from '../present/help.js';
import type { AnalysisFormat } from './table.js';
import { checkedWidth, terminalColumns } from './terminal.js';
import type { CallType } from '../parse/dialog/types.js';

/** A wrong command line: reported in one sentence and a pointer to the help (of `command` when known), exit code 2. */
export class UsageError extends Error {
  /** The sentence in the reader's language (the Error's message is the English one). */
  readonly sentence: (lang: Lang) => string;

  constructor(
    words: string | ((errors: CliErrorWords) => string),
    readonly command: CommandName | null = null,
  ) {
    super(typeof words === 'string' ? words : words(CLI_WORDS.en.errors));
    this.sentence = typeof words === 'string' ? () => words : (lang) => words(CLI_WORDS[lang].errors);
  }
}

type CliErrorWords = (typeof CLI_WORDS)['en']['errors'];

export { ANALYSIS_FORMATS, type AnalysisFormat } from './table.js';

export interface ReportOptions {
  readonly format: AnalysisFormat;
  readonly failOn: FailOn;
  readonly color: boolean;
  /** Columns for the ladder. */
  readonly width: number;
  /** Columns the text timeline wraps to (a terminal's, or --width); unset: not wrapped. */
  readonly textWidth?: number;
  /** The text timeline followed by a ladder per call. */
  readonly ladder: boolean;
  /** Statistics after the text timeline or the ladders (Markdown and HTML always have them). */
  readonly stats?: boolean;
  readonly aliases?: ReadonlyMap<string, string>;
  readonly filter: FilterCriteria;
  /** Replace users, numbers, names, addresses, hosts, tags and Call-IDs by pseudonyms. */
  readonly redact?: RedactOptions;
  /** The language every word of the report is in. */
  readonly lang: Lang;
}

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);

/**
 * --tls-keylog files, and SSLKEYLOGFILE when it names an existing file (the variable is often
 * set for a browser long before any key is written, so a missing file there is no error).
 */
export function tlsKeyLogsFrom(args: { readonly 'tls-keylog'?: unknown }, env: NodeJS.ProcessEnv = process.env): { tlsKeyLogs?: string[] } {
  const given = args['tls-keylog'];
  const paths = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map(String);
  const fromEnv = env.SSLKEYLOGFILE;
  if (fromEnv !== undefined && fromEnv !== '' && !paths.includes(fromEnv) && existsSync(fromEnv)) paths.push(fromEnv);
  return paths.length === 0 ? {} : { tlsKeyLogs: paths };
}

/** --max-open-calls as the analysis' table limit. */
export function limitsFrom(args: { readonly 'max-open-calls'?: number }): { limits?: CorrelatorOptions } {
  const max = args['max-open-calls'];
  if (max === undefined) return {};
  if (!Number.isInteger(max) || max < 1) throw new UsageError((w) => w.badMaxOpenCalls(String(max)));
  return { limits: { maxOpenCalls: max } };
}

export interface ReportArgs {
  readonly 'call-id'?: unknown;
  readonly user?: unknown;
  readonly method?: unknown;
  readonly status?: unknown;
  readonly since?: string;
  readonly until?: string;
  readonly 'only-problems'?: boolean;
  readonly type?: unknown;
  readonly aliases?: string;
  readonly width?: number;
  readonly ladder?: boolean;
  readonly stats?: boolean;
  readonly redact?: boolean;
  readonly 'redact-key'?: string;
  readonly 'max-open-calls'?: number;
  readonly 'tls-keylog'?: unknown;
  readonly lang?: Lang;
}

export function redactFromArgs(args: ReportArgs): RedactOptions | undefined {
  const key = args['redact-key'] ?? process.env.SIPLENS_REDACT_KEY;
  if (args['redact-key'] !== undefined && !args.redact) throw new UsageError((w) => w.redactKeyNeedsRedact);
  if (!args.redact) return undefined;
  if (key !== undefined && key.length < 8) throw new UsageError((w) => w.redactKeyTooShort);
  return key === undefined || key === '' ? {} : { key };
}

function captureTime(name: string, text: string | undefined) {
  if (text === undefined) return undefined;
  const t = parseCaptureTime(text);
  if (t === null) throw new UsageError((w) => w.badCaptureTime(`--${name}`, text));
  return t;
}

export function filterFromArgs(args: ReportArgs): FilterCriteria {
  const statuses = list(args.status);
  const bad = statuses.filter((s) => !isStatusPattern(s));
  if (bad.length > 0) throw new UsageError((w) => w.badStatus(bad[0]!));
  const types = list(args.type);
  const badType = types.find((t) => !(CALL_TYPES as readonly string[]).includes(t));
  if (badType !== undefined) throw new UsageError((w) => w.badType(CALL_TYPES.join(', '), badType));
  const since = captureTime('since', args.since);
  const until = captureTime('until', args.until);
  return {
    callIds: list(args['call-id']),
    users: list(args.user),
    methods: list(args.method),
    statuses,
    types: types as CallType[],
    onlyProblems: args['only-problems'] === true,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

/** An alias file: a YAML (or JSON) mapping of "ip:port" or "ip" to a name. */
export function loadAliases(path: string): Map<string, string> {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError((w) => w.aliasesUnreadable(path, err instanceof Error ? err.message.split('\n')[0]! : String(err)));
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError((w) => w.aliasesNotAMap(path));
  const aliases = new Map<string, string>();
  for (const [address, name] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof name !== 'string' && typeof name !== 'number') throw new UsageError((w) => w.aliasNotText(path, address));
    aliases.set(address.trim(), String(name));
  }
  return aliases;
}

/** The ladder's columns: --width, the terminal's, or 120. */
export function terminalWidth(args: ReportArgs, toFile: boolean): number {
  return checkedWidth(args.width) ?? terminalColumns(toFile) ?? 120;
}

/** ReportOptions from the parsed command line; a bad value is a UsageError (exit 2) before any input is read. */
export function reportOptionsFrom(args: ReportArgs & { readonly output?: string }, format: AnalysisFormat, failOn: FailOn, color: boolean): ReportOptions {
  const toFile = args.output !== undefined;
  const textWidth = checkedWidth(args.width) ?? terminalColumns(toFile);
  return {
    format,
    failOn,
    lang: args.lang ?? 'en',
    color: color && !toFile && (format === 'text' || format === 'ladder'),
    width: terminalWidth(args, toFile),
    ...(textWidth === undefined ? {} : { textWidth }),
    ladder: args.ladder === true,
    stats: args.stats === true,
    ...(args.aliases === undefined ? {} : { aliases: loadAliases(args.aliases) }),
    filter: filterFromArgs(args),
    ...(redactFromArgs(args) === undefined ? {} : { redact: redactFromArgs(args)! }),
  };
}
