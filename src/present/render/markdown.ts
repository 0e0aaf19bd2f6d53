/**
 * The analysis as Markdown (GitHub Flavored) for tickets and pull-request comments: the
 * inputs and summary, a table of calls, then per call a Mermaid sequence diagram, the
 * message table and the findings with why and fix. Trace values are code spans (mdCode),
 * so nothing from the trace is parsed as Markdown, HTML or an autolink; siplens's own
 * sentences go through mdText. Pure.
 */
import type { Finding } from '../../annotate/rules/types.js';
import { formatDuration, messageRef } from '../values.js';
import { countedMessages, type Timeline, type TimelineCall, type TimelineMessage } from '../timeline.js';
import { COMMON, MEDIA, REPORT } from '../catalog.js';
import { mediaLines, streamLine } from '../media.js';
import type { Lang } from '../../annotate/i18n.js';
import type { Outcome } from '../../annotate/outcome.js';
import { mdCode, mdText } from './escape.js';
import { mainProblemLines } from '../findings.js';
import { kindShort, legCauseLine, legsLine, typeText } from '../legs.js';
import { formatEndpoint, formatTimestampText } from './format.js';
import { describeInput, diagnosticLine } from './messages.js';
import { mermaidCall, type MermaidOptions } from './mermaid.js';
import { splitProse } from './prose.js';
import type { Statistics } from '../stats.js';
import { statisticsMarkdown } from './stats.js';
import { linesText, renderWhole, type CallsHeld } from './report-stream.js';

export interface MarkdownOptions extends MermaidOptions {
  /** Draw a Mermaid diagram per call (default true). */
  readonly mermaid?: boolean;
  /** Statistics to append (the CLI computes them from the same timeline). */
  readonly statistics?: Statistics;
}

const SEVERITY_MARK = { error: '✖', warning: '⚠', info: 'ℹ' } as const;

/** Addresses, URIs, anything with syntax in it: data shown as code. Words and numbers stay prose (escaped all the same). */
function technical(value: string): boolean {
  return /[^A-Za-z0-9 ._-]/.test(value) || /\d\.\d+\./.test(value);
}

/** A finding sentence: siplens's words escaped, the trace values in it as code spans. */
export function findingMarkdown(text: string, finding: Pick<Finding, 'data'>): string {
  return splitProse(text, finding)
    .map((p) => (p.value && technical(p.text) ? mdCode(p.text) : mdText(p.text)))
    .join('');
}

function startLine(m: TimelineMessage): string {
  if (m.method !== null) return `${m.method} ${m.requestUri ?? ''}`.trimEnd();
  return `${m.status ?? '?'} ${m.reason ?? ''}`.trimEnd() + (m.cseq && m.cseq.method !== 'INVITE' ? ` (${m.cseq.method})` : '');
}

function cell(text: string | null): string {
  return text === null || text === '' ? '—' : mdCode(text, { table: true });
}

/** A trace value in a paragraph: as in a cell, but `|` needs no escape outside a table (in a code span the backslash would show). */
function inline(text: string | null): string {
  return text === null || text === '' ? '—' : mdCode(text);
}

/** The call's media: a list of its streams (each line as the text timeline writes it, as code: codecs and addresses come from the trace), or "no RTP in the capture". */
function mediaMarkdown(call: TimelineCall, lang: Lang): string[] {
  const media = call.media;
  if (media === null) return [];
  if (media.streams.length === 0) {
    const none = mediaLines(media, call.figures.talkMs !== null, lang, '');
    return none.length > 0 ? [mdText(none[0]!), ''] : [];
  }
  return [`**${mdText(MEDIA[lang].media)}:**`, '', ...media.streams.map((s) => `- ${mdCode(streamLine(s, lang))}`), ''];
}

function callMarkdown(call: TimelineCall, options: MarkdownOptions, lang: Lang): string[] {
  const c = COMMON[lang];
  const w = REPORT[lang];
  const lines: string[] = [];
  lines.push(`## ${c.call} ${call.number} — ${mdText(call.outcomeText)}`, '');
  const parties = call.from || call.to ? ` · ${inline(call.from)} → ${inline(call.to)}` : '';
  lines.push(
    `${inline(call.callId)} · ${mdText(typeText(call, lang))}${parties} · ${c.message(countedMessages(call))} · ${formatDuration(call.durationMs)} · ${w.startedUtc(formatTimestampText(call.start))}`,
    '',
  );
  const legs = [legsLine(call, lang), legCauseLine(call, lang)].flatMap((line) => (line === null ? [] : [mdText(line)]));
  if (legs.length > 0) lines.push(legs.join('  \n'), '');
  lines.push(...mediaMarkdown(call, lang));
  if (options.mermaid !== false) lines.push('```mermaid', mermaidCall(call, { ...options, lang }).trimEnd(), '```', '');
  const k = w.messageColumns;
  lines.push(`| ${k.frame} | ${k.time} | ${k.fromTo} | ${k.message} | ${k.meaning} |`, '|---|--:|---|---|---|');
  for (const m of call.messages) {
    const marks = m.findings.map((f) => ` ${SEVERITY_MARK[call.findings[f]!.severity]}`).join('');
    lines.push(
      `| ${mdText(messageRef(m))} | +${(m.offsetMs / 1000).toFixed(3)} s | ${cell(formatEndpoint(m.src))} → ${cell(formatEndpoint(m.dst))} | ${cell(startLine(m))}${marks} | ${mdText(m.note)} |`,
    );
  }
  if (call.findings.length > 0) {
    lines.push('', `### ${w.findings}`, '');
    for (const f of call.findings) {
      const evidence = f.messages.map((n) => messageRef(call.messages[n]!)).join(', ');
      lines.push(`- **${SEVERITY_MARK[f.severity]} ${c.severity[f.severity]}** ${mdCode(f.rule)} — ${mdText(f.frames.length > 0 ? w.evidence.frames : w.evidence.messages)} ${mdText(evidence)}  `);
      lines.push(`  ${findingMarkdown(f.message, f)}  `);
      lines.push(`  **${c.why}:** ${findingMarkdown(f.explanation, f)}  `);
      lines.push(`  **${c.fix}:** ${findingMarkdown(f.fix, f)}  `);
      lines.push(`  **${c.see}:** ${mdText(f.rfc)}`);
    }
  }
  lines.push('');
  return lines;
}

