/**
 * Every way an input can fail, through the built CLI: one sentence on stderr that says what
 * happened and what to do, the documented exit code (2 when nothing could be read; 0 or 1, by
 * --fail-on, when part was read, with what was read printed and a diagnostic), and the report
 * still written. The same table is docs/errors.md.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/captures.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'siplens-errors-'));
// Readable by the unprivileged user the permission case runs as.
chmodSync(scratch, 0o755);
const demo = readFileSync(join(REPO_ROOT, 'samples', 'demo.pcap'));
const pcapng = readFileSync(join(REPO_ROOT, 'fixtures', 'real', 'sipp-call.pcapng'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function siplens(args: string[], options: { stdin?: Buffer; uid?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const opts: ExecFileOptions = { cwd: REPO_ROOT, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } };
    if (options.uid !== undefined) Object.assign(opts, { uid: options.uid, gid: options.uid });
    const child = execFile(process.execPath, [CLI, ...args], opts, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    else if (args.includes('-')) child.stdin!.end();
  });
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

/** The offset of the n-th pcap record (1-based) in a classic pcap. */
function pcapRecordOffset(bytes: Buffer, n: number): number {
  let at = 24;
  for (let i = 1; i < n; i++) at += 16 + bytes.readUInt32LE(at + 8);
  return at;
}

const NOBODY = 65534;
const root = process.getuid?.() === 0;

/** Whether chmod 000 stops the reader: always for root running as nobody, else only without CAP_DAC_OVERRIDE. */
function permissionBites(path: string): boolean {
  if (root) return true;
  try {
    readFileSync(path);
    return false;
  } catch {
    return true;
  }
}

interface Case {
  readonly what: string;
  /** The CLI arguments after `analyze --format json`, given the scratch folder. */
  readonly args: () => string[];
  readonly stdin?: () => Buffer;
  readonly uid?: number;
  readonly skip?: () => boolean;
  readonly exit: 0 | 1 | 2;
  readonly code: string;
  /** What happened, and what to do: both must be in the one sentence. */
  readonly sentence: RegExp;
  readonly todo: RegExp;
  /** SIP messages still read (partial results), when any. */
  readonly messages?: number;
  /** Calls open when the input was cut short (input.cut-mid-call), when it was. */
  readonly cutDuring?: number;
}

const cutRecord = pcapRecordOffset(demo, 3) + 20;
const gz = gzipSync(demo);

