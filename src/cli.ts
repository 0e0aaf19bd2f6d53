/**
 * The siplens command line: the table (src/cli/table.ts) read by src/cli/args.ts -> analyze() ->
 * renderer -> stdout. It sets process.exitCode and never calls process.exit, so output is always
 * flushed. Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 an input could not
 * be read at all, or the command line is wrong. The command is src/cli-start.ts, which sets V8's
 * flags and runs this file's bundle.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InputSpec } from './index.js';
import { parseDate } from './parse/text/time.js';
import { explainTopic, renderCodeText, renderComparisonText, renderDiagnosticText, renderRuleText, renderRulesText, ruleJson } from './present/render/explain.js';
import { isEmptyFilter } from './present/filter.js';
import { CLI_WORDS } from './present/help.js';
import { wrapText } from './present/render/wrap.js';
import { RULES } from './annotate/rules/index.js';
import type { Lang } from './annotate/i18n.js';
import { runCheck, runStats, runStreams } from './cli/commands.js';
import { runLive } from './cli/live.js';
import { langOf, readCommandLine, type CommandLine, type OptionValues } from './cli/args.js';
import { commandHelp, mainHelp } from './cli/help.js';
import { EXIT_INPUT_ERROR, EXIT_OK, reportInputErrors } from './cli/exit-codes.js';
import { filterFromArgs, limitsFrom, redactFromArgs, reportOptionsFrom, tlsKeyLogsFrom, UsageError } from './cli/options.js';
import { ReportOutput, saidWritten, unwritable } from './cli/output.js';
import { runMessages } from './cli/messages.js';
import { Progress, untilInterrupted } from './cli/progress.js';
import { streamReport } from './cli/report.js';
import { CaptureOutput } from './cli/write-pcap.js';
import { Redactor } from './present/redact.js';
import { colorFor, helpWidth } from './cli/terminal.js';

/** The sample capture shipped with the package (samples/ next to dist/). */
export function demoCapturePath(): string {
  return fileURLToPath(new URL('../samples/demo.pcap', import.meta.url));
}

/** The package's version, from the package.json next to dist/ (and next to src/ when run from source). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function toInputs(files: readonly string[], lang: Lang): InputSpec[] {
  // `-` on a terminal would wait for input that nobody is going to pipe in.
  if (files.includes('-') && process.stdin.isTTY === true) {
    throw new UsageError(CLI_WORDS[lang].errors.stdinIsTerminal);
  }
  return files.map((f) => (f === '-' ? { name: '-', stream: process.stdin } : f));
}

/** A bad --date is a usage error (exit 2), said before anything is read. */
function checkDate(value: string | undefined): string | undefined {
  if (value !== undefined && parseDate(value) === null) throw new UsageError((w) => w.badDate(value));
  return value;
}

function checkLegWindow(value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new UsageError((w) => w.badLegWindow(String(value)));
  return value;
}

/** What every analysing command hands analyze(): the date of text logs, the leg window, the table limit, live reading from stdin. */
function analyzeOptionsFrom(inputs: readonly InputSpec[], values: OptionValues) {
  const date = checkDate(values.date);
  const legWindow = checkLegWindow(values['leg-window']);
  return {
    ...(date === undefined ? {} : { date }),
    ...(legWindow === undefined ? {} : { legs: { windowMs: legWindow === 0 ? -1 : legWindow * 1000 } }),
    ...limitsFrom(values),
    ...tlsKeyLogsFrom(values),
    // tcpdump on stdin: quiet lines still move capture time on, so stuck calls show when their timers run out.
    ...(inputs.some((i) => typeof i !== 'string' && i.name === '-') ? { live: true } : {}),
  };
}

/** `siplens messages` (src/cli/messages.ts): the command line's part, checked before anything is read. */
function runMessagesCommand(files: readonly string[], values: OptionValues, lang: Lang): Promise<void> {
  const date = checkDate(values.date);
  const filter = filterFromArgs(values);
  return runMessages(toInputs(files, lang), {
    format: values.format === 'json' ? 'json' : 'text',
    output: values.output,
    filter: isEmptyFilter(filter) ? null : filter,
    read: { ...(date === undefined ? {} : { date }), ...tlsKeyLogsFrom(values) },
  }, lang);
}

/**
 * analyze and demo: the report of --format, every format written as the calls are over, at the
 * pace of the reader (memory follows the calls open at once); with --write-pcap, the shown calls'
 * frames written as a capture too, with the report's pseudonyms.
 */
async function runAnalyze(inputs: readonly InputSpec[], values: OptionValues, lang: Lang): Promise<void> {
  const format = values.format as Exclude<OptionValues['format'], undefined>;
  const failOn = values['fail-on']!;
  // Report options (filters, aliases...) are checked before anything is read.
  const options = reportOptionsFrom({ ...values, lang }, format as never, failOn, colorFor(values.color, values.output !== undefined));
  const capture = values['write-pcap'] === undefined ? null : CaptureOutput.prepare(values['write-pcap'], inputs);
  if (capture !== null) inputs = capture.inputs;
  const redactor = options.redact === undefined ? undefined : new Redactor(options.redact.key);
  const shared = { ...(redactor === undefined ? {} : { redactor }), ...(capture === null ? {} : { onUnredacted: capture.output.add }) };
  try {
    const progress = Progress.enabled() ? new Progress(inputs, options.lang) : null;
    const analyzeOptions = { ...analyzeOptionsFrom(inputs, values), ...(progress ? progress.hooks : {}) };
    const out = ReportOutput.open(values.output);
    if (progress !== null) out.around = (write) => progress.above(write);
    let streamed: Awaited<ReturnType<typeof streamReport>>;
    try {
      streamed = await untilInterrupted((signal) => streamReport(inputs, options, { ...analyzeOptions, signal }, out, shared), options.lang);
      progress?.done();
    } finally {
      out.close();
    }
    if (reportInputErrors(streamed.inputs, options.lang)) {
      process.exitCode = EXIT_INPUT_ERROR;
      return;
    }
    if (capture !== null) await capture.output.write(streamed.inputs, redactor, options.lang);
    const { summary, failing } = streamed;
    const w = CLI_WORDS[lang].written;
    if (values.output !== undefined) {
      saidWritten(w.report(values.output, summary.calls, summary.findings.error, summary.findings.warning));
      if (failing > 0) saidWritten(w.findingsExit(failing, failOn));
    }
    process.exitCode = failing > 0 ? 1 : EXIT_OK;
  } finally {
    capture?.output.cleanup();
  }
}