/** A line of the call table. */
function callRow(call: TimelineCall, lang: Lang): string {
  return `| ${call.number} | ${mdText(call.outcomeText)} | ${mdText(kindShort(call, lang))} | ${cell(call.from)} | ${cell(call.to)} | ${formatTimestampText(call.start)} | ${formatDuration(call.durationMs)} | ${call.findings.length} | ${cell(call.callId)} |`;
}

/**
 * The Markdown report: its head (inputs, summary, the table of calls) comes first and needs the
 * totals, so each call's table row (section 0) and its section (section 1) are held aside as the
 * call is shown; the diagnostics and statistics close the document. Lines are written each with
 * its line break, and the blank line that separates two blocks opens the later one, so the
 * document ends without blank lines as a whole-report render trimmed of them would.
 */
export function markdownReport(options: Omit<MarkdownOptions, 'statistics'> & { readonly lang: Lang; readonly statistics: boolean }): CallsHeld {
  const { statistics: withStatistics, ...callOptions } = options;
  const lang = options.lang;
  let calls = 0;
  return {
    kind: 'held',
    sections: 2,
    call: (call) => {
      calls++;
      const lines = callMarkdown(call, callOptions, lang);
      // callMarkdown ends with the blank line after the call: here it opens the call instead.
      return [`${callRow(call, lang)}\n`, `\n${linesText(lines.slice(0, -1))}`];
    },
    end: (end) => {
      const c = COMMON[lang];
      const w = REPORT[lang];
      const s = end.summary;
      const head: string[] = [`# ${w.title}`, ''];
      for (const input of end.inputs) head.push(`- ${mdText(describeInput(input, lang))}`);
      if (end.inputs.length > 0) head.push('');
      const outcomes = Object.entries(s.outcomes)
        .map(([outcome, n]) => c.outcomeCount[outcome as Outcome](n))
        .join(', ');
      const findings = `${c.findings}: ${c.severityCounts(s.findings.error, s.findings.warning, s.findings.info)}`;
      head.push(
        `**${c.summary}:** ${c.callCount(s.calls)}${outcomes ? ` — ${mdText(outcomes)}` : ''} · ${w.messagesRetransmitted(s.messages, s.retransmissions)} · ${findings} · ${w.diagnosticsCount(s.diagnostics.error + s.diagnostics.warning + s.diagnostics.info)}`,
      );
      const problems = mainProblemLines(s.mainProblems, lang);
      if (problems.length > 0) head.push('', `**${c.mainProblems}:**`, '', ...problems.map((line, i) => `- ${findingMarkdown(line, s.mainProblems[i]!)}`));
      if (calls > 0) {
        const k = w.columns;
        head.push('', `| ${k.call} | ${k.outcome} | ${k.type} | ${k.from} | ${k.to} | ${k.start} | ${k.duration} | ${k.findings} | ${k.callId} |`, '|--:|---|---|---|---|---|--:|--:|---|');
      }
      const tail: string[] = [];
      const diagnostics = end.inputs.flatMap((i) => i.diagnostics);
      if (diagnostics.length > 0) {
        tail.push(`## ${c.diagnostics}`, '');
        for (const d of diagnostics) tail.push(`- ${mdText(diagnosticLine(d, lang).trim())}`);
        tail.push('');
      }
      if (withStatistics && end.statistics !== null) tail.push(...statisticsMarkdown(end.statistics, lang));
      const closing = tail.join('\n').trimEnd();
      return [linesText(head), 0, 1, closing === '' ? '' : `\n${closing}\n`];
    },
  };
}

export function renderMarkdown(timeline: Timeline, options: MarkdownOptions = {}): string {
  const { statistics, ...rest } = options;
  return renderWhole(markdownReport({ ...rest, lang: timeline.lang, statistics: statistics !== undefined }), timeline, { statistics: statistics ?? null });
}
