/**
 * Redaction: for every fixture, every corpus capture and a hostile capture, every identifying value the parser
 * found (users, numbers, display names, addresses, hosts, tags, Call-IDs — taken from the
 * parsed messages, not from the redactor) is searched in every redacted output format, in
 * every encoding the formats use, and none is found.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../../src/index.js';
import { renderHtml } from '../../src/present/render/html.js';
import { renderJson } from '../../src/present/render/json.js';
import { renderText } from '../../src/present/render/text.js';
import { redactTimeline, Redactor } from '../../src/present/redact.js';
import { computeStatistics } from '../../src/present/stats.js';
import { buildTimeline, type Timeline } from '../../src/present/timeline.js';
import { corpusCaptures, fixtureCaptures, REPO_ROOT } from '../support/captures.js';
import { HOSTILE_ORIGINALS, writeHostileCapture } from '../support/hostile.js';
import { encodings, findContext, findToken, isShort, originalsOf, shortContexts } from '../support/redaction.js';
import { renderReports } from '../support/reports.js';

function redactedOutputs(timeline: Timeline): Record<string, string> {
  const redacted = redactTimeline(timeline);
  const statistics = computeStatistics(redacted);
  return {
    ...renderReports(redacted),
    txt: renderText(redacted, { color: false }),
    json: renderJson(redacted),
  };
}

function expectNoOriginal(result: AnalysisResult, outputs: Record<string, string>): void {
  // A capture with no readable SIP (TLS) has nothing to hide; the others must have something to check.
  const originals = originalsOf(result);
  expect(originals.length > 0 || result.messages.length === 0).toBe(true);
  const leaks: string[] = [];
  for (const [format, output] of Object.entries(outputs)) {
    for (const o of originals) {
      if (isShort(o)) {
        for (const context of shortContexts(o)) {
          for (const form of encodings(context)) {
            const where = findContext(output, form, format);
            if (where !== null) leaks.push(`${format}: ${o.kind} ${JSON.stringify(o.value)} in …${JSON.stringify(where)}…`);
          }
        }
      } else {
        for (const form of encodings(o.value)) {
          const where = findToken(output, form);
          if (where !== null) leaks.push(`${format}: ${o.kind} ${JSON.stringify(o.value)} in …${JSON.stringify(where)}…`);
        }
      }
    }
  }
  expect(leaks).toEqual([]);
}

describe('redaction', () => {
  // The fixtures, and the real captures of the shared corpus when it is there.
  for (const file of [...fixtureCaptures(), ...corpusCaptures()]) {
    const path = file.startsWith(REPO_ROOT) ? relative(REPO_ROOT, file) : file;
    it(`${path}: no original user, number, name, address, host, tag or Call-ID in any redacted output`, async () => {
      const result = await analyze([path]);
      expectNoOriginal(result, redactedOutputs(buildTimeline(result)));
      // The scanner traces render every format twice over thousands of calls: 20-30 s alone, more on 2 busy cores.
    }, 180_000);
  }

  it('a hostile capture: none of its values survives either', async () => {
    const result = await analyze([writeHostileCapture()]);
    const outputs = redactedOutputs(buildTimeline(result));
    expectNoOriginal(result, outputs);
    for (const [format, output] of Object.entries(outputs)) {
      for (const value of HOSTILE_ORIGINALS) for (const form of encodings(value)) expect(findToken(output, form), `${format}: ${value}`).toBeNull();
    }
  });

  it('no input path either: directories and file names become input-N with the file type, in the inputs, messages and diagnostics', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'siplens-redact-')), 'home-of-alice');
    mkdirSync(dir);
    const path = join(dir, 'bob-customer-trace.pcap');
    const demo = readFileSync('samples/demo.pcap');
    writeFileSync(path, demo.subarray(0, demo.length - 30)); // cut inside the last record: a diagnostic that names the file
    const outputs = redactedOutputs(buildTimeline(await analyze([path])));
    for (const [format, output] of Object.entries(outputs)) {
      expect(output, format).not.toContain('home-of-alice');
      expect(output, format).not.toContain('bob-customer-trace');
    }
    expect(outputs.txt).toContain('input-1.pcap — pcap');
  });

  it('pseudonyms are consistent: one value, one pseudonym, in every field and format', async () => {
    const t = redactTimeline(buildTimeline(await analyze(['samples/demo.pcap'])));
    // Caller 192.0.2.10 is the same pseudonym in the endpoints of calls 1 and 2, and in the raw Via.
    const caller = t.calls[0]!.messages[0]!.src.ip;
    expect(caller).toMatch(/^240\.0\.0\.\d+$/);
    expect(t.calls[1]!.messages[0]!.src.ip).toBe(caller);
    expect(t.calls[0]!.messages[0]!.raw).toContain(`Via: SIP/2.0/UDP ${caller}:5060;branch=`);
    // alice is one user everywhere; the Call-ID field and the raw Call-ID header agree.
    const alice = /^(user-\d+)@/.exec(t.calls[0]!.from!)![1]!;
    expect(t.calls[1]!.from).toMatch(new RegExp(`^${alice}@host-\\d+\\.invalid$`));
    expect(t.calls[0]!.messages[0]!.raw).toContain(`Call-ID: ${t.calls[0]!.callId}\r\n`);
    expect(t.calls[1]!.findings[0]!.fix).toContain(t.calls[1]!.messages[0]!.requestUri!);
    // Display names, tags.
    expect(t.calls[1]!.messages[0]!.raw).toMatch(/From: "Person \d+" <sip:user-\d+@host-\d+\.invalid>;tag=tag-\d+/);
    // What is not identifying stays: methods, statuses, ports, CSeq, times.
    expect(t.calls[1]!.messages.map((m) => m.method ?? m.status)).toEqual(['INVITE', 100, 'CANCEL', 200, 487, 'ACK']);
    expect(t.calls[1]!.messages[0]!.raw).toContain('CSeq: 1 INVITE');
  });

  it('keeps which messages carry SDP (the row finds it when read, a spread of the row would not copy it)', async () => {
    const result = await analyze([join(REPO_ROOT, 'samples', 'demo.pcap')]);
    const timeline = buildTimeline(result);
    const flags = (t: Timeline) => t.calls.map((c) => c.messages.map((m) => m.sdp));
    expect(flags(timeline).flat()).toContain(true);
    expect(flags(redactTimeline(timeline, { key: 'k' }))).toEqual(flags(timeline));
  });

  it('is the same in two runs; with a key, the same across runs and different for another key', async () => {
    const timeline = buildTimeline(await analyze(['samples/demo.pcap']));
    expect(renderJson(redactTimeline(timeline))).toBe(renderJson(redactTimeline(timeline)));
    const a = redactTimeline(timeline, { key: 'first secret' });
    const b = redactTimeline(timeline, { key: 'first secret' });
    const c = redactTimeline(timeline, { key: 'other secret' });
    expect(renderJson(a)).toBe(renderJson(b));
    expect(a.calls[0]!.callId).not.toBe(c.calls[0]!.callId);
    expect(a.calls[0]!.callId).toMatch(/^callid-[0-9a-f]{8}$/);
    // Keyed pseudonyms do not depend on what else is in the capture.
    const alone = redactTimeline({ ...timeline, calls: [timeline.calls[2]!] }, { key: 'first secret' });
    expect(alone.calls[0]!.callId).toBe(a.calls[2]!.callId);
    expect(alone.calls[0]!.messages[0]!.src).toEqual(a.calls[2]!.messages[0]!.src);
  });

  it('the leak search finds a short original in its SIP place, not inside a pseudonym or in markup', () => {
    // Found: the extension 10 as a URI user, a display name, a digest user name, in any format.
    expect(findContext('<sip:10@host-1.invalid>', 'sip:10@', 'txt')).not.toBeNull();
    expect(findContext('From: 10@host', '10@', 'txt')).not.toBeNull();
    expect(findContext('From: "10" <sip:user-1@x>', '"10" <', 'txt')).not.toBeNull();
    expect(findContext('From: 10 &lt;sip:user-1@x&gt;', '10 &lt;', 'html')).not.toBeNull();
    expect(findContext('username="10"', 'username="10"', 'json')).not.toBeNull();
    // Not found: the pseudonym user-10 (extension-scan.pcap has originals 10-25 and pseudonyms user-1-user-16), a longer
    // number, and the call number before an HTML tag, where the trace's own "<" would have been escaped.
    expect(findContext('user-10@240.0.0.2', '10@', 'txt')).toBeNull();
    expect(findContext('sip:110@x', '10@', 'txt')).toBeNull();
    expect(findContext('<h3>Call 10 <span class="outcome">', '10 <', 'html')).toBeNull();
  });

  it('pseudonyms keep the shape of what they replace and cannot be real', () => {
    const r = new Redactor();
    expect(r.pseudonym('ipv4', '10.1.2.3')).toBe('240.0.0.1');
    expect(r.pseudonym('ipv6', '2001:db8::1')).toBe('100::1');
    expect(r.pseudonym('user', '+15551234567')).toBe('+00000000001');
    expect(r.pseudonym('user', 'alice')).toBe('user-1');
    expect(r.pseudonym('host', 'Example.COM')).toBe('host-1.invalid');
    expect(r.pseudonym('host', 'example.com')).toBe('host-1.invalid');
    expect(r.text('To: "Bob B" <sip:200@pbx.example.com;user=phone>;tag=x1\r\nCall-ID: abc@10.1.2.3\r\nSubject: 200 OK from 10.1.2.3')).toBe(
      'To: "Person 1" <sip:002@host-2.invalid;user=phone>;tag=tag-1\r\nCall-ID: callid-1\r\nSubject: 200 OK from 240.0.0.1',
    );
    // Digest credentials: the user and a domain realm get pseudonyms; the response, which allows guessing the password, is blanked.
    expect(r.text('Authorization: Digest username="1001", realm="pbx.example.com", nonce="abc", uri="sip:1002@pbx.example.com", response="0123456789abcdef", cnonce="x1"')).toBe(
      'Authorization: Digest username="0004", realm="host-2.invalid", nonce="abc", uri="sip:0003@host-2.invalid", response="redacted", cnonce="redacted"',
    );
  });

  it('a display name written with escaped quotes outside a quoted string is a name too (some phones send `\\"arik\\" <sip:…>`)', () => {
    const r = new Redactor();
    expect(r.text('f: \\"arik\\" <sip:2001@pbx.example.com>;tag=a1')).toBe('f: Person 1 <sip:0001@host-1.invalid>;tag=tag-1');
  });
});
