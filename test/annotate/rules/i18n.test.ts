/**
 * English and Spanish for the rules: every rule has a complete Spanish translation (every text,
 * the same message ids, the same {placeholders}, every option), none of it a copy of the
 * English; the words rules put into their data read in Spanish in Spanish findings while the
 * data itself stays as machines read it; and a real capture analysed with lang 'es' gives
 * Spanish findings and the same data as in English.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkCall } from '../../../src/annotate/engine.js';
import { localizeData, ruleTexts, showFinding } from '../../../src/present/findings.js';
import { buildTimeline } from '../../../src/present/timeline.js';
import { RULES, type AnyRule } from '../../../src/annotate/rules/index.js';
import { Q850_CAUSES, Q850_CAUSES_ES, WARN_CODES, WARN_CODES_ES, meaningsEs, q850Meaning, warnCodeMeaning } from '../../../src/annotate/rules/lib/q850.js';
import { mediaHints } from '../../../src/annotate/rules/media-hints.js';
import { reasonAndWarning } from '../../../src/annotate/rules/reason-and-warning.js';
import type { RuleTexts } from '../../../src/annotate/rules/types.js';
import { analyze } from '../../../src/index.js';
import { correlate } from '../../../src/parse/dialog/correlate.js';
import type { CapturedMessage } from '../../../src/types.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const DEMO = join(REPO_ROOT, 'samples', 'demo.pcap');

/**
 * English function words that Spanish prose never uses (as in test/annotate/codes/i18n.test.ts).
 * Quoted protocol text and hyphenated protocol tokens are removed first; case-sensitive, so
 * header names such as To and From do not count.
 */
const ENGLISH_WORDS = /\b(the|and|is|are|was|with|when|which|this|that|from|not|of|to|for|it|be|by|will|should|must|only|The|This|When|If|It)\b/;
/** Spanish words nearly every Spanish sentence has. */
const SPANISH_WORDS = /\b(el|la|los|las|de|del|que|en|un|una|se|y|o|no|es|por|para|con)\b/i;

function unquoted(text: string): string {
  return text
    .replace(/«[^»]*»/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^{}]*\}/g, '')
    .replace(/[\w.]+(?:-[\w.]+)+/g, '');
}

function expectSpanish(text: string, where: string): void {
  expect(text.trim(), `${where} is empty`).not.toBe('');
  expect(unquoted(text), `${where} has English words: ${text}`).not.toMatch(ENGLISH_WORDS);
  if (text.length > 30) expect(text, `${where} does not read as Spanish: ${text}`).toMatch(SPANISH_WORDS);
}

/** The {placeholders} of a template, as a sorted set. */
function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!))].sort();
}

/** RFC numbers, sections and ITU-T recommendations a citation names, in order. */
function citations(rfc: string): string[] {
  return [...rfc.matchAll(/RFC \d+|§[\d.]*\d|Q\.\d+/g)].map((m) => m[0]);
}

/** Lower-case words of an English citation that are protocol tokens, not prose to translate. */
const CITATION_TOKENS = new Set(['stale', 'rport', 'outbound', 'received']);

function englishOptions(rule: AnyRule): Record<string, { description: string }> {
  return rule.meta.options as Record<string, { description: string }>;
}

function spanish(rule: AnyRule): RuleTexts {
  const es = rule.meta.translations?.es;
  if (es === undefined) throw new Error(`${rule.meta.id} has no Spanish translation`);
  return es;
}

const ruleCases = RULES.map((r) => [r.meta.id, r] as const);

