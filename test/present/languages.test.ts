/**
 * Every output in every language of LANGS: each analysis format of ANALYSIS_FORMATS, the
 * statistics, `siplens check`, `siplens messages`, `siplens explain` and `siplens rules`, and
 * the progress line, for captures with findings, B2BUA legs, a partial call and diagnostics. It fails when an
 * output in another language still carries a phrase of the English catalogs (an untranslated
 * string), when a `{placeholder}` is left or a catalog function drops one of its arguments, and
 * when a catalog word is left in English. TypeScript already refuses a catalog whose Spanish
 * shape differs from the English one.
 */
import { statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { LANGS, type Lang } from '../../src/annotate/i18n.js';
import { RULES } from '../../src/annotate/rules/index.js';
import { ANALYSIS_FORMATS, type AnalysisFormat } from '../../src/cli/options.js';
import { Progress } from '../../src/cli/progress.js';
import { DIAGNOSTICS, type DiagnosticCode } from '../../src/diagnostics.js';
import { evaluatePolicy, parsePolicy } from '../../src/present/policy.js';
import { renderCheckJson, renderCheckText } from '../../src/present/render/check.js';
import { renderCsv } from '../../src/present/render/csv.js';
import { explainTopic, renderCodeText, renderComparisonText, renderDiagnosticText, renderRulesText, renderRuleText } from '../../src/present/render/explain.js';
import { renderGithub } from '../../src/present/render/github.js';
import { renderHtml } from '../../src/present/render/html.js';
import { reportScript } from '../../src/present/render/html-assets.js';
import { renderJson } from '../../src/present/render/json.js';
import { renderJunit } from '../../src/present/render/junit.js';
import { renderLadder } from '../../src/present/render/ladder.js';
import { renderMarkdown } from '../../src/present/render/markdown.js';
import { renderMermaid } from '../../src/present/render/mermaid.js';
import { renderMessagesText } from '../../src/present/render/messages.js';
import { renderNdjson } from '../../src/present/render/ndjson.js';
import { renderStatisticsText } from '../../src/present/render/stats.js';
import { renderText } from '../../src/present/render/text.js';
import { computeStatistics } from '../../src/present/stats.js';
import { buildTimeline } from '../../src/present/timeline.js';
import type { AnalysisResult } from '../../src/analysis/types.js';
import '../../src/present/catalog.js';
import '../../src/present/help.js';
import { defineWords, registeredWords, type Words } from '../../src/present/words.js';
import { withoutAssets } from '../support/reports.js';

const CAPTURES = ['samples/demo.pcap', 'fixtures/synthetic/b2bua-legs.pcap', 'fixtures/synthetic/odd-sip.pcap', 'fixtures/real/sipp-capture-mid-call.pcap'] as const;

/** A policy with every kind of check, passing and failing (with details), so check output shows them all. */
const POLICY = [
  'fail-on: warning',
  'allow: [gone-410]',
  'forbid: [stuck-on-100-trying]',
  'expect:',
  '  calls: { min: 1, max: 10 }',
  '  answered: { min: 90% }',
  '  post-dial-delay: { p95: 50ms }',
  '  setup-time: { max: 3s }',
  '  max-final-status: 486',
  '  invite-answered-within: 2s',
].join('\n');

/**
 * Words that are the same in Spanish and English, by catalog and path: protocol and unit
 * tokens, and words Spanish borrows as they are.
 */
const SAME_IN_BOTH: Readonly<Record<string, readonly string[]>> = {
  common: ['severity.error'],
  inputs: ['byte'],
  stats: ['columns.p95'],
  report: ['columns.callId'],
  csv: ['callId'],
  'html-script': ['sdp.u'],
  media: ['jitter', 'columns.ssrc', 'columns.mos'],
  // The XR cell's R factor, MOS-LQ and MOS-CQ: the names RFC 3611 §4.7.5 and ITU-T P.800 give them.
  'media-report': ['html.xrDetail.2', 'html.xrDetail.3', 'html.xrDetail.4'],
};

/**
 * Catalogs whose functions take a diagnostic's typed values rather than numbers and words: the
 * diagnostics' sentences, checked with a sample of every shape of values in
 * test/present/diagnostics.test.ts.
 */
const TYPED_VALUES = new Set(['diagnostics']);

/** The catalogs whose functions this file can call with sample numbers. */
const plainCatalogs = (): [string, Words<unknown>][] => [...registeredWords()].filter(([name]) => !TYPED_VALUES.has(name));

/** Sample arguments of a catalog function: distinct numbers, so each one can be found in what it writes. */
const SAMPLES = [0, 1, 7];
const argumentsFor = (n: number, count: number): number[] => Array.from({ length: count }, (_, i) => n + 1000 * i);

/** Every leaf of a catalog as [path, text]: strings as they are, functions called with sample arguments. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    return SAMPLES.flatMap((n) => leaves(fn(...argumentsFor(n, fn.length)), `${path}(${n})`));
  }
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  throw new Error(`${path}: not a word (${typeof value})`);
}

/** Every function of a catalog, by path. */
function functions(value: unknown, path = ''): [string, (...args: unknown[]) => unknown][] {
  if (typeof value === 'function') return [[path, value as (...args: unknown[]) => unknown]];
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => functions(v, path ? `${path}.${k}` : k));
  return [];
}

