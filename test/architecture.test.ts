/**
 * Imports point down (docs/architecture.md): every file of src/ belongs to one layer, and may
 * import from its own layer and those below it, never from a layer above. The imports are read
 * with TypeScript's own pre-processor (import, import type, export ... from, dynamic import).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';

const SRC = join(REPO_ROOT, 'src');

/** The layers, bottom first; a file is in the first layer whose test matches its path under src/. */
export const LAYERS: readonly { readonly name: string; readonly holds: (path: string) => boolean }[] = [
  // The data every layer passes (captured messages, SIP message types, times, diagnostics) and the one severity order.
  { name: 'foundation', holds: (p) => ['types.ts', 'parse/sip/types.ts', 'time.ts', 'diagnostics.ts', 'severity.ts'].includes(p) },
  { name: 'parse', holds: (p) => p.startsWith('parse/') },
  { name: 'knowledge and rules', holds: (p) => p.startsWith('annotate/') },
  { name: 'analysis', holds: (p) => p.startsWith('analysis/') },
  { name: 'presentation', holds: isPresentation },
  { name: 'library API', holds: (p) => p === 'index.ts' },
  { name: 'CLI', holds: (p) => p.startsWith('cli') },
];

function isPresentation(p: string): boolean {
  return p.startsWith('present/');
}

/**
 * Upward imports that exist today, each with the step of issue 13 that removes it. The test
 * fails on any other upward import, and on an entry here that no longer happens (so the list
 * only shrinks).
 */
const KNOWN_UPWARD: readonly string[] = [];

function layerOf(path: string): number {
  const i = LAYERS.findIndex((l) => l.holds(path));
  if (i < 0) throw new Error(`src/${path} belongs to no layer: add it to LAYERS in test/architecture.test.ts and to docs/architecture.md`);
  return i;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every import of a project file by a file of src/, as "from -> to" (paths under src/). */
export function projectImports(files: readonly string[] = sourceFiles(SRC)): { from: string; to: string }[] {
  return files.flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    return importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => ({ from: relative(SRC, file), to: relative(SRC, resolve(dirname(file), name)).replace(/\.js$/, '.ts') }));
  });
}

/** The imports that point up, as "from -> to (layer -> layer)". */
export function upwardImports(imports: readonly { from: string; to: string }[]): string[] {
  return imports.flatMap(({ from, to }) => {
    if (to.startsWith('..')) return [`${from} -> ${to} (outside src/)`];
    const a = layerOf(from);
    const b = layerOf(to);
    return b > a ? [`${from} -> ${to} (${LAYERS[a]!.name} -> ${LAYERS[b]!.name})`] : [];
  });
}

describe('imports point down', () => {
  const imports = projectImports();

  it('reads the imports of every file', () => {
    expect(imports.length).toBeGreaterThan(200);
    expect(imports).toContainEqual({ from: 'index.ts', to: 'analysis/session.ts' });
  });

  it('no layer imports from a layer above it', () => {
    const upward = upwardImports(imports);
    expect(upward.filter((u) => !KNOWN_UPWARD.includes(u))).toEqual([]);
    expect(KNOWN_UPWARD.filter((k) => !upward.includes(k))).toEqual([]);
  });

  it('would catch a planted violation: parse importing the presentation, a rule importing a renderer, the library importing the CLI', () => {
    const planted = [
      { from: 'parse/pipeline.ts', to: 'present/timeline.ts' },
      { from: 'annotate/rules/glare.ts', to: 'present/render/text.ts' },
      { from: 'analysis/session.ts', to: 'index.ts' },
      { from: 'index.ts', to: 'cli.ts' },
    ];
    expect(upwardImports(planted)).toEqual([
      'parse/pipeline.ts -> present/timeline.ts (parse -> presentation)',
      'annotate/rules/glare.ts -> present/render/text.ts (knowledge and rules -> presentation)',
      'analysis/session.ts -> index.ts (analysis -> library API)',
      'index.ts -> cli.ts (library API -> CLI)',
    ]);
  });
});
