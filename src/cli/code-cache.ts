/**
 * Runs the command line's bundle with V8's code cache (docs/decisions.md "Packaging"). Compiling
 * the 1.5 MB bundle was the largest part of every run's start (70 ms of the 130 ms above a bare
 * `node` on a quiet machine); with the cache V8 reads the bytecode it made when the build ran the
 * demo, including the functions compiled lazily during that run.
 *
 * The cache is optional and checked twice: it starts with the CRC-32 of the bundle it was made
 * for, and is used only for that bundle (V8's own check of the source is of its length alone, so a
 * bundle edited by hand, patched in node_modules or rebuilt would otherwise run another's
 * bytecode); and V8 rejects one made by another V8 version or under other V8 flags
 * (`cachedDataRejected`) and compiles as if it were absent. It is written only by the build
 * (`writeCodeCache`), beside the bundle, never at run time.
 *
 * Node 20 has no compile cache of its own for modules (`module.enableCompileCache` is 22.1), and
 * V8's cache is reachable only through `vm.Script`: so the bundle is CommonJS run as a function.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { zlib } from '../parse/lazy-builtins.js';

/**
 * What became of the cache: none beside the bundle (or a Node before 20.15, without `zlib.crc32`
 * to check it), made for another bundle, rejected by V8, used; or not looked at because Node maps
 * stack traces through source maps (`--enable-source-maps`), which it does only for code its own
 * loader compiled.
 */
export type CodeCacheUse = 'absent' | 'stale' | 'rejected' | 'accepted' | 'source-maps';

export interface BundleRun {
  /** The compiled bundle, whose bytecode `writeCodeCache` writes; none when Node's loader ran it. */
  readonly script: Script | undefined;
  /** The CRC-32 of the bundle's bytes, which the cache starts with; undefined without `zlib.crc32`. */
  readonly bundleCrc: number | undefined;
  readonly cache: CodeCacheUse;
}

/** The cache file: the bundle's CRC-32 (4 bytes, big-endian), then V8's data. */
const CRC_BYTES = 4;

/**
 * The bundle's code inside a function of CommonJS's names, as Node's own loader wraps a module.
 * One line, so line numbers in stack traces and source maps stay the bundle's own.
 */
const HEAD = '(function (exports, require, module, __filename, __dirname) {';
const TAIL = '\n})';

/**
 * The name stack traces give the bundle. A script compiled from V8's cache keeps the file name it
 * was compiled under when the cache was made (the build machine's path, in a package wherever
 * `npm pack` ran), so the name is the same fixed one at build and at run: the version and the
 * line and column locate a frame, not the install path.
 */
const SCRIPT_NAME = 'siplens/dist/cli-main.cjs';

/** Compiles the CommonJS bundle `file` (with `cacheFile`'s bytecode when it may be used) and runs it. */
export function runBundle(file: string, cacheFile: string): BundleRun {
  const require = createRequire(file);
  if (process.sourceMapsEnabled) {
    require(file);
    return { script: undefined, bundleCrc: undefined, cache: 'source-maps' };
  }
  const bytes = readFileSync(file);
  const crc32 = zlib().crc32 as ((data: Uint8Array) => number) | undefined;
  const bundleCrc = crc32 === undefined ? undefined : crc32(bytes);
  // An ASCII bundle becomes a one-byte string: a copy instead of a UTF-8 decode, and a faster scan for V8.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cached = bundleCrc === undefined ? 'absent' : cacheFor(bundleCrc, cacheFile);
  const script = new Script(HEAD + source + TAIL, { filename: SCRIPT_NAME, ...(typeof cached === 'string' ? {} : { cachedData: cached }) });
  const cache: CodeCacheUse = typeof cached === 'string' ? cached : script.cachedDataRejected === true ? 'rejected' : 'accepted';
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, require, module, file, dirname(file));
  return { script, bundleCrc, cache };
}

/** V8's data in the cache made for the bundle with this CRC-32, or why there is none to use. */
function cacheFor(bundleCrc: number, cacheFile: string): Buffer | 'absent' | 'stale' {
  let cache: Buffer;
  try {
    cache = readFileSync(cacheFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
  if (cache.length < CRC_BYTES || cache.readUInt32BE(0) !== bundleCrc) return 'stale';
  return cache.subarray(CRC_BYTES);
}

/**
 * Writes the bytecode V8 holds for the bundle now, after a run, so the functions that run compiled
 * lazily are in it too (a cache made at compile time has the top level only).
 */
export function writeCodeCache(run: BundleRun, cacheFile: string): void {
  if (run.script === undefined || run.bundleCrc === undefined) return;
  const crc = Buffer.alloc(CRC_BYTES);
  crc.writeUInt32BE(run.bundleCrc);
  writeFileSync(cacheFile, Buffer.concat([crc, run.script.createCachedData()]));
}