/** The pieces of a catalog text between its arguments and punctuation: the words a reader sees. */
function fragments(text: string): string[] {
  return text
    .split(/\d+|[·—:;,()[\]…✔✖=≤≥→%"]|\s-\s/)
    .map((f) => f.trim().replace(/\.$/, ''))
    .filter((f) => /\p{L}{3}/u.test(f));
}

/**
 * The phrases a catalog text shows: its fragments of two words or more, and a word that is the
 * whole text (a label such as "Summary"). A single word inside a sentence ("Request" of
 * "Request → first response") is also a protocol word ("487 Request Terminated"), so it is left out.
 */
function phrases(text: string): string[] {
  const all = fragments(text);
  return all.filter((f) => f.includes(' ') || all.length === 1);
}

/**
 * The English catalogs' phrases that no other language shares: any of them in an output in
 * another language is a string left untranslated.
 */
function englishOnlyPhrases(): string[] {
  const english = new Set<string>();
  const others = new Set<string>();
  for (const [, words] of plainCatalogs()) {
    for (const [, text] of leaves(words.en)) for (const f of phrases(text)) english.add(f);
    for (const lang of LANGS) if (lang !== 'en') for (const [, text] of leaves(words[lang])) for (const f of fragments(text)) others.add(f);
  }
  return [...english].filter((f) => !others.has(f));
}

/** Where `phrase` stands as words of its own (not inside an id such as demo-call-1, sip:call@host or example.com). */
function phrasePattern(phrase: string): RegExp {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_\\-/@.:])${escaped}(?![\\p{L}\\p{N}_\\-/@]|\\.[\\p{L}\\p{N}]|:[^\\s*])`, 'u');
}

/** What a reader of the HTML sees: text nodes and the labels of controls, not markup, ids, classes or the data block. */
function htmlReadable(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, (tag) => ` ${[...tag.matchAll(/\s(?:aria-label|placeholder|title)="([^"]*)"/g)].map((m) => m[1]).join(' ')} `);
}

/** What a reader of the JUnit XML sees: test names, failure messages and the text inside; not property names or attributes. */
function junitReadable(xml: string): string {
  return xml.replace(/<property [^>]*>/g, '').replace(/<[^>]*>/g, (tag) => ` ${[...tag.matchAll(/\s(?:name|message)="([^"]*)"/g)].map((m) => m[1]).join(' ')} `);
}

/** Check ids ("findings: ...", "(findings, answered)") are written as the policy names them, in every language. */
const CHECK_ID = /(?<![\w-])(?:findings|calls|answered|forbid:[\w-]+|post-dial-delay\.\w+|setup-time\.\w+|max-final-status|invite-answered-within)(?=[:,)])/g;

