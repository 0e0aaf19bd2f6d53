/**
 * --write-pcap on the command line: checks the inputs before the analysis (a text log has no
 * frames to write; the output must not be one of the inputs), keeps a copy of a stream input
 * (stdin, the demo) on disk while the analysis reads it, since the frames are copied in a second
 * read (docs/decisions.md), collects the shown calls' frames while the report is made, then writes
 * the capture and says so on stderr.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sniffFormat, streamChunks } from '../parse/capture/input.js';
import type { Lang } from '../annotate/i18n.js';
import { WRITE_CAPTURE } from '../present/catalog.js';
import { captureFileFormat } from '../present/capture/file-writer.js';
import { CaptureSelection, DEFAULT_MAX_SELECTED_FRAMES } from '../present/capture/selection.js';
import { writeCapture, type InputToCopy } from '../present/capture/write.js';
import type { LeftOutReason } from '../present/capture/redact-frame.js';
import type { Redactor } from '../present/redact.js';
import type { TimelineCall } from '../present/timeline.js';
import type { InputSpec, InputSummary } from '../index.js';
import { UsageError } from './options.js';

/** A capture being collected: the inputs to read again, and the frames the shown calls name. */
export class CaptureOutput {
  readonly selection = new CaptureSelection();
  private readonly copies: InputToCopy[] = [];
  private spillDir: string | null = null;

  private constructor(readonly path: string) {}

  /**
   * Checks the inputs and the output path, and returns the inputs to analyse: a stream input is
   * copied to a temporary file as it is read (the second read needs it again).
   */
  static prepare(path: string, inputs: readonly InputSpec[]): { output: CaptureOutput; inputs: InputSpec[] } {
    const output = new CaptureOutput(path);
    const analysed = inputs.map((input): InputSpec => {
      if (typeof input === 'string') {
        if (resolve(input) === resolve(path)) throw new UsageError(`--write-pcap ${path} would overwrite the input ${input}; give another file name`);
        if (isTextLog(input)) throw new UsageError(textLogMessage(input));
        output.copies.push({ name: input, path: input });
        return input;
      }
      const spill = join((output.spillDir ??= mkdtempSync(join(tmpdir(), 'siplens-input-'))), `${output.copies.length}.input`);
      output.copies.push({ name: input.name, path: spill });
      return { name: input.name, stream: keptCopy(input.stream, spill) };
    });
    return { output, inputs: analysed };
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
      if (text !== undefined || this.selection.textMessages > 0) throw new UsageError(textLogMessage(text?.path ?? 'an input'));
      const format = captureFileFormat(this.path);
      const linkTypes = [...new Set(selected.flatMap((summary) => summary.linkTypes))];
      if (format === 'pcap' && linkTypes.length > 1) {
        throw new UsageError(`the frames to write have several link types (${linkTypes.join(', ')}) and a pcap file holds one: give --write-pcap a .pcapng name`);
      }
      const result = await writeCapture(this.copies, this.selection, this.path, {
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
    if (this.spillDir !== null) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = null;
  }
}

function textLogMessage(input: string): string {
  return `--write-pcap writes captured frames, and ${input} is a text log (SIP messages without their packets): give a pcap or pcapng capture, or leave --write-pcap out`;
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

/** The chunks of a stream, each also appended to `path` before it is handed on. */
async function* keptCopy(stream: AsyncIterable<unknown>, path: string): AsyncGenerator<Uint8Array> {
  const fd = openSync(path, 'w');
  try {
    for await (const chunk of streamChunks(stream)) {
      for (let written = 0; written < chunk.length; ) written += writeSync(fd, chunk, written, chunk.length - written);
      yield chunk;
    }
  } finally {
    closeSync(fd);
  }
}
