/**
 * The annotated timeline: a render-ready view of the analysis. Every renderer (text, JSON,
 * and the later ones) is a pure function of this model, so they all say the same thing.
 */
import type { CallMedia } from '../parse/media/types.js';
import { addressOfRecord, partiesMessage } from '../analysis/select.js';
import type { AnalysisResult, AnalyzedCall, CallLeg } from '../analysis/types.js';
import type { CallType } from '../parse/dialog/types.js';
import type { SipMessage } from '../parse/sip/types.js';
import { sdpOfMessage } from '../parse/sip/parse.js';
import { diffMs } from '../time.js';
import type { CapturedMessage, Endpoint, InputSummary, Timestamp, Transport } from '../types.js';
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

/**
 * "answered (200 OK)": the outcome's words with the status, made once per words and status, not
 * per call (the words are a fixed set per language, COMMON; statuses 100 to 699).
 */
function outcomeText(words: string, status: number | null): string {
  if (status === null || status < 100 || status > 699) return words;
  if (!Number.isInteger(status)) return `${words} (${statusText(status)})`;
  let byStatus = outcomeTexts.get(words);
  if (byStatus === undefined) outcomeTexts.set(words, (byStatus = []));
  return (byStatus[status] ??= `${words} (${statusText(status)})`);
}

const outcomeTexts = new Map<string, string[]>();

function responseNote(status: number, lang: Lang): string {
  if (status < 100 || status > 699) return TIMELINE_NOTES[lang].invalidStatus;
  return lookupResponseCode(status, lang).summary;
}

/**
 * The note of a response, the one for the method it answers if the tables have one
 * (`responseNoteInContext`), else its code's: found once per language, method and code, not
 * per response (the look-up makes a text key of the two). Methods come from the trace: at most
 * Noted.METHODS per language are kept, the table emptied when full.
 */
function responseNoteOf(status: number, method: string | undefined, lang: Lang): string {
  if (!Number.isInteger(status) || status < 0 || status >= Noted.STATUSES) return responseNoteInContext(status, method, lang) ?? responseNote(status, lang);
  const byMethod = (notesByMethod[lang] ??= new Map());
  // No method (no CSeq) and an empty one both have no note of their own.
  const methodKey = method ?? '';
  let notes = byMethod.get(methodKey);
  if (notes === undefined) {
    if (byMethod.size >= Noted.METHODS) byMethod.clear();
    byMethod.set(methodKey, (notes = []));
  }
  return (notes[status] ??= responseNoteInContext(status, method, lang) ?? responseNote(status, lang));
}

/** Read per response; a const enum (docs/decisions.md "Offsets read per packet as const enums"). */
const enum Noted {
  METHODS = 64,
  /** Codes 0 to 999 (a status line's three digits). */
  STATUSES = 1000,
}
const notesByMethod: Partial<Record<Lang, Map<string, string[]>>> = {};

const RAW_TEXT = new TextDecoder('utf-8', { fatal: false });

/** The findings beside a message that has none (nearly every one): one array for all of them. */
const NO_FINDINGS: readonly number[] = Object.freeze([]);

/**
 * A row of the timeline. Its raw text is decoded, and whether it carries SDP found, when read
 * (only the HTML report shows either; finding the SDP takes a look-up and a view of the body per
 * message): getters on the class, not on each row's object literal, which would make every row
 * a slow-mode object with a closure of its own.
 */
class TimelineRow implements TimelineMessage {
  readonly index: number;
  readonly offsetMs: number;
  readonly retransmission: boolean;
  readonly duplicateOf: number | null;
  readonly originalFrame: number | null;
  readonly originalLine: number | null;
  readonly note: string;
  readonly findings: readonly number[];
  readonly #captured: CapturedMessage;

  /** `first`: the copy a retransmission or a duplicate repeats, null for any other message. */
  constructor(index: number, c: CapturedMessage, start: Timestamp, retransmission: boolean, duplicateOf: number | null, first: CapturedMessage | null, note: string, findings: readonly number[]) {
    this.index = index;
    this.offsetMs = diffMs(start, c.time);
    this.retransmission = retransmission;
    this.duplicateOf = duplicateOf;
    this.originalFrame = first === null ? null : first.frame;
    this.originalLine = first === null ? null : first.line;
    this.note = note;
    this.findings = findings;
    this.#captured = c;
  }

  // What the row shows of the captured message as it is, read from it when asked (once, by the
  // renderer, while the call's messages are still in the caches), not copied into each row.
  get file(): string {
    return this.#captured.file;
  }

  get frame(): number | null {
    return this.#captured.frame;
  }

  get line(): number | null {
    return this.#captured.line;
  }

  get frames(): readonly number[] {
    return this.#captured.frames;
  }

  get time(): Timestamp {
    return this.#captured.time;
  }

  get src(): Endpoint {
    return this.#captured.src;
  }

  get dst(): Endpoint {
    return this.#captured.dst;
  }

  get transport(): Transport {
    return this.#captured.transport;
  }

