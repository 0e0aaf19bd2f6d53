import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { displayWidth, renderLadder } from '../../../src/present/render/ladder.js';
import { buildTimeline, type Timeline } from '../../../src/present/timeline.js';
import { REPO_ROOT } from '../../support/captures.js';
import { writeHostileCapture } from '../../support/hostile.js';
import { join } from 'node:path';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
let demo: Timeline;
let proxied: Timeline;
let retransmits: Timeline;
let hostile: Timeline;

beforeAll(async () => {
  demo = buildTimeline(await analyze([join(REPO_ROOT, 'samples', 'demo.pcap')]));
  proxied = buildTimeline(await analyze([join(REPO_ROOT, 'fixtures', 'real', 'kamailio-proxy-call.pcap')]));
  retransmits = buildTimeline(await analyze([join(REPO_ROOT, 'fixtures', 'real', 'sipp-retransmit-no-answer.pcap')]));
  hostile = buildTimeline(await analyze([writeHostileCapture()]));
});

/** The diagram rows of call `n` (the lines with a time in the gutter). */
function arrows(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+\+\d+\.\d{3}\s/.test(l));
}

describe('ladder diagram', () => {
  it('draws one column per participant and one arrow per message, pointing the right way', () => {
    const out = renderLadder(demo, { width: 100, color: false });
    const rows = arrows(out);
    // 15 messages, and the start and end of call 1's two RTP streams.
    expect(rows).toHaveLength(19);
    expect(rows.filter((r) => /[═┄]/.test(r))).toHaveLength(4);
    expect(rows[0]).toMatch(/^\s+\+0\.000\s+#1\s+│──── INVITE ─+▶│$/);
    expect(rows[1]).toMatch(/│◀─── 100 Trying ─+│$/);
    expect(out).toContain('192.0.2.10:5060');
    expect(out).toContain('192.0.2.20:5060');
  });

  it('draws each media stream at its first packet, with its figures under it, and where it ends, within 80 columns', () => {
    const out = renderLadder(demo, { width: 80, color: false });
    const lines = out.split('\n');
    const start = lines.findIndex((l) => /^\s+\+2\.420\s+#6\s+│═+ RTP PCMU 25 pkts ═+▶│$/.test(l));
    expect(start).toBeGreaterThan(0);
    expect(lines[start + 1]).toMatch(/^\s+│ {2}lost 0\.0% jitter 0\.0 ms MOS 4\.40 *│$/);
    expect(lines[start + 2]).toMatch(/^\s+\+2\.425\s+#7\s+│◀═+ RTP PCMU 25 pkts ═+│$/);
    expect(out).toMatch(/\+2\.900\s+#54\s+│┄+ RTP PCMU ends ┄+▷│/);
    // The end rows come before the BYE, in time order.
    expect(out.indexOf('RTP PCMU ends')).toBeLessThan(out.indexOf('BYE'));
    for (const l of lines.filter((x) => x.includes('│'))) expect(displayWidth(l)).toBeLessThanOrEqual(80);
  });

  it('marks findings beside the arrow they are anchored to, and lists them with the fix', () => {
    const out = renderLadder(demo, { width: 100, color: false });
    const cancel = arrows(out).find((l) => l.includes('CANCEL') && !l.includes('200 OK'))!;
    expect(cancel).toMatch(/│\s+⚠ stuck-on-100-trying$/);
    expect(out).toMatch(/⚠ warning {2}stuck-on-100-trying {2}#58, #59, #62\n {5}The INVITE got 100 Trying/);
    expect(out).toContain('     Fix: Capture on the outbound side');
  });

  it('puts a proxy between caller and callee, arrows crossing no column they do not reach', () => {
    const rows = arrows(renderLadder(proxied, { width: 120, color: false }));
    // Caller → proxy: the third lifeline is untouched; proxy → callee starts at the second.
    expect(rows[0]).toMatch(/│──── INVITE ─+▶│\s+│$/);
    expect(rows[2]).toMatch(/│\s+│──── INVITE ─+▶│$/);
  });

  it('marks retransmissions', () => {
    const rows = arrows(renderLadder(retransmits, { width: 100, color: false }));
    expect(rows.filter((r) => r.includes('INVITE (retr.)'))).toHaveLength(4);
  });

  it('fits the width, and falls back to a lettered list when the columns cannot fit', () => {
    for (const width of [60, 80, 120]) {
      for (const line of renderLadder(proxied, { width, color: false }).split('\n').filter((l) => l.includes('│'))) {
        expect(displayWidth(line)).toBeLessThanOrEqual(width);
      }
    }
    const narrow = renderLadder(proxied, { width: 40, color: false });
    expect(narrow).not.toContain('│');
    expect(narrow).toContain('A = 127.0.0.1:5061');
    expect(narrow).toMatch(/#1 +A ──▶ B +INVITE/);
  });

  it('names participants from an alias file (address:port first, then address)', () => {
    const aliases = new Map([
      ['192.0.2.10:5060', 'alice phone'],
      ['192.0.2.1', 'proxy'],
    ]);
    const out = renderLadder(demo, { width: 120, color: false, aliases });
    expect(out).toContain('alice phone (192.0.2.10:5060)');
    expect(out).toContain('proxy (192.0.2.1:5060)');
  });

  it('with colours, the only escape sequences are siplens\'s own', () => {
    const out = renderLadder(demo, { width: 100, color: true });
    expect(out).toMatch(/\u001b\[33m/);
    expect(out.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(CONTROL);
  });

  it('escapes terminal control sequences from the trace, in labels, names and aliases', () => {
    const aliases = new Map([['10.9.8.7', 'ev\u001b[31mil\u202e']]);
    for (const color of [false, true]) {
      const out = renderLadder(hostile, { width: 120, color, aliases });
      expect(out.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(CONTROL);
      if (!color) expect(out).not.toContain('\u001b');
      expect(out).toContain('\\x1b');
    }
  });

  it('counts wide characters as two cells', () => {
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});
