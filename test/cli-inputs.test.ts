/**
 * Inputs at scale and on their error paths, through the built CLI (issue 16, "Inputs"): no
 * descriptor outlives a rejected input, one abort listener however many inputs, a file given
 * twice is read once with a diagnostic, and a capture that ends or is cut while calls are
 * mid-dialog says so.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { linkSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const DEMO = join(REPO_ROOT, 'samples', 'demo.pcap');
const scratch = mkdtempSync(join(tmpdir(), 'siplens-inputs-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], stdin?: Buffer): Promise<Run> {
  return new Promise((resolve) => {
    const opts: ExecFileOptions = { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } };
    const child = execFile(file, args, opts, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
    else child.stdin!.end();
  });
}

const siplens = (args: string[], stdin?: Buffer): Promise<Run> => run(process.execPath, [CLI, ...args], stdin);

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  values: Record<string, unknown>;
}

describe('rejected inputs close their files', () => {
  it('1,000 inputs of unknown format or bad gzip under ulimit -n 64, then a valid capture still reads', async () => {
    const args: string[] = [];
    for (let i = 0; i < 500; i++) {
      const unknown = join(scratch, `unknown-${i}.bin`);
      writeFileSync(unknown, Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00, 0x99, 0x98, 0x97]));
      // A gzip header with an unknown compression method: zlib rejects it at once.
      const gzip = join(scratch, `bad-${i}.gz`);
      writeFileSync(gzip, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x63]), Buffer.alloc(20, 0x41)]));
      args.push(unknown, gzip);
    }
    const list = join(scratch, 'inputs.txt');
    writeFileSync(list, [...args, DEMO].join('\n'));
    // The paths through a file, read into an array by bash: one process, with the low limit.
    const r = await run('bash', ['-c', 'ulimit -n 64 && mapfile -t inputs < "$1" && exec "$2" "$3" analyze --format json "${inputs[@]}"', 'bash', list, process.execPath, CLI]);
    expect(r.stderr).not.toMatch(/EMFILE|too many open files/i);
    const doc = JSON.parse(r.stdout) as { inputs: { path: string; readable: boolean; diagnostics: JsonDiagnostic[] }[]; summary: { messages: number } };
    expect(doc.inputs).toHaveLength(1001);
    const codes = new Set(doc.inputs.slice(0, 1000).map((i) => i.diagnostics[0]?.code));
    expect([...codes].sort()).toEqual(['input.gzip-error', 'input.unknown-format']);
    const demo = doc.inputs[1000]!;
    expect(demo.readable).toBe(true);
    expect(demo.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(doc.summary.messages).toBe(15);
    // Some input could not be read at all.
    expect(r.code).toBe(2);
  }, 120_000);
});

describe('many inputs', () => {
  it('12 inputs: one abort listener, no MaxListenersExceededWarning', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => {
      const p = join(scratch, `copy-${i}.pcap`);
      writeFileSync(p, readFileSync(DEMO));
      return p;
    });
    const r = await siplens(['analyze', '--format', 'json', ...inputs]);
    expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|Warning/);
    const doc = JSON.parse(r.stdout) as { inputs: unknown[]; summary: { messages: number; duplicates: number } };
    expect(doc.inputs).toHaveLength(12);
    // Every input is read; the same packets at the same times are one message captured 12 times.
    expect(doc.summary.messages).toBe(15);
    expect(doc.summary.duplicates).toBe(11 * 15);
  });
});

describe('the same file twice', () => {
  it('is read once: a diagnostic on the second name, no message shown twice', async () => {
    const link = join(scratch, 'demo-link.pcap');
    linkSync(DEMO, link);
    for (const second of [DEMO, link, join(REPO_ROOT, 'samples', '..', 'samples', 'demo.pcap')]) {
      const r = await siplens(['analyze', '--format', 'json', DEMO, second]);
      const doc = JSON.parse(r.stdout) as { inputs: { path: string; frames: number; diagnostics: JsonDiagnostic[] }[]; summary: { messages: number; retransmissions: number; calls: number } };
      expect(doc.summary.messages).toBe(15);
      expect(doc.summary.retransmissions).toBe(0);
      expect(doc.summary.calls).toBe(3);
      expect(doc.inputs.map((i) => i.path)).toEqual([DEMO, second]);
      expect(doc.inputs[0]!.frames).toBe(65);
      expect(doc.inputs[1]!.frames).toBe(0);
      const d = doc.inputs[1]!.diagnostics;
      expect(d.map((x) => x.code)).toEqual(['input.duplicate']);
      expect(d[0]!.severity).toBe('warning');
      expect(d[0]!.message).toBe(`${second} is the same file as ${DEMO}, given twice; it was read once, as ${DEMO}`);
      expect(doc.inputs[0]!.diagnostics.map((x) => x.code)).not.toContain('input.duplicate');
      // Not an input error: the exit code is the findings' (the demo's worst is a warning).
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
    }
  });

  it('a copy (another inode) is another capture point: read, not a duplicate input, its packets copies of the first\'s', async () => {
    const copy = join(scratch, 'demo-copy.pcap');
    writeFileSync(copy, readFileSync(DEMO));
    const r = await siplens(['analyze', '--format', 'json', DEMO, copy]);
    const doc = JSON.parse(r.stdout) as { inputs: { diagnostics: JsonDiagnostic[] }[]; summary: { messages: number; duplicates: number } };
    // Read as a second capture point: each packet seen twice, at the same time, is one message and a duplicate (docs/decisions.md).
    expect(doc.summary.messages).toBe(15);
    expect(doc.summary.duplicates).toBe(15);
    expect(doc.inputs.flatMap((i) => i.diagnostics.map((d) => d.code))).not.toContain('input.duplicate');
  });
});

/** A real capture (sipp's built-in UAC and UAS, tcpdump): INVITE, 180, 200, ACK, BYE, 200. */
const CALL = readFileSync(join(REPO_ROOT, 'fixtures', 'real', 'sipp-uac-uas-call.pcap'));

