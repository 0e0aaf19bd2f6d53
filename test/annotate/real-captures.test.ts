/** The first two rules on captures made with real sipp scenarios (fixtures/real/README.md). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { REPO_ROOT } from '../support/captures.js';

async function findingsIn(name: string) {
  const result = await analyze([join(REPO_ROOT, 'fixtures', 'real', name)]);
  return result.calls.flatMap((c) => c.findings.filter((f) => f.rule === 'stuck-on-100-trying' || f.rule === 'gone-410').map((f) => [f.rule, f.messageId, f.severity]));
}

describe('stuck-on-100-trying and gone-410 on real sipp captures', () => {
  it('a normal call: nothing', async () => expect(await findingsIn('sipp-uac-uas-call.pcap')).toEqual([]));
  it('UAS answering only 100 Trying, caller cancels after 12 s', async () =>
    expect(await findingsIn('sipp-uas-100-only.pcap')).toEqual([['stuck-on-100-trying', 'cancelled', 'warning']]));
  it('the same, capture stopped after 3 s: unresolved', async () =>
    expect(await findingsIn('sipp-uas-100-only-short.pcap')).toEqual([['stuck-on-100-trying', 'unresolved', 'info']]));
  it('INVITE answered 410', async () => expect(await findingsIn('sipp-uas-410.pcap')).toEqual([['gone-410', 'gone', 'warning']]));
  it('REGISTER answered 410', async () => expect(await findingsIn('sipp-register-410.pcap')).toEqual([['gone-410', 'gone', 'warning']]));
});

describe('media and NAT rules on a real sipp capture (fixtures/rules/sipp-nat-sendonly.pcap)', () => {
  it('flags the private Via, Contact and SDP address sent from a public address, and the sendonly answer', async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'rules', 'sipp-nat-sendonly.pcap')]);
    const fired = result.calls.flatMap((c) => c.findings.filter((f) => f.rule === 'nat-hints' || f.rule === 'media-hints').map((f) => [f.rule, f.messageId, f.frames]));
    expect(fired).toEqual([
      ['media-hints', 'private-address', [1]],
      ['nat-hints', 'private-contact', [1]],
      ['nat-hints', 'private-via', [1]],
      ['media-hints', 'one-way', [3]],
    ]);
  });

  it('codec-mismatch fires on the real 488 capture', async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'rules', 'sipp-reject-488-warning.pcap')]);
    expect(result.calls.flatMap((c) => c.findings.filter((f) => f.rule === 'codec-mismatch').map((f) => f.messageId))).toEqual(['refused']);
  });
});
