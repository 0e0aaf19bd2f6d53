/**
 * V8 tuning for the command line, set before any analysis code runs (src/cli.ts imports this
 * module first, so it is evaluated first; JIT flags are read when a function's feedback is set
 * up, heap-size flags at start-up, so only the former can be set here).
 *
 * `--interrupt-budget` (bytecodes run before V8 considers optimizing a function; 67,584 by
 * default in Node 20's V8 11.3) raised fourfold: on a fresh process V8 otherwise optimizes about
 * 240 functions with TurboFan, many of them called a few thousand times per capture (SIP parsing,
 * the rules, correlation), and those compiles cost about 1.6 s of CPU on the 200 MB RTP-heavy
 * benchmark (trace-opt), two thirds of the run. With the higher budget only the functions that
 * stay hot are compiled; the rest run in baseline code, which costs them less than compiling.
 * Measured in BENCHMARKS.md (session 8) and docs/decisions.md. The library leaves the embedder's
 * flags alone: this is the command line's choice.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--interrupt-budget=270336');
