/**
 * Writes a large trunk-like capture for the benchmark: many concurrent calls with
 * G.711 RTP (214-byte frames) both ways, and a SIP dialog (INVITE .. BYE) per call.
 * Records are written straight into a reused buffer, so any size is cheap to make.
 */
import { createWriteStream } from 'node:fs';
import { ethernet, ipv4, rtp, udp } from '../test/support/packets.js';

function sipInvite(call: number): string {
  const id = `bench-${call}@198.51.100.1`;
  return (
    `INVITE sip:${call}@198.51.100.2 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK${call}\r\n` +
    `From: <sip:caller@198.51.100.1>;tag=${call}\r\nTo: <sip:${call}@198.51.100.2>\r\nCall-ID: ${id}\r\nCSeq: 1 INVITE\r\n` +
    `Contact: <sip:caller@198.51.100.1>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`
  );
}

function sipOk(call: number, method: string, cseq: number): string {
  return (
    `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK${call}\r\nFrom: <sip:caller@198.51.100.1>;tag=${call}\r\n` +
    `To: <sip:${call}@198.51.100.2>;tag=b${call}\r\nCall-ID: bench-${call}@198.51.100.1\r\nCSeq: ${cseq} ${method}\r\nContent-Length: 0\r\n\r\n`
  );
}

export interface Generated {
  bytes: number;
  frames: number;
  sipMessages: number;
}

/** RTP packets between SIP messages: 1 call setup every `rtpPerCall` media packets. */
export async function generateCapture(path: string, targetBytes: number, rtpPerCall = 2000): Promise<Generated> {
  const out = createWriteStream(path);
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  let used = 0;
  let bytes = 0;
  let frames = 0;
  let sipMessages = 0;
  const flush = async () => {
    if (!out.write(Buffer.from(chunk.subarray(0, used)))) await new Promise<void>((r) => out.once('drain', () => r()));
    bytes += used;
    used = 0;
  };
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  header.copy(chunk, 0);
  used = 24;
  const rtpFrames = [0, 1].map((dir) => ethernet(0x0800, ipv4(dir ? '198.51.100.2' : '198.51.100.1', dir ? '198.51.100.1' : '198.51.100.2', udp(40000 + dir, 50000 - dir, rtp(dir)))));
  let usec = 0;
  const put = async (data: Buffer) => {
    if (used + 16 + data.length > chunk.length) await flush();
    usec += 125;
    chunk.writeUInt32LE(1732000000 + Math.floor(usec / 1e6), used);
    chunk.writeUInt32LE(usec % 1e6, used + 4);
    chunk.writeUInt32LE(data.length, used + 8);
    chunk.writeUInt32LE(data.length, used + 12);
    data.copy(chunk, used + 16);
    used += 16 + data.length;
    frames++;
  };
  for (let call = 0; bytes + used < targetBytes; call++) {
    const sip = [sipInvite(call), sipOk(call, 'INVITE', 1)];
    for (const message of sip) {
      await put(ethernet(0x0800, ipv4('198.51.100.1', '198.51.100.2', udp(5060, 5060, message))));
      sipMessages++;
    }
    for (let i = 0; i < rtpPerCall; i++) {
      const frame = rtpFrames[i & 1]!;
      frame.writeUInt16BE(i & 0xffff, 14 + 20 + 8 + 2); // RTP sequence number
      await put(frame);
    }
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { bytes, frames, sipMessages };
}
