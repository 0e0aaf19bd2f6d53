import { execFile, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';
import { parseXml } from './support/xml.js';
import { ethernet, ipv4, sipRequest, sipResponse, udp } from './support/packets.js';
import { withoutAssets } from './support/reports.js';

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
      // The HTML page's call details are compressed: read inflated.
      const shown = format === 'html' ? withoutAssets(r.stdout, 'en') : r.stdout;
      if (format === 'html') expect(shown).toContain('"messages":[');
      for (const original of ['192.0.2.10', '192.0.2.1:', 'alice', 'carol', 'example.com', 'demo-call-2']) expect(shown, `${format}: ${original}`).not.toContain(original);
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

/** Writes a pcap (Ethernet) record by record, so a capture of any size never sits in memory. */
class PcapFile {
  private readonly fd: number;
  private parts: Buffer[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(262144, 16);
    header.writeUInt32LE(1, 20);
    this.push(header);
  }
  datagram(us: number, text: string, fromCallee: boolean): void {
    const [src, dst] = fromCallee ? ['10.0.0.2', '10.0.0.1'] : ['10.0.0.1', '10.0.0.2'];
    const frame = ethernet(0x0800, ipv4(src, dst, udp(5060, 5060, text)));
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_732_000_000 + Math.floor(us / 1e6), 0);
    record.writeUInt32LE(us % 1e6, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    this.push(record);
    this.push(frame);
  }
  private push(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    writeSync(this.fd, Buffer.concat(this.parts));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

describe('every format streams, at the pace of its reader', () => {
  it('a call of 100,000 re-INVITEs in JSON: split with a diagnostic, and a valid document (no string-length crash)', async () => {
    const path = join(scratch, 'reinvites.pcap');
    const pcap = new PcapFile(path);
    const callId = 'reinvites';
    const withTag = (text: string): string => text.replace('To: <sip:bob@example.com>\r\n', 'To: <sip:bob@example.com>;tag=b2\r\n');
    const REINVITES = 100_000;
    // The initial INVITE, then each re-INVITE 10 ms after the last ACK: INVITE, 200, ACK, each a new CSeq; then BYE.
    let us = 0;
    for (let cseq = 1; cseq <= REINVITES + 1; cseq++) {
      pcap.datagram(us, cseq === 1 ? sipRequest('INVITE', callId, cseq) : withTag(sipRequest('INVITE', callId, cseq)), false);
      pcap.datagram(us + 1000, sipResponse(200, 'OK', 'INVITE', callId, cseq), true);
      pcap.datagram(us + 2000, withTag(sipRequest('ACK', callId, cseq)).replace(`branch=z9hG4bK-${callId}-${cseq}`, `branch=z9hG4bK-${callId}-${cseq}-ack`), false);
      us += 10_000;
    }
    pcap.datagram(us, withTag(sipRequest('BYE', callId, REINVITES + 2)), false);
    pcap.datagram(us + 1000, sipResponse(200, 'OK', 'BYE', callId, REINVITES + 2), true);
    pcap.close();
    const output = join(scratch, 'reinvites.json');
    const r = await siplens(['analyze', '--format', 'json', '--fail-on', 'never', '-o', output, path]);
    // -o says what it wrote, and nothing else goes to stderr (no crash, no stack trace).
    expect(r.stderr).toMatch(/^siplens: wrote \S+reinvites\.json: \d+ calls?, \d+ errors?, \d+ warnings?\n$/);
    expect(r.code).toBe(0);
    // Checked in a process of its own with room for the whole document parsed: what a reader of it needs.
    const check = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          '--max-old-space-size=4096',
          '-e',
          `const d = JSON.parse(require('fs').readFileSync(${JSON.stringify(output)}, 'utf8'));
           const parts = d.calls.filter((c) => c.callId === ${JSON.stringify(callId)});
           const messages = parts.reduce((n, c) => n + c.messages.length, 0);
           const diagnostics = d.inputs[0].diagnostics.map((x) => x.code);
           console.log(JSON.stringify({ keys: Object.keys(d), parts: parts.length, longest: Math.max(...parts.map((c) => c.messages.length)), messages, summary: d.summary.messages, diagnostics }));`,
        ],
        { maxBuffer: 1 << 20 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    const doc = JSON.parse(check) as { keys: string[]; parts: number; longest: number; messages: number; summary: number; diagnostics: string[] };
    const total = 3 * (REINVITES + 1) + 2;
    expect(doc.keys).toEqual(['schema', 'kind', 'calls', 'inputs', 'summary']);
    expect(doc.messages).toBe(total);
    expect(doc.summary).toBe(total);
    // The correlator's bound on messages per call (5,000) splits it, and says so.
    expect(doc.longest).toBeLessThanOrEqual(5000);
    expect(doc.parts).toBeGreaterThanOrEqual(Math.ceil(total / 5000));
    expect(doc.diagnostics).toContain('analysis.call-too-long');
  }, 600_000);

  it('a slow reader on a pipe holds the report back: what waits in memory for it stays within a chunk, whatever the report size', async () => {
    // A capture whose Markdown report is several times the chunk the output is paced by (1 MiB):
    // without back-pressure, its held sections would all be queued on stdout at the end at once.
    const path = join(scratch, 'many-calls.pcap');
    const pcap = new PcapFile(path);
    for (let i = 0; i < 3000; i++) {
      const callId = `call-${i}`;
      const us = i * 200_000;
      const bye = (text: string): string => text.replace('To: <sip:bob@example.com>\r\n', 'To: <sip:bob@example.com>;tag=b2\r\n');
      pcap.datagram(us, sipRequest('INVITE', callId), false);
      pcap.datagram(us + 1000, sipResponse(200, 'OK', 'INVITE', callId), true);
      pcap.datagram(us + 2000, bye(sipRequest('ACK', callId)).replace(`branch=z9hG4bK-${callId}-1`, `branch=z9hG4bK-${callId}-ack`), false);
      pcap.datagram(us + 50_000, bye(sipRequest('BYE', callId, 2)), false);
      pcap.datagram(us + 51_000, sipResponse(200, 'OK', 'BYE', callId, 2), true);
    }
    pcap.close();
    // Loaded before the CLI: samples what stdout holds queued after each write, and the peak RSS, reported at exit.
    const probe = join(scratch, 'probe.cjs');
    writeFileSync(
      probe,
      `let most = 0;
       const write = process.stdout.write.bind(process.stdout);
       process.stdout.write = (...args) => { const ok = write(...args); most = Math.max(most, process.stdout.writableLength); return ok; };
       process.on('exit', () => process.stderr.write('\\nPROBE ' + JSON.stringify({ queued: most, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n'));`,
    );
    const child = spawn(process.execPath, ['--require', probe, CLI, 'analyze', '--format', 'markdown', '--fail-on', 'never', path], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The reader: 16 KiB every 5 ms, far slower than siplens copies its held sections out.
    let received = 0;
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    // Paused, with a 'readable' listener: when the child exits, child_process resumes a stdout that
    // nobody listens to, and the bytes it then lets flow would be lost to the count.
    child.stdout.on('readable', () => {});
    const reading = setInterval(() => {
      for (let chunk = child.stdout.read(16384); chunk !== null; chunk = null) received += (chunk as Buffer).length;
    }, 5);
    child.stdout.on('end', () => clearInterval(reading));
    const code = await exited;
    clearInterval(reading);
    for (let chunk = child.stdout.read(); chunk !== null; chunk = child.stdout.read()) received += (chunk as Buffer).length;
    expect(code).toBe(0);
    const probed = JSON.parse(stderr.slice(stderr.lastIndexOf('PROBE ') + 6)) as { queued: number; maxRssKiB: number };
    expect(received).toBeGreaterThan(3 * 1024 * 1024);
    // Every byte reached the slow reader: the same report read at once.
    const atOnce = spawnSync(process.execPath, [CLI, 'analyze', '--format', 'markdown', '--fail-on', 'never', path], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
    expect(received).toBe(atOnce.stdout.length);
    // One spill chunk (1 MiB) and the piece written before it, never the report.
    expect(probed.queued).toBeLessThan(1.5 * 1024 * 1024);
    expect(probed.queued).toBeLessThan(received / 2.5);
  }, 300_000);

  it('a slow reader on a pipe and stdout sent to a file get the same bytes as -o, in NDJSON (reused batch buffers) and Markdown (spilled sections copied through one buffer)', async () => {
    // Every call a Call-ID of its own and a reason of its own (a long one past the writer's kept
    // texts): a batch buffer or spill chunk overwritten before the pipe took it would show as a
    // line repeated, cut or out of order.
    const path = join(scratch, 'slow-reader-bytes.pcap');
    const pcap = new PcapFile(path);
    for (let i = 0; i < 1500; i++) {
      const callId = `bytes-${i}`;
      const us = i * 200_000;
      pcap.datagram(us, sipRequest('INVITE', callId), false);
      pcap.datagram(us + 1000, sipResponse(486, `Busy ${i} ${'ñ'.repeat(i % 300)}`, 'INVITE', callId), true);
      pcap.datagram(us + 2000, sipRequest('ACK', callId).replace('To: <sip:bob@example.com>\r\n', 'To: <sip:bob@example.com>;tag=b2\r\n'), false);
    }
    pcap.close();
    /**
     * The report on stdout, a chunk every 25 ms (about 2.5 MB/s, slower than siplens writes it):
     * paused after each chunk, so the pipe fills and siplens waits on it. With a 'data' listener:
     * when the child exits, Node resumes a stdout that has none (child_process flushStdio), and
     * what a reader polling read(n) had not taken yet is dropped, as in the test above, whose
     * count of bytes received is a lower bound.
     */
    const slowly = (format: string): Promise<Buffer> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [CLI, 'analyze', '--format', format, '--fail-on', 'never', path], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
        const chunks: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          child.stdout.pause();
          setTimeout(() => child.stdout.resume(), 25);
        });
        child.on('close', () => resolve(Buffer.concat(chunks)));
      });
    for (const format of ['ndjson', 'markdown']) {
      const file = join(scratch, `slow-reader-bytes.${format}`);
      expect((await siplens(['analyze', '--format', format, '--fail-on', 'never', '-o', file, path])).code).toBe(0);
      const written = readFileSync(file);
      const piped = await slowly(format);
      expect(piped.length).toBeGreaterThan(1024 * 1024);
      expect(piped.equals(written)).toBe(true);
      // `siplens … > file`: stdout a file, written to its descriptor as -o is (src/cli/output.ts).
      const redirected = join(scratch, `slow-reader-bytes-stdout.${format}`);
      const fd = openSync(redirected, 'w');
      try {
        expect(spawnSync(process.execPath, [CLI, 'analyze', '--format', format, '--fail-on', 'never', path], { cwd: REPO_ROOT, stdio: ['ignore', fd, 'pipe'] }).status).toBe(0);
      } finally {
        closeSync(fd);
      }
      expect(readFileSync(redirected).equals(written)).toBe(true);
      if (format === 'ndjson') {
        const calls = written.toString('utf8').trimEnd().split('\n').slice(0, -1).map((line) => JSON.parse(line) as { callId: string; messages: { reason: string | null }[] });
        expect(calls.map((c) => c.callId)).toEqual(Array.from({ length: 1500 }, (_, i) => `bytes-${i}`));
        expect(calls.map((c) => c.messages[1]!.reason)).toEqual(Array.from({ length: 1500 }, (_, i) => `Busy ${i} ${'ñ'.repeat(i % 300)}`.trimEnd()));
      }
    }
  }, 300_000);

  it.skipIf(!existsSync('/dev/full'))('a report that cannot be written (a full disk: /dev/full as stdout or -o; a temporary directory that cannot be written) ends with one line on stderr and exit 2, not a stack trace', () => {
    const path = join(scratch, 'full-disk.pcap');
    const pcap = new PcapFile(path);
    for (let i = 0; i < 50; i++) {
      pcap.datagram(i * 1000, sipRequest('INVITE', `full-${i}`), false);
      pcap.datagram(i * 1000 + 500, sipResponse(486, 'Busy Here', 'INVITE', `full-${i}`), true);
    }
    pcap.close();
    const runs = [
      ...['ndjson', 'json', 'text'].map((format) => ['analyze', '--format', format, '-o', '/dev/full', path]),
      ['streams', '-o', '/dev/full', path],
    ];
    for (const args of runs) {
      const run = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT });
      expect(run.status, args.join(' ')).toBe(2);
      const lines = run.stderr.toString('utf8').trimEnd().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(/^siplens: .*\/dev\/full.*ENOSPC/);
    }
    // A report held aside in a temporary file (JUnit's totals come first) whose directory cannot be written.
    const held = spawnSync(process.execPath, [CLI, 'analyze', '--format', 'junit', '-o', join(scratch, 'full-disk.xml'), path], { cwd: REPO_ROOT, env: { ...process.env, TMPDIR: join(scratch, 'no-such-dir') } });
    expect(held.status).toBe(2);
    expect(held.stderr.toString('utf8').trimEnd().split('\n')).toHaveLength(1);
    expect(held.stderr.toString('utf8')).toContain('no-such-dir');
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [CLI, 'analyze', '--format', 'json', path], { cwd: REPO_ROOT, stdio: ['ignore', full, 'pipe'] });
      expect(run.status).toBe(2);
      expect(run.stderr.toString('utf8').trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr.toString('utf8')).toContain('ENOSPC');
    } finally {
      closeSync(full);
    }
  });

  it('a fast reader on a pipe (siplens | cat) gets the same bytes as a file: no batch buffer is written into before the pipe took it', async () => {
    // A reader that keeps up: most writes finish at once, some find the pipe full. A batch buffer
    // reused before the pipe took it would show as 64 KiB stretches of a later batch. Every call
    // is open at once, so the end of the capture hands them over together and one turn of the
    // event loop flushes many batches. (Session 12's reverted reuse, 6226ba1, corrupted
    // `siplens | cat` on the bench captures then, but passes this test and that command on this
    // machine in session 13: the pipe's timing decides; the md5 of piped bench reports stays the
    // check for such a change.)
    const path = join(scratch, 'fast-reader-bytes.pcap');
    const pcap = new PcapFile(path);
    for (let i = 0; i < 3000; i++) {
      const callId = `fast-${i}`;
      const us = i * 100;
      pcap.datagram(us, sipRequest('INVITE', callId), false);
      pcap.datagram(us + 1000, sipResponse(486, `Busy ${i}`, 'INVITE', callId), true);
      pcap.datagram(us + 2000, sipRequest('ACK', callId).replace('To: <sip:bob@example.com>\r\n', 'To: <sip:bob@example.com>;tag=b2\r\n'), false);
    }
    pcap.close();
    const file = join(scratch, 'fast-reader-bytes.ndjson');
    expect((await siplens(['analyze', '--format', 'ndjson', '--fail-on', 'never', '-o', file, path])).code).toBe(0);
    const written = readFileSync(file);
    expect(written.length).toBeGreaterThan(4 * 1024 * 1024);
    for (let round = 0; round < 2; round++) {
      const piped = join(scratch, `fast-reader-bytes.${round}.ndjson`);
      const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
      const shell = spawnSync('sh', ['-c', `${quote(process.execPath)} ${quote(CLI)} analyze --format ndjson --fail-on never ${quote(path)} | cat > ${quote(piped)}`], { cwd: REPO_ROOT });
      expect(shell.status).toBe(0);
      expect(readFileSync(piped).equals(written)).toBe(true);
    }
  }, 300_000);
});
