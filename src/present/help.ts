/**
 * The command line's own words in every language: what each command and option does (help and
 * docs/cli.md), the examples, the sentences for a wrong command line, and the line that says
 * a report was written. The options themselves (types, short names, choices, which command
 * takes which) are the table in src/cli/table.ts, keyed by the names declared here; this file
 * lays them out as help text and Markdown.
 */
import type { Lang } from '../annotate/i18n.js';
import { visibleWidth, wrapLine } from './render/wrap.js';
import { defineWords } from './words.js';

/** "a, b or c": a list in prose, with the language's word for "or". */
export function orList(items: readonly string[], lang: Lang): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${CLI_WORDS[lang].help.or} ${items.at(-1)}`;
}

const en = {
  commands: {
    analyze: 'the annotated timeline: calls, each message explained, problems with evidence and a fix (the command run when none is named)',
    messages: 'every SIP message on one line (frame, time, source → destination, method or status, Call-ID, CSeq); with a filter, the messages of the calls it selects',
    demo: 'analyze the sample capture shipped with siplens (a normal call, a call stuck on 100 Trying, a 410 Gone)',
    explain: "explain a response code, compare two codes, or show a rule's or a diagnostic's documentation",
    rules: 'every rule with its id, default severity, description and options',
    check: 'check captures against a policy (rule settings, allowed and forbidden rules, figures): exit 1 with the list of what failed',
    stats: 'statistics: calls by outcome, ASR and NER, post-dial delay and setup time, responses by method, response times per peer, retransmissions',
    streams: 'every RTP stream with its figures as tshark -z rtp,streams gives them (packets, lost, max delta, jitter), its MOS estimate and its call',
    live: "the interactive view of calls as they happen (or of a capture): the call list, each call's ladder, raw messages and findings",
  },
  operands: {
    files: 'captures (pcap, pcapng, .gz) or SIP text logs; - reads standard input',
    topics: 'status codes (two codes are compared), rule ids or diagnostic codes',
    source: 'a capture to browse, or - to read one from standard input; none with -i',
  },
  groups: { general: 'Options', output: 'Report', filter: 'Filters (which calls are shown; the exit code follows what is shown)', input: 'Reading' },
  options: {
    format: 'output format',
    lang: 'language of every output; by default the one LC_ALL, LC_MESSAGES or LANG names',
    color: 'colours in text output: --color forces them, --no-color turns them off (default: on a terminal that has them, unless NO_COLOR is set; FORCE_COLOR as Node reads it)',
    help: 'this help; after a command, that command\'s options and examples',
    version: 'the version of siplens',
    output: 'write to this file instead of standard output, and say on stderr what was written',
    'write-pcap': 'also write the frames of the calls shown (every filter applies), with their RTP, RTCP and ICMP errors, to this capture file: pcapng for a .pcapng name, else pcap; redacted with --redact',
    ladder: 'with --format text: a ladder diagram after each call\'s timeline',
    stats: 'with --format text or ladder: the statistics at the end',
    width: 'columns for text output and ladders (default: the terminal\'s width; not wrapped when not a terminal, ladders 120)',
    aliases: 'YAML or JSON file naming participants: { "10.0.0.1:5060": "alice phone", "10.0.0.2": "proxy" }',
    redact: 'replace users, numbers, display names, addresses, hosts, tags and Call-IDs by consistent pseudonyms, in every format',
    'redact-key': 'with --redact: a secret that makes the pseudonyms the same across runs (or set SIPLENS_REDACT_KEY)',
    'fail-on': 'exit 1 when a shown finding reaches this severity',
    policy: 'the policy file (YAML, docs/policy.md); without one, any error finding fails',
    'call-id': 'only calls with this Call-ID (* is a wildcard)',
    user: 'only calls with this user part in From, To or a Request-URI',
    method: 'only calls with a request of this method',
    status: 'only calls with a response of this status (486) or class (4xx)',
    since: 'only calls still going at or after this capture time (ISO 8601, UTC unless a zone is given, or Unix seconds)',
    until: 'only calls started at or before this capture time',
    'only-problems': 'only calls with a warning or an error',
    type: 'only calls of this type',
    date: 'text logs that print times without a date: the date of the first message (default: the file\'s modification date, as the date of the last message)',
    'leg-window': 'legs of one call through a PBX or SBC with no linking header: the longest time between their INVITEs to link them by caller and callee numbers (a guess); 0 turns the guess off',
    'max-open-calls': 'calls held open at once while reading; beyond it the least recently active call is reported early, with a diagnostic',
    'tls-keylog': 'a TLS key log (NSS format: SSLKEYLOGFILE, OpenSSL -keylogfile) to decrypt SIP over TLS and WSS; several: repeat it (SSLKEYLOGFILE is read too when it names a file)',
    interface: 'capture on this interface: siplens starts tcpdump -i IFACE -U -w - itself',
    filter: 'the tcpdump filter (default: SIP ports 5060 and 5061, HEP 9060, IP fragments, and UDP 1024-65535 with media)',
    media: 'analyse RTP (and capture it with -i); --no-media for SIP alone',
  },
  examples: {
    timeline: 'the annotated timeline',
    ladder: 'a ladder diagram per call',
    html: 'a self-contained HTML report',
    json: 'machine-readable, exit 1 on warnings',
    filter: 'only the calls that got a 4xx, from 07:00 UTC on',
    stdin: 'a live capture from standard input: each call prints when it is over; Ctrl-C reports the rest',
    messages: 'one line per SIP message',
    messagesOfCall: 'the messages of one call',
    demo: 'the sample capture, to see what siplens shows',
    demoHtml: 'the sample capture as an HTML report',
    explain: 'what 100 and 410 mean and how they differ',
    explainRule: "a rule's documentation",
    rules: 'the list of rules',
    check: 'CI: a verdict against a policy',
    checkJunit: 'CI: the verdict as a JUnit report',
    stats: 'outcomes, ASR, NER, delays, responses',
    statsJson: 'the statistics of real calls only, as JSON',
    streams: 'the RTP streams with loss, jitter and MOS',
    live: 'watch calls as they happen: stuck calls are flagged while the caller waits',
    liveFile: 'browse a capture in the interactive view',
  },
  help: {
    tagline: 'reads SIP traffic from pcap and pcapng captures and SIP text logs, rebuilds every call and explains what happened.',
    usage: 'Usage',
    commands: 'Commands',
    examples: 'Examples',
    command: 'command',
    options: 'options',
    or: 'or',
    oneOf: (choices: string) => `one of ${choices}`,
    repeatable: 'several: repeat it or separate with commas',
    defaultIs: (value: string) => `default ${value}`,
    noColor: 'turns colours off',
    more: 'Every option: siplens --help · one command\'s: siplens COMMAND --help · docs/cli.md',
    exitCodes: 'Exit codes: 0 no finding at or above --fail-on; 1 there is one (or a check failed); 2 an input could not be read, the report could not be written, or the command line is wrong.',
  },
  errors: {
    unknownOption: (option: string, suggestion: string | null) => `unknown option ${option}${suggestion === null ? '' : `; did you mean ${suggestion}?`}`,
    notForCommand: (option: string, command: string, takers: string, count: number) => `${option} is not an option of ${command}; ${takers} ${count === 1 ? 'takes' : 'take'} it`,
    missingValue: (option: string, value: string) => `${option} needs a value (${value})`,
    noValue: (option: string) => `${option} takes no value`,
    badChoice: (option: string, value: string, choices: string, suggestion: string | null) =>
      `${option} must be ${choices}, got "${value}"${suggestion === null ? '' : `; did you mean ${suggestion}?`}`,
    notANumber: (option: string, value: string) => `${option} takes a number, got "${value}"`,
    formatNotFor: (command: string, format: string, formats: string) => `${command} writes ${formats}, not ${format}`,
    needsFiles: (command: string) => `${command} needs a capture or a log to read: give a file, - for standard input, or run "siplens demo"`,
    needsTopics: 'explain needs a topic: a status code (100-699), a rule id (see "siplens rules") or a diagnostic code',
    noOperands: (command: string, operands: string) => `${command} reads no file, got ${operands}`,
    unknownCommand: (word: string, suggestion: string) => `"${word}" is neither a file nor a command; did you mean the command ${suggestion}?`,
    stdinIsTerminal: '"-" reads a capture or a log from standard input, but nothing is piped in (it is the terminal); pipe one, e.g. tcpdump -U -w - port 5060 | siplens -',
    seeHelp: (command: string | null) => (command === null ? 'Run "siplens --help" for usage.' : `Run "siplens ${command} --help" for its options.`),
    liveReadsOne: 'live reads one thing: -i IFACE, - (standard input) or a capture file',
    badDate: (value: string) => `--date must be a date as YYYY-MM-DD, got "${value}"`,
    badLegWindow: (value: string) => `--leg-window must be a number of seconds (0 or more), got "${value}"`,
    nothingToExplain: (topics: string) => `nothing to explain for ${topics}: give a status code (100-699), a rule id (see "siplens rules") or a diagnostic code (docs/diagnostics.md)`,
    badMaxOpenCalls: (value: string) => `--max-open-calls must be a whole number of calls, at least 1, got "${value}"`,
    redactKeyNeedsRedact: '--redact-key needs --redact',
    redactKeyTooShort: 'the redaction key must be at least 8 characters',
    badCaptureTime: (option: string, value: string) => `${option} must be a capture time such as 2024-11-19T07:06:45Z or Unix seconds, got "${value}"`,
    badStatus: (value: string) => `--status takes a status code (486) or a class (4xx), got "${value}"`,
    badType: (types: string, value: string) => `--type must be one of ${types}, got "${value}"`,
    aliasesUnreadable: (path: string, reason: string) => `cannot read the alias file ${path}: ${reason}`,
    aliasesNotAMap: (path: string) => `the alias file ${path} must map addresses to names, e.g. "10.0.0.1:5060: alice phone"`,
    aliasNotText: (path: string, address: string) => `the alias file ${path}: the name for ${address} must be text`,
    policyUnreadable: (path: string, reason: string) => `cannot read the policy ${path}: ${reason}`,
    policyInvalid: (problem: string) => `the policy ${problem}`,
    badWidth: '--width must be a whole number of columns, at least 40',
    outputUnwritable: (path: string, reason: string) => `cannot write ${path}: ${reason}`,
    pcapOverwritesInput: (path: string, input: string) => `--write-pcap ${path} would overwrite the input ${input}; give another file name`,
    pcapFromTextLog: (input: string) => `--write-pcap writes captured frames, and ${input} is a text log (SIP messages without their packets): give a pcap or pcapng capture, or leave --write-pcap out`,
    pcapLinkTypes: (types: string) => `the frames to write have several link types (${types}) and a pcap file holds one: give --write-pcap a .pcapng name`,
  },
  written: {
    report: (file: string, calls: number, errors: number, warnings: number) =>
      `wrote ${file}: ${calls} ${calls === 1 ? 'call' : 'calls'}, ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
    calls: (file: string, calls: number) => `wrote ${file}: ${calls} ${calls === 1 ? 'call' : 'calls'}`,
    messages: (file: string, messages: number) => `wrote ${file}: ${messages} ${messages === 1 ? 'message' : 'messages'}`,
    streams: (file: string, streams: number) => `wrote ${file}: ${streams} RTP ${streams === 1 ? 'stream' : 'streams'}`,
    findingsExit: (findings: number, failOn: string) => `exit 1: ${findings} ${findings === 1 ? 'finding' : 'findings'} at or above --fail-on ${failOn}`,
    checksExit: (failed: number, total: number, ids: string) => `exit 1: ${failed} of ${total} ${total === 1 ? 'check' : 'checks'} failed (${ids})`,
    listOverLimit: (calls: number, max: number) =>
      `siplens: ${calls} selected ${calls === 1 ? 'call' : 'calls'} not listed: a filtered list holds at most ${max} messages; narrow the filters (--call-id, --since, --until...)`,
  },
};

