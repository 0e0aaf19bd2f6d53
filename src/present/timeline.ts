/**
 * The annotated timeline: a render-ready view of the analysis. Every renderer (text, JSON,
 * and the later ones) is a pure function of this model, so they all say the same thing.
 */
import type { CallMedia } from '../parse/media/types.js';
import { addressOfRecord, partiesMessage } from '../analysis/select.js';
import type { AnalysisResult, AnalyzedCall, CallLeg } from '../analysis/types.js';
import type { CallType } from '../parse/dialog/types.js';
import type { SipMessage } from '../parse/sip/types.js';
import { sdpOfMessage } from '../parse/sip/sdp.js';
import { diffMs } from '../time.js';
import type { Endpoint, InputSummary, Timestamp, Transport } from '../types.js';
import { lookupResponseCode } from '../annotate/codes/index.js';
import { methodNote, REINVITE, REINVITE_NOTES, responseNoteInContext, TIMELINE_NOTES } from '../annotate/codes/methods.js';
import type { Lang } from '../annotate/i18n.js';
import type { CallFigures, Outcome } from '../annotate/outcome.js';
import { isPartial } from '../annotate/partial.js';
import { showFinding, type ShownFinding } from './findings.js';
import { messageRef } from './values.js';
import { COMMON } from './catalog.js';

export interface TimelineMessage {
  readonly index: number;
  readonly file: string;
  readonly frame: number | null;
  readonly line: number | null;
  readonly frames: readonly number[];
  readonly time: Timestamp;
  /** Milliseconds since the call's first message. */
  readonly offsetMs: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly transport: Transport;
  readonly method: string | null;
  readonly requestUri: string | null;
  readonly status: number | null;
  readonly reason: string | null;
  readonly cseq: { readonly seq: number; readonly method: string } | null;
  readonly retransmission: boolean;
  /**
   * For a second capture of one packet (src/parse/dialog/duplicates.ts), the index in the call's
   * messages of the copy it repeats; null otherwise. No finding or figure counts such a row.
   */
  readonly duplicateOf: number | null;
  /** Where the first copy is, for a retransmission or a duplicate ("#12" or "L34"). */
  readonly originalFrame: number | null;
  readonly originalLine: number | null;
  /** What the message means, in one line. */
  readonly note: string;
  /** Indices into the call's findings shown beside this message. */
  readonly findings: readonly number[];
  /** True when the message carries an SDP body siplens can read (an offer or an answer). */
  readonly sdp: boolean;
  /** The message as it was on the wire (UTF-8; invalid bytes as U+FFFD), for renderers that show it whole (HTML). Decoded when read. */
  readonly raw: string;
}

export interface TimelineCall {
  readonly number: number;
  readonly callId: string;
  readonly type: CallType;
  /** Its start is not in the capture: every message in it was sent inside a dialog begun before (src/annotate/partial.ts). */
  readonly partial: boolean;
  /** "user@host" of the From and To of the call's initial INVITE, or of its first request (analysis/select.ts partiesMessage). */
  readonly from: string | null;
  readonly to: string | null;
  readonly outcome: Outcome;
  readonly status: number | null;
  /** e.g. "answered (200 OK)". */
  readonly outcomeText: string;
  readonly figures: CallFigures;
  readonly start: Timestamp;
  readonly durationMs: number;
  readonly messages: readonly TimelineMessage[];
  readonly findings: readonly ShownFinding[];
  /** The other legs of the same end-to-end call (B2BUA), or null. */
  readonly leg: CallLeg | null;
  /** What its SDP announced and its media streams, or null when media was not analysed. */
  readonly media: CallMedia | null;
}

export interface Timeline {
  readonly inputs: readonly InputSummary[];
  readonly calls: readonly TimelineCall[];
  readonly summary: AnalysisResult['summary'];
  /** Language of the notes and findings; renderers use it for their own words too. */
  readonly lang: Lang;
}

function statusText(status: number): string {
  return `${status} ${lookupResponseCode(status).reason}`;
}

function responseNote(status: number, lang: Lang): string {
  if (status < 100 || status > 699) return TIMELINE_NOTES[lang].invalidStatus;
  return lookupResponseCode(status, lang).summary;
}

const RAW_TEXT = new TextDecoder('utf-8', { fatal: false });

/**
 * A row of the timeline. Its raw text is decoded, and whether it carries SDP found, when read
 * (only the HTML report shows either; finding the SDP takes a look-up and a view of the body per
 * message): getters on the class, not on each row's object literal, which would make every row
 * a slow-mode object with a closure of its own.
 */
class TimelineRow implements TimelineMessage {
  readonly index: number;
  readonly file: string;
  readonly frame: number | null;
  readonly line: number | null;
  readonly frames: readonly number[];
  readonly time: Timestamp;
  readonly offsetMs: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly transport: Transport;
  readonly method: string | null;
  readonly requestUri: string | null;
  readonly status: number | null;
  readonly reason: string | null;
  readonly cseq: TimelineMessage['cseq'];
  readonly retransmission: boolean;
  readonly duplicateOf: number | null;
  readonly originalFrame: number | null;
  readonly originalLine: number | null;
  readonly note: string;
  readonly findings: readonly number[];
  readonly #message: SipMessage;

  constructor(f: Omit<TimelineMessage, 'raw' | 'sdp'>, message: SipMessage) {
    this.index = f.index;
    this.file = f.file;
    this.frame = f.frame;
    this.line = f.line;
    this.frames = f.frames;
    this.time = f.time;
    this.offsetMs = f.offsetMs;
    this.src = f.src;
    this.dst = f.dst;
    this.transport = f.transport;
    this.method = f.method;
    this.requestUri = f.requestUri;
    this.status = f.status;
    this.reason = f.reason;
    this.cseq = f.cseq;
    this.retransmission = f.retransmission;
    this.duplicateOf = f.duplicateOf;
    this.originalFrame = f.originalFrame;
    this.originalLine = f.originalLine;
    this.note = f.note;
    this.findings = f.findings;
    this.#message = message;
  }

