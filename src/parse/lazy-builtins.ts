/**
 * Node's modules that only some inputs or commands need, loaded when first asked for. An import
 * at the top of a file loads the module at start, for every run: crypto, zlib, child_process and
 * readline took about 12 ms of each start of the command (BENCHMARKS.md, session 17), for TLS
 * keys, compressed input, the HTML report and the live view.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let zlibModule: typeof import('node:zlib') | undefined;
let cryptoModule: typeof import('node:crypto') | undefined;
let childProcessModule: typeof import('node:child_process') | undefined;
let readlineModule: typeof import('node:readline') | undefined;

/** node:zlib: gzip input, compressed HEP and WebSocket payloads, the HTML report's packed data. */
export function zlib(): typeof import('node:zlib') {
  return (zlibModule ??= require('node:zlib') as typeof import('node:zlib'));
}

/** node:crypto: TLS decryption, keyed pseudonyms, the HTML report's script hashes. */
export function crypto(): typeof import('node:crypto') {
  return (cryptoModule ??= require('node:crypto') as typeof import('node:crypto'));
}

/** node:child_process: `siplens live -i` starting tcpdump. */
export function childProcess(): typeof import('node:child_process') {
  return (childProcessModule ??= require('node:child_process') as typeof import('node:child_process'));
}

/** node:readline: the live view's keys. */
export function readline(): typeof import('node:readline') {
  return (readlineModule ??= require('node:readline') as typeof import('node:readline'));
}
