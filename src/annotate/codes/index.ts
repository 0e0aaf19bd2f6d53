/**
 * SIP response-code knowledge base: one entry per code of the IANA "Session Initiation
 * Protocol (SIP) Parameters — Response Codes" registry (75 codes), class-level entries,
 * a lookup with RFC 3261 §8.1.3.2 fallbacks for unregistered codes, and a comparison.
 *
 * English is the source; every other language (es/) translates each text of every entry,
 * class, fallback and generated comparison. Functions take an optional `lang`, 'en' by default.
 */
import { PROVISIONAL_CODES } from './1xx.js';
import { SUCCESS_CODES } from './2xx.js';
import { REDIRECTION_CODES } from './3xx.js';
import { CLIENT_FAILURE_CODES } from './4xx.js';
import { SERVER_FAILURE_CODES } from './5xx.js';
import { GLOBAL_FAILURE_CODES } from './6xx.js';
import { RESPONSE_CLASSES, classForFirstDigit } from './classes.js';
import { CODE_TEXTS_ES, GENERATED_ES, RESPONSE_CLASSES_ES } from './es/index.js';
import { GENERATED_EN, type GeneratedTexts } from './generated.js';
import { checkLang, type Lang } from '../i18n.js';
import type {
  ResponseClass,
  ResponseClassInfo,
  ResponseClassTranslation,
  ResponseCodeComparison,
  ResponseCodeInfo,
  ResponseCodeTranslation,
} from './types.js';

export type {
  ResponseClass,
  ResponseClassInfo,
  ResponseClassTranslation,
  ResponseCodeComparison,
  ResponseCodeInfo,
  ResponseCodeTranslation,
} from './types.js';
export type { Lang } from '../i18n.js';
export { RESPONSE_CLASSES, classForFirstDigit } from './classes.js';
export { MAX_SUMMARY_LENGTH, validateResponseCodeInfo, validateTranslation } from './validate.js';

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

/** The translations of every language but English, which is the registry itself. */
const CODE_TRANSLATIONS: Readonly<Record<Exclude<Lang, 'en'>, readonly ResponseCodeTranslation[]>> = {
  es: CODE_TEXTS_ES,
};

const CLASS_TRANSLATIONS: Readonly<Record<Exclude<Lang, 'en'>, Readonly<Record<ResponseClass, ResponseClassTranslation>>>> = {
  es: RESPONSE_CLASSES_ES,
};

const GENERATED: Readonly<Record<Lang, GeneratedTexts>> = { en: GENERATED_EN, es: GENERATED_ES };

/**
 * An English entry with the texts of a translation. The code, reason phrase and class stay;
 * the confusedWith list keeps the English codes and order. A text the translation lacks stays
 * in English (the i18n test fails on any such gap, so this only guards a running program).
 */
function translateEntry(en: ResponseCodeInfo, tr: ResponseCodeTranslation | undefined): ResponseCodeInfo {
  if (!tr) return en;
  const differences = new Map(tr.confusedWith.map((c) => [c.code, c.difference] as const));
  return freezeEntry({
    code: en.code,
    reason: en.reason,
    gloss: tr.gloss,
    class: en.class,
    summary: tr.summary || en.summary,
    meaning: tr.meaning || en.meaning,
    whenSeen: tr.whenSeen || en.whenSeen,
    fix: tr.fix || en.fix,
    rfc: tr.rfc || en.rfc,
    confusedWith: en.confusedWith.map((c) => ({ code: c.code, difference: differences.get(c.code) || c.difference })),
  });
}

const translatedRegistries = new Map<Lang, ReadonlyMap<number, ResponseCodeInfo>>([['en', RESPONSE_CODES]]);

/** Every registered response code in one language, in ascending order (English: {@link RESPONSE_CODES}). */
export function responseCodes(lang: Lang = 'en'): ReadonlyMap<number, ResponseCodeInfo> {
  const cached = translatedRegistries.get(checkLang(lang));
  if (cached) return cached;
  const texts = new Map(CODE_TRANSLATIONS[lang as Exclude<Lang, 'en'>].map((t) => [t.code, t] as const));
  const map = new Map<number, ResponseCodeInfo>();
  for (const [code, en] of RESPONSE_CODES) map.set(code, translateEntry(en, texts.get(code)));
  translatedRegistries.set(lang, map);
  return map;
}

const translatedClasses = new Map<Lang, Readonly<Record<ResponseClass, ResponseClassInfo>>>([['en', RESPONSE_CLASSES]]);

