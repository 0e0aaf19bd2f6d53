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

/** The key log beside a capture (fixtures/tls/NAME.keys), as analysis options: its SIP over TLS is decrypted. */
export function keyLogOptions(file: string): { tlsKeyLogs?: string[] } {
  const keys = file.replace(/\.(pcap|pcapng)$/, '.keys');
  return keys !== file && existsSync(keys) ? { tlsKeyLogs: [keys] } : {};
}

export function corpusCaptures(): string[] {
  return capturesIn(CORPUS_PCAP_DIR);
}

export const hasCorpus = existsSync(CORPUS_PCAP_DIR);

/** Plain-text SIP logs from public projects (see ../shared/corpus/MANIFEST.md); absent on machines without the shared folder. */
export const CORPUS_TEXT_DIR = join(REPO_ROOT, '..', 'shared', 'corpus', 'text');

/** The date golden files and schema checks pass for text fixtures that print times without a date. */
export const TEXT_FIXTURE_DATE = '2024-11-19';

/** Every text log committed under fixtures/text/ (.log, .txt; README.md excluded). */
export function fixtureTextLogs(): string[] {
  const dir = join(REPO_ROOT, 'fixtures', 'text');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(log|txt)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export function corpusTextLogs(): string[] {
  if (!existsSync(CORPUS_TEXT_DIR)) return [];
  return readdirSync(CORPUS_TEXT_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(CORPUS_TEXT_DIR, f));
}
