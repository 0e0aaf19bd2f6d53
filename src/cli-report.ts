/**
 * The report half of the command line: the options every analysis command shares (format,
 * output file, filters, aliases, redaction, progress), declared once as a table, and the
 * choice of renderer. cli.ts wires them into its commands; everything here returns values
 * or throws UsageError, and only the progress line writes (to stderr, on a terminal).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Argv } from 'yargs';
import { CALL_TYPES, filterTimeline, isStatusPattern, parseCaptureTime, type FilterCriteria } from './annotate/filter.js';
import { renderCsv } from './annotate/render/csv.js';
import { renderGithub } from './annotate/render/github.js';
import { renderHtml } from './annotate/render/html.js';
import { renderJson } from './annotate/render/json.js';
import { renderNdjson } from './annotate/render/ndjson.js';
import { renderJunit, type FailOn } from './annotate/render/junit.js';
import { renderCallLadderText, renderLadder } from './annotate/render/ladder.js';
import { renderMarkdown } from './annotate/render/markdown.js';
import { renderMermaid } from './annotate/render/mermaid.js';
import { renderStatisticsJson, renderStatisticsText } from './annotate/render/stats.js';
import { renderText } from './annotate/render/text.js';
import { computeStatistics } from './annotate/stats.js';
import type { Timeline } from './annotate/timeline.js';
import type { CallType } from './parse/dialog/types.js';
import { analyze, type AnalysisResult, type AnalyzeOptions, type CapturedMessage, type InputSpec } from './index.js';
import { evaluatePolicy, parsePolicy, PolicyError, type Policy } from './annotate/policy.js';
import { renderCheckJson, renderCheckText } from './annotate/render/check.js';
import { buildTimeline } from './annotate/timeline.js';
import { redactTimeline, type RedactOptions } from './annotate/redact.js';

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
    .option('redact-key', { type: 'string', describe: 'with --redact: a secret that makes pseudonyms the same across runs (or set SIPLENS_REDACT_KEY)' });
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
}

function redactFromArgs(args: ReportArgs): RedactOptions | undefined {
  const key = args['redact-key'] ?? process.env.SIPLENS_REDACT_KEY;
  if (args['redact-key'] !== undefined && !args.redact) throw new UsageError('--redact-key needs --redact');
  if (!args.redact) return undefined;
  if (key !== undefined && key.length < 8) throw new UsageError('the redaction key must be at least 8 characters');
  return key === undefined || key === '' ? {} : { key };
}

/** The filters, then redaction: what every format shows. */
export function shownTimeline(timeline: Timeline, filter: FilterCriteria, redact: RedactOptions | undefined): Timeline {
  const t = filterTimeline(timeline, filter);
  return redact === undefined ? t : redactTimeline(t, redact);
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

/** The report, and the timeline it shows (after the filters): the exit code is decided on what is shown. */
export function renderReport(timeline: Timeline, options: ReportOptions): { text: string; timeline: Timeline } {
  const t = shownTimeline(timeline, options.filter, options.redact);
  return { text: renderFormat(t, options), timeline: t };
}

function renderFormat(t: Timeline, options: ReportOptions): string {
  const ladder = { width: options.width, color: options.color, ...(options.aliases ? { aliases: options.aliases } : {}) };
  const ci = { failOn: options.failOn, ...(options.aliases ? { aliases: options.aliases } : {}) };
  switch (options.format) {
    case 'json':
      return renderJson(t);
    case 'ndjson':
      return renderNdjson(t);
    case 'csv':
      return renderCsv(t);
    case 'ladder':
      return withStats(renderLadder(t, ladder), t, options);
    case 'html':
      return renderHtml(t, { statistics: computeStatistics(t), ...(options.aliases ? { aliases: options.aliases } : {}) });
    case 'markdown':
      return renderMarkdown(t, { statistics: computeStatistics(t), ...(options.aliases ? { aliases: options.aliases } : {}) });
    case 'mermaid':
      return renderMermaid(t, options.aliases ? { aliases: options.aliases } : {});
    case 'junit':
      return renderJunit(t, ci);
    case 'github':
      return renderGithub(t, ci);
    case 'text': {
      const text = renderText(t, { color: options.color });
      if (!options.ladder || t.calls.length === 0) return withStats(text, t, options);
      return withStats(text + '\n' + t.calls.map((c) => renderCallLadderText(c, ladder)).join('\n'), t, options);
    }
  }
}

function withStats(text: string, t: Timeline, options: ReportOptions): string {
  return options.stats ? `${text}\nStatistics\n${renderStatisticsText(computeStatistics(t))}` : text;
}

/** ReportOptions from the parsed command line; a bad value is a UsageError (exit 2) before any input is read. */
export function reportOptionsFrom(args: ReportArgs & { readonly output?: string }, format: AnalysisFormat, failOn: FailOn, color: boolean): ReportOptions {
  const toFile = args.output !== undefined;
  return {
    format,
    failOn,
    color: color && !toFile && (format === 'text' || format === 'ladder'),
    width: terminalWidth(args, toFile),
    ladder: args.ladder === true,
    stats: args.stats === true,
    ...(args.aliases === undefined ? {} : { aliases: loadAliases(args.aliases) }),
    filter: filterFromArgs(args),
    ...(redactFromArgs(args) === undefined ? {} : { redact: redactFromArgs(args)! }),
  };
}

/** Writes the report to stdout, or to --output. */
export function writeReport(text: string, output: string | undefined): void {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (err) {
    throw new UsageError(`cannot write ${output}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const RANK = { info: 0, warning: 1, error: 2 } as const;

/** 1 when a call shown has a finding at or above --fail-on. */
export function findingsExitCode(timeline: Timeline, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  return timeline.calls.some((c) => c.findings.some((f) => RANK[f.severity] >= RANK[failOn])) ? 1 : 0;
}

/** One sentence on stderr per input that could not be read at all; true when there was one. */
function reportUnreadable(result: AnalysisResult): boolean {
  const failed = result.inputs.filter((i) => !i.readable);
  for (const input of failed) {
    for (const d of input.diagnostics.filter((x) => x.severity === 'error')) process.stderr.write(`siplens: ${d.message}\n`);
  }
  return failed.length > 0;
}

/** analyze() with a progress line on stderr when it is a terminal. */
async function analyzeWithProgress(inputs: readonly InputSpec[], options: AnalyzeOptions): Promise<AnalysisResult> {
  const progress = Progress.enabled() ? new Progress(inputs) : null;
  try {
    return await analyze(inputs, progress ? { ...options, onMessage: progress.onMessage } : options);
  } finally {
    progress?.done();
  }
}


/** `siplens stats`: the statistics of the calls that pass the filters. Returns the exit code. */
export async function runStats(inputs: readonly InputSpec[], format: string, args: ReportArgs & { output?: string }, analyzeOptions: AnalyzeOptions): Promise<number> {
  if (format !== 'text' && format !== 'json') throw new UsageError(`stats writes text or json, not ${format}`);
  const filter = filterFromArgs(args);
  const redact = redactFromArgs(args);
  const result = await analyzeWithProgress(inputs, analyzeOptions);
  const stats = computeStatistics(shownTimeline(buildTimeline(result, analyzeOptions.lang), filter, redact));
  writeReport(format === 'json' ? renderStatisticsJson(stats) : renderStatisticsText(stats), args.output);
  return reportUnreadable(result) ? 2 : 0;
}

export const CHECK_FORMATS = ['text', 'json', 'junit', 'github'] as const;

export function loadPolicy(path: string | undefined): { policy: Policy; source: string } {
  if (path === undefined) return { policy: parsePolicy('', 'default policy'), source: '(default: no finding at error)' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the policy ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return { policy: parsePolicy(text, path), source: path };
  } catch (err) {
    if (err instanceof PolicyError) throw new UsageError(`the policy ${err.message}`);
    throw err;
  }
}

/**
 * `siplens check`: analyze with the policy's rule settings, then check each of its
 * assertions over the calls that pass the filters. Exit 0 all passed, 1 a check failed,
 * 2 an input could not be read or the policy is wrong.
 */
export async function runCheck(
  inputs: readonly InputSpec[],
  format: string,
  args: ReportArgs & { output?: string; policy?: string },
  analyzeOptions: AnalyzeOptions,
  color: boolean,
): Promise<number> {
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) throw new UsageError(`check writes ${CHECK_FORMATS.join(', ')}, not ${format}`);
  const { policy, source } = loadPolicy(args.policy);
  const options = reportOptionsFrom(args, 'text', policy.failOn, color);
  const result = await analyzeWithProgress(inputs, { ...analyzeOptions, rules: { ...policy.rules } });
  const timeline = shownTimeline(buildTimeline(result, analyzeOptions.lang), options.filter, options.redact);
  const checks = evaluatePolicy(policy, timeline, computeStatistics(timeline));
  const ci = { failOn: policy.failOn, allow: policy.allow, forbid: policy.forbid, checks, ...(options.aliases ? { aliases: options.aliases } : {}) };
  const text =
    format === 'json'
      ? renderCheckJson(checks, source)
      : format === 'junit'
        ? renderJunit(timeline, ci)
        : format === 'github'
          ? renderGithub(timeline, ci)
          : renderCheckText(checks, { color: options.color, source });
  writeReport(text, args.output);
  if (reportUnreadable(result)) return 2;
  return checks.every((c) => c.passed) ? 0 : 1;
}

/**
 * A one-line progress display on stderr while inputs are read: bytes read of the total
 * (for uncompressed files), SIP messages and calls (distinct Call-IDs) so far. Only on a
 * terminal; redrawn at most ten times a second and erased when done.
 */
export class Progress {
  private readonly total: number | null;
  /** Where each input starts in the total, by path. */
  private readonly base = new Map<string, number>();
  private messages = 0;
  private readonly callIds = new Set<string>();
  private last = 0;
  private shown = false;

  constructor(
    inputs: readonly InputSpec[],
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    let total: number | null = 0;
    for (const input of inputs) {
      // Offsets of gzip inputs count decompressed bytes, and stdin has no size: no percentage then.
      if (typeof input !== 'string' || input.endsWith('.gz')) {
        total = null;
        break;
      }
      try {
        this.base.set(input, total);
        total += statSync(input).size;
      } catch {
        total = null;
        break;
      }
    }
    this.total = total;
  }

  static enabled(stream: NodeJS.WriteStream = process.stderr): boolean {
    return stream.isTTY === true && process.env.TERM !== 'dumb';
  }

  readonly onMessage = (m: CapturedMessage): void => {
    this.messages++;
    if (m.message.callId !== null) this.callIds.add(m.message.callId);
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    const width = Math.min(30, Math.max(10, (this.stream.columns ?? 80) - 60));
    let bar = '';
    if (this.total !== null && this.total > 0) {
      const share = Math.min(1, ((this.base.get(m.file) ?? 0) + m.offset) / this.total);
      const filled = Math.round(share * width);
      bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)} % of ${(this.total / 1e6).toFixed(1)} MB · `;
    }
    this.stream.write(`\r\u001b[2K${bar}${this.messages} SIP messages · ${this.callIds.size} calls`);
    this.shown = true;
  };

  done(): void {
    if (this.shown) this.stream.write('\r\u001b[2K');
  }
}
