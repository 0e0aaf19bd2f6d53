import { identitiesOf, type IdentityProblem, type IdentityValue } from '../../parse/sip/identity.js';
import { HEADER_BIT } from '../../parse/sip/types.js';
import { diffMs } from '../../time.js';
import { captured, groupData, groupEvidence, responseGroups } from './lib/call.js';
import { GROUP_VALUES_ES } from './lib/es.js';
import { duration, endpoint, defineRule } from './types.js';

/** RFC 8588 (the attest claim): what the signer vouches for, by attestation level. */
const ATTESTATION: Readonly<Record<string, string>> = { A: 'full', B: 'partial', C: 'gateway' };

/** The words of each problem, as the data carries them (Spanish in the translation's values). */
const PROBLEM_WORDS: Readonly<Record<IdentityProblem, string>> = {
  'not-three-parts': 'not three dot-separated parts (header.payload.signature)',
  'not-base64url': 'a part is not base64url',
  'header-not-json': 'the PASSporT header is not a JSON object',
  'payload-not-json': 'the PASSporT payload is not a JSON object',
  'no-info': 'no info parameter (the certificate URL)',
  'no-x5u': 'no x5u (certificate URL) in the PASSporT header',
  'no-iat': 'no iat (signing time) claim',
  'no-orig': 'no orig (calling number) claim',
  'no-dest': 'no dest (called number) claim',
  'bad-attest': 'attest is not A, B or C',
  'no-origid': 'no origid claim',
};

/** The responses of a verifier that refused the Identity (RFC 8224 §6.2.2), by message id. */
const REFUSALS: Readonly<Record<number, string>> = { 428: 'identity-required', 436: 'bad-identity-info', 437: 'unsupported-credential', 438: 'invalid-identity' };

/** RFC 8224 §6.2 (step 4), §6.2.2: a verifier rejects a PASSporT whose iat is more than 60 s from its own clock. */
const FRESH_SECONDS = 60;

/**
 * STIR/SHAKEN: the Identity header of each request read as a PASSporT (its shape, its claims,
 * the attestation level), and the responses of a verifier that refused it (428, 436, 437, 438).
 */