/**
 * A line that shows an input diagnostic. Diagnostic sentences come from the diagnostics as data
 * (src/diagnostics.ts, src/present/diagnostics.ts), translated there, not from these catalogs;
 * the line is left out here so this check stays about the catalogs' words.
 */
const DIAGNOSTIC_LINE = new RegExp(`^.*(?<![\\w.-])(?:${Object.keys(DIAGNOSTICS).map((c) => c.replace(/\./g, '\\.')).join('|')})(?![\\w.-]).*$`, 'gm');

/** The {placeholders} in a text, sorted, each once. */
function placeholders(text: string): string[] {
  return [...new Set(text.match(/\{[A-Za-z][\w.-]*\}/g) ?? [])].sort();
}

type Outputs = Partial<Record<AnalysisFormat, string>> & Record<string, string>;

/** Every analysis format (ANALYSIS_FORMATS), the statistics, check and messages of one capture. */
function render(result: AnalysisResult, lang: Lang): Outputs {
  const timeline = buildTimeline(result, lang);
  const statistics = computeStatistics(timeline);
  const checks = evaluatePolicy(parsePolicy(POLICY), timeline, statistics);
  const formats: Record<AnalysisFormat, string> = {
    text: renderText(timeline, { color: false }),
    json: renderJson(timeline),
    ndjson: renderNdjson(timeline),
    csv: renderCsv(timeline),
    ladder: renderLadder(timeline, { width: 120, color: false }),
    html: renderHtml(timeline),
    markdown: renderMarkdown(timeline, { statistics }),
    mermaid: renderMermaid(timeline, { maxMessages: 2 }),
    junit: renderJunit(timeline, { failOn: 'warning', checks }),
    github: renderGithub(timeline, { failOn: 'error', checks }),
  };
  return {
    ...formats,
    'ladder (narrow)': renderLadder(timeline, { width: 40, color: false }),
    stats: renderStatisticsText(statistics, lang),
    check: renderCheckText(checks, { color: false, source: 'policy.yaml', lang }),
    'check (json)': renderCheckJson(checks, 'policy.yaml'),
    messages: renderMessagesText({ inputs: result.inputs, messages: result.messages }, lang),
  };
}

/** `siplens rules` and `siplens explain` of every rule, a few codes, a comparison and a few diagnostics. */
function renderExplain(lang: Lang): Outputs {
  const diagnostics = (Object.keys(DIAGNOSTICS) as DiagnosticCode[]).slice(0, 5);
  return {
    rules: renderRulesText(RULES, lang),
    ...Object.fromEntries(RULES.map((r) => [`explain ${r.meta.id}`, renderRuleText(r, lang)])),
    ...Object.fromEntries(
      ['100', '410', '486', '503'].map((code) => {
        const topic = explainTopic(code, lang);
        if (topic?.kind !== 'code') throw new Error(`${code} is not a code`);
        return [`explain ${code}`, renderCodeText(topic.info, lang)];
      }),
    ),
    'explain 404 410': renderComparisonText(404, 410, lang),
    ...Object.fromEntries(diagnostics.map((code) => [`explain ${code}`, renderDiagnosticText(code, DIAGNOSTICS[code], lang)])),
  };
}

