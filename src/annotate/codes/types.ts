/**
 * Shapes of the SIP response-code knowledge base.
 *
 * Every registered code (IANA "Session Initiation Protocol (SIP) Parameters —
 * Response Codes") has one {@link ResponseCodeInfo}; each class (1xx … 6xx) has one
 * {@link ResponseClassInfo}. The text is written for a VoIP engineer reading a trace.
 */

export type ResponseClass =
  | 'provisional'
  | 'success'
  | 'redirection'
  | 'client-failure'
  | 'server-failure'
  | 'global-failure';

export interface ResponseCodeInfo {
  readonly code: number;
  /** Standard reason phrase. On the wire the phrase is free text (RFC 3261 §7.2): match on the code. */
  readonly reason: string;
  /**
   * The reason phrase put into the entry's language. Absent in English; the reason itself
   * stays in English in every language, as it is protocol text.
   */
  readonly gloss?: string;
  readonly class: ResponseClass;
  /** One line, at most 90 characters, shown beside each message in the timeline. */
  readonly summary: string;
  /** What it means, 1-3 sentences. */
  readonly meaning: string;
  /** When you will see it in practice: which devices and situations produce it. */
  readonly whenSeen: string;
  /** How to fix it, or starting with "No fix needed" for normal responses. */
  readonly fix: string;
  /** The defining document, e.g. "RFC 3261 §21.1.1". */
  readonly rfc: string;
  /** At least one entry: the codes this one is most often confused with, and how they differ. */
  readonly confusedWith: readonly { readonly code: number; readonly difference: string }[];
}

export interface ResponseClassInfo {
  readonly class: ResponseClass;
  /** "1" … "6". */
  readonly firstDigit: 1 | 2 | 3 | 4 | 5 | 6;
  /** "1xx" … "6xx". */
  readonly range: string;
  /** Human title, e.g. "Client failure". */
  readonly title: string;
  /** What a response of this class tells the sender. */
  readonly description: string;
  /** Whether responses of this class end the transaction. */
  readonly final: boolean;
  /**
   * The code an unrecognised member of the class is handled as (RFC 3261 §8.1.3.2):
   * the x00 of the class, except 1xx where an unknown provisional response counts as 183.
   */
  readonly fallbackCode: number;
}

/** The structured result of comparing two response codes. */
export interface ResponseCodeComparison {
  readonly a: ResponseCodeInfo;
  readonly b: ResponseCodeInfo;
  readonly sameClass: boolean;
  /** How the two differ, in one or a few sentences. */
  readonly difference: string;
  /** Where the difference text came from: a's or b's confusedWith list, or generated from the classes and meanings. */
  readonly differenceSource: 'a' | 'b' | 'generated';
}

/**
 * The translatable part of a code's entry, for a language other than English. The code,
 * reason phrase and class come from the English entry; every text here is required.
 */
export interface ResponseCodeTranslation {
  readonly code: number;
  /** The reason phrase in this language (shown beside the English phrase, never instead of it). */
  readonly gloss: string;
  readonly summary: string;
  readonly meaning: string;
  readonly whenSeen: string;
  readonly fix: string;
  /** Only where the English citation has words besides "RFC NNNN §x.y"; otherwise the English one is used. */
  readonly rfc?: string;
  /** The same codes as the English list, each difference in this language. */
  readonly confusedWith: readonly { readonly code: number; readonly difference: string }[];
}

/** The translatable part of a class's entry. */
export interface ResponseClassTranslation {
  readonly class: ResponseClass;
  readonly title: string;
  readonly description: string;
}
