import type { ResponseClass, ResponseClassTranslation } from '../types.js';

/** Las seis clases de respuesta en español. */
export const RESPONSE_CLASSES_ES: Readonly<Record<ResponseClass, ResponseClassTranslation>> = {
  provisional: {
    class: 'provisional',
    title: 'Provisional',
    description:
      'La petición llegó y se está procesando; todavía falta una respuesta final. Las respuestas provisionales nunca terminan una transacción y no se confirman (salvo que se envíen de forma fiable con 100rel, en cuyo caso las confirma un PRACK). Salvo el 100, que solo concierne al siguiente salto, viajan de extremo a extremo y pueden crear diálogos tempranos, a menudo con SDP para early media.',
  },
  success: {
    class: 'success',
    title: 'Éxito',
    description:
      'La petición se llevó a cabo. Un 2xx a un INVITE confirma el diálogo y se confirma de extremo a extremo con un ACK; un INVITE con forking puede recibir varios, uno por cada dispositivo que contestó.',
  },
  redirection: {
    class: 'redirection',
    title: 'Redirección',
    description:
      'La petición debe enviarse de nuevo a otro sitio, normalmente a la(s) dirección(es) de Contact de la respuesta. El cliente, o un proxy que actúa en su nombre, hace la nueva petición; el servidor que redirigió no reintenta nada por su cuenta.',
  },
  'client-failure': {
    class: 'client-failure',
    title: 'Fallo del cliente',
    description:
      'Este servidor no atenderá la petición tal como está: está mal formada, le faltan credenciales o una extensión necesaria, indica un destino desconocido o no disponible, o no está permitida. Una petición modificada, u otra ubicación, aún puede tener éxito, así que un proxy que hace forking sigue probando sus demás ramas.',
  },
  'server-failure': {
    class: 'server-failure',
    title: 'Fallo del servidor',
    description:
      'El servidor no pudo atender una petición que parecía válida: el fallo está del lado del servidor (sobrecarga, error interno, un fallo más adelante en el camino). La misma petición puede funcionar en otro servidor, como el siguiente destino DNS SRV o una ruta alternativa.',
  },
  'global-failure': {
    class: 'global-failure',
    title: 'Fallo global',
    description:
      'La petición fallará se envíe adonde se envíe: el destinatario (o un servicio que actúa en su nombre) dio una respuesta definitiva. Un proxy que recibe un 6xx deja de hacer forking y cancela sus demás ramas, y el llamante no debe reintentar en otro sitio.',
  },
};

/**
 * How a class reads inside a generated sentence ("una respuesta provisional", "respuestas de
 * fallo del cliente"), since Spanish puts "de" before some class names and not others.
 */
export const CLASS_PHRASE_ES: Readonly<Record<ResponseClass, { readonly one: string; readonly many: string }>> = {
  provisional: { one: 'una respuesta provisional', many: 'respuestas provisionales' },
  success: { one: 'una respuesta de éxito', many: 'respuestas de éxito' },
  redirection: { one: 'una respuesta de redirección', many: 'respuestas de redirección' },
  'client-failure': { one: 'una respuesta de fallo del cliente', many: 'respuestas de fallo del cliente' },
  'server-failure': { one: 'una respuesta de fallo del servidor', many: 'respuestas de fallo del servidor' },
  'global-failure': { one: 'una respuesta de fallo global', many: 'respuestas de fallo global' },
};
