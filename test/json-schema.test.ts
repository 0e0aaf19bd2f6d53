import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyze, readMessages } from '../src/index.js';
import { renderJson } from '../src/present/render/json.js';
import { renderMessagesJson } from '../src/present/render/messages.js';
import { buildTimeline } from '../src/present/timeline.js';
import { corpusCaptures, corpusTextLogs, fixtureCaptures, fixtureTextLogs, REPO_ROOT, TEXT_FIXTURE_DATE } from './support/captures.js';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'schema', 'siplens-1.schema.json'), 'utf8'));
// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('JSON output follows docs/schema/siplens-1.schema.json', () => {
  it.each([...fixtureCaptures(), ...corpusCaptures()].map((f) => [relative(REPO_ROOT, f), f]))('%s', async (_name, file) => {
    const analysis = JSON.parse(renderJson(buildTimeline(await analyze([file]))));
    expect(validate(analysis) ? [] : validate.errors).toEqual([]);
    const messages = JSON.parse(renderMessagesJson(await readMessages([file])));
    expect(validate(messages) ? [] : validate.errors).toEqual([]);
  });
});

describe('JSON output of text logs follows the schema', () => {
  it.each([...fixtureTextLogs(), ...corpusTextLogs()].map((f) => [relative(REPO_ROOT, f), f]))('%s', async (_name, file) => {
    const analysis = JSON.parse(renderJson(buildTimeline(await analyze([file], { date: TEXT_FIXTURE_DATE }))));
    expect(validate(analysis) ? [] : validate.errors).toEqual([]);
    const messages = JSON.parse(renderMessagesJson(await readMessages([file], undefined, { date: TEXT_FIXTURE_DATE })));
    expect(validate(messages) ? [] : validate.errors).toEqual([]);
  });
});

it('the schema rejects documents that break it', async () => {
  const doc = JSON.parse(renderJson(buildTimeline(await analyze([join(REPO_ROOT, 'samples', 'demo.pcap')]))));
  expect(validate({ ...doc, summary: undefined })).toBe(false);
  expect(validate({ ...doc, schema: 'siplens/2' })).toBe(false);
  const call = { ...doc.calls[0], outcome: 'exploded' };
  expect(validate({ ...doc, calls: [call] })).toBe(false);
  // The demo's main problems are there, as data, and a fourth or an info one breaks the schema.
  const problems = doc.summary.mainProblems;
  expect(problems.length).toBeGreaterThan(0);
  expect(validate({ ...doc, summary: { ...doc.summary, mainProblems: [...problems, ...problems, ...problems, ...problems] } })).toBe(false);
  expect(validate({ ...doc, summary: { ...doc.summary, mainProblems: [{ ...problems[0], severity: 'info' }] } })).toBe(false);
});
