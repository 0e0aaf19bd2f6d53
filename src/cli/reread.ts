/**
 * Inputs a command reads twice: a first pass decides what to show (the analysis), a second reads
 * the inputs again and copies what was chosen (--write-pcap's frames, a filtered `messages`
 * list). A file is read again from its path; a stream input (stdin, the demo) cannot be, so it
 * is copied to a temporary file while the first pass reads it (docs/decisions.md). Memory stays
 * the first pass's: the copy goes to disk chunk by chunk.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamChunks } from '../parse/capture/input.js';
import type { InputSpec } from '../index.js';
import type { InputToCopy } from '../present/capture/write.js';

export class RereadableInputs {
  /** What the first pass reads: the inputs, stream inputs teed to their copies. */
  readonly inputs: InputSpec[];
  /** Where the second pass reads each input from, in the order given. */
  readonly again: InputToCopy[] = [];
  private spillDir: string | null = null;

  constructor(inputs: readonly InputSpec[]) {
    this.inputs = inputs.map((input): InputSpec => {
      if (typeof input === 'string') {
        this.again.push({ name: input, path: input });
        return input;
      }
      const copy = join((this.spillDir ??= mkdtempSync(join(tmpdir(), 'siplens-input-'))), `${this.again.length}.input`);
      this.again.push({ name: input.name, path: copy });
      return { name: input.name, stream: keptCopy(input.stream, copy) };
    });
  }

  /** The second pass's inputs, named as in the first. */
  secondPass(): InputSpec[] {
    return this.again.map(({ name, path }) => (name === path ? path : { name, stream: createReadStream(path) }));
  }

  /** Removes the copies of stream inputs. */
  cleanup(): void {
    if (this.spillDir !== null) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = null;
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
