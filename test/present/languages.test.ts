/**
 * Every format whose words come from the presentation catalogs (src/present/catalog.ts), in
 * every language of LANGS, for captures with findings, B2BUA legs and diagnostics: no
 * `{placeholder}` is left in any output, every word of a Spanish catalog differs from its
 * English one unless it is on the allow-list of words the two languages share, and the Spanish
 * output of each format differs from the English one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { LANGS, type Lang } from '../../src/annotate/i18n.js';
import { evaluatePolicy, parsePolicy } from '../../src/present/policy.js';
import { renderCheckText } from '../../src/present/render/check.js';
import { renderGithub } from '../../src/present/render/github.js';
import { renderJunit } from '../../src/present/render/junit.js';
import { renderLadder } from '../../src/present/render/ladder.js';
import { renderMermaid } from '../../src/present/render/mermaid.js';
import { renderMessagesText } from '../../src/present/render/messages.js';
import { renderStatisticsText } from '../../src/present/render/stats.js';
import { renderText } from '../../src/present/render/text.js';
import { computeStatistics } from '../../src/present/stats.js';
import { buildTimeline } from '../../src/present/timeline.js';
import type { AnalysisResult } from '../../src/analysis/types.js';
import '../../src/present/catalog.js';
import { defineWords, registeredWords } from '../../src/present/words.js';

const CAPTURES = ['samples/demo.pcap', 'fixtures/synthetic/b2bua-legs.pcap', 'fixtures/synthetic/odd-sip.pcap'] as const;

/** A policy with a passing and a failing check (with details), so check output shows both. */
const POLICY = 'fail-on: warning\nexpect: { calls: { min: 1 }, answered: { min: 90% } }';

/**
 * Words that are the same in Spanish and English, by catalog and path: protocol and unit
 * tokens, and words Spanish borrows as they are.
 */
const SAME_IN_BOTH: Readonly<Record<string, readonly string[]>> = {
  common: ['severity.error'],
  inputs: ['byte'],
  stats: ['columns.p95'],
};

