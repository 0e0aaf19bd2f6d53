/**
 * The streaming analysis (analyzeStream, src/parse/dialog/correlate.ts): a call is handed over
 * once it is over in capture time and forgotten; what keeps a call open (an INVITE waiting for
 * its final response, a dialog that is up, a registration that lasts) does; tables are bounded
 * with a diagnostic; and the streamed report says exactly what the whole-timeline renderers say.
 */
import { Readable, Writable } from 'node:stream';
import path, { relative } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeStream, type AnalyzedCall, type Call, type CapturedMessage, type InputSpec } from '../../src/index.js';
import { correlate, Correlator } from '../../src/parse/dialog/correlate.js';
import { parseSipMessage } from '../../src/parse/sip/parse.js';
import { buildTimeline } from '../../src/present/timeline.js';
import { reportOptionsFrom } from '../../src/cli/options.js';
import { renderReport, streamReport } from '../../src/cli/report.js';
import { ReportOutput } from '../../src/cli/output.js';
import { writePcap, type Packet } from '../support/capture-writer.js';
import { ethernet, ipv4, sipRequest, sipResponse, udp } from '../support/packets.js';
import { corpusCaptures, fixtureCaptures, fixtureTextLogs, REPO_ROOT, TEXT_FIXTURE_DATE } from '../support/captures.js';
import { ms } from '../support/rules.js';
import { withFields } from '../support/sip.js';
import { diagnosticText } from '../../src/present/diagnostics.js';

const T0 = 1_732_000_000;

/** One SIP datagram from the caller (10.0.0.1) or the callee (10.0.0.2) at `seconds` after T0. */
function datagram(seconds: number, text: string, fromCallee = false): Packet {
  const [src, dst] = fromCallee ? ['10.0.0.2', '10.0.0.1'] : ['10.0.0.1', '10.0.0.2'];
  const whole = Math.floor(seconds);
  return { sec: T0 + whole, nsec: Math.round((seconds - whole) * 1e9), data: ethernet(0x0800, ipv4(src, dst, udp(5060, 5060, text))) };
}

/** The packets as a capture, in time order. */
function capture(packets: Packet[]): InputSpec {
  const inOrder = [...packets].sort((a, b) => a.sec - b.sec || a.nsec - b.nsec);
  return { name: 'stream.pcap', stream: Readable.from([writePcap({ linkType: 1 }, inOrder)]) };
}

/** A call answered at `at` and hung up `talk` seconds later. */
function answeredCall(callId: string, at: number, talk: number): Packet[] {
  return [
    datagram(at, sipRequest('INVITE', callId)),
    datagram(at + 0.01, sipResponse(200, 'OK', 'INVITE', callId), true),
    datagram(at + 0.02, sipRequest('ACK', callId).replace(`branch=z9hG4bK-${callId}-1`, `branch=z9hG4bK-${callId}-ack`)),
    datagram(at + talk, sipRequest('BYE', callId, 2).replace('To: <sip:bob@example.com>', 'To: <sip:bob@example.com>;tag=b2')),
    datagram(at + talk + 0.01, sipResponse(200, 'OK', 'BYE', callId, 2), true),
  ];
}

/** A MESSAGE and its 200: a non-INVITE exchange, over once quiet for 32 s. */
function exchange(callId: string, at: number): Packet[] {
  return [datagram(at, sipRequest('MESSAGE', callId)), datagram(at + 0.005, sipResponse(200, 'OK', 'MESSAGE', callId), true)];
}

/** Runs analyzeStream and records, in order, every message read and every batch handed over. */
async function events(packets: Packet[], extra: Parameters<typeof analyzeStream>[1] extends infer O ? Partial<O> : never = {}) {
  const log: string[] = [];
  const batches: AnalyzedCall[][] = [];
  const result = await analyzeStream([capture(packets)], {
    ...extra,
    onMessage: (m: CapturedMessage) => log.push(`read ${m.message.callId} ${m.message.method ?? m.message.status}`),
    onCalls: (calls) => {
      batches.push([...calls]);
      log.push(`calls ${calls.map((c) => `${c.number}:${c.call.callId}`).join(',')}`);
    },
  });
  return { log, batches, result };
}

