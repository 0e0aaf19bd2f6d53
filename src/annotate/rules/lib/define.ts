/**
 * defineCatalogRule: a rule whose meta also says, per message id, the severity a report with
 * that id gets (lower than the rule's own severity, e.g. "unresolved at end of capture" as
 * info). The table is data (RuleMeta.messageSeverity), so docs/rules.md can list it, tests can
 * check it and the engine applies it; the check only reports a message id, never a severity.
 */
import type { OptionValue, Rule } from '../types.js';

export function defineCatalogRule<Options extends Record<string, OptionValue>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