const CASES: Case[] = [
  { what: 'a missing file', args: () => [join(scratch, 'nope.pcap')], exit: 2, code: 'input.not-found', sentence: /nope\.pcap does not exist/, todo: /check the path/ },
  {
    what: 'a file the user may not read',
    args: () => {
      const p = file('secret.pcap', demo);
      chmodSync(p, 0o000);
      return [p];
    },
    uid: root ? NOBODY : undefined,
    skip: () => {
      const p = file('probe.pcap', 'x');
      chmodSync(p, 0o000);
      return !permissionBites(p);
    },
    exit: 2,
    code: 'input.unreadable',
    sentence: /secret\.pcap cannot be read: permission denied/,
    todo: /give your user read access/,
  },
  {
    what: 'a directory',
    args: () => {
      mkdirSync(join(scratch, 'captures'), { recursive: true });
      return [join(scratch, 'captures')];
    },
    exit: 2,
    code: 'input.is-directory',
    sentence: /captures is a directory/,
    todo: /give the capture or log files in it instead \(e\.g\. .*captures\/\*\.pcap\)/,
  },
  { what: 'an empty file', args: () => [file('empty.pcap', '')], exit: 2, code: 'input.empty', sentence: /empty\.pcap is empty \(0 bytes\)/, todo: /stop it first/ },
  { what: 'empty stdin', args: () => ['-'], stdin: () => Buffer.alloc(0), exit: 2, code: 'input.empty', sentence: /standard input \(-\) ended before any byte arrived/, todo: /pipe a capture or a log into it/ },
  {
    what: 'a file in an unknown format',
    args: () => [file('capture.erf', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x99, 0x01, 0x02, 0x03]))],
    exit: 2,
    code: 'input.unknown-format',
    sentence: /capture\.erf is neither a pcap\/pcapng capture nor a SIP text log \(first bytes 0x00ff1337\)/,
    todo: /convert other capture formats with editcap -F pcapng/,
  },
  {
    what: 'a Network Monitor capture',
    args: () => [file('trace.cap', Buffer.concat([Buffer.from('GMBU'), Buffer.from([0x02, 0x00, 0x01, 0x00]), Buffer.alloc(120)]))],
    exit: 2,
    code: 'input.unknown-format',
    sentence: /trace\.cap is a Microsoft Network Monitor 2\.x capture, which siplens does not read \(first bytes 0x474d4255\)/,
    todo: /convert it with editcap -F pcapng \(Wireshark\) and give siplens the result/,
  },
  {
    what: 'an xz-compressed capture',
    args: () => [file('trace.pcap.xz', Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), Buffer.alloc(60, 0xe6)]))],
    exit: 2,
    code: 'input.unknown-format',
    sentence: /trace\.pcap\.xz is xz-compressed, which siplens does not read/,
    todo: /decompress it first \(siplens reads gzip itself\), or pipe it in/,
  },
  { what: 'a pcap cut inside its file header', args: () => [file('header.pcap', demo.subarray(0, 10))], exit: 2, code: 'capture.truncated-header', sentence: /header\.pcap ends after 10 of the 24 bytes of the pcap file header/, todo: /copy it again/ },
  { what: 'a pcapng cut inside its section header', args: () => [file('header.pcapng', pcapng.subarray(0, 20))], exit: 2, code: 'capture.truncated-header', sentence: /header\.pcapng ends after 20 bytes, inside the first pcapng Section Header Block/, todo: /copy it again/ },
  { what: 'a pcap with a header and no packet', args: () => [file('no-packets.pcap', demo.subarray(0, 24))], exit: 0, code: 'capture.no-frames', sentence: /no-packets\.pcap is a pcap capture with no packets in it/, todo: /use -U/, messages: 0 },
  { what: 'a pcap cut inside a packet record', args: () => [file('cut.pcap', demo.subarray(0, cutRecord))], exit: 0, code: 'capture.truncated-record', sentence: /the file ends inside packet record 3: 20 of \d+ bytes present/, todo: /the partial record is skipped/, messages: 2, cutDuring: 1 },
  {
    what: 'a pcap cut inside a packet record, with --fail-on info',
    args: () => [file('cut-fail.pcap', demo.subarray(0, cutRecord)), '--fail-on', 'info'],
    exit: 1,
    code: 'capture.truncated-record',
    sentence: /the file ends inside packet record 3/,
    todo: /the partial record is skipped/,
    messages: 2,
    cutDuring: 1,
  },
  { what: 'a pcapng cut inside a block', args: () => [file('cut.pcapng', pcapng.subarray(0, pcapng.length - 100))], exit: 0, code: 'capture.truncated-record', sentence: /the file ends inside a block at byte \d+/, todo: /the partial block is skipped/ },
  {
    what: 'a gzip file with a corrupt header',
    args: () => [file('bad.pcap.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x63]), Buffer.alloc(40, 0x41)]))],
    exit: 2,
    code: 'input.gzip-error',
    sentence: /bad\.pcap\.gz begins like gzip data but does not decompress \(unknown compression method\)/,
    todo: /check it with gzip -t and copy it again/,
  },
  {
    what: 'a gzip file cut before anything decompresses',
    args: () => [file('tiny.pcap.gz', gz.subarray(0, 12))],
    exit: 2,
    code: 'input.gzip-error',
    sentence: /tiny\.pcap\.gz begins like gzip data but does not decompress \(unexpected end of file\)/,
    todo: /check it with gzip -t/,
  },
  {
    what: 'a gzip stream cut short',
    args: () => [file('cut.pcap.gz', gz.subarray(0, gz.length - 600))],
    exit: 0,
    code: 'input.gzip-error',
    sentence: /cut\.pcap\.gz: the gzip data is corrupt or cut short after \d+ decompressed bytes \(unexpected end of file\); what came before is analysed/,
    todo: /check the file with gzip -t and copy it again/,
  },
  { what: 'a gzip file that holds nothing', args: () => [file('nothing.gz', gzipSync(Buffer.alloc(0)))], exit: 2, code: 'input.empty', sentence: /nothing\.gz holds no bytes once decompressed/, todo: /check that the right file was compressed/ },
  {
    what: 'text with no SIP in it',
    args: () => [file('notes.txt', 'meeting notes\nthe PBX dropped calls again\n')],
    exit: 2,
    code: 'text.no-sip',
    sentence: /notes\.txt: no SIP messages found; formats tried: asterisk-pjsip, .*, raw-sip/,
    todo: /turn on the tool's full SIP trace, or capture the traffic as a pcap/,
  },
  {
    what: 'stdin closed inside a packet record',
    args: () => ['-'],
    stdin: () => demo.subarray(0, cutRecord),
    exit: 0,
    code: 'capture.truncated-record',
    sentence: /the file ends inside packet record 3/,
    todo: /the partial record is skipped/,
    messages: 2,
    cutDuring: 1,
  },
];

describe('clear errors: one sentence, what to do, the documented exit code', () => {
  for (const c of CASES) {
    it.skipIf(c.skip?.() ?? false)(`${c.what}: exit ${c.exit}, ${c.code}`, async () => {
      const r = await siplens(['analyze', '--format', 'json', ...c.args()], { ...(c.stdin ? { stdin: c.stdin() } : {}), ...(c.uid !== undefined ? { uid: c.uid } : {}) });
      expect(r.code, r.stderr).toBe(c.exit);
      // The report is printed in every case, with the input and its diagnostic.
      const doc = JSON.parse(r.stdout);
      const input = doc.inputs[0];
      const d = input.diagnostics.find((x: { code: string }) => x.code === c.code);
      expect(d, JSON.stringify(input.diagnostics)).toBeDefined();
      expect(d.message).toMatch(c.sentence);
      expect(d.message).toMatch(c.todo);
      expect(d.message).not.toMatch(/\n/);
      if (c.exit === 2) {
        // Nothing could be read: the input says so, and stderr holds the one sentence, alone.
        expect(input.readable).toBe(false);
        expect(r.stderr).toBe(`siplens: ${d.message}\n`);
      } else {
        expect(input.readable).toBe(true);
        // Part of it was read: a read that failed part-way, or a capture cut short while calls were open
        // (input.cut-mid-call), is said on stderr too (the report may go to a file), nothing else.
        const partway = input.diagnostics.filter((x: { code: string; severity: string }) => x.severity === 'error' && x.code.startsWith('input.'));
        expect(r.stderr).toBe(partway.map((x: { message: string }) => `siplens: ${x.message} (the report shows what was read before)\n`).join(''));
        if (c.cutDuring !== undefined) {
          const cut = input.diagnostics.find((x: { code: string }) => x.code === 'input.cut-mid-call');
          expect(cut?.message, JSON.stringify(input.diagnostics)).toMatch(new RegExp(`was cut short \\(it ends inside a packet record, as when the capture process is killed\\): the capture ended during ${c.cutDuring} calls?\\b`));
        }
        if (c.messages !== undefined) expect(doc.summary.messages).toBe(c.messages);
      }
    });
  }

  // `script` (util-linux) gives the CLI a terminal as stdin, as when `siplens -` is typed with nothing piped in.
  const hasScript = existsSync('/usr/bin/script');
  it.skipIf(!hasScript)('- on a terminal: a usage error at once instead of waiting for input (exit 2)', async () => {
    const r = await new Promise<Run>((resolve) =>
      execFile('/usr/bin/script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} -`, '/dev/null'], { cwd: scratch, timeout: 20_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      ),
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/siplens: "-" reads a capture or a log from standard input, but nothing is piped in \(it is the terminal\); pipe one, e\.g\. tcpdump -U -w - port 5060 \| siplens -/);
  });

  it('the text report names the unreadable input and the reason; the others are still analysed', async () => {
    const r = await siplens(['analyze', join(REPO_ROOT, 'samples', 'demo.pcap'), join(scratch, 'missing.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Call 1 /m);
    expect(r.stdout).toMatch(/missing\.pcap: not read/);
    expect(r.stderr).toBe(`siplens: ${join(scratch, 'missing.pcap')} does not exist; check the path and the file name\n`);
  });
});
