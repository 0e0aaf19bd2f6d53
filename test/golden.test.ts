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
import { LANGS } from '../src/annotate/i18n.js';
import { RULES_BY_ID } from '../src/annotate/rules/index.js';
import { DIAGNOSTICS } from '../src/diagnostics.js';
import { lookupResponseCode } from '../src/annotate/codes/index.js';
import { evaluatePolicy, parsePolicy } from '../src/present/policy.js';
import { renderCheckJson, renderCheckText } from '../src/present/render/check.js';
import { renderCodeText, renderComparisonText, renderDiagnosticText, renderRuleText } from '../src/present/render/explain.js';
import { renderMessagesText } from '../src/present/render/messages.js';
import { computeStatistics } from '../src/present/stats.js';
import { renderReports } from './support/reports.js';
import { fixtureCaptures, fixtureTextLogs, keyLogOptions, REPO_ROOT, TEXT_FIXTURE_DATE } from './support/captures.js';

describe('golden timelines', () => {
  // Text logs get a fixed --date: without it, logs that print no date take the file's modification time.
  // A capture with a key log beside it (fixtures/tls/) is decrypted with it.
  for (const file of [...fixtureCaptures(), ...fixtureTextLogs()]) {
    const path = relative(REPO_ROOT, file);
    const golden = `golden/${basename(dirname(file))}/${basename(file)}`;
    const options = file.endsWith('.pcap') || file.endsWith('.pcapng') ? keyLogOptions(path) : { date: TEXT_FIXTURE_DATE };
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
 * call, one stuck on 100 Trying, 410, legs of a B2BUA and their cause, a partial call beside a
 * registration and a ping, TCP diagnostics, malformed SIP, a text log), pinned before the
 * presentation layer translates every format: a change to a Spanish output is then seen and
 * reviewed like an English one.
 */
const SPANISH: readonly string[] = [
  'samples/demo.pcap',
  'fixtures/synthetic/b2bua-legs.pcap',
  'fixtures/real/sipp-capture-mid-call.pcap',
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

/** A policy with every kind of check, passing and failing with evidence. */
const POLICY = `fail-on: warning
allow: [gone-410]
forbid: [stuck-on-100-trying]
expect:
  calls: { min: 1, max: 10 }
  answered: { min: 90% }
  post-dial-delay: { p95: 50ms, median: 1s }
  setup-time: { max: 3s }
  max-final-status: 486
  invite-answered-within: 2s
`;

/**
 * The commands that are not report formats, in every language: `siplens check` (text and
 * JSON), `siplens messages` and `siplens explain` (a rule, a code, two codes compared, a
 * diagnostic). English files sit beside the reports' (golden/<dir>/), other languages under
 * golden/<lang>/.
 */
describe('golden commands in every language', () => {
  for (const lang of LANGS) {
    const root = lang === 'en' ? 'golden' : `golden/${lang}`;
    for (const path of ['samples/demo.pcap', 'fixtures/synthetic/b2bua-legs.pcap']) {
      const golden = `${root}/${basename(dirname(path))}/${basename(path)}`;
      it(`${path}: check and messages in ${lang}`, async () => {
        const result = await analyze([path]);
        const timeline = buildTimeline(result, lang);
        const checks = evaluatePolicy(parsePolicy(POLICY), timeline, computeStatistics(timeline));
        await expect(renderCheckText(checks, { color: false, source: 'policy.yaml', lang })).toMatchFileSnapshot(`${golden}.check.txt`);
        await expect(renderCheckJson(checks, 'policy.yaml')).toMatchFileSnapshot(`${golden}.check.json`);
        await expect(renderMessagesText({ inputs: result.inputs, messages: result.messages }, lang)).toMatchFileSnapshot(`${golden}.messages.txt`);
      });
    }
    it(`explain in ${lang}`, async () => {
      await expect(renderRuleText(RULES_BY_ID.get('stuck-on-100-trying')!, lang) + '\n').toMatchFileSnapshot(`${root}/explain/stuck-on-100-trying.txt`);
      await expect(renderCodeText(lookupResponseCode(410, lang), lang) + '\n').toMatchFileSnapshot(`${root}/explain/410.txt`);
      await expect(renderComparisonText(404, 410, lang) + '\n').toMatchFileSnapshot(`${root}/explain/404-410.txt`);
      await expect(renderDiagnosticText('capture.truncated-record', DIAGNOSTICS['capture.truncated-record'], lang) + '\n').toMatchFileSnapshot(`${root}/explain/capture.truncated-record.txt`);
    });
  }
});
