/**
 * siplens as a library: `analyze(inputs)` reads captures, rebuilds calls, runs the rules
 * and returns everything as data. It never prints and never exits; the CLI (cli.ts)
 * decides what to show and the exit code. This file is only the public API: the analysis
 * lives in src/analysis/, the layers under it in src/parse/ and src/annotate/.
 */
export { analyze, analyzeStream, readMessages, streamMessages } from './analysis/session.js';
export type { AnalysisResult, AnalysisSummary, AnalyzedCall, AnalyzeOptions, AnalyzeStreamOptions, CallLeg, CallLegLink, OpenCall, OpenCallsView, StreamedAnalysis } from './analysis/types.js';
export { callProgress, type CallProgress } from './analysis/progress.js';
export type { MediaSoFar } from './parse/media/join.js';
export type { InputSpec } from './parse/pipeline.js';
export type { CorrelatorOptions } from './parse/dialog/correlate.js';
export type * from './types.js';
export type * from './parse/sip/types.js';
export type * from './parse/dialog/types.js';
export type { Finding, Rule, RuleMeta } from './annotate/rules/types.js';
export type { CallFigures, CallOutcome, Outcome } from './annotate/outcome.js';
export type { RulesConfig, RuleSetting } from './annotate/engine.js';
export type { LegLinkReason, LegOptions } from './annotate/legs.js';
export { isPartial } from './annotate/partial.js';
export { DIAGNOSTICS, type DiagnosticCode, type DiagnosticInfo } from './diagnostics.js';
export { parseSipMessage } from './parse/sip/parse.js';
export { RULES } from './annotate/rules/index.js';
export { LANGS, langFromEnv, type Lang } from './annotate/i18n.js';
export { RESPONSE_CODES, lookupResponseCode, compareResponseCodes } from './annotate/codes/index.js';
