/**
 * The renderers' own words in every language, declared with {@link defineWords}: what every
 * output (text, ladder, HTML, Markdown, Mermaid, CSV, JUnit, GitHub, statistics, check,
 * messages, explain, the progress line) writes around the trace's data. Protocol tokens (methods, status codes and their reason phrases, header names,
 * rule ids, diagnostic codes) are never in here: they are written as the wire has them.
 */
import type { CallType } from '../parse/dialog/types.js';
import type { Outcome } from '../annotate/outcome.js';
import type { Severity } from '../types.js';
import type { DiagnosticInfo } from '../diagnostics.js';
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
    /** A call's outcome in words, before its status: "cancelled by the caller (487 Request Terminated)". */
    outcomeText: {
      answered: 'answered',
      completed: 'completed',
      busy: 'busy',
      rejected: 'rejected',
      'no-answer': 'no answer',
      cancelled: 'cancelled by the caller',
      redirected: 'redirected',
      failed: 'failed',
      stuck: 'stuck on 100 Trying',
      unresolved: 'unresolved at end of capture (no final response)',
      'no-response': 'no response',
      unknown: 'unknown (no request captured)',
    } satisfies Record<Outcome, string>,
    /** An answered call the capture was cut in the middle of (a killed capture process): its end is unknown. */
    unresolvedAnswered: 'unresolved: the capture was cut while the call was up',
    /** An outcome by itself (HTML's outcome table and filter); English shows its name as in JSON. */
    outcomeName: {
      answered: 'answered',
      completed: 'completed',
      busy: 'busy',
      rejected: 'rejected',
      'no-answer': 'no-answer',
      cancelled: 'cancelled',
      redirected: 'redirected',
      failed: 'failed',
      stuck: 'stuck',
      unresolved: 'unresolved',
      'no-response': 'no-response',
      unknown: 'unknown',
    } satisfies Record<Outcome, string>,
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
    outcomeText: {
      answered: 'contestada',
      completed: 'completada',
      busy: 'ocupado',
      rejected: 'rechazada',
      'no-answer': 'sin respuesta del destinatario',
      cancelled: 'cancelada por el llamante',
      redirected: 'redirigida',
      failed: 'fallida',
      stuck: 'atascada en 100 Trying',
      unresolved: 'sin resolver al final de la captura (sin respuesta final)',
      'no-response': 'ninguna respuesta',
      unknown: 'desconocido (no se capturó ninguna petición)',
    },
    unresolvedAnswered: 'sin resolver: la captura se cortó con la llamada establecida',
    outcomeName: {
      answered: 'contestada',
      completed: 'completada',
      busy: 'ocupada',
      rejected: 'rechazada',
      'no-answer': 'sin contestar',
      cancelled: 'cancelada',
      redirected: 'redirigida',
      failed: 'fallida',
      stuck: 'atascada',
      unresolved: 'sin resolver',
      'no-response': 'sin respuesta',
      unknown: 'desconocida',
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

/** A call's media streams (text, ladder, HTML, Markdown, `siplens streams`). */
export const MEDIA = defineWords('media', {
  en: {
    media: 'media',
    side: { caller: 'caller', callee: 'callee' },
    unknownSide: 'unannounced',
    packets: (n: number) => plural(n, 'packet', 'packets'),
    lost: (n: number, percent: string) => `lost ${n} (${percent} %)`,
    jitter: (mean: string, max: string) => `jitter ${mean}/${max} ms`,
    noRtp: 'no RTP in the capture',
    unassigned: (n: number) => `${plural(n, 'RTP stream', 'RTP streams')} of no call (no SDP named them)`,
    columns: { start: 'start', source: 'source', destination: 'destination', ssrc: 'SSRC', codec: 'payload', packets: 'packets', lost: 'lost', maxDelta: 'max delta ms', jitter: 'jitter mean / max ms', mos: 'MOS', call: 'call' },
  },
  es: {
    media: 'medios',
    side: { caller: 'llamante', callee: 'llamado' },
    unknownSide: 'no anunciado',
    packets: (n: number) => plural(n, 'paquete', 'paquetes'),
    lost: (n: number, percent: string) => `perdidos ${n} (${percent} %)`,
    jitter: (mean: string, max: string) => `jitter ${mean}/${max} ms`,
    noRtp: 'ningún RTP en la captura',
    unassigned: (n: number) => `${plural(n, 'flujo RTP', 'flujos RTP')} sin llamada (ningún SDP los nombró)`,
    columns: { start: 'inicio', source: 'origen', destination: 'destino', ssrc: 'SSRC', codec: 'carga', packets: 'paquetes', lost: 'perdidos', maxDelta: 'delta máx. ms', jitter: 'jitter medio / máx. ms', mos: 'MOS', call: 'llamada' },
  },
});

/** Media in the ladders, the HTML report's media table and charts, and the media statistics. */
export const MEDIA_REPORT = defineWords('media-report', {
  en: {
    /** A stream's arrow in the ladder: "RTP PCMA 236 pkts". */
    start: (kind: string, codec: string, packets: number) => `${kind} ${codec} ${packets} pkts`,
    /** The row under it: "lost 5.1% jitter 9.0 ms" (mean jitter). */
    lost: (percent: string) => `lost ${percent}%`,
    jitter: (ms: string) => `jitter ${ms} ms`,
    /** Where the stream's last packet was. */
    end: (kind: string, codec: string) => `${kind} ${codec} ends`,
    /** A media host that is none of the SIP columns. */
    mediaHost: (ip: string) => `${ip} (media)`,
    /** The ladder's list form: "until +7.300". */
    until: (offset: string) => `until ${offset}`,
    html: {
      title: 'Media',
      direction: 'direction',
      codec: 'codec',
      packets: 'packets',
      lost: 'lost',
      meanJitter: 'mean jitter',
      maxJitter: 'max jitter',
      addresses: 'source → destination',
      dtmf: 'DTMF digits',
      chart: 'over time',
      chartLabel: (n: number) => `Stream ${n}: packets received and highest jitter over time, loss marked`,
      legendPackets: (max: number) => `packets per interval (up to ${max})`,
      legendJitter: (ms: string) => `highest jitter (top ${ms} ms)`,
      legendLoss: 'packets lost',
      span: (seconds: string, bucket: string) => `${seconds} s, intervals of ${bucket} ms`,
    },
    stats: {
      title: (n: number) => `Media (${plural(n, 'stream', 'streams')})`,
      streams: 'streams',
      mos: 'MOS (E-model estimate)',
      loss: 'loss (% of expected)',
      meanJitter: 'mean jitter',
    },
  },
  es: {
    start: (kind: string, codec: string, packets: number) => `${kind} ${codec} ${packets} paq.`,
    lost: (percent: string) => `pérdida ${percent}%`,
    jitter: (ms: string) => `jitter medio ${ms} ms`,
    end: (kind: string, codec: string) => `fin de ${kind} ${codec}`,
    mediaHost: (ip: string) => `${ip} (medios)`,
    until: (offset: string) => `hasta ${offset}`,
    html: {
      title: 'Medios',
      direction: 'sentido',
      codec: 'códec',
      packets: 'paquetes',
      lost: 'perdidos',
      meanJitter: 'jitter medio',
      maxJitter: 'jitter máx.',
      addresses: 'origen → destino',
      dtmf: 'dígitos DTMF',
      chart: 'en el tiempo',
      chartLabel: (n: number) => `Flujo ${n}: paquetes recibidos y jitter más alto en el tiempo, pérdidas marcadas`,
      legendPackets: (max: number) => `paquetes por intervalo (hasta ${max})`,
      legendJitter: (ms: string) => `jitter más alto (tope ${ms} ms)`,
      legendLoss: 'paquetes perdidos',
      span: (seconds: string, bucket: string) => `${seconds} s, intervalos de ${bucket} ms`,
    },
    stats: {
      title: (n: number) => `Medios (${plural(n, 'flujo', 'flujos')})`,
      streams: 'flujos',
      mos: 'MOS (estimación E-model)',
      loss: 'pérdida (% de lo esperado)',
      meanJitter: 'jitter medio',
    },
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
    /** The statistics in the Markdown report. */
    callsTotal: 'Calls',
    inviteAnswered: (seizures: number, answered: number, asr: string, ner: string) => `INVITE calls: ${seizures}, answered ${answered} · ASR ${asr} · NER ${ner}`,
    inviteCallsColumn: 'INVITE calls',
    count: 'count',
    distribution: { postDialDelay: 'post-dial delay', setupTime: 'setup time', talkTime: 'talk time' },
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
    callsTotal: 'Llamadas',
    inviteAnswered: (seizures: number, answered: number, asr: string, ner: string) => `Llamadas INVITE: ${seizures}, contestadas ${answered} · ASR ${asr} · NER ${ner}`,
    inviteCallsColumn: 'Llamadas INVITE',
    count: 'cantidad',
    distribution: { postDialDelay: 'retardo post-marcación', setupTime: 'tiempo de establecimiento', talkTime: 'tiempo de conversación' },
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

/** The HTML and Markdown reports' shared words: the title and the call table. */
export const REPORT = defineWords('report', {
  en: {
    title: 'siplens report',
    calls: 'Calls',
    findings: 'Findings',
    columns: { call: 'call', outcome: 'outcome', from: 'from', to: 'to', start: 'start (UTC)', duration: 'duration', findings: 'findings', callId: 'Call-ID' },
    /** Markdown's table of a call's messages. */
    messageColumns: { frame: 'frame', time: 'time', fromTo: 'from → to', message: 'message', meaning: 'meaning' },
    startedUtc: (time: string) => `started ${time} UTC`,
    /** What a finding's evidence is: captured frames, or messages of a text log. */
    evidence: { frames: 'frames', messages: 'messages' },
    /** English writes "messages" whatever the number, as it always has. */
    messagesRetransmitted: (messages: number, retransmitted: number) => `${messages} messages (${retransmitted} retransmitted)`,
    diagnosticsCount: (n: number) => `diagnostics: ${n}`,
  },
  es: {
    title: 'Informe de siplens',
    calls: 'Llamadas',
    findings: 'Hallazgos',
    columns: { call: 'llamada', outcome: 'resultado', from: 'origen', to: 'destino', start: 'inicio (UTC)', duration: 'duración', findings: 'hallazgos', callId: 'Call-ID' },
    messageColumns: { frame: 'trama', time: 'tiempo', fromTo: 'origen → destino', message: 'mensaje', meaning: 'significado' },
    startedUtc: (time: string) => `inicio ${time} UTC`,
    evidence: { frames: 'tramas', messages: 'mensajes' },
    messagesRetransmitted: (messages: number, retransmitted: number) => `${plural(messages, 'mensaje', 'mensajes')} (${s(retransmitted, 'retransmitido')})`,
    diagnosticsCount: (n: number) => `diagnósticos: ${n}`,
  },
});

/** The HTML page's own words (the browser script's are {@link HTML_SCRIPT}). */
export const HTML = defineWords('html', {
  en: {
    /** The page's `lang` attribute (BCP 47). */
    htmlLang: 'en',
    noInput: 'no input',
    sipMessages: (n: number) => plural(n, 'SIP message', 'SIP messages'),
    laddersAndFindings: 'Ladders and findings',
    clickHint: 'Click an arrow, or a frame number beside a finding, to see the message as captured.',
    inputsAndDiagnostics: 'Inputs and diagnostics',
    noDiagnostics: 'no diagnostics',
    close: 'Close',
    figures: {
      calls: 'calls',
      messages: (retransmitted: number) => `SIP messages (${retransmitted} retransmitted)`,
      asr: (answered: number, seizures: number) => `ASR (${answered} of ${seizures} INVITE calls answered)`,
      ner: 'NER (reached the callee)',
      inputDiagnostics: 'input diagnostics',
    },
    callsByOutcome: 'Calls by outcome',
    timing: 'Timing of INVITE calls',
    filter: {
      placeholder: 'Filter: Call-ID, user, address, rule…',
      text: 'Filter calls by text',
      outcome: 'Filter by outcome',
      anyOutcome: 'any outcome',
      rule: 'Filter by rule',
      anyRule: 'any finding or none',
    },
    ladderOf: (call: number) => `Ladder diagram of call ${call}`,
    arrow: (ref: string, label: string, src: string, dst: string) => `${ref} ${label} from ${src} to ${dst}`,
  },
  es: {
    htmlLang: 'es',
    noInput: 'sin entrada',
    sipMessages: (n: number) => plural(n, 'mensaje SIP', 'mensajes SIP'),
    laddersAndFindings: 'Diagramas de escalera y hallazgos',
    clickHint: 'Haz clic en una flecha, o en el número de trama junto a un hallazgo, para ver el mensaje tal como se capturó.',
    inputsAndDiagnostics: 'Entradas y diagnósticos',
    noDiagnostics: 'sin diagnósticos',
    close: 'Cerrar',
    figures: {
      calls: 'llamadas',
      messages: (retransmitted: number) => `mensajes SIP (${s(retransmitted, 'retransmitido')})`,
      asr: (answered: number, seizures: number) => `ASR (${answered} de ${seizures} llamadas INVITE contestadas)`,
      ner: 'NER (llegaron al destinatario)',
      inputDiagnostics: 'diagnósticos de entrada',
    },
    callsByOutcome: 'Llamadas por resultado',
    timing: 'Tiempos de las llamadas INVITE',
    filter: {
      placeholder: 'Filtrar: Call-ID, usuario, dirección, regla…',
      text: 'Filtrar llamadas por texto',
      outcome: 'Filtrar por resultado',
      anyOutcome: 'cualquier resultado',
      rule: 'Filtrar por regla',
      anyRule: 'cualquier hallazgo o ninguno',
    },
    ladderOf: (call: number) => `Diagrama de escalera de la llamada ${call}`,
    arrow: (ref: string, label: string, src: string, dst: string) => `${ref} ${label} de ${src} a ${dst}`,
  },
});

/**
 * The words of the HTML report's script, as plain strings: the script is the same for every
 * report in a language (its hash is in the page's Content-Security-Policy), and reads them as
 * JSON written into it.
 */
export const HTML_SCRIPT = defineWords('html-script', {
  en: {
    /** "3 of 5 calls" as the filters hide calls. */
    of: 'of',
    callOne: 'call',
    callOther: 'calls',
    sdpBody: 'SDP body',
    body: 'Body',
    attribute: 'attribute',
    /** What each SDP line is (RFC 8866 §5), by its type letter. */
    sdp: {
      v: 'protocol version',
      o: 'origin: user, session id, version, network, address',
      s: 'session name',
      i: 'session information',
      u: 'URI',
      e: 'e-mail',
      p: 'phone',
      c: 'connection: where media is sent (network, address type, address)',
      b: 'bandwidth',
      t: 'timing (start stop)',
      r: 'repeat times',
      z: 'time zones',
      k: 'encryption key',
      m: 'media: type, port, transport, formats',
    },
    /** What each SDP attribute (a=) is, by its name. */
    sdpAttributes: {
      rtpmap: 'codec of a payload type',
      fmtp: 'codec parameters',
      ptime: 'packet duration (ms)',
      maxptime: 'longest packet (ms)',
      sendrecv: 'direction: send and receive',
      sendonly: 'direction: send only (hold)',
      recvonly: 'direction: receive only',
      inactive: 'direction: none (hold)',
      rtcp: 'RTCP port and address',
      'rtcp-mux': 'RTP and RTCP on one port',
      candidate: 'ICE candidate',
      'ice-ufrag': 'ICE user fragment',
      'ice-pwd': 'ICE password',
      crypto: 'SRTP key (SDES)',
      fingerprint: 'DTLS certificate fingerprint',
      setup: 'DTLS role',
      mid: 'media id',
      group: 'media grouping (BUNDLE)',
    },
  },
  es: {
    of: 'de',
    callOne: 'llamada',
    callOther: 'llamadas',
    sdpBody: 'Cuerpo SDP',
    body: 'Cuerpo',
    attribute: 'atributo',
    sdp: {
      v: 'versión del protocolo',
      o: 'origen: usuario, id de sesión, versión, red, dirección',
      s: 'nombre de la sesión',
      i: 'información de la sesión',
      u: 'URI',
      e: 'correo electrónico',
      p: 'teléfono',
      c: 'conexión: adónde se envían los medios (red, tipo de dirección, dirección)',
      b: 'ancho de banda',
      t: 'horario (inicio fin)',
      r: 'repeticiones',
      z: 'zonas horarias',
      k: 'clave de cifrado',
      m: 'medio: tipo, puerto, transporte, formatos',
    },
    sdpAttributes: {
      rtpmap: 'códec de un tipo de payload',
      fmtp: 'parámetros del códec',
      ptime: 'duración del paquete (ms)',
      maxptime: 'paquete más largo (ms)',
      sendrecv: 'sentido: envía y recibe',
      sendonly: 'sentido: solo envía (en espera)',
      recvonly: 'sentido: solo recibe',
      inactive: 'sentido: ninguno (en espera)',
      rtcp: 'puerto y dirección de RTCP',
      'rtcp-mux': 'RTP y RTCP en un mismo puerto',
      candidate: 'candidato ICE',
      'ice-ufrag': 'fragmento de usuario ICE',
      'ice-pwd': 'contraseña ICE',
      crypto: 'clave SRTP (SDES)',
      fingerprint: 'huella del certificado DTLS',
      setup: 'rol DTLS',
      mid: 'id del medio',
      group: 'agrupación de medios (BUNDLE)',
    },
  },
});

/**
 * CSV column names. In ASCII snake_case in every language, so a spreadsheet that reads the
 * file as Latin-1 shows them right and scripts can name them; the values stay machine-readable
 * (outcome and type ids, ISO times, milliseconds) whatever the language.
 */
export const CSV = defineWords('csv', {
  en: {
    call: 'call',
    callId: 'call_id',
    type: 'type',
    from: 'from',
    to: 'to',
    outcome: 'outcome',
    status: 'status',
    start: 'start',
    durationMs: 'duration_ms',
    postDialDelayMs: 'post_dial_delay_ms',
    setupMs: 'setup_ms',
    talkMs: 'talk_ms',
    messages: 'messages',
    retransmissions: 'retransmissions',
    errors: 'errors',
    warnings: 'warnings',
    infos: 'infos',
    rules: 'rules',
    file: 'file',
  },
  es: {
    call: 'llamada',
    callId: 'call_id',
    type: 'tipo',
    from: 'origen',
    to: 'destino',
    outcome: 'resultado',
    status: 'codigo_estado',
    start: 'inicio',
    durationMs: 'duracion_ms',
    postDialDelayMs: 'retardo_post_marcacion_ms',
    setupMs: 'establecimiento_ms',
    talkMs: 'conversacion_ms',
    messages: 'mensajes',
    retransmissions: 'retransmisiones',
    errors: 'errores',
    warnings: 'avisos',
    infos: 'informativos',
    rules: 'reglas',
    file: 'archivo',
  },
});

/** `siplens explain` and `siplens rules`: section titles; the seed page's Spanish headings are the model for Spanish. */
export const EXPLAIN = defineWords('explain', {
  en: {
    meaning: 'What it means',
    whenSeen: "When you'll see it",
    fix: 'How to fix it',
    confused: 'Often confused with',
    defined: 'Defined in',
    differences: 'Key differences',
    whenEach: 'When each applies',
    is: (code: number, cls: string) => `${code} is ${cls}`,
    evidence: 'Evidence',
    why: 'Why',
    ruleFix: 'Fix',
    options: 'Options',
    none: 'none',
    messages: 'Messages',
    see: 'See',
    byDefault: 'default',
    diagnostic: (code: string, layer: string, severity: string) => `Diagnostic ${code} (${layer} layer, ${severity})`,
    /** A diagnostic's layer as the heading names it (English writes its id). */
    layer: { input: 'input', capture: 'capture', link: 'link', net: 'net', transport: 'transport', sip: 'sip', text: 'text', dialog: 'dialog' } satisfies Record<DiagnosticInfo['layer'], string>,
  },
  es: {
    meaning: 'Descripción',
    whenSeen: 'Cuándo lo verás',
    fix: 'Cómo solucionarlo',
    confused: 'Se confunde a menudo con',
    defined: 'Definido en',
    differences: 'Diferencias clave',
    whenEach: 'Cuándo usar cada uno',
    is: (code: number, cls: string) => `${code} es ${cls}`,
    evidence: 'Evidencia',
    why: 'Por qué',
    ruleFix: 'Solución',
    options: 'Opciones',
    none: 'ninguna',
    messages: 'Mensajes',
    see: 'Véase',
    byDefault: 'por defecto',
    diagnostic: (code: string, layer: string, severity: string) => `Diagnóstico ${code} (capa ${layer}, ${severity})`,
    layer: { input: 'de entrada', capture: 'de captura', link: 'de enlace', net: 'de red', transport: 'de transporte', sip: 'SIP', text: 'de texto', dialog: 'de diálogo' },
  },
});

/** The progress line on a terminal while inputs are read, and what Ctrl-C says. */
export const PROGRESS = defineWords('progress', {
  en: {
    ofTotal: (percent: string, megabytes: string) => `${percent} % of ${megabytes} MB`,
    read: (megabytes: string) => `${megabytes} MB read`,
    /** English writes "messages" whatever the number, as it always has. */
    sipMessages: (n: number) => `${n} SIP messages`,
    interrupted: 'siplens: interrupted: reporting what was read (Ctrl-C again to quit at once)',
  },
  es: {
    ofTotal: (percent: string, megabytes: string) => `${percent} % de ${megabytes} MB`,
    read: (megabytes: string) => `${megabytes} MB leídos`,
    sipMessages: (n: number) => plural(n, 'mensaje SIP', 'mensajes SIP'),
    interrupted: 'siplens: interrumpido: se muestra lo leído hasta ahora (Ctrl-C otra vez para salir en el acto)',
  },
});

/** What a policy check required and what was measured (`siplens check`, and the checks in JUnit and GitHub). */
export const POLICY = defineWords('policy', {
  en: {
    callRef: (call: number, callId: string) => `call ${call} (${callId})`,
    findingsNeverFail: 'findings are reported, never fail',
    noFindingAtOrAbove: (severity: string) => `no finding at or above ${severity}`,
    allowed: (rules: string) => ` (allowed: ${rules})`,
    findingCount: (n: number) => plural(n, 'finding', 'findings'),
    findingAt: (call: string, severity: string, rule: string, at: string, message: string) => `${call}: ${severity} ${rule} at ${at}: ${message}`,
    forbidden: (rule: string) => `no ${rule} finding, whatever its severity`,
    callCount: (range: string) => `number of calls ${range}`,
    between: (min: string, max: string) => `between ${min} and ${max}`,
    percentile: { median: 'median', max: 'max' },
    answered: (range: string) => `share of INVITE calls answered ${range}`,
    answeredShare: (share: string, answered: number, seizures: number) => `${share} (${answered} of ${seizures})`,
    noInviteCall: 'no INVITE call',
    noCallToMeasure: 'no call to measure',
    overCalls: (value: string, calls: number) => `${value} over ${plural(calls, 'call', 'calls')}`,
    noFinalAbove: (status: number) => `no final response above ${status}`,
    none: 'none',
    responsesAbove: (n: number, status: number) => `${plural(n, 'response', 'responses')} above ${status}`,
    answeredWithin: (limit: string) => `every INVITE gets a final response within ${limit}`,
    allInTime: (invites: number) => `${plural(invites, 'INVITE', 'INVITEs')}, all answered in time`,
    lateCount: (late: number, invites: number) => `${late} of ${invites} INVITEs late or unanswered`,
    noFinal: (call: string, ref: string) => `${call}: INVITE ${ref} got no final response`,
    lateFinal: (call: string, ref: string, status: string, waited: string, finalRef: string) => `${call}: INVITE ${ref} got ${status} after ${waited} (${finalRef})`,
  },
  es: {
    callRef: (call: number, callId: string) => `llamada ${call} (${callId})`,
    findingsNeverFail: 'los hallazgos se muestran, nunca hacen fallar',
    noFindingAtOrAbove: (severity: string) => `ningún hallazgo de gravedad ${severity} o mayor`,
    allowed: (rules: string) => ` (permitidas: ${rules})`,
    findingCount: (n: number) => plural(n, 'hallazgo', 'hallazgos'),
    findingAt: (call: string, severity: string, rule: string, at: string, message: string) => `${call}: ${severity} ${rule} en ${at}: ${message}`,
    forbidden: (rule: string) => `ningún hallazgo ${rule}, sea cual sea su gravedad`,
    callCount: (range: string) => `número de llamadas ${range}`,
    between: (min: string, max: string) => `entre ${min} y ${max}`,
    percentile: { median: 'mediana', max: 'máximo' },
    answered: (range: string) => `proporción de llamadas INVITE contestadas ${range}`,
    answeredShare: (share: string, answered: number, seizures: number) => `${share} (${answered} de ${seizures})`,
    noInviteCall: 'ninguna llamada INVITE',
    noCallToMeasure: 'ninguna llamada que medir',
    overCalls: (value: string, calls: number) => `${value} en ${plural(calls, 'llamada', 'llamadas')}`,
    noFinalAbove: (status: number) => `ninguna respuesta final por encima de ${status}`,
    none: 'ninguna',
    responsesAbove: (n: number, status: number) => `${plural(n, 'respuesta', 'respuestas')} por encima de ${status}`,
    answeredWithin: (limit: string) => `todo INVITE recibe una respuesta final en ${limit} como máximo`,
    allInTime: (invites: number) => (invites === 1 ? '1 INVITE, respondido a tiempo' : `${invites} INVITE, todos respondidos a tiempo`),
    lateCount: (late: number, invites: number) => `${late} de ${invites} INVITE con respuesta tardía o sin respuesta final`,
    noFinal: (call: string, ref: string) => `${call}: el INVITE ${ref} no recibió respuesta final`,
    lateFinal: (call: string, ref: string, status: string, waited: string, finalRef: string) => `${call}: el INVITE ${ref} recibió ${status} al cabo de ${waited} (${finalRef})`,
  },
});

/** A siplens-bug finding: a rule or a step of the analysis threw on a call. */
export const INTERNAL_ERROR = defineWords('internal-error', {
  en: {
    message: (rule: string, error: string) => `siplens bug: rule ${rule} failed on this call (${error}); please report it with the capture.`,
    explanation: 'The rule threw an exception; its result for this call is unknown.',
    fix: 'Report the problem to the siplens maintainers with the capture or the frames of this call.',
  },
  es: {
    message: (rule: string, error: string) => `error de siplens: la regla ${rule} falló con esta llamada (${error}); infórmalo adjuntando la captura.`,
    explanation: 'La regla lanzó una excepción; se desconoce su resultado para esta llamada.',
    fix: 'Informa del problema a los mantenedores de siplens con la captura o con las tramas de esta llamada.',
  },
});

/** What --write-pcap says on stderr once the capture is written. */
export const WRITE_CAPTURE = defineWords('write-capture', {
  en: {
    wrote: (path: string, frames: number, calls: number, redacted: boolean) =>
      `siplens: wrote ${path}: ${plural(frames, 'frame', 'frames')} of ${plural(calls, 'call', 'calls')}${redacted ? ', redacted' : ''}`,
    overLimit: (calls: number, max: number) => `siplens: ${plural(calls, 'call', 'calls')} shown but not written: the capture holds at most ${max} SIP frames; narrow the filters (--call-id, --since, --until...)`,
    leftOut: (frames: number, reasons: string) => `siplens: ${plural(frames, 'frame', 'frames')} left out of the redacted capture, as they cannot be rewritten (${reasons})`,
    reason: { encapsulated: 'inside HEP, a tunnel, TLS or WebSocket', fragment: 'media in IP fragments', 'link-type': 'ERF records', undecodable: 'not IP' },
  },
  es: {
    wrote: (path: string, frames: number, calls: number, redacted: boolean) =>
      `siplens: escrito ${path}: ${plural(frames, 'trama', 'tramas')} de ${plural(calls, 'llamada', 'llamadas')}${redacted ? ', anonimizado' : ''}`,
    overLimit: (calls: number, max: number) =>
      `siplens: ${plural(calls, 'llamada mostrada', 'llamadas mostradas')} sin escribir: la captura admite como mucho ${max} tramas SIP; acota los filtros (--call-id, --since, --until...)`,
    leftOut: (frames: number, reasons: string) => `siplens: ${plural(frames, 'trama', 'tramas')} fuera de la captura anonimizada, porque no se pueden reescribir (${reasons})`,
    reason: { encapsulated: 'dentro de HEP, un túnel, TLS o WebSocket', fragment: 'medios en fragmentos IP', 'link-type': 'registros ERF', undecodable: 'no es IP' },
  },
});
