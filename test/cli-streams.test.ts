/** `siplens streams`: the stream table, in text as tshark -z rtp,streams lists it, and in JSON. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function siplens(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lossy = join('fixtures', 'media', 'sipp-rtp-loss-jitter.pcap');

describe('siplens streams', () => {
  it('lists each stream with packets, loss, max delta, jitter, MOS and its call', async () => {
    const r = await siplens(['streams', lossy]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^start\s+source\s+destination\s+SSRC\s+payload\s+packets\s+lost/);
    expect(lines.slice(1).map((l) => l.replace(/^\S+ \S+\s+/, '').split(/\s+/).join(' '))).toEqual([
      '198.51.100.20:50000 192.0.2.10:40000 0xDEE0EE8F PCMA 236 0 (0.0%) 36.768 0.519 / 1.195 4.40 1',
      '192.0.2.10:40000 198.51.100.20:50000 0xDEE0EE8F PCMA 224 12 (5.1%) 78.233 9.019 / 12.326 3.89 1',
    ]);
  });

  it('writes JSON with the figures and the call of each stream, in Spanish too for text', async () => {
    const json = JSON.parse((await siplens(['streams', '--format', 'json', lossy])).stdout);
    expect(json.kind).toBe('streams');
    expect(json.streams.map((s: { call: number; packets: number; rtp: { lost: number } }) => [s.call, s.packets, s.rtp.lost])).toEqual([
      [1, 236, 0],
      [1, 224, 12],
    ]);
    expect((await siplens(['streams', '--lang', 'es', lossy])).stdout).toMatch(/^inicio\s+origen\s+destino/);
  });

  it('refuses formats other than text and json', async () => {
    const r = await siplens(['streams', '--format', 'html', lossy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('streams writes text or json');
  });
});
