/**
 * The one file that wires the layers: input -> capture format -> frames -> link -> IP -> UDP -> SIP.
 * Frames are views into the reader's buffer; only bytes that form a SIP message are copied.
 */
import type { CaptureFormat, CapturedMessage, InputSummary, Timestamp, Transport } from '../types.js';
import { checkFile, fileChunks, fileStream, gunzip, peek, sniffFormat, streamChunks } from './capture/input.js';
import type { CaptureInfo, FrameView } from './capture/frame.js';
import { createCaptureReader } from './capture/reader.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import { decodeLink, type LinkResult } from './link/link.js';
import { decodeIp, formatIp, IPPROTO_TCP, IPPROTO_UDP, unsupportedProtocol, type IpResult } from './net/ip.js';
import { findSipStart, isKeepAlive, sipStartAt } from './sip/detect.js';
import { parseSipMessage } from './sip/parse.js';
import type { SipParseResult } from './sip/types.js';
import { decodeUdp, type UdpResult } from './transport/udp.js';

/** An input: a path, or a named stream (stdin). */
export type InputSpec = string | { readonly name: string; readonly stream: AsyncIterable<unknown> };

export interface ReadOptions {
  /** Called for each SIP message in capture order, as soon as it is found. */
  readonly onMessage: (message: CapturedMessage) => void;
}

/** Ports where a datagram that is not SIP deserves a diagnostic (IANA: sip 5060, sips 5061). */
const SIP_PORTS: ReadonlySet<number> = new Set([5060, 5061]);

/** Decodes frames down to SIP. One instance per input; scratch objects are reused for every frame. */
export class FrameDecoder {
  private readonly link: LinkResult = { etherType: 0, offset: 0 };
  private readonly ip: IpResult = { version: 4, protocol: 0, srcOffset: 0, dstOffset: 0, payloadStart: 0, payloadEnd: 0, truncated: false };
  private readonly udp: UdpResult = { srcPort: 0, dstPort: 0, payloadStart: 0, payloadEnd: 0 };
  sipMessages = 0;
  firstTime: Timestamp | null = null;
  /** Latest frame time (a capture whose clock steps back does not move it back). */
  lastSec = -Infinity;
  lastNsec = 0;

  constructor(
    private readonly file: string,
    private readonly diagnostics: DiagnosticSink,
    private readonly onMessage: (message: CapturedMessage) => void,
  ) {}

  readonly onFrame = (frame: FrameView): void => {
    const diagnostics = this.diagnostics;
    if (frame.sec > this.lastSec || (frame.sec === this.lastSec && frame.nsec > this.lastNsec)) {
      if (this.firstTime === null) this.firstTime = { sec: frame.sec, nsec: frame.nsec };
      this.lastSec = frame.sec;
      this.lastNsec = frame.nsec;
    }
    if (!decodeLink(frame, this.link, diagnostics)) return;
    const ip = this.ip;
    if (!decodeIp(frame, this.link.etherType, this.link.offset, ip, diagnostics)) return;
    if (ip.protocol === IPPROTO_UDP) {
      if (decodeUdp(frame, ip, this.udp, diagnostics)) this.onDatagram(frame);
    } else if (ip.protocol === IPPROTO_TCP) {
      this.onTcpSegment(frame);
    } else {
      unsupportedProtocol(frame, ip, diagnostics);
    }
  };

  private onDatagram(frame: FrameView): void {
    const b = frame.data;
    const { srcPort, dstPort, payloadStart, payloadEnd } = this.udp;
    if (payloadStart >= payloadEnd) return;
    // Fast path: RTP and most other UDP fail on the first byte.
    if (sipStartAt(b, payloadStart, payloadEnd)) {
      this.emit(frame, payloadStart, payloadEnd, srcPort, dstPort, 'UDP');
      return;
    }
    if (!SIP_PORTS.has(srcPort) && !SIP_PORTS.has(dstPort)) return;
    const location = { frame: frame.number, offset: frame.fileOffset + payloadStart - frame.start };
    if (isKeepAlive(b, payloadStart, payloadEnd)) {
      this.diagnostics.count('sip.keepalive', 'udp', () => `keep-alive datagrams on SIP ports (first: frame ${frame.number})`, location);
      return;
    }
    const start = findSipStart(b, payloadStart, payloadEnd);
    if (start > payloadStart) {
      this.diagnostics.report('sip.junk-before-message', `frame ${frame.number}: ${start - payloadStart} bytes that are not SIP precede the start line`, location);
      this.emit(frame, start, payloadEnd, srcPort, dstPort, 'UDP');
      return;
    }
    this.diagnostics.count('sip.not-sip-on-sip-port', '', () => `datagrams on SIP ports that hold no SIP message (first: frame ${frame.number})`, location);
  }

  private onTcpSegment(frame: FrameView): void {
    const b = frame.data;
    const { payloadStart, payloadEnd } = this.ip;
    if (payloadEnd - payloadStart < 20) return;
    const dataStart = payloadStart + (b[payloadStart + 12]! >> 4) * 4;
    if (dataStart >= payloadEnd) return;
    const carriesSip = sipStartAt(b, dataStart, payloadEnd);
    this.diagnostics.count(
      'tcp.not-reassembled',
      carriesSip ? 'sip' : 'data',
      () =>
        carriesSip
          ? `TCP segments that start with a SIP message were skipped: SIP over TCP is not decoded yet (first: frame ${frame.number})`
          : `TCP segments with payload were skipped: TCP is not reassembled yet (first: frame ${frame.number})`,
      { frame: frame.number, offset: frame.fileOffset + dataStart - frame.start },
    );
  }

