/**
 * The one table of the command line, after vitest's cli-config: every option and every command
 * declared once, with its type, short name, choices, default and the commands that take it. The
 * parser (args.ts), the help (`--help`, src/present/help.ts) and docs/cli.md all read it; the
 * words that describe each entry are in the help catalog, keyed by the same names, so
 * TypeScript refuses an option without a description in every language, or a description
 * without an option.
 */
import { LANGS } from '../annotate/i18n.js';
import { CALL_TYPES } from '../present/filter.js';
import type { CommandName, ExampleName, OptionGroup, OptionName } from '../present/help.js';
import { DEFAULT_MAX_OPEN_CALLS } from '../parse/dialog/correlate.js';

export const ANALYSIS_FORMATS = ['text', 'json', 'ndjson', 'csv', 'ladder', 'html', 'markdown', 'mermaid', 'junit', 'github'] as const;
export type AnalysisFormat = (typeof ANALYSIS_FORMATS)[number];
export const CHECK_FORMATS = ['text', 'json', 'junit', 'github'] as const;
const TEXT_OR_JSON = ['text', 'json'] as const;
export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;

export interface OptionSpec {
  readonly type: 'string' | 'number' | 'boolean';
  /** One letter: `-o FILE`. */
  readonly short?: string;
  readonly choices?: readonly string[];
  /** Given more than once, or comma-separated, it means any of its values. */
  readonly multiple?: boolean;
  /** What help shows for the value (`--output FILE`); choices show themselves. */
  readonly value?: string;
  readonly group: OptionGroup;
  /** Shown in help; a command may have its own (commands' `defaults`). */
  readonly default?: string | number | boolean;
}

export const OPTIONS = {
  format: { type: 'string', short: 'f', choices: [...new Set([...ANALYSIS_FORMATS, ...CHECK_FORMATS])], group: 'general', default: 'text' },
  lang: { type: 'string', choices: LANGS, group: 'general' },
  color: { type: 'boolean', group: 'general' },
  help: { type: 'boolean', short: 'h', group: 'general' },
  version: { type: 'boolean', short: 'V', group: 'general' },
  output: { type: 'string', short: 'o', value: 'FILE', group: 'output' },
  'write-pcap': { type: 'string', value: 'FILE', group: 'output' },
  ladder: { type: 'boolean', group: 'output' },
  stats: { type: 'boolean', group: 'output' },
  width: { type: 'number', value: 'N', group: 'output' },
  aliases: { type: 'string', value: 'FILE', group: 'output' },
  redact: { type: 'boolean', group: 'output' },
  'redact-key': { type: 'string', value: 'KEY', group: 'output' },
  'fail-on': { type: 'string', choices: FAIL_ON, value: 'SEVERITY', group: 'output', default: 'error' },
  policy: { type: 'string', short: 'p', value: 'FILE', group: 'output' },
  'call-id': { type: 'string', multiple: true, value: 'ID', group: 'filter' },
  user: { type: 'string', multiple: true, value: 'USER', group: 'filter' },
  method: { type: 'string', multiple: true, value: 'METHOD', group: 'filter' },
  status: { type: 'string', multiple: true, value: 'CODE', group: 'filter' },
  since: { type: 'string', value: 'TIME', group: 'filter' },
  until: { type: 'string', value: 'TIME', group: 'filter' },
  'only-problems': { type: 'boolean', group: 'filter' },
  type: { type: 'string', multiple: true, choices: CALL_TYPES, group: 'filter' },
  date: { type: 'string', value: 'YYYY-MM-DD', group: 'input' },
  'leg-window': { type: 'number', value: 'SECONDS', group: 'input', default: 5 },
  'max-open-calls': { type: 'number', value: 'N', group: 'input', default: DEFAULT_MAX_OPEN_CALLS },
  'tls-keylog': { type: 'string', multiple: true, value: 'FILE', group: 'input' },
  interface: { type: 'string', short: 'i', value: 'IFACE', group: 'input' },
  filter: { type: 'string', value: 'FILTER', group: 'input' },
  media: { type: 'boolean', group: 'input', default: true },
} as const satisfies { readonly [K in OptionName]: OptionSpec };

