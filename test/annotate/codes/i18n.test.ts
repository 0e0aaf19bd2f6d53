/**
 * English and Spanish: every text of the knowledge base (codes, classes, fallbacks, method and
 * context notes, generated comparisons) exists in Spanish, is complete, and is not a copy of the
 * English. Each check fails on the first code, class or note that lacks its Spanish text.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_SUMMARY_LENGTH,
  RESPONSE_CLASSES,
  RESPONSE_CODES,
  compareResponseCodes,
  isRegisteredResponseCode,
  lookupResponseCode,
  responseClassOf,
  responseClasses,
  responseCodes,
  validateResponseCodeInfo,
  validateTranslation,
  type ResponseClass,
  type ResponseCodeInfo,
} from '../../../src/annotate/codes/index.js';
import {
  METHOD_NOTES,
  METHOD_NOTES_BY_LANG,
  RESPONSE_IN_CONTEXT,
  RESPONSE_IN_CONTEXT_BY_LANG,
  TIMELINE_NOTES,
  UNKNOWN_METHOD_NOTES,
  methodNote,
  responseNoteInContext,
} from '../../../src/annotate/codes/methods.js';
import { GENERATED_EN } from '../../../src/annotate/codes/generated.js';
import { CODE_TEXTS_ES, GENERATED_ES, RESPONSE_CLASSES_ES } from '../../../src/annotate/codes/es/index.js';
import { LANGS, UnsupportedLangError, checkLang, isLang, langFromEnv } from '../../../src/annotate/i18n.js';
import { buildTimeline } from '../../../src/present/timeline.js';
import { analyze } from '../../../src/index.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const CLASSES = Object.keys(RESPONSE_CLASSES) as ResponseClass[];
const english = [...RESPONSE_CODES.values()];
const spanishByCode = new Map(CODE_TEXTS_ES.map((t) => [t.code, t] as const));

/** One unregistered code per class, plus the ones with a note of their own. */
const FALLBACK_CODES = [150, 299, 388, 409, 411, 478, 499, 599, 699];

/** Responses that are part of a normal call flow: their Spanish fix must say no fix is needed. */
const NORMAL = [100, 180, 181, 182, 183, 199, 200, 202, 204];

/**
 * English function words that Spanish prose never uses. Quoted protocol text («Too Many
 * Requests») and hyphenated protocol tokens (Referred-By, SIP-If-Match) are removed first, and
 * the match is case-sensitive so header names such as To and From do not count. A translation
 * left half in English trips this.
 */
const ENGLISH_WORDS =
  /\b(the|and|is|are|was|with|when|which|this|that|from|not|of|to|for|it|be|by|will|should|must|only|The|This|When|If|It)\b/;
/** Spanish words nearly every Spanish sentence has. */
const SPANISH_WORDS = /\b(el|la|los|las|de|del|que|en|un|una|se|y|o|no|es|por|para|con)\b/i;

function unquoted(text: string): string {
  return text
    .replace(/«[^»]*»/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/[\w.]+(?:-[\w.]+)+/g, '');
}

function expectSpanish(text: string, where: string): void {
  expect(text.trim(), `${where} is empty`).not.toBe('');
  expect(unquoted(text), `${where} has English words: ${text}`).not.toMatch(ENGLISH_WORDS);
  if (text.length > 30) expect(text, `${where} does not read as Spanish: ${text}`).toMatch(SPANISH_WORDS);
}

function entryTexts(info: ResponseCodeInfo): [string, string][] {
  return [
    ['summary', info.summary],
    ['meaning', info.meaning],
    ['whenSeen', info.whenSeen],
    ['fix', info.fix],
    ...info.confusedWith.map((c): [string, string] => [`confusedWith ${c.code}`, c.difference]),
  ];
}

function sentences(text: string): number {
  return text.split(/[.!?](?:\s|$)/).filter((s) => s.trim().length > 1).length;
}