export const stirShaken = defineRule({
  meta: {
    id: 'stir-shaken',
    severity: 'warning',
    messageSeverity: { signed: 'info', compact: 'info' },
    description: 'Reads the Identity header (STIR/SHAKEN) of each request: the attestation level, calling and called numbers, signing time and certificate URL of its PASSporT; flags malformed, duplicated and stale Identity headers, and explains a verifier\'s 428, 436, 437 or 438.',
    evidence: 'The request that carries the Identity header (the first hop that shows it), or the request and the verifier\'s response.',
    explanation:
      'With STIR/SHAKEN the originating carrier signs the call: the Identity header carries a PASSporT (a JSON Web Token: header.payload.signature, each base64url) whose payload names the calling number (orig), the called numbers (dest), the signing time (iat), an origination id (origid) and the attestation level: A (full: the carrier knows the customer and that they may use the number), B (partial: it knows the customer but not the number), C (gateway: it only knows where the call entered its network). The verifier fetches the certificate at x5u/info and checks the signature; a malformed or stale Identity fails there and the call may be refused (438) or shown as unverified.',
    fix: 'A malformed or duplicated Identity comes from the signer ({sender}\'s side): check the STI-AS configuration and that no element adds a second Identity for the same PASSporT type. A stale one (iat far from the time sent) means a clock off on the signer, or the call held too long before sending. For 428, the terminating side requires a signature the caller\'s carrier did not add; for 436/437, the certificate at the info URL cannot be fetched or is not trusted (check the URL is reachable over HTTPS and the certificate chains to an approved STI-CA); for 438, the signature or claims do not match the request (a number changed on the way, or an old iat).',
    rfc: 'RFC 8224 §4, §4.1 (Identity), §6.2.2 (428, 436, 437, 438); RFC 8225 (PASSporT); RFC 8588 (SHAKEN attest, origid)',
    messages: {
      signed: '{method} from {sender} carries a SHAKEN PASSporT: attestation {attest} ({attestation}), from {orig} to {dest}, signed {age} before it was sent; certificate {x5u}.',
      compact: '{method} from {sender} carries a compact PASSporT ({ppt}): the claims are rebuilt by the verifier from the SIP headers; certificate {x5u}.',
      malformed: '{method} from {sender} has an Identity header that is not a valid PASSporT: {problem}.',
      duplicate: '{method} from {sender} carries {count} Identity headers of PASSporT type {ppt}: a verifier expects one per type.',
      stale: '{method} from {sender} carries a PASSporT signed {age} before it was sent, more than the {limit} a verifier accepts (RFC 8224 §6.2.2).',
      'identity-required': '{method} for {uri} was answered {response} by {server}: it requires an Identity header and the request had none.',
      'bad-identity-info': '{method} for {uri} was answered {response} by {server}: the certificate at the Identity info URL cannot be fetched or used.',
      'unsupported-credential': '{method} for {uri} was answered {response} by {server}: it does not accept the certificate that signed the Identity.',
      'invalid-identity': '{method} for {uri} was answered {response} by {server}: the Identity signature or its claims do not verify.',
    },
    options: {},
    translations: {
      es: {
        description: 'Lee el encabezado Identity (STIR/SHAKEN) de cada petición: el nivel de atestación, los números llamante y llamado, la hora de firma y la URL del certificado de su PASSporT; señala los encabezados Identity mal formados, duplicados o caducados, y explica un 428, 436, 437 o 438 del verificador.',
        evidence: 'La petición que lleva el encabezado Identity (el primer salto que lo muestra), o la petición y la respuesta del verificador.',
        explanation:
          'Con STIR/SHAKEN el operador de origen firma la llamada: el encabezado Identity lleva un PASSporT (un JSON Web Token: cabecera.carga.firma, cada parte en base64url) cuya carga nombra el número llamante (orig), los números llamados (dest), la hora de firma (iat), un identificador de origen (origid) y el nivel de atestación: A (completa: el operador conoce al cliente y sabe que puede usar el número), B (parcial: conoce al cliente pero no el número), C (pasarela: solo sabe por dónde entró la llamada en su red). El verificador descarga el certificado de x5u/info y comprueba la firma; un Identity mal formado o caducado falla ahí y la llamada puede rechazarse (438) o mostrarse como no verificada.',
        fix: 'Un Identity mal formado o duplicado viene del firmante (el lado de {sender}): revisa la configuración del STI-AS y que ningún elemento añada un segundo Identity del mismo tipo de PASSporT. Uno caducado (iat lejos de la hora de envío) indica un reloj desajustado en el firmante, o una llamada retenida demasiado antes de enviarse. Con 428, el lado de destino exige una firma que el operador del llamante no añadió; con 436/437, el certificado de la URL info no se puede descargar o no es de confianza (comprueba que la URL responde por HTTPS y que el certificado encadena con una STI-CA aprobada); con 438, la firma o las afirmaciones no coinciden con la petición (un número cambiado por el camino, o un iat antiguo).',
        rfc: 'RFC 8224 §4, §4.1 (Identity), §6.2.2 (428, 436, 437, 438); RFC 8225 (PASSporT); RFC 8588 (atestación y origid de SHAKEN)',
        messages: {
          signed: 'El {method} de {sender} lleva un PASSporT de SHAKEN: atestación {attest} ({attestation}), de {orig} a {dest}, firmado {age} antes de enviarse; certificado {x5u}.',
          compact: 'El {method} de {sender} lleva un PASSporT compacto ({ppt}): el verificador reconstruye las afirmaciones a partir de los encabezados SIP; certificado {x5u}.',
          malformed: 'El {method} de {sender} tiene un encabezado Identity que no es un PASSporT válido: {problem}.',
          duplicate: 'El {method} de {sender} lleva {count} encabezados Identity del tipo de PASSporT {ppt}: un verificador espera uno por tipo.',
          stale: 'El {method} de {sender} lleva un PASSporT firmado {age} antes de enviarse, más de los {limit} que acepta un verificador (RFC 8224 §6.2.2).',
          'identity-required': 'El {method} para {uri} recibió {response} de {server}: exige un encabezado Identity y la petición no lo llevaba.',
          'bad-identity-info': 'El {method} para {uri} recibió {response} de {server}: el certificado de la URL info del Identity no se puede descargar ni usar.',
          'unsupported-credential': 'El {method} para {uri} recibió {response} de {server}: no acepta el certificado que firmó el Identity.',
          'invalid-identity': 'El {method} para {uri} recibió {response} de {server}: la firma del Identity o sus afirmaciones no se verifican.',
        },
        options: {},
        values: {
          ...GROUP_VALUES_ES,
          attestation: { full: 'completa', partial: 'parcial', gateway: 'pasarela', unknown: 'desconocida' },
          problem: {
            [PROBLEM_WORDS['not-three-parts']]: 'no tiene tres partes separadas por puntos (cabecera.carga.firma)',
            [PROBLEM_WORDS['not-base64url']]: 'una parte no está en base64url',
            [PROBLEM_WORDS['header-not-json']]: 'la cabecera del PASSporT no es un objeto JSON',
            [PROBLEM_WORDS['payload-not-json']]: 'la carga del PASSporT no es un objeto JSON',
            [PROBLEM_WORDS['no-info']]: 'no tiene parámetro info (la URL del certificado)',
            [PROBLEM_WORDS['no-x5u']]: 'no tiene x5u (URL del certificado) en la cabecera del PASSporT',
            [PROBLEM_WORDS['no-iat']]: 'no tiene la afirmación iat (hora de firma)',
            [PROBLEM_WORDS['no-orig']]: 'no tiene la afirmación orig (número llamante)',
            [PROBLEM_WORDS['no-dest']]: 'no tiene la afirmación dest (número llamado)',
            [PROBLEM_WORDS['bad-attest']]: 'attest no es A, B ni C',
            [PROBLEM_WORDS['no-origid']]: 'no tiene la afirmación origid',
          },
          orig: { none: 'ninguno' },
          dest: { none: 'ninguno' },
          x5u: { none: 'ninguno' },
          ppt: { none: 'ninguno' },
        },
      },
    },
  },
  // A request's Identity, or a verifier's refusal.
  needs: { statuses: [428, 436, 437, 438], headers: HEADER_BIT.identity },
  check(call, context) {
    // A proxy forwards the same Identity on every hop: read each header value once.
    const seen = new Set<string>();
    call.messages.forEach((m, index) => {
      const msg = m.captured.message;
      // Most requests carry no Identity (the parser noted it): nothing is read for them.
      if (m.retransmission || msg.kind !== 'request' || (msg.headerBits & HEADER_BIT.identity) === 0) return;
      const values = identitiesOf(msg).filter((v) => !seen.has(v.raw));
      if (values.length === 0) return;
      for (const v of values) seen.add(v.raw);
      const base = { method: msg.method ?? 'request', sender: endpoint(m.captured.src) };
      const report = (messageId: string, data: Record<string, string | number | ReturnType<typeof duration> | ReturnType<typeof endpoint>>): void =>
        context.report({ messageId, data: { ...base, ...data }, messages: [index], anchor: index });
      const byType = new Map<string, IdentityValue[]>();
      for (const v of values) {
        if (v.problem !== null) {
          report('malformed', { problem: PROBLEM_WORDS[v.problem], problemId: v.problem, identity: v.raw });
          continue;
        }
        const p = v.passport!;
        const ppt = (p.ppt ?? v.pptParam ?? 'none').toLowerCase();
        byType.set(ppt, [...(byType.get(ppt) ?? []), v]);
        const x5u = p.x5u ?? 'none';
        if (p.claims === null) {
          report('compact', { ppt, x5u, info: v.info ?? 'none' });
          continue;
        }
        const c = p.claims;
        const ageMs = c.iat === null ? 0 : diffMs({ sec: c.iat, nsec: 0 }, m.captured.time);
        const fields = { attest: c.attest ?? 'none', attestation: ATTESTATION[c.attest ?? ''] ?? 'unknown', orig: c.orig ?? 'none', dest: c.dest.join(', ') || 'none', age: duration(ageMs), ageMs: Math.round(ageMs), iat: c.iat ?? 'none', origid: c.origid ?? 'none', x5u, info: v.info ?? 'none', ppt };
        report('signed', fields);
        if (Math.abs(ageMs) > FRESH_SECONDS * 1000) report('stale', { ...fields, limit: duration(FRESH_SECONDS * 1000) });
      }
      for (const [ppt, same] of byType) if (same.length > 1) report('duplicate', { ppt, count: same.length });
    });
    for (const group of responseGroups(call, (status) => REFUSALS[status] !== undefined)) {
      const request = group.request === null ? null : captured(call, group.request);
      const attest = request === null ? null : (identitiesOf(request.message).find((v) => v.passport?.claims?.attest)?.passport?.claims?.attest ?? null);
      const sender = endpoint(request === null ? captured(call, group.responses[0]!).dst : request.src);
      context.report({ messageId: REFUSALS[group.status]!, data: { ...groupData(call, group), sender, attest: attest ?? 'none' }, messages: groupEvidence(group), anchor: group.responses[0]! });
    }
  },
});
