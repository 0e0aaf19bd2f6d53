/**
 * Every RFC section cited by the knowledge base and the rules exists, checked against the RFC's
 * table of contents (test/annotate/rfc/rfcNNNN.toc: section number and title, from the RFC text),
 * and a section whose title is a response code is cited for that code: 410 Gone is RFC 3261
 * §21.4.10, not §21.4.11 (413).
 *
 * Every cited RFC has its table stored, so a citation of an RFC with no table fails: store the RFC's
 * table of contents (with the body's deeper section headings where the table stops short) first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { responseCodes } from '../../src/annotate/codes/index.js';
import { LANGS } from '../../src/annotate/i18n.js';
import { RULES } from '../../src/annotate/rules/index.js';
import { REPO_ROOT } from '../support/captures.js';

const TOC_DIR = join(REPO_ROOT, 'test', 'annotate', 'rfc');

/** Section number -> title, per RFC number. */
const TOCS: ReadonlyMap<number, ReadonlyMap<string, string>> = new Map(
  readdirSync(TOC_DIR)
    .filter((f) => /^rfc\d+\.toc$/.test(f))
    .map((f) => {
      const sections = new Map<string, string>();
      for (const line of readFileSync(join(TOC_DIR, f), 'utf8').split('\n')) {
        if (line === '' || line.startsWith('#')) continue;
        const [number, title] = line.split('\t');
        sections.set(number!, title!);
      }
      return [Number(/\d+/.exec(f)![0]), sections] as const;
    }),
);

interface Citation {
  readonly rfc: number;
  readonly section: string;
}

/**
 * The sections a text cites: each "§N.N" (or "section N.N", "sección N.N") belongs to the last
 * "RFC NNNN" before it in the same text; a section with no RFC before it is not a citation here.
 */
function citations(text: string): Citation[] {
  const out: Citation[] = [];
  let rfc: number | null = null;
  for (const m of text.matchAll(/RFC ?(\d{3,5})|(?:§|\b[Ss]ections? |\b[Ss]ecci[oó]n )\s?(\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\b/g)) {
    if (m[1] !== undefined) rfc = Number(m[1]);
    else if (rfc !== null) out.push({ rfc, section: m[2]! });
  }
  return out;
}

/** A cited section that the RFC's table of contents lacks, as "RFC N §S"; null when it exists or the RFC is not stored. */
function missing(c: Citation): string | null {
  const toc = TOCS.get(c.rfc);
  return toc === undefined || toc.has(c.section) ? null : `RFC ${c.rfc} §${c.section}`;
}

/** The response code a section is about ("410 Gone" → 410); null for other sections. */
function codeOfSection(c: Citation): number | null {
  const title = TOCS.get(c.rfc)?.get(c.section);
  const m = title === undefined ? null : /^(\d{3}) /.exec(title);
  return m === null ? null : Number(m[1]);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('RFC citations', () => {
  it('the citation reader ties each section to the RFC before it', () => {
    expect(citations('RFC 3261 §21.1.1, §17.1.1.2 (Timer B); RFC 4028 §10 and section 9')).toEqual([
      { rfc: 3261, section: '21.1.1' },
      { rfc: 3261, section: '17.1.1.2' },
      { rfc: 4028, section: '10' },
      { rfc: 4028, section: '9' },
    ]);
    expect(citations('§12 alone')).toEqual([]);
  });

  it('a wrong section is caught: 410 Gone is §21.4.10, and §21.4.11 is 413', () => {
    expect(codeOfSection({ rfc: 3261, section: '21.4.10' })).toBe(410);
    expect(codeOfSection({ rfc: 3261, section: '21.4.11' })).toBe(413);
    expect(missing({ rfc: 3261, section: '21.4.29' })).toBe('RFC 3261 §21.4.29');
  });

  it.each(LANGS.map((l) => [l]))('every knowledge-base entry (%s) cites sections that exist, and its own code\'s section', (lang) => {
    const wrong: string[] = [];
    for (const [code, entry] of responseCodes(lang)) {
      for (const c of strings(entry).flatMap(citations)) {
        const gap = missing(c);
        if (gap !== null) wrong.push(`${code}: ${gap} does not exist`);
      }
      for (const c of citations(entry.rfc)) {
        const about = codeOfSection(c);
        if (about !== null && about !== code) wrong.push(`${code}: rfc cites RFC ${c.rfc} §${c.section}, which is ${about}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every rule cites sections that exist, and a response code\'s section only for a code the rule speaks of', () => {
    const wrong: string[] = [];
    for (const rule of RULES) {
      const { id, translations, ...english } = rule.meta;
      const texts = strings({ english, translations });
      for (const c of texts.flatMap(citations)) {
        const gap = missing(c);
        if (gap !== null) wrong.push(`${id}: ${gap} does not exist`);
      }
      const spoken = strings([id, english.description, english.messages, english.explanation, english.fix]).join(' ');
      for (const c of citations(english.rfc)) {
        const about = codeOfSection(c);
        if (about !== null && !spoken.includes(String(about))) wrong.push(`${id}: cites RFC ${c.rfc} §${c.section} (${about}), a code it does not speak of`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every section cited in the annotate sources (comments included) exists', () => {
    const files = [...sourceFiles(join(REPO_ROOT, 'src', 'annotate')), join(REPO_ROOT, 'src', 'present', 'findings.ts')];
    const wrong: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const c of citations(line)) {
            const gap = missing(c);
            if (gap !== null) wrong.push(`${relative(REPO_ROOT, file)}:${i + 1}: ${gap}`);
          }
        });
    }
    expect(wrong).toEqual([]);
  });

  it('every RFC cited with a section has its table of contents stored', () => {
    const files = [...sourceFiles(join(REPO_ROOT, 'src', 'annotate')), join(REPO_ROOT, 'src', 'present', 'findings.ts')];
    const cited = new Set(files.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap(citations)).map((c) => c.rfc));
    const unchecked = [...cited].filter((rfc) => !TOCS.has(rfc)).sort((a, b) => a - b);
    expect(unchecked, 'store these tables of contents under test/annotate/rfc/').toEqual([]);
  });
});
