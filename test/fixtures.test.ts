import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAll } from '../fixtures/scripts/synthetic.js';
import { REPO_ROOT } from './support/captures.js';

describe('generated fixtures', () => {
  it.each(Object.entries(buildAll()))('%s is what fixtures/scripts/synthetic.ts writes (run `npm run fixtures` after changing it)', (path, bytes) => {
    expect(readFileSync(join(REPO_ROOT, path)).equals(bytes)).toBe(true);
  });

  it('every capture in fixtures/ has a README line', () => {
    const readmes = readFileSync(join(REPO_ROOT, 'fixtures', 'README.md'), 'utf8') + readFileSync(join(REPO_ROOT, 'fixtures', 'real', 'README.md'), 'utf8');
    for (const path of Object.keys(buildAll())) expect(readmes, path).toContain(path.split('/').at(-1)!);
  });
});