describe('calls are handed over as soon as they are over', () => {
  it('a finished call goes before the capture ends, once quiet for 64×T1 (32 s)', async () => {
    const { log } = await events([...exchange('early', 0), ...exchange('late', 100)]);
    expect(log).toEqual(['read early MESSAGE', 'read early 200', 'read late MESSAGE', 'calls 1:early', 'read late 200', 'calls 2:late']);
  });

  it('not before 32 s of quiet: a retransmission 20 s later still belongs to the call', async () => {
    const { batches } = await events([...exchange('a', 0), ...exchange('other', 20), datagram(25, sipResponse(200, 'OK', 'MESSAGE', 'a'), true), ...exchange('b', 200)]);
    const a = batches.flat().find((c) => c.call.callId === 'a')!;
    expect(a.call.messages).toHaveLength(3);
    expect(a.call.messages[2]!.retransmission).toBe(true);
  });

  it('a call that is up stays open however long it is quiet, and its BYE joins it', async () => {
    const { batches, log } = await events([...answeredCall('long', 0, 3600), ...exchange('ping-1', 600), ...exchange('ping-2', 1800)]);
    expect(log.indexOf('calls 1:ping-1')).toBeLessThan(log.indexOf('read ping-2 200'));
    const long = batches.flat().find((c) => c.call.callId === 'long')!;
    expect(long.call.messages).toHaveLength(5);
    expect(long.outcome.outcome).toBe('answered');
    expect(long.figures.talkMs).toBe(3_599_990);
  });

  it('an INVITE still ringing (180) stays open for Timer C, so a late answer joins it', async () => {
    const ringing = [
      datagram(0, sipRequest('INVITE', 'ring')),
      datagram(0.1, sipResponse(180, 'Ringing', 'INVITE', 'ring'), true),
      ...exchange('x', 60),
      datagram(120, sipResponse(486, 'Busy Here', 'INVITE', 'ring'), true),
      ...exchange('y', 400),
    ];
    const { batches } = await events(ringing);
    const ring = batches.flat().filter((c) => c.call.callId === 'ring');
    expect(ring).toHaveLength(1);
    expect(ring[0]!.outcome.outcome).toBe('busy');
  });

  it('an INVITE with only 100 Trying is stuck after Timer C, reported mid-capture with the time it waited', async () => {
    const { batches, log } = await events([datagram(0, sipRequest('INVITE', 'stuck')), datagram(0.05, sipResponse(100, 'Trying', 'INVITE', 'stuck'), true), ...exchange('later', 600)]);
    expect(log.indexOf('calls 1:stuck')).toBeLessThan(log.indexOf('read later MESSAGE') + 2);
    const stuck = batches.flat().find((c) => c.call.callId === 'stuck')!;
    expect(stuck.outcome.outcome).toBe('stuck');
    expect(stuck.findings.map((f) => f.rule)).toContain('stuck-on-100-trying');
  });

  it('each registration cycle is an entry; a refresh after the binding ran out shows as late on the entry it ends', async () => {
    const register = (callId: string, seq: number, at: number): Packet[] => [
      datagram(at, sipRequest('REGISTER', callId, seq, 'Contact: <sip:alice@10.0.0.1>\r\nExpires: 60\r\n')),
      datagram(at + 0.01, sipResponse(200, 'OK', 'REGISTER', callId, seq).replace('Content-Length', 'Contact: <sip:alice@10.0.0.1>;expires=60\r\nContent-Length'), true),
    ];
    const { batches } = await events([...register('reg', 1, 0), ...register('reg', 2, 50), ...register('reg', 3, 140), ...register('late', 1, 0), ...register('late', 2, 300), ...exchange('end', 1000)]);
    const entries = batches.flat().filter((c) => c.call.callId === 'reg');
    expect(entries.map((c) => c.call.messages.length)).toEqual([2, 2, 2]);
    const problems = (c: AnalyzedCall) => c.findings.filter((f) => f.rule === 'registration-problems').map((f) => [f.messageId, f.data.lapsed ?? f.data.elapsed]);
    // Refreshed in time; refreshed 30 s after the binding ran out (within the grace for a refresh); never refreshed.
    expect(entries.map(problems)).toEqual([[], [['refresh-late', ms(29990)]], [['refresh-missing', ms(159990)]]]);
    // A refresh long after the binding ran out: the entry was over before it came, and says so.
    const late = batches.flat().filter((c) => c.call.callId === 'late');
    expect(late.map(problems)).toEqual([[['refresh-missing', ms(139990)]], [['refresh-missing', ms(699990)]]]);
  });

  it('OPTIONS keep-alives that reuse one Call-ID every 60 s stay one entry', async () => {
    const pings = [0, 60, 120, 180].flatMap((at, i) => [
      datagram(at, sipRequest('OPTIONS', 'keepalive', i + 1)),
      datagram(at + 0.005, sipResponse(200, 'OK', 'OPTIONS', 'keepalive', i + 1), true),
    ]);
    const { batches } = await events([...pings, ...exchange('end', 1000)]);
    expect(batches.flat().filter((c) => c.call.callId === 'keepalive').map((c) => c.call.messages.length)).toEqual([8]);
  });

  it('calls come in the order they end, numbered by their first message, and the summary counts every call once', async () => {
    const { batches, result } = await events([...answeredCall('up', 0, 100), ...exchange('short', 1)]);
    expect(batches.flat().map((c) => `${c.number}:${c.call.callId}`)).toEqual(['2:short', '1:up']);
    expect(result.summary.calls).toBe(2);
    expect(result.summary.messages).toBe(7);
    const whole = await analyze([capture([...answeredCall('up', 0, 100), ...exchange('short', 1)])]);
    expect(whole.calls.map((c) => `${c.number}:${c.call.callId}`)).toEqual(['2:short', '1:up']);
  });
});

