import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/annotate/rules/index.js';
import { diagnosticsMarkdown } from '../src/present/render/explain.js';
import { DIAGNOSTICS } from '../src/diagnostics.js';
import { REPO_ROOT } from './support/captures.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

async function siplens(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('siplens explain and rules', () => {
  it('explains one code with every knowledge-base field', async () => {
    const doc = JSON.parse((await siplens(['explain', '410', '--format', 'json'])).stdout);
    expect(doc.topics[0]).toMatchObject({ kind: 'code', code: 410, reason: 'Gone', class: 'client-failure' });
    for (const field of ['meaning', 'whenSeen', 'fix', 'rfc']) expect(doc.topics[0][field].length).toBeGreaterThan(10);
  });

  it('compares two codes in the shape of the seed page', async () => {
    const r = await siplens(['explain', '100', '410']);
    expect(r.code).toBe(0);
    const order = ['SIP 100 Trying vs 410 Gone', 'SIP 100 Trying', 'SIP 410 Gone', 'Key differences', 'When each applies'].map((h) => r.stdout.indexOf(h));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('falls back to the class for an unregistered code', async () => {
    const doc = JSON.parse((await siplens(['explain', '499', '--format', 'json'])).stdout);
    expect(doc.topics[0]).toMatchObject({ code: 499, class: 'client-failure' });
  });

  it('shows a rule\'s docs', async () => {
    const doc = JSON.parse((await siplens(['explain', 'gone-410', '--format', 'json'])).stdout);
    expect(doc.topics[0]).toMatchObject({ kind: 'rule', id: 'gone-410', severity: 'warning' });
  });

  it('lists every rule', async () => {
    const doc = JSON.parse((await siplens(['rules', '--format', 'json'])).stdout);
    expect(doc.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.meta.id));
  });

  it('exits 2 for a topic it does not know', async () => {
    const r = await siplens(['explain', '999', 'no-such-rule']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"999", "no-such-rule"');
  });
});

describe('siplens explain for diagnostic codes', () => {
  it('explains a diagnostic code: layer, severity, meaning, in text and JSON', async () => {
    const text = await siplens(['explain', 'analysis.open-calls-limit']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Diagnostic analysis\.open-calls-limit \(dialog layer, warning\)\n {2}More calls were open at once/);
    const doc = JSON.parse((await siplens(['explain', 'capture.truncated-record', '--format', 'json'])).stdout);
    expect(doc.topics[0]).toMatchObject({ kind: 'diagnostic', code: 'capture.truncated-record', layer: 'capture', severity: 'warning' });
  });

  it('an unknown topic names all three kinds of topic', async () => {
    const r = await siplens(['explain', 'no.such-thing']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a diagnostic code (docs/diagnostics.md)');
  });

  it('docs/diagnostics.md is generated from the table and lists every code', async () => {
    await expect(diagnosticsMarkdown()).toMatchFileSnapshot('../docs/diagnostics.md');
    for (const code of Object.keys(DIAGNOSTICS)) expect(diagnosticsMarkdown()).toContain(`| \`${code}\` |`);
  });
});

describe('--lang es', () => {
  it('explains a code and compares two codes with the Spanish headings of the seed page', async () => {
    const one = await siplens(['explain', '410', '--lang', 'es']);
    expect(one.stdout).toContain('Cuándo lo verás');
    expect(one.stdout).toContain('Cómo solucionarlo');
    const two = await siplens(['explain', '100', '410', '--lang', 'es']);
    for (const heading of ['Diferencias clave', 'Cuándo usar cada uno']) expect(two.stdout).toContain(heading);
  });

  it('takes the language from LANG when --lang is absent', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'explain', '486', '--format', 'json'], { env: { ...process.env, LANG: 'es_ES.UTF-8', LC_ALL: '' } });
    const en = JSON.parse((await siplens(['explain', '486', '--format', 'json', '--lang', 'en'])).stdout);
    expect(JSON.parse(stdout).topics[0].meaning).not.toBe(en.topics[0].meaning);
  });
});
