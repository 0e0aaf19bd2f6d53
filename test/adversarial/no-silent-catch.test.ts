/**
 * No `catch` in the parsers swallows an error: each one reports a diagnostic with a code and a
 * location, or hands its reason to a caller that does (marked `// diagnostic: <code>`). The
 * first test reads the source so that this stays true; the others check each such diagnostic.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTICS } from '../../src/diagnostics.js';
import { RULES_BY_ID } from '../../src/annotate/rules/index.js';
import { analyze } from '../../src/index.js';
import { DiagnosticSink } from '../../src/parse/diagnostic-sink.js';
import { readTextLog } from '../../src/parse/text/reader.js';
import { decodeHep } from '../../src/parse/transport/hep.js';
import { REPO_ROOT } from '../support/captures.js';
import { writePcap, writePcapng } from '../support/capture-writer.js';
import { decodePackets } from '../support/decode.js';
import { sipRequest } from '../support/packets.js';
import { hep3, hepOverUdp, TCP_ACK, TCP_SYN, TcpFlow, WS_UPGRADE_REQUEST, WS_UPGRADE_RESPONSE, wsFrame } from '../support/transport-packets.js';
import { diagnosticText } from '../../src/present/diagnostics.js';

const PARSE_DIR = join(REPO_ROOT, 'src', 'parse');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The text of the block that starts at the `{` at `open`, braces counted (strings and template literals in src/parse keep theirs balanced). */
function blockAt(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

/** What makes a catch block loud: a report to the diagnostic sink, or a marker naming the code its caller reports. */
const REPORTS = /\.report\(|\.count\(|reportReadError\(/;
const MARKER = /\/\/ diagnostic: ([a-z]+\.[a-z-]+)(?: or ([a-z]+\.[a-z-]+))?/;
/** Or a marker naming the rule message that says it (a parse helper a rule uses: the rule reports the problem as a finding). */
const FINDING_MARKER = /\/\/ finding: ([a-z0-9-]+)\/([a-z0-9-]+)/;

describe('no silent catch in src/parse', () => {
  it('every catch block reports a diagnostic, or names the one its caller reports', () => {
    const silent: string[] = [];
    let seen = 0;
    for (const file of sourceFiles(PARSE_DIR)) {
      const text = readFileSync(file, 'utf8');
      const where = (at: number): string => `${relative(REPO_ROOT, file)}:${text.slice(0, at).split('\n').length}`;
      for (const m of text.matchAll(/\bcatch\s*(?:\([^)]*\))?\s*\{/g)) {
        seen++;
        const block = blockAt(text, m.index! + m[0].length - 1);
        const marker = MARKER.exec(block);
        const finding = FINDING_MARKER.exec(block);
        if (finding !== null) {
          const rule = RULES_BY_ID.get(finding[1]!);
          if (rule === undefined || !(finding[2]! in rule.meta.messages)) silent.push(`${where(m.index!)}: names ${finding[1]}/${finding[2]}, which no rule says`);
        } else if (marker !== null) {
          for (const code of marker.slice(1).filter(Boolean)) if (!(code! in DIAGNOSTICS)) silent.push(`${where(m.index!)}: names ${code}, which src/diagnostics.ts does not declare`);
        } else if (!REPORTS.test(block)) silent.push(`${where(m.index!)}: catch without a diagnostic`);
      }
      for (const m of text.matchAll(/\.catch\(/g)) {
        if (!MARKER.test(text.slice(m.index!, m.index! + 400))) silent.push(`${where(m.index!)}: promise .catch() without a diagnostic marker`);
      }
    }
    expect(seen).toBeGreaterThan(5); // the scan finds the catches there are
    expect(silent).toEqual([]);
  });
});

describe('the diagnostics those catches report', () => {
  const flow = new TcpFlow({ ip: '198.51.100.7', port: 52000 }, { ip: '198.51.100.8', port: 8080 });
  const MASK = [0x37, 0xfa, 0x21, 0x3d];

  it('ws.compressed says why zlib refused the message', () => {
    const up = Buffer.concat([Buffer.from(WS_UPGRADE_REQUEST), wsFrame(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]), { mask: MASK, rsv1: true })]);
    const down = Buffer.from(WS_UPGRADE_RESPONSE.replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n'));
    const r = decodePackets([
      flow.frame(true, '', { seq: 99, flags: TCP_SYN }),
      flow.frame(false, '', { seq: 499, ack: 100, flags: TCP_SYN | TCP_ACK }),
      flow.frame(true, up.subarray(0, WS_UPGRADE_REQUEST.length), { seq: 100 }),
      flow.frame(false, down, { seq: 500 }),
      flow.frame(true, up.subarray(WS_UPGRADE_REQUEST.length), { seq: 100 + WS_UPGRADE_REQUEST.length }),
    ]);
    const d = r.diagnostics.find((x) => x.code === 'ws.compressed');
    expect(d).toMatchObject({ frame: 5 });
    expect(diagnosticText(d!)).toMatch(/does not inflate \(zlib: .+\); it is skipped$/);
  });

  it('hep.bad-packet says why a compressed payload does not inflate, or that it is too large', () => {
    const good = hep3({ src: { ip: '10.1.1.1', port: 5060 }, dst: { ip: '10.1.1.2', port: 5060 }, sec: 1700000000, usec: 0, payload: sipRequest('OPTIONS', 'hep-z@test'), compress: true });
    const chunk = good.indexOf(Buffer.from([0x00, 0x00, 0x00, 0x10]));
    expect(chunk).toBeGreaterThan(0);
    const corrupt = Buffer.from(good);
    corrupt.fill(0xff, chunk + 6 + 2, chunk + 6 + 12); // keep the zlib header, break the deflate data
    expect(decodeHep(corrupt, 0, corrupt.length)).toMatchObject({ reason: 'inflate', failure: { reason: 'zlib', detail: { text: expect.any(String) } } });
    const r = decodePackets([hepOverUdp(corrupt)]);
    const bad = r.diagnostics.find((x) => x.code === 'hep.bad-packet');
    expect(bad).toMatchObject({ frame: 1 });
    expect(diagnosticText(bad!)).toMatch(/does not inflate: zlib: /);

    // A zip bomb: 2 MiB of zeros compress to a few KB; HEP keeps at most 1 MiB.
    const bomb = Buffer.from(good);
    const deflated = deflateSync(Buffer.alloc(2 * 1024 * 1024));
    const withBomb = Buffer.concat([bomb.subarray(0, chunk), Buffer.from([0, 0, 0, 0x10, (deflated.length + 6) >> 8, (deflated.length + 6) & 0xff]), deflated]);
    withBomb.writeUInt16BE(withBomb.length, 4);
    expect(decodeHep(withBomb, 0, withBomb.length)).toEqual({ reason: 'inflate', failure: { reason: 'too-large', kib: 1024 } });
  });

  it('text.no-date names why the file gave no date when it cannot be stat-ed', async () => {
    const block = [
      'send 300 bytes to udp/[198.51.100.7]:5060 at 23:59:50.120311:',
      '   ------------------------------------------------------------------------',
      ...sipRequest('OPTIONS', 'no-date@test').split('\r\n').map((l) => `   ${l}`),
      '   ------------------------------------------------------------------------',
      '',
    ].join('\n');
    const sink = new DiagnosticSink('gone.log');
    let messages = 0;
    await readTextLog('/nonexistent/gone.log', () => Readable.from([Buffer.from(block)]), Readable.from([Buffer.from(block)]), sink, { onMessage: () => messages++ });
    expect(messages).toBe(1);
    const d = sink.list().find((x) => x.code === 'text.no-date');
    expect(diagnosticText(d!)).toMatch(/has no file date \(ENOENT: .*\); they are shown on 1970-01-01 — pass --date YYYY-MM-DD/);
  });

  it('capture.no-frames: a capture header with no packet after it is a warning, not an empty success', async () => {
    for (const [name, bytes] of [
      ['header-only.pcap', writePcap({ linkType: 1 }, [])],
      ['header-only.pcapng', writePcapng([{ type: 'shb' }, { type: 'idb', iface: { linkType: 1 } }])],
    ] as const) {
      const result = await analyze([{ name, stream: Readable.from([bytes]) }]);
      const input = result.inputs[0]!;
      expect(input.readable, name).toBe(true);
      expect(input.diagnostics.map((d) => [d.code, d.severity])).toEqual([['capture.no-frames', 'warning']]);
      expect(diagnosticText(input.diagnostics[0]!)).toMatch(new RegExp(`^${name.replace('.', '\\.')} is a pcap(ng)? capture with no packets in it: .*use -U`));
    }
  });
});