  private emit(frame: FrameView, start: number, end: number, srcPort: number, dstPort: number, transport: Transport): void {
    const b = frame.data;
    const ip = this.ip;
    // Copy: the frame buffer is reused for the next read.
    const bytes = Buffer.from(b.subarray(start, end));
    const messageOffset = frame.fileOffset + start - frame.start;
    let parsed: SipParseResult;
    try {
      parsed = parseSipMessage(bytes, { datagram: true });
    } catch (err) {
      // The parser is written never to throw; if it does, one message is lost, not the analysis.
      this.diagnostics.report('sip.parser-failure', `frame ${frame.number}: ${(err as Error).message}`, { frame: frame.number, offset: messageOffset });
      return;
    }
    for (const d of parsed.diagnostics) {
      this.diagnostics.report(d.code, `frame ${frame.number}: ${d.message}`, { frame: frame.number, offset: messageOffset + d.offset });
    }
    this.sipMessages++;
    this.onMessage({
      file: this.file,
      frame: frame.number,
      frames: [frame.number],
      line: null,
      time: { sec: frame.sec, nsec: frame.nsec },
      src: { ip: formatIp(b, ip.srcOffset, ip.version), port: srcPort },
      dst: { ip: formatIp(b, ip.dstOffset, ip.version), port: dstPort },
      transport,
      offset: messageOffset,
      message: parsed.message,
    });
  }
}

function formatOf(info: CaptureInfo | null): CaptureFormat {
  return info === null ? 'unknown' : info.format;
}

/**
 * Reads one input to the end, calling onMessage for every SIP message. Never throws for
 * bad input: every problem becomes a diagnostic in the returned summary.
 */
export async function readInput(input: InputSpec, options: ReadOptions): Promise<InputSummary> {
  const path = typeof input === 'string' ? input : input.name;
  const diagnostics = new DiagnosticSink(path);
  const unreadable = (): InputSummary => ({
    path,
    format: 'unknown',
    readable: false,
    bytes: 0,
    frames: 0,
    sipMessages: 0,
    firstTime: null,
    lastTime: null,
    linkTypes: [],
    diagnostics: diagnostics.list(),
  });

  let source: AsyncIterable<Uint8Array>;
  if (typeof input === 'string') {
    const problem = await checkFile(path);
    if (problem !== null) {
      diagnostics.report(problem.code, problem.message);
      return unreadable();
    }
    source = fileChunks(path);
  } else {
    source = streamChunks(input.stream);
  }

  let head: Uint8Array;
  try {
    ({ head, all: source } = await peek(source, 16));
    let kind = sniffFormat(head);
    if (kind === 'gzip') {
      // zlib may hold on to chunks, so a compressed file is read through a stream with fresh buffers.
      source = gunzip(typeof input === 'string' ? fileStream(path) : source);
      ({ head, all: source } = await peek(source, 16));
      kind = sniffFormat(head);
    }
    if (head.length === 0) {
      diagnostics.report('input.empty', `${path} holds no bytes; nothing to analyse`);
      return unreadable();
    }
    if (kind === 'text') {
      diagnostics.report('input.text-log-unsupported', `${path} is plain text, not a capture; reading SIP text logs is not supported yet — capture with tcpdump (-w file.pcap) instead`);
      return unreadable();
    }
    if (kind !== 'pcap' && kind !== 'pcapng') {
      const magic = Buffer.from(head.subarray(0, 4)).toString('hex');
      diagnostics.report('input.unknown-format', `${path} is not a pcap or pcapng capture (first bytes 0x${magic}); siplens reads pcap, pcapng and their gzip-compressed forms`, { offset: 0 });
      return unreadable();
    }
    return await readCapture(path, kind, source, diagnostics, options);
  } catch (err) {
    diagnostics.report('input.unreadable', `${path} cannot be read: ${(err as Error).message}`);
    return unreadable();
  }
}

async function readCapture(
  path: string,
  kind: 'pcap' | 'pcapng',
  source: AsyncIterable<Uint8Array>,
  diagnostics: DiagnosticSink,
  options: ReadOptions,
): Promise<InputSummary> {
  const decoder = new FrameDecoder(path, diagnostics, options.onMessage);
  const reader = createCaptureReader(kind, decoder.onFrame, diagnostics);
  try {
    for await (const chunk of source) {
      reader.push(chunk);
      if (reader.stopped) break;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const gzipError = typeof code === 'string' && code.startsWith('Z_');
    diagnostics.report(
      gzipError ? 'input.gzip-error' : 'input.unreadable',
      gzipError
        ? `${path}: the gzip data is corrupt or cut short after ${reader.bytesConsumed} decompressed bytes (${(err as Error).message}); what came before is analysed`
        : `${path}: reading failed after ${reader.bytesConsumed} bytes: ${(err as Error).message}`,
      { offset: reader.bytesConsumed },
    );
  }
  reader.end();
  const info = reader.info;
  return {
    path,
    format: formatOf(info),
    // A capture whose header could not be read yields nothing: that input failed as a whole.
    readable: reader.frames > 0 || !diagnostics.hasErrors(),
    bytes: reader.bytesConsumed,
    frames: reader.frames,
    sipMessages: decoder.sipMessages,
    firstTime: decoder.firstTime,
    lastTime: decoder.firstTime === null ? null : { sec: decoder.lastSec, nsec: decoder.lastNsec },
    linkTypes: info.interfaces.map((i) => i.linkType),
    diagnostics: diagnostics.list(),
  };
}
