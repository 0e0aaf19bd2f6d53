// Bundles the CLI and the library into single ESM files (esbuild), and emits type declarations (tsc).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };
// yargs is CommonJS-free ESM, but some of its dependencies use require(): give the bundle one.
const banner = { js: "import { createRequire as __siplensCreateRequire } from 'node:module'; const require = __siplensCreateRequire(import.meta.url);" };

await build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + banner.js } });
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', banner });
chmodSync('dist/cli.js', 0o755);

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
