/**
 * Wrong verdicts of issue 15 on real traces of the shared corpus (../shared/corpus/MANIFEST.md),
 * each checked on the trace that showed it: rule ids, severities and data, not English. Skipped
 * when the corpus is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { CORPUS_PCAP_DIR, hasCorpus } from '../../support/captures.js';

const corpus = (name: string): string => join(CORPUS_PCAP_DIR, name);
const present = (name: string): boolean => hasCorpus && existsSync(corpus(name));

async function analyzed(name: string) {
  return analyze([corpus(name)]);
}

/** rule/messageId/severity of every finding of the file, with the call number and its frames. */
async function findings(name: string) {
  const result = await analyzed(name);
  return result.calls.flatMap((c) => c.findings.map((f) => ({ call: c.number, id: `${f.rule}/${f.messageId}`, severity: f.severity, frames: f.frames, data: f.data })));
}

describe.skipIf(!present('bruteshark-asterisk-zfone-xlite-zrtp.pcap'))('404 to SUBSCRIBE read with its event package (Asterisk 1.6, X-Lite)', () => {
  it('message-summary: no mailbox; presence: no presence state; neither an unknown user', async () => {
    const all = await findings('bruteshark-asterisk-zfone-xlite-zrtp.pcap');
    expect(all.filter((f) => f.id.startsWith('not-found/')).map((f) => [f.id, f.severity, f.frames, f.data.event, f.data.user])).toEqual([
      ['not-found/no-mailbox', 'info', [11, 12], 'message-summary', '10009'],
      ['not-found/no-presence', 'info', [13, 14], 'presence', '10008'],
    ]);
  });
});

describe.skipIf(!present('geunhyung-an-sip-call.pcap'))('404 to SUBSCRIBE for presence.winfo (Asterisk 1.6, Zoiper)', () => {
  it('three watcher-info subscriptions, none an unknown user', async () => {
    const all = await findings('geunhyung-an-sip-call.pcap');
    expect(all.filter((f) => f.id.startsWith('not-found/')).map((f) => [f.id, f.severity, f.data.event])).toEqual([
      ['not-found/no-presence', 'info', 'presence.winfo'],
      ['not-found/no-presence', 'info', 'presence.winfo'],
      ['not-found/no-presence', 'info', 'presence.winfo'],
    ]);
  });
});
