/**
 * --write-pcap: the second pass. The first pass (the report's analysis) left a CaptureSelection of
 * the shown calls' frames; this reads each input again through the same layers (so a frame is
 * tied to a call exactly as the analysis tied it: SIP by its frame numbers, media through the
 * media sink's 5-tuples, ICMP errors through the packet they quote) and copies the selected
 * frames, in capture order, to a pcap or pcapng file, redacted with --redact (redact-frame.ts).
 *
 * Memory: one frame at a time. With one input, frames go straight to the file; with several,
 * each input's frames go to a spill file of its own, and the spill files are merged by time
 * (the analysis merges its inputs the same way), so the output is in capture order without
 * holding frames.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { u16be } from '../../parse/capture/bytes.js';
import type { FrameView } from '../../parse/capture/frame.js';
import { DiagnosticSink } from '../../parse/diagnostic-sink.js';
import { decodeLink, type LinkResult } from '../../parse/link/link.js';
import { decodeIp, formatIp, IpProtocol, newIpResult } from '../../parse/net/ip.js';
import { quotedCallId } from '../../parse/icmp-calls.js';
import type { IcmpError, MediaKind, MediaPacket } from '../../parse/outputs.js';
import { readInput } from '../../parse/pipeline.js';
import type { CapturedMessage } from '../../types.js';
import type { Redactor } from '../redact.js';
import { CaptureFileWriter, type CaptureFileFormat, type FrameToWrite } from './file-writer.js';
import { FrameRedactor, type LeftOutReason } from './redact-frame.js';
import { flowKey, type CaptureSelection, type InputSelection } from './selection.js';

/** An input as the analysis named it, and the file to read it from again (stdin was spilled to a file while it was read). */
export interface InputToCopy {
  readonly name: string;
  readonly path: string;
}

export interface WriteCaptureOptions {
  readonly format: CaptureFileFormat;
  /** For a classic pcap: the one link type of every frame. */
  readonly linkType: number;
  /** With --redact: the redactor of the report, so the capture's pseudonyms are the report's. */
  readonly redactor?: Redactor;
}

export interface WriteCaptureResult {
  readonly frames: number;
  readonly calls: number;
  /** Calls shown but not written: the selection's bound was reached. */
  readonly callsOverLimit: number;
  /** Frames a redacted capture leaves out, by reason (redact-frame.ts). */
  readonly leftOut: Readonly<Record<LeftOutReason, number>>;
}

interface FrameSink {
  write(frame: FrameToWrite): void;
}

/** What the sinks said about the frame being decoded. */
class FrameFacts {
  messages: CapturedMessage[] = [];
  media: MediaKind | null = null;
  icmp = false;

  reset(): void {
    if (this.messages.length > 0) this.messages = [];
    this.media = null;
    this.icmp = false;
  }
}

/** The TCP 5-tuple of a frame as the selection keys it, or null when it is not TCP (for WebSocket connections: rare, so decoded only when the input has one). */
class TcpFlows {
  private readonly diagnostics = new DiagnosticSink('');
  private readonly link: LinkResult = { etherType: 0, offset: 0 };
  private readonly ip = newIpResult();

  of(frame: FrameView): string | null {
    if (!decodeLink(frame, this.link, this.diagnostics) || this.link.etherType === 0) return null;
    if (!decodeIp(frame, this.link.etherType, this.link.offset, this.ip, this.diagnostics)) return null;
    const ip = this.ip;
    if (ip.protocol !== IpProtocol.TCP || ip.fragment || ip.payloadStart + 4 > frame.end) return null;
    const b = frame.data;
    return flowKey(formatIp(b, ip.srcOffset, ip.version), u16be(b, ip.payloadStart), formatIp(b, ip.dstOffset, ip.version), u16be(b, ip.payloadStart + 2));
  }
}

/** Reads one input again and hands each selected frame (redacted when asked) to `sink`. */
async function copyInput(input: InputToCopy, selected: InputSelection, sink: FrameSink, redactor: FrameRedactor | null): Promise<void> {
  const facts = new FrameFacts();
  // A redacted copy writes SIP over WebSocket as plain TCP: the Upgrade (its Host, Origin, cookies) is not copied.
  const webSockets = redactor === null && selected.webSockets.size > 0 ? new TcpFlows() : null;
  const out: { -readonly [K in keyof FrameToWrite]: FrameToWrite[K] } = { sec: 0, nsec: 0, linkType: 0, interfaceKey: '', origLen: 0, bytes: new Uint8Array(0) };
  const emit = (frame: FrameView, bytes: Uint8Array, origLen: number): void => {
    out.sec = frame.sec;
    out.nsec = frame.nsec;
    out.linkType = frame.linkType;
    out.interfaceKey = `${input.name}\u0000${frame.interfaceId}`;
    out.origLen = origLen;
    out.bytes = bytes;
    sink.write(out);
  };
  await readInput(input.path, {
    onMessage: (message) => {
      if (selected.callIds.has(message.message.callId ?? '')) facts.messages.push(message);
    },
    onMedia: (p: MediaPacket) => {
      if (!selected.mediaPorts.has(p.srcPort) || !selected.mediaPorts.has(p.dstPort)) return;
      const src = p.src();
      const dst = p.dst();
      if (selected.hasMedia(flowKey(src.ip, src.port, dst.ip, dst.port), p.frame, p.sec * 1000 + p.nsec / 1e6, p.kind === 'rtcp')) facts.media = p.kind;
    },
    onIcmp: (e: IcmpError) => {
      const q = e.quote;
      if (q === null) return;
      const ms = e.sec * 1000 + e.nsec / 1e6;
      const callId = quotedCallId(q.payload);
      if ((callId !== null && selected.callIds.has(callId)) || selected.hasQuoted(flowKey(q.src, q.srcPort ?? 0, q.dst, q.dstPort ?? 0), ms)) facts.icmp = true;
    },
    onFrame: (frame) => {
      const sip = selected.sip.has(frame.number) || (webSockets !== null && onWebSocket(selected, webSockets.of(frame), frame.number));
      if (sip || facts.media !== null || facts.icmp) {
        const length = frame.end - frame.start;
        if (redactor === null) emit(frame, frame.data.subarray(frame.start, frame.end), frame.origLen);
        else if (sip) for (const packet of redactor.sip(frame, facts.messages)) emit(frame, packet, packet.length);
        else {
          const packet = facts.media !== null ? redactor.media(frame, facts.media) : redactor.icmp(frame);
          // The same length (payloads are blanked in place): a frame cut by the snaplen stays as long on the wire.
          if (packet !== null) emit(frame, packet, frame.origLen - length + packet.length);
        }
      }
      facts.reset();
    },
  });
}

