/**
 * The command line's V8 flags, in one place. src/cli-start.ts imports this module first, so it is
 * evaluated before the command line's bundle is compiled (a code cache made under other flags is
 * rejected) and before any analysis code runs: JIT flags are read when a function's feedback is set up
 * and the heap growing factor at each collection, so both apply when set here (heap-size flags,
 * read at start-up, would not). The command's choice only: the library leaves V8 as its host set
 * it. Measured in BENCHMARKS.md (session 8) and docs/decisions.md.
 */
import { setFlagsFromString } from 'node:v8';

// Warm-up: `--interrupt-budget` is how much bytecode a function runs before V8 considers
// optimizing it (67,584 by default in Node 20's V8 11.3). At the default a fresh process compiled
// about 240 functions with TurboFan, many of them called only a few thousand times per capture
// (SIP parsing, the rules, correlation), for about 1.6 s of CPU on the 200 MB RTP-heavy file, two
// thirds of the run. Four times the budget compiles the 90 that stay hot; the rest run in
// baseline code, which costs them less than compiling would.
setFlagsFromString('--interrupt-budget=270336');

// Peak memory: between full collections V8 lets the old generation grow to about four times what
// the last one kept (its heap growing factor on a machine with this much memory). siplens keeps
// little (the calls open at once) but allocates fast, so the peak was mostly garbage waiting: a
// factor of two holds the 500 MB SIP-heavy file under 300 MB (about 225 MB, was 340) for about 6 %
// more CPU on the SIP-heavy file, wall time level: the collector's threads run on another core.
setFlagsFromString('--heap-growing-percent=100');
