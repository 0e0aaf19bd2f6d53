/**
 * The renderers' own words in every language, declared with {@link defineWords}: what the
 * text, ladder, statistics, JUnit, GitHub, Mermaid, check and messages outputs write around the
 * trace's data. Protocol tokens (methods, status codes and their reason phrases, header names,
 * rule ids, diagnostic codes) are never in here: they are written as the wire has them.
 */
import type { CallType } from '../parse/dialog/types.js';
import type { Outcome } from '../annotate/outcome.js';
import type { Severity } from '../types.js';
import { defineWords, plural } from './words.js';

const s = (n: number, word: string, plural = `${word}s`): string => `${n} ${n === 1 ? word : plural}`;

/** Words shared by every renderer: severities, outcomes, call types, the call header and the summary. */
export const COMMON = defineWords('common', {
  en: {
    severity: { error: 'error', warning: 'warning', info: 'info' } satisfies Record<Severity, string>,
    /** "2 error, 1 warning, 0 info" (English keeps the severity names as they are). */
    severityCounts: (error: number, warning: number, info: number) => `${error} error, ${warning} warning, ${info} info`,
    /** In summaries: "3 no-response" (English shows the outcome's name as in JSON). */
    outcomeCount: {
      answered: (n: number) => `${n} answered`,
      completed: (n: number) => `${n} completed`,
      busy: (n: number) => `${n} busy`,
      rejected: (n: number) => `${n} rejected`,
      'no-answer': (n: number) => `${n} no-answer`,
      cancelled: (n: number) => `${n} cancelled`,
      redirected: (n: number) => `${n} redirected`,
      failed: (n: number) => `${n} failed`,
      stuck: (n: number) => `${n} stuck`,
      unresolved: (n: number) => `${n} unresolved`,
      'no-response': (n: number) => `${n} no-response`,
      unknown: (n: number) => `${n} unknown`,
    } satisfies Record<Outcome, (n: number) => string>,
    callType: { call: 'call', registration: 'registration', options: 'options', subscription: 'subscription', message: 'message', other: 'other' } satisfies Record<CallType, string>,
    callTypeCount: {
      call: (n: number) => `${n} call`,
      registration: (n: number) => `${n} registration`,
      options: (n: number) => `${n} options`,
      subscription: (n: number) => `${n} subscription`,
      message: (n: number) => `${n} message`,
      other: (n: number) => `${n} other`,
    } satisfies Record<CallType, (n: number) => string>,
    call: 'Call',
    noCallId: '(no Call-ID)',
    outcome: 'outcome',
    started: 'started',
    why: 'Why',
    fix: 'Fix',
    see: 'See',
    diagnostics: 'Diagnostics',
    summary: 'Summary',
    findings: 'findings',
    message: (n: number) => plural(n, 'message', 'messages'),
    callCount: (n: number) => plural(n, 'call', 'calls'),
    /** A retransmitted message's arrow: "INVITE (retr.)". */
    retransmission: (label: string) => `${label} (retr.)`,
  },
  es: {
    severity: { error: 'error', warning: 'aviso', info: 'informativo' },
    severityCounts: (error: number, warning: number, info: number) => `${s(error, 'error', 'errores')}, ${s(warning, 'aviso')}, ${s(info, 'informativo')}`,
    outcomeCount: {
      answered: (n: number) => s(n, 'contestada'),
      completed: (n: number) => s(n, 'completada'),
      busy: (n: number) => s(n, 'ocupada'),
      rejected: (n: number) => s(n, 'rechazada'),
      'no-answer': (n: number) => `${n} sin contestar`,
      cancelled: (n: number) => s(n, 'cancelada'),
      redirected: (n: number) => s(n, 'redirigida'),
      failed: (n: number) => s(n, 'fallida'),
      stuck: (n: number) => s(n, 'atascada'),
      unresolved: (n: number) => `${n} sin resolver`,
      'no-response': (n: number) => `${n} sin respuesta`,
      unknown: (n: number) => s(n, 'desconocida'),
    },
    callType: { call: 'llamada', registration: 'registro', options: 'OPTIONS', subscription: 'suscripción', message: 'mensaje', other: 'otro' },
    callTypeCount: {
      call: (n: number) => s(n, 'llamada'),
      registration: (n: number) => s(n, 'registro'),
      options: (n: number) => `${n} OPTIONS`,
      subscription: (n: number) => s(n, 'suscripción', 'suscripciones'),
      message: (n: number) => s(n, 'mensaje'),
      other: (n: number) => s(n, 'otro'),
    },
    call: 'Llamada',
    noCallId: '(sin Call-ID)',
    outcome: 'resultado',
    started: 'inicio',
    why: 'Por qué',
    fix: 'Solución',
    see: 'Véase',
    diagnostics: 'Diagnósticos',
    summary: 'Resumen',
    findings: 'hallazgos',
    message: (n: number) => plural(n, 'mensaje', 'mensajes'),
    callCount: (n: number) => plural(n, 'llamada', 'llamadas'),
    retransmission: (label: string) => `${label} (retrans.)`,
  },
});

