/** The explicit rule registry: every rule imported by name (no directory scanning). */
import { MEDIA_RULES } from './catalog-media.js';
import { TRANSACTION_RULES } from './catalog.js';
import { gone410 } from './gone-410.js';
import { stuckOn100Trying } from './stuck-on-100-trying.js';
import type { Rule } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule has its own option type
export type AnyRule = Rule<any>;

export const RULES: readonly AnyRule[] = [stuckOn100Trying, gone410, ...TRANSACTION_RULES, ...MEDIA_RULES];

export const RULES_BY_ID: ReadonlyMap<string, AnyRule> = new Map(RULES.map((r) => [r.meta.id, r]));
