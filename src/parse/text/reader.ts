/**
 * Reads a plain-text SIP log: lines (lines.ts) -> messages (extract.ts, formats.ts) -> bytes
 * re-assembled with CRLF -> parseSipMessage -> CapturedMessage with the log's time, direction,
 * addresses and transport. Like the capture reader it never throws for bad input: problems are
 * diagnostics with the line number.
 *
 * Endpoints the log does not name are placeholders (docs/decisions.md): the logging host is
 * `local:0`, a peer the log does not name is `remote:0`, and both ends of a message whose
 * direction the log does not tell (pasted SIP) are `unknown:0`. They are the same for every
 * message of a log, so retransmissions still match hop by hop.
 */
import { stat } from 'node:fs/promises';
import type { CapturedMessage, Endpoint, InputSummary, Location, Timestamp, Transport } from '../../types.js';
import type { MessageAt, TraceText } from '../../diagnostics.js';
import { errorText, reportReadError } from '../capture/input.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { SipEmitter, type MessagePlace } from '../sip/emit.js';
import { messageBytesOfText } from '../sip/message-bytes.js';
import type { SipParseResult } from '../sip/types.js';
import { Extractor, type Block } from './extract.js';
import { LOG_FORMATS, RAW_SIP_ID, transportOf } from './formats.js';
import { LineSplitter, normalize } from './lines.js';
import { localDate, parseDate, TimeResolver, toTimestamp, type DateSource, type ResolvedTime } from './time.js';

export const LOCAL_ENDPOINT: Endpoint = { ip: 'local', port: 0 };
export const REMOTE_ENDPOINT: Endpoint = { ip: 'remote', port: 0 };
export const UNKNOWN_ENDPOINT: Endpoint = { ip: 'unknown', port: 0 };

export interface TextReadOptions {
  readonly onMessage: (message: CapturedMessage) => void;
  /** `YYYY-MM-DD`: the date of the first message, for logs that print times without a date. */
  readonly date?: string;
}

/** Every format tried, for the text.no-sip diagnostic. */
export function formatsTried(): string[] {
  return [...LOG_FORMATS.map((f) => f.id), RAW_SIP_ID];
}

/** Messages held for the time of a later one (a log whose first messages print no time), at most. */
const MAX_UNTIMED_WAITING = 1000;

/**
 * The anchor for a log dated by its file: reads the log's times once (lines and blocks only, no
 * SIP parsing, nothing kept) and moves the file date back so that the last time falls on it.
 */
async function settledFileAnchor(source: AsyncIterable<Uint8Array>, fileDate: { year: number; month: number; day: number }) {
  const resolver = new TimeResolver(fileDate, 'mtime');
  const extractor = new Extractor({
    onBlock: (block) => {
      if (block.meta.time !== null) resolver.resolve(block.meta.time);
    },
    onDatedLine: (t) => resolver.resolve(t),
  });
  const splitter = new LineSplitter((raw) => normalize(raw, (l) => extractor.push(l)));
  for await (const chunk of source) splitter.push(chunk);
  splitter.end();
  extractor.end();
  return resolver.settledAnchor() ?? fileDate;
}

interface Pending {
  readonly block: Block;
  readonly parsed: SipParseResult;
  time: ResolvedTime | null;
}