describe('Spanish rule texts', () => {
  it('covers every registered rule', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(30);
    expect(RULES.filter((r) => r.meta.translations?.es === undefined).map((r) => r.meta.id)).toEqual([]);
  });

  it.each(ruleCases)('%s: every text exists, reads as Spanish and is not the English one', (id, rule) => {
    const es = spanish(rule);
    for (const field of ['description', 'evidence', 'explanation', 'fix'] as const) {
      expect(typeof es[field], `${id}.${field}`).toBe('string');
      expectSpanish(es[field], `${id}.${field}`);
      expect(es[field].trim(), `${id}.${field} is a copy of the English`).not.toBe(rule.meta[field].trim());
    }
    for (const field of ['explanations', 'fixes'] as const) {
      for (const [messageId, text] of Object.entries(es[field] ?? {})) {
        expectSpanish(text, `${id}.${field}.${messageId}`);
        expect(text.trim(), `${id}.${field}.${messageId} is a copy of the English`).not.toBe(rule.meta[field]?.[messageId]?.trim());
      }
    }
  });

  it.each(ruleCases)('%s: explanation, fix, description and evidence use the English placeholders', (id, rule) => {
    const es = spanish(rule);
    for (const field of ['description', 'evidence', 'explanation', 'fix'] as const) {
      expect(placeholders(es[field]), `${id}.${field}`).toEqual(placeholders(rule.meta[field]));
    }
  });

  it.each(ruleCases)('%s: has the same message ids, each with the same placeholders', (id, rule) => {
    const es = spanish(rule);
    expect(Object.keys(es.messages).sort(), `${id} message ids`).toEqual(Object.keys(rule.meta.messages).sort());
    for (const [messageId, english] of Object.entries(rule.meta.messages)) {
      const text = es.messages[messageId]!;
      expectSpanish(text, `${id} message ${messageId}`);
      expect(text.trim(), `${id} message ${messageId} is a copy of the English`).not.toBe(english.trim());
      expect(placeholders(text), `${id} message ${messageId}`).toEqual(placeholders(english));
    }
  });

  it.each(ruleCases)('%s: describes every option, and no other', (id, rule) => {
    const es = spanish(rule);
    const english = englishOptions(rule);
    expect(Object.keys(es.options).sort(), `${id} options`).toEqual(Object.keys(english).sort());
    for (const [name, option] of Object.entries(english)) {
      const text = es.options[name]!;
      expectSpanish(text, `${id} option ${name}`);
      expect(text.trim(), `${id} option ${name} is a copy of the English`).not.toBe(option.description.trim());
    }
  });

  it.each(ruleCases)('%s: cites the same references, with their words translated', (id, rule) => {
    const es = spanish(rule);
    expect(typeof es.rfc, `${id}.rfc`).toBe('string');
    const rfc = es.rfc!;
    expect(citations(rfc), `${id}.rfc`).toEqual(citations(rule.meta.rfc));
    expect(unquoted(rfc), `${id}.rfc has English words: ${rfc}`).not.toMatch(ENGLISH_WORDS);
    const words = (rule.meta.rfc.match(/\b[a-z]{2,}\b/g) ?? []).filter((w) => !CITATION_TOKENS.has(w));
    if (words.length > 0) expect(rfc, `${id}.rfc has words to translate (${words.join(', ')})`).not.toBe(rule.meta.rfc);
  });

  it.each(ruleCases)('%s: translates data values only for placeholders its texts use', (id, rule) => {
    const values = spanish(rule).values ?? {};
    const used = new Set([rule.meta.explanation, rule.meta.fix, ...Object.values(rule.meta.messages)].flatMap(placeholders));
    for (const [name, words] of Object.entries(values)) {
      expect(used.has(name), `${id} translates values of {${name}}, which no English text uses`).toBe(true);
      for (const [english, text] of Object.entries(words)) {
        expect(text.trim(), `${id} {${name}} "${english}"`).not.toBe('');
        expect(text, `${id} {${name}} "${english}" is not translated`).not.toBe(english);
        expect(unquoted(text), `${id} {${name}} "${english}" has English words: ${text}`).not.toMatch(ENGLISH_WORDS);
      }
    }
  });

  it('keeps English as it is: English texts are the meta, and no value is rewritten', () => {
    for (const rule of RULES) {
      const en = ruleTexts(rule, 'en');
      expect(en).toEqual({
        description: rule.meta.description,
        evidence: rule.meta.evidence,
        explanation: rule.meta.explanation,
        explanations: rule.meta.explanations ?? {},
        fix: rule.meta.fix,
        fixes: rule.meta.fixes ?? {},
        messages: rule.meta.messages,
        rfc: rule.meta.rfc,
        values: {},
      });
      expect(ruleTexts(rule)).toEqual(en);
    }
  });

  it('gives the Spanish texts for lang es', () => {
    for (const rule of RULES) {
      const es = ruleTexts(rule, 'es');
      const tr = spanish(rule);
      expect(es.description).toBe(tr.description);
      expect(es.messages).toEqual(tr.messages);
      expect(es.rfc).toBe(tr.rfc);
    }
  });
});

