/** What the terminal siplens writes to can show: colours, and how wide a line may be. */
import { WriteStream } from 'node:tty';
import { UsageError } from './options.js';

/**
 * Colours for standard output: --color and --no-color decide; otherwise Node decides as its
 * own `hasColors()` does, from FORCE_COLOR, NO_COLOR, NODE_DISABLE_COLORS and TERM. A pipe or a
 * file gets colours only when FORCE_COLOR asks for them (a CI log that shows them), and a
 * report written with -o only with --color.
 */
export function colorFor(flag: boolean | undefined, toFile: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag !== undefined) return flag;
  if (toFile) return false;
  if (process.stdout.isTTY === true) return process.stdout.hasColors(env);
  // Node's reading of the variables without a terminal: getColorDepth looks at `env` only.
  return env.FORCE_COLOR !== undefined && (Object.create(WriteStream.prototype) as WriteStream).hasColors(env);
}

/** Columns of a terminal on standard output, or undefined for a pipe or a file. */
export function terminalColumns(toFile = false): number | undefined {
  return !toFile && process.stdout.isTTY === true && process.stdout.columns > 0 ? process.stdout.columns : undefined;
}

/** --width: at least 40 columns. */
export function checkedWidth(width: number | undefined): number | undefined {
  if (width !== undefined && (!Number.isInteger(width) || width < 40)) throw new UsageError((w) => w.badWidth);
  return width;
}

/** Help, rules and explanations: the terminal's width, or 80 columns (what a reader of a pipe or a file most likely has). */
export function helpWidth(width?: number): number {
  return checkedWidth(width) ?? terminalColumns() ?? 80;
}
