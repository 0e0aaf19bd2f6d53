/**
 * The options every analysis command shares (format, output file, filters, aliases, redaction,
 * table limits), declared once as a table for parsing and help, and read into typed
 * ReportOptions. A bad value is a UsageError (exit 2) before any input is read.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Argv } from 'yargs';
import { CALL_TYPES, isStatusPattern, parseCaptureTime, type FilterCriteria } from '../present/filter.js';
import type { Lang } from '../annotate/i18n.js';
import type { FailOn } from '../present/render/junit.js';
import type { RedactOptions } from '../present/redact.js';
import { DEFAULT_MAX_OPEN_CALLS, type CorrelatorOptions } from '../parse/dialog/correlate.js';
import type { CallType } from '../parse/dialog/types.js';

/** A wrong command line: reported in one sentence, exit code 2. */
export class UsageError extends Error {}

export const ANALYSIS_FORMATS = ['text', 'json', 'ndjson', 'csv', 'ladder', 'html', 'markdown', 'mermaid', 'junit', 'github'] as const;
export type AnalysisFormat = (typeof ANALYSIS_FORMATS)[number];

export interface ReportOptions {
  readonly format: AnalysisFormat;
  readonly failOn: FailOn;
  readonly color: boolean;
  /** Columns for the ladder. */
  readonly width: number;
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

/** The options shared by analyze, demo, check and stats (one table: parsing and help). */
export function withReportOptions<T>(y: Argv<T>) {
  return y
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file instead of stdout' })
    .option('ladder', { type: 'boolean', default: false, describe: 'with --format text: a ladder diagram after the timeline' })
    .option('stats', { type: 'boolean', default: false, describe: 'with --format text or ladder: the statistics at the end' })
    .option('aliases', { type: 'string', describe: 'YAML or JSON file naming participants: { "10.0.0.1:5060": "alice phone", "10.0.0.2": "proxy" }' })
    .option('width', { type: 'number', describe: 'columns for the ladder (default: the terminal width, or 120)' })
    .option('call-id', { type: 'string', describe: 'only calls with this Call-ID (* is a wildcard; repeat or comma-separate for several)' })
    .option('user', { type: 'string', describe: 'only calls with this user part in From, To or a Request-URI' })
    .option('method', { type: 'string', describe: 'only calls with a request of this method' })
    .option('status', { type: 'string', describe: 'only calls with a response of this status (486) or class (4xx)' })
    .option('since', { type: 'string', describe: 'only calls still going at or after this capture time (ISO 8601, UTC unless a zone is given, or Unix seconds)' })
    .option('until', { type: 'string', describe: 'only calls started at or before this capture time' })
    .option('only-problems', { type: 'boolean', default: false, describe: 'only calls with a warning or an error' })
    .option('type', { type: 'string', describe: `only calls of this type: ${CALL_TYPES.join(', ')}` })
    .option('redact', { type: 'boolean', default: false, describe: 'replace users, numbers, display names, addresses, hosts, tags and Call-IDs by consistent pseudonyms, in every format' })
    .option('redact-key', { type: 'string', describe: 'with --redact: a secret that makes pseudonyms the same across runs (or set SIPLENS_REDACT_KEY)' })
    .option('max-open-calls', { type: 'number', describe: `calls held open at once while reading (default ${DEFAULT_MAX_OPEN_CALLS}); beyond it the least recently active call is reported early, with a diagnostic` });
}

/** --write-pcap (analyze and demo): the shown calls' frames as a capture (src/present/capture/, src/cli/write-pcap.ts). */
export const WRITE_PCAP_OPTION = {
  type: 'string',
  describe: 'also write the frames of the calls shown (every filter applies), with their RTP, RTCP and ICMP errors, to this capture file: pcapng for a .pcapng name, else pcap; redacted with --redact',
} as const;

/** --max-open-calls as the analysis' table limit. */
export function limitsFrom(args: { readonly 'max-open-calls'?: number }): { limits?: CorrelatorOptions } {
  const max = args['max-open-calls'];
  if (max === undefined) return {};
  if (!Number.isInteger(max) || max < 1) throw new UsageError(`--max-open-calls must be a whole number of calls, at least 1, got "${max}"`);
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
  readonly lang?: Lang;
}

export function redactFromArgs(args: ReportArgs): RedactOptions | undefined {
  const key = args['redact-key'] ?? process.env.SIPLENS_REDACT_KEY;
  if (args['redact-key'] !== undefined && !args.redact) throw new UsageError('--redact-key needs --redact');
  if (!args.redact) return undefined;
  if (key !== undefined && key.length < 8) throw new UsageError('the redaction key must be at least 8 characters');
  return key === undefined || key === '' ? {} : { key };
}

function captureTime(name: string, text: string | undefined) {
  if (text === undefined) return undefined;
  const t = parseCaptureTime(text);
  if (t === null) throw new UsageError(`--${name} must be a capture time such as 2024-11-19T07:06:45Z or Unix seconds, got "${text}"`);
  return t;
}

export function filterFromArgs(args: ReportArgs): FilterCriteria {
  const statuses = list(args.status);
  const bad = statuses.filter((s) => !isStatusPattern(s));
  if (bad.length > 0) throw new UsageError(`--status takes a status code (486) or a class (4xx), got "${bad[0]}"`);
  const types = list(args.type);
  const badType = types.find((t) => !(CALL_TYPES as readonly string[]).includes(t));
  if (badType !== undefined) throw new UsageError(`--type must be one of ${CALL_TYPES.join(', ')}, got "${badType}"`);
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
    throw new UsageError(`cannot read the alias file ${path}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`the alias file ${path} must map addresses to names, e.g. "10.0.0.1:5060: alice phone"`);
  const aliases = new Map<string, string>();
  for (const [address, name] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof name !== 'string' && typeof name !== 'number') throw new UsageError(`the alias file ${path}: the name for ${address} must be text`);
    aliases.set(address.trim(), String(name));
  }
  return aliases;
}

export function terminalWidth(args: ReportArgs, toFile: boolean): number {
  if (args.width !== undefined) {
    if (!Number.isInteger(args.width) || args.width < 40) throw new UsageError('--width must be a whole number of columns, at least 40');
    return args.width;
  }
  if (!toFile && process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  return 120;
}

/** ReportOptions from the parsed command line; a bad value is a UsageError (exit 2) before any input is read. */
export function reportOptionsFrom(args: ReportArgs & { readonly output?: string }, format: AnalysisFormat, failOn: FailOn, color: boolean): ReportOptions {
  const toFile = args.output !== undefined;
  return {
    format,
    failOn,
    lang: args.lang ?? 'en',
    color: color && !toFile && (format === 'text' || format === 'ladder'),
    width: terminalWidth(args, toFile),
    ladder: args.ladder === true,
    stats: args.stats === true,
    ...(args.aliases === undefined ? {} : { aliases: loadAliases(args.aliases) }),
    filter: filterFromArgs(args),
    ...(redactFromArgs(args) === undefined ? {} : { redact: redactFromArgs(args)! }),
  };
}
