/**
 * The report half of the command line: the options every analysis command shares (format,
 * output file, filters, aliases, redaction, progress), declared once as a table, and the
 * choice of renderer. cli.ts wires them into its commands; everything here returns values
 * or throws UsageError, and only the progress line writes (to stderr, on a terminal).
 */
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Argv } from 'yargs';
import { CALL_TYPES, callMatches, filterTimeline, isEmptyFilter, isStatusPattern, parseCaptureTime, ShownCounts, type FilterCriteria } from './annotate/filter.js';
import { renderCsv } from './annotate/render/csv.js';
import { renderGithub } from './annotate/render/github.js';
import { renderHtml } from './annotate/render/html.js';
import { renderJson } from './annotate/render/json.js';
import { ndjsonCall, ndjsonSummary, renderNdjson } from './annotate/render/ndjson.js';
import { renderJunit, type FailOn } from './annotate/render/junit.js';
import { renderCallLadderText, renderLadder } from './annotate/render/ladder.js';
import { renderMarkdown } from './annotate/render/markdown.js';
import { renderMermaid } from './annotate/render/mermaid.js';
import { renderStatisticsJson, renderStatisticsText } from './annotate/render/stats.js';
import { renderTextCall, renderTextEnd } from './annotate/render/text.js';
import { sanitizeForTerminal } from './annotate/render/sanitize.js';
import { computeStatistics, StatisticsBuilder } from './annotate/stats.js';
import { timelineCall, type Timeline, type TimelineCall } from './annotate/timeline.js';
import type { CallType } from './parse/dialog/types.js';
import { callSelector } from './analysis/select.js';
import { analyze, analyzeStream, type AnalysisResult, type AnalyzeOptions, type CapturedMessage, type InputSpec, type InputSummary } from './index.js';
import type { Lang } from './annotate/i18n.js';
import { atLeast } from './severity.js';
import { DEFAULT_MAX_OPEN_CALLS, type CorrelatorOptions } from './parse/dialog/correlate.js';
import { evaluatePolicy, parsePolicy, PolicyError, type Policy } from './annotate/policy.js';
import { renderCheckJson, renderCheckText } from './annotate/render/check.js';
import { buildTimeline } from './annotate/timeline.js';
import { redactTimeline, Redactor, type RedactOptions } from './annotate/redact.js';

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
    .option('redact-key', { type: 'string', describe: 'with --redact: a secret that makes pseudonyms the same across runs (or set SIPLENS_REDACT_KEY)' })
    .option('max-open-calls', { type: 'number', describe: `calls held open at once while reading (default ${DEFAULT_MAX_OPEN_CALLS}); beyond it the least recently active call is reported early, with a diagnostic` });
}

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
    case 'text':
      return withStats(t.calls.map((c) => textCall(c, options, t.lang)).join('') + renderTextEnd(t), t, options);
  }
}

/** A call in the text report: its timeline block, then its ladder with --ladder. */
function textCall(call: TimelineCall, options: ReportOptions, lang: Lang): string {
  const block = renderTextCall(call, { color: options.color }, lang);
  if (!options.ladder) return block;
  return block + renderCallLadderText(call, { width: options.width, color: options.color, ...(options.aliases ? { aliases: options.aliases } : {}) }) + '\n';
}

/** Formats that print each call as soon as the analysis hands it over (the rest need every call first). */
export function streamsCalls(options: ReportOptions): boolean {
  return options.format === 'ndjson' || options.format === 'text';
}

/**
 * The calls as the report shows them (filtered, then redacted), each handed to `onShown` as
 * soon as the analysis is done with it, then what the end of a report needs: the inputs and the
 * summary of what was shown. Memory follows the calls open at once, not the size of the input.
 */
