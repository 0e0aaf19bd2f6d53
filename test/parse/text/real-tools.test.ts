/**
 * Logs written by real tools (fixtures/scripts/capture-text.sh): sipp -trace_msg and ngrep -W
 * byline of real sipp calls on loopback. The -trace_msg logs were recorded together with a
 * tcpdump capture of the same traffic: analysing the log and the pcap gives the same calls and
 * findings.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../../../src/index.js';
import { diffMs } from '../../../src/time.js';
import { REPO_ROOT } from '../../support/captures.js';

const dir = join(REPO_ROOT, 'fixtures', 'text');

function calls(result: AnalysisResult) {
  return result.calls.map((c) => ({
    callId: c.call.callId,
    type: c.call.type,
    outcome: c.outcome.outcome,
    status: c.outcome.status,
    messages: c.call.messages.map((m) => `${m.captured.message.method ?? m.captured.message.status}${m.retransmission ? ' (retransmission)' : ''}`),
    transactions: c.call.transactions.length,
    dialogs: c.call.dialogs.map((d) => d.state),
    findings: c.findings.map((f) => ({ rule: f.rule, severity: f.severity, messageId: f.messageId, messages: f.messages })),
  }));
}

describe('logs made by real tools', () => {
  it('sipp -trace_msg of the UAC: 6 messages of one answered call, sent/received, times from the log', async () => {
    const r = await analyze([join(dir, 'sipp-call-trace.log')]);
    expect(r.inputs[0]).toMatchObject({ format: 'text', sipMessages: 6, logFormats: ['sipp-trace-msg'] });
    expect(r.messages.map((m) => `${m.src.ip}>${m.dst.ip} ${m.message.method ?? m.message.status}`)).toEqual([
      'local>remote INVITE',
      'remote>local 180',
      'remote>local 200',
      'local>remote ACK',
      'local>remote BYE',
      'remote>local 200',
    ]);
    // sipp -d 1000: the BYE about 1 s after the ACK
    expect(diffMs(r.messages[3]!.time, r.messages[4]!.time)).toBeGreaterThan(1000);
    expect(r.inputs[0]!.diagnostics).toEqual([]); // sipp's printed sizes match the messages
  });

  it('ngrep -t -W byline: both ends and times of every packet', async () => {
    const r = await analyze([join(dir, 'ngrep-call.txt')]);
    expect(r.inputs[0]).toMatchObject({ sipMessages: 6, logFormats: ['ngrep'] });
    expect(r.messages.map((m) => `${m.src.port}>${m.dst.port} ${m.message.method ?? m.message.status}`)).toEqual(['5061>5060 INVITE', '5060>5061 180', '5060>5061 200', '5061>5060 ACK', '5061>5060 BYE', '5060>5061 200']);
    expect(r.calls.map((c) => c.outcome.outcome)).toEqual(['answered']);
    expect(r.inputs[0]!.diagnostics).toEqual([]);
    // ngrep shows CR as "."; the message is rebuilt with CRLF, so the SDP is exactly Content-Length
    expect(r.messages[0]!.message.body.length).toBe(r.messages[0]!.message.contentLength);
  });

  for (const name of ['sipp-call-trace', 'sipp-410-trace']) {
    it(`${name}: the log and the pcap of the same traffic give the same calls and findings`, async () => {
      const fromPcap = await analyze([join(dir, `${name}.pcap`)]);
      const fromLog = await analyze([join(dir, `${name}.log`)]);
      expect(calls(fromLog)).toEqual(calls(fromPcap));
      // The main problems' data name addresses, which a sipp log does not print ("remote"): same kinds, same counts.
      const { mainProblems: pcapProblems, ...pcapSummary } = fromPcap.summary;
      expect(fromLog.summary).toMatchObject({ ...pcapSummary, diagnostics: fromPcap.summary.diagnostics });
      const kinds = (ps: typeof pcapProblems) => ps.map(({ data: _data, ...kind }) => kind);
      expect(kinds(fromLog.summary.mainProblems)).toEqual(kinds(pcapProblems));
      // sipp stamps a message when it sends or reads it, tcpdump when the kernel passes it: within 5 ms on loopback
      fromLog.messages.forEach((m, i) => expect(Math.abs(diffMs(m.time, fromPcap.messages[i]!.time))).toBeLessThan(5));
    });
  }

  it('the 410 call has its finding both ways', async () => {
    const r = await analyze([join(dir, 'sipp-410-trace.log')]);
    expect(r.calls.flatMap((c) => c.findings.map((f) => f.rule))).toContain('gone-410');
  });
});
