/**
 * Reports carry what the terminal shows of a call (issue 17 item 3): its type, whether it is
 * partial (its start is not in the capture), its legs through a B2BUA, and its whole Call-ID,
 * in every format. Over two captures: a real one that begins mid-call (a BYE-only fragment
 * with a 101-character Call-ID, beside a REGISTER and an OPTIONS ping, fixtures/real/README.md)
 * and the B2BUA legs fixture. The goldens hold every byte; these assert the data.
 */
import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { renderCsv } from '../../../src/present/render/csv.js';
import { renderHtml } from '../../../src/present/render/html.js';
import { renderJson } from '../../../src/present/render/json.js';
import { renderJunit } from '../../../src/present/render/junit.js';
import { renderLadder } from '../../../src/present/render/ladder.js';
import { renderMarkdown } from '../../../src/present/render/markdown.js';
import { renderMermaid } from '../../../src/present/render/mermaid.js';
import { renderText } from '../../../src/present/render/text.js';
import { computeStatistics } from '../../../src/present/stats.js';
import { buildTimeline, type Timeline } from '../../../src/present/timeline.js';
import { parseCsv } from '../../support/csv.js';
import { parseXml, type XmlElement } from '../../support/xml.js';

const MID_CALL = 'fixtures/real/sipp-capture-mid-call.pcap';
const LEGS = 'fixtures/synthetic/b2bua-legs.pcap';
const LONG_ID = 'mid-call-1-4f1c9e27b8d34f60a1e5c3b9d7f2e8a4-5c1e9b3d7a2f4e6c8b0d1f3a5c7e9b2d@sbc-core-01.siplens.test';

let midCall: Timeline;
let legs: Timeline;

beforeAll(async () => {
  midCall = buildTimeline(await analyze([MID_CALL]));
  legs = buildTimeline(await analyze([LEGS]));
});

const children = (e: XmlElement, name: string): XmlElement[] => e.children.filter((c) => c.name === name);

