import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index.js';
import { Progress } from '../src/cli-report.js';

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

  it('draws bytes read of the total, messages and calls on one line, then erases it', async () => {
    const { stream, writes } = fakeTerminal(true);
    const input = 'samples/demo.pcap';
    const progress = new Progress([input], stream);
    await analyze([input], { onMessage: progress.onMessage });
    progress.done();
    expect(writes.length).toBe(2);
    const mb = (statSync(input).size / 1e6).toFixed(1);
    expect(writes[0]).toMatch(new RegExp(`^\\r\\u001b\\[2K\\[█*░*\\] +\\d+ % of ${mb.replace('.', '\\.')} MB · 1 SIP messages · 1 calls$`));
    expect(writes[1]).toBe('\r\u001b[2K');
  });

  it('shows no percentage for stdin or gzip inputs', () => {
    const { stream, writes } = fakeTerminal(true);
    const progress = new Progress([{ name: '-', stream: process.stdin }], stream);
    progress.onMessage({ file: '-', offset: 10, message: { callId: 'x' } } as never);
    expect(writes[0]).toBe('\r\u001b[2K1 SIP messages · 1 calls');
  });
});