const es: typeof en = {
  commands: {
    analyze: 'la línea de tiempo anotada: llamadas, cada mensaje explicado, problemas con pruebas y una solución (la orden que se ejecuta si no se nombra ninguna)',
    messages: 'cada mensaje SIP en una línea (trama, hora, origen → destino, método o estado, Call-ID, CSeq); con un filtro, los mensajes de las llamadas que selecciona',
    demo: 'analiza la captura de ejemplo que trae siplens (una llamada normal, una atascada en 100 Trying, un 410 Gone)',
    explain: 'explica un código de respuesta, compara dos códigos o muestra la documentación de una regla o de un diagnóstico',
    rules: 'todas las reglas con su id, gravedad por defecto, descripción y opciones',
    check: 'comprueba capturas contra una política (ajustes de reglas, reglas permitidas y prohibidas, cifras): sale con 1 y la lista de lo que falló',
    stats: 'estadísticas: llamadas por resultado, ASR y NER, retardo posmarcación y tiempo de establecimiento, respuestas por método, tiempos de respuesta por par, retransmisiones',
    streams: 'cada flujo RTP con sus cifras como las da tshark -z rtp,streams (paquetes, perdidos, delta máxima, jitter), su MOS estimado y su llamada',
    live: 'la vista interactiva de las llamadas mientras ocurren (o de una captura): la lista de llamadas, la escalera de cada una, los mensajes en bruto y los hallazgos',
  },
  operands: {
    files: 'capturas (pcap, pcapng, .gz) o registros de texto SIP; - lee la entrada estándar',
    topics: 'códigos de estado (dos códigos se comparan), ids de regla o códigos de diagnóstico',
    source: 'una captura que recorrer, o - para leerla de la entrada estándar; ninguna con -i',
  },
  groups: { general: 'Opciones', output: 'Informe', filter: 'Filtros (qué llamadas se muestran; el código de salida sigue a lo mostrado)', input: 'Lectura' },
  options: {
    format: 'formato de salida',
    lang: 'idioma de toda la salida; por defecto el que nombran LC_ALL, LC_MESSAGES o LANG',
    color: 'colores en la salida de texto: --color los fuerza, --no-color los quita (por defecto: en un terminal que los tiene, salvo con NO_COLOR; FORCE_COLOR como lo lee Node)',
    help: 'esta ayuda; tras una orden, las opciones y ejemplos de esa orden',
    version: 'la versión de siplens',
    output: 'escribe en este archivo en vez de en la salida estándar, y dice en stderr qué escribió',
    'write-pcap': 'escribe además las tramas de las llamadas mostradas (se aplican todos los filtros), con su RTP, RTCP y errores ICMP, en este archivo de captura: pcapng si el nombre acaba en .pcapng, si no pcap; anonimizado con --redact',
    ladder: 'con --format text: un diagrama de escalera tras la línea de tiempo de cada llamada',
    stats: 'con --format text o ladder: las estadísticas al final',
    width: 'columnas de la salida de texto y de las escaleras (por defecto: el ancho del terminal; sin ajustar fuera de un terminal, escaleras a 120)',
    aliases: 'archivo YAML o JSON que nombra a los participantes: { "10.0.0.1:5060": "teléfono de alice", "10.0.0.2": "proxy" }',
    redact: 'sustituye usuarios, números, nombres visibles, direcciones, hosts, etiquetas y Call-ID por seudónimos coherentes, en todos los formatos',
    'redact-key': 'con --redact: un secreto que hace los seudónimos iguales entre ejecuciones (o defina SIPLENS_REDACT_KEY)',
    'fail-on': 'sale con 1 cuando un hallazgo mostrado alcanza esta gravedad',
    policy: 'el archivo de política (YAML, docs/policy.md); sin él, falla cualquier hallazgo de error',
    'call-id': 'solo llamadas con este Call-ID (* es un comodín)',
    user: 'solo llamadas con esta parte de usuario en From, To o una Request-URI',
    method: 'solo llamadas con una petición de este método',
    status: 'solo llamadas con una respuesta de este estado (486) o clase (4xx)',
    since: 'solo llamadas aún en curso en o después de esta hora de captura (ISO 8601, UTC salvo que se indique zona, o segundos Unix)',
    until: 'solo llamadas empezadas en o antes de esta hora de captura',
    'only-problems': 'solo llamadas con un aviso o un error',
    type: 'solo llamadas de este tipo',
    date: 'registros de texto que escriben horas sin fecha: la fecha del primer mensaje (por defecto: la fecha de modificación del archivo, como fecha del último mensaje)',
    'leg-window': 'tramos de una llamada a través de una PBX o un SBC sin cabecera que los enlace: el tiempo máximo entre sus INVITE para enlazarlos por los números de llamante y llamado (una suposición); 0 desactiva la suposición',
    'max-open-calls': 'llamadas abiertas a la vez durante la lectura; por encima, la llamada con actividad más antigua se informa antes, con un diagnóstico',
    'tls-keylog': 'un registro de claves TLS (formato NSS: SSLKEYLOGFILE, OpenSSL -keylogfile) para descifrar SIP sobre TLS y WSS; varios: repítala (también se lee SSLKEYLOGFILE cuando nombra un archivo)',
    interface: 'captura en esta interfaz: siplens arranca él mismo tcpdump -i IFAZ -U -w -',
    filter: 'el filtro de tcpdump (por defecto: puertos SIP 5060 y 5061, HEP 9060, fragmentos IP, y UDP 1024-65535 con medios)',
    media: 'analiza RTP (y lo captura con -i); --no-media para solo SIP',
  },
  examples: {
    timeline: 'la línea de tiempo anotada',
    ladder: 'un diagrama de escalera por llamada',
    html: 'un informe HTML autocontenido',
    json: 'para máquinas, sale con 1 ante avisos',
    filter: 'solo las llamadas que recibieron un 4xx, desde las 07:00 UTC',
    stdin: 'una captura en vivo desde la entrada estándar: cada llamada se imprime al terminar; Ctrl-C informa del resto',
    messages: 'una línea por mensaje SIP',
    messagesOfCall: 'los mensajes de una llamada',
    demo: 'la captura de ejemplo, para ver lo que muestra siplens',
    demoHtml: 'la captura de ejemplo como informe HTML',
    explain: 'qué significan 100 y 410 y en qué se diferencian',
    explainRule: 'la documentación de una regla',
    rules: 'la lista de reglas',
    check: 'CI: un veredicto contra una política',
    checkJunit: 'CI: el veredicto como informe JUnit',
    stats: 'resultados, ASR, NER, retardos, respuestas',
    statsJson: 'las estadísticas solo de llamadas reales, en JSON',
    streams: 'los flujos RTP con pérdidas, jitter y MOS',
    live: 'observa las llamadas mientras ocurren: las atascadas se marcan mientras quien llama espera',
    liveFile: 'recorre una captura en la vista interactiva',
  },
  help: {
    tagline: 'lee tráfico SIP de capturas pcap y pcapng y de registros de texto SIP, reconstruye cada llamada y explica qué pasó.',
    usage: 'Uso',
    commands: 'Órdenes',
    examples: 'Ejemplos',
    command: 'orden',
    options: 'opciones',
    or: 'o',
    oneOf: (choices) => `uno de ${choices}`,
    repeatable: 'varios: repítala o sepárelos con comas',
    defaultIs: (value) => `por defecto ${value}`,
    noColor: 'quita los colores',
    more: 'Todas las opciones: siplens --help · las de una orden: siplens ORDEN --help · docs/cli.md',
    exitCodes:
      'Códigos de salida: 0 ningún hallazgo en o por encima de --fail-on; 1 hay alguno (o falló una comprobación); 2 no se pudo leer una entrada, no se pudo escribir el informe, o la línea de órdenes es incorrecta.',
  },
  errors: {
    unknownOption: (option, suggestion) => `opción desconocida ${option}${suggestion === null ? '' : `; ¿quería decir ${suggestion}?`}`,
    notForCommand: (option, command, takers, count) => `${option} no es una opción de ${command}; ${count === 1 ? 'la acepta' : 'la aceptan'} ${takers}`,
    missingValue: (option, value) => `${option} necesita un valor (${value})`,
    noValue: (option) => `${option} no lleva valor`,
    badChoice: (option, value, choices, suggestion) => `${option} debe ser ${choices}, no "${value}"${suggestion === null ? '' : `; ¿quería decir ${suggestion}?`}`,
    notANumber: (option, value) => `${option} lleva un número, no "${value}"`,
    formatNotFor: (command, format, formats) => `${command} escribe ${formats}, no ${format}`,
    needsFiles: (command) => `${command} necesita una captura o un registro que leer: indique un archivo, - para la entrada estándar, o ejecute "siplens demo"`,
    needsTopics: 'explain necesita un tema: un código de estado (100-699), un id de regla (vea "siplens rules") o un código de diagnóstico',
    noOperands: (command, operands) => `${command} no lee archivos, recibió ${operands}`,
    unknownCommand: (word, suggestion) => `"${word}" no es ni un archivo ni una orden; ¿quería decir la orden ${suggestion}?`,
    stdinIsTerminal: '"-" lee una captura o un registro de la entrada estándar, pero no llega nada por una tubería (es el terminal); envíe uno, p. ej. tcpdump -U -w - port 5060 | siplens -',
    seeHelp: (command) => (command === null ? 'Ejecute "siplens --help" para ver el uso.' : `Ejecute "siplens ${command} --help" para ver sus opciones.`),
    liveReadsOne: 'live lee una sola cosa: -i IFAZ, - (la entrada estándar) o un archivo de captura',
    badDate: (value) => `--date debe ser una fecha AAAA-MM-DD, no "${value}"`,
    badLegWindow: (value) => `--leg-window debe ser un número de segundos (0 o más), no "${value}"`,
    nothingToExplain: (topics) => `nada que explicar para ${topics}: indique un código de estado (100-699), un id de regla (vea "siplens rules") o un código de diagnóstico (docs/diagnostics.md)`,
    badMaxOpenCalls: (value) => `--max-open-calls debe ser un número entero de llamadas, al menos 1, no "${value}"`,
    redactKeyNeedsRedact: '--redact-key necesita --redact',
    redactKeyTooShort: 'la clave de anonimización debe tener al menos 8 caracteres',
    badCaptureTime: (option, value) => `${option} debe ser una hora de captura como 2024-11-19T07:06:45Z o segundos Unix, no "${value}"`,
    badStatus: (value) => `--status lleva un código de estado (486) o una clase (4xx), no "${value}"`,
    badType: (types, value) => `--type debe ser uno de ${types}, no "${value}"`,
    aliasesUnreadable: (path, reason) => `no se puede leer el archivo de alias ${path}: ${reason}`,
    aliasesNotAMap: (path) => `el archivo de alias ${path} debe asociar direcciones a nombres, p. ej. "10.0.0.1:5060: teléfono de alicia"`,
    aliasNotText: (path, address) => `el archivo de alias ${path}: el nombre de ${address} debe ser texto`,
    policyUnreadable: (path, reason) => `no se puede leer la política ${path}: ${reason}`,
    policyInvalid: (problem) => `la política ${problem}`,
    badWidth: '--width debe ser un número entero de columnas, al menos 40',
    outputUnwritable: (path, reason) => `no se puede escribir ${path}: ${reason}`,
    pcapOverwritesInput: (path, input) => `--write-pcap ${path} sobrescribiría la entrada ${input}; indique otro nombre de archivo`,
    pcapFromTextLog: (input) => `--write-pcap escribe tramas capturadas, y ${input} es un registro de texto (mensajes SIP sin sus paquetes): indique una captura pcap o pcapng, o quite --write-pcap`,
    pcapLinkTypes: (types) => `las tramas que escribir tienen varios tipos de enlace (${types}) y un archivo pcap admite uno: dé a --write-pcap un nombre .pcapng`,
  },
  written: {
    report: (file, calls, errors, warnings) =>
      `escrito ${file}: ${calls} ${calls === 1 ? 'llamada' : 'llamadas'}, ${errors} ${errors === 1 ? 'error' : 'errores'}, ${warnings} ${warnings === 1 ? 'aviso' : 'avisos'}`,
    calls: (file, calls) => `escrito ${file}: ${calls} ${calls === 1 ? 'llamada' : 'llamadas'}`,
    messages: (file, messages) => `escrito ${file}: ${messages} ${messages === 1 ? 'mensaje' : 'mensajes'}`,
    streams: (file, streams) => `escrito ${file}: ${streams} ${streams === 1 ? 'flujo' : 'flujos'} RTP`,
    findingsExit: (findings, failOn) => `salida 1: ${findings} ${findings === 1 ? 'hallazgo' : 'hallazgos'} en o por encima de --fail-on ${failOn}`,
    checksExit: (failed, total, ids) => `salida 1: ${failed} de ${total} ${total === 1 ? 'comprobación falló' : 'comprobaciones fallaron'} (${ids})`,
    listOverLimit: (calls, max) =>
      `siplens: ${calls} ${calls === 1 ? 'llamada seleccionada no listada' : 'llamadas seleccionadas no listadas'}: una lista filtrada tiene como mucho ${max} mensajes; acote los filtros (--call-id, --since, --until...)`,
  },
};

