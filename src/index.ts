/**
 * siplens as a library: `analyze(inputs)` reads captures and returns what they hold.
 * It never prints and never exits; the CLI (cli.ts) decides what to show and the exit code.
 */
import { readInput, type InputSpec } from './parse/pipeline.js';
import type { CapturedMessage, InputSummary } from './types.js';

export type { InputSpec } from './parse/pipeline.js';
export type * from './types.js';
export type * from './parse/sip/types.js';
export { DIAGNOSTICS, type DiagnosticCode, type DiagnosticInfo } from './diagnostics.js';
export { parseSipMessage } from './parse/sip/parse.js';

export interface AnalyzeOptions {
  /** Called for every SIP message as soon as it is read, in capture order per input. */
  readonly onMessage?: (message: CapturedMessage) => void;
  /** Keep every message in the result (default true). Set false with onMessage to stream in bounded memory. */
  readonly collectMessages?: boolean;
}

export interface AnalysisResult {
  readonly inputs: readonly InputSummary[];
  /** Every SIP message, input by input in the order given, each in capture order. */
  readonly messages: readonly CapturedMessage[];
}

export async function analyze(inputs: readonly InputSpec[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const collect = options.collectMessages ?? true;
  const messages: CapturedMessage[] = [];
  const summaries: InputSummary[] = [];
  const onMessage = (message: CapturedMessage): void => {
    if (collect) messages.push(message);
    options.onMessage?.(message);
  };
  for (const input of inputs) summaries.push(await readInput(input, { onMessage }));
  return { inputs: summaries, messages };
}
