import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';
import { tlsKeyLogsFrom } from '../src/cli/options.js';

describe('--tls-keylog and SSLKEYLOGFILE', () => {
  it('takes every --tls-keylog, then SSLKEYLOGFILE when that file exists', () => {
    expect(tlsKeyLogsFrom({}, {})).toEqual({});
    expect(tlsKeyLogsFrom({ 'tls-keylog': 'a.keys' }, {})).toEqual({ tlsKeyLogs: ['a.keys'] });
    expect(tlsKeyLogsFrom({ 'tls-keylog': ['a.keys', 'b.keys'] }, { SSLKEYLOGFILE: 'fixtures/tls/tls13-aes128gcm.keys' })).toEqual({
      tlsKeyLogs: ['a.keys', 'b.keys', 'fixtures/tls/tls13-aes128gcm.keys'],
    });
  });

  it('ignores SSLKEYLOGFILE naming no file yet (set for a browser before any key is written), and does not read a file twice', () => {
    expect(tlsKeyLogsFrom({}, { SSLKEYLOGFILE: '/nonexistent/keys.log' })).toEqual({});
    expect(tlsKeyLogsFrom({ 'tls-keylog': 'fixtures/tls/tls13-aes128gcm.keys' }, { SSLKEYLOGFILE: 'fixtures/tls/tls13-aes128gcm.keys' })).toEqual({ tlsKeyLogs: ['fixtures/tls/tls13-aes128gcm.keys'] });
  });
});

describe('every command that reads captures decrypts with --tls-keylog', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', cwd: REPO_ROOT });
  const capture = 'fixtures/tls/tls13-aes128gcm.pcap';
  const keys = 'fixtures/tls/tls13-aes128gcm.keys';

  it('analyze and messages (whole list, and filtered by call) see the decrypted SIP', () => {
    const report = JSON.parse(run(['--format', 'json', '--tls-keylog', keys, capture]).stdout) as { summary: { messages: number } };
    expect(report.summary.messages).toBe(7);
    const list = JSON.parse(run(['messages', '--format', 'json', '--tls-keylog', keys, capture]).stdout) as { messages: unknown[] };
    expect(list.messages).toHaveLength(7);
    const one = JSON.parse(run(['messages', '--format', 'json', '--call-id', 'tls13*', '--tls-keylog', keys, capture]).stdout) as { messages: unknown[] };
    expect(one.messages).toHaveLength(7);
    const without = JSON.parse(run(['messages', '--format', 'json', capture]).stdout) as { messages: unknown[] };
    expect(without.messages).toHaveLength(0);
  });
});
