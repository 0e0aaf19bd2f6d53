/**
 * `siplens messages`: one line (or JSON object) per message as it is read. The inputs open the
 * list and are known at the end, so the rows are held aside in a spill file meanwhile.
 *
 * With a filter, only the messages of the calls it selects (the same selection as every other
 * command, findings included for --only-problems), still in capture order. Two passes, memory
 * bounded as the report's: the streamed analysis says which calls are shown and leaves, per
 * input, the positions (frame or log line) of their messages and their Call-IDs, a few bytes per
 * message; the inputs are then read again (stdin from a copy on disk, reread.ts) and a message is
 * listed when its position and Call-ID were left. Past MAX_LISTED_MESSAGES the calls are counted,
 * not listed, and stderr says so.
 */
import { streamMessages, type InputSpec, type InputSummary } from '../index.js';
import type { Lang } from '../annotate/i18n.js';
import type { FilterCriteria } from '../present/filter.js';
import { CLI_WORDS } from '../present/help.js';
import { MessagesJson, MessagesText } from '../present/render/messages.js';
import { FrameNumbers } from '../present/capture/selection.js';
import type { TimelineCall } from '../present/timeline.js';
import type { CapturedMessage } from '../types.js';
import { EXIT_INPUT_ERROR, EXIT_OK, reportInputErrors } from './exit-codes.js';
import { ReportOutput, saidWritten, Spill } from './output.js';
import { untilInterrupted } from './progress.js';
import { streamShownCalls } from './report.js';
import { RereadableInputs } from './reread.js';

/** Messages a filtered list names at most (4 bytes each, and the shown calls' Call-IDs). */
export const MAX_LISTED_MESSAGES = 4_000_000;

export interface MessagesRun {
  readonly format: 'text' | 'json';
  readonly output: string | undefined;
  readonly filter: FilterCriteria | null;
  readonly read: { readonly date?: string; readonly tlsKeyLogs?: readonly string[] };
}

export async function runMessages(inputs: readonly InputSpec[], run: MessagesRun, lang: Lang): Promise<void> {
  const out = ReportOutput.open(run.output);
  const held = new Spill();
  const reread = run.filter === null ? null : new RereadableInputs(inputs);
  try {
    let count = 0;
    let keep: ((m: CapturedMessage) => boolean) | null = null;
    let firstPass: readonly InputSummary[] | null = null;
    if (reread !== null) {
      const selection = new ListedMessages(MAX_LISTED_MESSAGES);
      const shown = await untilInterrupted((signal) => streamShownCalls(reread.inputs, run.filter!, undefined, { ...run.read, signal }, lang, selection.add), lang);
      firstPass = shown.inputs;
      if (selection.callsOverLimit > 0) process.stderr.write(CLI_WORDS[lang].written.listOverLimit(selection.callsOverLimit, MAX_LISTED_MESSAGES) + '\n');
      keep = selection.has;
    }
    const second = reread === null ? inputs : reread.secondPass();
    const options = { ...run.read, pace: () => out.ready() };
    let read: readonly InputSummary[];
    if (run.format === 'json') {
      const json = new MessagesJson();
      read = await untilInterrupted((signal) => streamMessages(second, (m) => (keep === null || keep(m)) && (count++, held.append(json.message(m))), { ...options, signal, keepsHanded: false }), lang);
      read = firstPass ?? read;
      out.write(json.head(read));
      await held.copyTo(out);
      out.write(json.tail());
    } else {
      const text = new MessagesText(lang);
      read = await untilInterrupted((signal) => streamMessages(second, (m) => (keep === null || keep(m)) && (count++, held.append(text.row(m))), { ...options, signal, keepsHanded: false }), lang);
      read = firstPass ?? read;
      out.write(text.head(read));
      await held.copyLinesTo(out, (row) => text.padded(row));
      out.write(text.tail(read));
    }
    await out.drained();
    if (run.output !== undefined) saidWritten(CLI_WORDS[lang].written.messages(run.output, count));
    process.exitCode = reportInputErrors(read, lang) ? EXIT_INPUT_ERROR : EXIT_OK;
  } finally {
    held.close();
    out.close();
    reread?.cleanup();
  }
}

/** The messages of the shown calls, per input: their positions (frame, or log line) and the calls' Call-IDs (a TCP segment may complete messages of two calls). */
class ListedMessages {
  private readonly inputs = new Map<string, { readonly positions: FrameNumbers; readonly callIds: Set<string> }>();
  private total = 0;
  callsOverLimit = 0;

  constructor(private readonly max: number) {}

  readonly add = (call: TimelineCall): void => {
    if (this.total + call.messages.length > this.max) {
      this.callsOverLimit++;
      return;
    }
    this.total += call.messages.length;
    for (const m of call.messages) {
      let input = this.inputs.get(m.file);
      if (input === undefined) this.inputs.set(m.file, (input = { positions: new FrameNumbers(), callIds: new Set() }));
      input.positions.add(m.frame ?? m.line ?? 0);
      input.callIds.add(call.callId);
    }
  };

  readonly has = (m: CapturedMessage): boolean => {
    const input = this.inputs.get(m.file);
    return input !== undefined && input.callIds.has(m.message.callId ?? '') && input.positions.has(m.frame ?? m.line ?? 0);
  };
}
