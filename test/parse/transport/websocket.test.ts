import { constants, createDeflateRaw } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { webSocketHandshake } from '../../../src/parse/transport/websocket.js';
import { decodePackets, whats } from '../../support/decode.js';
import { sipRequest, sipResponse } from '../../support/packets.js';
import { codes } from '../../support/read-frames.js';
import { TCP_ACK, TCP_SYN, TcpFlow, WS_UPGRADE_REQUEST, WS_UPGRADE_RESPONSE, wsFrame } from '../../support/transport-packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';

const flow = new TcpFlow({ ip: '198.51.100.7', port: 52000 }, { ip: '198.51.100.8', port: 8080 });
const INVITE = sipRequest('INVITE', 'ws-1@test', 1).replace('SIP/2.0/UDP', 'SIP/2.0/WS');
const OK = sipResponse(200, 'OK', 'INVITE', 'ws-1@test');
const MASK = [0x37, 0xfa, 0x21, 0x3d];

/** Client and server byte streams as TCP frames, each stream cut at the given positions. */
function connection(up: Buffer, down: Buffer, cutsUp: number[] = [], cutsDown: number[] = []): Buffer[] {
  const frames = [flow.frame(true, '', { seq: 99, flags: TCP_SYN }), flow.frame(false, '', { seq: 499, ack: 100, flags: TCP_SYN | TCP_ACK })];
  const pieces = (b: Buffer, cuts: number[]) => [0, ...cuts, b.length].flatMap((p, i, a) => (i + 1 < a.length ? [[p, a[i + 1]!] as const] : []));
  const ups = pieces(up, cutsUp).map(([a, b]) => flow.frame(true, up.subarray(a, b), { seq: 100 + a }));
  const downs = pieces(down, cutsDown).map(([a, b]) => flow.frame(false, down.subarray(a, b), { seq: 500 + a }));
  // Interleave: request, response, then the rest in turn.
  while (ups.length > 0 || downs.length > 0) {
    if (ups.length > 0) frames.push(ups.shift()!);
    if (downs.length > 0) frames.push(downs.shift()!);
  }
  return frames;
}

