/**
 * A capture of many short calls for the HTML report's size test: each an INVITE answered and
 * hung up (INVITE, 200, ACK, BYE, 200) between two hosts, one call starting every 10 ms.
 * Written record by record to the file, so making 100,000 calls holds no more than a batch.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ipv4, udp } from './packets.js';

const CALLER = '10.1.0.1';
const CALLEE = '10.2.0.1';

function request(method: string, n: number, cseq: number, toTag: boolean): string {
  return (
    `${method} sip:bob${n}@${CALLEE} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP ${CALLER}:5060;branch=z9hG4bK-${n}-${method}\r\n` +
    `From: <sip:alice${n}@${CALLER}>;tag=a${n}\r\n` +
    `To: <sip:bob${n}@${CALLEE}>${toTag ? `;tag=b${n}` : ''}\r\n` +
    `Call-ID: many-${n}@${CALLER}\r\n` +
    `CSeq: ${cseq} ${method}\r\n` +
    `Max-Forwards: 70\r\n` +
    `Content-Length: 0\r\n\r\n`
  );
}

function ok(method: string, n: number, cseq: number): string {
  return (
    `SIP/2.0 200 OK\r\n` +
    `Via: SIP/2.0/UDP ${CALLER}:5060;branch=z9hG4bK-${n}-${method}\r\n` +
    `From: <sip:alice${n}@${CALLER}>;tag=a${n}\r\n` +
    `To: <sip:bob${n}@${CALLEE}>;tag=b${n}\r\n` +
    `Call-ID: many-${n}@${CALLER}\r\n` +
    `CSeq: ${cseq} ${method}\r\n` +
    `Content-Length: 0\r\n\r\n`
  );
}

/** Writes `calls` calls to `path` as a raw-IP pcap (link type 101); returns the number of packets. */
export function writeManyCalls(path: string, calls: number): number {
  const fd = openSync(path, 'w');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(101, 20);
  writeSync(fd, header);
  const start = 1_700_000_000;
  let packets = 0;
  let batch: Buffer[] = [];
  // Each call's messages over 3 s, calls every 10 ms: a few hundred open at once, as on a trunk.
  const flows: [number, boolean, (n: number) => string][] = [
    [0, true, (n) => request('INVITE', n, 1, false)],
    [1000, false, (n) => ok('INVITE', n, 1)],
    [1010, true, (n) => request('ACK', n, 1, true)],
    [3000, true, (n) => request('BYE', n, 2, true)],
    [3010, false, (n) => ok('BYE', n, 2)],
  ];
  const events: { ms: number; n: number; step: number }[] = [];
  const flush = (): void => {
    writeSync(fd, Buffer.concat(batch));
    batch = [];
  };
  // Calls overlap: merge each call's messages in time order with a small queue of pending ones.
  for (let n = 1; n <= calls || events.length > 0; ) {
    const callStart = n <= calls ? (n - 1) * 10 : Infinity;
    if (events.length > 0 && events[0]!.ms <= callStart) {
      const e = events.shift()!;
      const [, fromCaller, text] = flows[e.step]!;
      const frame = fromCaller ? ipv4(CALLER, CALLEE, udp(5060, 5060, text(e.n))) : ipv4(CALLEE, CALLER, udp(5060, 5060, text(e.n)));
      const record = Buffer.alloc(16);
      const ms = start * 1000 + e.ms;
      record.writeUInt32LE(Math.floor(ms / 1000), 0);
      record.writeUInt32LE((ms % 1000) * 1000, 4);
      record.writeUInt32LE(frame.length, 8);
      record.writeUInt32LE(frame.length, 12);
      batch.push(record, frame);
      packets++;
      if (batch.length >= 4096) flush();
      continue;
    }
    for (let step = 0; step < flows.length; step++) {
      const ms = callStart + flows[step]![0];
      let at = events.length;
      while (at > 0 && events[at - 1]!.ms > ms) at--;
      events.splice(at, 0, { ms, n, step });
    }
    n++;
  }
  flush();
  closeSync(fd);
  return packets;
}
