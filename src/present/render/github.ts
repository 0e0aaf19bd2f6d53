/**
 * GitHub Actions annotations (workflow commands): one `::error`, `::warning` or `::notice`
 * line per finding, per unreadable input and per input diagnostic, then a plain summary
 * line. Trace text is escaped as the Actions toolkit does (`%`, and `:` `,` in properties)
 * with line breaks and control characters neutralised, so nothing from a capture can
 * start a line of its own and issue a workflow command. Pure.
 */
import type { Severity } from '../../types.js';
import type { Timeline } from '../timeline.js';
import { githubData, githubProperty } from './escape.js';
import { messageRef } from '../values.js';
import { failsAt, type CiOptions } from './junit.js';
import { CI, COMMON, INPUTS } from '../catalog.js';
import { diagnosticText } from '../diagnostics.js';
import type { Lang } from '../../annotate/i18n.js';
import { linesText, renderWhole, type CallsHeld } from './report-stream.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

function command(level: string, properties: Record<string, string | number | undefined>, lines: readonly string[]): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${githubProperty(String(v))}`)
    .join(',');
  // %0A is a line break inside the annotation; each piece is escaped on its own.
  return `::${level}${props ? ` ${props}` : ''}::${lines.map(githubData).join('%0A')}`;
}

/**
 * The annotations: the inputs' and the policy's first (known at the end), then each call's
 * findings, held aside as the calls are shown (section 0), then the summary line.
 */
export function githubReport(options: CiOptions & { readonly lang: Lang }): CallsHeld {
  const lang = options.lang;
  const w = { ...COMMON[lang], ...CI[lang] };
  let failing = 0;
  return {
    kind: 'held',
    sections: 1,
    call: (call) => {
      if (call.findings.some((f) => failsAt(f, options))) failing++;
      const out: string[] = [];
      for (const f of call.findings) {
        const evidence = f.messages.map((n) => messageRef(call.messages[n]!)).join(' ');
        const anchor = call.messages[f.anchor];
        out.push(
          command(
            COMMAND[f.severity],
            { file: anchor?.file, line: f.lines[0], title: `${w.findingTitle(f.rule, call.number, evidence)}${failsAt(f, options) ? '' : options.allow?.includes(f.rule) ? w.allowed : w.belowFailOn}` },
            [f.message, `${w.why}: ${f.explanation}`, `${w.fix}: ${f.fix}`, `Call-ID: ${call.callId}`, `${w.see}: ${f.rfc}`],
          ),
        );
      }
      return [linesText(out)];
    },
    end: (end) => {
      const out: string[] = [];
      for (const input of end.inputs) {
        if (!input.readable) {
          const error = input.diagnostics.find((d) => d.severity === 'error');
          const reason = error === undefined ? INPUTS[lang].couldNotRead : diagnosticText(error, lang);
          out.push(command('error', { file: input.path, title: w.inputNotRead }, [reason]));
          continue;
        }
        for (const d of input.diagnostics) {
          if (d.severity === 'info') continue;
          const where = d.frame !== undefined ? w.atFrame(d.frame) : '';
          out.push(command(COMMAND[d.severity], { file: input.path, line: d.line, title: `siplens: ${d.code}${where}` }, [diagnosticText(d, lang)]));
        }
      }
      for (const check of end.checks ?? []) {
        if (check.passed) continue;
        out.push(command('error', { title: `siplens ${w.policy(check.id)}` }, [w.got(check.expected, check.actual), ...check.details.slice(0, 20)]));
      }
      const s = end.summary;
      const summary = githubData(w.githubSummary(s.calls, failing, options.failOn, w.severityCounts(s.findings.error, s.findings.warning, s.findings.info)));
      return [linesText(out), 0, linesText([summary])];
    },
  };
}

export function renderGithub(timeline: Timeline, options: CiOptions): string {
  return renderWhole(githubReport({ ...options, lang: timeline.lang }), timeline, { statistics: null, ...(options.checks === undefined ? {} : { checks: options.checks }) });
}