export const CLI_WORDS = defineWords('cli', { en, es });

export type CommandName = keyof typeof en.commands;
export type OptionName = keyof typeof en.options;
export type ExampleName = keyof typeof en.examples;
export type OptionGroup = keyof typeof en.groups;

/** An option as help shows it: the table's entry with the command's own choices and default. */
export interface HelpOption {
  readonly name: OptionName;
  readonly short?: string;
  readonly type: 'string' | 'number' | 'boolean';
  readonly value?: string;
  readonly choices?: readonly string[];
  readonly multiple?: boolean;
  readonly default?: string | number | boolean;
  readonly group: OptionGroup;
}

export interface HelpCommand {
  readonly name: CommandName;
  readonly operands?: 'files' | 'topics' | 'source';
  readonly options: readonly HelpOption[];
  readonly examples: readonly (readonly [ExampleName, string])[];
}

const OPERAND = { files: '<files..>', topics: '<topics..>', source: '[source]' } as const;

function flags(o: HelpOption): string {
  const long = o.type === 'boolean' && (o.name === 'color' || o.name === 'media') ? `--${o.name}, --no-${o.name}` : `--${o.name}`;
  const value = o.type === 'boolean' ? '' : ` ${o.value ?? (o.choices ? o.name.toUpperCase() : 'VALUE')}`;
  return `${o.short ? `-${o.short}, ` : ''}${long}${value}`;
}

