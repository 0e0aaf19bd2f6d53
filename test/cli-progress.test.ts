import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index.js';
import { Progress } from '../src/cli/progress.js';

function fakeTerminal(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 100, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('progress on stderr', () => {
  it('is shown only on a terminal', () => {
    expect(Progress.enabled(fakeTerminal(true).stream)).toBe(process.env.TERM !== 'dumb');
    expect(Progress.enabled(fakeTerminal(false).stream)).toBe(false);
  });

  it('draws bytes read of the total and messages on one line, then erases it', async () => {
    const { stream, writes } = fakeTerminal(true);
    const input = 'samples/demo.pcap';
    const progress = new Progress([input], 'en', stream);
    await analyze([input], progress.hooks);
    progress.done();
    expect(writes.length).toBe(2);
    const mb = (statSync(input).size / 1e6).toFixed(1);
    expect(writes[0]).toMatch(new RegExp(`^\\r\\u001b\\[2K\\[█*░*\\] +\\d+ % of ${mb.replace('.', '\\.')} MB · [01] SIP messages$`));
    expect(writes[1]).toBe('\r\u001b[2K');
  });

  it('moves with the bytes read, with no SIP message at all (a capture of RTP)', () => {
    const { stream, writes } = fakeTerminal(true);
    const progress = new Progress(['samples/demo.pcap'], 'en', stream);
    progress.onBytes(0, statSync('samples/demo.pcap').size);
    expect(writes[0]).toMatch(/\] 100 % of [\d.]+ MB · 0 SIP messages$/);
  });

  it('shows bytes without a percentage for stdin or gzip inputs', () => {
    const { stream, writes } = fakeTerminal(true);
    const progress = new Progress([{ name: '-', stream: process.stdin }], 'en', stream);
    progress.onBytes(0, 2_500_000);
    expect(writes[0]).toBe('\r\u001b[2K2.5 MB read · 0 SIP messages');
  });
});
