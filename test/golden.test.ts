/**
 * Golden files (Zeek's btest baselines): the text timeline and the JSON document of every
 * fixture are stored under test/golden/ and compared byte for byte. After an intended
 * change, `npx vitest run test/golden.test.ts -u` rewrites them; review the diff.
 */
import { basename, dirname, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index.js';
import { renderJson } from '../src/annotate/render/json.js';
import { renderText } from '../src/annotate/render/text.js';
import { buildTimeline } from '../src/annotate/timeline.js';
import { fixtureCaptures, REPO_ROOT } from './support/captures.js';

describe('golden timelines', () => {
  for (const file of fixtureCaptures()) {
    const path = relative(REPO_ROOT, file);
    const golden = `golden/${basename(dirname(file))}/${basename(file)}`;
    it(`${path}: text and JSON`, async () => {
      const timeline = buildTimeline(await analyze([path]));
      await expect(renderText(timeline, { color: false })).toMatchFileSnapshot(`${golden}.txt`);
      await expect(renderJson(timeline)).toMatchFileSnapshot(`${golden}.json`);
    });
  }
});
