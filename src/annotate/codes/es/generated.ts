import { describeCode, type GeneratedTexts } from '../generated.js';
import { CLASS_PHRASE_ES } from './classes.js';

/** Las frases que el código genera en tiempo de ejecución, en español. */
export const GENERATED_ES: GeneratedTexts = {
  unregisteredNotes: new Map([
    [409, 'El RFC 2543, la primera especificación de SIP, definía el 409 «Conflict»; el RFC 3261 lo eliminó.'],
    [411, 'El RFC 2543, la primera especificación de SIP, definía el 411 «Length Required»; el RFC 3261 lo eliminó.'],
    [
      478,
      'No es estándar: los proxies de la familia SER (Kamailio, OpenSIPS) envían 478 «Unresolvable destination» cuando no pueden resolver por DNS el siguiente salto.',
    ],
  ]),
  classSummary: {
    provisional: 'la petición sigue en curso',
    success: 'la petición tuvo éxito',
    redirection: 'reintentar en otro sitio (ver Contact)',
    'client-failure': 'la petición falló por causa del cliente',
    'server-failure': 'el servidor no pudo atender la petición',
    'global-failure': 'la petición fallará en cualquier destino',
  },
  fallbackGloss: (digit) => `${digit}xx desconocido`,
  fallbackSummary: (digit, cls, treatedAs) =>
    `código ${digit}xx no registrado: ${GENERATED_ES.classSummary[cls]} (se trata como ${treatedAs.code})`,
  notRegistered: (code) => `El ${code} no figura en el registro de códigos de respuesta SIP de IANA.`,
  provisionalHandling: (treatedAs) =>
    `Los elementos SIP tratan una respuesta provisional desconocida (distinta del 100) como un 183 (${treatedAs.reason}).`,
  finalHandling: (treatedAs) =>
    `Los elementos SIP tratan una respuesta final desconocida como el x00 de su clase, aquí el ${treatedAs.code} (${treatedAs.reason}).`,
  fallbackWhenSeen:
    'Códigos propios inventados por un fabricante, códigos heredados del obsoleto RFC 2543, o simples errores de programación. La frase de estado, y cualquier encabezado Warning o Reason, suele ser la única explicación que da el emisor.',
  fallbackFix: (normal, treatedAs) =>
    (normal ? 'No hace falta corregir nada en la llamada: los equipos' : 'Los equipos') +
    ` estándar reaccionarán exactamente igual que ante un ${treatedAs.code}. Lee la frase de estado y cualquier encabezado Warning o Reason, y consulta la documentación del producto que lo envía para saber qué significa. Si lo envía tu propio equipo, configúralo para que use un código registrado.`,
  fallbackDifference: (code, treatedAs) =>
    `El ${code} no está registrado, así que los elementos SIP lo tratan exactamente igual que un ${treatedAs.code} (${treatedAs.reason}); solo la frase de estado del emisor o su documentación pueden decir qué quería decir más allá de eso.`,
  sameCode: (a) => `Es el mismo código, ${describeCode(a)}: ${a.summary}.`,
  sameClass: (cls, details) => `Ambos códigos son ${CLASS_PHRASE_ES[cls.class].many} (${cls.range}). ${details}`,
  finality: (prov, fin) =>
    ` El ${prov.code} no es final y le seguirán más respuestas; el ${fin.code} termina la transacción.`,
  differentClasses: (a, ca, b, cb, finality, details) =>
    `El ${describeCode(a)} es ${CLASS_PHRASE_ES[ca.class].one} (${ca.range}), mientras que el ${describeCode(b)} es ` +
    `${CLASS_PHRASE_ES[cb.class].one} (${cb.range}).${finality} ${details}`,
};
