// Bundles the command and the library (esbuild), makes the command's code cache, and emits type
// declarations (tsc).
//   dist/cli.js        the `siplens` command (src/cli-start.ts, ES module): V8's flags, then the bundle
//   dist/cli-main.cjs  the command line (src/cli.ts), CommonJS so that it can run through V8's code cache
//   dist/cli-main.cache  that cache, made here by running the demo once (src/cli/code-cache.ts)
//   dist/index.js      the library (src/index.ts, ES module)
// --release (npm pack and publish, through prepack): no source maps, so the package ships none.
// --no-types: the bundles only (the tests' setup).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const release = process.argv.includes('--release');
// ASCII output: a bundle of one-byte characters is read as a one-byte string, a copy instead of a
// UTF-8 decode (src/cli/code-cache.ts). esbuild escapes strings, templates and identifiers.
const common = { bundle: true, platform: 'node', target: 'node20', charset: 'ascii', sourcemap: !release, logLevel: 'warning' };
// yaml's Node build is CommonJS and require()s Node's own modules: give the ESM bundle a require().
const banner = { js: "import { createRequire as __siplensCreateRequire } from 'node:module'; const require = __siplensCreateRequire(import.meta.url);" };

rmSync('dist/cli-main.cache', { force: true });
await build({ ...common, format: 'esm', entryPoints: ['src/cli-start.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
// src/cli.ts's import.meta.url (where package.json and the demo capture are) is the bundle's URL.
const moduleUrl = "var __siplensModuleUrl = require('node:url').pathToFileURL(__filename).href;";
await build({ ...common, format: 'cjs', entryPoints: ['src/cli.ts'], outfile: 'dist/cli-main.cjs', banner: { js: moduleUrl }, define: { 'import.meta.url': '__siplensModuleUrl' } });
// What esbuild leaves above ASCII is in comments and regular expressions (src/ writes RFC 3261 §8,
// a dash, an arrow): there `\uXXXX` means the same character (in a comment it is only text), and
// the bundle is then read as one-byte text.
const main = readFileSync('dist/cli-main.cjs', 'utf8');
writeFileSync('dist/cli-main.cjs', main.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
await build({ ...common, format: 'esm', entryPoints: ['src/index.ts'], outfile: 'dist/index.js', banner });
chmodSync('dist/cli.js', 0o755);
// A development build's maps would otherwise stay beside the release bundles they do not describe.
if (release) for (const map of ['dist/cli.js.map', 'dist/cli-main.cjs.map', 'dist/index.js.map']) rmSync(map, { force: true });

// The code cache: the demo run once, so the functions a run of the command compiles are in it.
// Made with this node, and used only by the same V8 version (V8 rejects it otherwise).
// Without NODE_OPTIONS: a V8 flag there would make a cache every other V8 rejects.
const { NODE_OPTIONS: _nodeOptions, ...buildEnv } = process.env;
execFileSync(process.execPath, ['dist/cli.js', 'demo', '--format', 'ndjson'], { stdio: 'ignore', env: { ...buildEnv, SIPLENS_WRITE_CODE_CACHE: '1' } });

// What require('siplens') loads (package.json "exports", condition "require"): the library is an
// ES module, so CommonJS code gets a sentence naming the way in instead of a resolution error.
writeFileSync(
  'dist/require.cjs',
  "throw new Error(\"siplens is an ES module: load it with import { analyze } from 'siplens', or from CommonJS with const { analyze } = await import('siplens')\");\n",
);

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