/** The progress line as drawn on a terminal: with a size (a file) and without (stdin). */
function renderProgress(lang: Lang): Outputs {
  const writes: string[] = [];
  const stream = { isTTY: true, columns: 100, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  new Progress(['samples/demo.pcap'], lang, stream).onBytes(0, statSync('samples/demo.pcap').size);
  new Progress([{ name: '-', stream: process.stdin }], lang, stream).onBytes(0, 2_500_000);
  return { progress: writes.join('\n') };
}

/**
 * The lines `siplens explain` and `siplens rules` write in the catalogs' words: headings and
 * section titles, not the indented texts of the knowledge base and the rules (their translations
 * are checked by test/annotate/rules/i18n.test.ts), nor a rule, message or option id at the start
 * of a line or a parenthesis such as "RFC 5626 (outbound)". A diagnostic's description is
 * src/diagnostics.ts's, in English for now: only its heading is checked.
 */
function explainReadable(format: string, text: string): string {
  const code = format.slice('explain '.length);
  const lines = Object.hasOwn(DIAGNOSTICS, code) ? [text.split('\n')[0]!.replace(code, '')] : text.split('\n').filter((line) => !line.startsWith('  '));
  return lines
    .map((line) => line.replace(/\([^)]*\)/g, '').replace(/^[\w.-]+(?=[:( ])/, ''))
    .join('\n');
}

/** What an output shows a reader in its own words (data formats keep English keys and ids by design). */
function readable(format: string, text: string): string | null {
  if (format === 'json' || format === 'ndjson' || format === 'check (json)') return null;
  if (format === 'csv') return text.split('\r\n')[0]!;
  if (format === 'rules' || format.startsWith('explain ')) return explainReadable(format, text);
  const shown = format === 'html' ? htmlReadable(text) : format === 'junit' ? junitReadable(text) : format === 'github' ? text.replace(/^::\w+ [^:]*?(?=title=)/gm, '') : text;
  return shown.replace(DIAGNOSTIC_LINE, '').replace(CHECK_ID, '');
}

const outputs = new Map<string, Map<Lang, Outputs>>();

beforeAll(async () => {
  for (const path of CAPTURES) {
    const result = await analyze([path]);
    outputs.set(path, new Map(LANGS.map((lang) => [lang, render(result, lang)])));
  }
  outputs.set('explain', new Map(LANGS.map((lang) => [lang, renderExplain(lang)])));
  outputs.set('progress', new Map(LANGS.map((lang) => [lang, renderProgress(lang)])));
});

describe('every output in every language', () => {
  it('covers every analysis format, and the fixtures show findings, legs and diagnostics', () => {
    for (const path of CAPTURES) expect(Object.keys(outputs.get(path)!.get('en')!)).toEqual(expect.arrayContaining([...ANALYSIS_FORMATS]));
    const en = outputs.get('fixtures/synthetic/b2bua-legs.pcap')!.get('en')!;
    expect(en.text).toContain('legs: call 1 (inbound)');
    expect(outputs.get('samples/demo.pcap')!.get('en')!.text).toContain('⚠ warning');
    expect(outputs.get('fixtures/synthetic/odd-sip.pcap')!.get('en')!.text).toContain('Diagnostics:');
    // Every kind of check, failing with details.
    expect(outputs.get('samples/demo.pcap')!.get('en')!.check).toContain('\n          call 2 (demo-call-2@192.0.2.10): INVITE #58 got 487 after 12.406 s (#64)\n');
  });

  for (const name of [...CAPTURES, 'explain', 'progress']) {
    for (const lang of LANGS) {
      it(`${name} in ${lang}: no {placeholder} left (the rule docs show the English ones), no undefined or NaN`, () => {
        const english = outputs.get(name)!.get('en')!;
        for (const [format, text] of Object.entries(outputs.get(name)!.get(lang)!)) {
          const shown = format === 'html' ? withoutAssets(text, lang) : text;
          // A rule's docs list its message templates: the same placeholders as in English, no other.
          const expected = format.startsWith('explain ') ? placeholders(english[format]!) : [];
          expect(placeholders(shown), format).toEqual(expected);
          expect(shown, format).not.toMatch(/undefined|\[object Object\]|NaN/);
        }
      });
    }
    it(`${name}: each output in another language differs from the English one`, () => {
      const en = outputs.get(name)!.get('en')!;
      for (const lang of LANGS.filter((l) => l !== 'en')) {
        const other = outputs.get(name)!.get(lang)!;
        for (const format of Object.keys(en)) expect(other[format], `${format} in ${lang}`).not.toBe(en[format]);
      }
    });
    it(`${name}: no output in another language carries a phrase of the English catalogs`, () => {
      const phrases = englishOnlyPhrases().map((p) => [p, phrasePattern(p)] as const);
      const untranslated: string[] = [];
      for (const lang of LANGS.filter((l) => l !== 'en')) {
        for (const [format, text] of Object.entries(outputs.get(name)!.get(lang)!)) {
          const shown = readable(format, text);
          if (shown === null) continue;
          for (const [phrase, pattern] of phrases) if (pattern.test(shown)) untranslated.push(`${lang} ${format}: "${phrase}"`);
        }
      }
      expect(untranslated).toEqual([]);
    });
  }

  it('the check finds an untranslated phrase, and not one inside an id', () => {
    const english = englishOnlyPhrases();
    expect(english).toEqual(expect.arrayContaining(['Summary', 'post-dial delay', 'Ladders and findings', 'SDP body', 'MB read', 'no final response above']));
    expect(english).not.toContain('Request');
    expect(phrasePattern('call').test('Llamada 1 · call · x')).toBe(true);
    expect(phrasePattern('call').test('demo-call-1@host sip:call@host call.example.com')).toBe(false);
    expect(phrasePattern('sip').test('<sip:bob@example.com> sip:+4940777888@pbx')).toBe(false);
    expect(phrasePattern('Summary').test('**Summary:** 3 calls')).toBe(true);
    expect(phrasePattern('Timing of INVITE calls').test(htmlReadable('<td>1</td></tr></table><h3>Timing of INVITE calls</h3>'))).toBe(true);
  });

  it("Spanish: the renderers' words in the Spanish outputs", () => {
    const es = outputs.get('fixtures/synthetic/b2bua-legs.pcap')!.get('es')!;
    expect(es.text).toContain('tramos: llamada 1 (entrante)');
    expect(es.text).toMatch(/^Resumen: 5 llamadas — 2 fallidas, 3 ocupadas · /m);
    expect(es.ladder).toMatch(/^Resumen: 5 llamadas/m);
    expect(es.stats).toMatch(/^Llamadas: 5 — por tipo: 5 llamadas · 20 mensajes$/m);
    expect(es.github).toMatch(/^siplens: 5 llamadas, \d+ con fallo según --fail-on error · hallazgos: /m);
    expect(es.junit).toContain('<testcase name="Llamada 1 llamada ');
    expect(es.mermaid).toMatch(/^%% Llamada 1: /m);
    expect(es.text).toContain('Llamada 2  out-1@192.0.2.1  llamada');
    expect(es.markdown).toContain('| 2 | fallida \\(503 Service Unavailable\\) | llamada · tramo de la llamada 1 |');
    expect(es.check).toMatch(/^Política policy\.yaml$/m);
    expect(es.check).toContain('answered: proporción de llamadas INVITE contestadas ≥ 90 % — 0 % (0 de 5)');
    expect(es.messages).toMatch(/— pcap, 20 tramas, 20 mensajes SIP$/m);
    expect(es.html).toContain('<html lang="es">');
    expect(es.html).toContain('<h3>Llamadas por resultado</h3>');
    expect(es.markdown).toMatch(/^\*\*Resumen:\*\* 5 llamadas — /m);
    expect(es.markdown).toMatch(/^## Estadísticas$/m);
    expect(es.csv!.split('\r\n')[0]).toBe(
      'llamada,call_id,tipo,origen,destino,resultado,codigo_estado,inicio,duracion_ms,retardo_post_marcacion_ms,establecimiento_ms,conversacion_ms,mensajes,retransmisiones,errores,avisos,informativos,reglas,archivo,parcial,grupo_tramos,papel_tramo,tramos',
    );
    // CSV values stay data: outcome and type ids as in JSON, whatever the language.
    expect(es.csv!.split('\r\n')[1]).toMatch(/^1,[^,]+,call,.*,failed,/);
    expect(outputs.get('explain')!.get('es')!['explain 410']).toContain('Cómo solucionarlo');
    expect(outputs.get('progress')!.get('es')!.progress).toMatch(/ % de [\d.]+ MB · \d+ mensajes? SIP\n\r\u001b\[2K2\.5 MB leídos · 0 mensajes SIP$/);
  });

  it('the HTML report carries the script of its language, with the hash of that script in its CSP', () => {
    for (const lang of LANGS) {
      const html = outputs.get('samples/demo.pcap')!.get(lang)!.html!;
      expect(html).toContain(`<script>${reportScript(lang)}</script>`);
      for (const other of LANGS.filter((l) => l !== lang)) expect(html).not.toContain(reportScript(other));
    }
    expect(reportScript('es')).toContain('"sdpBody":"Cuerpo SDP"');
  });
});

describe('the word catalogs', () => {
  it('are registered, each with every language', () => {
    const names = [...registeredWords().keys()];
    expect(names).toEqual(expect.arrayContaining(['common', 'text', 'inputs', 'diagram', 'stats', 'ci', 'check', 'report', 'html', 'html-script', 'csv', 'explain', 'progress', 'policy']));
    for (const [name, words] of registeredWords()) for (const lang of LANGS) expect(words[lang], `${name}.${lang}`).toBeTypeOf('object');
  });

  for (const [name, words] of plainCatalogs()) {
    it(`${name}: every language has the words English has, none left in English unless allowed, no placeholder`, () => {
      const en = new Map(leaves(words.en));
      for (const lang of LANGS) {
        const other = new Map(leaves(words[lang]));
        expect([...other.keys()], `${name}.${lang}`).toEqual([...en.keys()]);
        for (const [path, text] of other) expect(text, `${name}.${lang}.${path}`).not.toMatch(/\{[A-Za-z][\w.-]*\}/);
      }
      const es = new Map(leaves(words.es));
      const allowed = SAME_IN_BOTH[name] ?? [];
      const same = [...en].filter(([path, text]) => es.get(path) === text).map(([path]) => path.replace(/\(\d+\)/g, ''));
      expect([...new Set(same)].filter((p) => !allowed.includes(p)), `${name}: Spanish words identical to English`).toEqual([]);
      // The allow-list holds only words that really are the same.
      for (const p of allowed) expect(same, `${name}.${p} is allowed but differs`).toContain(p);
    });

    it(`${name}: every language writes every argument English writes (no placeholder dropped or mixed up)`, () => {
      const english = new Map(functions(words.en));
      for (const lang of LANGS) {
        for (const [path, fn] of functions(words[lang])) {
          // 7 is plural everywhere: a singular may say "la única comprobación" instead of its number.
          const args = argumentsFor(7, fn.length);
          const written = (f: (...a: unknown[]) => unknown): string => JSON.stringify(f(...args));
          for (const arg of args.map(String)) {
            if (!written(english.get(path)!).includes(arg)) continue;
            expect(written(fn), `${name}.${lang}.${path} drops ${arg}`).toContain(arg);
          }
        }
      }
    });
  }

  it('a catalog must give Spanish exactly the shape of English (checked by TypeScript)', () => {
    const make = (): void => {
      // @ts-expect-error a word missing from Spanish
      defineWords('test-missing', { en: { a: 'a', b: 'b' }, es: { a: 'x' } });
      // @ts-expect-error a word Spanish has and English lacks
      defineWords('test-extra', { en: { a: 'a' }, es: { a: 'x', b: 'y' } });
      // @ts-expect-error a function where English has a string
      defineWords('test-kind', { en: { a: 'a' }, es: { a: (n: number) => `${n}` } });
      // @ts-expect-error a function of other parameters
      defineWords('test-params', { en: { a: (n: number) => `${n}` }, es: { a: (s: string, t: string) => s + t } });
    };
    expect(make).toBeTypeOf('function');
    expect(() => defineWords('common', { en: {}, es: {} })).toThrow(/defined twice/);
  });
});
