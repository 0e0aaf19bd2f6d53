/**
 * Which catalog rule explains which final response, so that one response gives one finding:
 * registration-problems reports only the REGISTER failures no rule below owns, and the
 * status-code rules leave OPTIONS to options-keepalive-failures.
 */
export const STATUS_OWNERS: ReadonlyMap<number, string> = new Map([
  [401, 'auth-loop'],
  [407, 'auth-loop'],
  [403, 'forbidden'],
  [404, 'not-found'],
  [484, 'not-found'],
  [604, 'not-found'],
  [410, 'gone-410'],
  [422, 'session-timer'],
  [480, 'callee-unavailable'],
  [486, 'callee-unavailable'],
  [600, 'callee-unavailable'],
  [603, 'callee-unavailable'],
  [607, 'callee-unavailable'],
  [608, 'callee-unavailable'],
  [481, 'call-does-not-exist'],
  [482, 'loop-detected'],
  [483, 'loop-detected'],
  [491, 'glare'],
  [500, 'server-error'],
  [501, 'server-error'],
  [502, 'server-error'],
  [504, 'server-error'],
  [513, 'server-error'],
  [503, 'overload'],
  [415, 'codec-mismatch'],
  [488, 'codec-mismatch'],
  [606, 'codec-mismatch'],
]);

/** Methods whose failures another rule reports in its own terms. */
export const METHODS_WITH_OWN_RULE: ReadonlySet<string> = new Set(['OPTIONS']);

/** For the status-code rules: the response is theirs unless its method has a rule of its own. */
export function ownsMethod(method: string): boolean {
  return !METHODS_WITH_OWN_RULE.has(method);
}
