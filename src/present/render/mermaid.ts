/**
 * Mermaid sequence diagrams, one per call, for tickets and pull-request comments (GitHub,
 * GitLab and most wikis render them). Every piece of trace text goes through mermaidText,
 * so a hostile header cannot end a statement, draw an arrow or inject HTML. Pure.
 */
import type { Timeline, TimelineCall } from '../timeline.js';
import { mermaidText } from './escape.js';
import { formatEndpoint } from './format.js';
import { messageRef } from '../values.js';
import { arrowLabel, participantsOf } from './ladder.js';
import type { Lang } from '../../annotate/i18n.js';
import { COMMON, DIAGRAM } from '../catalog.js';
import { renderWhole, type CallsWritten } from './report-stream.js';

export interface MermaidOptions {
  readonly aliases?: ReadonlyMap<string, string>;
  /** Messages drawn per call; renderers stay under Mermaid's default text limit (50,000 characters). */
  readonly maxMessages?: number;
  /** Language of the diagram's own words (English unless given; renderMermaid uses the timeline's). */
  readonly lang?: Lang;
}

const SEVERITY_MARK = { error: '✖', warning: '⚠', info: 'ℹ' } as const;
const DEFAULT_MAX_MESSAGES = 300;

/** The `sequenceDiagram` source for one call (without a code fence). */
export function mermaidCall(call: TimelineCall, options: MermaidOptions = {}): string {
  const max = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const lang = options.lang ?? 'en';
  const parts = participantsOf(call, options.aliases);
  const id = new Map(parts.map((p, i) => [p.key, `P${i + 1}`]));
  const lines = ['sequenceDiagram'];
  parts.forEach((p, i) => lines.push(`  participant P${i + 1} as ${mermaidText(p.name)}`));
  for (const m of call.messages.slice(0, max)) {
    const from = id.get(formatEndpoint(m.src))!;
    const to = id.get(formatEndpoint(m.dst))!;
    // Requests solid, responses dashed; a retransmission is drawn with a cross at the end, a second capture of one packet as an open arrow.
    const arrow = m.retransmission ? '-x' : m.duplicateOf !== null ? '--)' : m.method !== null ? '->>' : '-->>';
    const label = `${messageRef(m)} +${(m.offsetMs / 1000).toFixed(3)}s ${arrowLabel(m, lang)}`;
    lines.push(`  ${from}${arrow}${to}: ${mermaidText(label)}`);
    for (const f of m.findings) {
      const finding = call.findings[f]!;
      const over = from === to ? from : `${from},${to}`;
      lines.push(`  Note over ${over}: ${mermaidText(`${SEVERITY_MARK[finding.severity]} ${finding.rule}`)}`);
    }
  }
  if (call.messages.length > max) {
    const first = id.get(formatEndpoint(call.messages[0]!.src))!;
    lines.push(`  Note right of ${first}: ${mermaidText(DIAGRAM[lang].notDrawn(call.messages.length - max))}`);
  }
  return lines.join('\n') + '\n';
}

/** Every call as a Mermaid diagram as it is shown, separated by a comment line naming the call. */
export function mermaidReport(options: MermaidOptions & { readonly lang: Lang }): CallsWritten {
  const lang = options.lang;
  let calls = 0;
  return {
    kind: 'calls',
    begin: () => '',
    call: (c) => `${calls++ === 0 ? '' : '\n'}%% ${COMMON[lang].call} ${c.number}: ${mermaidText(c.callId)}\n${mermaidCall(c, options)}`,
    // No call: a Mermaid comment says so, rather than an empty output that looks like a failure.
    end: () => (calls === 0 ? `%% ${DIAGRAM[lang].noCalls}\n` : ''),
  };
}

export function renderMermaid(timeline: Timeline, options: MermaidOptions = {}): string {
  return renderWhole(mermaidReport({ ...options, lang: timeline.lang }), timeline, { statistics: null });
}
