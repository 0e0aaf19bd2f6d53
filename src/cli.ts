/**
 * The siplens command line: options -> analyze() -> renderer -> stdout. It sets
 * process.exitCode and never calls process.exit, so output is always flushed.
 * Exit codes: 0 done; 2 an input could not be read at all, or the command line is wrong.
 */
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { analyze, type AnalysisResult, type InputSpec } from './index.js';
import { renderMessagesJson, renderMessagesText } from './annotate/render/messages.js';

export const EXIT_OK = 0;
export const EXIT_INPUT_ERROR = 2;

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** The sample capture shipped with the package (samples/ next to dist/). */
export function demoCapturePath(): string {
  return fileURLToPath(new URL('../samples/demo.pcap', import.meta.url));
}

/** yargs drops a bare "-" from positionals, so it travels under this name until toInputs. */
const STDIN_ARG = '\u0000stdin';

function toInputs(files: readonly string[]): InputSpec[] {
  return files.map((f) => (f === STDIN_ARG ? { name: '-', stream: process.stdin } : f));
}

async function runMessages(files: readonly string[], format: Format): Promise<void> {
  const result: AnalysisResult = await analyze(toInputs(files));
  process.stdout.write(format === 'json' ? renderMessagesJson(result) : renderMessagesText(result));
  const failed = result.inputs.filter((i) => !i.readable);
  for (const input of failed) {
    for (const d of input.diagnostics.filter((x) => x.severity === 'error')) process.stderr.write(`siplens: ${d.message}\n`);
  }
  process.exitCode = failed.length > 0 ? EXIT_INPUT_ERROR : EXIT_OK;
}

export async function main(argv: string[]): Promise<void> {
  const parser = yargs(argv.map((a) => (a === '-' ? STDIN_ARG : a)))
    .scriptName('siplens')
    .usage('$0 <command> [options]\n\nReads SIP traffic from pcap/pcapng captures and shows every SIP message.')
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'output format' })
    .command(
      ['messages <files..>', '$0 <files..>'],
      'list every SIP message in the captures (frame, time, source → destination, method or status, Call-ID, CSeq)',
      (y) => y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'capture files (pcap, pcapng, .gz); - reads stdin' }),
      async (args) => runMessages(args.files as string[], args.format),
    )
    .command(
      'demo',
      'run on the sample capture bundled with siplens',
      (y) => y,
      async (args) => runMessages([demoCapturePath()], args.format),
    )
    .example('$0 messages call.pcap', 'one line per SIP message')
    .example('$0 messages --format json call.pcapng > messages.json', 'the same as JSON')
    .example('tcpdump -i any -w - port 5060 | $0 messages -', 'read a live capture from stdin')
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

/** A wrong command line: reported in one sentence, exit code 2. */
class UsageError extends Error {}

main(hideBin(process.argv)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`siplens: ${err.message}\nRun "siplens --help" for usage.\n`);
    process.exitCode = EXIT_INPUT_ERROR;
    return;
  }
  process.stderr.write(`siplens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 70;
});
