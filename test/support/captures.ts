import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Real captures from public projects (see its MANIFEST.md); absent on machines without the shared folder. */
export const CORPUS_PCAP_DIR = join(REPO_ROOT, '..', 'shared', 'corpus', 'pcap');

function capturesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Every capture committed under fixtures/ and the bundled sample. */
export function fixtureCaptures(): string[] {
  const dirs = readdirSync(join(REPO_ROOT, 'fixtures'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(REPO_ROOT, 'fixtures', d.name));
  return [...dirs.flatMap(capturesIn), join(REPO_ROOT, 'samples', 'demo.pcap')];
}

export function corpusCaptures(): string[] {
  return capturesIn(CORPUS_PCAP_DIR);
}

export const hasCorpus = existsSync(CORPUS_PCAP_DIR);