function onWebSocket(selected: InputSelection, flow: string | null, frame: number): boolean {
  const last = flow === null ? undefined : selected.webSockets.get(flow);
  return last !== undefined && frame <= last;
}

/** Writes the selected frames of the inputs to `path`. */
export async function writeCapture(inputs: readonly InputToCopy[], selection: CaptureSelection, path: string, options: WriteCaptureOptions): Promise<WriteCaptureResult> {
  const redactor = options.redactor === undefined ? null : new FrameRedactor(options.redactor);
  const toCopy = inputs.flatMap((input) => {
    const selected = selection.input(input.name);
    return selected === undefined ? [] : [{ input, selected }];
  });
  const writer = new CaptureFileWriter(path, options.format, options.linkType);
  try {
    if (toCopy.length <= 1) {
      for (const { input, selected } of toCopy) await copyInput(input, selected, writer, redactor);
    } else {
      await mergedCopies(toCopy, writer, redactor);
    }
  } finally {
    writer.close();
  }
  return {
    frames: writer.frames,
    calls: selection.calls,
    callsOverLimit: selection.callsOverLimit,
    leftOut: redactor?.leftOut ?? { encapsulated: 0, fragment: 0, 'link-type': 0, undecodable: 0 },
  };
}

/**
 * Several inputs: each is copied to a spill file of its own (its frames in its order), then the
 * spill files are merged by time into the writer, one record of each in memory at once.
 */
async function mergedCopies(toCopy: readonly { input: InputToCopy; selected: InputSelection }[], writer: CaptureFileWriter, redactor: FrameRedactor | null): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'siplens-write-'));
  try {
    const spills: string[] = [];
    for (const [i, { input, selected }] of toCopy.entries()) {
      const spill = new SpillWriter(join(dir, `${i}.spill`));
      try {
        await copyInput(input, selected, spill, redactor);
      } finally {
        spill.close();
      }
      spills.push(spill.path);
    }
    mergeSpills(spills, writer);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A spill record: seconds (float64, as a Timestamp holds them), nanoseconds, link type, original
 * length, captured length (uint32 each), the interface key's length (uint16), the key, the bytes.
 */
const SPILL_HEADER = 26;

class SpillWriter implements FrameSink {
  private readonly fd: number;
  private readonly header = new Uint8Array(SPILL_HEADER);
  private readonly view = new DataView(this.header.buffer);

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(frame: FrameToWrite): void {
    const key = Buffer.from(frame.interfaceKey, 'utf8');
    const v = this.view;
    v.setFloat64(0, frame.sec, true);
    v.setUint32(8, frame.nsec, true);
    v.setUint32(12, frame.linkType, true);
    v.setUint32(16, frame.origLen, true);
    v.setUint32(20, frame.bytes.length, true);
    v.setUint16(24, key.length, true);
    writeAll(this.fd, this.header);
    writeAll(this.fd, key);
    writeAll(this.fd, frame.bytes);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
}

/** Reads spill records back one at a time (synchronously: the merge pulls from each file in turn). */
class SpillReader {
  private readonly fd: number;
  private readonly header = new Uint8Array(SPILL_HEADER);
  private readonly view = new DataView(this.header.buffer);
  private position = 0;
  current: FrameToWrite | null = null;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.next();
  }

  private read(bytes: Uint8Array): boolean {
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(this.fd, bytes, got, bytes.length - got, this.position + got);
      if (n === 0) return false;
      got += n;
    }
    this.position += bytes.length;
    return true;
  }

  next(): void {
    if (!this.read(this.header)) {
      this.current = null;
      closeSync(this.fd);
      return;
    }
    const v = this.view;
    const key = new Uint8Array(v.getUint16(24, true));
    const bytes = new Uint8Array(v.getUint32(20, true));
    this.read(key);
    this.read(bytes);
    this.current = {
      sec: v.getFloat64(0, true),
      nsec: v.getUint32(8, true),
      linkType: v.getUint32(12, true),
      origLen: v.getUint32(16, true),
      interfaceKey: Buffer.from(key).toString('utf8'),
      bytes,
    };
  }
}

/** Writes the spills' records by time (the earlier input first on a tie: the analysis' merge order). */
function mergeSpills(paths: readonly string[], writer: CaptureFileWriter): void {
  const readers = paths.map((p) => new SpillReader(p));
  for (;;) {
    let first: SpillReader | null = null;
    for (const r of readers) {
      const c = r.current;
      if (c === null) continue;
      const f = first?.current;
      if (f === undefined || f === null || c.sec < f.sec || (c.sec === f.sec && c.nsec < f.nsec)) first = r;
    }
    if (first === null) return;
    writer.write(first.current!);
    first.next();
  }
}
