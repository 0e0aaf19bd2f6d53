/** The help and docs/cli.md, laid out by src/present/help.ts from the table (table.ts). */
import type { Lang } from '../annotate/i18n.js';
import { renderCliMarkdown, renderCommandHelp, renderMainHelp, type CommandName, type ExampleName, type HelpCommand, type HelpOption, type OptionName } from '../present/help.js';
import { COMMANDS, MAIN_EXAMPLES, OPTIONS, type CommandSpec, type OptionSpec } from './table.js';
import { helpWidth } from './terminal.js';

function helpOption(name: OptionName, command: CommandSpec | null): HelpOption {
  const o: OptionSpec = OPTIONS[name];
  const fallback = command?.defaults?.[name] ?? o.default;
  const choices = name === 'format' && command !== null ? command.formats : o.choices;
  return {
    name,
    type: o.type,
    group: o.group,
    ...(o.short ? { short: o.short } : {}),
    ...(o.value ? { value: o.value } : {}),
    ...(choices ? { choices } : {}),
    ...(o.multiple ? { multiple: true } : {}),
    ...(fallback === undefined ? {} : { default: fallback }),
  };
}

function helpCommand(name: CommandName): HelpCommand {
  const c: CommandSpec = COMMANDS[name];
  return {
    name,
    ...(c.operands ? { operands: c.operands } : {}),
    options: c.options.map((o) => helpOption(o, c)),
    examples: Object.entries(c.examples) as [ExampleName, string][],
  };
}

const ALL = (): HelpCommand[] => (Object.keys(COMMANDS) as CommandName[]).map(helpCommand);

/** `siplens --help` (full) or bare `siplens` (short). */
export function mainHelp(options: { lang: Lang; version: string; full: boolean }): string {
  const general = COMMANDS.rules.options.map((o) => helpOption(o, null));
  return renderMainHelp(ALL(), general, Object.entries(MAIN_EXAMPLES) as [ExampleName, string][], { ...options, width: helpWidth() });
}

/** `siplens COMMAND --help`. */
export function commandHelp(command: CommandName, lang: Lang): string {
  return renderCommandHelp(helpCommand(command), { lang, width: helpWidth() });
}

/** docs/cli.md. */
export function cliMarkdown(): string {
  return renderCliMarkdown(ALL());
}