/** The text timeline's own words. */
export const TEXT = defineWords('text', {
  en: {
    postDialDelay: 'post-dial delay',
    setup: 'setup',
    talk: 'talk',
    hungUp: { caller: 'caller hung up', callee: 'callee hung up' },
    frames: 'frames',
    lines: 'lines',
    retransmitted: 'retransmitted',
    none: 'none',
    legs: 'legs',
    legCall: (n: number) => `call ${n}`,
    role: { inbound: 'inbound', outbound: 'outbound' },
    via: (n: number) => `with call ${n}`,
    guess: (gap: string) => `guess: same numbers ${gap} apart`,
    cause: (call: number, status: string, own: string) => `the outbound leg, call ${call}, got ${status} first, so this leg got ${own}`,
  },
  es: {
    postDialDelay: 'retardo post-marcación',
    setup: 'establecimiento',
    talk: 'conversación',
    hungUp: { caller: 'colgó el llamante', callee: 'colgó el llamado' },
    frames: 'tramas',
    lines: 'líneas',
    retransmitted: 'retransmitidos',
    none: 'ninguno',
    legs: 'tramos',
    legCall: (n: number) => `llamada ${n}`,
    role: { inbound: 'entrante', outbound: 'saliente' },
    via: (n: number) => `con la llamada ${n}`,
    guess: (gap: string) => `suposición: mismos números con ${gap} de diferencia`,
    cause: (call: number, status: string, own: string) => `el tramo saliente, llamada ${call}, recibió antes ${status}; por eso este tramo recibió ${own}`,
  },
});

/** How an input and its diagnostics are described (text, ladder, JUnit, `siplens messages`). */
export const INPUTS = defineWords('inputs', {
  en: {
    notRead: (path: string) => `${path}: not read`,
    textLog: (path: string, formats: string, lines: number, sip: number) => `${path} — text log (${formats}), ${lines} lines, ${sip} SIP messages`,
    capture: (path: string, format: string, frames: number, sip: number) => `${path} — ${format}, ${frames} frames, ${sip} SIP messages`,
    frame: (n: number) => `frame ${n}`,
    byte: (n: number) => `byte ${n}`,
    line: (n: number) => `line ${n}`,
    couldNotRead: 'the input could not be read',
  },
  es: {
    notRead: (path: string) => `${path}: no se pudo leer`,
    textLog: (path: string, formats: string, lines: number, sip: number) => `${path} — registro de texto (${formats}), ${plural(lines, 'línea', 'líneas')}, ${plural(sip, 'mensaje SIP', 'mensajes SIP')}`,
    capture: (path: string, format: string, frames: number, sip: number) => `${path} — ${format}, ${plural(frames, 'trama', 'tramas')}, ${plural(sip, 'mensaje SIP', 'mensajes SIP')}`,
    frame: (n: number) => `trama ${n}`,
    byte: (n: number) => `byte ${n}`,
    line: (n: number) => `línea ${n}`,
    couldNotRead: 'no se pudo leer la entrada',
  },
});

/** The ladder and Mermaid diagrams' own words. */
export const DIAGRAM = defineWords('diagram', {
  en: {
    noCalls: 'siplens: no calls in the input',
    notDrawn: (n: number) => `… ${n} more messages not drawn`,
  },
  es: {
    noCalls: 'siplens: no hay llamadas en la entrada',
    notDrawn: (n: number) => `… ${plural(n, 'mensaje más sin dibujar', 'mensajes más sin dibujar')}`,
  },
});

