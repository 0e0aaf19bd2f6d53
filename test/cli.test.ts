import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'siplens-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function siplens(args: string[], stdin?: Buffer): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

function scratchFile(name: string, bytes: Uint8Array | string): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

const demo = join(REPO_ROOT, 'samples', 'demo.pcap');

describe('siplens CLI', () => {
  it('demo shows the annotated timeline of the bundled sample and exits 0', async () => {
    const r = await siplens(['demo', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ calls: 3, messages: 15, findings: { error: 0, warning: 2, info: 0 } });
    expect(doc.calls.map((c: { outcome: string }) => c.outcome)).toEqual(['answered', 'stuck', 'failed']);
    expect(doc.calls.flatMap((c: { findings: { rule: string }[] }) => c.findings.map((f) => f.rule))).toEqual(['stuck-on-100-trying', 'gone-410']);
  });

  it('analyze exits 1 when a finding reaches --fail-on, 0 otherwise', async () => {
    // An INVITE retransmitted until Timer B with no answer at all is an error: CI fails at the default --fail-on error.
    expect((await siplens([join(REPO_ROOT, 'fixtures', 'rules', 'sipp-invite-timer-b.pcap')])).code).toBe(1);
    // The demo's worst finding is a warning (a caller that gave up after 12.4 s on 100 Trying).
    expect((await siplens([demo])).code).toBe(0);
    expect((await siplens(['analyze', '--fail-on', 'never', demo])).code).toBe(0);
    expect((await siplens(['demo', '--fail-on', 'warning'])).code).toBe(1);
    const normal = join(REPO_ROOT, 'fixtures', 'real', 'sipp-uac-uas-call.pcap');
    expect((await siplens(['analyze', '--fail-on', 'info', normal])).code).toBe(0);
  });

  it('messages --format json gives one versioned document', async () => {
    const r = await siplens(['messages', '--format', 'json', demo]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('siplens/1');
    expect(doc.inputs[0]).toMatchObject({ format: 'pcap', frames: 65, sipMessages: 15, readable: true });
    expect(doc.messages[0]).toMatchObject({ frame: 1, method: 'INVITE', status: null, transport: 'UDP', src: '192.0.2.10:5060', cseq: { seq: 1, method: 'INVITE' } });
    expect(doc.messages[0].time).toBe('2024-11-19T07:06:40.000000000Z');
  });

  it('analyze is the default command', async () => {
    const r = await siplens(['--format', 'json', demo]);
    expect(JSON.parse(r.stdout).summary.calls).toBe(3);
  });

  it('reads a capture from stdin with -', async () => {
    const r = await siplens(['messages', '-'], readFileSync(demo));
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^#\d+ /gm)?.length).toBe(15);
  });

  it('a filtered messages list reads the input twice, stdin from a copy: the same rows as from the file, in capture order', async () => {
    const fromFile = await siplens(['messages', '--call-id', 'demo-call-2*', '--call-id', 'demo-call-1*', demo]);
    const fromStdin = await siplens(['messages', '--call-id', 'demo-call-2*', '--call-id', 'demo-call-1*', '-'], readFileSync(demo));
    expect(fromFile.code).toBe(0);
    const rows = (r: { stdout: string }) => r.stdout.split('\n').filter((l) => l.startsWith('#'));
    expect(rows(fromStdin)).toEqual(rows(fromFile));
    const frames = rows(fromFile).map((l) => Number(/^#(\d+)/.exec(l)![1]));
    expect(frames).toEqual([...frames].sort((a, b) => a - b));
    // --only-problems needs the findings: the first pass runs the rules.
    const problems = await siplens(['messages', '--only-problems', demo]);
    expect(rows(problems).length).toBeGreaterThan(0);
    expect(rows(problems).length).toBeLessThan(15);
  });

  it('reads gzip-compressed captures, from a file and from stdin', async () => {
    const gz = gzipSync(readFileSync(demo));
    for (const r of [await siplens(['messages', scratchFile('demo.pcap.gz', gz)]), await siplens(['messages', '-'], gz)]) {
      expect(r.code).toBe(0);
      expect(r.stdout.match(/^#\d+ /gm)?.length).toBe(15);
    }
  });

  it('reports a corrupt gzip stream and keeps what came before', async () => {
    const gz = gzipSync(readFileSync(demo));
    const r = await siplens(['messages', '--format', 'json', scratchFile('cut.pcap.gz', gz.subarray(0, gz.length - 600))]);
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs[0].diagnostics.map((d: { code: string }) => d.code)).toContain('input.gzip-error');
    expect(doc.messages.length).toBeGreaterThan(0);
    expect(r.code).toBe(0);
  });

  const failures: [string, () => string, RegExp][] = [
    ['a missing file', () => join(scratch, 'nope.pcap'), /does not exist/],
    ['a directory', () => scratch, /is a directory/],
    ['an empty file', () => scratchFile('empty.pcap', ''), /is empty/],
    ['a file that is not a capture', () => scratchFile('random.bin', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x99, 0x01])), /neither a pcap\/pcapng capture nor a SIP text log/],
    ['a text file with no SIP message', () => scratchFile('notes.txt', 'INVITE sip:bob@example.com SIP/2.0\r\nnot a header\r\n'), /no SIP messages found; formats tried: asterisk-pjsip, .*raw-sip/],
    ['a pcap cut inside its file header', () => scratchFile('header.pcap', readFileSync(demo).subarray(0, 10)), /pcap file header/],
  ];
  for (const [what, path, sentence] of failures) {
    it(`exits 2 with one clear sentence for ${what}`, async () => {
      for (const command of ['messages', 'analyze']) {
        const r = await siplens([command, path()]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(sentence);
        expect(r.stderr.trim().split('\n').length).toBe(1);
      }
      const r = await siplens(['messages', path()]);
      expect(r.stderr).toMatch(sentence);
      expect(r.stderr.trim().split('\n').length).toBe(1);
    });
  }

  it('reads a truncated capture: what was there, a diagnostic, exit 0', async () => {
    const r = await siplens(['messages', '--format', 'json', join(REPO_ROOT, 'fixtures', 'synthetic', 'truncated.pcap')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.messages.length).toBe(6);
    expect(doc.inputs[0].diagnostics).toContainEqual(expect.objectContaining({ code: 'capture.truncated-record', frame: 7 }));
  });

  it('still prints the readable inputs when another one fails, and exits 2', async () => {
    const r = await siplens(['messages', demo, join(scratch, 'missing.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stdout.match(/^#\d+ /gm)?.length).toBe(15);
  });

  it('exits 2 on a wrong command line', async () => {
    expect((await siplens([])).code).toBe(2);
    expect((await siplens(['messages', demo, '--no-such-option'])).code).toBe(2);
    expect((await siplens(['messages', demo, '--format', 'xml'])).code).toBe(2);
  });

  it('reads a text log, --date dates its time-only stamps, a bad --date is a usage error', async () => {
    const log = join(REPO_ROOT, 'fixtures', 'text', 'freeswitch-siptrace-cancel.log');
    const r = await siplens(['messages', '--format', 'json', '--date', '2024-11-19', log]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs[0]).toMatchObject({ format: 'text', sipMessages: 6, logFormats: ['freeswitch-sofia'] });
    expect(doc.messages[0]).toMatchObject({ line: 4, src: 'local:0', dst: '198.51.100.7:5060', time: '2024-11-19T23:59:50.120311000Z' });
    expect((await siplens(['analyze', log])).code).toBe(0); // stuck on 100 Trying until the caller cancelled is a warning
    const bad = await siplens(['analyze', '--date', '19/11/2024', log]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--date must be a date as YYYY-MM-DD/);
  });

  it('--leg-window sets how far apart legs linked by their numbers may start; 0 turns the guess off; a bad value is a usage error', async () => {
    const legs = join(REPO_ROOT, 'fixtures', 'synthetic', 'b2bua-legs.pcap');
    const json = async (args: string[]) => JSON.parse((await siplens(['analyze', '--format', 'json', '--fail-on', 'never', ...args, legs])).stdout);
    const linked = (doc: { calls: { leg?: unknown }[] }) => doc.calls.filter((c) => c.leg !== undefined).length;
    expect(linked(await json([]))).toBe(4);
    expect(linked(await json(['--leg-window', '0']))).toBe(2); // the X-Call-ID pair only
    expect(linked(await json(['--leg-window', '60']))).toBe(4); // the call 30 s later comes after the others had their final response: still alone
    const bad = await siplens(['analyze', '--leg-window', '-1', legs]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--leg-window must be a number of seconds/);
  });
});