/** The offset of the n-th pcap record (1-based) in a classic little-endian pcap. */
function recordOffset(bytes: Buffer, n: number): number {
  let at = 24;
  for (let i = 1; i < n; i++) at += 16 + bytes.readUInt32LE(at + 8);
  return at;
}

interface CallDoc {
  inputs: { diagnostics: JsonDiagnostic[] }[];
  calls: { outcome: string; status: number | null }[];
  summary: { outcomes: Record<string, number> };
}

describe('a capture that ends while calls are mid-dialog', () => {
  it('cut at a record boundary after the ACK (a capture that simply ended): answered, and the capture ended during 1 call (info)', async () => {
    const r = await siplens(['analyze', '--format', 'json', '-'], CALL.subarray(0, recordOffset(CALL, 5)));
    const doc = JSON.parse(r.stdout) as CallDoc;
    expect(doc.calls.map((c) => [c.outcome, c.status])).toEqual([['answered', 200]]);
    const d = doc.inputs[0]!.diagnostics;
    expect(d.map((x) => [x.code, x.severity])).toEqual([['input.ended-mid-call', 'info']]);
    expect(d[0]!.message).toBe('standard input (-): the capture ended during 1 call (in setup, or answered and not hung up); it shows its state at the end of the capture');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the capture process killed inside the BYE\'s record (stdin): the call is unresolved, not answered, and stderr says the capture was cut during 1 call', async () => {
    const r = await siplens(['analyze', '--format', 'json', '-'], CALL.subarray(0, recordOffset(CALL, 5) + 100));
    const doc = JSON.parse(r.stdout) as CallDoc;
    expect(doc.calls.map((c) => [c.outcome, c.status])).toEqual([['unresolved', 200]]);
    expect(doc.summary.outcomes).toEqual({ unresolved: 1 });
    const d = doc.inputs[0]!.diagnostics;
    expect(d.map((x) => [x.code, x.severity])).toEqual([
      ['capture.truncated-record', 'warning'],
      ['input.cut-mid-call', 'error'],
    ]);
    const sentence =
      'standard input (-) was cut short (it ends inside a packet record, as when the capture process is killed): the capture ended during 1 call, whose end is not in it; 1 answered and not hung up is unresolved, not answered';
    expect(d[1]!.message).toBe(sentence);
    expect(r.stderr).toBe(`siplens: ${sentence} (the report shows what was read before)\n`);
    // The timeline says the call was up when the capture was cut, not that it got no final response.
    const text = await siplens(['analyze', '-'], CALL.subarray(0, recordOffset(CALL, 5) + 100));
    expect(text.stdout).toContain('outcome: unresolved: the capture was cut while the call was up (200 OK)');
  });

  it('the whole call: no diagnostic', async () => {
    const r = await siplens(['analyze', '--format', 'json', '-'], CALL);
    const doc = JSON.parse(r.stdout) as CallDoc;
    expect(doc.calls.map((c) => c.outcome)).toEqual(['answered']);
    expect(doc.inputs[0]!.diagnostics).toEqual([]);
  });

  it('Spanish: la captura terminó durante 1 llamada', async () => {
    const r = await siplens(['analyze', '--format', 'json', '--lang', 'es', '-'], CALL.subarray(0, recordOffset(CALL, 5)));
    const doc = JSON.parse(r.stdout) as CallDoc;
    expect(doc.inputs[0]!.diagnostics[0]!.message).toMatch(/^la entrada estándar \(-\): la captura terminó durante 1 llamada/);
  });
});
