/**
 * --write-pcap on the command line: the filters choose the calls written, stdin is read twice
 * through a copy on disk, a text log is refused, several inputs come out merged by time, and
 * tshark reads the redacted capture with every checksum right and no original value.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { REPO_ROOT } from '../support/captures.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'siplens-write-pcap-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function siplens(args: string[], input?: Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

const hasTshark = spawnSync('tshark', ['--version']).status === 0;
const demo = join('samples', 'demo.pcap');
const media = join('fixtures', 'media', 'sipp-rtp-two-way.pcap');
const tcp = join('fixtures', 'real', 'sipp-call-tcp.pcap');

async function callIds(path: string): Promise<string[]> {
  return (await analyze([path])).calls.map((c) => c.call.callId);
}

describe('siplens --write-pcap', () => {
  it('writes the calls the filters keep, with their media, and says so on stderr', async () => {
    const out = join(dir, 'one.pcap');
    const r = await siplens([demo, '--fail-on', 'never', '--call-id', 'demo-call-2@*', '--write-pcap', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*one\.pcap: \d+ frames of 1 call/);
    const ids = await callIds(out);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^demo-call-2@/);

    const withMedia = join(dir, 'media.pcapng');
    expect((await siplens([media, '--write-pcap', withMedia, '--lang', 'es'])).stderr).toMatch(/escrito .*: 478 tramas de 1 llamada/);
    const back = await analyze([withMedia]);
    expect(back.calls[0]!.media!.streams.map((s) => s.packets)).toEqual([236, 236]);
  });

  it('reads stdin twice through a copy on disk', async () => {
    const out = join(dir, 'stdin.pcap');
    const r = await siplens(['-', '--fail-on', 'never', '--write-pcap', out, '--format', 'json'], readFileSync(join(REPO_ROOT, demo)));
    expect(r.code).toBe(0);
    expect(await callIds(out)).toEqual(await callIds(join(REPO_ROOT, demo)));
  });

  it('refuses a text log, and an output that is one of the inputs', async () => {
    const log = join('fixtures', 'text', (execFileSync('ls', [join(REPO_ROOT, 'fixtures', 'text')]).toString().split('\n').find((f) => /\.(log|txt)$/.test(f)))!);
    const r = await siplens([log, '--write-pcap', join(dir, 'log.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a text log');
    const same = await siplens([demo, '--write-pcap', demo]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('would overwrite the input');
  });

  it('merges several inputs by time', async () => {
    const out = join(dir, 'merged.pcapng');
    expect((await siplens([tcp, media, '--write-pcap', out])).code).toBe(0);
    const back = await analyze([out]);
    expect(back.calls.map((c) => c.call.callId).sort()).toEqual([...(await callIds(join(REPO_ROOT, tcp))), ...(await callIds(join(REPO_ROOT, media)))].sort());
    const times = back.messages.map((m) => m.time.sec * 1e9 + m.time.nsec);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it.skipIf(!hasTshark)('tshark reads the redacted capture: the same SIP messages, every checksum right, no original value', async () => {
    for (const [input, name] of [
      [media, 'media-redacted.pcap'],
      [tcp, 'tcp-redacted.pcapng'],
    ] as const) {
      const out = join(dir, name);
      expect((await siplens([input, '--redact', '--write-pcap', out])).code).toBe(0);
      const fields = (file: string): string[][] =>
        execFileSync('tshark', ['-n', '-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|', '-e', 'sip.Method', '-e', 'sip.Status-Code', '-e', 'ip.checksum.status', '-e', 'udp.checksum.status', '-e', 'tcp.checksum.status', '-e', 'rtp.seq'], { stdio: ['ignore', 'pipe', 'ignore'] })
          .toString()
          .trim()
          .split('\n')
          .map((l) => l.split('|'));
      const before = fields(join(REPO_ROOT, input));
      const after = fields(out);
      const sip = (rows: string[][]): string[] => rows.filter((r) => r[0] !== '' || r[1] !== '').map((r) => `${r[0]}${r[1]}`);
      expect(sip(after)).toEqual(sip(before));
      expect(after.map((r) => r[5]).filter(Boolean)).toEqual(before.map((r) => r[5]).filter(Boolean));
      // Checksum status 1 is "good" (0 "unverified" never happens here, 2 is "bad").
      for (const row of after) for (const status of row.slice(2, 5)) expect(['', '1']).toContain(status);
      const text = readFileSync(out).toString('latin1');
      for (const original of ['192.0.2.10', '198.51.100.20', 'alice', 'siplens.test', 'rtp-two-way-1', 'call-tcp-1', '127.0.0.1']) expect(text).not.toContain(original);
    }
  });
});