/** Every leaf of a catalog as [path, text]: strings as they are, functions called with sample arguments. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    // Numbers 0, 1 and 7 cover singular and plural; a string parameter gets the number as text.
    return [0, 1, 7].flatMap((n) => leaves(fn(...Array.from({ length: fn.length }, (_, i) => n + i)), `${path}(${n})`));
  }
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  throw new Error(`${path}: not a word (${typeof value})`);
}

type Outputs = Record<string, string>;

function render(result: AnalysisResult, lang: Lang): Outputs {
  const timeline = buildTimeline(result, lang);
  const statistics = computeStatistics(timeline);
  const checks = evaluatePolicy(parsePolicy(POLICY), timeline, statistics);
  return {
    text: renderText(timeline, { color: false }),
    ladder: renderLadder(timeline, { width: 120, color: false }),
    'ladder (narrow)': renderLadder(timeline, { width: 40, color: false }),
    stats: renderStatisticsText(statistics, lang),
    junit: renderJunit(timeline, { failOn: 'warning', checks }),
    github: renderGithub(timeline, { failOn: 'error', checks }),
    mermaid: renderMermaid(timeline, { maxMessages: 2 }),
    check: renderCheckText(checks, { color: false, source: 'policy.yaml', lang }),
    messages: renderMessagesText({ inputs: result.inputs, messages: result.messages }, lang),
  };
}

const outputs = new Map<string, Map<Lang, Outputs>>();

beforeAll(async () => {
  for (const path of CAPTURES) {
    const result = await analyze([path]);
    outputs.set(path, new Map(LANGS.map((lang) => [lang, render(result, lang)])));
  }
});

describe('every format in every language', () => {
  it('the fixtures show findings, legs and diagnostics', () => {
    const en = outputs.get('fixtures/synthetic/b2bua-legs.pcap')!.get('en')!;
    expect(en.text).toContain('legs: call 1 (inbound)');
    expect(outputs.get('samples/demo.pcap')!.get('en')!.text).toContain('✖ error');
    expect(outputs.get('fixtures/synthetic/odd-sip.pcap')!.get('en')!.text).toContain('Diagnostics:');
  });

  for (const path of CAPTURES) {
    for (const lang of LANGS) {
      it(`${path} in ${lang}: no {placeholder} is left in any format`, () => {
        for (const [format, text] of Object.entries(outputs.get(path)!.get(lang)!)) {
          expect(text.match(/\{[A-Za-z][\w.-]*\}/g) ?? [], `${format}`).toEqual([]);
          expect(text, format).not.toMatch(/undefined|\[object Object\]|NaN/);
        }
      });
    }
    it(`${path}: each format's Spanish output differs from its English one`, () => {
      const en = outputs.get(path)!.get('en')!;
      const es = outputs.get(path)!.get('es')!;
      for (const format of Object.keys(en)) expect(es[format], format).not.toBe(en[format]);
    });
  }

  it("Spanish: the renderers' words in the Spanish text, not the English ones", () => {
    const es = outputs.get('fixtures/synthetic/b2bua-legs.pcap')!.get('es')!;
    expect(es.text).toContain('tramos: llamada 1 (entrante)');
    expect(es.text).toMatch(/^Resumen: 5 llamadas — 2 fallidas, 3 ocupadas · /m);
    expect(es.ladder).toMatch(/^Resumen: 5 llamadas/m);
    expect(es.stats).toMatch(/^Llamadas: 5 — por tipo: 5 llamadas · 20 mensajes$/m);
    expect(es.github).toMatch(/^siplens: 5 llamadas, \d+ con fallo según --fail-on error · hallazgos: /m);
    expect(es.junit).toContain('<testcase name="Llamada 1 llamada ');
    expect(es.mermaid).toMatch(/^%% Llamada 1: /m);
    expect(es.check).toMatch(/^Política policy\.yaml$/m);
    expect(es.messages).toMatch(/— pcap, 20 tramas, 20 mensajes SIP$/m);
    for (const [format, text] of Object.entries(es)) {
      // English phrases of the renderers that must not survive in a Spanish output.
      for (const english of ['Summary:', 'Diagnostics:', 'Why:', 'Fix:', 'See:', 'Outcomes:', ' frames, ', 'Call 1 ', 'failing at --fail-on', 'Policy ']) {
        expect(text, `${format}: "${english}"`).not.toContain(english);
      }
    }
  });
});

describe('the word catalogs', () => {
  it('are registered, each with every language', () => {
    const names = [...registeredWords().keys()];
    expect(names).toEqual(expect.arrayContaining(['common', 'text', 'inputs', 'diagram', 'stats', 'ci', 'check']));
    for (const [name, words] of registeredWords()) for (const lang of LANGS) expect(words[lang], `${name}.${lang}`).toBeTypeOf('object');
  });

  for (const [name, words] of registeredWords()) {
    it(`${name}: every language has the words English has, none left in English unless allowed, no placeholder`, () => {
      const en = new Map(leaves(words.en));
      for (const lang of LANGS) {
        const other = new Map(leaves(words[lang]));
        expect([...other.keys()], `${name}.${lang}`).toEqual([...en.keys()]);
        for (const [path, text] of other) expect(text, `${name}.${lang}.${path}`).not.toMatch(/\{[A-Za-z][\w.-]*\}/);
      }
      const es = new Map(leaves(words.es));
      const allowed = SAME_IN_BOTH[name] ?? [];
      const same = [...en].filter(([path, text]) => es.get(path) === text).map(([path]) => path.replace(/\(\d+\)$/, ''));
      expect([...new Set(same)].filter((p) => !allowed.includes(p)), `${name}: Spanish words identical to English`).toEqual([]);
      // The allow-list holds only words that really are the same.
      for (const p of allowed) expect(same, `${name}.${p} is allowed but differs`).toContain(p);
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
