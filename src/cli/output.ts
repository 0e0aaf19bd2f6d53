/** Where reports go: stdout, or the file of --output (a failure to write it is a UsageError). */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { sanitizeForTerminal } from '../present/render/sanitize.js';
import { UsageError } from './options.js';

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

/** One line on stderr about what was written with -o (stdout holds no report then, and the file says nothing itself). */
export function saidWritten(line: string): void {
  process.stderr.write(`siplens: ${sanitizeForTerminal(line)}\n`);
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