describe('languages', () => {
  it('lists English first, then Spanish', () => {
    expect(LANGS).toEqual(['en', 'es']);
    expect(isLang('es')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(isLang(undefined)).toBe(false);
    expect(checkLang('en')).toBe('en');
    expect(() => checkLang('fr')).toThrow(UnsupportedLangError);
  });

  it.each([
    [{ LANG: 'es_ES.UTF-8' }, 'es'],
    [{ LANG: 'es_MX' }, 'es'],
    [{ LANG: 'es' }, 'es'],
    [{ LANG: 'es-AR' }, 'es'],
    [{ LANG: 'es_ES@euro' }, 'es'],
    [{ LANG: 'ES_es.utf8' }, 'es'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'et_EE.UTF-8' }, 'en'],
    [{ LANG: 'C' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{}, 'en'],
    [{ LANG: '' }, 'en'],
    [{ LANG: 'es_ES.UTF-8', LC_ALL: 'C' }, 'en'],
    [{ LANG: 'en_GB.UTF-8', LC_ALL: 'es_CL.UTF-8' }, 'es'],
    [{ LANG: 'en_GB.UTF-8', LC_MESSAGES: 'es_ES.UTF-8' }, 'es'],
    [{ LANG: 'es_ES.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'es_ES.UTF-8', LC_ALL: '', LC_MESSAGES: '' }, 'es'],
    [{ LANG: 'es_ES.UTF-8', LC_ALL: undefined }, 'es'],
  ] as const)('langFromEnv(%j) is %s', (env, lang) => {
    expect(langFromEnv(env)).toBe(lang);
  });

  it('rejects a language it does not have', () => {
    expect(() => lookupResponseCode(404, 'fr' as never)).toThrow(UnsupportedLangError);
    expect(() => methodNote('INVITE', 'fr' as never)).toThrow(UnsupportedLangError);
    expect(() => responseNoteInContext(200, 'BYE', 'fr' as never)).toThrow(UnsupportedLangError);
  });
});

describe('Spanish response-code texts', () => {
  it('has exactly one Spanish entry per registered code', () => {
    const codes = CODE_TEXTS_ES.map((t) => t.code);
    expect(new Set(codes).size, 'a code is translated twice').toBe(codes.length);
    expect([...codes].sort((a, b) => a - b)).toEqual([...RESPONSE_CODES.keys()]);
  });

  it.each(english.map((e) => [e.code, e] as const))('%i is complete in Spanish, not copied from English', (code, en) => {
    expect(validateTranslation(en, spanishByCode.get(code))).toEqual([]);
  });

  it.each(english.map((e) => [e.code] as const))('%i reads as Spanish and passes the documentation check', (code) => {
    const es = lookupResponseCode(code, 'es');
    expect(validateResponseCodeInfo(es, isRegisteredResponseCode)).toEqual([]);
    for (const [field, text] of entryTexts(es)) expectSpanish(text, `${code} ${field}`);
    expectSpanish(es.gloss ?? '', `${code} gloss`);
    const n = sentences(es.meaning);
    expect(n, `${code} meaning: ${es.meaning}`).toBeGreaterThanOrEqual(1);
    expect(n, `${code} meaning: ${es.meaning}`).toBeLessThanOrEqual(3);
    expect(es.summary.length, `${code}: "${es.summary}"`).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
  });

  it('keeps the code, reason phrase, class and confusable codes of the English entry', () => {
    for (const en of english) {
      const es = lookupResponseCode(en.code, 'es');
      expect(es.code).toBe(en.code);
      expect(es.reason, 'reason phrases stay in English: they are protocol text').toBe(en.reason);
      expect(es.class).toBe(en.class);
      expect(es.confusedWith.map((c) => c.code), String(en.code)).toEqual(en.confusedWith.map((c) => c.code));
      expect(es.gloss, String(en.code)).not.toBe(en.reason);
    }
  });

  it('translates citations that carry words, and keeps plain ones', () => {
    expect(lookupResponseCode(202, 'es').rfc).toMatch(/^RFC 6665 \(.*obsoleto/);
    expect(lookupResponseCode(489, 'es').rfc).toMatch(/^RFC 6665 \(.*RFC 3265\)$/);
    expect(lookupResponseCode(404, 'es').rfc).toBe('RFC 3261 §21.4.5');
  });

  it('says "No hace falta corregir nada" for normal responses', () => {
    for (const code of NORMAL) expect(lookupResponseCode(code, 'es').fix, String(code)).toMatch(/^No hace falta corregir nada/);
  });

  it('cannot be modified at run time', () => {
    const info = lookupResponseCode(486, 'es');
    expect(Object.isFrozen(info)).toBe(true);
    expect(Object.isFrozen(info.confusedWith)).toBe(true);
    expect(Object.isFrozen(info.confusedWith[0])).toBe(true);
    expect(lookupResponseCode(486, 'es')).toBe(info);
    expect(responseCodes('es').get(486)).toBe(info);
  });
});

describe('the translation check itself', () => {
  const en = RESPONSE_CODES.get(404) as ResponseCodeInfo;
  const es = spanishByCode.get(404)!;
  const check = (t: unknown) => validateTranslation(en, t).join('\n');

  it('accepts a sound translation', () => {
    expect(check(es)).toBe('');
  });

  it('fails when there is no translation', () => {
    expect(check(undefined)).toContain('no translation');
  });

  it.each(['gloss', 'summary', 'meaning', 'whenSeen', 'fix'] as const)('fails when %s is missing, empty or English', (field) => {
    const { [field]: _dropped, ...missing } = es;
    expect(check(missing)).toContain(`${field} is missing`);
    expect(check({ ...es, [field]: ' ' })).toContain(`${field} is empty`);
    const copy = field === 'gloss' ? en.reason : en[field];
    expect(check({ ...es, [field]: copy })).toContain(`${field} is a copy of the English text`);
  });

  it('fails when the summary is too long', () => {
    expect(check({ ...es, summary: 'x'.repeat(MAX_SUMMARY_LENGTH + 1) })).toContain('summary is 91 characters');
  });

  it('fails when a confusable code is missing, extra, repeated, empty or English', () => {
    expect(check({ ...es, confusedWith: es.confusedWith.slice(1) })).toContain(
      `confusedWith ${es.confusedWith[0]!.code} is missing (the English list has it)`,
    );
    expect(check({ ...es, confusedWith: [...es.confusedWith, { code: 486, difference: 'otra cosa' }] })).toContain(
      'confusedWith 486 is not in the English list',
    );
    expect(check({ ...es, confusedWith: [...es.confusedWith, es.confusedWith[0]] })).toContain('twice');
    expect(check({ ...es, confusedWith: [{ ...es.confusedWith[0]!, difference: '' }, ...es.confusedWith.slice(1)] })).toContain(
      'has no difference text',
    );
    expect(check({ ...es, confusedWith: en.confusedWith })).toContain('is a copy of the English text');
    const { confusedWith: _cw, ...noList } = es;
    expect(check(noList)).toContain('confusedWith is missing');
  });

  it('recognises English prose left in a Spanish text', () => {
    const flagged = english.filter((e) => {
      try {
        expectSpanish(e.fix, String(e.code));
        return false;
      } catch {
        return true;
      }
    });
    expect(flagged.length).toBe(english.length);
    expect(() => expectSpanish('Revisa el Contact; the ACK is lost', 'mixed')).toThrow(/English words/);
  });

  it('fails when a citation with words is left untranslated', () => {
    const en202 = RESPONSE_CODES.get(202) as ResponseCodeInfo;
    const { rfc: _rfc, ...es202 } = spanishByCode.get(202)!;
    expect(validateTranslation(en202, es202).join('\n')).toContain('rfc is missing');
    expect(validateTranslation(en202, { ...es202, rfc: en202.rfc }).join('\n')).toContain('rfc is a copy');
    expect(check({ ...es, rfc: 'ver la especificación' })).toContain('does not start with "RFC NNNN"');
  });
});

describe('Spanish classes', () => {
  it.each(CLASSES)('%s has a Spanish title and description', (cls) => {
    const t = RESPONSE_CLASSES_ES[cls];
    expect(t?.class).toBe(cls);
    const es = responseClasses('es')[cls];
    const en = RESPONSE_CLASSES[cls];
    expectSpanish(es.description, `${cls} description`);
    expect(es.title.trim()).not.toBe('');
    if (cls !== 'provisional') expect(es.title, 'title is a copy of the English').not.toBe(en.title); // "Provisional" is both
    expect(es.description).not.toBe(en.description);
    expect(sentences(es.description)).toBeLessThanOrEqual(sentences(en.description) + 1);
    expect({ ...es, title: en.title, description: en.description }).toEqual(en);
  });

  it('is what responseClassOf returns in Spanish', () => {
    expect(responseClassOf(503, 'es').title).toBe('Fallo del servidor');
    expect(responseClassOf(503).title).toBe('Server failure');
  });
});

describe('Spanish fallbacks for unregistered codes', () => {
  it('translates the note of every unregistered code that has one', () => {
    expect([...GENERATED_ES.unregisteredNotes.keys()]).toEqual([...GENERATED_EN.unregisteredNotes.keys()]);
    for (const [code, note] of GENERATED_ES.unregisteredNotes) {
      expectSpanish(note, `note ${code}`);
      expect(note).not.toBe(GENERATED_EN.unregisteredNotes.get(code));
    }
  });

  it.each(CLASSES)('translates the summary of class %s', (cls) => {
    expectSpanish(GENERATED_ES.classSummary[cls], `${cls} summary`);
    expect(GENERATED_ES.classSummary[cls]).not.toBe(GENERATED_EN.classSummary[cls]);
  });

  it.each(FALLBACK_CODES)('%i has a complete Spanish fallback entry', (code) => {
    const en = lookupResponseCode(code);
    const es = lookupResponseCode(code, 'es');
    expect(validateResponseCodeInfo(es, isRegisteredResponseCode)).toEqual([]);
    expect(es.reason).toBe(en.reason);
    expect(es.class).toBe(en.class);
    expect(es.confusedWith.map((c) => c.code)).toEqual(en.confusedWith.map((c) => c.code));
    expect(es.summary).toContain(`(se trata como ${en.confusedWith[0]!.code})`);
    for (const [field, text] of entryTexts(es)) {
      expectSpanish(text, `${code} ${field}`);
      expect(text, `${code} ${field} is a copy of the English`).not.toBe(entryTexts(en).find(([f]) => f === field)![1]);
    }
    expectSpanish(es.gloss ?? '', `${code} gloss`);
  });

  it('keeps protocol text quoted in the notes', () => {
    expect(lookupResponseCode(478, 'es').meaning).toContain('Unresolvable destination');
    expect(lookupResponseCode(409, 'es').meaning).toContain('RFC 2543');
    expect(lookupResponseCode(299, 'es').fix).toMatch(/^No hace falta corregir nada/);
    expect(lookupResponseCode(499, 'es').fix).toMatch(/^Los equipos estándar/);
  });
});

describe('Spanish comparisons', () => {
  it('generates the difference between classes in Spanish', () => {
    const cmp = compareResponseCodes(100, 410, 'es');
    expect(cmp.differenceSource).toBe('generated');
    expect(cmp.difference).toContain('una respuesta provisional (1xx)');
    expect(cmp.difference).toContain('una respuesta de fallo del cliente (4xx)');
    expect(cmp.difference).toContain('El 100 no es final');
    expect(cmp.difference).toContain(lookupResponseCode(410, 'es').summary);
    expectSpanish(cmp.difference, '100 vs 410');
  });

  it('generates same-class and same-code differences in Spanish', () => {
    expect(compareResponseCodes(402, 470, 'es').difference).toMatch(/^Ambos códigos son respuestas de fallo del cliente \(4xx\)/);
    expect(compareResponseCodes(200, 200, 'es').difference).toMatch(/^Es el mismo código, 200 \(OK\)/);
  });

  it("takes the difference from the Spanish confusedWith lists, as in English", () => {
    for (const [a, b] of [
      [486, 600],
      [503, 429],
      [499, 400],
      [100, 410],
      [480, 486],
    ] as const) {
      const en = compareResponseCodes(a, b);
      const es = compareResponseCodes(a, b, 'es');
      expect(es.differenceSource, `${a} vs ${b}`).toBe(en.differenceSource);
      expect(es.sameClass).toBe(en.sameClass);
      expect(es.difference).not.toBe(en.difference);
      expectSpanish(es.difference, `${a} vs ${b}`);
    }
    expect(compareResponseCodes(486, 600, 'es').difference).toBe(
      spanishByCode.get(486)!.confusedWith.find((c) => c.code === 600)!.difference,
    );
  });
});

describe('Spanish method and context notes', () => {
  it('has a Spanish note for every method, and no other', () => {
    expect(Object.keys(METHOD_NOTES_BY_LANG.es).sort()).toEqual(Object.keys(METHOD_NOTES).sort());
  });

  it.each(Object.keys(METHOD_NOTES))('%s has a Spanish note', (method) => {
    const es = methodNote(method, 'es');
    expectSpanish(es, method);
    expect(es).not.toBe(METHOD_NOTES[method]);
  });

  it('has a Spanish note for extension methods', () => {
    expect(methodNote('FOO', 'es')).toBe(UNKNOWN_METHOD_NOTES.es);
    expectSpanish(UNKNOWN_METHOD_NOTES.es, 'unknown method');
    expect(UNKNOWN_METHOD_NOTES.es).not.toBe(UNKNOWN_METHOD_NOTES.en);
  });

  it('never returns an Object.prototype member for a method token', () => {
    for (const lang of LANGS) {
      for (const token of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
        expect(methodNote(token, lang)).toBe(UNKNOWN_METHOD_NOTES[lang]);
      }
    }
  });

  it('has a Spanish context note for every English one, and no other', () => {
    expect(Object.keys(RESPONSE_IN_CONTEXT_BY_LANG.es).sort()).toEqual(Object.keys(RESPONSE_IN_CONTEXT).sort());
  });

  it.each(Object.keys(RESPONSE_IN_CONTEXT))('"%s" has a Spanish context note', (key) => {
    const [status, method] = key.split(' ') as [string, string];
    const es = responseNoteInContext(Number(status), method, 'es');
    expectSpanish(es ?? '', key);
    expect(es).not.toBe(RESPONSE_IN_CONTEXT[key]);
  });

  it('has Spanish timeline notes', () => {
    for (const [key, value] of Object.entries(TIMELINE_NOTES.es)) {
      const text = typeof value === 'function' ? value('#12') : value;
      const en = TIMELINE_NOTES.en[key as keyof typeof TIMELINE_NOTES.en];
      expectSpanish(text, key);
      expect(text).not.toBe(typeof en === 'function' ? en('#12') : en);
    }
    expect(Object.keys(TIMELINE_NOTES.es).sort()).toEqual(Object.keys(TIMELINE_NOTES.en).sort());
  });
});

describe('English stays the default and unchanged', () => {
  it('returns the English registry entries when no language is given', () => {
    expect(lookupResponseCode(486)).toBe(RESPONSE_CODES.get(486));
    expect(lookupResponseCode(486, 'en')).toBe(RESPONSE_CODES.get(486));
    expect(responseCodes()).toBe(RESPONSE_CODES);
    expect(responseClasses()).toBe(RESPONSE_CLASSES);
    for (const info of RESPONSE_CODES.values()) expect('gloss' in info, String(info.code)).toBe(false);
    expect('gloss' in lookupResponseCode(499)).toBe(false);
  });

  it('keeps the English notes', () => {
    expect(methodNote('BYE')).toBe('ends the call');
    expect(methodNote('FOO')).toBe('extension method (not defined in the core SIP specifications)');
    expect(responseNoteInContext(200, 'INVITE')).toBe('the call is answered; the caller must ACK this 200');
    expect(compareResponseCodes(100, 410)).toEqual(compareResponseCodes(100, 410, 'en'));
  });
});

describe('the timeline in Spanish', () => {
  it('writes every note in the language asked for, English by default', async () => {
    const result = await analyze([join(REPO_ROOT, 'samples', 'demo.pcap')]);
    const en = buildTimeline(result);
    const es = buildTimeline(result, 'es');
    expect(buildTimeline(result, 'en')).toEqual(en);
    expect(es.calls.length).toBe(en.calls.length);
    let notes = 0;
    en.calls.forEach((call, i) => {
      call.messages.forEach((m, j) => {
        const note = es.calls[i]!.messages[j]!.note;
        expect(note, `call ${call.number} message ${j}: ${m.note}`).not.toBe(m.note);
        expectSpanish(note, `call ${call.number} message ${j}`);
        expect({ ...es.calls[i]!.messages[j]!, note: m.note }).toEqual(m);
        notes++;
      });
    });
    expect(notes).toBeGreaterThan(0);
    const requests = es.calls.flatMap((c) => c.messages).filter((m) => m.method === 'INVITE' && !m.retransmission);
    expect(requests[0]?.note).toBe(methodNote('INVITE', 'es'));
  });
});
