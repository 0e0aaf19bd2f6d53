/**
 * SIP response-code knowledge base: one entry per code of the IANA "Session Initiation
 * Protocol (SIP) Parameters — Response Codes" registry (75 codes), class-level entries,
 * a lookup with RFC 3261 §8.1.3.2 fallbacks for unregistered codes, and a comparison.
 */
import { PROVISIONAL_CODES } from './1xx.js';
import { SUCCESS_CODES } from './2xx.js';
import { REDIRECTION_CODES } from './3xx.js';
import { CLIENT_FAILURE_CODES } from './4xx.js';
import { SERVER_FAILURE_CODES } from './5xx.js';
import { GLOBAL_FAILURE_CODES } from './6xx.js';
import { RESPONSE_CLASSES, classForFirstDigit } from './classes.js';
import type { ResponseClass, ResponseClassInfo, ResponseCodeComparison, ResponseCodeInfo } from './types.js';

export type { ResponseClass, ResponseClassInfo, ResponseCodeComparison, ResponseCodeInfo } from './types.js';
export { RESPONSE_CLASSES, classForFirstDigit } from './classes.js';
export { MAX_SUMMARY_LENGTH, validateResponseCodeInfo } from './validate.js';

function freezeEntry(entry: ResponseCodeInfo): ResponseCodeInfo {
  for (const c of entry.confusedWith) Object.freeze(c);
  Object.freeze(entry.confusedWith);
  return Object.freeze(entry);
}

function buildRegistry(lists: readonly (readonly ResponseCodeInfo[])[]): ReadonlyMap<number, ResponseCodeInfo> {
  const all = lists.flat().slice().sort((x, y) => x.code - y.code);
  const map = new Map<number, ResponseCodeInfo>();
  for (const entry of all) {
    if (map.has(entry.code)) throw new Error(`response code ${entry.code} is defined twice`);
    map.set(entry.code, freezeEntry(entry));
  }
  return map;
}

/** Every registered response code, in ascending order. */
export const RESPONSE_CODES: ReadonlyMap<number, ResponseCodeInfo> = buildRegistry([
  PROVISIONAL_CODES,
  SUCCESS_CODES,
  REDIRECTION_CODES,
  CLIENT_FAILURE_CODES,
  SERVER_FAILURE_CODES,
  GLOBAL_FAILURE_CODES,
]);

/** Thrown for numbers that cannot be SIP status codes at all (outside 100-699, or not integers). */
export class InvalidStatusCodeError extends RangeError {
  readonly code: number;
  constructor(code: number) {
    super(
      `${code} is not a valid SIP status code: a status code has three digits and its first digit, ` +
        '1 to 6, gives its class (RFC 3261 §7.2), so it must be an integer from 100 to 699',
    );
    this.name = 'InvalidStatusCodeError';
    this.code = code;
  }
}

/** True for integers 100-699, the only numbers a SIP status line can carry. */
export function isSipStatusCode(code: number): boolean {
  return Number.isInteger(code) && code >= 100 && code <= 699;
}

/** True when the code is in the IANA registry (and so has its own entry). */
export function isRegisteredResponseCode(code: number): boolean {
  return RESPONSE_CODES.has(code);
}

/** The class of a valid status code; throws {@link InvalidStatusCodeError} otherwise. */
export function responseClassOf(code: number): ResponseClassInfo {
  if (!isSipStatusCode(code)) throw new InvalidStatusCodeError(code);
  return RESPONSE_CLASSES[classForFirstDigit(Math.floor(code / 100)) as ResponseClass];
}

/**
 * Codes that are not registered but turn up in traces often enough to deserve a word.
 * Their entries are still class fallbacks; this only adds a note to the meaning.
 */
const UNREGISTERED_NOTES: ReadonlyMap<number, string> = new Map([
  [409, 'RFC 2543, the first SIP specification, defined 409 "Conflict"; RFC 3261 dropped it.'],
  [411, 'RFC 2543, the first SIP specification, defined 411 "Length Required"; RFC 3261 dropped it.'],
  [
    478,
    'Not standard: SER-family proxies (Kamailio, OpenSIPS) send 478 "Unresolvable destination" when the next hop cannot be resolved in DNS.',
  ],
]);

const FALLBACK_SUMMARY: Readonly<Record<ResponseClass, string>> = {
  provisional: 'the request is still in progress',
  success: 'the request succeeded',
  redirection: 'retry the request elsewhere (see Contact)',
  'client-failure': 'the request failed at the client side',
  'server-failure': 'the server failed to carry out the request',
  'global-failure': 'the request will fail everywhere',
};

const fallbackCache = new Map<number, ResponseCodeInfo>();

