import { beforeEach, describe, expect, it } from 'vitest';
import { stirShaken } from '../../../src/annotate/rules/stir-shaken.js';
import { again, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const HEADER = { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: 'https://cert.example.org/sp.pem' };
/** The catalog's messages are sent at 1_700_000_000 s plus their offset (test/support/catalog.ts). */
const SENT = 1_700_000_000;
const claims = (over: Record<string, unknown> = {}) => ({ attest: 'A', dest: { tn: ['15551230002'] }, iat: SENT, orig: { tn: '15551230001' }, origid: '123e4567-e89b-12d3-a456-426655440000', ...over });
const identity = (header: unknown, payload: unknown, params = ';info=<https://cert.example.org/sp.pem>;alg=ES256;ppt=shaken') =>
  `Identity: ${b64(header)}.${payload === null ? '' : b64(payload)}.c2lnbmF0dXJl${params}`;
const invite = (...headers: string[]) => req('INVITE', 1, 0, { extra: headers });
const run = (...messages: Parameters<typeof findingsOf>[1]) => findingsOf(stirShaken, messages);

describe('stir-shaken', () => {
  it('valid: no Identity header, no finding', () => expect(run(invite())).toEqual([]));

  it('a SHAKEN PASSporT: signed (info) with attestation, numbers, age and certificate', () => {
    const findings = run(invite(identity(HEADER, claims())));
    expect(findings).toEqual([
      {
        rule: 'stir-shaken',
        messageId: 'signed',
        severity: 'info',
        frames: [1],
        data: expect.objectContaining({ method: 'INVITE', sender: ep('10.0.0.1', 5060), attest: 'A', attestation: 'full', orig: '15551230001', dest: '15551230002', x5u: 'https://cert.example.org/sp.pem', info: 'https://cert.example.org/sp.pem', ppt: 'shaken', origid: '123e4567-e89b-12d3-a456-426655440000' }),
      },
    ]);
  });

  it('read once across retransmissions and hops', () => {
    const first = invite(identity(HEADER, claims({ attest: 'B' })));
    expect(run(first, again(first, 500)).map((f) => [f.messageId, f.data.attestation])).toEqual([['signed', 'partial']]);
  });

  it('the compact form (no payload) is info: the verifier rebuilds the claims', () => {
    expect(run(invite(identity(HEADER, null))).map((f) => [f.messageId, f.severity])).toEqual([['compact', 'info']]);
  });

  it.each([
    ['not three parts', 'Identity: abc.def;info=<https://x/c.pem>', 'not-three-parts'],
    ['not base64url', 'Identity: a+b.c/d.e=f;info=<https://x/c.pem>', 'not-base64url'],
    ['header not JSON', `Identity: ${Buffer.from('nope').toString('base64url')}.${b64(claims())}.c2ln;info=<https://x/c.pem>`, 'header-not-json'],
    ['no info parameter', identity(HEADER, claims(), ';alg=ES256;ppt=shaken'), 'no-info'],
    ['no x5u', identity({ ...HEADER, x5u: undefined }, claims()), 'no-x5u'],
    ['no iat', identity(HEADER, claims({ iat: undefined })), 'no-iat'],
    ['no dest', identity(HEADER, claims({ dest: {} })), 'no-dest'],
    ['attest D', identity(HEADER, claims({ attest: 'D' })), 'bad-attest'],
    ['no origid', identity(HEADER, claims({ origid: undefined })), 'no-origid'],
  ])('invalid: %s is malformed (warning), with the problem', (_what, header, problemId) => {
    expect(run(invite(header))).toEqual([expect.objectContaining({ messageId: 'malformed', severity: 'warning', data: expect.objectContaining({ problemId }) })]);
  });

  it('invalid: two Identity headers of the same PASSporT type are a duplicate', () => {
    const findings = run(invite(identity(HEADER, claims()), identity(HEADER, claims({ origid: 'another' }))));
    expect(findings.map((f) => [f.messageId, f.severity, f.data.count ?? null])).toEqual([
      ['signed', 'info', null],
      ['signed', 'info', null],
      ['duplicate', 'warning', 2],
    ]);
  });

  it('valid: a SHAKEN and a div PASSporT side by side are not duplicates', () => {
    const div = identity({ ...HEADER, ppt: 'div' }, claims({ attest: undefined, origid: undefined }), ';info=<https://cert.example.org/sp.pem>;ppt=div');
    expect(run(invite(identity(HEADER, claims()), div)).map((f) => f.messageId)).toEqual(['signed', 'signed']);
  });

  it('invalid: a PASSporT signed 5 minutes before it was sent is stale', () => {
    const findings = run(invite(identity(HEADER, claims({ iat: SENT - 300 }))));
    expect(findings.map((f) => [f.messageId, f.severity, f.data.age])).toEqual([
      ['signed', 'info', ms(300000)],
      ['stale', 'warning', ms(300000)],
    ]);
  });

  it.each([
    ['428 Use Identity Header', 'identity-required'],
    ['436 Bad Identity Info', 'bad-identity-info'],
    ['437 Unsupported Credential', 'unsupported-credential'],
    ['438 Invalid Identity Header', 'invalid-identity'],
  ])('invalid: %s from the verifier is explained, with the attestation the request had', (status, messageId) => {
    const i = invite(identity(HEADER, claims({ attest: 'C' })));
    const findings = run(i, res(i, status, 20)).filter((f) => f.messageId !== 'signed');
    expect(findings).toEqual([expect.objectContaining({ messageId, severity: 'warning', frames: [1, 2], data: expect.objectContaining({ status: Number(status.slice(0, 3)), attest: 'C' }) })]);
  });
});
