import { checkCall, type RulesConfig } from '../../src/annotate/engine.js';
import type { AnyRule } from '../../src/annotate/rules/index.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import type { CallIcmpError } from '../../src/parse/icmp-calls.js';
import type { CapturedMessage, Timestamp } from '../../src/types.js';
import type { DataDuration, DataEndpoint, DataRef } from '../../src/annotate/rules/types.js';

/** Runs one rule over the call made of `messages` (with the ICMP errors `icmp` tied to it); the capture ends at `captureEndMs` (default: the last message). */
export function findingsOf(rule: AnyRule, messages: CapturedMessage[], captureEndMs?: number, config: RulesConfig = {}, icmp: readonly CallIcmpError[] = []) {
  const calls = correlate(messages);
  return calls.flatMap((call) => {
    const last = call.end;
    const end: Timestamp = captureEndMs === undefined ? last : { sec: 1700000000 + Math.floor(captureEndMs / 1000), nsec: Math.round((captureEndMs % 1000) * 1e6) };
    return checkCall(call, end, config, [rule], null, null, icmp).map((f) => ({ rule: f.rule, messageId: f.messageId, severity: f.severity, data: f.data, frames: f.frames }));
  });
}

/** Report data as rules give it, for expectations: an endpoint, a duration in milliseconds, a frame. */
export const ep = (ip: string, port: number): DataEndpoint => ({ kind: 'endpoint', ip, port });
export const ms = (value: number): DataDuration => ({ kind: 'ms', ms: value });
export const frameRef = (frame: number): DataRef => ({ kind: 'ref', frame, line: null });

/** An ICMP port unreachable from the destination of `quoted`, message `message` of the call, `afterMs` after it. */
export function portUnreachable(quoted: CapturedMessage, message: number, afterMs = 1): CallIcmpError {
  const ns = quoted.time.nsec + afterMs * 1e6;
  return {
    file: quoted.file,
    frame: 1000 + message,
    time: { sec: quoted.time.sec + Math.floor(ns / 1e9), nsec: ns % 1e9 },
    icmpVersion: 4,
    type: 3,
    code: 3,
    kind: 'unreachable',
    reporter: quoted.dst.ip,
    mtu: null,
    protocol: 17,
    src: quoted.src,
    dst: quoted.dst,
    length: 500,
    callId: quoted.message.callId,
    message,
    stream: null,
  };
}