function fallbackEntry(code: number): ResponseCodeInfo {
  const cached = fallbackCache.get(code);
  if (cached) return cached;
  const cls = responseClassOf(code);
  const treatedAs = RESPONSE_CODES.get(cls.fallbackCode) as ResponseCodeInfo;
  const digit = cls.firstDigit;
  const note = UNREGISTERED_NOTES.get(code);
  const handling =
    cls.class === 'provisional'
      ? `SIP elements handle an unrecognised provisional response (other than 100) as 183 (${treatedAs.reason}).`
      : `SIP elements handle an unrecognised final response as the x00 of its class, here ${treatedAs.code} (${treatedAs.reason}).`;
  const normal = cls.class === 'provisional' || cls.class === 'success';
  const entry: ResponseCodeInfo = {
    code,
    reason: `Unknown ${digit}xx`,
    class: cls.class,
    summary: `unregistered ${digit}xx code: ${FALLBACK_SUMMARY[cls.class]} (treated as ${treatedAs.code})`,
    meaning: [`${code} is not in the IANA SIP response-code registry.`, note, handling, cls.description]
      .filter((s): s is string => s !== undefined)
      .join(' '),
    whenSeen:
      'Vendor-specific codes invented by a product, codes left over from the obsolete RFC 2543, or plain bugs. The reason phrase, and any Warning or Reason header, is often the only explanation the sender gives.',
    fix:
      (normal ? 'No fix needed for the call itself: ' : '') +
      `expect standard equipment to react exactly as to ${treatedAs.code}. Read the reason phrase and any Warning or Reason header, and check the sending product's documentation for what it means. If your own equipment sends it, configure it to use a registered code.`,
    rfc: 'RFC 3261 §8.1.3.2',
    confusedWith: [
      {
        code: treatedAs.code,
        difference: `${code} is not registered, so SIP elements handle it exactly like ${treatedAs.code} (${treatedAs.reason}); only the sender's reason phrase or documentation can say what it meant beyond that.`,
      },
    ],
  };
  const frozen = freezeEntry(entry);
  fallbackCache.set(code, frozen);
  return frozen;
}

/**
 * The knowledge-base entry for a status code. Registered codes get their own entry; other
 * codes from 100 to 699 get a class fallback (reason "Unknown 4xx" and so on) describing how
 * RFC 3261 §8.1.3.2 says they are handled. Anything else throws {@link InvalidStatusCodeError}.
 */
export function lookupResponseCode(code: number): ResponseCodeInfo {
  if (!isSipStatusCode(code)) throw new InvalidStatusCodeError(code);
  return RESPONSE_CODES.get(code) ?? fallbackEntry(code);
}

function describe(info: ResponseCodeInfo): string {
  return `${info.code} (${info.reason})`;
}

function generatedDifference(a: ResponseCodeInfo, b: ResponseCodeInfo): string {
  if (a.code === b.code) return `Both are ${describe(a)}: ${a.summary}.`;
  const ca = RESPONSE_CLASSES[a.class];
  const cb = RESPONSE_CLASSES[b.class];
  const details = `${a.code}: ${a.summary}. ${b.code}: ${b.summary}.`;
  if (ca.class === cb.class) {
    return `Both are ${ca.title.toLowerCase()} responses (${ca.range}). ${details}`;
  }
  let finality = '';
  if (ca.final !== cb.final) {
    const [prov, fin] = ca.final ? [b, a] : [a, b];
    finality = ` ${prov.code} is not final and more responses follow; ${fin.code} ends the transaction.`;
  }
  return (
    `${describe(a)} is a ${ca.title.toLowerCase()} response (${ca.range}), while ${describe(b)} is a ` +
    `${cb.title.toLowerCase()} response (${cb.range}).${finality} ${details}`
  );
}

/**
 * Compares two status codes. The difference comes from a's confusedWith list when it names b,
 * else from b's list when it names a, else it is generated from the classes and summaries.
 * Throws {@link InvalidStatusCodeError} when either code is outside 100-699.
 */
export function compareResponseCodes(a: number, b: number): ResponseCodeComparison {
  const ia = lookupResponseCode(a);
  const ib = lookupResponseCode(b);
  const sameClass = ia.class === ib.class;
  const fromA = ia.confusedWith.find((c) => c.code === ib.code);
  if (fromA) return { a: ia, b: ib, sameClass, difference: fromA.difference, differenceSource: 'a' };
  const fromB = ib.confusedWith.find((c) => c.code === ia.code);
  if (fromB) return { a: ia, b: ib, sameClass, difference: fromB.difference, differenceSource: 'b' };
  return { a: ia, b: ib, sameClass, difference: generatedDifference(ia, ib), differenceSource: 'generated' };
}
