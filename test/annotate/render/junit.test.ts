import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { escapeXmlAttr, escapeXmlText, githubData, githubProperty } from '../../../src/present/render/escape.js';
import { renderGithub } from '../../../src/present/render/github.js';
import { renderJunit } from '../../../src/present/render/junit.js';
import { buildTimeline, type Timeline } from '../../../src/present/timeline.js';
import { writeHostileCapture } from '../../support/hostile.js';
import { parseXml, type XmlElement } from '../../support/xml.js';

let demo: Timeline;
let hostile: Timeline;
let unreadable: Timeline;

beforeAll(async () => {
  demo = buildTimeline(await analyze(['samples/demo.pcap']));
  const t = buildTimeline(await analyze([writeHostileCapture()]));
  hostile = { ...t, calls: t.calls.map((c) => ({ ...c, callId: `${c.callId}\n::error::injected\r\n\ud800\uffff` })) };
  unreadable = buildTimeline(await analyze(['no-such-capture.pcap']));
});

const children = (e: XmlElement, name: string): XmlElement[] => e.children.filter((c) => c.name === name);

/**
 * The shape CI systems read (the Jenkins / Ant JUnit schema): <testsuites> with counts,
 * <testsuite> with name, tests, failures, errors, skipped, time, then <properties>,
 * <testcase>s (name, classname, time; their properties; at most one failure or error), <system-out>,
 * <system-err>; every count equal to what the elements say.
 */
function checkJunitShape(xml: string): XmlElement {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  const suites = children(root, 'testsuite');
  expect(suites.length).toBeGreaterThan(0);
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const suite of suites) {
    for (const attr of ['name', 'tests', 'failures', 'errors', 'skipped', 'time']) expect(suite.attributes).toHaveProperty(attr);
    expect(suite.children.map((c) => c.name)).toEqual(['properties', ...children(suite, 'testcase').map(() => 'testcase'), 'system-out', 'system-err']);
    for (const p of children(children(suite, 'properties')[0]!, 'property')) expect(Object.keys(p.attributes).sort()).toEqual(['name', 'value']);
    if (suite.attributes.timestamp !== undefined) expect(suite.attributes.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const cases = children(suite, 'testcase');
    for (const c of cases) {
      expect(c.attributes.name).toBeTruthy();
      expect(c.attributes.classname).toBeTruthy();
      expect(c.attributes.time).toMatch(/^\d+(\.\d+)?$/);
      const verdicts = c.children.filter((x) => x.name === 'failure' || x.name === 'error' || x.name === 'skipped');
      expect(verdicts.length).toBeLessThanOrEqual(1);
      for (const v of verdicts) expect(v.attributes).toHaveProperty('message');
      expect(c.children.every((x) => ['properties', 'failure', 'error', 'skipped', 'system-out', 'system-err'].includes(x.name))).toBe(true);
      // A case's properties (the common JUnit format's, as pytest and jest-junit write them) come first, each a name and a value.
      const properties = children(c, 'properties');
      expect(properties.length).toBeLessThanOrEqual(1);
      if (properties.length > 0) expect(c.children[0]!.name).toBe('properties');
      for (const p of properties.flatMap((x) => children(x, 'property'))) expect(Object.keys(p.attributes).sort()).toEqual(['name', 'value']);
    }
    const f = cases.filter((c) => children(c, 'failure').length > 0).length;
    const e = cases.filter((c) => children(c, 'error').length > 0).length;
    expect(Number(suite.attributes.tests)).toBe(cases.length);
    expect(Number(suite.attributes.failures)).toBe(f);
    expect(Number(suite.attributes.errors)).toBe(e);
    expect(Number(suite.attributes.time)).toBeGreaterThanOrEqual(0);
    tests += cases.length;
    failures += f;
    errors += e;
  }
  expect(Number(root.attributes.tests)).toBe(tests);
  expect(Number(root.attributes.failures)).toBe(failures);
  expect(Number(root.attributes.errors)).toBe(errors);
  return root;
}