describe('bounded tables', () => {
  it('beyond --max-open-calls the least recently active call is handed over early, with one counted diagnostic', async () => {
    const packets = Array.from({ length: 100 }, (_, i) => datagram(i * 0.001, sipRequest('OPTIONS', `c${i}`)));
    const { batches, result } = await events(packets, { limits: { maxOpenCalls: 10 } });
    expect(batches.flat().map((c) => c.call.callId).sort()).toEqual(packets.map((_, i) => `c${i}`).sort());
    const d = result.inputs[0]!.diagnostics.find((x) => x.code === 'analysis.open-calls-limit')!;
    expect(d).toMatchObject({ severity: 'warning', count: 90, frame: 11 });
    expect(diagnosticText(d)).toContain('more than 10 calls were open at once');
    expect(result.summary.diagnostics.warning).toBe(1);
  });

  it('100,000 distinct Call-IDs: the open-call table stays at its bound and the heap does not follow the count', () => {
    const template = parseSipMessage(Buffer.from(sipRequest('OPTIONS', 'template'))).message;
    const correlator = new Correlator({ maxOpenCalls: 5_000 });
    // The live heap, after a full collection (garbage would hide whether the table holds on to calls).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const liveHeap = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const heapBefore = liveHeap();
    let handedOver = 0;
    let heapAt10k = 0;
    let heapAtEnd = 0;
    for (let i = 0; i < 100_000; i++) {
      const m: CapturedMessage = {
        file: 'x',
        frame: i + 1,
        frames: [i + 1],
        line: null,
        time: { sec: T0, nsec: i },
        src: { ip: '10.0.0.1', port: 5060 },
        dst: { ip: '10.0.0.2', port: 5060 },
        transport: 'UDP',
        offset: 0,
        message: withFields(template, { callId: `call-${i}` }),
      };
      correlator.add(m);
      if (correlator.closedEarlyWaiting) handedOver += correlator.takeDue(0).length;
      if (i === 10_000) heapAt10k = liveHeap();
      if (i === 99_999) heapAtEnd = liveHeap();
    }
    handedOver += correlator.takeAll().length;
    expect(handedOver).toBe(100_000);
    expect(correlator.tableFull!.count).toBe(95_000);
    expect(correlator.peakOpenCalls).toBe(5_000);
    // Ten times the calls after the table filled, and the live heap is the same (the table's 5,000 calls). The
    // ratio does not depend on the scale: anything kept per handed-over call grows tenfold here as at 1,000,000.
    expect(heapAtEnd - heapBefore).toBeLessThan(1.5 * (heapAt10k - heapBefore));
  }, 60_000);

  it('a call that grows past the message limit is continued as a new entry, with a diagnostic', async () => {
    const packets = Array.from({ length: 30 }, (_, i) => datagram(i * 0.01, sipRequest('MESSAGE', 'chatty', i + 1)));
    const { batches, result } = await events(packets, { limits: { maxMessagesPerCall: 10 } });
    expect(batches.flat().map((c) => c.call.messages.length)).toEqual([10, 10, 10]);
    expect(result.inputs[0]!.diagnostics.find((x) => x.code === 'analysis.call-too-long')).toMatchObject({ count: 2, frame: 11 });
  });
});

