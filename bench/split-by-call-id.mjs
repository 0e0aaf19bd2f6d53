#!/usr/bin/env node
/**
 * Splits a classic pcap of Ethernet/IPv4/UDP SIP (the SIP-heavy benchmark file) into N captures
 * by a hash of each datagram's Call-ID, so that every call lies whole in one of them: the input
 * of a perfectly partitioned `--jobs N`, to measure what such a design could gain at best
 * (BENCHMARKS.md, "Session 9: what --jobs 2 could gain"). Frames with no Call-ID go to every part.
 *
 *   node bench/split-by-call-id.mjs bench/out/sip-heavy-100MB.pcap 2 /tmp/part
 *     → /tmp/part0.pcap, /tmp/part1.pcap
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [file, parts, prefix] = process.argv.slice(2);
const n = Number(parts);
if (!file || !(n >= 1) || !prefix) {
  console.error('usage: split-by-call-id.mjs FILE.pcap N OUT-PREFIX');
  process.exit(2);
}
const PCAP_HEADER = 24;
const RECORD_HEADER = 16;
const bytes = readFileSync(file);
const out = Array.from({ length: n }, () => [bytes.subarray(0, PCAP_HEADER)]);
const LONG = Buffer.from('\r\nCall-ID:');
const COMPACT = Buffer.from('\r\ni:');

/** FNV-1a over the Call-ID's bytes. */
function hash(b, start, end) {
  let h = 2166136261;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 16777619);
  return h >>> 0;
}

/** The part a frame goes to, or -1 for every part (not IPv4/UDP, or no Call-ID). */
function partOf(frame) {
  const ipv4Udp = frame.length > 42 && frame[12] === 0x08 && frame[13] === 0x00 && frame[23] === 17;
  if (!ipv4Udp) return -1;
  const payload = frame.subarray(14 + (frame[14] & 15) * 4 + 8);
  let at = payload.indexOf(LONG);
  let name = LONG.length;
  if (at < 0) [at, name] = [payload.indexOf(COMPACT), COMPACT.length];
  if (at < 0) return -1;
  let start = at + name;
  while (payload[start] === 0x20) start++;
  let end = start;
  while (end < payload.length && payload[end] !== 0x0d) end++;
  return hash(payload, start, end) % n;
}

for (let at = PCAP_HEADER; at + RECORD_HEADER <= bytes.length; ) {
  const length = bytes.readUInt32LE(at + 8);
  const record = bytes.subarray(at, at + RECORD_HEADER + length);
  const part = partOf(record.subarray(RECORD_HEADER));
  if (part < 0) for (const o of out) o.push(record);
  else out[part].push(record);
  at += RECORD_HEADER + length;
}
out.forEach((records, i) => writeFileSync(`${prefix}${i}.pcap`, Buffer.concat(records)));
