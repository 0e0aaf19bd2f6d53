/** One small log per format, written for the test: what is found, with which direction, ends, time and transport. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../../../src/index.js';
import { formatEndpoint, formatTimestampIso } from '../../../src/present/render/format.js';
import { LOG_FORMATS } from '../../../src/parse/text/formats.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

async function read(text: string, date = '2024-11-19') {
  const r = await readMessages([{ name: 'test.log', stream: Readable.from([Buffer.from(text, 'latin1')]) }], undefined, { date });
  const input = r.inputs[0]!;
  return {
    input,
    codes: input.diagnostics.map((d) => d.code),
    rows: r.messages.map((m) => ({
      line: m.line,
      what: m.message.method ?? m.message.status,
      src: formatEndpoint(m.src),
      dst: formatEndpoint(m.dst),
      transport: m.transport,
      time: formatTimestampIso(m.time).slice(0, 26),
      body: m.message.body.length,
      callId: m.message.callId,
    })),
  };
}

const OPTIONS = ['OPTIONS sip:bob@192.0.2.20 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1', 'From: <sip:a@192.0.2.10>;tag=1', 'To: <sip:bob@192.0.2.20>', 'Call-ID: c1@test', 'CSeq: 1 OPTIONS', 'Content-Length: 0', ''];
const OK = ['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1', 'From: <sip:a@192.0.2.10>;tag=1', 'To: <sip:bob@192.0.2.20>;tag=2', 'Call-ID: c1@test', 'CSeq: 1 OPTIONS', 'Content-Length: 0', ''];
const SDP = ['v=0', 'o=- 1 1 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0', 'm=audio 4000 RTP/AVP 0'];
const sdpLength = SDP.reduce((n, l) => n + l.length + 2, 0);
const INVITE = ['INVITE sip:bob@192.0.2.20 SIP/2.0', 'Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK9', 'From: <sip:a@192.0.2.10>;tag=1', 'To: <sip:bob@192.0.2.20>', 'Call-ID: c2@test', 'CSeq: 1 INVITE', 'Content-Type: application/sdp', `Content-Length: ${sdpLength}`, '', ...SDP];
const crlfBytes = (lines: string[]) => lines.reduce((n, l) => n + l.length + 2, 0);

describe('raw SIP pasted one after another', () => {
  it('reads CRLF and LF messages, with and without bodies, blank lines between or not', async () => {
    const text = [...OPTIONS, ...OK, '', '', ...INVITE].join('\n') + '\n';
    const { rows, input, codes } = await read(text);
    expect(rows.map((r) => [r.line, r.what, r.src, r.dst, r.body])).toEqual([
      [1, 'OPTIONS', 'unknown:0', 'unknown:0', 0],
      [9, 200, 'unknown:0', 'unknown:0', 0],
      [19, 'INVITE', 'unknown:0', 'unknown:0', sdpLength],
    ]);
    expect(rows[2]!.transport).toBe('TCP'); // from the Via when the log does not say
    expect(input.logFormats).toEqual(['raw-sip']);
    expect(codes).toEqual(['text.no-time']);
    const crlf = await read([...OPTIONS, ...INVITE].join('\r\n'));
    expect(crlf.rows.map((r) => r.what)).toEqual(['OPTIONS', 'INVITE']);
  });

  it('does not take a log line that merely quotes a request line for a message', async () => {
    const { rows, codes } = await read('Request-Line: INVITE tel:+15129999149 SIP/2.0\n        Method: INVITE\n');
    expect(rows).toEqual([]);
    expect(codes).toEqual(['text.no-sip']);
  });

  it('finds a message printed inside a log line, and the direction the line names', async () => {
    const text = 'Aug 07, 2024 11:42:17 PM com.example.Sip send\nINFO: Sending: ' + OPTIONS.join('\n') + '\nAug 07, 2024 11:42:18 PM com.example.Sip receive\nINFO: Response from SIP Server: ' + OK.join('\n');
    const { rows } = await read(text);
    expect(rows.map((r) => [r.what, r.src, r.dst, r.time])).toEqual([
      ['OPTIONS', 'local:0', 'remote:0', '2024-08-07T23:42:17.000000'],
      [200, 'remote:0', 'local:0', '2024-08-07T23:42:18.000000'],
    ]);
  });
});

describe('Asterisk', () => {
  it('chan_pjsip logger with VERBOSE prefixes: direction, peer, transport, time, byte count', async () => {
    const text = [
      `[2024-11-19 07:06:45.102] VERBOSE[2314] res_pjsip_logger.c: <--- Received SIP request (${crlfBytes(OPTIONS)} bytes) from UDP:192.0.2.10:5060 --->`,
      ...OPTIONS,
      '[2024-11-19 07:06:45.103] VERBOSE[2314] res_pjsip_logger.c: <--- Transmitting SIP response (999 bytes) to TLS:[2001:db8::10]:5061 --->',
      ...OK,
      '[2024-11-19 07:06:45.104] VERBOSE[2314] pbx.c: something else',
    ].join('\n');
    const { rows, input } = await read(text);
    expect(rows).toMatchObject([
      { line: 2, what: 'OPTIONS', src: '192.0.2.10:5060', dst: 'local:0', transport: 'UDP', time: '2024-11-19T07:06:45.102000' },
      { line: 11, what: 200, src: 'local:0', dst: '[2001:db8::10]:5061', transport: 'TLS', time: '2024-11-19T07:06:45.103000' },
    ]);
    const mismatch = input.diagnostics.filter((d) => d.code === 'text.byte-count-mismatch');
    expect(mismatch).toHaveLength(1); // the 999 printed for the response
    expect(mismatch[0]).toMatchObject({ line: 11 }); // located at the start line
  });

  it('chan_sip debug: read from, Transmitting, Reliably Transmitting, end markers', async () => {
    const text = [
      '<--- SIP read from UDP:192.0.2.10:5060 --->',
      ...OPTIONS,
      '<------------->',
      '--- (6 headers 0 lines) ---',
      '<--- Transmitting (NAT) to 192.0.2.10:5060 --->',
      ...OK,
      '',
      '<------------>',
      'Reliably Transmitting (no NAT) to 192.0.2.20:5060:',
      ...INVITE,
      '---',
    ].join('\n');
    const { rows, input } = await read(text);
    expect(rows.map((r) => [r.what, r.src, r.dst])).toEqual([
      ['OPTIONS', '192.0.2.10:5060', 'local:0'],
      [200, 'local:0', '192.0.2.10:5060'],
      ['INVITE', 'local:0', '192.0.2.20:5060'],
    ]);
    expect(rows[2]!.body).toBe(sdpLength);
    expect(input.logFormats).toEqual(['asterisk-chan-sip']);
  });
});

describe('FreeSWITCH sofia siptrace', () => {
  it('reads the 3-space indented variant and the plain one, with interleaved log lines, dates from the log lines', async () => {
    const rule = '-'.repeat(72);
    const text = [
      '2024-11-19 23:59:59.000001 [DEBUG] sofia.c:1 something',
      `send ${crlfBytes(INVITE)} bytes to tcp/[192.0.2.20]:5060 at 23:59:59.500000:`,
      '   ' + rule,
      ...INVITE.map((l) => (l ? '   ' + l : '')),
      '   ' + rule,
      `recv ${crlfBytes(OK)} bytes from udp/[192.0.2.20]:5060 at 00:00:00.250000:`,
      rule,
      ...OK,
      '2024-11-20 00:00:00.260000 [DEBUG] switch_core_state_machine.c:1 next',
    ].join('\n');
    const { rows, codes } = await read(text, '2000-01-01');
    expect(rows).toMatchObject([
      { what: 'INVITE', src: 'local:0', dst: '192.0.2.20:5060', transport: 'TCP', time: '2024-11-19T23:59:59.500000', body: sdpLength },
      { what: 200, src: '192.0.2.20:5060', dst: 'local:0', transport: 'UDP', time: '2024-11-20T00:00:00.250000' },
    ]);
    expect(codes).toEqual([]); // the printed sizes match the messages re-assembled with CRLF
  });
});

describe('SIPp -trace_msg', () => {
  it('takes the time from the dashed line and the direction from the banner', async () => {
    const text = [
      '----------------------------------------------- 2024-11-19 06:22:10.074005',
      `UDP message sent (${crlfBytes(OPTIONS)} bytes):`,
      '',
      ...OPTIONS.map((l) => l + '\r'),
      '',
      '----------------------------------------------- 2024-11-19 06:22:10.075116',
      `UDP message received [${crlfBytes(OK)}] bytes :`,
      '',
      ...OK.map((l) => l + '\r'),
      '',
    ].join('\n');
    const { rows, codes } = await read(text);
    expect(rows).toMatchObject([
      { line: 4, what: 'OPTIONS', src: 'local:0', dst: 'remote:0', time: '2024-11-19T06:22:10.074005' },
      { line: 16, what: 200, src: 'remote:0', dst: 'local:0', time: '2024-11-19T06:22:10.075116' },
    ]);
    expect(codes).toEqual([]);
  });
});

describe('ngrep / sipgrep -W byline', () => {
  it('reads both ends, TCP and IPv6 banners, time, and the "." that stands for CR', async () => {
    const dotted = (lines: string[]) => lines.map((l) => l + '.');
    const text = [
      'interface: lo (127.0.0.0/255.0.0.0)',
      'filter: ( port 5060 )',
      '',
      'U 2024/11/19 06:22:10.073761 192.0.2.10:5061 -> 192.0.2.20:5060 #1',
      ...dotted(OPTIONS),
      '',
      '',
      'T ::1:5060 -> ::1:5061 [AP] #2',
      ...dotted(OK),
      '',
      '',
    ].join('\n');
    const { rows, codes } = await read(text);
    expect(rows).toMatchObject([
      { what: 'OPTIONS', src: '192.0.2.10:5061', dst: '192.0.2.20:5060', transport: 'UDP', time: '2024-11-19T06:22:10.073761' },
      { what: 200, src: '[::1]:5060', dst: '[::1]:5061', transport: 'TCP', callId: 'c1@test', time: '2024-11-19T06:22:10.073761' },
    ]);
    expect(codes).toEqual(['text.no-time']); // the second banner has no time (ngrep without -t): it takes the one before
  });

  it('strips ANSI colours (sipgrep)', async () => {
    const text = ['\u001b[32mU 2024/11/19 06:22:10.073761 192.0.2.10:5061 -> 192.0.2.20:5060\u001b[0m', ...OPTIONS.map((l) => `\u001b[1m${l}\u001b[0m.`)].join('\n');
    const { rows } = await read(text);
    expect(rows).toMatchObject([{ what: 'OPTIONS', src: '192.0.2.10:5061', callId: 'c1@test' }]);
  });
});

describe('other banner formats', () => {
  it('sngrep txt export, opensips-cli trace, sipgo, pjsip and tcpdump -A', async () => {
    const text = [
      '2024/11/19 16:01:35.861404 192.0.2.10:5060 -> 192.0.2.20:5060',
      ...OPTIONS,
      '',
      '1559123758.904466 UDP/SIP 192.0.2.20:5060 -> 192.0.2.10:5060',
      ...OK,
      '--- 13:46:22.716 SIP recv ---',
      ...OPTIONS,
      '10:01:02.123 pjsua_core.c  .TX 350 bytes Request msg OPTIONS/cseq=1 (tdta0x1) to TLS 192.0.2.90:5061:',
      ...OPTIONS,
      '--end msg--',
      '17:25:36.981066 IP 192.0.2.3.5060 > 192.0.2.1.5060: SIP: OPTIONS sip:bob@192.0.2.20 SIP/2.0',
      '..p....O^.....E..Q4L..@................=..' + OPTIONS[0],
      ...OPTIONS.slice(1),
    ].join('\n');
    const { rows, input } = await read(text);
    expect(input.logFormats).toEqual(['sngrep', 'opensips-trace', 'sipgo', 'pjsip', 'tcpdump-ascii']);
    expect(rows).toMatchObject([
      { what: 'OPTIONS', src: '192.0.2.10:5060', dst: '192.0.2.20:5060', time: '2024-11-19T16:01:35.861404' },
      { what: 200, src: '192.0.2.20:5060', dst: '192.0.2.10:5060', time: '2019-05-29T09:55:58.904466' },
      { what: 'OPTIONS', src: 'remote:0', dst: 'local:0', time: '2019-05-29T13:46:22.716000' }, // time only: the date of the epoch before
      { what: 'OPTIONS', src: 'local:0', dst: '192.0.2.90:5061', transport: 'TLS' },
      { what: 'OPTIONS', src: '192.0.2.3:5060', dst: '192.0.2.1:5060', time: '2019-05-29T17:25:36.981066' },
    ]);
  });

  it('Kamailio sipdump text files, the end marker glued to a body without a final CRLF', async () => {
    const fields = (tag: string, src: string, dst: string) => ['====================', `tag: ${tag}`, 'pid: 1', 'process: 3', 'time: 1732000005.102000', 'date: Tue Nov 19 07:06:45 2024', 'proto: udp ipv4', `srcip: ${src}`, 'srcport: 5060', `dstip: ${dst}`, 'dstport: 5060', '~~~~~~~~~~~~~~~~~~~~'];
    const inviteNoFinalCrlf = [...INVITE.slice(0, -1), INVITE[INVITE.length - 1] + '||||||||||||||||||||'];
    const cl = crlfBytes(SDP) - 2;
    const text = [...fields('rcv', '192.0.2.10', '192.0.2.1'), ...OPTIONS, '||||||||||||||||||||', ...fields('snd', '192.0.2.1', '192.0.2.20'), ...inviteNoFinalCrlf.map((l) => l.replace(`Content-Length: ${sdpLength}`, `Content-Length: ${cl}`))].join('\n') + '\n';
    const { rows, codes } = await read(text);
    expect(rows).toMatchObject([
      { what: 'OPTIONS', src: '192.0.2.10:5060', dst: '192.0.2.1:5060', transport: 'UDP', time: '2024-11-19T07:06:45.102000' },
      { what: 'INVITE', src: '192.0.2.1:5060', dst: '192.0.2.20:5060', body: cl },
    ]);
    expect(codes).toEqual([]);
  });

  it('Kamailio xlog of $mb through syslog: one record per message, #015#012 escapes', async () => {
    const esc = (lines: string[]) => lines.join('#015#012');
    const text = [
      `Nov 19 07:06:45 sbc1 kamailio[8412]: INFO: <script>: received from udp:192.0.2.10:5060: ${esc(OPTIONS)}#015#012`,
      'Nov 19 07:06:45 sbc1 kamailio[8415]: NOTICE: <script>: unrelated',
      `Nov 19 07:06:46 sbc1 kamailio[8412]: INFO: <script>: sent to udp:192.0.2.10:5060: ${esc(OK)}#015#012`,
    ].join('\n');
    const { rows } = await read(text);
    expect(rows).toMatchObject([
      { line: 1, what: 'OPTIONS', src: '192.0.2.10:5060', dst: 'local:0', time: '2024-11-19T07:06:45.000000' },
      { line: 3, what: 200, src: 'local:0', dst: '192.0.2.10:5060', time: '2024-11-19T07:06:46.000000' },
    ]);
  });

  it('a message over several syslog records, one line each', async () => {
    const text = OPTIONS.map((l) => `Nov 19 07:06:45 pbx asterisk[12]: ${l}`).join('\n');
    const { rows } = await read(text);
    expect(rows).toMatchObject([{ what: 'OPTIONS', callId: 'c1@test', time: '2024-11-19T07:06:45.000000' }]);
  });

  it('Cisco debug ccsip messages: direction from Sent:/Received:', async () => {
    const text = ['*Nov 19 07:06:45.102: //-1/A1B2/SIP/Msg/ccsipDisplayMsg:', 'Received:', ...OPTIONS, '', '000123: *Nov 19 07:06:45.110 UTC: //412/A1B2/SIP/Msg/ccsipDisplayMsg:', 'Sent:', ...OK].join('\n');
    const { rows } = await read(text);
    expect(rows).toMatchObject([
      { what: 'OPTIONS', src: 'remote:0', dst: 'local:0', time: '2024-11-19T07:06:45.102000' },
      { what: 200, src: 'local:0', dst: 'remote:0', time: '2024-11-19T07:06:45.110000' },
    ]);
  });

  it('every format in the table recognises its own example banner', async () => {
    const { matchBanner } = await import('../../../src/parse/text/formats.js');
    for (const f of LOG_FORMATS) expect(matchBanner(f.example)?.format.id, f.id).toBe(f.id);
  });
});

describe('limits and failures', () => {
  it('unknown text: one sentence naming the formats tried, and the input is unreadable', async () => {
    const { input, rows } = await read('hello\nworld\n');
    expect(rows).toEqual([]);
    expect(input.readable).toBe(false);
    expect(input.diagnostics).toHaveLength(1);
    expect(diagnosticText(input.diagnostics[0]!)).toMatch(/no SIP messages found; formats tried: asterisk-pjsip, .*, raw-sip — .*turn on the tool's full SIP trace/);
  });

  it('a line longer than 256 KiB is cut with a diagnostic carrying its line number', async () => {
    const { codes, input, rows } = await read(['junk', 'x'.repeat(300 * 1024), ...OPTIONS].join('\n'));
    expect(codes).toContain('text.line-too-long');
    expect(input.diagnostics.find((d) => d.code === 'text.line-too-long')).toMatchObject({ line: 2 });
    expect(rows.map((r) => r.line)).toEqual([3]);
  });

  it('a message larger than 1 MiB is cut there', async () => {
    const big = ['MESSAGE sip:bob@b SIP/2.0', 'Via: SIP/2.0/UDP a;branch=z9hG4bKm', 'Call-ID: m@test', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain', 'Content-Length: 2000000', '', ...Array.from({ length: 20000 }, () => 'y'.repeat(99))];
    const { codes, rows } = await read(big.join('\n'));
    expect(codes).toContain('text.message-too-large');
    expect(rows[0]!.body).toBeLessThan(1024 * 1024);
  });

  it('stdin without --date: time-only stamps on 1970-01-01 with a diagnostic', async () => {
    const r = await readMessages([{ name: '-', stream: Readable.from([Buffer.from(`recv 5 bytes from udp/[192.0.2.1]:5060 at 10:00:00.000000:\n${OK.join('\n')}\n`)]) }]);
    expect(formatTimestampIso(r.messages[0]!.time)).toBe('1970-01-01T10:00:00.000000000Z');
    expect(r.inputs[0]!.diagnostics.map((d) => d.code)).toEqual(['text.byte-count-mismatch', 'text.no-date']);
  });
});

describe('hostile input', () => {
  it('stays linear on lines built to make scanners backtrack', async () => {
    const lines = [
      'SIP/2.0 1'.repeat(20000),
      ' -> '.repeat(30000),
      'recv 1 bytes from '.repeat(10000),
      '<--- Received SIP request ('.repeat(8000),
      '#012'.repeat(40000),
      '\u001b['.repeat(40000),
      'a'.repeat(100000) + ' sip:x SIP/2.0',
    ];
    const started = performance.now();
    const { rows } = await read(lines.join('\n'));
    expect(rows).toEqual([]);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('a body of blank lines with a huge Content-Length is read in linear time', async () => {
    const text = ['MESSAGE sip:b@b SIP/2.0', 'Via: SIP/2.0/UDP a;branch=z9hG4bKx', 'Call-ID: x@test', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain', 'Content-Length: 900000', '', ...Array.from({ length: 200000 }, () => '')].join('\n');
    const started = performance.now();
    const { rows } = await read(text);
    expect(rows).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
