import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';
import { parseXml } from './support/xml.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'siplens-cli-reports-'));
const demo = 'samples/demo.pcap';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function siplens(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('report formats on the command line', () => {
  it('--format ladder, markdown, mermaid, junit and github, with the usual exit codes', async () => {
    // The demo's worst finding is a warning: exit 0 at the default --fail-on error.
    const ladder = await siplens(['analyze', '--format', 'ladder', '--width', '100', demo]);
    expect(ladder.code).toBe(0);
    expect(ladder.stdout).toMatch(/│──── INVITE ─+▶│/);
    const md = await siplens(['analyze', '--format', 'markdown', '--fail-on', 'never', demo]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# siplens report/);
    expect((await siplens(['demo', '--format', 'mermaid'])).stdout).toMatch(/^%% Call 1: demo-call-1@192\.0\.2\.10\nsequenceDiagram\n/);
    const junit = await siplens(['analyze', '--format', 'junit', '--fail-on', 'warning', demo]);
    expect(junit.code).toBe(1);
    expect(parseXml(junit.stdout).attributes).toMatchObject({ tests: '4', failures: '2' });
    const github = await siplens(['analyze', '--format', 'github', '--fail-on', 'warning', demo]);
    expect(github.code).toBe(1);
    expect(github.stdout.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(2);
  });

  it('--ladder adds a ladder after each call of the text timeline', async () => {
    const r = await siplens(['demo', '--ladder', '--width', '100']);
    const call1 = r.stdout.indexOf('Call 1  demo-call-1');
    const ladder = r.stdout.search(/│◀─── 100 Trying ─+│/);
    expect(call1).toBeGreaterThanOrEqual(0);
    expect(ladder).toBeGreaterThan(call1);
    expect(ladder).toBeLessThan(r.stdout.indexOf('Call 2  '));
  });

  it('--stats appends the statistics to the text timeline or the ladders', async () => {
    for (const format of ['text', 'ladder']) {
      const r = await siplens(['demo', '--stats', '--format', format]);
      expect(r.stdout, format).toMatch(/\nStatistics\nCalls: 3 — by type: 2 call, 1 registration · 15 messages\n[\s\S]*Retransmissions: 0\n\nMedia \(2 streams\)\n[\s\S]*mean jitter .*\n$/);
    }
  });

  it('-o writes the report to a file', async () => {
    const out = join(scratch, 'report.md');
    const r = await siplens(['demo', '--format', 'markdown', '-o', out]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(out, 'utf8')).toMatch(/^# siplens report/);
  });

  it('an alias file names participants', async () => {
    const aliases = scratchFile('aliases.yaml', '"192.0.2.10:5060": alice phone\n192.0.2.1: edge proxy\n');
    const r = await siplens(['demo', '--format', 'ladder', '--aliases', aliases]);
    expect(r.stdout).toContain('alice phone (192.0.2.10:5060)');
    expect(r.stdout).toContain('edge proxy (192.0.2.1:5060)');
    const bad = await siplens(['demo', '--aliases', scratchFile('bad.yaml', '- a\n- b\n')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must map addresses to names/);
  });

  it('filters apply to every format and to the exit code', async () => {
    const json = JSON.parse((await siplens(['demo', '--format', 'json', '--status', '4xx'])).stdout);
    expect(json.calls.map((c: { number: number }) => c.number)).toEqual([2, 3]);
    expect(json.summary.calls).toBe(2);
    const md = (await siplens(['demo', '--format', 'markdown', '--user', 'dave'])).stdout;
    expect(md).toContain('## Call 3');
    expect(md).not.toContain('## Call 1');
    // Only the answered call is shown: nothing at --fail-on error, exit 0.
    expect((await siplens(['analyze', '--call-id', 'demo-call-1@*', demo])).code).toBe(0);
    expect((await siplens(['analyze', '--only-problems', '--format', 'junit', demo])).stdout).not.toContain('Call 1 call');
    const window = JSON.parse((await siplens(['demo', '--format', 'json', '--since', '2024-11-19T07:06:44Z', '--until', '2024-11-19T07:06:46Z'])).stdout);
    expect(window.calls.map((c: { number: number }) => c.number)).toEqual([2]);
    expect(JSON.parse((await siplens(['demo', '--format', 'json', '--type', 'registration', '--method', 'REGISTER'])).stdout).calls).toHaveLength(1);
  });

  it('a wrong filter or format is a usage error (exit 2)', async () => {
    for (const args of [
      ['demo', '--status', 'busy'],
      ['demo', '--since', 'yesterday'],
      ['demo', '--type', 'fax'],
      ['demo', '--width', '10'],
      ['messages', '--format', 'ladder', demo],
      ['explain', '--format', 'junit', '410'],
      ['stats', '--format', 'markdown', demo],
    ]) {
      const r = await siplens(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^siplens: /);
    }
  });

  it('no progress line when stderr is not a terminal', async () => {
    expect((await siplens(['analyze', '--fail-on', 'never', demo])).stderr).toBe('');
  });
});

describe('redaction and NDJSON on the command line', () => {
  it('--redact replaces identifying values in every format; a key makes pseudonyms stable across runs', async () => {
    for (const format of ['text', 'json', 'ndjson', 'csv', 'ladder', 'html', 'markdown', 'mermaid', 'junit', 'github']) {
      const r = await siplens(['demo', '--redact', '--format', format]);
      expect(r.code, format).toBe(0);
      for (const original of ['192.0.2.10', '192.0.2.1:', 'alice', 'carol', 'example.com', 'demo-call-2']) expect(r.stdout, `${format}: ${original}`).not.toContain(original);
    }
    const one = await siplens(['demo', '--redact', '--redact-key', 'a shared secret', '--format', 'json']);
    const two = await siplens(['demo', '--redact', '--redact-key', 'a shared secret', '--format', 'json', '--call-id', 'demo-call-2@*']);
    expect(JSON.parse(two.stdout).calls[0].callId).toBe(JSON.parse(one.stdout).calls[1].callId);
    expect((await siplens(['demo', '--redact-key', 'a shared secret'])).code).toBe(2);
    expect((await siplens(['check', '--redact', demo])).stdout).not.toContain('demo-call-2');
    expect((await siplens(['stats', '--redact', demo])).stdout).not.toContain('192.0.2.1');
  });

  it('--format ndjson writes one call per line, then the summary', async () => {
    const lines = (await siplens(['demo', '--format', 'ndjson'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(['call', 'call', 'call', 'summary']);
    expect(lines[1]).toMatchObject({ schema: 'siplens/1', number: 2, callId: 'demo-call-2@192.0.2.10', outcome: 'stuck' });
    expect(lines[3].summary.calls).toBe(3);
  });
});

describe('siplens stats', () => {
  it('prints the statistics as text or JSON, after the filters', async () => {
    const text = await siplens(['stats', demo]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('INVITE calls: 2 · answered 1 · ASR 50.0 % · NER 50.0 %');
    const json = JSON.parse((await siplens(['stats', '--format', 'json', '--type', 'call', demo])).stdout);
    expect(json).toMatchObject({ schema: 'siplens/1', kind: 'stats', calls: 2, asr: 0.5 });
  });
});

describe('siplens check', () => {
  const passing = scratchFile('pass.yaml', 'fail-on: error\nallow: [stuck-on-100-trying]\nexpect:\n  calls: 3\n  max-final-status: 487\n');
  const failing = scratchFile(
    'fail.yaml',
    'rules:\n  gone-410: error\nexpect:\n  answered: { min: 90% }\n  post-dial-delay: { p95: 50ms }\n  invite-answered-within: 5s\n',
  );

  it('exits 0 when every check passes', async () => {
    const r = await siplens(['check', '--policy', passing, demo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Passed: all 3 checks\.\n$/);
  });

  it('exits 1 with a clear list of what failed', async () => {
    const r = await siplens(['check', '-p', failing, demo]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ FAIL  findings: no finding at or above error — 1 finding');
    expect(r.stdout).toContain('call 3 (demo-reg-3@192.0.2.30): error gone-410 at #60, #61');
    expect(r.stdout).toContain('✖ FAIL  answered: share of INVITE calls answered ≥ 90 % — 50 % (1 of 2)');
    expect(r.stdout).toContain('✖ FAIL  post-dial-delay.p95: post-dial delay p95 ≤ 50 ms — 85 ms over 1 call');
    expect(r.stdout).toContain('INVITE #58 got 487 after 12.406 s (#64)');
    expect(r.stdout).toMatch(/Failed: 4 of 4 checks \(findings, answered, post-dial-delay\.p95, invite-answered-within\)\.\n$/);
  });

  it('writes the checks as JSON, JUnit (a test case per check and per call) or GitHub annotations', async () => {
    const json = JSON.parse((await siplens(['check', '-p', failing, '--format', 'json', demo])).stdout);
    expect(json).toMatchObject({ kind: 'check', passed: false });
    expect(json.checks.map((c: { id: string; passed: boolean }) => `${c.id}:${c.passed}`)).toEqual(['findings:false', 'answered:false', 'post-dial-delay.p95:false', 'invite-answered-within:false']);
    const junit = parseXml((await siplens(['check', '-p', failing, '--format', 'junit', demo])).stdout);
    const cases = junit.children[0]!.children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => c.attributes.classname)).toEqual(['siplens.inputs', ...Array(4).fill('siplens.policy'), ...Array(3).fill('siplens.samples/demo.pcap')]);
    expect(junit.attributes.failures).toBe('5');
    const github = (await siplens(['check', '-p', failing, '--format', 'github', demo])).stdout;
    expect(github).toMatch(/^::error title=siplens policy answered::share of INVITE calls answered ≥ 90 %25; got 50 %25 \(1 of 2\)%0Acall 2/m);
  });

  it('without a policy, any error finding fails', async () => {
    expect((await siplens(['check', 'fixtures/rules/sipp-invite-timer-b.pcap'])).code).toBe(1);
    expect((await siplens(['check', demo])).code).toBe(0);
    expect((await siplens(['check', 'fixtures/real/sipp-uac-uas-call.pcap'])).code).toBe(0);
  });

  it('a wrong or missing policy is a usage error that lists every problem', async () => {
    const bad = await siplens(['check', '-p', scratchFile('bad-policy.yaml', 'rules: { nope: error }\nexpect: { calls: many }\n'), demo]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('2 problems:\n  - rules: unknown rule "nope"');
    expect(bad.stderr).toContain('  - expect.calls: must be a whole number or { min, max }');
    expect((await siplens(['check', '-p', join(scratch, 'missing.yaml'), demo])).code).toBe(2);
  });

  it('an unreadable input exits 2', async () => {
    expect((await siplens(['check', '-p', passing, 'no-such.pcap'])).code).toBe(2);
  });
});

describe('a reader that stops early', () => {
  it('siplens big.pcap | head: the closed pipe ends siplens quietly (no EPIPE trace), exit 0', async () => {
    // Many calls, so siplens is still printing when the reader has gone.
    const { writePcap } = await import('./support/capture-writer.js');
    const { ethernet, ipv4, sipRequest, sipResponse, udp } = await import('./support/packets.js');
    const packets = Array.from({ length: 3000 }, (_, i) => [
      { sec: 1_732_000_000 + i, nsec: 0, data: ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(5060, 5060, sipRequest('MESSAGE', `m${i}`)))) },
      { sec: 1_732_000_000 + i, nsec: 5_000_000, data: ethernet(0x0800, ipv4('10.0.0.2', '10.0.0.1', udp(5060, 5060, sipResponse(200, 'OK', 'MESSAGE', `m${i}`)))) },
    ]).flat();
    const file = join(scratch, 'many.pcap');
    writeFileSync(file, writePcap({ linkType: 1 }, packets));
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Read the first chunk, then close our end of the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});
