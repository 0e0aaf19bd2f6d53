/**
 * The `siplens` command (package.json "bin", built to dist/cli.js): sets V8's flags, then runs
 * the command line (src/cli.ts, built to the CommonJS bundle dist/cli-main.cjs) through V8's code
 * cache made by the build (src/cli/code-cache.ts).
 */
// First: V8's flags (src/cli/v8-tuning.ts), before the bundle is compiled, both because they apply
// to the analysis code and because V8 rejects a code cache made under other flags.
import './cli/v8-tuning.js';
import { fileURLToPath } from 'node:url';
import { runBundle, writeCodeCache } from './cli/code-cache.js';

const bundle = fileURLToPath(new URL('./cli-main.cjs', import.meta.url));
const cacheFile = fileURLToPath(new URL('./cli-main.cache', import.meta.url));
const run = runBundle(bundle, cacheFile);
// Set only by scripts/build.mjs, which runs the demo once to make the cache beside the bundle.
if (process.env.SIPLENS_WRITE_CODE_CACHE === '1') process.once('exit', () => writeCodeCache(run, cacheFile));