describe('correlation in capture order', () => {
  const invite = parseSipMessage(Buffer.from(sipRequest('INVITE', 'o'))).message;
  const trying = parseSipMessage(Buffer.from(sipResponse(100, 'Trying', 'INVITE', 'o'))).message;
  const at = (frame: number, message: typeof invite, fromCallee = false, file = 'x'): CapturedMessage => ({
    file,
    frame,
    frames: [frame],
    line: null,
    // 250 ms per frame: the INVITE of frame 3 comes T1 after frame 1's, a retransmission (two copies µs apart would be one packet captured twice).
    time: { sec: T0, nsec: frame * 250_000_000 },
    src: { ip: fromCallee ? '10.0.0.2' : '10.0.0.1', port: 5060 },
    dst: { ip: fromCallee ? '10.0.0.1' : '10.0.0.2', port: 5060 },
    transport: 'UDP',
    offset: 0,
    message,
  });
  const shape = (call: Call | undefined) => call!.messages.map((m) => [m.captured.file, m.captured.frame, m.retransmission]);

  it('a call whose messages came out of frame order is correlated again in frame order', () => {
    // Frame 3 (a retransmission of the INVITE) arrives before frame 1, as a stream flushed late would hand it over.
    const [call] = correlate([at(3, invite), at(2, trying, true), at(1, invite)]);
    expect(shape(call)).toEqual([
      ['x', 1, false],
      ['x', 2, false],
      ['x', 3, true],
    ]);
  });

  it('a message out of order after several in order is found too', () => {
    const [call] = correlate([at(1, invite), at(4, trying, true), at(3, invite)]);
    expect(shape(call)).toEqual([
      ['x', 1, false],
      ['x', 3, true],
      ['x', 4, false],
    ]);
  });

  it("frames of another input are not compared: a message of another input before any out of order keeps the order received", () => {
    const [call] = correlate([at(3, invite), at(1, trying, true, 'y'), at(1, invite)]);
    expect(shape(call)).toEqual([
      ['x', 3, false],
      ['y', 1, false],
      ['x', 1, true],
    ]);
  });
});

