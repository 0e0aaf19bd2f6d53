/**
 * --write-pcap on the command line: checks the inputs before the analysis (a text log has no
 * frames to write; the output must not be one of the inputs), keeps the inputs readable again
 * (reread.ts: the frames are copied in a second read), collects the shown calls' frames while
 * the report is made, then writes the capture and says so on stderr.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { sniffFormat } from '../parse/capture/input.js';
import type { Lang } from '../annotate/i18n.js';
import { WRITE_CAPTURE } from '../present/catalog.js';
import { captureFileFormat } from '../present/capture/file-writer.js';
import { CaptureSelection, DEFAULT_MAX_SELECTED_FRAMES } from '../present/capture/selection.js';
import { writeCapture } from '../present/capture/write.js';
import type { LeftOutReason } from '../present/capture/redact-frame.js';
import type { Redactor } from '../present/redact.js';
import type { TimelineCall } from '../present/timeline.js';
import type { InputSpec, InputSummary } from '../index.js';
import { UsageError } from './options.js';
import { RereadableInputs } from './reread.js';

/** A capture being collected: the inputs to read again, and the frames the shown calls name. */
export class CaptureOutput {
  readonly selection = new CaptureSelection();

  private constructor(
    readonly path: string,
    private readonly reread: RereadableInputs,
  ) {}

  /**
   * Checks the inputs and the output path, and returns the inputs to analyse: a stream input is
   * copied to a temporary file as it is read (the second read needs it again).
   */
  static prepare(path: string, inputs: readonly InputSpec[]): { output: CaptureOutput; inputs: InputSpec[] } {
    for (const input of inputs) {
      if (typeof input !== 'string') continue;
      if (resolve(input) === resolve(path)) throw new UsageError((w) => w.pcapOverwritesInput(path, input));
      if (isTextLog(input)) throw new UsageError((w) => w.pcapFromTextLog(input));
    }
    const reread = new RereadableInputs(inputs);
    return { output: new CaptureOutput(path, reread), inputs: reread.inputs };
  }

  /** A call the report shows, before redaction. */
  readonly add = (call: TimelineCall): void => this.selection.add(call);

  /**
   * Writes the capture, then says on stderr what it holds. A text log found only now (gzipped,
   * or on stdin) or frames of several link types for a classic pcap are usage errors: the report
   * is already out, the capture is not written.
   */
  async write(read: readonly InputSummary[], redactor: Redactor | undefined, lang: Lang): Promise<void> {
    try {
      const selected = read.filter((summary) => this.selection.input(summary.path) !== undefined || summary.format === 'text');
      const text = selected.find((summary) => summary.format === 'text');
      if (text !== undefined || this.selection.textMessages > 0) throw new UsageError((w) => w.pcapFromTextLog(text?.path ?? '-'));
      const format = captureFileFormat(this.path);
      const linkTypes = [...new Set(selected.flatMap((summary) => summary.linkTypes))];
      if (format === 'pcap' && linkTypes.length > 1) {
        throw new UsageError((w) => w.pcapLinkTypes(linkTypes.join(', ')));
      }
      const result = await writeCapture(this.reread.again, this.selection, this.path, {
        format,
        linkType: linkTypes[0] ?? 1,
        ...(redactor === undefined ? {} : { redactor }),
      });
      const words = WRITE_CAPTURE[lang];
      const lines = [words.wrote(this.path, result.frames, result.calls, redactor !== undefined)];
      if (result.callsOverLimit > 0) lines.push(words.overLimit(result.callsOverLimit, DEFAULT_MAX_SELECTED_FRAMES));
      const reasons = (Object.entries(result.leftOut) as [LeftOutReason, number][]).filter(([, n]) => n > 0);
      if (reasons.length > 0) {
        lines.push(words.leftOut(reasons.reduce((sum, [, n]) => sum + n, 0), reasons.map(([reason, n]) => `${n} ${words.reason[reason]}`).join('; ')));
      }
      process.stderr.write(lines.join('\n') + '\n');
    } finally {
      this.cleanup();
    }
  }

  /** Removes the copies of stream inputs. */
  cleanup(): void {
    this.reread.cleanup();
  }
}

/** A plain file whose first bytes are text (a gzipped log is only known once decompressed: after the analysis). */
function isTextLog(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    // The analysis reports the input it cannot open, with its own diagnostic.
    return false;
  }
  try {
    const head = new Uint8Array(512);
    const n = readSync(fd, head, 0, head.length, 0);
    return sniffFormat(head.subarray(0, n)) === 'text';
  } finally {
    closeSync(fd);
  }
}
