/**
 * Rules are data plus a check (as ESLint rules are): `meta` documents the rule and holds
 * every sentence it can say, with {placeholders}; `check` looks at one call and reports
 * a message id with data, never a literal sentence.
 */
import type { Call } from '../../parse/dialog/types.js';
import type { CallMedia } from '../../parse/media/types.js';
import type { CallIcmpError } from '../../parse/icmp-calls.js';
import type { SourceProfiles } from '../sources.js';
import type { RelatedCalls } from '../transfers.js';
import type { Endpoint, Severity, Timestamp } from '../../types.js';

export type OptionValue = number | string | boolean;

export interface RuleOptionMeta<T extends OptionValue = OptionValue> {
  readonly default: T;
  readonly description: string;
}

/** Every text of a rule, in one language other than English (the English ones are the meta fields themselves). */
export interface RuleTexts {
  readonly description: string;
  readonly evidence: string;
  readonly explanation: string;
  /** Explanations for particular message ids, when one does not fit every case (same ids as the English). */
  readonly explanations?: Readonly<Record<string, string>>;
  readonly fix: string;
  /** Fixes for particular message ids, when one fix does not fit every case (same ids as the English). */
  readonly fixes?: Readonly<Record<string, string>>;
  /** Same message ids and the same {placeholders} as the English messages. */
  readonly messages: Readonly<Record<string, string>>;
  /** Option name -> description. */
  readonly options: Readonly<Record<string, string>>;
  /** The citation with its words translated ("(where responses go)"); the English one when absent. */
  readonly rfc?: string;
  /**
   * The words a rule puts into its reports' data, in this language: placeholder -> English value
   * -> text ({ role: { offer: 'oferta' } }). Used only to render this language's sentences; the
   * finding's `data`, which machines read, keeps the English value.
   */
  readonly values?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface RuleMeta<Options extends Record<string, OptionValue> = Record<string, OptionValue>> {
  readonly id: string;
  /** Severity of a finding unless the report lowers it or configuration overrides it. */
  readonly severity: Severity;
  /** One line: what the rule detects. */
  readonly description: string;
  /** The messages that prove it. */
  readonly evidence: string;
  /** Why it happens (template; may use the report's data). */
  readonly explanation: string;
  /**
   * A different explanation for some message ids (template); the others get `explanation`. For a
   * rule whose messages name different causes, so that each finding says why of its own cause.
   */
  readonly explanations?: Readonly<Record<string, string>>;
  /** What to do (template). */
  readonly fix: string;
  /** A different fix for some message ids (template); the others get `fix`. */
  readonly fixes?: Readonly<Record<string, string>>;
  /** Where the protocol says so. */
  readonly rfc: string;
  /** One template per message id. */
  readonly messages: Readonly<Record<string, string>>;
  readonly options: { readonly [K in keyof Options]: RuleOptionMeta<Options[K]> };
  /** The same texts in other languages (see src/annotate/i18n.ts). */
  readonly translations?: { readonly es?: RuleTexts };
  /**
   * When the rule reports on a call, the other rules' findings on that call are dropped: their
   * advice is for a phone or a trunk, and the call is something else (a scanner's probe).
   */
  readonly supersedes?: boolean;
  /**
   * Message ids that tell across calls, once, the story of another message id of the rule that is
   * reported call by call (story id -> that id): the trace's main problems name the story in its
   * place (src/analysis/problems.ts).
   */
  readonly stories?: Readonly<Record<string, string>>;
  /**
   * Severity of each message id that is reported below the rule's severity;
   * ids not listed get the rule's severity. The engine applies it.
   */
  readonly messageSeverity?: Readonly<Record<string, Severity>>;
}

/** An address and port from the trace, as read (shown "10.0.0.1:5060" or "[2001:db8::1]:5060"). */
export interface DataEndpoint {
  readonly kind: 'endpoint';
  readonly ip: string;
  readonly port: number;
}

/** A length of time in milliseconds, unrounded (shown "850 ms" or "1.5 s"). */
export interface DataDuration {
  readonly kind: 'ms';
  readonly ms: number;
}

/** A message of the trace: its frame (captures) or line (text logs) (shown "#12" or "L34"). */
export interface DataRef {
  readonly kind: 'ref';
  readonly frame: number | null;
  readonly line: number | null;
}

/** Messages of the trace, the first few of a story told across calls (shown "#12, #30, #74", and "…" when there were more). */
export interface DataRefs {
  readonly kind: 'refs';
  readonly refs: readonly DataRef[];
  /** How many messages the story counted: more than `refs` when only the first were kept. */
  readonly total: number;
}

/**
 * One value of a report's data, raw and typed: words and trace text as strings, counts as
 * numbers, and tagged objects for what the presentation writes in its own way
 * (src/present/values.ts formats them; the analysis never does).
 */
export type DataValue = string | number | DataEndpoint | DataDuration | DataRef | DataRefs;

export type ReportData = Readonly<Record<string, DataValue>>;

/** An endpoint as report data. */
export function endpoint(e: Endpoint): DataEndpoint {
  return { kind: 'endpoint', ip: e.ip, port: e.port };
}

/** A duration in milliseconds as report data. */
export function duration(ms: number): DataDuration {
  return { kind: 'ms', ms };
}

/** A reference to a captured message (its frame or line) as report data. */
export function ref(m: { readonly frame: number | null; readonly line: number | null }): DataRef {
  return { kind: 'ref', frame: m.frame, line: m.line };
}

/** References to captured messages, in order, as one value of report data; `total` when only the first of more were kept. */
export function refs(ms: readonly { readonly frame: number | null; readonly line: number | null }[], total = ms.length): DataRefs {
  return { kind: 'refs', refs: ms.map(ref), total };
}

export interface Report {
  readonly messageId: string;
  readonly data: ReportData;
  /** Indices into `call.messages`: the evidence, in order. */
  readonly messages: readonly number[];
  /** The message the finding is shown beside (default: the last evidence message). */
  readonly anchor?: number;
  /** Lower than the rule's severity when the evidence is incomplete (e.g. the capture ended first). */
  readonly severity?: Severity;
  /** Frames of media packets that are evidence too (a stream's first and last packet), beside the messages'. */
  readonly packets?: readonly number[];
  /**
   * The call belongs to a story that another call's finding already tells (a scanner's later
   * probes): no finding is kept, but a rule whose meta says `supersedes` still silences the
   * other rules on the call.
   */
  readonly quiet?: boolean;
}

export interface RuleContext<Options> {
  readonly options: Options;
  /**
   * "Nothing more of this call happened until here": the time of the last frame of the
   * capture(s) holding the call, or, for a call handed over while the capture goes on (quiet
   * for longer than the RFC timers allow), the latest time read then.
   */
  readonly captureEnd: Timestamp;
  /** The call's media (SDP and the packet streams tied to it), or null when media was not analysed. */
  readonly media: CallMedia | null;
  /**
   * The ICMP errors of the capture that quote a packet of this call (a SIP message or a packet of
   * one of its media streams), in capture order; empty when none (or the call is checked alone).
   */
  readonly icmp?: readonly CallIcmpError[];
  /** What each source address sent across calls so far (src/annotate/sources.ts); absent when a call is checked alone. */
  readonly sources?: SourceProfiles | null;
  /** Calls related to this one across Call-IDs (a transfer: src/annotate/transfers.ts); absent when a call is checked alone. */
  readonly related?: RelatedCalls | null;
  report(report: Report): void;
}

/**
 * What a call must hold for a rule to have anything to report on it; any one of them is enough.
 * The engine reads these of every call once and does not run a rule on a call that holds none of
 * its needs (most calls hold no 403, no REGISTER, no 3xx...).
 */
export interface CallNeeds {
  /** A response (any copy) with one of these codes, or with a code in one of these inclusive [low, high] ranges. */
  readonly statuses?: readonly (number | readonly [number, number])[];
  /** A transaction of one of these methods (Transaction.method). */
  readonly methods?: readonly string[];
  /** A message with one of these header lines (HEADER_BIT, any of the bits). */
  readonly headers?: number;
  /** A retransmission (CallMessage.retransmission): a request or response sent again on its hop. */
  readonly retransmitted?: boolean;
  /**
   * Media in the call's context (RuleContext.media): `streams`, a stream tied to the call;
   * `rtp`, RTP anywhere in the capture (CallMedia.mediaCaptured), which a rule that reports
   * media missing needs. A SIP-only capture (a trunk's signalling) has neither.
   */
  readonly media?: 'streams' | 'rtp';
  /** An ICMP error about one of the call's packets (RuleContext.icmp). */
  readonly icmp?: boolean;
}

export interface Rule<Options extends Record<string, OptionValue> = Record<string, OptionValue>> {
  readonly meta: RuleMeta<Options>;
  /**
   * What a call must hold for the rule to report on it (see CallNeeds); absent: it runs on every
   * call. It must be exact: a rule that can report anything (a story too) on a call without them
   * must not declare them (test/annotate/needs.test.ts runs every rule on calls both ways).
   */
  readonly needs?: CallNeeds;
  check(call: Call, context: RuleContext<Options>): void;
  /**
   * For a rule that tells stories across calls (meta.stories): a story's data with the counts the
   * whole capture gave, at its end, from the data it was told with on its call (which has the
   * counts known then). Null when the story's counts cannot be told again (its entry let go).
   * The trace's main problems use it, so the summary counts what the file holds.
   */
  retell?(sources: SourceProfiles, messageId: string, data: ReportData): ReportData | null;
}

/**
 * A rule's result, as data: which rule, which of its messages, the values of its placeholders,
 * and the evidence. Its sentences are made when a report is shown, in the report's language
 * (src/present/findings.ts).
 */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly messageId: string;
  readonly data: ReportData;
  /** Indices into `call.messages`. */
  readonly messages: readonly number[];
  readonly anchor: number;
  /** The evidence as frame numbers (captures) and line numbers (text logs). */
  readonly frames: readonly number[];
  readonly lines: readonly number[];
  readonly time: Timestamp;
}

/** Defines a rule with its option types inferred from meta. */
export function defineRule<Options extends Record<string, OptionValue>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
