/**
 * The data the analysis session produces: calls with their outcome, figures, findings and
 * legs, and the summary. Plain readonly data; presentation (src/present/timeline.ts and the
 * renderers) reads it, the library returns it.
 */
import type { CorrelatorOptions } from '../parse/dialog/correlate.js';
import type { Call } from '../parse/dialog/types.js';
import type { MediaJoinOptions } from '../parse/media/join.js';
import type { CallMedia, CallStream } from '../parse/media/types.js';
import type { MediaSoFar } from '../parse/media/join.js';
import type { CallProgress } from './progress.js';
import type { RulesConfig } from '../annotate/engine.js';
import type { LegLinkReason, LegOptions } from '../annotate/legs.js';
import type { CallFigures, CallOutcome, Outcome } from '../annotate/outcome.js';
import type { Finding, ReportData } from '../annotate/rules/types.js';
import type { CapturedMessage, InputSummary, Severity } from '../types.js';

export interface AnalyzeOptions {
  /** Called for every SIP message as soon as it is read, in capture order per input. */
  readonly onMessage?: (message: CapturedMessage) => void;
  /**
   * Whether your callbacks may keep some of the messages or calls they are handed (onMessage,
   * onCalls) after they return: true by default. siplens copies the bytes of consecutive messages
   * into one shared buffer (src/parse/sip/message-bytes.ts), so a message kept alone would keep its
   * neighbours' bytes alive too; by default each message handed to you gets a buffer of its own,
   * so what you keep costs its own bytes. A caller that keeps nothing it is handed (it renders
   * each call and lets it go, as the command line does) passes false and saves that copy.
   */
  readonly keepsHanded?: boolean;
  /**
   * A live capture (tcpdump on stdin): while no packet comes, capture time moves on with the
   * wall clock, so a call whose timers run out is reported even when the line goes quiet (a
   * call stuck on 100 Trying shows after Timer C, not at the next packet). Only while the
   * capture's clock matches the wall clock (within a minute). `clock` is for tests.
   */
  readonly live?: boolean | { readonly clock: () => number };
  /** Stops reading every input (a live capture ended with Ctrl-C): what was read is analysed as if the inputs ended there. */
  readonly signal?: AbortSignal;
  /** Called as input is read: the index of the input and its bytes read so far (after decompression). */
  readonly onBytes?: (input: number, bytes: number) => void;
  /** Rule severities ("off" disables) and options. */
  readonly rules?: RulesConfig;
  /**
   * For text logs that print times without a date: the date of the first message, `YYYY-MM-DD`
   * (otherwise the file's modification date is taken as the date of the last message).
   */
  readonly date?: string;
  /** Linking the legs of one call (src/annotate/legs.ts); `false` turns it off. */
  readonly legs?: LegOptions | false;
  /** Bounds on the calls held open (defaults in src/parse/dialog/correlate.ts). */
  readonly limits?: CorrelatorOptions;
  /**
   * Media analysis (src/parse/media/join.ts): RTP and UDPTL streams tied to their calls through
   * SDP, with bounds on the streams held; on by default, `false` turns it off (the media packets
   * are then not decoded at all).
   */
  readonly media?: MediaJoinOptions | boolean;
  /**
   * TLS key log files (the NSS key log format: OpenSSL's -keylogfile, SSLKEYLOGFILE, Node's
   * 'keylog' event): TLS connections whose client random they hold are decrypted, and their SIP
   * analysed as transport TLS or WSS (docs/tls.md). A pcapng file's own Decryption Secrets
   * Blocks are used without this option. A file that cannot be read is a diagnostic of the first
   * input (tls.keylog-unreadable).
   */
  readonly tlsKeyLogs?: readonly string[];
}

/** A link between two legs, by call number. `from` started first. */
export interface CallLegLink {
  readonly from: number;
  readonly to: number;
  readonly reason: LegLinkReason;
  /** Linked from numbers and time alone. */
  readonly guess: boolean;
  /** Time between the two calls' first messages, ms. */
  readonly gapMs: number;
}

/** This call is one leg of an end-to-end call through a B2BUA (PBX, SBC). */
export interface CallLeg {
  /** 1-based number of the end-to-end call (group of legs), in order of its first leg. */
  readonly group: number;
  /** The first leg to start is the inbound one (it reached the B2BUA); the others are outbound. */
  readonly role: 'inbound' | 'outbound';
  /** Every leg of the group by call number, in order of start (this call included). */
  readonly calls: readonly number[];
  /** Every link of the group. */
  readonly links: readonly CallLegLink[];
  /**
   * For an inbound leg that failed: the outbound leg whose failure came first, and its status
   * ("the outbound leg got 503, so the inbound leg got 480").
   */
  readonly cause: { readonly call: number; readonly status: number } | null;
}

