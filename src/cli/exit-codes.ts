/**
 * Exit codes: 0 no finding at or above --fail-on; 1 there is one (or a check failed); 2 an
 * input could not be read at all, the report could not be written (output.ts `unwritable`), or
 * the command line is wrong; 130 a second Ctrl-C.
 */
import type { Lang } from '../annotate/i18n.js';
import { DIAGNOSTIC_NOTES, diagnosticText } from '../present/diagnostics.js';
import type { FailOn } from '../present/render/junit.js';
import { sanitizeForTerminal } from '../present/render/sanitize.js';
import type { TimelineCall } from '../present/timeline.js';
import { atLeast } from '../severity.js';
import type { InputSummary } from '../types.js';

export const EXIT_OK = 0;
export const EXIT_INPUT_ERROR = 2;

/** The findings of a call at or above --fail-on: exit 1 when the calls shown have any. */
export function findingsAtFailOn(call: TimelineCall, failOn: FailOn): number {
  // Counted by index, not filtered into a list per call.
  const findings = call.findings;
  let n = 0;
  for (let i = 0; i < findings.length; i++) if (atLeast(findings[i]!.severity, failOn)) n++;
  return n;
}


/**
 * Input failures on stderr, one sentence each, whatever the report format or destination: every
 * error of an input that could not be read at all, and a read that failed part-way (the report
 * holds what was read before it). True when an input could not be read at all (exit code 2).
 */
export function reportInputErrors(inputs: readonly InputSummary[], lang: Lang = 'en'): boolean {
  for (const input of inputs) {
    for (const d of input.diagnostics) {
      if (d.severity !== 'error') continue;
      const sentence = sanitizeForTerminal(diagnosticText(d, lang));
      if (!input.readable) process.stderr.write(`siplens: ${sentence}\n`);
      else if (d.code.startsWith('input.')) process.stderr.write(`siplens: ${DIAGNOSTIC_NOTES[lang].readBefore(sentence)}\n`);
    }
  }
  return inputs.some((i) => !i.readable);
}