/** The HTML report's call list lines and opened-call data, from its data blocks. */
function htmlData(html: string): { rows: Record<string, unknown>[]; details: Record<string, unknown>[] } {
  const blocks = [...html.matchAll(/<script type="application\/json" class="calls">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as { rows: Record<string, unknown>[]; details: string });
  return {
    rows: blocks.flatMap((b) => b.rows),
    details: blocks.flatMap((b) => JSON.parse(inflateRawSync(Buffer.from(b.details, 'base64')).toString('utf8')) as Record<string, unknown>[]),
  };
}

describe('a capture that begins mid-call, with a registration and a ping', () => {
  it('the analysis: a registration, an OPTIONS ping and a partial call (BYE and 200 OK)', () => {
    expect(midCall.calls.map((c) => ({ type: c.type, partial: c.partial, methods: c.messages.map((m) => m.method ?? m.status) }))).toEqual([
      { type: 'registration', partial: false, methods: ['REGISTER', 200] },
      { type: 'options', partial: false, methods: ['OPTIONS', 200] },
      { type: 'call', partial: true, methods: ['BYE', 200] },
    ]);
    expect(midCall.calls[2]!.callId).toBe(LONG_ID);
  });

  it('JSON: partial on the partial call only, additive', () => {
    const calls = (JSON.parse(renderJson(midCall)) as { calls: Record<string, unknown>[] }).calls;
    expect(calls.map((c) => c['partial'])).toEqual([undefined, undefined, true]);
    expect(calls[2]!['callId']).toBe(LONG_ID);
  });

  it('text and ladder: the type with "partial" in the call header, the whole Call-ID', () => {
    for (const out of [renderText(midCall, { color: false }), renderLadder(midCall, { width: 80, color: false })]) {
      expect(out).toContain('Call 1  register-1@siplens.test  registration');
      expect(out).toContain('Call 2  options-1@siplens.test  options');
      expect(out).toContain(`Call 3  ${LONG_ID}  call (partial: its start is not in the capture)`);
    }
  });

  it('Markdown: a type column in the table of calls; the type in the call section', () => {
    const md = renderMarkdown(midCall, { mermaid: false });
    expect(md).toContain('| call | outcome | type | from | to |');
    // Markdown's own escapes: \( \) \: (mdText).
    expect(md).toContain('| 1 | completed \\(200 OK\\) | registration |');
    expect(md).toContain('| 2 | completed \\(200 OK\\) | options |');
    expect(md).toContain(`| 3 | completed \\(200 OK\\) | call \\(partial\\) | \`sipp@127.0.0.1\` | \`service@127.0.0.1\` | 2026-12-06 11:41:28.420074 | 0 ms | 0 | \`${LONG_ID}\` |`);
    expect(md).toContain(`\`${LONG_ID}\` · call \\(partial\\: its start is not in the capture\\)`);
  });

  it('CSV: type and partial columns, the whole Call-ID', () => {
    const [head, ...rows] = parseCsv(renderCsv(midCall));
    const column = (name: string) => rows.map((r) => r[head!.indexOf(name)]);
    expect(column('type')).toEqual(['registration', 'options', 'call']);
    expect(column('partial')).toEqual(['false', 'false', 'true']);
    expect(column('call_id')[2]).toBe(LONG_ID);
  });

  it('JUnit: the type in the test name, and the type, partial and Call-ID as the case\'s properties', () => {
    const suite = children(parseXml(renderJunit(midCall, { failOn: 'error' })), 'testsuite')[0]!;
    const cases = children(suite, 'testcase').filter((c) => c.attributes.classname !== 'siplens.inputs');
    expect(cases.map((c) => c.attributes.name)).toEqual([
      'Call 1 registration sipp@127.0.0.1 → sipp@127.0.0.1 [register-1@siplens.test]',
      'Call 2 options sipp@127.0.0.1 → service@127.0.0.1 [options-1@siplens.test]',
      `Call 3 call (partial) sipp@127.0.0.1 → service@127.0.0.1 [${LONG_ID}]`,
    ]);
    const properties = (c: XmlElement) => Object.fromEntries(children(children(c, 'properties')[0]!, 'property').map((p) => [p.attributes.name, p.attributes.value]));
    expect(properties(cases[0]!)).toEqual({ 'call-id': 'register-1@siplens.test', type: 'registration', outcome: 'completed' });
    expect(properties(cases[2]!)).toEqual({ 'call-id': LONG_ID, type: 'call', outcome: 'completed', partial: 'true' });
  });

  it('Mermaid: the comment naming each call has its whole Call-ID', () => {
    expect(renderMermaid(midCall)).toContain(`%% Call 3: ${LONG_ID}\n`);
  });

  it('HTML: each line of the call list has its type (a partial call a kind of its own), the whole Call-ID, and a type filter', () => {
    const html = renderHtml(midCall);
    expect(html).toContain('<select id="filter-type"');
    const { rows, details } = htmlData(html);
    expect(rows.map((r) => [r['type'], r['partial'], r['typeText'], r['callId']])).toEqual([
      ['registration', undefined, 'registration', 'register-1@siplens.test'],
      ['options', undefined, 'options', 'options-1@siplens.test'],
      ['call', true, 'call (partial)', LONG_ID],
    ]);
    expect(details[2]!['type']).toBe('call (partial: its start is not in the capture)');
    expect(details[2]!['callId']).toBe(LONG_ID);
  });

  it('statistics: the partial call is counted by type, not as an INVITE call', () => {
    const s = computeStatistics(midCall);
    expect(s).toMatchObject({ calls: 3, byType: { call: 1, registration: 1, options: 1 }, seizures: 0, partial: 1, asr: null });
  });
});

describe('legs of a call through a B2BUA', () => {
  it('ladder: the legs line and why the inbound leg failed, as the text timeline says them', () => {
    const text = renderText(legs, { color: false });
    const ladder = renderLadder(legs, { width: 120, color: false });
    for (const line of ['        legs: call 1 (inbound) → call 2 (outbound, X-Call-ID)', '        the outbound leg, call 2, got 503 Service Unavailable first, so this leg got 480 Temporarily Unavailable']) {
      expect(text).toContain(line);
      expect(ladder).toContain(line);
    }
  });

  it('Markdown: the legs in the table of calls and in each call section', () => {
    const md = renderMarkdown(legs, { mermaid: false });
    expect(md).toContain('| 1 | failed \\(480 Temporarily Unavailable\\) | call · outbound legs\\: 2 |');
    expect(md).toContain('| 2 | failed \\(503 Service Unavailable\\) | call · leg of call 1 |');
    expect(md).toContain('legs\\: call 1 \\(inbound\\) → call 2 \\(outbound, X-Call-ID\\)  \nthe outbound leg, call 2, got 503');
  });

  it('CSV: the leg group, role and every leg of it', () => {
    const [head, ...rows] = parseCsv(renderCsv(legs));
    const cells = (r: string[]) => ['call', 'leg_group', 'leg_role', 'legs'].map((name) => r[head!.indexOf(name)]);
    expect(rows.slice(0, 4).map(cells)).toEqual([
      ['1', '1', 'inbound', '1 2'],
      ['2', '1', 'outbound', '1 2'],
      ['3', '2', 'inbound', '3 4'],
      ['4', '2', 'outbound', '3 4'],
    ]);
  });

  it('JUnit: the legs as properties, and the legs line in the ladder of system-out', () => {
    const suite = children(parseXml(renderJunit(legs, { failOn: 'error' })), 'testsuite')[0]!;
    const call2 = children(suite, 'testcase').find((c) => c.attributes.name!.startsWith('Call 2 '))!;
    const properties = Object.fromEntries(children(children(call2, 'properties')[0]!, 'property').map((p) => [p.attributes.name, p.attributes.value]));
    expect(properties).toMatchObject({ 'leg-group': '1', 'leg-role': 'outbound', legs: '1 2' });
    expect(children(call2, 'system-out')[0]!.text).toContain('legs: call 1 (inbound) → call 2 (outbound, X-Call-ID)');
  });

  it('HTML: "leg of call N" in the list; in the opened call, the legs line with a link to each other leg', () => {
    const { rows, details } = htmlData(renderHtml(legs));
    expect(rows.slice(0, 2).map((r) => r['legText'])).toEqual(['outbound legs: 2', 'leg of call 1']);
    expect(details[1]!['legs']).toEqual({
      title: 'legs',
      parts: [
        { call: 1, label: 'call 1', detail: ' (inbound)' },
        { call: 2, label: 'call 2', detail: ' (outbound, X-Call-ID)' },
      ],
      cause: null,
    });
    expect((details[0]!['legs'] as { cause: string }).cause).toBe('the outbound leg, call 2, got 503 Service Unavailable first, so this leg got 480 Temporarily Unavailable');
  });
});