describe('several inputs are merged by time while they are read', () => {
  it('messages of two captures interleave by time, and every message is read once', async () => {
    const a = capture([...exchange('a1', 0), ...exchange('a2', 2)]);
    const b = { name: 'b.pcap', stream: Readable.from([writePcap({ linkType: 1 }, [...exchange('b1', 1), ...exchange('b2', 3)])]) };
    const seen: string[] = [];
    await analyzeStream([a, b], { onMessage: (m) => seen.push(`${m.message.callId}`), onCalls: () => {} });
    expect(seen).toEqual(['a1', 'a1', 'b1', 'b1', 'a2', 'a2', 'b2', 'b2']);
  });

  // Two sipp captures taken one after the other reuse the same addresses and ports: each call's
  // media is its own, as when each capture is read alone (media read ahead of the merged messages
  // once went to the call whose SDP was open then: the one-way call read "no media").
  it('media packets are merged with the messages, so captures reusing ports keep each call its own media', async () => {
    const files = ['fixtures/media/sipp-rtp-one-way.pcap', 'fixtures/media/sipp-rtp-two-way.pcap'];
    const media = (calls: readonly AnalyzedCall[]) =>
      calls.map((c) => ({
        callId: c.call.callId,
        streams: c.media?.streams.map((s) => ({ src: s.src, dst: s.dst, ssrc: s.ssrc, packets: s.packets })),
        rules: c.findings.map((f) => f.rule),
      }));
    const alone = (await Promise.all(files.map((f) => analyze([path.join(REPO_ROOT, f)])))).flatMap((r) => media(r.calls));
    for (const order of [files, [...files].reverse()]) {
      const merged = await analyze(order.map((f) => path.join(REPO_ROOT, f)));
      expect(media(merged.calls).sort((x, y) => x.callId.localeCompare(y.callId))).toEqual(alone.sort((x, y) => x.callId.localeCompare(y.callId)));
    }
  });
});

describe('the streamed report says what the whole-timeline report says', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['text', {}],
    ['text', { ladder: true }],
    ['text', { 'only-problems': true }],
    ['text', { redact: true, 'redact-key': 'streaming-test' }],
    ['text', { stats: true }],
    ['text', { stats: true, ladder: true, 'only-problems': true }],
    ['ndjson', {}],
    ['ndjson', { type: 'call' }],
    ['ndjson', { 'call-id': '*1*' }],
    // b2bua-legs.pcap: only the second end-to-end call is kept; it is still leg group 2, as in the whole report.
    ['ndjson', { 'call-id': 'in-2@*' }],
    ['text', { status: '4xx' }],
    ['text', { method: 'BYE', since: '2024-11-19T07:06:45Z' }],
    ['text', { lang: 'es', stats: true }],
    ['ndjson', { lang: 'es' }],
  ];
  // Every other format streams too: written call by call, or held aside until its head is known (the fixtures: the corpus takes too long for all).
  const otherFormats: [string, Record<string, unknown>][] = [
    ['json', {}],
    ['json', { 'only-problems': true, lang: 'es' }],
    ['csv', {}],
    ['mermaid', { redact: true, 'redact-key': 'streaming-test' }],
    ['markdown', {}],
    ['markdown', { type: 'call', lang: 'es' }],
    ['ladder', { stats: true }],
    ['junit', {}],
    ['github', { status: '4xx' }],
    ['html', {}],
  ];
  // Every fixture, and every corpus capture when ../shared/corpus is there.
  const corpus = new Set(corpusCaptures());
  for (const file of [...fixtureCaptures(), ...fixtureTextLogs(), ...corpus]) {
    const path = relative(REPO_ROOT, file);
    const date = file.endsWith('.pcap') || file.endsWith('.pcapng') ? {} : { date: TEXT_FIXTURE_DATE };
    it(`${path}`, async () => {
      const result = await analyze([path], date);
      const whole = { en: buildTimeline(result, 'en'), es: buildTimeline(result, 'es') };
      for (const [format, args] of corpus.has(file) ? cases : [...cases, ...otherFormats]) {
        const opts = reportOptionsFrom(args, format as 'text', 'error', false);
        const chunks: Buffer[] = [];
        const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => done(void chunks.push(chunk)) });
        await streamReport([path], opts, date, ReportOutput.to(sink));
        const streamed = Buffer.concat(chunks).toString('utf8');
        expect(streamed, `${format} ${JSON.stringify(args)}`).toBe(renderReport(whole[opts.lang], opts).text);
      }
    });
  }
});

