/**
 * The real logs in ../shared/corpus/text/ (see its MANIFEST.md): every message in them, counted
 * by hand once, with the direction, ends and time the format gives, and the grouping into calls.
 * Most are excerpts from issue threads, cut at the start or the end: a message cut short is
 * still found, and a cut Call-ID makes a call of its own. Skipped when the corpus is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { formatEndpoint, formatTimestampIso } from '../../../src/present/render/format.js';
import { CORPUS_TEXT_DIR } from '../../support/captures.js';

/** The date passed for logs that print times without one. */
const DATE = '2020-01-01';

interface Expected {
  /** Log formats recognised. */
  readonly formats: readonly string[];
  /** Per message: start line, method or status, "src -> dst", and the time when the log prints one (ISO to µs). */
  readonly messages: readonly (readonly [number, string | number, string, string?])[];
  /** Messages per call, in call order. */
  readonly calls: readonly number[];
}

const CORPUS: Readonly<Record<string, Expected>> = {
  'asterisk-chan-sip-debug-subscribe-notify-presence.txt': {
    formats: ['asterisk-chan-sip'],
    messages: [
      [2, 'SUBSCRIBE', '10.24.17.254:37509 -> local:0'],
      [28, 401, 'local:0 -> 10.24.17.254:37509'],
      [45, 'SUBSCRIBE', '10.24.17.254:37509 -> local:0'],
      [72, 200, 'local:0 -> 10.24.17.254:37509'],
      [90, 'NOTIFY', 'local:0 -> 10.24.17.254:37509'],
      [123, 200, '10.24.17.254:37509 -> local:0'],
    ],
    calls: [6],
  },
  'asterisk-pjsip-logger-wss-invite-browser-phone-301.txt': {
    formats: ['asterisk-pjsip'],
    messages: [[2, 'INVITE', '66.154.105.4:48850 -> local:0']],
    calls: [1],
  },
  'baresip-console-log-register-baresip-2344.txt': {
    formats: ['src-dst'],
    messages: [[27, 'REGISTER', '192.168.0.240:37472 -> 192.168.0.17:5060', '2020-01-01T20:25:11.561000']],
    calls: [1],
  },
  'diago-sipgo-log-reinvite-100-diago-150.txt': {
    formats: ['sipgo'],
    messages: [
      [2, 'INVITE', 'remote:0 -> local:0', '2020-01-01T13:46:22.716000'],
      [34, 100, 'local:0 -> remote:0', '2020-01-01T13:46:22.717000'],
    ],
    calls: [1, 1], // the excerpt cuts the 100's Call-ID
  },
  'drachtio-sofia-log-siprec-invite-multipart-drachtio-siprec-49.txt': {
    formats: ['freeswitch-sofia'],
    messages: [[5, 'INVITE', 'bw_sbc:5060 -> local:0', '2021-09-07T07:36:14.784706']],
    calls: [1],
  },
  'freeswitch-debug-log-siptrace-send-ack-freeswitch-1144.txt': {
    formats: ['freeswitch-sofia'],
    messages: [[10, 'ACK', 'local:0 -> xx.xx.xx.xxx2:5064', '2020-01-01T17:28:37.346923']],
    calls: [1],
  },
  'gosip-echo-test-freeswitch-siptrace.txt': {
    formats: ['freeswitch-sofia'],
    messages: [
      [3, 'INVITE', 'local:0 -> 10.11.34.37:5060', '2020-01-01T15:46:48.569658'],
      [32, 100, '10.11.34.37:5060 -> local:0', '2020-01-01T15:46:48.570890'],
      [44, 200, '10.11.34.37:5060 -> local:0', '2020-01-01T15:46:48.571844'],
      [71, 'ACK', 'local:0 -> 10.11.34.37:5060', '2020-01-01T15:46:48.572320'],
      [83, 'BYE', 'local:0 -> 10.11.34.37:5060', '2020-01-01T15:46:53.048617'],
      [113, 200, '10.11.34.37:5060 -> local:0', '2020-01-01T15:46:53.049140'],
    ],
    calls: [6],
  },
  'jsipdialer-java-log-invite-401-sipdoorbell-106.txt': {
    formats: ['raw-sip'],
    messages: [
      [2, 'INVITE', 'local:0 -> remote:0', '2024-08-07T23:42:17.000000'],
      [12, 401, 'remote:0 -> local:0', '2024-08-07T23:42:17.000000'],
    ],
    calls: [1, 1], // the excerpt ends inside the 401's Via: no Call-ID
  },
  'kamailio-kemi-log-sipdump-200-options-kamailio-pr-3329.txt': {
    formats: ['raw-sip'],
    messages: [[2, 200, 'unknown:0 -> unknown:0']],
    calls: [1],
  },
  'linphone-android-logcat-belle-sip-100-trying-linphone-android-527.txt': {
    formats: ['raw-sip'],
    messages: [[2, 100, 'sipproxy.ucpaas.com:25060 -> local:0', '2020-03-27T19:55:24.130000']],
    calls: [1],
  },
  'ngrep-byline-sll-trailing-garbage-ngrep-10.txt': {
    formats: ['raw-sip'],
    messages: [[1, 200, 'unknown:0 -> unknown:0']],
    calls: [1],
  },
  'opensips-cli-trace-invite-100-opensips-1692.txt': {
    formats: ['opensips-trace'],
    messages: [
      [2, 'INVITE', '10.0.0.12:5075 -> 10.0.0.15:5060', '2019-05-29T09:55:58.904466'],
      [36, 100, '10.0.0.15:5060 -> 10.0.0.12:5075', '2019-05-29T09:55:58.905448'],
    ],
    calls: [2],
  },
  'pjsua-log-tls-invite-pjproject-2952.txt': {
    formats: ['pjsip'],
    messages: [[12, 'INVITE', 'local:0 -> 192.168.0.90:5061']],
    calls: [1],
  },
  'sipjs-console-log-websocket-401-sipjs-129.txt': {
    formats: ['raw-sip'],
    messages: [
      [3, 401, 'remote:0 -> local:0'],
      [18, 'ACK', 'local:0 -> remote:0'],
    ],
    calls: [2],
  },
  'sipp-trace-msg-tcp-ack-200-sipp-412.txt': {
    formats: ['raw-sip', 'sipp-trace-msg'],
    messages: [
      [1, 'ACK', 'unknown:0 -> unknown:0', '2019-08-17T16:28:42.417383'], // the excerpt starts inside its block: no banner
      [15, 200, 'remote:0 -> local:0', '2019-08-17T16:28:42.417383'],
    ],
    calls: [2],
  },
  'sngrep-text-export-200-ack-sofia-sip-279.txt': {
    formats: ['sngrep'],
    messages: [
      [6, 200, '172.21.10.46:6660 -> 172.21.10.43:6660', '2024-11-19T16:01:35.861404'],
      [35, 'ACK', '172.21.10.43:6660 -> 172.21.10.47:6660', '2024-11-19T16:01:35.861585'],
    ],
    calls: [2],
  },
  'tcpdump-ascii-invite-rtpengine-816.txt': {
    formats: ['tcpdump-ascii'],
    messages: [
      [2, 'INVITE', '192.168.4.3:5060 -> 192.168.4.1:5060', '2020-01-01T17:25:36.981066'],
      [33, 100, '192.168.4.1:5060 -> 192.168.4.3:5060', '2020-01-01T17:25:36.988813'],
    ],
    calls: [1, 1], // the excerpt ends inside the 100's Via: no Call-ID
  },
};