/** The message bytes: lines joined with CRLF, the body's line ends chosen to fit Content-Length. */
export function assemble(block: Block): string {
  let text = block.headers.join('\r\n') + '\r\n';
  if (!block.headerEnded) return text;
  text += '\r\n';
  const body = block.body.slice();
  const cl = block.contentLength;
  if (cl === null) {
    while (body.length > 0 && body[body.length - 1]!.trim().length === 0) body.pop();
    return text + body.map((l) => `${l}\r\n`).join('');
  }
  let crlfLength = body.reduce((n, l) => n + l.length + 2, 0);
  while (body.length > 0 && body[body.length - 1]!.trim().length === 0 && crlfLength > cl) crlfLength -= body.pop()!.length + 2;
  const crlf = body.map((l) => `${l}\r\n`).join('');
  if (crlf.length === cl) return text + crlf;
  if (crlf.length === cl + 2) return text + crlf.slice(0, -2); // the body had no final line end
  // The log dropped the CRs of the body (or the body had bare LFs): LF fits Content-Length.
  const lf = body.map((l) => `${l}\n`).join('');
  if (lf.length === cl) return text + lf;
  if (lf.length === cl + 1) return text + lf.slice(0, -1);
  return text + crlf;
}

function viaTransport(parsed: SipParseResult): Transport | null {
  const t = parsed.message.via[0]?.transport;
  return t === undefined ? null : transportOf(t);
}

function endpoints(block: Block): { src: Endpoint; dst: Endpoint } {
  const m = block.meta;
  if (m.src !== null && m.dst !== null) return { src: m.src, dst: m.dst };
  if (m.direction === 'sent') return { src: m.src ?? LOCAL_ENDPOINT, dst: m.remote ?? m.dst ?? REMOTE_ENDPOINT };
  if (m.direction === 'received') return { src: m.remote ?? m.src ?? REMOTE_ENDPOINT, dst: m.dst ?? LOCAL_ENDPOINT };
  return { src: m.src ?? UNKNOWN_ENDPOINT, dst: m.dst ?? UNKNOWN_ENDPOINT };
}