  get raw(): string {
    return RAW_TEXT.decode(this.#message.raw);
  }

  get sdp(): boolean {
    return sdpOfMessage(this.#message.contentType, this.#message.body) !== null;
  }
}

/** One analysed call as the renderers see it. */
export function timelineCall(analyzed: AnalyzedCall, lang: Lang): TimelineCall {
  const { call, outcome, findings, figures } = analyzed;
  // An answered call cut by the end of a cut capture keeps its 2xx status, but "no final response" would be wrong.
  const cutWhileUp = outcome.outcome === 'unresolved' && outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const outcomeWords = cutWhileUp ? COMMON[lang].unresolvedAnswered : COMMON[lang].outcomeText[outcome.outcome];
  const parties = partiesMessage(call);
  // Rows in capture order: each second capture right after the copy it repeats (or after its
  // earlier duplicates). Findings point at call.messages; they are moved to the rows.
  const rowOf: number[] = [];
  const order: ({ message: number } | { duplicate: number })[] = [];
  const duplicatesAfter = new Map<number, number[]>();
  call.duplicates.forEach((d, i) => duplicatesAfter.set(d.of, [...(duplicatesAfter.get(d.of) ?? []), i]));
  call.messages.forEach((_, index) => {
    rowOf[index] = order.length;
    order.push({ message: index });
    for (const d of duplicatesAfter.get(index) ?? []) order.push({ duplicate: d });
  });
  const shownFindings = findings.map((f) => showFinding(call.duplicates.length === 0 ? f : { ...f, anchor: rowOf[f.anchor] ?? f.anchor, messages: f.messages.map((i) => rowOf[i] ?? i) }, lang));
  const findingsAt = new Map<number, number[]>();
  shownFindings.forEach((f, i) => findingsAt.set(f.anchor, [...(findingsAt.get(f.anchor) ?? []), i]));
  // The CSeq numbers of the call's INVITEs sent inside a dialog (a To tag): their responses are
  // read as answers to a change of the call, not to its start.
  const reinvites = new Set<number>();
  for (const { captured } of call.messages) {
    const msg = captured.message;
    if (msg.kind === 'request' && msg.method === 'INVITE' && msg.toTag !== null && msg.cseq !== null) reinvites.add(msg.cseq.seq);
  }
  const answered = (msg: SipMessage): string | undefined => (msg.cseq?.method === 'INVITE' && reinvites.has(msg.cseq.seq) ? REINVITE : msg.cseq?.method);
  const messages = order.map((row, index): TimelineMessage => {
    const duplicate = 'duplicate' in row ? call.duplicates[row.duplicate]! : null;
    const m = duplicate === null ? call.messages[(row as { message: number }).message]! : null;
    const c = duplicate?.captured ?? m!.captured;
    const msg = c.message;
    const first = duplicate !== null ? call.messages[duplicate.of]! : m!.original === null ? null : call.messages[m!.original]!;
    const note =
      duplicate !== null
        ? TIMELINE_NOTES[lang].duplicate(messageRef(first!.captured))
        : m!.retransmission
          ? TIMELINE_NOTES[lang].retransmission(messageRef(first!.captured))
          : msg.kind === 'request'
            ? msg.method === 'INVITE' && msg.toTag !== null
              ? REINVITE_NOTES[lang]
              : methodNote(msg.method ?? '', lang)
            : msg.status === null
              ? TIMELINE_NOTES[lang].unreadableStatus
              : (responseNoteInContext(msg.status, answered(msg), lang) ?? responseNote(msg.status, lang));
    return new TimelineRow(
      {
        index,
        file: c.file,
        frame: c.frame,
        line: c.line,
        frames: c.frames,
        time: c.time,
        offsetMs: diffMs(call.start, c.time),
        src: c.src,
        dst: c.dst,
        transport: c.transport,
        method: msg.method,
        requestUri: msg.requestUri,
        status: msg.status,
        reason: msg.reason,
        cseq: msg.cseq,
        retransmission: m?.retransmission ?? false,
        duplicateOf: duplicate === null ? null : rowOf[duplicate.of]!,
        originalFrame: first === null ? null : first.captured.frame,
        originalLine: first === null ? null : first.captured.line,
        note,
        findings: findingsAt.get(index) ?? [],
      },
      msg,
    );
  });
  const status = outcome.status;
  return {
    number: analyzed.number,
    callId: call.callId,
    type: call.type,
    partial: isPartial(call),
    from: addressOfRecord(parties?.from),
    to: addressOfRecord(parties?.to),
    outcome: outcome.outcome,
    status,
    outcomeText: status === null || status < 100 || status > 699 ? outcomeWords : `${outcomeWords} (${statusText(status)})`,
    figures,
    start: call.start,
    durationMs: diffMs(call.start, call.end),
    messages,
    findings: shownFindings,
    leg: analyzed.leg,
    media: analyzed.media,
  };
}

/** The messages of a call as its figures count them: second captures of one packet left out. */
export function countedMessages(call: TimelineCall): number {
  let n = 0;
  for (const m of call.messages) if (m.duplicateOf === null) n++;
  return n;
}

/** `lang` sets the language of the notes beside each message (English by default). */
export function buildTimeline(result: AnalysisResult, lang: Lang = 'en'): Timeline {
  return { inputs: result.inputs, calls: result.calls.map((c) => timelineCall(c, lang)), summary: result.summary, lang };
}
