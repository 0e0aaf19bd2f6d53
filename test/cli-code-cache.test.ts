/**
 * The command's code cache (src/cli/code-cache.ts): used when it fits the bundle, ignored when it
 * is absent, older than the bundle or rejected by V8, and the bundle runs the same every time.
 * Each run is a fresh process, as the command's are: within one process V8 would reuse its own
 * in-memory compilation of a source it has seen and never look at the cache.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';

const dir = mkdtempSync(join(tmpdir(), 'siplens-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundle = join(dir, 'cli-main.cjs');
const cache = join(dir, 'cli-main.cache');

/** A CommonJS bundle that says what it was given; `mark` tells versions of it apart (same length). */
function bundleSource(mark: string): string {
  return `"use strict";\nfunction twice(n) { return n * 2; }\nglobalThis.ran = { mark: '${mark}', twice: twice(21), file: __filename, dir: __dirname, exportsIsModule: exports === module.exports, required: typeof require('node:path').join };\n`;
}

/** Runs the bundle in a fresh process (writing the cache after the run when asked): what became of the cache, and what the bundle saw. */
function runInChild(write = false, nodeOptions: readonly string[] = []): { cache: string; ran: unknown } {
  const codeCache = pathToFileURL(join(REPO_ROOT, 'src', 'cli', 'code-cache.ts')).href;
  // tsx turns source maps on for the TypeScript it loads; the command runs with them off unless asked.
  const code = `process.setSourceMapsEnabled(${nodeOptions.includes('--enable-source-maps')});
import { runBundle, writeCodeCache } from ${JSON.stringify(codeCache)};
const run = runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});
${write ? `writeCodeCache(run, ${JSON.stringify(cache)});` : ''}
process.stdout.write(JSON.stringify({ cache: run.cache, ran: globalThis.ran }));`;
  return JSON.parse(execFileSync(process.execPath, [...nodeOptions, '--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO_ROOT, encoding: 'utf8' }));
}


describe('the code cache', () => {
  it('runs the bundle without a cache, then with the one written after the run', () => {
    writeFileSync(bundle, bundleSource('a'));
    const first = runInChild(true);
    expect(first).toEqual({ cache: 'absent', ran: { mark: 'a', twice: 42, file: bundle, dir, exportsIsModule: true, required: 'function' } });
    expect(runInChild()).toMatchObject({ cache: 'accepted', ran: { mark: 'a', twice: 42 } });
  });

  it('ignores a cache made for another bundle: V8 would take a changed bundle of the same length for it', () => {
    writeFileSync(bundle, bundleSource('b'));
    expect(runInChild()).toMatchObject({ cache: 'stale', ran: { mark: 'b' } });
  });

  it('compiles afresh when V8 rejects the cache', () => {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(readFileSync(bundle)));
    writeFileSync(cache, Buffer.concat([crc, Buffer.alloc(1024, 7)]));
    expect(runInChild()).toMatchObject({ cache: 'rejected', ran: { mark: 'b', twice: 42 } });
  });

  it('reads a bundle with text above ASCII as UTF-8', () => {
    writeFileSync(bundle, `globalThis.ran = '§ — →';\n`);
    rmSync(cache);
    expect(runInChild()).toEqual({ cache: 'absent', ran: '§ — →' });
  });

  it("leaves the bundle to Node's loader when stack traces go through source maps", () => {
    writeFileSync(bundle, bundleSource('d'));
    expect(runInChild(true, ['--enable-source-maps'])).toMatchObject({ cache: 'source-maps', ran: { mark: 'd', twice: 42, exportsIsModule: true } });
    expect(existsSync(cache)).toBe(false);
  });
});

describe('the built command', () => {
  it('has a bundle in ASCII and a cache made for it', () => {
    const main = readFileSync(join(REPO_ROOT, 'dist', 'cli-main.cjs'));
    expect(main.every((b) => b < 0x80)).toBe(true);
    expect(readFileSync(join(REPO_ROOT, 'dist', 'cli-main.cache')).readUInt32BE(0)).toBe(crc32(main));
  });
});