describe('data values in Spanish sentences', () => {
  it('replaces only the values a table names, and returns the same data when nothing changes', () => {
    const data = { role: 'offer', direction: 'a=sendonly', count: 3 };
    expect(localizeData(data, { role: { offer: 'oferta' } })).toEqual({ role: 'oferta', direction: 'a=sendonly', count: 3 });
    expect(data.role).toBe('offer');
    expect(localizeData(data, {})).toBe(data);
    expect(localizeData(data, { role: { answer: 'respuesta' } })).toBe(data);
    // Numbers are never looked up, and Object.prototype names are not values of a table.
    expect(localizeData({ count: 3, x: 'toString' }, { count: { '3': 'tres' }, x: {} })).toEqual({ count: 3, x: 'toString' });
  });

  it('has a Spanish meaning for every Q.850 cause and warn-code', () => {
    expect([...Q850_CAUSES_ES.keys()]).toEqual([...Q850_CAUSES.keys()]);
    expect([...WARN_CODES_ES.keys()]).toEqual([...WARN_CODES.keys()]);
    for (const [cause, english] of Q850_CAUSES) {
      const text = Q850_CAUSES_ES.get(cause)!;
      expect(text, `Q.850 cause ${cause}`).not.toBe(english);
      expectSpanish(text, `Q.850 cause ${cause}`);
    }
    for (const [code, english] of WARN_CODES) {
      const text = WARN_CODES_ES.get(code)!;
      expect(text, `warn-code ${code}`).not.toBe(english);
      expectSpanish(text, `warn-code ${code}`);
    }
    const meanings = meaningsEs();
    for (const english of [q850Meaning(17), q850Meaning(200), warnCodeMeaning(null), warnCodeMeaning(305), warnCodeMeaning(398)]) {
      expect(meanings[english], english).toBeDefined();
      expect(meanings[english]).not.toBe(english);
    }
  });

  beforeEach(resetCatalogFrames);

  function findings(rule: AnyRule, messages: CapturedMessage[], lang: 'en' | 'es') {
    return correlate(messages).flatMap((call) => checkCall(call, call.end, {}, [rule]).map((f) => showFinding(f, lang)));
  }

  it('shows a Q.850 cause and a warn-code with their Spanish meaning, the data keeping the English one', () => {
    const invite = req('INVITE', 1, 0);
    const messages = [invite, res(invite, '486 Busy Here', 5, ['Reason: Q.850;cause=17;text="User busy"', 'Warning: 305 gw.example.com "Incompatible media format"'])];
    const en = findings(reasonAndWarning, messages, 'en');
    const es = findings(reasonAndWarning, messages, 'es');
    expect(es.map((f) => f.data)).toEqual(en.map((f) => f.data));
    expect(en.map((f) => f.message)).toEqual([
      '486 Busy Here from 10.0.0.3:5060 gives Q.850 cause 17: user busy ("User busy").',
      '486 Busy Here from 10.0.0.3:5060 carries Warning 305 from gw.example.com (incompatible media format): "Incompatible media format".',
    ]);
    expect(es.map((f) => f.message)).toEqual([
      'El 486 Busy Here de 10.0.0.3:5060 da la causa Q.850 17: usuario ocupado ("User busy").',
      'El 486 Busy Here de 10.0.0.3:5060 lleva Warning 305 de gw.example.com (formato de medio incompatible): «Incompatible media format».',
    ]);
    expect(es[0]!.data['meaning']).toBe('user busy');
    expect(es[0]!.rfc).toBe(spanish(reasonAndWarning).rfc);
    expect(en[0]!.rfc).toBe(reasonAndWarning.meta.rfc);
  });

  it('names the SDP role in Spanish', () => {
    const sdp = ['v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 'c=IN IP4 10.0.0.1', 't=0 0', 'm=audio 4000 RTP/AVP 0', 'a=sendonly', ''].join('\r\n');
    const invite = req('INVITE', 1, 0, { body: sdp });
    const en = findings(mediaHints, [invite], 'en');
    const es = findings(mediaHints, [invite], 'es');
    expect(en.map((f) => [f.messageId, f.data['role'], f.message])).toEqual([['one-way', 'offer', 'The offer of a new call asks for a=sendonly: audio can flow only one way, or not at all.']]);
    expect(es.map((f) => [f.messageId, f.data['role'], f.message])).toEqual([['one-way', 'offer', 'La oferta de una llamada nueva pide a=sendonly: el audio solo puede fluir en un sentido, o no fluir.']]);
  });

  it('reports a rule that throws in Spanish too', () => {
    const broken: AnyRule = {
      meta: { ...mediaHints.meta, id: 'broken' },
      check() {
        throw new Error('boom');
      },
    };
    const [en] = findings(broken, [req('INVITE', 1, 0)], 'en');
    const [es] = findings(broken, [req('INVITE', 1, 0)], 'es');
    expect(en!.message).toBe('siplens bug: rule broken failed on this call (boom); please report it with the capture.');
    expect(es!.messageId).toBe('siplens-bug');
    expect(es!.data).toEqual(en!.data);
    for (const text of [es!.message, es!.explanation, es!.fix]) expectSpanish(text, 'siplens-bug');
    expect(es!.message).toContain('broken');
    expect(es!.message).toContain('boom');
  });
});

describe('a capture analysed in Spanish', () => {
  it('gives Spanish findings with the same data as in English, and English by default', async () => {
    const result = await analyze([DEMO]);
    const [en, es, byDefault] = [buildTimeline(result, 'en'), buildTimeline(result, 'es'), buildTimeline(result)];
    const all = (t: typeof en) => t.calls.flatMap((c) => c.findings);
    const enFindings = all(en);
    const esFindings = all(es);
    expect(enFindings.length).toBeGreaterThan(0);
    expect(all(byDefault)).toEqual(enFindings);
    expect(esFindings.map((f) => [f.rule, f.messageId, f.severity, f.data, f.frames])).toEqual(enFindings.map((f) => [f.rule, f.messageId, f.severity, f.data, f.frames]));
    esFindings.forEach((f, i) => {
      const english = enFindings[i]!;
      for (const field of ['message', 'explanation', 'fix'] as const) {
        expect(f[field], `${f.rule} ${f.messageId} ${field}`).not.toBe(english[field]);
        expectSpanish(f[field], `${f.rule} ${f.messageId} ${field}`);
        expect(f[field], `${f.rule} ${f.messageId} ${field} left a placeholder`).not.toMatch(/\{[A-Za-z]+\}/);
      }
    });

    const stuck = esFindings.find((f) => f.rule === 'stuck-on-100-trying');
    expect(stuck?.message).toBe('El INVITE recibió 100 Trying tras 18 ms y nada más durante 12.4 s, hasta que el llamante canceló.');
    // The word in the data stays English for machines; the Spanish sentence says it in Spanish.
    const gone = esFindings.find((f) => f.rule === 'gone-410');
    expect(gone?.data['uriKind']).toBe('address-of-record');
    expect(gone?.message).toBe('El REGISTER para sip:dave@example.com recibió 410 Gone de 192.0.2.1:5060: esa dirección de registro ya no existe.');
    expect(gone?.explanation).toContain('sip:dave@example.com (dirección de registro)');
  });
});

describe('per-message explanations', () => {
  it("gives a finding its message id's own explanation and fix, and the rule's to the others", () => {
    const rule = RULES.find((r) => r.meta.id === 'malformed-message')!;
    const base = { rule: 'malformed-message', severity: 'error' as const, data: { sender: '192.0.2.1:5060', what: 'INVITE', value: 'x', count: 1, headers: 'Via' }, messages: [0], anchor: 0, frames: [1], lines: [], time: { sec: 0, nsec: 0 } };
    for (const lang of ['en', 'es'] as const) {
      const texts = ruleTexts(rule, lang);
      const own = showFinding({ ...base, messageId: 'content-length-invalid' }, lang);
      expect(own.explanation).toBe(texts.explanations!['content-length-invalid']);
      expect(own.explanation).not.toBe(texts.explanation);
      expect(own.fix).toContain('192.0.2.1:5060');
      expect(own.fix).not.toBe(showFinding({ ...base, messageId: 'missing-headers' }, lang).fix);
    }
    const fallback = RULES.find((r) => r.meta.explanations === undefined)!;
    const messageId = Object.keys(fallback.meta.messages)[0]!;
    expect(showFinding({ ...base, rule: fallback.meta.id, messageId, data: {} }, 'en').explanation).toBe(fallback.meta.explanation);
  });
});

describe('per-message explanations and fixes', () => {
  it.each(['explanations', 'fixes'] as const)('every one of %s exists in both languages, for a message id the rule has, with the same placeholders', (field) => {
    const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const rule of RULES) {
      const en = rule.meta[field] ?? {};
      const es = rule.meta.translations?.es?.[field] ?? {};
      expect(Object.keys(es).sort(), rule.meta.id).toEqual(Object.keys(en).sort());
      for (const [id, text] of Object.entries(en)) {
        expect(Object.keys(rule.meta.messages), `${rule.meta.id}.${id}`).toContain(id);
        expect(placeholders(es[id]!), `${rule.meta.id}.${id}`).toEqual(placeholders(text));
      }
    }
  });
});