function runExplain(topics: readonly string[], values: OptionValues, lang: Lang): void {
  const resolved = topics.map((t) => ({ topic: t, found: explainTopic(t, lang) }));
  const unknown = resolved.filter((r) => r.found === null).map((r) => r.topic);
  if (unknown.length > 0) {
    throw new UsageError((w) => w.nothingToExplain(unknown.map((u) => `"${u}"`).join(', ')), 'explain');
  }
  const found = resolved.map((r) => r.found!);
  if (values.format === 'json') {
    const docs = found.map((f) =>
      f.kind === 'code' ? { kind: 'code', ...f.info } : f.kind === 'rule' ? { kind: 'rule', ...ruleJson(f.rule, lang) } : { kind: 'diagnostic', code: f.code, ...f.info },
    );
    process.stdout.write(JSON.stringify({ schema: 'siplens/1', kind: 'explain', topics: docs }, null, 2) + '\n');
    return;
  }
  const width = helpWidth(values.width);
  // Two codes: compare them side by side; otherwise explain each topic in turn.
  if (found.length === 2 && found[0]!.kind === 'code' && found[1]!.kind === 'code') {
    process.stdout.write(renderComparisonText(found[0]!.info.code, found[1]!.info.code, lang) + '\n');
    return;
  }
  process.stdout.write(
    wrapText(found.map((f) => (f.kind === 'code' ? renderCodeText(f.info, lang) : f.kind === 'rule' ? renderRuleText(f.rule, lang) : renderDiagnosticText(f.code, f.info, lang))).join('\n\n'), width) + '\n',
  );
}

function runRules(values: OptionValues, lang: Lang): void {
  process.stdout.write(
    values.format === 'json'
      ? JSON.stringify({ schema: 'siplens/1', kind: 'rules', rules: RULES.map((r) => ruleJson(r, lang)) }, null, 2) + '\n'
      : renderRulesText(RULES, lang, helpWidth(values.width)) + '\n',
  );
}

async function run(line: CommandLine): Promise<void> {
  const lang = line.lang;
  switch (line.kind) {
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return;
    case 'short-help':
      // A bare `siplens` is not a request for a report: the short help, and exit 2 as for any command line that names no work.
      process.stderr.write(mainHelp({ lang, version: packageVersion(), full: false }));
      process.exitCode = EXIT_INPUT_ERROR;
      return;
    case 'help':
      process.stdout.write(line.command === null ? mainHelp({ lang, version: packageVersion(), full: true }) : commandHelp(line.command, lang));
      return;
    case 'run':
      break;
  }
  const { command, operands, values } = line;
  switch (command) {
    case 'analyze':
      return runAnalyze(toInputs(operands, lang), values, lang);
    case 'demo':
      return runAnalyze([{ name: 'samples/demo.pcap', stream: createReadStream(demoCapturePath()) }], values, lang);
    case 'messages':
      return runMessagesCommand(operands, values, lang);
    case 'explain':
      return runExplain(operands, values, lang);
    case 'rules':
      return runRules(values, lang);
    case 'check': {
      const inputs = toInputs(operands, lang);
      process.exitCode = await runCheck(inputs, values.format!, { ...values, lang }, analyzeOptionsFrom(inputs, values), colorFor(values.color, values.output !== undefined));
      return;
    }
    case 'stats': {
      const inputs = toInputs(operands, lang);
      process.exitCode = await runStats(inputs, values.format!, { ...values, lang }, analyzeOptionsFrom(inputs, values));
      return;
    }
    case 'streams': {
      const inputs = toInputs(operands, lang);
      process.exitCode = await runStreams(inputs, values.format!, { ...values, lang }, analyzeOptionsFrom(inputs, values));
      return;
    }
    case 'live': {
      const source = operands[0];
      process.exitCode = await runLive({
        ...(source === undefined ? {} : { source }),
        ...(values.interface === undefined ? {} : { iface: values.interface }),
        ...(values.filter === undefined ? {} : { filter: values.filter }),
        media: values.media !== false,
        lang,
        ...(redactFromArgs(values) === undefined ? {} : { redact: redactFromArgs(values)! }),
      });
      return;
    }
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const lang = langOf(argv, process.env);
  try {
    await run(readCommandLine(argv, process.env));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`siplens: ${err.sentence(lang)}\n${CLI_WORDS[lang].errors.seeHelp(err.command)}\n`);
    process.exitCode = EXIT_INPUT_ERROR;
  }
}

// A reader that stops early (`siplens big.pcap | head`) closes the pipe while calls are still
// being printed: that is the reader's choice, not an error, so siplens stops quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  unwritable('stdout', err);
});

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`siplens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 70;
});