function optionText(o: HelpOption, lang: Lang): string {
  const w = CLI_WORDS[lang];
  const notes = [
    o.choices ? w.help.oneOf(orList(o.choices, lang)) : '',
    o.multiple ? w.help.repeatable : '',
    o.default !== undefined && o.type !== 'boolean' ? w.help.defaultIs(String(o.default)) : '',
  ].filter(Boolean);
  return `${w.options[o.name]}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** Rows of "term   description", the description wrapped under itself; on a narrow terminal, under the term. */
function table(rows: readonly (readonly [string, string])[], width: number): string[] {
  const termWidth = Math.min(Math.max(...rows.map(([t]) => visibleWidth(t))), 30);
  const column = 2 + termWidth + 2;
  const lines: string[] = [];
  for (const [term, text] of rows) {
    if (width - column < 30 || visibleWidth(term) > termWidth) {
      lines.push(`  ${term}`);
      lines.push(...wrapLine(`      ${text}`, width, 6));
    } else {
      lines.push(...wrapLine(`  ${term.padEnd(termWidth)}  ${text}`, width, column));
    }
  }
  return lines;
}

function examples(list: readonly (readonly [ExampleName, string])[], lang: Lang, width: number): string[] {
  const w = CLI_WORDS[lang];
  return list.flatMap(([name, line]) => [`  ${line}`, ...wrapLine(`      ${w.examples[name]}`, width, 6)]);
}

/**
 * `siplens --help` (full) or bare `siplens` (short): what siplens does, the commands, the
 * general options (full only) and a few examples.
 */
export function renderMainHelp(commands: readonly HelpCommand[], general: readonly HelpOption[], main: readonly (readonly [ExampleName, string])[], options: { lang: Lang; width: number; version: string; full: boolean }): string {
  const { lang, width } = options;
  const w = CLI_WORDS[lang];
  const lines = [
    ...wrapLine(`siplens ${options.version}: ${w.help.tagline}`, width, 2),
    '',
    `${w.help.usage}: siplens [${w.help.command}] ${OPERAND.files} [${w.help.options}]`,
    '',
    `${w.help.commands}:`,
    ...table(
      commands.map((c) => [`${c.name}${c.operands ? ` ${OPERAND[c.operands]}` : ''}`, w.commands[c.name]]),
      width,
    ),
  ];
  if (options.full) lines.push('', `${w.groups.general}:`, ...table(general.map((o) => [flags(o), optionText(o, lang)]), width));
  lines.push('', `${w.help.examples}:`, ...examples(main, lang, width), '');
  if (options.full) lines.push(...wrapLine(w.help.exitCodes, width, 2));
  lines.push(...wrapLine(w.help.more, width, 2));
  return lines.join('\n') + '\n';
}

/** `siplens COMMAND --help`: its use, its operands, its options by group, its examples. */
export function renderCommandHelp(command: HelpCommand, options: { lang: Lang; width: number }): string {
  const { lang, width } = options;
  const w = CLI_WORDS[lang];
  const lines = [
    `${w.help.usage}: siplens ${command.name}${command.operands ? ` ${OPERAND[command.operands]}` : ''} [${w.help.options}]`,
    '',
    ...wrapLine(w.commands[command.name], width, 2),
  ];
  if (command.operands) lines.push('', ...table([[OPERAND[command.operands], w.operands[command.operands]]], width));
  for (const group of Object.keys(w.groups) as OptionGroup[]) {
    const shown = command.options.filter((o) => o.group === group);
    if (shown.length === 0) continue;
    lines.push('', ...wrapLine(`${w.groups[group]}:`, width, 2), ...table(shown.map((o) => [flags(o), optionText(o, lang)]), width));
  }
  lines.push('', `${w.help.examples}:`, ...examples(command.examples, lang, width));
  return lines.join('\n') + '\n';
}

/** docs/cli.md: every command with its options and examples, in English, from the same table as the help. */
export function renderCliMarkdown(commands: readonly HelpCommand[]): string {
  const w = CLI_WORDS.en;
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const out = [
    '# Command line',
    '',
    '<!-- Generated from src/cli/table.ts and src/present/help.ts by test/cli-help.test.ts: edit those, then run `npx vitest run test/cli-help.test.ts -u`. -->',
    '',
    `siplens ${w.help.tagline}`,
    '',
    '```',
    `siplens [command] ${OPERAND.files} [options]`,
    '```',
    '',
    w.help.exitCodes,
    '',
    '| command | what it does |',
    '|---|---|',
    ...commands.map((c) => `| [\`${c.name}\`](#${c.name}) | ${cell(w.commands[c.name])} |`),
  ];
  for (const c of commands) {
    out.push('', `## ${c.name}`, '', '```', `siplens ${c.name}${c.operands ? ` ${OPERAND[c.operands]}` : ''} [options]`, '```', '', w.commands[c.name] + '.');
    if (c.operands) out.push('', `\`${OPERAND[c.operands]}\`: ${w.operands[c.operands]}.`);
    for (const group of Object.keys(w.groups) as OptionGroup[]) {
      const shown = c.options.filter((o) => o.group === group);
      if (shown.length === 0) continue;
      out.push('', `**${w.groups[group]}**`, '', '| option | meaning |', '|---|---|', ...shown.map((o) => `| \`${cell(flags(o))}\` | ${cell(optionText(o, 'en'))} |`));
    }
    out.push('', '```sh', ...c.examples.map(([name, line]) => `${line}   # ${w.examples[name]}`), '```');
  }
  return out.join('\n') + '\n';
}