/** `siplens stats` as text. */
export const STATS = defineWords('stats', {
  en: {
    /** The heading the CLI prints above the statistics after a report (`--stats`). */
    title: 'Statistics',
    calls: (n: number, types: string) => `Calls: ${n}${types ? ` — by type: ${types}` : ''}`,
    outcomes: 'Outcomes',
    inviteCalls: (seizures: number, answered: number, asr: string, ner: string) => `INVITE calls: ${seizures} · answered ${answered} · ASR ${asr} · NER ${ner}`,
    timing: 'Timing (INVITE calls)',
    columns: { calls: 'calls', min: 'min', median: 'median', p95: 'p95', max: 'max' },
    postDialDelay: 'post-dial delay (INVITE → 18x)',
    setupTime: 'setup time (INVITE → 2xx)',
    talkTime: 'talk time (2xx → BYE)',
    responsesByMethod: 'Responses by method',
    method: 'method',
    responses: 'responses',
    responseTimes: 'Request → first response, per peer',
    peer: 'peer',
    requests: 'requests',
    unanswered: 'unanswered',
    retransmissions: 'Retransmissions',
  },
  es: {
    title: 'Estadísticas',
    calls: (n: number, types: string) => `Llamadas: ${n}${types ? ` — por tipo: ${types}` : ''}`,
    outcomes: 'Resultados',
    inviteCalls: (seizures: number, answered: number, asr: string, ner: string) => `Llamadas INVITE: ${seizures} · contestadas ${answered} · ASR ${asr} · NER ${ner}`,
    timing: 'Tiempos (llamadas INVITE)',
    columns: { calls: 'llamadas', min: 'mín.', median: 'mediana', p95: 'p95', max: 'máx.' },
    postDialDelay: 'retardo post-marcación (INVITE → 18x)',
    setupTime: 'tiempo de establecimiento (INVITE → 2xx)',
    talkTime: 'tiempo de conversación (2xx → BYE)',
    responsesByMethod: 'Respuestas por método',
    method: 'método',
    responses: 'respuestas',
    responseTimes: 'Petición → primera respuesta, por interlocutor',
    peer: 'interlocutor',
    requests: 'peticiones',
    unanswered: 'sin respuesta',
    retransmissions: 'Retransmisiones',
  },
});

/** JUnit and GitHub annotations (the CI outputs). */
export const CI = defineWords('ci', {
  en: {
    callTitle: (n: number, type: string, parties: string, callId: string) => `Call ${n} ${type}${parties} [${callId}]`,
    noCallId: 'no Call-ID',
    andMore: (n: number) => ` (and ${n} more)`,
    input: (path: string) => `input ${path}`,
    policy: (id: string) => `policy ${id}`,
    got: (expected: string, actual: string) => `${expected}; got ${actual}`,
    inputNotRead: 'siplens: input not read',
    atFrame: (n: number) => ` (frame ${n})`,
    findingTitle: (rule: string, call: number, evidence: string) => `siplens ${rule}: call ${call} (${evidence})`,
    allowed: ' [allowed]',
    belowFailOn: ' [below --fail-on]',
    githubSummary: (calls: number, failing: number, failOn: string, counts: string) => `siplens: ${plural(calls, 'call', 'calls')}, ${failing} failing at --fail-on ${failOn} · findings: ${counts}`,
  },
  es: {
    callTitle: (n: number, type: string, parties: string, callId: string) => `Llamada ${n} ${type}${parties} [${callId}]`,
    noCallId: 'sin Call-ID',
    andMore: (n: number) => ` (y ${n} más)`,
    input: (path: string) => `entrada ${path}`,
    policy: (id: string) => `política ${id}`,
    got: (expected: string, actual: string) => `${expected}; se obtuvo ${actual}`,
    inputNotRead: 'siplens: entrada no leída',
    atFrame: (n: number) => ` (trama ${n})`,
    findingTitle: (rule: string, call: number, evidence: string) => `siplens ${rule}: llamada ${call} (${evidence})`,
    allowed: ' [permitido]',
    belowFailOn: ' [por debajo de --fail-on]',
    githubSummary: (calls: number, failing: number, failOn: string, counts: string) => `siplens: ${plural(calls, 'llamada', 'llamadas')}, ${failing} con fallo según --fail-on ${failOn} · hallazgos: ${counts}`,
  },
});

/** `siplens check` as text. */
export const CHECK = defineWords('check', {
  en: {
    policy: (source: string) => `Policy ${source}`,
    pass: '✔ pass',
    fail: '✖ FAIL',
    andMore: (n: number) => `… and ${n} more`,
    passed: (n: number) => `Passed: all ${n} checks.`,
    failed: (failed: number, total: number, ids: string) => `Failed: ${failed} of ${total} checks (${ids}).`,
  },
  es: {
    policy: (source: string) => `Política ${source}`,
    pass: '✔ correcto',
    fail: '✖ FALLO',
    andMore: (n: number) => `… y ${n} más`,
    passed: (n: number) => `Superada: ${n === 1 ? 'la única comprobación' : `las ${n} comprobaciones`}.`,
    failed: (failed: number, total: number, ids: string) => `Fallida: ${failed} de ${plural(total, 'comprobación', 'comprobaciones')} (${ids}).`,
  },
});
