import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileChunks } from '../../../src/parse/capture/input.js';

describe('fileChunks: a file in chunks read into two reused buffers', () => {
  it('yields every byte in order: full chunks whole, the last one cut to what was read', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'siplens-chunks-')), 'bytes.bin');
    const bytes = Uint8Array.from({ length: 23 }, (_, i) => i * 7);
    writeFileSync(path, bytes);
    // Copied as they come: a chunk's bytes are only valid until the next one is asked for.
    const chunks: number[][] = [];
    for await (const chunk of fileChunks(path, 5)) chunks.push([...chunk]);
    expect(chunks.map((c) => c.length)).toEqual([5, 5, 5, 5, 3]);
    expect(chunks.flat()).toEqual([...bytes]);
  });

  it('hands out the two buffers themselves, in turn, while the chunks are full', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'siplens-chunks-')), 'bytes.bin');
    writeFileSync(path, new Uint8Array(20));
    const seen: Uint8Array[] = [];
    for await (const chunk of fileChunks(path, 5)) seen.push(chunk);
    expect(seen).toHaveLength(4);
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen[2]).toBe(seen[0]);
    expect(seen[3]).toBe(seen[1]);
  });
});
