/**
 * The one emit step: bytes of a SIP message (from a UDP datagram, a TCP stream, a WebSocket or
 * SCTP message, a HEP packet or a text log) are parsed, the parser's findings and an unreadable
 * SDP body become diagnostics at the message's place, and the message goes out as a
 * CapturedMessage. Captures parse and deliver at once; text logs parse when a block is read and
 * deliver once its time is known (parse, later deliver).
 */
import type { CapturedMessage, Endpoint, Location, Timestamp, Transport } from '../../types.js';
import type { MessageAt } from '../../diagnostics.js';
import { errorText } from '../capture/input.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import type { Span } from '../transport/stream.js';
import { parseSipMessage, type SipParseOptions } from './parse.js';
import { sdpProblem } from './sdp.js';
import type { SipMessage, SipParseResult } from './types.js';

/** Where a message lies in its input, as diagnostics about it say: frame 12 of a capture, line 40 of a log. */
export interface MessagePlace {
  /** How a diagnostic about byte `offset` of the message names its place. */
  at(offset: number): MessageAt;
  /** Its location. */
  location(offset: number): Omit<Location, 'file'>;
  /** Diagnostic codes this kind of input never reports (a log loses CRs: a bare LF is no finding there). */
  ignores(code: string): boolean;
}

/** A message in a capture: its frame, at a byte offset of the input. Reused for every message. */
class FramePlace implements MessagePlace {
  frame = 0;
  offset = 0;
  at(): MessageAt {
    return { frame: this.frame };
  }
  location(offset: number): Omit<Location, 'file'> {
    return { frame: this.frame, offset: this.offset + offset };
  }
  ignores(): boolean {
    return false;
  }
}

const DATAGRAM: SipParseOptions = { datagram: true };
const STREAM: SipParseOptions = { datagram: false };

export class SipEmitter {
  /** Messages handed out. */
  delivered = 0;
  private readonly framePlace = new FramePlace();

  constructor(
    private readonly file: string,
    private readonly diagnostics: DiagnosticSink,
    private readonly onMessage: (message: CapturedMessage) => void,
  ) {}

  /**
   * Parses bytes the caller owns (never a view into a reused buffer) and reports what the parser
   * found at `place`. Null when the parser failed (reported).
   */
  parse(bytes: Uint8Array, datagram: boolean, place: MessagePlace): SipParseResult | null {
    const diagnostics = this.diagnostics;
    let parsed: SipParseResult;
    try {
      parsed = parseSipMessage(bytes, datagram ? DATAGRAM : STREAM);
    } catch (err) {
      // The parser is written never to throw; if it does, one message is lost, not the analysis.
      diagnostics.report('sip.parser-failure', { at: place.at(0), error: errorText(err) }, place.location(0));
      return null;
    }
    for (const d of parsed.diagnostics) {
      // Some senders break the same rule in every message (bare LF): the values are built only while they are kept.
      if (!place.ignores(d.code) && diagnostics.wants(d.code)) diagnostics.report(d.code, { ...d.values, at: place.at(d.offset) }, place.location(d.offset));
    }
    const message = parsed.message;
    // Most messages have no Content-Type, and then no SDP to find fault with: their body is not asked for.
    const sdp = message.contentType === null ? null : sdpProblem(message.contentType, message.body);
    if (sdp !== null) {
      const at = message.bodyOffset;
      diagnostics.report('sip.sdp-unparseable', { at: place.at(at), problem: sdp }, place.location(at));
    }
    return parsed;
  }

  /** Hands a parsed message out. */
  deliver(message: SipMessage, frame: number | null, frames: readonly number[], line: number | null, time: Timestamp, src: Endpoint, dst: Endpoint, transport: Transport, offset: number, ipId = -1, cutByCapture = 0): void {
    this.delivered++;
    this.onMessage({ file: this.file, frame, frames, line, time, src, dst, transport, offset, message, ipId, cutByCapture });
  }

  /**
   * A message found in a capture, in bytes the caller owns: parsed and handed out. Returns the
   * bytes the message took (stream mode), or 0 when it could not be parsed. For a message that
   * came in one datagram: `ipId`, the IP packet's identification (CapturedMessage.ipId), and
   * `cutByCapture`, the bytes of it the snap length left out (reported as sip.cut-by-capture).
   */
  emit(bytes: Uint8Array, datagram: boolean, at: Span, src: Endpoint, dst: Endpoint, transport: Transport, ipId = -1, cutByCapture = 0): number {
    const place = this.framePlace;
    place.frame = at.frame;
    place.offset = at.offset;
    const parsed = this.parse(bytes, datagram, place);
    if (parsed === null) return 0;
    if (cutByCapture > 0) this.diagnostics.count('sip.cut-by-capture', '', { frame: at.frame, captured: bytes.length, missing: cutByCapture }, place.location(0));
    this.deliver(parsed.message, at.frame, at.frames, null, { sec: at.sec, nsec: at.nsec }, src, dst, transport, at.offset, ipId, cutByCapture);
    return parsed.consumed;
  }
}
