import type { InputRef } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { newFrameView, type CaptureInfo, type FrameHandler } from './frame.js';
import { PcapFormat } from './pcap.js';
import { PcapngFormat } from './pcapng.js';
import { RecordAssembler } from './record-assembler.js';

/** A push-style capture reader: feed chunks, frames come out through the handler. */
export interface CaptureReader {
  push(chunk: Uint8Array): void;
  end(): void;
  readonly stopped: boolean;
  readonly bytesConsumed: number;
  readonly frames: number;
  readonly info: CaptureInfo;
}

/** `file` is the input that fatal diagnostics name (the CLI prints them alone); null: "the file". */
export function createCaptureReader(
  kind: 'pcap' | 'pcapng',
  onFrame: FrameHandler,
  diagnostics: DiagnosticSink,
  file: InputRef | null = null,
  /** TLS secrets a pcapng file carries (Decryption Secrets Blocks), as key log text. */
  onTlsSecrets: ((keyLog: string) => void) | null = null,
): CaptureReader {
  const frame = newFrameView();
  const format = kind === 'pcap' ? new PcapFormat(frame, onFrame, diagnostics, file) : new PcapngFormat(frame, onFrame, diagnostics, file, onTlsSecrets);
  const assembler = new RecordAssembler(format);
  return {
    push: (chunk) => assembler.push(chunk),
    end: () => assembler.end(),
    get stopped() {
      return assembler.isStopped;
    },
    get bytesConsumed() {
      return assembler.bytesConsumed;
    },
    get frames() {
      return format.frames;
    },
    info: format.info,
  };
}
