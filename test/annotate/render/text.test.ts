import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/present/render/json.js';
import { sanitizeForTerminal } from '../../../src/present/render/sanitize.js';
import { renderText } from '../../../src/present/render/text.js';
import { buildTimeline } from '../../../src/present/timeline.js';
import { checkCall } from '../../../src/annotate/engine.js';
import { callFigures, callOutcome } from '../../../src/annotate/outcome.js';
import { correlate } from '../../../src/parse/dialog/correlate.js';
import type { AnalysisResult } from '../../../src/index.js';
import { A, B, captured } from '../../support/sip.js';

const hostile = '\u001b[2J\u001b]8;;http://evil/\u0007click\u001b]8;;\u0007\b\u202eevil\u009b31m';

function resultWith(callId: string): AnalysisResult {
  const messages = [
    captured([`INVITE sip:bob@example.com SIP/2.0`, 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', `From: "${hostile}" <sip:a@b>;tag=1`, 'To: <sip:bob@example.com>', `Call-ID: ${callId}`, 'CSeq: 1 INVITE'], 0, A, B),
    captured([`SIP/2.0 410 ${hostile}`, 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:bob@example.com>;tag=2', `Call-ID: ${callId}`, 'CSeq: 1 INVITE'], 5, B, A),
  ];
  const calls = correlate(messages).map((call, i) => ({ number: i + 1, call, outcome: callOutcome(call), figures: callFigures(call), findings: checkCall(call, call.end), leg: null, media: null }));
  return {
    inputs: [],
    messages,
    calls,
    summary: { calls: 1, messages: 2, retransmissions: 0, duplicates: 0, outcomes: {}, findings: { error: 0, warning: 1, info: 0 }, diagnostics: { error: 0, warning: 0, info: 0 }, mainProblems: [] },
  };
}

const OUR_SEQUENCES = new Set(['\u001b[0m', '\u001b[1m', '\u001b[2m', '\u001b[31m', '\u001b[33m', '\u001b[36m']);

describe('text output is safe for a terminal', () => {
  it('escapes control characters, OSC 8 links and bidi overrides from the trace', () => {
    const plain = renderText(buildTimeline(resultWith(`x${hostile}`)), { color: false });
    expect(plain).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(plain).toContain('\\x1b[2J');
    expect(plain).toContain('\\u202e');
  });

  it('with colours on, the only escape sequences are siplens\'s own', () => {
    const coloured = renderText(buildTimeline(resultWith(`x${hostile}`)), { color: true });
    const sequences = coloured.match(/\u001b\[[0-9;]*m/g) ?? [];
    expect(sequences.length).toBeGreaterThan(0);
    for (const s of sequences) expect(OUR_SEQUENCES.has(s)).toBe(true);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('JSON keeps the original text exactly (escaped by JSON itself)', () => {
    const doc = JSON.parse(renderJson(buildTimeline(resultWith(`x${hostile}`))));
    expect(doc.calls[0].callId).toBe(`x${hostile}`);
  });

  it('sanitizeForTerminal leaves ordinary text and UTF-8 alone', () => {
    expect(sanitizeForTerminal('Jürgen Groß → ☎ 日本')).toBe('Jürgen Groß → ☎ 日本');
    expect(sanitizeForTerminal('a\tb\nc')).toBe('a\\x09b\\x0ac');
  });
});
