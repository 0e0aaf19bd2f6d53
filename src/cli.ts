/**
 * The siplens command line: options -> analyze() -> renderer -> stdout. It sets
 * process.exitCode and never calls process.exit, so output is always flushed.
 * Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 an input could not
 * be read at all, or the command line is wrong.
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { analyze, readMessages, type InputSpec, type InputSummary } from './index.js';
import { parseDate } from './parse/text/time.js';
import { renderMessagesJson, renderMessagesText } from './present/render/messages.js';
import { buildTimeline, type TimelineCall } from './present/timeline.js';
import { explainTopic, renderCodeText, renderComparisonText, renderDiagnosticText, renderRuleText, renderRulesText, ruleJson } from './present/render/explain.js';
import { RULES } from './annotate/rules/index.js';
import { LANGS, langFromEnv, type Lang } from './annotate/i18n.js';
import { runCheck, runStats, runStreams } from './cli/commands.js';
import { EXIT_INPUT_ERROR, EXIT_OK, findingsExitCode, reportInputErrors } from './cli/exit-codes.js';
import { ANALYSIS_FORMATS, limitsFrom, reportOptionsFrom, UsageError, withReportOptions, WRITE_PCAP_OPTION, type ReportArgs } from './cli/options.js';
import { reportWriter, writeReport } from './cli/output.js';
import { Progress, untilInterrupted } from './cli/progress.js';
import { renderReport, streamReport, streamsCalls } from './cli/report.js';
import { CaptureOutput } from './cli/write-pcap.js';
import { Redactor } from './present/redact.js';


const FORMATS = ANALYSIS_FORMATS;
type Format = (typeof FORMATS)[number];

/** messages, explain and rules speak text and JSON only. */
function textOrJson(format: Format, command: string): 'text' | 'json' {
  if (format !== 'text' && format !== 'json') throw new UsageError(`${command} writes text or json, not ${format}`);
  return format;
}
const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];

/** The sample capture shipped with the package (samples/ next to dist/). */
export function demoCapturePath(): string {
  return fileURLToPath(new URL('../samples/demo.pcap', import.meta.url));
}

/** yargs drops a bare "-" from positionals, so it travels under this name until toInputs. */
const STDIN_ARG = '\u0000stdin';

function toInputs(files: readonly string[]): InputSpec[] {
  // `-` on a terminal would wait for input that nobody is going to pipe in.
  if (files.includes(STDIN_ARG) && process.stdin.isTTY === true) {
    throw new UsageError('"-" reads a capture or a log from standard input, but nothing is piped in (it is the terminal); pipe one, e.g. tcpdump -U -w - port 5060 | siplens -');
  }
  return files.map((f) => (f === STDIN_ARG ? { name: '-', stream: process.stdin } : f));
}