describe('WebSocket handshake detection', () => {
  it('recognises the upgrade request and the 101 response, on any port, and nothing else', () => {
    const b = (s: string) => Buffer.from(s);
    expect(webSocketHandshake(b(WS_UPGRADE_REQUEST), 0, WS_UPGRADE_REQUEST.length)).toBe('request');
    expect(webSocketHandshake(b(WS_UPGRADE_RESPONSE), 0, WS_UPGRADE_RESPONSE.length)).toBe('response');
    expect(webSocketHandshake(b('GET / HTTP/1.1\r\nHost: x\r\nupgrade: WebSocket\r\n\r\n'), 0, 46)).toBe('request');
    expect(webSocketHandshake(b('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 0, 27)).toBe(null);
    expect(webSocketHandshake(b('GET / HTTP/1.1\r\nUpgrade: h2c\r\nX: websocket\r\n\r\n'), 0, 46)).toBe(null);
    expect(webSocketHandshake(b('HTTP/1.1 200 OK\r\n\r\n'), 0, 19)).toBe(null);
  });
});

describe('SIP over WebSocket (RFC 7118)', () => {
  const up = Buffer.concat([Buffer.from(WS_UPGRADE_REQUEST), wsFrame(INVITE, { mask: MASK }), wsFrame(sipRequest('ACK', 'ws-1@test'), { mask: MASK })]);
  const down = Buffer.concat([Buffer.from(WS_UPGRADE_RESPONSE), wsFrame(OK)]);

  it('reads masked client frames and unmasked server frames after the upgrade', () => {
    const r = decodePackets(connection(up, down));
    expect(r.messages.map((m) => [m.message.method ?? m.message.status, m.transport, m.src.port, m.frame])).toEqual([
      ['INVITE', 'WS', 52000, 3],
      ['ACK', 'WS', 52000, 3],
      [200, 'WS', 8080, 4],
    ]);
    expect(Buffer.from(r.messages[0]!.message.raw).toString()).toBe(INVITE);
    expect(r.diagnostics).toEqual([]);
  });

  it('reads the same messages with the frames cut at every byte position', () => {
    // The upgrade request itself is one segment (it is what marks the connection as WebSocket).
    for (let cut = WS_UPGRADE_REQUEST.length; cut < up.length; cut++) {
      const r = decodePackets(connection(up, down, [cut], [Math.min(cut, down.length - 1)]));
      expect(whats(r.messages).sort(), `cut ${cut}`).toEqual(['200', 'ACK', 'INVITE']);
      expect(r.diagnostics, `cut ${cut}`).toEqual([]);
    }
  });

  it('joins fragmented messages, with control frames in between, and 16/64-bit lengths', () => {
    const text = Buffer.from(INVITE);
    const fragmented = Buffer.concat([
      Buffer.from(WS_UPGRADE_REQUEST),
      wsFrame(text.subarray(0, 10), { mask: MASK, fin: false }),
      wsFrame('ping', { mask: MASK, opcode: 9 }),
      wsFrame(text.subarray(10, 200), { mask: [1, 2, 3, 4], fin: false, opcode: 0, longLength: 16 }),
      wsFrame(text.subarray(200), { mask: MASK, opcode: 0, longLength: 64 }),
      wsFrame(sipRequest('BYE', 'ws-1@test', 2), { opcode: 2, mask: MASK }), // binary frames carry SIP too
    ]);
    const r = decodePackets(connection(fragmented, Buffer.from(WS_UPGRADE_RESPONSE), [WS_UPGRADE_REQUEST.length + 20, WS_UPGRADE_REQUEST.length + 120]));
    expect(r.messages.map((m) => [m.message.method, m.frames])).toEqual([
      ['INVITE', [3, 5, 6]],
      ['BYE', [6]],
    ]);
    expect(Buffer.from(r.messages[0]!.message.raw).toString()).toBe(INVITE);
  });

  it('inflates permessage-deflate messages (RFC 7692) with context takeover', async () => {
    const deflate = createDeflateRaw();
    const chunks: Buffer[] = [];
    deflate.on('data', (c: Buffer) => chunks.push(c));
    const compress = (s: string) =>
      new Promise<Buffer>((resolve) => {
        deflate.write(s);
        deflate.flush(constants.Z_SYNC_FLUSH, () => {
          const all = Buffer.concat(chunks.splice(0));
          resolve(all.subarray(0, all.length - 4)); // RFC 7692 §7.2.1: drop the 00 00 ff ff tail
        });
      });
    const first = await compress(INVITE);
    const second = await compress(sipRequest('INVITE', 'ws-1@test', 2)); // refers back to the first message
    const response = WS_UPGRADE_RESPONSE.replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n');
    const upz = Buffer.concat([Buffer.from(WS_UPGRADE_REQUEST), wsFrame(first, { mask: MASK, rsv1: true }), wsFrame(second, { mask: MASK, rsv1: true })]);
    const r = decodePackets(connection(upz, Buffer.from(response)));
    expect(r.messages.map((m) => m.message.cseq?.seq)).toEqual([1, 2]);
    expect(r.diagnostics).toEqual([]);
  });

  it('counts messages that are not SIP and keep-alives; stops at a broken frame', () => {
    const odd = Buffer.concat([Buffer.from(WS_UPGRADE_REQUEST), wsFrame('{"json":true}', { mask: MASK }), wsFrame('\r\n\r\n', { mask: MASK }), wsFrame('x', { mask: MASK, opcode: 3 }), wsFrame(INVITE, { mask: MASK })]);
    const r = decodePackets(connection(odd, Buffer.from(WS_UPGRADE_RESPONSE)));
    expect(r.messages).toEqual([]);
    expect(codes(r.diagnostics).sort()).toEqual(['sip.keepalive', 'ws.bad-frame', 'ws.not-sip']);
    expect(diagnosticText(r.diagnostics.find((d) => d.code === 'ws.bad-frame')!)).toContain('reserved opcode 3');
  });

  it('ignores a refused upgrade', () => {
    const refused = decodePackets(connection(Buffer.from(WS_UPGRADE_REQUEST), Buffer.from('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')));
    expect(refused.messages).toEqual([]);
    expect(refused.diagnostics).toEqual([]);
  });

  it('reads the client frames when only the 101 response of the upgrade was captured', () => {
    const r = decodePackets([flow.frame(false, WS_UPGRADE_RESPONSE, { seq: 500 }), flow.frame(true, wsFrame(INVITE, { mask: MASK }), { seq: 100 + WS_UPGRADE_REQUEST.length }), flow.frame(false, wsFrame(OK), { seq: 500 + WS_UPGRADE_RESPONSE.length })]);
    expect(r.messages.map((m) => [m.message.method ?? m.message.status, m.transport])).toEqual([
      ['INVITE', 'WS'],
      [200, 'WS'],
    ]);
  });

  it('a message above the limit ends the stream with a diagnostic, holding little', () => {
    const header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(10n * 1024n * 1024n, 2);
    const big = Buffer.concat([Buffer.from(WS_UPGRADE_REQUEST), header, Buffer.from(MASK), Buffer.alloc(3000)]);
    let most = 0;
    const r = decodePackets(connection(big, Buffer.from(WS_UPGRADE_RESPONSE)), 1, (d) => (most = Math.max(most, d.held().tcpBytes)));
    expect(codes(r.diagnostics)).toEqual(['ws.bad-frame']);
    expect(most).toBeLessThan(64 * 1024);
  });
});
