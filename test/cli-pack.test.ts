/**
 * The package as a user gets it: `npm pack` (which builds through prepack) in a copy of the
 * sources, then the tarball installed in an empty folder with no network, then `npx siplens
 * demo`. The copy keeps the build from rewriting the dist/ the other CLI tests are running.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'siplens-pack-'));
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: object; files: string[]; scripts: Record<string, string> };
// npm run by vitest under `npm test` inherits npm's own settings; these keep it quiet and offline.
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_offline: 'true' };

interface Packed {
  filename: string;
  files: { path: string }[];
}

let packed: Packed;
const user = join(scratch, 'user');

beforeAll(async () => {
  const source = join(scratch, 'source');
  mkdirSync(source);
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', 'samples', 'docs']) {
    cpSync(join(REPO_ROOT, entry), join(source, entry), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(source, 'node_modules'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: source, env: npmEnv, maxBuffer: 16 * 1024 * 1024 });
  packed = (JSON.parse(stdout) as Packed[])[0]!;
  mkdirSync(user);
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'a-user', version: '1.0.0', private: true }));
  await run('npm', ['install', join(scratch, packed.filename)], { cwd: user, env: npmEnv });
}, 600_000);

describe('the published package', () => {
  it('has no runtime dependency (everything is bundled), so it installs offline; the build runs at pack time, not install time', () => {
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.scripts.prepack).toMatch(/build/);
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.postinstall).toBeUndefined();
  });

  it('ships the bundles, their types, the sample, the docs and the licence, and no source map nor source', () => {
    const paths = packed.files.map((f) => f.path);
    for (const file of ['dist/cli.js', 'dist/cli-main.cjs', 'dist/cli-main.cache', 'dist/index.js', 'dist/require.cjs', 'dist/types/index.d.ts', 'samples/demo.pcap', 'LICENSE', 'README.md', 'package.json', 'docs/cli.md']) {
      expect(paths).toContain(file);
    }
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('src/') || p.startsWith('test/'))).toEqual([]);
    for (const bundle of ['cli.js', 'cli-main.cjs']) {
      expect(readFileSync(join(user, 'node_modules', 'siplens', 'dist', bundle), 'utf8')).not.toMatch(/sourceMappingURL/);
    }
    // The command's code cache, made for this bundle (src/cli/code-cache.ts).
    const installed = join(user, 'node_modules', 'siplens', 'dist');
    expect(readFileSync(join(installed, 'cli-main.cache')).readUInt32BE(0)).toBe(crc32(readFileSync(join(installed, 'cli-main.cjs'))));
  });

  it("every relative link of the README points to a file in the package", () => {
    const paths = new Set(packed.files.map((f) => f.path));
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !paths.has(l))).toEqual([]);
  });

  it('npx siplens demo works in the folder it was installed in', async () => {
    const { stdout } = await run('npx', ['--offline', 'siplens', 'demo', '--format', 'json'], { cwd: user, env: npmEnv });
    const doc = JSON.parse(stdout);
    expect(doc.summary).toMatchObject({ calls: 3, findings: { error: 0, warning: 2 } });
    expect((await run('npx', ['--offline', 'siplens', '--version'], { cwd: user, env: npmEnv })).stdout).toBe(`${pkg.version}\n`);
  });

  it('import() gives the library; require() says to use import()', async () => {
    const imported = await run(process.execPath, ['--input-type=module', '-e', "const m = await import('siplens'); console.log(typeof m.analyze, typeof m.analyzeStream)"], { cwd: user });
    expect(imported.stdout).toBe('function function\n');
    const required = await run(process.execPath, ['-e', "require('siplens')"], { cwd: user }).catch((e: { stderr: string; code: number }) => e);
    expect('code' in required && required.code).toBe(1);
    expect(required.stderr).toMatch(/siplens is an ES module: .*await import\('siplens'\)/);
  });
});
