/**
 * Golden files (Zeek's btest baselines): the text timeline, the JSON document and every
 * report format (test/support/reports.ts) of every fixture are stored under test/golden/
 * and compared byte for byte. After an intended
 * change, `npx vitest run test/golden.test.ts -u` rewrites them; review the diff.
 */
import { basename, dirname, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index.js';
import { renderJson } from '../src/present/render/json.js';
import { renderText } from '../src/present/render/text.js';
import { buildTimeline } from '../src/present/timeline.js';
import { renderReports } from './support/reports.js';
import { fixtureCaptures, fixtureTextLogs, REPO_ROOT, TEXT_FIXTURE_DATE } from './support/captures.js';

describe('golden timelines', () => {
  // Text logs get a fixed --date: without it, logs that print no date take the file's modification time.
  for (const file of [...fixtureCaptures(), ...fixtureTextLogs()]) {
    const path = relative(REPO_ROOT, file);
    const golden = `golden/${basename(dirname(file))}/${basename(file)}`;
    const options = file.endsWith('.pcap') || file.endsWith('.pcapng') ? {} : { date: TEXT_FIXTURE_DATE };
    it(`${path}: text and JSON`, async () => {
      const timeline = buildTimeline(await analyze([path], options));
      await expect(renderText(timeline, { color: false })).toMatchFileSnapshot(`${golden}.txt`);
      await expect(renderJson(timeline)).toMatchFileSnapshot(`${golden}.json`);
    });
    it(`${path}: every report format`, async () => {
      const timeline = buildTimeline(await analyze([path], options));
      for (const [suffix, text] of Object.entries(renderReports(timeline))) await expect(text).toMatchFileSnapshot(`${golden}.${suffix}`);
    });
  }
});

/**
 * The same in Spanish, for a few fixtures that between them show every kind of line (a normal
 * call, one stuck on 100 Trying, 410, legs of a B2BUA and their cause, TCP diagnostics, malformed
 * SIP, a text log), pinned before the presentation layer translates every format: a change to a
 * Spanish output is then seen and reviewed like an English one.
 */
const SPANISH: readonly string[] = [
  'samples/demo.pcap',
  'fixtures/synthetic/b2bua-legs.pcap',
  'fixtures/synthetic/tcp-streams.pcap',
  'fixtures/synthetic/odd-sip.pcap',
  'fixtures/text/asterisk-pjsip-call.log',
];

describe('golden timelines in Spanish', () => {
  for (const path of SPANISH) {
    const golden = `golden/es/${basename(dirname(path))}/${basename(path)}`;
    const options = path.endsWith('.pcap') || path.endsWith('.pcapng') ? {} : { date: TEXT_FIXTURE_DATE };
    it(`${path}: every format in Spanish`, async () => {
      const timeline = buildTimeline(await analyze([path], options), 'es');
      await expect(renderText(timeline, { color: false })).toMatchFileSnapshot(`${golden}.txt`);
      await expect(renderJson(timeline)).toMatchFileSnapshot(`${golden}.json`);
      for (const [suffix, text] of Object.entries(renderReports(timeline))) await expect(text).toMatchFileSnapshot(`${golden}.${suffix}`);
    });
  }
});
