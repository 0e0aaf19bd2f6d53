/**
 * Runs the frame decoder over hand-built packets, as the capture reader would: each frame is a
 * view into one reused buffer that is overwritten after the frame callback returns, so a layer
 * that keeps a view instead of copying fails these tests.
 */
import { newFrameView } from '../../src/parse/capture/frame.js';
import { DiagnosticSink } from '../../src/parse/diagnostic-sink.js';
import { FrameDecoder } from '../../src/parse/pipeline.js';
import type { PacketSinks } from '../../src/parse/outputs.js';
import type { CapturedMessage, Diagnostic } from '../../src/types.js';

export interface TestPacket {
  data: Uint8Array;
  /** Capture time in seconds (fractions allowed); default: the packet's index in milliseconds. */
  time?: number;
}

export interface Decoded {
  messages: CapturedMessage[];
  diagnostics: Diagnostic[];
  decoder: FrameDecoder;
}

/** `sinks`: the outputs beside SIP messages (media, ICMP, TLS records); their views are overwritten after each frame, like the frame buffer. */
export function decodePackets(packets: Iterable<TestPacket | Uint8Array>, linkType = 1, afterFrame?: (decoder: FrameDecoder, number: number) => void, sinks: PacketSinks = {}): Decoded {
  const diagnostics = new DiagnosticSink('mem');
  const messages: CapturedMessage[] = [];
  const decoder = new FrameDecoder('mem', diagnostics, (m) => messages.push(m), sinks);
  const scratch = new Uint8Array(70000);
  const frame = newFrameView();
  let fileOffset = 24;
  let i = 0;
  for (const p of packets) {
    const packet = p instanceof Uint8Array ? { data: p } : p;
    const time = packet.time ?? i / 1000;
    const lead = 3 + (i % 5);
    scratch.fill(0xcc);
    scratch.set(packet.data, lead);
    Object.assign(frame, {
      number: i + 1,
      sec: Math.floor(time),
      nsec: Math.round((time - Math.floor(time)) * 1e9),
      linkType,
      interfaceId: 0,
      data: scratch,
      start: lead,
      end: lead + packet.data.length,
      origLen: packet.data.length,
      fileOffset: fileOffset + 16,
    });
    decoder.onFrame(frame);
    scratch.fill(0xee);
    fileOffset += 16 + packet.data.length;
    afterFrame?.(decoder, i + 1);
    i++;
  }
  decoder.finish();
  return { messages, diagnostics: diagnostics.list(), decoder };
}

/** method or status of each message, in order. */
export function whats(messages: readonly CapturedMessage[]): string[] {
  return messages.map((m) => m.message.method ?? String(m.message.status));
}