/** The options every command takes. */
const GENERAL = ['format', 'lang', 'color', 'help', 'version'] as const satisfies readonly OptionName[];
const FILTERS = ['call-id', 'user', 'method', 'status', 'since', 'until', 'only-problems', 'type'] as const satisfies readonly OptionName[];
const REDACTION = ['redact', 'redact-key'] as const satisfies readonly OptionName[];
const READING = ['date', 'leg-window', 'max-open-calls', 'tls-keylog'] as const satisfies readonly OptionName[];
const REPORT = ['output', 'ladder', 'stats', 'width', 'aliases', ...REDACTION] as const satisfies readonly OptionName[];

export interface CommandSpec {
  /** What the command reads from its positional arguments, if anything. */
  readonly operands?: 'files' | 'topics' | 'source';
  readonly options: readonly OptionName[];
  readonly formats: readonly string[];
  /** Defaults that differ from the option's own. */
  readonly defaults?: Partial<Record<OptionName, string | number | boolean>>;
  /** Command lines shown under the command's help, described in the help catalog. */
  readonly examples: Partial<Record<ExampleName, string>>;
}

export const COMMANDS = {
  analyze: {
    operands: 'files',
    options: [...GENERAL, 'fail-on', ...REPORT, 'write-pcap', ...FILTERS, ...READING],
    formats: ANALYSIS_FORMATS,
    examples: {
      timeline: 'siplens call.pcap',
      ladder: 'siplens --format ladder call.pcap',
      html: 'siplens --format html -o report.html call.pcap',
      json: 'siplens --format json --fail-on warning call.pcapng > report.json',
      filter: 'siplens --status 4xx --since 2024-11-19T07:00:00Z trunk.pcap',
      stdin: 'tcpdump -i any -U -w - port 5060 | siplens -',
    },
  },
  messages: {
    operands: 'files',
    options: [...GENERAL, 'output', ...FILTERS, 'date', 'tls-keylog'],
    formats: TEXT_OR_JSON,
    examples: { messages: 'siplens messages call.pcap', messagesOfCall: "siplens messages --call-id 'a84b4c76*' call.pcap" },
  },
  demo: {
    options: [...GENERAL, 'fail-on', ...REPORT, 'write-pcap', ...FILTERS, 'leg-window', 'max-open-calls'],
    formats: ANALYSIS_FORMATS,
    defaults: { 'fail-on': 'never' },
    examples: { demo: 'siplens demo', demoHtml: 'siplens demo --format html -o demo.html' },
  },
  explain: {
    operands: 'topics',
    options: GENERAL,
    formats: TEXT_OR_JSON,
    examples: { explain: 'siplens explain 100 410', explainRule: 'siplens explain stuck-on-100-trying' },
  },
  rules: { options: GENERAL, formats: TEXT_OR_JSON, examples: { rules: 'siplens rules' } },
  check: {
    operands: 'files',
    options: [...GENERAL, 'policy', 'output', 'aliases', ...REDACTION, ...FILTERS, ...READING],
    formats: CHECK_FORMATS,
    examples: { check: 'siplens check --policy policy.yaml call.pcap', checkJunit: 'siplens check --policy policy.yaml --format junit -o junit.xml call.pcap' },
  },
  stats: {
    operands: 'files',
    options: [...GENERAL, 'output', ...REDACTION, ...FILTERS, ...READING],
    formats: TEXT_OR_JSON,
    examples: { stats: 'siplens stats call.pcap', statsJson: 'siplens stats --format json --type call trunk.pcap' },
  },
  streams: {
    operands: 'files',
    options: [...GENERAL, 'output', ...REDACTION, ...FILTERS, ...READING],
    formats: TEXT_OR_JSON,
    examples: { streams: 'siplens streams call.pcap' },
  },
  live: {
    operands: 'source',
    options: [...GENERAL, 'interface', 'filter', 'media', ...REDACTION],
    formats: ['text'],
    examples: { live: 'siplens live -i eth0', liveFile: 'siplens live call.pcap' },
  },
} as const satisfies { readonly [K in CommandName]: CommandSpec };

/** The command run when the first operand names none (`siplens call.pcap`). */
export const DEFAULT_COMMAND: CommandName = 'analyze';

/** The examples the short help (bare `siplens`) and `siplens --help` show. */
export const MAIN_EXAMPLES = {
  demo: COMMANDS.demo.examples.demo,
  timeline: COMMANDS.analyze.examples.timeline,
  html: COMMANDS.analyze.examples.html,
  check: COMMANDS.check.examples.check,
  explain: COMMANDS.explain.examples.explain,
  stdin: COMMANDS.analyze.examples.stdin,
} as const satisfies Partial<Record<ExampleName, string>>;
