import { describe, expect, it } from 'vitest';
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