function useColor(): boolean {
  return process.stdout.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

/** --date, for text logs that print times without a date. */
const DATE_OPTION = {
  type: 'string',
  describe: 'text logs that print times without a date: the date of the first message (YYYY-MM-DD); default: the file\'s modification date, as the date of the last message',
} as const;

/** A bad --date is a usage error (exit 2); yargs would wrap an error thrown from `coerce`, so it is checked here. */
function checkDate(value: string | undefined): string | undefined {
  if (value !== undefined && parseDate(value) === null) throw new UsageError(`--date must be a date as YYYY-MM-DD, got "${value}"`);
  return value;
}

async function runMessages(files: readonly string[], format: Format, lang: Lang, date?: string): Promise<void> {
  checkDate(date);
  textOrJson(format, 'messages');
  const result = await readMessages(toInputs(files), undefined, date === undefined ? {} : { date });
  process.stdout.write(format === 'json' ? renderMessagesJson(result) : renderMessagesText(result, lang));
  process.exitCode = reportInputErrors(result.inputs, lang) ? EXIT_INPUT_ERROR : EXIT_OK;
}

/** --leg-window: seconds between the INVITEs of two legs linked by their numbers alone (src/annotate/legs.ts). */
const LEG_WINDOW_OPTION = {
  type: 'number',
  describe: 'legs of one call through a PBX/SBC with no linking header: longest time between their INVITEs, in seconds, to link them by caller and callee numbers (a guess); 0 turns the guess off',
  default: 5,
} as const;

function checkLegWindow(value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new UsageError(`--leg-window must be a number of seconds (0 or more), got "${value}"`);
  return value;
}

async function runAnalyze(
  inputs: readonly InputSpec[],
  format: Format,
  failOn: FailOn,
  date?: string,
  reportArgs: ReportArgs & { output?: string; lang?: Lang; legWindow?: number; 'write-pcap'?: string } = {},
): Promise<void> {
  checkDate(date);
  const legWindow = checkLegWindow(reportArgs.legWindow);
  // Report options (filters, aliases...) are checked before anything is read.
  const options = reportOptionsFrom(reportArgs, format, failOn, useColor());
  // --write-pcap: the report's calls are also written as a capture, with the report's pseudonyms.
  const capture = reportArgs['write-pcap'] === undefined ? null : CaptureOutput.prepare(reportArgs['write-pcap'], inputs);
  if (capture !== null) inputs = capture.inputs;
  const redactor = options.redact === undefined ? undefined : new Redactor(options.redact.key);
  const shared = { ...(redactor === undefined ? {} : { redactor }), ...(capture === null ? {} : { onUnredacted: capture.output.add }) };
  try {
    const read = await analyzeAndReport(inputs, options, failOn, date, legWindow, reportArgs, shared);
    if (capture !== null && process.exitCode !== EXIT_INPUT_ERROR) await capture.output.write(read, redactor, options.lang);
  } finally {
    capture?.output.cleanup();
  }
}

async function analyzeAndReport(
  inputs: readonly InputSpec[],
  options: ReturnType<typeof reportOptionsFrom>,
  failOn: FailOn,
  date: string | undefined,
  legWindow: number | undefined,
  reportArgs: ReportArgs & { output?: string },
  shared: { readonly redactor?: Redactor; readonly onUnredacted?: (call: TimelineCall) => void },
): Promise<readonly InputSummary[]> {
  const progress = Progress.enabled() ? new Progress(inputs, options.lang) : null;
  const analyzeOptions = {
    ...(date === undefined ? {} : { date }),
    ...(progress ? progress.hooks : {}),
    ...(legWindow === undefined ? {} : { legs: { windowMs: legWindow === 0 ? -1 : legWindow * 1000 } }),
    ...limitsFrom(reportArgs),
    // tcpdump on stdin: quiet lines still move capture time on, so stuck calls show when their timers run out.
    ...(inputs.some((i) => typeof i !== 'string' && i.name === '-') ? { live: true } : {}),
  };
  if (streamsCalls(options)) {
    // Text and NDJSON print each call as soon as it is over: memory follows the calls open at once.
    const writer = reportWriter(reportArgs.output);
    const out = progress === null ? writer.write : (text: string) => progress.above(() => writer.write(text));
    try {
      const streamed = await untilInterrupted((signal) => streamReport(inputs, options, { ...analyzeOptions, signal }, out, shared), options.lang);
      progress?.done();
      process.exitCode = reportInputErrors(streamed.inputs, options.lang) ? EXIT_INPUT_ERROR : streamed.exitCode;
      return streamed.inputs;
    } finally {
      writer.close();
    }
  }
  const result = await untilInterrupted((signal) => analyze(inputs, { ...analyzeOptions, signal }), options.lang);
  progress?.done();
  const report = renderReport(buildTimeline(result, options.lang), options, shared.redactor, shared.onUnredacted);
  writeReport(report.text, reportArgs.output);
  process.exitCode = reportInputErrors(result.inputs, options.lang) ? EXIT_INPUT_ERROR : findingsExitCode(report.timeline, failOn);
  return result.inputs;
}

function runExplain(topics: readonly string[], format: Format, lang: Lang): void {
  textOrJson(format, 'explain');
  const resolved = topics.map((t) => ({ topic: t, found: explainTopic(t, lang) }));
  const unknown = resolved.filter((r) => r.found === null).map((r) => r.topic);
  if (unknown.length > 0) {
    throw new UsageError(`nothing to explain for ${unknown.map((u) => `"${u}"`).join(', ')}: give a status code (100-699), a rule id (see "siplens rules") or a diagnostic code (docs/diagnostics.md)`);
  }
  const found = resolved.map((r) => r.found!);
  if (format === 'json') {
    const docs = found.map((f) =>
      f.kind === 'code' ? { kind: 'code', ...f.info } : f.kind === 'rule' ? { kind: 'rule', ...ruleJson(f.rule, lang) } : { kind: 'diagnostic', code: f.code, ...f.info },
    );
    process.stdout.write(JSON.stringify({ schema: 'siplens/1', kind: 'explain', topics: docs }, null, 2) + '\n');
    return;
  }
  // Two codes: compare them side by side; otherwise explain each topic in turn.
  if (found.length === 2 && found[0]!.kind === 'code' && found[1]!.kind === 'code') {
    process.stdout.write(renderComparisonText(found[0]!.info.code, found[1]!.info.code, lang) + '\n');
    return;
  }
  process.stdout.write(
    found.map((f) => (f.kind === 'code' ? renderCodeText(f.info, lang) : f.kind === 'rule' ? renderRuleText(f.rule, lang) : renderDiagnosticText(f.code, f.info, lang))).join('\n\n') + '\n',
  );
}

export async function main(argv: string[]): Promise<void> {
  const parser = yargs(argv.map((a) => (a === '-' ? STDIN_ARG : a)))
    .scriptName('siplens')
    .usage('$0 [command] <files..> [options]\n\nReads SIP traffic from pcap/pcapng captures, rebuilds every call and explains what happened.')
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'output format (messages, explain, rules: text or json)' })
    .option('lang', { choices: LANGS, default: langFromEnv(process.env), describe: 'language of every output: reports, stats, check, explain, progress (default from LANG / LC_ALL)' })
    .command(
      ['analyze <files..>', '$0 <files..>'],
      'the annotated timeline: calls, each message explained, problems with evidence and a fix',
      (y) =>
        withReportOptions(
          y
            .positional('files', { type: 'string', array: true, demandOption: true, describe: 'captures (pcap, pcapng, .gz) or SIP text logs; - reads stdin' })
            .option('fail-on', { choices: FAIL_ON, default: 'error' as FailOn, describe: 'exit 1 when a finding reaches this severity' })
            .option('date', DATE_OPTION)
            .option('leg-window', LEG_WINDOW_OPTION)
            .option('write-pcap', WRITE_PCAP_OPTION),
        ),
      async (args) => runAnalyze(toInputs(args.files as string[]), args.format, args['fail-on'], args.date, { ...args, legWindow: args['leg-window'] }),
    )
    .command(
      'messages <files..>',
      'list every SIP message (frame, time, source → destination, method or status, Call-ID, CSeq)',
      (y) => y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'captures (pcap, pcapng, .gz) or SIP text logs; - reads stdin' }).option('date', DATE_OPTION),
      async (args) => runMessages(args.files as string[], args.format, args.lang, args.date),
    )
    .command(
      'demo',
      'analyze the sample capture bundled with siplens (a normal call, a call stuck on 100 Trying, a 410 Gone)',
      // The demo shows problems on purpose: it exits 0 unless asked otherwise.
      (y) => withReportOptions(y.option('fail-on', { choices: FAIL_ON, default: 'never' as FailOn, describe: 'exit 1 when a finding reaches this severity' }).option('write-pcap', WRITE_PCAP_OPTION)),
      async (args) => runAnalyze([{ name: 'samples/demo.pcap', stream: createReadStream(demoCapturePath()) }], args.format, args['fail-on'], undefined, args),
    )
    .command(
      'explain <topics..>',
      'explain a response code, compare two codes, or show a rule\'s or a diagnostic\'s docs',
      (y) => y.positional('topics', { type: 'string', array: true, demandOption: true, describe: 'status codes (410; two codes are compared), rule ids or diagnostic codes' }),
      (args) => runExplain((args.topics as string[]).map(String), args.format, args.lang),
    )
    .command(
      'rules',
      'list every rule with its id, default severity, description and options',
      (y) => y,
      (args) => {
        textOrJson(args.format, 'rules');
        process.stdout.write(
          args.format === 'json' ? JSON.stringify({ schema: 'siplens/1', kind: 'rules', rules: RULES.map((r) => ruleJson(r, args.lang)) }, null, 2) + '\n' : renderRulesText(RULES, args.lang) + '\n',
        );
      },
    )
    .command(
      'check <files..>',
      'check captures against a policy (rule settings, allowed and forbidden rules, figures): exit 1 with the list of what failed',
      (y) =>
        withReportOptions(
          y
            .positional('files', { type: 'string', array: true, demandOption: true, describe: 'captures or SIP text logs; - reads stdin' })
            .option('policy', { alias: 'p', type: 'string', describe: 'policy file (YAML, see docs/policy.md); without one, any error finding fails' })
            .option('date', DATE_OPTION),
        ),
      async (args) => {
        checkDate(args.date);
        process.exitCode = await runCheck(toInputs(args.files as string[]), args.format, args, { ...(args.date === undefined ? {} : { date: args.date }), ...limitsFrom(args) }, useColor());
      },
    )
    .command(
      'stats <files..>',
      'statistics: calls by outcome, ASR and NER, post-dial delay and setup time, responses by method, response times per peer, retransmissions',
      (y) =>
        withReportOptions(
          y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'captures or SIP text logs; - reads stdin' }).option('date', DATE_OPTION),
        ),
      async (args) => {
        checkDate(args.date);
        process.exitCode = await runStats(toInputs(args.files as string[]), args.format, args, { ...(args.date === undefined ? {} : { date: args.date }), ...limitsFrom(args) });
      },
    )
    .command(
      'streams <files..>',
      'every RTP stream with its figures as tshark -z rtp,streams gives them (packets, lost, max delta, jitter), its MOS estimate and its call',
      (y) =>
        withReportOptions(
          y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'captures (pcap, pcapng, .gz); - reads stdin' }).option('date', DATE_OPTION),
        ),
      async (args) => {
        checkDate(args.date);
        process.exitCode = await runStreams(toInputs(args.files as string[]), args.format, args, { ...(args.date === undefined ? {} : { date: args.date }), ...limitsFrom(args) });
      },
    )
    .example('$0 call.pcap', 'the annotated timeline')
    .example('$0 --format ladder call.pcap', 'a ladder diagram per call')
    .example('$0 --format html -o report.html call.pcap', 'a self-contained HTML report')
    .example('$0 check --policy policy.yaml --format junit -o junit.xml call.pcap', 'CI: check a capture against a policy')
    .example('$0 explain 100 410', 'what 100 and 410 mean and how they differ')
    .example('$0 --format json --fail-on warning call.pcapng > report.json', 'machine-readable, exit 1 on warnings')
    .example('$0 messages call.pcap', 'one line per SIP message')
    .example('$0 streams call.pcap', 'the RTP streams with loss, jitter and MOS, to set beside tshark -z rtp,streams')
    .example('tcpdump -i any -U -w - port 5060 | $0 -', 'a live capture from stdin: each call prints when it is over; Ctrl-C reports the rest')
    .strict()
    .demandCommand(1, 'give a capture file, or run "siplens demo"')
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 80))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  await parser.parseAsync();
}

// A reader that stops early (`siplens big.pcap | head`) closes the pipe while calls are still
// being printed: that is the reader's choice, not an error, so siplens stops quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(hideBin(process.argv)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`siplens: ${err.message}\nRun "siplens --help" for usage.\n`);
    process.exitCode = EXIT_INPUT_ERROR;
    return;
  }
  process.stderr.write(`siplens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 70;
});