  get method(): string | null {
    return this.#captured.message.method;
  }

  get requestUri(): string | null {
    return this.#captured.message.requestUri;
  }

  get status(): number | null {
    return this.#captured.message.status;
  }

  get reason(): string | null {
    return this.#captured.message.reason;
  }

  get cseq(): TimelineMessage['cseq'] {
    return this.#captured.message.cseq;
  }

  get raw(): string {
    return RAW_TEXT.decode(this.#captured.message.raw);
  }

  get sdp(): boolean {
    return sdpOfMessage(this.#captured.message) !== null;
  }
}

/**
 * The row of each of the call's messages when some packet was captured twice: rows are in
 * capture order, each second capture right after the copy it repeats (or after its earlier
 * duplicates). Null when none was (nearly every call): then a message's row is its index.
 */
function rowsOf(call: AnalyzedCall['call']): { readonly rowOf: readonly number[]; readonly duplicatesAfter: ReadonlyMap<number, readonly number[]> } | null {
  if (call.duplicates.length === 0) return null;
  const duplicatesAfter = new Map<number, number[]>();
  call.duplicates.forEach((d, i) => duplicatesAfter.set(d.of, [...(duplicatesAfter.get(d.of) ?? []), i]));
  const rowOf: number[] = [];
  let row = 0;
  for (let index = 0; index < call.messages.length; index++) {
    rowOf[index] = row;
    row += 1 + (duplicatesAfter.get(index)?.length ?? 0);
  }
  return { rowOf, duplicatesAfter };
}

/** One analysed call as the renderers see it. */
export function timelineCall(analyzed: AnalyzedCall, lang: Lang): TimelineCall {
  const { call, outcome, findings, figures } = analyzed;
  // An answered call cut by the end of a cut capture keeps its 2xx status, but "no final response" would be wrong.
  const cutWhileUp = outcome.outcome === 'unresolved' && outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const outcomeWords = cutWhileUp ? COMMON[lang].unresolvedAnswered : COMMON[lang].outcomeText[outcome.outcome];
  const parties = partiesMessage(call);
  // Findings point at call.messages; they are moved to the rows.
  const rows = rowsOf(call);
  const shownFindings = findings.map((f) => showFinding(rows === null ? f : { ...f, anchor: rows.rowOf[f.anchor] ?? f.anchor, messages: f.messages.map((i) => rows.rowOf[i] ?? i) }, lang));
  // The findings beside each row, by the row's index (no table for a call without findings).
  const findingsAt = shownFindings.length === 0 ? null : new Map<number, number[]>();
  for (let i = 0; i < shownFindings.length; i++) {
    const anchor = shownFindings[i]!.anchor;
    const beside = findingsAt!.get(anchor);
    if (beside === undefined) findingsAt!.set(anchor, [i]);
    else beside.push(i);
  }
  // The CSeq numbers of the call's INVITEs sent inside a dialog (a To tag): their responses are
  // read as answers to a change of the call, not to its start.
  let reinvites: Set<number> | null = null;
  // By index: the for-of iterator was not optimized away (an object per call).
  for (let index = 0; index < call.messages.length; index++) {
    const msg = call.messages[index]!.captured.message;
    if (msg.kind === 'request' && msg.method === 'INVITE' && msg.toTag !== null && msg.cseq !== null) (reinvites ??= new Set()).add(msg.cseq.seq);
  }
  const notes = TIMELINE_NOTES[lang];
  const messages: TimelineMessage[] = [];
  for (let index = 0; index < call.messages.length; index++) {
    const m = call.messages[index]!;
    const c = m.captured;
    const msg = c.message;
    const first = m.original === null ? null : call.messages[m.original]!.captured;
    const note = m.retransmission
      ? notes.retransmission(messageRef(first!))
      : msg.kind === 'request'
        ? msg.method === 'INVITE' && msg.toTag !== null
          ? REINVITE_NOTES[lang]
          : methodNote(msg.method ?? '', lang)
        : msg.status === null
          ? notes.unreadableStatus
          : responseNoteOf(msg.status, msg.cseq?.method === 'INVITE' && reinvites?.has(msg.cseq.seq) === true ? REINVITE : msg.cseq?.method, lang);
    const row = messages.length;
    messages.push(new TimelineRow(row, c, call.start, m.retransmission, null, first, note, findingsAt?.get(row) ?? NO_FINDINGS));
    // Most calls have no second captures (rows null): no empty list made per message to loop over.
    const duplicates = rows === null ? undefined : rows.duplicatesAfter.get(index);
    if (duplicates !== undefined) {
      for (const d of duplicates) {
        const copyRow = messages.length;
        messages.push(new TimelineRow(copyRow, call.duplicates[d]!.captured, call.start, false, row, c, notes.duplicate(messageRef(c)), findingsAt?.get(copyRow) ?? NO_FINDINGS));
      }
    }
  }
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
    outcomeText: outcomeText(outcomeWords, status),
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