async function streamShownCalls(
  inputs: readonly InputSpec[],
  filter: FilterCriteria,
  redact: RedactOptions | undefined,
  analyzeOptions: AnalyzeOptions,
  onShown: (call: TimelineCall) => void,
): Promise<{ inputs: readonly InputSummary[]; end: Omit<Timeline, 'calls'> }> {
  const lang = analyzeOptions.lang ?? 'en';
  const redactor = redact === undefined ? null : new Redactor(redact.key);
  const shown = new ShownCounts();
  // The filters that do not need findings are applied before the rules run: a report about one
  // Call-ID in a trunk capture runs the rules on that call only.
  const select = callSelector(filter);
  const streamed = await analyzeStream(inputs, {
    ...analyzeOptions,
    ...(select === undefined ? {} : { select }),
    onCalls: (batch) => {
      let calls = batch.map((c) => timelineCall(c, lang)).filter((c) => callMatches(c, filter));
      if (redactor !== null) calls = [...redactTimeline({ lang, inputs: [], calls, summary: EMPTY_SUMMARY }, redact, redactor).calls];
      for (const call of calls) {
        shown.add(call);
        onShown(call);
      }
    },
  });
  let end: Omit<Timeline, 'calls'> = { lang, inputs: streamed.inputs, summary: isEmptyFilter(filter) ? streamed.summary : shown.over(streamed.summary) };
  if (redactor !== null) end = redactTimeline({ ...end, calls: [] }, redact, redactor);
  return { inputs: streamed.inputs, end };
}

/**
 * The streaming report (text, NDJSON): each call is printed as soon as it is over, then the
 * inputs and the summary (and the statistics with --stats). The same words as renderReport over
 * the whole timeline. Returns what the exit code needs.
 */
export async function streamReport(
  inputs: readonly InputSpec[],
  options: ReportOptions,
  analyzeOptions: AnalyzeOptions,
  write: (text: string) => void,
): Promise<{ inputs: readonly InputSummary[]; exitCode: 0 | 1 }> {
  const lang = analyzeOptions.lang ?? 'en';
  const statistics = options.stats ? new StatisticsBuilder() : null;
  let exitCode: 0 | 1 = 0;
  const { inputs: read, end } = await streamShownCalls(inputs, options.filter, options.redact, analyzeOptions, (call) => {
    if (failsOn(call, options.failOn)) exitCode = 1;
    statistics?.add(call);
    write(options.format === 'ndjson' ? ndjsonCall(call) : textCall(call, options, lang));
  });
  const tail = options.format === 'ndjson' ? ndjsonSummary(end) : renderTextEnd(end);
  write(statistics === null ? tail : `${tail}\nStatistics\n${renderStatisticsText(statistics.result())}`);
  return { inputs: read, exitCode };
}

const EMPTY_SUMMARY: Timeline['summary'] = { calls: 0, messages: 0, retransmissions: 0, outcomes: {}, findings: { error: 0, warning: 0, info: 0 }, diagnostics: { error: 0, warning: 0, info: 0 } };

