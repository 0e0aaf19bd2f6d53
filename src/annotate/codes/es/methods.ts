/** Notas de métodos y de respuestas en contexto, en español (las claves son las mismas que en inglés). */
export const METHOD_NOTES_ES: Readonly<Record<string, string>> = {
  INVITE: 'pide al destinatario que se una a una sesión (inicia una llamada)',
  ACK: 'confirma la respuesta final a un INVITE',
  BYE: 'termina la llamada',
  CANCEL: 'el llamante desiste de un INVITE pendiente',
  REGISTER: 'asocia una dirección de contacto a una dirección de registro (AOR)',
  OPTIONS: 'consulta capacidades; a menudo es un ping de keep-alive',
  PRACK: 'confirma una respuesta provisional fiable (RFC 3262)',
  UPDATE: 'cambia parámetros de la sesión antes o durante una llamada (RFC 3311)',
  INFO: 'transporta datos de aplicación dentro de un diálogo, a menudo DTMF (RFC 6086)',
  SUBSCRIBE: 'pide que se le notifique un evento (RFC 6665)',
  NOTIFY: 'informa del estado de un evento suscrito (RFC 6665)',
  REFER: 'pide al receptor que contacte con un tercero, por ejemplo en una transferencia (RFC 3515)',
  MESSAGE: 'transporta un mensaje instantáneo (RFC 3428)',
  PUBLISH: 'publica el estado de un evento en un servidor de presencia (RFC 3903)',
};

export const UNKNOWN_METHOD_NOTE_ES = 'método de extensión (no definido en las especificaciones básicas de SIP)';

export const REINVITE_NOTE_ES = 're-INVITE: cambia la sesión de una llamada establecida (espera, reanudación, otro códec u otra dirección, fax T.38)';

export const RESPONSE_IN_CONTEXT_ES: Readonly<Record<string, string>> = {
  '200 INVITE': 'la llamada se contestó; el llamante debe confirmar este 200 con un ACK',
  '200 re-INVITE': 'se aceptó el cambio (el SDP de respuesta, si lo hay, va en este 200); quien lo pidió debe confirmar este 200 con un ACK',
  '488 re-INVITE': 'se rechazó la nueva sesión (un códec, la espera, el fax T.38); la llamada sigue como estaba (RFC 3261 §14.2)',
  '200 BYE': 'la llamada ha terminado',
  '200 CANCEL': 'se aceptó el CANCEL; el INVITE debería terminar con un 487, salvo que un 200 se haya cruzado con él',
  '200 REGISTER': 'se aceptó el registro (la asociación concedida está en Contact y Expires)',
  '200 OPTIONS': 'el destino está activo y respondió al ping',
  '202 REFER': 'se aceptó la petición de transferencia; los NOTIFY informarán de su progreso',
  '487 INVITE': 'el INVITE terminó porque el llamante lo canceló',
  '488 NOTIFY': 'se rechazó el cuerpo (su tipo o su contenido): no es una oferta SDP; revisa Content-Type y Accept',
  '415 NOTIFY': 'no se acepta el tipo de cuerpo (ver Accept): no tiene que ver con SDP',
  '488 SUBSCRIBE': 'se rechazó el cuerpo (su tipo o su contenido): no es una oferta SDP; revisa Content-Type y Accept',
  '415 SUBSCRIBE': 'no se acepta el tipo de cuerpo (ver Accept): no tiene que ver con SDP',
  '488 INFO': 'se rechazó el cuerpo (su tipo o su contenido): no es una oferta SDP; revisa Content-Type y Accept',
  '415 INFO': 'no se acepta el tipo de cuerpo (ver Accept): no tiene que ver con SDP',
  '488 MESSAGE': 'se rechazó el cuerpo (su tipo o su contenido): no es una oferta SDP; revisa Content-Type y Accept',
  '415 MESSAGE': 'no se acepta el tipo de cuerpo (ver Accept): no tiene que ver con SDP',
  '488 PUBLISH': 'se rechazó el cuerpo (su tipo o su contenido): no es una oferta SDP; revisa Content-Type y Accept',
  '415 PUBLISH': 'no se acepta el tipo de cuerpo (ver Accept): no tiene que ver con SDP',
  '489 SUBSCRIBE': 'no se admite el paquete de eventos del encabezado Event (ver Allow-Events)',
  '489 NOTIFY': 'no se admite el paquete de eventos del encabezado Event (ver Allow-Events)',
  '489 PUBLISH': 'no se admite el paquete de eventos del encabezado Event (ver Allow-Events)',
  '404 SUBSCRIBE': 'no hay estado de este paquete de eventos para el recurso (ni buzón ni fuente de presencia), no un usuario desconocido',
  '404 PUBLISH': 'no hay estado de este paquete de eventos para el recurso (ni buzón ni fuente de presencia), no un usuario desconocido',
  '501 SUBSCRIBE': 'el servidor no ofrece suscripciones ni presencia; las llamadas no se ven afectadas',
  '501 PUBLISH': 'el servidor no ofrece suscripciones ni presencia; las llamadas no se ven afectadas',
  '480 REGISTER': 'el registrador no pudo completar el registro (encaminamiento o DNS): lee el Warning',
};

/** Las notas de la línea de tiempo que no dependen de un método ni de un código. */
export const TIMELINE_NOTES_ES = {
  retransmission: (ref: string): string => `retransmisión de ${ref}`,
  duplicate: (ref: string): string => `el mismo paquete que ${ref}, capturado otra vez (no es una retransmisión)`,
  unreadableStatus: 'línea de estado ilegible',
  invalidStatus: 'no es un código de estado SIP válido',
} as const;
