/**
 * Text logs stream: a log dated by its file (time-only stamps, no --date) hands its messages on
 * as they are read, not when the log ends, and untimed messages wait for a later time only up to
 * a bound. Both once held the whole log in memory.
 */
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/parse/diagnostic-sink.js';
import { fileChunks } from '../../../src/parse/capture/input.js';
import { readTextLog } from '../../../src/parse/text/reader.js';
import type { CapturedMessage } from '../../../src/types.js';
import { sipRequest } from '../../support/packets.js';

/** One OPTIONS as tcpdump -A prints it: a time-only header line, then the message. */
function tcpdumpEntry(time: string, n: number): string {
  return `${time} IP 10.0.0.1.5060 > 10.0.0.2.5060: SIP: OPTIONS sip:x@10.0.0.2 SIP/2.0\n${sipRequest('OPTIONS', `stream-${n}@test`).replace(/\r\n/g, '\n')}\n`;
}

describe('text logs stream', () => {
  it('a log dated by its file hands each message on before the log ends, on the dates the file gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siplens-text-'));
    const path = join(dir, 'night.log');
    const entries = [tcpdumpEntry('23:59:58.000000', 1), tcpdumpEntry('23:59:59.000000', 2), tcpdumpEntry('00:00:01.000000', 3)];
    writeFileSync(path, entries.join(''));
    utimesSync(path, new Date('2024-11-20T12:00:00'), new Date('2024-11-20T12:00:00'));
    const messages: CapturedMessage[] = [];
    const seenBeforeLast: number[] = [];
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(entries[0]! + entries[1]!);
      seenBeforeLast.push(messages.length);
      yield Buffer.from(entries[2]!);
    }
    await readTextLog(path, () => fileChunks(path), source(), new DiagnosticSink(path), { onMessage: (m) => messages.push(m) });
    // The first two messages are complete in the first chunk: they are out before the last one is read.
    expect(seenBeforeLast).toEqual([2]);
    // The last message falls on the file date (the log crossed midnight into it).
    expect(messages.map((m) => new Date(m.time.sec * 1000).toISOString())).toEqual(['2024-11-19T23:59:58.000Z', '2024-11-19T23:59:59.000Z', '2024-11-20T00:00:01.000Z']);
  });

  it('messages of a log that prints no time wait for one only up to a bound', async () => {
    const raw = Array.from({ length: 1500 }, (_, n) => `${sipRequest('OPTIONS', `untimed-${n}@test`)}`).join('');
    let delivered = 0;
    let deliveredBeforeEnd = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(raw);
      deliveredBeforeEnd = delivered;
      yield Buffer.from('\r\n');
    }
    await readTextLog('-', null, source(), new DiagnosticSink('-'), { onMessage: () => delivered++ });
    expect(delivered).toBe(1500);
    expect(deliveredBeforeEnd).toBeGreaterThanOrEqual(1000);
  });
});