/** Where a streamed report goes: stdout (synchronous for files and pipes on Linux), or --output. */
export function reportWriter(output: string | undefined): { write: (text: string) => void; close: () => void } {
  if (output === undefined) return { write: (text) => void process.stdout.write(text), close: () => {} };
  let fd: number;
  try {
    fd = openSync(output, 'w');
  } catch (err) {
    throw new UsageError(`cannot write ${output}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { write: (text) => void writeSync(fd, text), close: () => closeSync(fd) };
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


/** 1 when a call shown has a finding at or above --fail-on. */
export function findingsExitCode(timeline: Timeline, failOn: FailOn): 0 | 1 {
  return timeline.calls.some((c) => failsOn(c, failOn)) ? 1 : 0;
}

function failsOn(call: TimelineCall, failOn: FailOn): boolean {
  return call.findings.some((f) => atLeast(f.severity, failOn));
}

/**
 * Input failures on stderr, one sentence each, whatever the report format or destination: every
 * error of an input that could not be read at all, and a read that failed part-way (the report
 * holds what was read before it). True when an input could not be read at all (exit code 2).
 */
export function reportInputErrors(inputs: readonly InputSummary[]): boolean {
  for (const input of inputs) {
    for (const d of input.diagnostics) {
      if (d.severity !== 'error') continue;
      if (!input.readable) process.stderr.write(`siplens: ${sanitizeForTerminal(d.message)}\n`);
      else if (d.code.startsWith('input.')) process.stderr.write(`siplens: ${sanitizeForTerminal(d.message)} (the report shows what was read before)\n`);
    }
  }
  return inputs.some((i) => !i.readable);
}

/** analyze() with a progress line on stderr when it is a terminal. */
async function analyzeWithProgress(inputs: readonly InputSpec[], options: AnalyzeOptions): Promise<AnalysisResult> {
  const progress = Progress.enabled() ? new Progress(inputs) : null;
  try {
    return await untilInterrupted((signal) => analyze(inputs, { ...options, ...(progress ? progress.hooks : {}), signal }));
  } finally {
    progress?.done();
  }
}

/**
 * Runs an analysis that the first Ctrl-C ends gracefully: reading stops, and the report is
 * made from what was read (an `input.interrupted` diagnostic says so) — what one wants at the
 * end of a live capture on stdin. A second Ctrl-C quits at once (exit 130, as shells expect).
 */
export async function untilInterrupted<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nsiplens: interrupted: reporting what was read (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
    // A live stdin would keep the process waiting for data nobody reads any more.
    if (controller.signal.aborted) process.stdin.destroy();
  }
}


/** `siplens stats`: the statistics of the calls that pass the filters. Returns the exit code. */
export async function runStats(inputs: readonly InputSpec[], format: string, args: ReportArgs & { output?: string }, analyzeOptions: AnalyzeOptions): Promise<number> {
  if (format !== 'text' && format !== 'json') throw new UsageError(`stats writes text or json, not ${format}`);
  const filter = filterFromArgs(args);
  const redact = redactFromArgs(args);
  // Streamed: the statistics keep a few figures per call, not the calls.
  const builder = new StatisticsBuilder();
  const progress = Progress.enabled() ? new Progress(inputs) : null;
  let read: readonly InputSummary[];
  try {
    ({ inputs: read } = await untilInterrupted((signal) =>
      streamShownCalls(inputs, filter, redact, { ...analyzeOptions, ...(progress ? progress.hooks : {}), signal }, (call) => builder.add(call)),
    ));
  } finally {
    progress?.done();
  }
  const stats = builder.result();
  writeReport(format === 'json' ? renderStatisticsJson(stats) : renderStatisticsText(stats), args.output);
  return reportInputErrors(read) ? 2 : 0;
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
  if (reportInputErrors(result.inputs)) return 2;
  return checks.every((c) => c.passed) ? 0 : 1;
}

/**
 * A one-line progress display on stderr while inputs are read: bytes read of the total (for
 * uncompressed files; bytes alone otherwise), and SIP messages so far. It moves with the bytes,
 * so a capture that is mostly RTP shows progress too. Only on a terminal; redrawn at most ten
 * times a second and erased when done. Holds a number per input, nothing per message.
 */
export class Progress {
  private readonly total: number | null;
  private readonly bytes: number[];
  private messages = 0;
  private last = 0;
  private shown = false;

  constructor(
    inputs: readonly InputSpec[],
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.bytes = inputs.map(() => 0);
    let total: number | null = 0;
    for (const input of inputs) {
      // Gzip inputs count decompressed bytes, and stdin has no size: no percentage then.
      if (typeof input !== 'string' || input.endsWith('.gz')) {
        total = null;
        break;
      }
      try {
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

  /** The analysis options that feed it. */
  get hooks(): { onMessage: (m: CapturedMessage) => void; onBytes: (input: number, bytes: number) => void } {
    return { onMessage: this.onMessage, onBytes: this.onBytes };
  }

  readonly onMessage = (_m: CapturedMessage): void => {
    this.messages++;
    this.draw();
  };

  readonly onBytes = (input: number, bytes: number): void => {
    this.bytes[input] = bytes;
    this.draw();
  };

  private draw(): void {
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    const read = this.bytes.reduce((a, b) => a + b, 0);
    let head: string;
    if (this.total !== null && this.total > 0) {
      const width = Math.min(30, Math.max(10, (this.stream.columns ?? 80) - 60));
      const share = Math.min(1, read / this.total);
      const filled = Math.round(share * width);
      head = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)} % of ${(this.total / 1e6).toFixed(1)} MB`;
    } else {
      head = `${(read / 1e6).toFixed(1)} MB read`;
    }
    this.stream.write(`\r\u001b[2K${head} · ${this.messages} SIP messages`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\u001b[2K');
    this.shown = false;
  }

  /** Output to the same terminal while the progress line shows: the line is erased first and drawn again by the next message. */
  above(write: () => void): void {
    this.done();
    this.last = 0;
    write();
  }
}
