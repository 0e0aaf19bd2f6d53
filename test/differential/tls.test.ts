/**
 * Differential test of TLS decryption against Wireshark: on every capture of fixtures/tls/,
 * `tshark -o tls.keylog_file:NAME.keys -Y sip` (the pcapng uses its own Decryption Secrets
 * Block) finds SIP in the same frames as siplens given the same key log, with the same methods,
 * statuses and Call-IDs. tshark, like siplens, reports a message in the frame that completes it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { REPO_ROOT } from '../support/captures.js';

const run = promisify(execFile);
const version = await run('tshark', ['--version']).then(
  (r) => r.stdout.split('\n')[0] ?? null,
  () => null,
);

const DIR = join(REPO_ROOT, 'fixtures', 'tls');
const captures = existsSync(DIR) ? readdirSync(DIR).filter((f) => /\.(pcap|pcapng)$/.test(f)).sort() : [];
const SEP = '\u001f';

type Rows = Record<number, string>;

/** Per frame: methods, statuses and Call-IDs, each sorted. */
const row = (methods: string[], statuses: string[], callIds: string[]): string => [methods.sort().join(','), statuses.sort().join(','), callIds.sort().join(',')].join(' | ');

async function tsharkRows(file: string, keys: string | null): Promise<Rows> {
  const args = ['-n', '-r', file, ...(keys === null ? [] : ['-o', `tls.keylog_file:${keys}`]), '-Y', 'sip', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', `aggregator=${SEP}`];
  const { stdout } = await run('tshark', [...args, '-e', 'frame.number', '-e', 'sip.Method', '-e', 'sip.Status-Code', '-e', 'sip.Call-ID']);
  const rows: Rows = {};
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const [frame, methods, statuses, callIds] = line.split('\t').map((v) => (v ? v.split(SEP).filter(Boolean) : []));
    rows[Number(frame![0])] = row(methods ?? [], statuses ?? [], callIds ?? []);
  }
  return rows;
}

async function siplensRows(file: string, keys: string | null): Promise<Rows> {
  const result = await analyze([file], keys === null ? {} : { tlsKeyLogs: [keys] });
  const byFrame = new Map<number, { methods: string[]; statuses: string[]; callIds: string[] }>();
  for (const m of result.messages) {
    let r = byFrame.get(m.frame!);
    if (r === undefined) byFrame.set(m.frame!, (r = { methods: [], statuses: [], callIds: [] }));
    if (m.message.method !== null) r.methods.push(m.message.method);
    if (m.message.status !== null) r.statuses.push(String(m.message.status));
    if (m.message.callId !== null) r.callIds.push(m.message.callId);
  }
  return Object.fromEntries([...byFrame].map(([frame, r]) => [frame, row(r.methods, r.statuses, r.callIds)]));
}

describe.skipIf(version === null || captures.length === 0)(`TLS decryption: siplens vs ${version ?? 'tshark (not installed)'}`, () => {
  it.each(captures)('%s: the same SIP frames', async (name) => {
    const file = join(DIR, name);
    const keyFile = join(DIR, name.replace(/\.(pcap|pcapng)$/, '.keys'));
    const keys = existsSync(keyFile) ? keyFile : null;
    const [theirs, ours] = await Promise.all([tsharkRows(file, keys), siplensRows(file, keys)]);
    expect(ours).toEqual(theirs);
    // Every capture but the one cut after its handshake carries SIP once decrypted.
    if (!name.includes('midstream')) expect(Object.keys(ours).length).toBeGreaterThanOrEqual(4);
  });
});
