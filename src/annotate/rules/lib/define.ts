/**
 * defineCatalogRule: a rule whose meta also says, per message id, the severity a report with
 * that id gets (lower than the rule's own severity, e.g. "unresolved at end of capture" as
 * info). The table is data, so docs/rules.md can list it and tests can check it; the check
 * only reports a message id, never a severity.
 */
import type { Call } from '../../../parse/dialog/types.js';
import type { Severity } from '../../../types.js';
import type { OptionValue, Report, Rule, RuleContext, RuleMeta } from '../types.js';

export interface CatalogRuleMeta<Options extends Record<string, OptionValue>> extends RuleMeta<Options> {
  /** Severity of each message id that is reported below the rule's severity; ids not listed get the rule's severity. */
  readonly messageSeverity?: Readonly<Record<string, Severity>>;
}

export interface CatalogRule<Options extends Record<string, OptionValue>> extends Rule<Options> {
  readonly meta: CatalogRuleMeta<Options>;
}

export function defineCatalogRule<Options extends Record<string, OptionValue>>(rule: {
  readonly meta: CatalogRuleMeta<Options>;
  check(call: Call, context: RuleContext<Options>): void;
}): CatalogRule<Options> {
  const levels = rule.meta.messageSeverity ?? {};
  return {
    meta: rule.meta,
    check(call, context) {
      const report = (r: Report): void => {
        const severity = r.severity ?? levels[r.messageId];
        context.report(severity === undefined ? r : { ...r, severity });
      };
      // Everything the engine gives a rule (media, ICMP errors, sources...), with the severity table applied to its reports.
      rule.check(call, { ...context, report });
    },
  };
}
