// Bundles the CLI and the library into single ESM files (esbuild), and emits type declarations (tsc).
// --release (npm pack and publish, through prepack): no source maps, so the package ships none.
// --no-types: the bundles only (the tests' setup).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';

const release = process.argv.includes('--release');
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: !release, logLevel: 'warning' };
// yaml's Node build is CommonJS and require()s Node's own modules: give the ESM bundle a require().
const banner = { js: "import { createRequire as __siplensCreateRequire } from 'node:module'; const require = __siplensCreateRequire(import.meta.url);" };

await build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + banner.js } });
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', banner });
chmodSync('dist/cli.js', 0o755);
// A development build's maps would otherwise stay beside the release bundles they do not describe.
if (release) for (const map of ['dist/cli.js.map', 'dist/index.js.map']) rmSync(map, { force: true });

// What require('siplens') loads (package.json "exports", condition "require"): the library is an
// ES module, so CommonJS code gets a sentence naming the way in instead of a resolution error.
writeFileSync(
  'dist/require.cjs',
  "throw new Error(\"siplens is an ES module: load it with import { analyze } from 'siplens', or from CommonJS with const { analyze } = await import('siplens')\");\n",
);

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