describe('JUnit XML', () => {
  it('has one test case per call (and per input), failed at or above --fail-on', () => {
    const atError = checkJunitShape(renderJunit(demo, { failOn: 'error' }));
    const suite = children(atError, 'testsuite')[0]!;
    const cases = children(suite, 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual([
      'input samples/demo.pcap',
      'Call 1 call alice@192.0.2.10 → bob@192.0.2.20 [demo-call-1@192.0.2.10]',
      'Call 2 call alice@example.com → carol@example.com [demo-call-2@192.0.2.10]',
      'Call 3 registration dave@example.com → dave@example.com [demo-reg-3@192.0.2.30]',
    ]);
    // The demo's findings are warnings: nothing fails at error.
    expect(cases.map((c) => children(c, 'failure')[0]?.attributes.type ?? null)).toEqual([null, null, null, null]);
    expect(suite.attributes.timestamp).toBe('2024-11-19T07:06:40');
    const properties = Object.fromEntries(children(children(suite, 'properties')[0]!, 'property').map((p) => [p.attributes.name, p.attributes.value]));
    expect(properties).toMatchObject({ 'fail-on': 'error', input: 'samples/demo.pcap', calls: '3', asr: '0.5000', 'post-dial-delay-ms.p95': '85' });

    const atWarning = children(children(checkJunitShape(renderJunit(demo, { failOn: 'warning' })), 'testsuite')[0]!, 'testcase');
    expect(atWarning.map((c) => children(c, 'failure')[0]?.attributes.type ?? null)).toEqual([null, null, 'stuck-on-100-trying', 'gone-410']);
    expect(children(atWarning[2]!, 'failure')[0]!.text).toContain('Fix: Capture on the outbound side');
    const never = checkJunitShape(renderJunit(demo, { failOn: 'never' }));
    expect(never.attributes.failures).toBe('0');
  });

  it('an input that cannot be read is an error test case', () => {
    const root = checkJunitShape(renderJunit(unreadable, { failOn: 'error' }));
    expect(root.attributes.errors).toBe('1');
    const error = children(children(children(root, 'testsuite')[0]!, 'testcase')[0]!, 'error')[0]!;
    expect(error.attributes.type).toBe('unreadable-input');
  });

  it('stays well-formed with hostile trace text: markup escaped, forbidden characters dropped', () => {
    const xml = renderJunit(hostile, { failOn: 'info' });
    const root = checkJunitShape(xml);
    const call = children(children(root, 'testsuite')[0]!, 'testcase')[1]!;
    // The text survives, as text.
    expect(call.attributes.name).toContain('cid</script><!--');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  });

  it('escapes attributes and text', () => {
    expect(escapeXmlAttr('a"b<c>&\n\u0001')).toBe('a&quot;b&lt;c&gt;&amp;&#10;\\u0001');
    expect(escapeXmlText(']]>\u0000\ud800x')).toBe(']]&gt;\\u0000\\ud800x');
  });
});

describe('GitHub Actions annotations', () => {
  it('one command per finding, with its level, file, title and a multi-line message', () => {
    const lines = renderGithub(demo, { failOn: 'warning' }).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^::warning file=samples\/demo\.pcap,title=siplens stuck-on-100-trying%3A call 2 \(#58 #59 #62\)::The INVITE got 100 Trying .*%0AWhy: .*%0AFix: /);
    expect(lines[1]).toMatch(/^::warning file=samples\/demo\.pcap,title=siplens gone-410%3A call 3 \(#60 #61\)::REGISTER for sip:dave@example\.com/);
    expect(lines[2]).toBe('siplens: 3 calls, 2 failing at --fail-on warning · findings: 0 error, 2 warning, 0 info');
    expect(renderGithub(demo, { failOn: 'error' })).toContain('title=siplens gone-410%3A call 3 (#60 #61) [below --fail-on]::');
  });

  it('an unreadable input is an error annotation', () => {
    expect(renderGithub(unreadable, { failOn: 'error' })).toMatch(/^::error file=no-such-capture\.pcap,title=siplens%3A input not read::/);
  });

  it('nothing from the trace can start a line or a command of its own', () => {
    const out = renderGithub(hostile, { failOn: 'error' });
    for (const line of out.trimEnd().split('\n')) expect(line).toMatch(/^(::(error|warning|notice) [^:]*::|siplens: )/);
    expect(out).not.toMatch(/[\r\u0000-\u0008\u000b-\u001f]/);
    expect(out).toContain('%250A::error::x');
    expect(githubData('50% \n::x')).toBe('50%25  ::x');
    expect(githubProperty('a:b,c')).toBe('a%3Ab%2Cc');
  });
});
