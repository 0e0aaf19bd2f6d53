/**
 * The note beside each message reads it with the request it answers: an INVITE inside a dialog
 * (a To tag) is a re-INVITE that changes the call, and its 200 or 488 is about that change, not
 * about the call's start (a 488 to a re-INVITE leaves the call up, RFC 3261 §14.2).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { buildTimeline } from '../../src/present/timeline.js';
import { lookupResponseCode } from '../../src/annotate/codes/index.js';
import { METHOD_NOTES, REINVITE_NOTES, RESPONSE_IN_CONTEXT, responseNoteInContext } from '../../src/annotate/codes/methods.js';
import { CORPUS_PCAP_DIR, REPO_ROOT } from '../support/captures.js';
import { writePcap } from '../support/capture-writer.js';
import { ethernet, ipv4, sipRequest, sipResponse, udp } from '../support/packets.js';

async function notes(fixture: string): Promise<[string, string][]> {
  const timeline = buildTimeline(await analyze([join(REPO_ROOT, fixture)]), 'en');
  return timeline.calls[0]!.messages.map((m) => [m.method ?? `${m.status} ${m.cseq?.method}`, m.note]);
}

describe('message notes in context', () => {
  it('a re-INVITE and its 200 are read as a change of the call (hold and resume)', async () => {
    expect(await notes('fixtures/media/sipp-rtp-hold-resume.pcap')).toEqual([
      ['INVITE', METHOD_NOTES['INVITE']],
      ['100 INVITE', expect.any(String)],
      ['200 INVITE', RESPONSE_IN_CONTEXT['200 INVITE']],
      ['ACK', METHOD_NOTES['ACK']],
      ['INVITE', REINVITE_NOTES.en],
      ['200 INVITE', RESPONSE_IN_CONTEXT['200 re-INVITE']],
      ['ACK', METHOD_NOTES['ACK']],
      ['INVITE', REINVITE_NOTES.en],
      ['200 INVITE', RESPONSE_IN_CONTEXT['200 re-INVITE']],
      ['ACK', METHOD_NOTES['ACK']],
      ['BYE', METHOD_NOTES['BYE']],
      ['200 BYE', RESPONSE_IN_CONTEXT['200 BYE']],
    ]);
  });

  const fax = join(CORPUS_PCAP_DIR, 'heplify-fax-call-t38-ca-tdm-sip-fb-1.pcap');
  it.skipIf(!existsSync(fax))('corpus: the 488 refusing a T.38 re-INVITE says the call goes on, the 200 of the first INVITE says it is answered', async () => {
    const rows = buildTimeline(await analyze([fax]), 'en').calls.flatMap((c) => c.messages);
    const notesOf = (status: number) => new Set(rows.filter((m) => m.status === status && m.cseq?.method === 'INVITE' && m.duplicateOf === null).map((m) => m.note));
    expect(notesOf(488)).toEqual(new Set([RESPONSE_IN_CONTEXT['488 re-INVITE']]));
    expect(notesOf(200)).toEqual(new Set([RESPONSE_IN_CONTEXT['200 INVITE'], RESPONSE_IN_CONTEXT['200 re-INVITE']]));
  });

  it('a response of any code to any method, past the methods whose notes are kept (64 a language), in English and Spanish', async () => {
    // 80 methods of the trace's own, and the ones the tables know, answered with codes that have
    // a note in context and codes that have only their own: each note as the tables give it.
    const methods = [...Array.from({ length: 80 }, (_, i) => `X${i}`), 'INVITE', 'BYE', 'CANCEL', 'NOTIFY'];
    const statuses = [200, 415, 486, 487, 488, 603];
    const packets = methods.flatMap((method, i) =>
      statuses.flatMap((status, j) => {
        const callId = `notes-${i}-${j}`;
        const at = 1_700_000_000 + i * 10 + j;
        const packet = (text: string, src: string, dst: string) => ({ sec: at, nsec: 0, data: ethernet(0x0800, ipv4(src, dst, udp(5060, 5060, text))) });
        return [packet(sipRequest(method, callId), '10.0.0.1', '10.0.0.2'), { ...packet(sipResponse(status, 'Reason', method, callId), '10.0.0.2', '10.0.0.1'), nsec: 5_000_000 }];
      }),
    );
    const result = await analyze([{ name: 'notes.pcap', stream: Readable.from([writePcap({ linkType: 1 }, packets)]) }]);
    for (const lang of ['en', 'es'] as const) {
      const responses = buildTimeline(result, lang).calls.flatMap((c) => c.messages.filter((m) => m.status !== null));
      expect(responses).toHaveLength(methods.length * statuses.length);
      for (const m of responses) expect(m.note, `${lang} ${m.status} ${m.cseq?.method}`).toBe(responseNoteInContext(m.status!, m.cseq!.method, lang) ?? lookupResponseCode(m.status!, lang).summary);
    }
  });
});
