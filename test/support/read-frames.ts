import { createCaptureReader } from '../../src/parse/capture/reader.js';
import { sniffFormat } from '../../src/parse/capture/input.js';
import { DiagnosticSink } from '../../src/parse/diagnostic-sink.js';
import type { Diagnostic } from '../../src/types.js';

export interface ReadFrame {
  number: number;
  sec: number;
  nsec: number;
  linkType: number;
  interfaceId: number;
  origLen: number;
  fileOffset: number;
  bytes: Buffer;
}

/** Reads a capture held in memory, feeding it in chunks of `chunkSize` bytes; frames are copied out. */
export function readFrames(
  file: Uint8Array,
  chunkSize = file.length || 1,
  kind: string = sniffFormat(file.subarray(0, 16)),
): { frames: ReadFrame[]; diagnostics: Diagnostic[]; format: string; bigEndian: boolean; sections: number } {
  if (kind !== 'pcap' && kind !== 'pcapng') throw new Error(`not a capture: ${kind}`);
  const diagnostics = new DiagnosticSink('mem');
  const frames: ReadFrame[] = [];
  const reader = createCaptureReader(
    kind,
    (f) =>
      frames.push({
        number: f.number,
        sec: f.sec,
        nsec: f.nsec,
        linkType: f.linkType,
        interfaceId: f.interfaceId,
        origLen: f.origLen,
        fileOffset: f.fileOffset,
        bytes: Buffer.from(f.data.subarray(f.start, f.end)),
      }),
    diagnostics,
  );
  for (let i = 0; i < file.length && !reader.stopped; i += chunkSize) {
    // Copy each chunk into a reused scratch buffer, as the file reader does, to catch views kept too long.
    const scratch = new Uint8Array(file.subarray(i, i + chunkSize));
    reader.push(scratch);
    scratch.fill(0xee);
  }
  reader.end();
  return { frames, diagnostics: diagnostics.list(), format: reader.info.format, bigEndian: reader.info.bigEndian, sections: reader.info.sections };
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}