export interface AnalyzedCall {
  /** 1-based, in order of the call's first message. */
  readonly number: number;
  readonly call: Call;
  readonly outcome: CallOutcome;
  readonly figures: CallFigures;
  readonly findings: readonly Finding[];
  /** The legs this call is linked to, or null when it stands alone. */
  readonly leg: CallLeg | null;
  /** What its SDP announced and the media streams tied to it; null when media was not analysed. */
  readonly media: CallMedia | null;
}

/** One of the trace's main problems (src/analysis/problems.ts): a kind of error or warning, counted over the calls. */
export interface MainProblem {
  readonly rule: string;
  readonly messageId: string;
  readonly severity: Severity;
  /** Findings of this kind (for a story told across calls, the findings it sums up: those about its own server). */
  readonly findings: number;
  /** Calls with one (for a story told across calls, the calls with the findings it sums up). */
  readonly calls: number;
  /** The lowest-numbered call with one; `data` is that finding's. */
  readonly firstCall: number;
  readonly data: ReportData;
}

export interface AnalysisSummary {
  readonly calls: number;
  /** SIP messages, second captures of one packet left out. */
  readonly messages: number;
  readonly retransmissions: number;
  /** Second captures of a message (src/parse/dialog/duplicates.ts), shown beside it and counted nowhere else. */
  readonly duplicates: number;
  readonly outcomes: Readonly<Partial<Record<Outcome, number>>>;
  readonly findings: Readonly<Record<Severity, number>>;
  readonly diagnostics: Readonly<Record<Severity, number>>;
  /** The few kinds of error and warning that matter most (at most 3); empty when there is none. */
  readonly mainProblems: readonly MainProblem[];
}

export interface AnalysisResult {
  readonly inputs: readonly InputSummary[];
  /** Every SIP message, in capture order (inputs merged by time). */
  readonly messages: readonly CapturedMessage[];
  readonly calls: readonly AnalyzedCall[];
  readonly summary: AnalysisSummary;
}

export interface AnalyzeStreamOptions extends AnalyzeOptions {
  /**
   * Called with each batch of calls as soon as they are over (quiet in capture time for longer
   * than the RFC 3261 timers allow anything more; see src/parse/dialog/correlate.ts), and with
   * the rest when the inputs end: calls come in the order they end, a batch in order of first
   * message, and each is numbered by its first message (Call 1 began first, wherever it comes).
   * Once handed over, a call is forgotten.
   */
  readonly onCalls: (calls: readonly AnalyzedCall[]) => void;
  /**
   * Calls for which this returns false are dropped before the rules run: not handed over, not
   * counted (a report filtered by Call-ID, user, method, status, type or time needs no rules for
   * the rest), unless they are another leg of a call that is kept. Numbers stay those of the
   * whole analysis.
   */
  readonly select?: (call: Call) => boolean;
  /**
   * Live analysis of calls in progress: called once for each time-based finding of a call still
   * open, as capture time passes its threshold (stuck on 100 Trying, no response when Timer B/F
   * runs out, a 2xx repeated with no ACK; src/analysis/live.ts), not only at the hand-over. With a
   * live capture (`live`), a quiet line moves capture time on with the wall clock.
   */
  readonly onLiveFinding?: (call: OpenCall, finding: Finding) => void;
  /** Called once before reading with a handle on the calls in progress; with `live`, the time-based rules then run on them as the capture's clock moves. */
  readonly onOpen?: (view: OpenCallsView) => void;
  /**
   * Awaited before each chunk of input is read when it returns a promise: a consumer writing the
   * calls to a slow reader holds the reading back until it has caught up (back-pressure), so the
   * output's queue never grows with the input.
   */
  readonly pace?: () => Promise<void> | undefined;
}

/** A call still in progress, as it stands at capture time `atMs` (AnalyzeStreamOptions.onOpen). */
export interface OpenCall {
  /** The number it will be handed over with. */
  readonly number: number;
  /** The call as correlated so far: it still grows, so read it at once. */
  readonly call: Call;
  readonly progress: CallProgress;
  /** The time-based findings fired so far (src/analysis/live.ts); every rule runs at the hand-over. */
  readonly findings: readonly Finding[];
  /** Its media so far; null when media is not analysed or its SDP named no address yet. */
  readonly media: MediaSoFar | null;
  /** Capture time of this picture, ms since the epoch. */
  readonly atMs: number;
}

/** A handle on the calls in progress while the inputs are read (AnalyzeStreamOptions.onOpen). */
export interface OpenCallsView {
  /** The calls open now, in order of their first message. */
  openCalls(): OpenCall[];
  /** The capture clock, ms since the epoch: the latest message's time, moved on with the wall clock while a live capture is quiet (-Infinity before the first message). */
  readonly nowMs: number;
}

/** What analyzeStream returns once every input has been read: everything but the calls. */
export interface StreamedAnalysis {
  readonly inputs: readonly InputSummary[];
  readonly summary: AnalysisSummary;
  /** Most calls held open at once: what the memory of the analysis followed. */
  readonly peakOpenCalls: number;
  /** RTP streams no SDP of any call announced (found by their RTP header alone); empty when media was not analysed. */
  readonly unassignedStreams: readonly CallStream[];
}