/** The six class entries in one language (English: {@link RESPONSE_CLASSES}). */
export function responseClasses(lang: Lang = 'en'): Readonly<Record<ResponseClass, ResponseClassInfo>> {
  const cached = translatedClasses.get(checkLang(lang));
  if (cached) return cached;
  const tr = CLASS_TRANSLATIONS[lang as Exclude<Lang, 'en'>];
  const entries = Object.values(RESPONSE_CLASSES).map((en) => {
    const t = tr[en.class];
    return [en.class, Object.freeze({ ...en, title: t?.title || en.title, description: t?.description || en.description })] as const;
  });
  const classes = Object.freeze(Object.fromEntries(entries) as Record<ResponseClass, ResponseClassInfo>);
  translatedClasses.set(lang, classes);
  return classes;
}

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
export function responseClassOf(code: number, lang: Lang = 'en'): ResponseClassInfo {
  if (!isSipStatusCode(code)) throw new InvalidStatusCodeError(code);
  return responseClasses(lang)[classForFirstDigit(Math.floor(code / 100)) as ResponseClass];
}

const fallbackCache = new Map<string, ResponseCodeInfo>();

function fallbackEntry(code: number, lang: Lang): ResponseCodeInfo {
  const key = `${lang} ${code}`;
  const cached = fallbackCache.get(key);
  if (cached) return cached;
  const text = GENERATED[lang];
  const cls = responseClassOf(code, lang);
  const treatedAs = responseCodes(lang).get(cls.fallbackCode) as ResponseCodeInfo;
  const digit = cls.firstDigit;
  const note = text.unregisteredNotes.get(code);
  const handling = cls.class === 'provisional' ? text.provisionalHandling(treatedAs) : text.finalHandling(treatedAs);
  const normal = cls.class === 'provisional' || cls.class === 'success';
  const gloss = text.fallbackGloss(digit);
  const entry: ResponseCodeInfo = {
    code,
    reason: `Unknown ${digit}xx`,
    ...(gloss === undefined ? {} : { gloss }),
    class: cls.class,
    summary: text.fallbackSummary(digit, cls.class, treatedAs),
    meaning: [text.notRegistered(code), note, handling, cls.description]
      .filter((s): s is string => s !== undefined)
      .join(' '),
    whenSeen: text.fallbackWhenSeen,
    fix: text.fallbackFix(normal, treatedAs),
    rfc: 'RFC 3261 §8.1.3.2',
    confusedWith: [{ code: treatedAs.code, difference: text.fallbackDifference(code, treatedAs) }],
  };
  const frozen = freezeEntry(entry);
  fallbackCache.set(key, frozen);
  return frozen;
}

/**
 * The knowledge-base entry for a status code. Registered codes get their own entry; other
 * codes from 100 to 699 get a class fallback (reason "Unknown 4xx" and so on) describing how
 * RFC 3261 §8.1.3.2 says they are handled. Anything else throws {@link InvalidStatusCodeError}.
 * The texts are in `lang` (default English); the code, reason phrase, class and the codes of
 * confusedWith are the same in every language, and translated entries add a `gloss`.
 */
export function lookupResponseCode(code: number, lang: Lang = 'en'): ResponseCodeInfo {
  if (!isSipStatusCode(code)) throw new InvalidStatusCodeError(code);
  return responseCodes(lang).get(code) ?? fallbackEntry(code, lang);
}

function generatedDifference(a: ResponseCodeInfo, b: ResponseCodeInfo, lang: Lang): string {
  const text = GENERATED[lang];
  if (a.code === b.code) return text.sameCode(a);
  const classes = responseClasses(lang);
  const ca = classes[a.class];
  const cb = classes[b.class];
  const details = `${a.code}: ${a.summary}. ${b.code}: ${b.summary}.`;
  if (ca.class === cb.class) return text.sameClass(ca, details);
  let finality = '';
  if (ca.final !== cb.final) {
    const [prov, fin] = ca.final ? [b, a] : [a, b];
    finality = text.finality(prov, fin);
  }
  return text.differentClasses(a, ca, b, cb, finality, details);
}

/**
 * Compares two status codes. The difference comes from a's confusedWith list when it names b,
 * else from b's list when it names a, else it is generated from the classes and summaries.
 * Throws {@link InvalidStatusCodeError} when either code is outside 100-699. Texts are in `lang`.
 */
export function compareResponseCodes(a: number, b: number, lang: Lang = 'en'): ResponseCodeComparison {
  const ia = lookupResponseCode(a, lang);
  const ib = lookupResponseCode(b, lang);
  const sameClass = ia.class === ib.class;
  const fromA = ia.confusedWith.find((c) => c.code === ib.code);
  if (fromA) return { a: ia, b: ib, sameClass, difference: fromA.difference, differenceSource: 'a' };
  const fromB = ib.confusedWith.find((c) => c.code === ia.code);
  if (fromB) return { a: ia, b: ib, sameClass, difference: fromB.difference, differenceSource: 'b' };
  return { a: ia, b: ib, sameClass, difference: generatedDifference(ia, ib, lang), differenceSource: 'generated' };
}
