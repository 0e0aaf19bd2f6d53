/**
 * The sentences the knowledge base builds at run time, one set per language: the entries for
 * unregistered codes (class fallbacks) and the differences compareResponseCodes generates when
 * neither code lists the other. Each language has one object of this shape, so a language
 * cannot lack one of them without failing to type-check.
 */
import type { ResponseClass, ResponseClassInfo, ResponseCodeInfo } from './types.js';

export interface GeneratedTexts {
  /** Why some unregistered codes still turn up in traces (obsolete or vendor codes), by code. */
  readonly unregisteredNotes: ReadonlyMap<number, string>;
  /** The gist of each class, used in a fallback's summary. */
  readonly classSummary: Readonly<Record<ResponseClass, string>>;
  /** The fallback's reason phrase in this language (undefined for English, where the reason is the text). */
  fallbackGloss(digit: number): string | undefined;
  fallbackSummary(digit: number, cls: ResponseClass, treatedAs: ResponseCodeInfo): string;
  notRegistered(code: number): string;
  provisionalHandling(treatedAs: ResponseCodeInfo): string;
  finalHandling(treatedAs: ResponseCodeInfo): string;
  readonly fallbackWhenSeen: string;
  /** `normal` for 1xx and 2xx, where the call itself needs no fix. */
  fallbackFix(normal: boolean, treatedAs: ResponseCodeInfo): string;
  fallbackDifference(code: number, treatedAs: ResponseCodeInfo): string;
  /** compareResponseCodes on a code and itself. */
  sameCode(a: ResponseCodeInfo): string;
  /** Two codes of one class; `details` gives both summaries. */
  sameClass(cls: ResponseClassInfo, details: string): string;
  /** A provisional and a final code. */
  finality(provisional: ResponseCodeInfo, final: ResponseCodeInfo): string;
  /** Two codes of different classes; `finality` is empty or starts with a space. */
  differentClasses(a: ResponseCodeInfo, ca: ResponseClassInfo, b: ResponseCodeInfo, cb: ResponseClassInfo, finality: string, details: string): string;
}

/** "486 (Busy Here)": the reason phrase stays in English in every language. */
export function describeCode(info: ResponseCodeInfo): string {
  return `${info.code} (${info.reason})`;
}

export const GENERATED_EN: GeneratedTexts = {
  unregisteredNotes: new Map([
    [409, 'RFC 2543, the first SIP specification, defined 409 "Conflict"; RFC 3261 dropped it.'],
    [411, 'RFC 2543, the first SIP specification, defined 411 "Length Required"; RFC 3261 dropped it.'],
    [
      478,
      'Not standard: SER-family proxies (Kamailio, OpenSIPS) send 478 "Unresolvable destination" when the next hop cannot be resolved in DNS.',
    ],
  ]),
  classSummary: {
    provisional: 'the request is still in progress',
    success: 'the request succeeded',
    redirection: 'retry the request elsewhere (see Contact)',
    'client-failure': 'the server refuses the request as it was sent',
    'server-failure': 'the server failed to carry out the request',
    'global-failure': 'the request will fail everywhere',
  },
  fallbackGloss: () => undefined,
  fallbackSummary: (digit, cls, treatedAs) =>
    `unregistered ${digit}xx code: ${GENERATED_EN.classSummary[cls]} (treated as ${treatedAs.code})`,
  notRegistered: (code) => `${code} is not in the IANA SIP response-code registry.`,
  provisionalHandling: (treatedAs) =>
    `SIP elements handle an unrecognised provisional response (other than 100) as 183 (${treatedAs.reason}).`,
  finalHandling: (treatedAs) =>
    `SIP elements handle an unrecognised final response as the x00 of its class, here ${treatedAs.code} (${treatedAs.reason}).`,
  fallbackWhenSeen:
    'Vendor-specific codes invented by a product, codes left over from the obsolete RFC 2543, or plain bugs. The reason phrase, and any Warning or Reason header, is often the only explanation the sender gives.',
  fallbackFix: (normal, treatedAs) =>
    (normal ? 'No fix needed for the call itself: expect' : 'Expect') +
    ` standard equipment to react exactly as to ${treatedAs.code}. Read the reason phrase and any Warning or Reason header, and check the sending product's documentation for what it means. If your own equipment sends it, configure it to use a registered code.`,
  fallbackDifference: (code, treatedAs) =>
    `${code} is not registered, so SIP elements handle it exactly like ${treatedAs.code} (${treatedAs.reason}); only the sender's reason phrase or documentation can say what it meant beyond that.`,
  sameCode: (a) => `Both are ${describeCode(a)}: ${a.summary}.`,
  sameClass: (cls, details) => `Both are ${cls.title.toLowerCase()} responses (${cls.range}). ${details}`,
  finality: (prov, fin) => ` ${prov.code} is not final and more responses follow; ${fin.code} ends the transaction.`,
  differentClasses: (a, ca, b, cb, finality, details) =>
    `${describeCode(a)} is a ${ca.title.toLowerCase()} response (${ca.range}), while ${describeCode(b)} is a ` +
    `${cb.title.toLowerCase()} response (${cb.range}).${finality} ${details}`,
};