describe('a bug in one step never passes for a broken input', () => {
  it('an exception in the caller\'s onCalls stops the analysis with that exception, not as input.unreadable', async () => {
    const boom = new Error('renderer bug');
    const run = analyzeStream([capture([...exchange('a', 0), ...exchange('b', 100), ...exchange('c', 200)])], {
      onCalls: () => {
        throw boom;
      },
    });
    await expect(run).rejects.toBe(boom);
  });

  it('the same with several inputs merged', async () => {
    const boom = new Error('renderer bug');
    const b = { name: 'b.pcap', stream: Readable.from([writePcap({ linkType: 1 }, [...exchange('b1', 1), ...exchange('b2', 300)])]) };
    await expect(analyzeStream([capture([...exchange('a1', 0), ...exchange('a2', 200)]), b], { onCalls: () => { throw boom; } })).rejects.toBe(boom);
  });

  it('a Request-URI with a broken percent escape does not stop the analysis (legs read the user part safely)', async () => {
    const invite = sipRequest('INVITE', 'pct').replace('INVITE sip:bob@example.com', 'INVITE sip:%E0%A4%A@example.com');
    const { batches, result } = await events([datagram(0, invite), ...exchange('after', 1)]);
    expect(batches.flat().map((c) => c.call.callId).sort()).toEqual(['after', 'pct']);
    expect(result.inputs[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('Ctrl-C ends a live capture gracefully', () => {
  /** A capture that sends its packets, then nothing more, and never ends (a live tcpdump). */
  function endless(packets: Packet[]): InputSpec {
    const bytes = writePcap({ linkType: 1 }, packets);
    async function* chunks() {
      yield bytes;
      await new Promise(() => {});
    }
    return { name: '-', stream: chunks() };
  }

  it('the library: aborting the signal ends the input there, every call read is reported, and a diagnostic says so', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    setTimeout(() => controller.abort(), 200);
    const result = await analyzeStream([endless([...answeredCall('up', 0, 5).slice(0, 3), ...exchange('done', 1)])], { signal: controller.signal, onCalls: (b) => calls.push(...b.map((c) => c.call.callId)) });
    expect(calls.sort()).toEqual(['done', 'up']);
    expect(result.inputs[0]!.diagnostics.find((d) => d.code === 'input.interrupted')).toMatchObject({ severity: 'warning' });
    expect(result.summary.messages).toBe(5);
  });

  it('live: a quiet line moves capture time on with the wall clock, so a stuck call shows when Timer C runs out', async () => {
    // The capture's clock is the wall clock (as with tcpdump on stdin); a fake clock jumps 4 minutes.
    let wall = Date.now();
    const at = (wall - 1000) / 1000 - T0;
    const stuck = [datagram(at, sipRequest('INVITE', 'stuck-live')), datagram(at + 0.05, sipResponse(100, 'Trying', 'INVITE', 'stuck-live'), true)];
    const controller = new AbortController();
    const reported: AnalyzedCall[] = [];
    const done = analyzeStream([endless(stuck)], {
      live: { clock: () => wall },
      signal: controller.signal,
      onCalls: (b) => {
        reported.push(...b);
        controller.abort();
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    wall += 240_000;
    const result = await done;
    expect(reported.map((c) => [c.call.callId, c.outcome.outcome])).toEqual([['stuck-live', 'stuck']]);
    expect(result.inputs[0]!.diagnostics.map((d) => d.code)).toContain('input.interrupted');
  });

  it('live, but the capture is old (a file piped in): the wall clock does not move its time', async () => {
    const wall = Date.now();
    const controller = new AbortController();
    const reported: string[] = [];
    setTimeout(() => controller.abort(), 2500);
    await analyzeStream([endless([datagram(0, sipRequest('INVITE', 'old')), datagram(0.05, sipResponse(100, 'Trying', 'INVITE', 'old'), true)])], {
      live: { clock: () => wall + 3_600_000 },
      signal: controller.signal,
      onCalls: (b) => reported.push(...b.map((c) => `${c.call.callId} at ${controller.signal.aborted ? 'end' : 'live'}`)),
    });
    expect(reported).toEqual(['old at end']);
  });

  it('the command line: SIGINT while stdin is open prints the report of what was read and exits normally', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['dist/cli.js', '-', '--format', 'ndjson'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.write(writePcap({ linkType: 1 }, [...exchange('live', 0)]));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(stderr).toContain('interrupted');
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(['call', 'summary']);
    expect(lines[1].inputs[0].diagnostics.map((d: { code: string }) => d.code)).toContain('input.interrupted');
  }, 20_000);
});
