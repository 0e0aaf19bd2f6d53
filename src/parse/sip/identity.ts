/**
 * The Identity header (RFC 8224 §4) and the PASSporT it carries (RFC 8225), with the SHAKEN
 * claims (RFC 8588). Read, never verified: the signature needs the certificate at x5u, which a
 * capture does not hold. What is malformed is named, so a rule can say what is wrong.
 */
import type { SipMessage } from './types.js';
import { headerValues } from './header-values.js';

/** What is wrong with an Identity header, in the order checked; the first one found is reported. */
export type IdentityProblem =
  | 'not-three-parts' // RFC 8225 §6: header.payload.signature, each base64url
  | 'not-base64url'
  | 'header-not-json'
  | 'payload-not-json'
  | 'no-info' // RFC 8224 §4: the info parameter is required
  | 'no-x5u' // RFC 8225 §4.3: the certificate reference
  | 'no-iat' // RFC 8225 §5.1.1
  | 'no-orig' // RFC 8225 §5.2.1
  | 'no-dest' // RFC 8225 §5.2.1
  | 'bad-attest' // RFC 8588 §4: A, B or C
  | 'no-origid'; // RFC 8588 §5

export interface Passport {
  readonly alg: string | null;
  readonly ppt: string | null;
  readonly typ: string | null;
  readonly x5u: string | null;
  /** Null in the compact form (RFC 8225 §7), whose payload is rebuilt by the verifier from the SIP headers. */
  readonly claims: PassportClaims | null;
}

export interface PassportClaims {
  readonly attest: string | null;
  /** The originating telephone number (orig.tn) or URI (orig.uri). */
  readonly orig: string | null;
  /** The destination numbers or URIs (dest.tn, dest.uri). */
  readonly dest: readonly string[];
  /** Issued-at, seconds since the epoch. */
  readonly iat: number | null;
  readonly origid: string | null;
}

export interface IdentityValue {
  readonly raw: string;
  /** The info parameter's URI, without its angle brackets. */
  readonly info: string | null;
  /** The ppt parameter of the header (RFC 8224 §4), unquoted. */
  readonly pptParam: string | null;
  readonly passport: Passport | null;
  readonly problem: IdentityProblem | null;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ATTESTATIONS: ReadonlySet<string> = new Set(['A', 'B', 'C']);

/** Every Identity header of a message (compact form y), one value per header line. */
export function identitiesOf(msg: SipMessage): IdentityValue[] {
  return headerValues(msg, 'identity').map(readIdentity);
}

/** The parameters after the token: `;name=value`, a value in angle brackets or quotes kept whole. */
function parameters(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    if (text[i] !== ';') {
      i++;
      continue;
    }
    const eq = text.indexOf('=', i);
    const nextSemi = text.indexOf(';', i + 1);
    if (eq < 0 || (nextSemi >= 0 && nextSemi < eq)) {
      i = nextSemi < 0 ? text.length : nextSemi;
      continue;
    }
    const name = text.slice(i + 1, eq).trim().toLowerCase();
    let j = eq + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    let value: string;
    const close = text[j] === '<' ? '>' : text[j] === '"' ? '"' : null;
    if (close !== null) {
      const end = text.indexOf(close, j + 1);
      value = end < 0 ? text.slice(j + 1) : text.slice(j + 1, end);
      i = end < 0 ? text.length : end + 1;
    } else {
      const end = text.indexOf(';', j);
      value = (end < 0 ? text.slice(j) : text.slice(j, end)).trim();
      i = end < 0 ? text.length : end;
    }
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

function json(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    // finding: stir-shaken/malformed (a part that is not base64url JSON is said by the rule, as the PASSporT's problem)
    return null;
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** orig / dest: { tn: "..." } or { tn: ["..."] } or { uri: [...] } (RFC 8225 §5.2.1). */
function identities(v: unknown): string[] {
  if (v === null || typeof v !== 'object') return [];
  const o = v as Record<string, unknown>;
  return [o['tn'], o['uri']].flatMap((x) => (typeof x === 'string' ? [x] : Array.isArray(x) ? x.filter((y): y is string => typeof y === 'string') : []));
}

function readIdentity(raw: string): IdentityValue {
  const semi = raw.indexOf(';');
  const token = (semi < 0 ? raw : raw.slice(0, semi)).trim();
  const params = parameters(semi < 0 ? '' : raw.slice(semi));
  const base = { raw, info: params.get('info') ?? null, pptParam: params.get('ppt') ?? null };
  const parts = token.split('.');
  if (parts.length !== 3) return { ...base, passport: null, problem: 'not-three-parts' };
  if (!parts.every((p) => BASE64URL.test(p))) return { ...base, passport: null, problem: 'not-base64url' };
  const header = json(parts[0]!);
  if (header === null) return { ...base, passport: null, problem: 'header-not-json' };
  const compact = parts[1] === '';
  const payload = compact ? null : json(parts[1]!);
  if (!compact && payload === null) return { ...base, passport: null, problem: 'payload-not-json' };
  const claims: PassportClaims | null =
    payload === null
      ? null
      : {
          attest: text(payload['attest']),
          orig: identities(payload['orig'])[0] ?? null,
          dest: identities(payload['dest']),
          iat: typeof payload['iat'] === 'number' ? payload['iat'] : null,
          origid: text(payload['origid']),
        };
  const passport: Passport = { alg: text(header['alg']), ppt: text(header['ppt']), typ: text(header['typ']), x5u: text(header['x5u']), claims };
  return { ...base, passport, problem: problemOf(base.info, passport) };
}

function problemOf(info: string | null, p: Passport): IdentityProblem | null {
  if (info === null) return 'no-info';
  if (p.x5u === null) return 'no-x5u';
  const c = p.claims;
  if (c === null) return null;
  if (c.iat === null) return 'no-iat';
  if (c.orig === null) return 'no-orig';
  if (c.dest.length === 0) return 'no-dest';
  if ((p.ppt ?? '').toLowerCase() === 'shaken') {
    if (c.attest === null || !ATTESTATIONS.has(c.attest)) return 'bad-attest';
    if (c.origid === null) return 'no-origid';
  }
  return null;
}