/** Line of the log a byte offset inside the re-assembled message falls on. */
function lineOf(block: Block, text: string, offset: number): number {
  let line = block.line;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** A message in a log: its line N (the line a byte of the re-assembled message falls on), at the block's byte offset. */
class LinePlace implements MessagePlace {
  constructor(
    private readonly block: Block,
    private readonly text: string,
  ) {}
  at(offset: number): MessageAt {
    return { line: lineOf(this.block, this.text, offset) };
  }
  location(offset: number): Omit<Location, 'file'> {
    return { line: lineOf(this.block, this.text, offset), offset: this.block.offset };
  }
  /** Logs lose CRs: a bare LF is never a finding about the message. */
  ignores(code: string): boolean {
    return code === 'sip.bare-lf';
  }
}

/** Reads a text log to the end: its messages go through the same emit step as a capture's (sip/emit.ts). */
export async function readTextLog(
  path: string,
  /** Opens the input again from its start (decompressed), for a first reading of its times; null for a stream, which cannot be read twice. */
  reopen: (() => AsyncIterable<Uint8Array>) | null,
  source: AsyncIterable<Uint8Array>,
  diagnostics: DiagnosticSink,
  options: TextReadOptions,
): Promise<InputSummary> {
  let anchor = options.date === undefined ? null : parseDate(options.date);
  let dateSource: DateSource = anchor === null ? 'none' : 'option';
  /** Why the file gives no date, when it cannot be stat'ed (said in text.no-date if a date turns out to be needed). */
  let noFileDate: TraceText | null = null;
  /** The file date, as text.date-from-file says it (the anchor itself may move back, below). */
  let fileDate: { year: number; month: number; day: number } | null = null;
  if (anchor === null && reopen !== null) {
    try {
      fileDate = localDate((await stat(path)).mtimeMs);
      anchor = await settledFileAnchor(reopen(), fileDate);
      dateSource = 'mtime';
    } catch (err) {
      // diagnostic: text.no-date, at the end, only if the log prints times without a date
      noFileDate = errorText(err);
    }
  }
  const resolver = new TimeResolver(anchor, dateSource);
  const formats: string[] = [];
  const sip = new SipEmitter(path, diagnostics, options.onMessage);
  let messages = 0;
  let untimed = 0;
  let first: Timestamp | null = null;
  let last: Timestamp | null = null;
  const queue: Pending[] = [];
  let latest: ResolvedTime | null = null;

  const emit = (p: Pending): void => {
    const { block, parsed } = p;
    const time: Timestamp = p.time === null ? { sec: 0, nsec: 0 } : toTimestamp(p.time);
    if (first === null || time.sec < first.sec || (time.sec === first.sec && time.nsec < first.nsec)) first = time;
    if (last === null || time.sec > last.sec || (time.sec === last.sec && time.nsec > last.nsec)) last = time;
    const { src, dst } = endpoints(block);
    sip.deliver(parsed.message, null, [], block.line, time, src, dst, block.meta.transport ?? viaTransport(parsed) ?? 'UDP', block.offset);
  };

  /**
   * Messages before the first timed one wait for its time; after MAX_UNTIMED_WAITING of them the
   * log is taken to print no times at all and they go on untimed.
   */
  const flush = (final: boolean): void => {
    if (!final && latest === null && queue.length < MAX_UNTIMED_WAITING) return;
    for (const p of queue) {
      if (p.time === null) p.time = latest;
      emit(p);
    }
    queue.length = 0;
  };

  const onBlock = (block: Block): void => {
    const id = block.format?.id ?? RAW_SIP_ID;
    if (!formats.includes(id)) formats.push(id);
    const text = assemble(block);
    const bytes = messageBytesOfText(text);
    const parsed = sip.parse(bytes, true, new LinePlace(block, text));
    if (parsed === null) return;
    if (block.tooLarge) {
      diagnostics.report('text.message-too-large', { line: block.line, kib: Math.round(bytes.length / 1024) }, { line: block.line, offset: block.offset });
    }
    const printed = block.meta.bytes;
    if (printed !== null && printed !== bytes.length) {
      diagnostics.report(
        'text.byte-count-mismatch',
        { line: block.line, printed, logged: bytes.length, logEnds: block.atEnd },
        { line: block.line, offset: block.offset },
      );
    }
    messages++;
    let time: ResolvedTime | null = null;
    if (block.meta.time !== null) {
      time = resolver.resolve(block.meta.time);
      latest = time;
      // Messages before the first timed one take its time.
      for (const p of queue) if (p.time === null) p.time = time;
    } else {
      untimed++;
      time = latest;
    }
    queue.push({ block, parsed, time });
    flush(false);
  };

  const extractor = new Extractor({ onBlock, onDatedLine: (t) => resolver.resolve(t) });
  const splitter = new LineSplitter((raw) => {
    if (raw.cut) diagnostics.report('text.line-too-long', { line: raw.line }, { line: raw.line, offset: raw.offset });
    normalize(raw, (l) => extractor.push(l));
  });

  try {
    for await (const chunk of source) splitter.push(chunk);
  } catch (err) {
    reportReadError(diagnostics, path, err, splitter.bytes);
  }
  splitter.end();
  extractor.end();
  flush(true);

  if (untimed > 0) {
    diagnostics.count('text.no-time', '', { count: latest === null ? null : untimed });
  }
  if (resolver.undated) {
    diagnostics.report('text.no-date', { input: { path }, error: noFileDate });
  } else if (dateSource === 'mtime' && resolver.usedAnchor) {
    const a = fileDate!;
    const date = `${a.year}-${String(a.month).padStart(2, '0')}-${String(a.day).padStart(2, '0')}`;
    diagnostics.report('text.date-from-file', { input: { path }, date });
  }
  if (messages === 0 && !diagnostics.hasErrors()) {
    diagnostics.report('text.no-sip', { input: { path }, formats: formatsTried() });
  }
  return {
    path,
    format: 'text',
    readable: messages > 0,
    bytes: splitter.bytes,
    frames: 0,
    sipMessages: messages,
    firstTime: first,
    lastTime: last,
    linkTypes: [],
    diagnostics: diagnostics.list(),
    lines: splitter.lines,
    logFormats: formats,
  };
}