const present = existsSync(CORPUS_TEXT_DIR);

describe.skipIf(!present)('real text logs in ../shared/corpus/text', () => {
  it.each(Object.entries(CORPUS))('%s', async (name, want) => {
    const result = await analyze([join(CORPUS_TEXT_DIR, name)], { date: DATE });
    const input = result.inputs[0]!;
    expect(input.readable).toBe(true);
    expect(input.logFormats).toEqual(want.formats);
    const got = result.messages.map((m) => {
      const row: (string | number)[] = [m.line!, m.message.method ?? m.message.status!, `${formatEndpoint(m.src)} -> ${formatEndpoint(m.dst)}`];
      return row;
    });
    expect(got).toEqual(want.messages.map((w) => w.slice(0, 3)));
    want.messages.forEach((w, i) => {
      if (w[3] !== undefined) expect(formatTimestampIso(result.messages[i]!.time).slice(0, 26), `${name} message ${i + 1}`).toBe(w[3]);
    });
    expect(result.calls.map((c) => c.call.messages.length)).toEqual(want.calls);
  });

  it('the Wireshark dissection tree is not a SIP log: one sentence, unreadable', async () => {
    const result = await analyze([join(CORPUS_TEXT_DIR, 'wireshark-text-dissection-ims-invite-open5gs-1762.txt')]);
    expect(result.inputs[0]!.readable).toBe(false);
    expect(result.inputs[0]!.diagnostics.map((d) => d.code)).toEqual(['text.no-sip']);
  });

  it('every message in the corpus is counted: 34 in 17 logs', () => {
    expect(Object.values(CORPUS).reduce((n, e) => n + e.messages.length, 0)).toBe(34);
  });

  it('the complete FreeSWITCH call is answered and grouped with its BYE', async () => {
    const result = await analyze([join(CORPUS_TEXT_DIR, 'gosip-echo-test-freeswitch-siptrace.txt')], { date: DATE });
    expect(result.calls.map((c) => [c.call.callId, c.outcome.outcome])).toEqual([['87704115-03b8-122e-08b5-001bfcce6bdf', 'answered']]);
    expect(result.inputs[0]!.diagnostics).toEqual([]); // every printed byte count matches the re-assembled message
  });
});
