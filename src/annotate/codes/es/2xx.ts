import type { ResponseCodeTranslation } from '../types.js';

/** 2xx en español: éxito. */
export const SUCCESS_CODES_ES: readonly ResponseCodeTranslation[] = [
  {
    code: 200,
    gloss: 'Correcto',
    summary: 'la petición tuvo éxito; en un INVITE, la llamada se contestó y hay que enviar ACK',
    meaning:
      'La petición funcionó. En un INVITE significa que el destinatario contestó: el diálogo queda confirmado, la respuesta SDP (o la oferta) va en el cuerpo y el llamante debe confirmarla con un ACK de extremo a extremo. En un REGISTER confirma los registros listados en Contact con la expiración concedida; en un BYE, la llamada ha terminado.',
    whenSeen:
      'En todas partes. Merece atención cuando el 200 a un INVITE se retransmite una y otra vez: el destinatario no recibe el ACK y normalmente colgará con un BYE a los 32 segundos, más o menos.',
    fix:
      'No hace falta corregir nada. Si el 200 del INVITE se sigue retransmitiendo, el ACK se pierde: revisa el Contact del 200 (una dirección privada detrás de NAT), el conjunto de Record-Route, cualquier SIP ALG que reescriba mensajes y el firewall en el camino del ACK. En un REGISTER, compara el Expires concedido en el 200 con el que pidió el cliente.',
    confusedWith: [
      {
        code: 202,
        difference:
          'El 200 significa que la petición está completada; el 202 (hoy obsoleto) significaba que se aceptó y que el resultado real se comunicaría después, por ejemplo con NOTIFY tras un REFER.',
      },
      {
        code: 204,
        difference:
          'El 204 también indica éxito, pero en el refresco de un SUBSCRIBE añade que no llegará ningún NOTIFY porque el estado no ha cambiado; a un 200 a un SUBSCRIBE le sigue un NOTIFY.',
      },
    ],
  },
  {
    code: 202,
    gloss: 'Aceptada',
    summary: 'aceptada para procesarla; el resultado llega después (obsoleto: trátalo como 200)',
    meaning:
      'La petición se entendió y se va a atender, pero todavía no se conoce su resultado. Se usaba con REFER y SUBSCRIBE, cuyos resultados llegan por NOTIFY; el RFC 6665 lo declaró obsoleto (IANA lo lista como «Accepted (Deprecated)»): los emisores usan ahora 200, y los receptores tratan un 202 exactamente igual que un 200.',
    whenSeen:
      'En transferencias de llamada: quien recibe el REFER responde 202 y después informa del progreso en peticiones NOTIFY con cuerpo message/sipfrag («SIP/2.0 100 Trying», «SIP/2.0 200 OK»). También en implementaciones antiguas de SUBSCRIBE (BLF, indicación de buzón de voz).',
    fix:
      'No hace falta corregir nada; trátalo como un 200. Si una transferencia falla después del 202, el resultado real está en el cuerpo sipfrag de los NOTIFY siguientes (por ejemplo «SIP/2.0 603 Decline» o «SIP/2.0 404 Not Found» del destino de la transferencia): sigue esa pata.',
    rfc: 'RFC 6665 (donde se declaró obsoleto; definido en el RFC 3265 y usado por REFER, RFC 3515)',
    confusedWith: [
      {
        code: 200,
        difference:
          'El 202 solo dice que la petición se aceptó y que el resultado llegará después; el 200 dice que la acción está completada. Desde el RFC 6665 ambos se tratan igual.',
      },
      {
        code: 204,
        difference:
          'El 202 promete un informe posterior (NOTIFY); el 204 dice expresamente que no se enviará ningún NOTIFY porque nada ha cambiado.',
      },
    ],
  },
  {
    code: 204,
    gloss: 'Sin notificación',
    summary: 'la suscripción funcionó, pero no llegará NOTIFY porque nada ha cambiado',
    meaning:
      'Es la notificación condicional de eventos: el refresco de un SUBSCRIBE llevaba el entity-tag del estado que el suscriptor ya tiene (Suppress-If-Match) y el estado no ha cambiado, así que el notificador confirma la suscripción y omite el NOTIFY.',
    whenSeen:
      'Suscripciones de presencia, de diálogo (BLF) y de eventos de registro (reg) hacia servidores que admiten entity-tags, normalmente servidores IMS o de presencia, en SUBSCRIBE de refresco que llevan Suppress-If-Match.',
    fix:
      'No hace falta corregir nada: la suscripción se refrescó. Un suscriptor que haya perdido su copia del estado (tras un reinicio, por ejemplo) debe volver a suscribirse sin Suppress-If-Match para recibir un NOTIFY completo.',
    confusedWith: [
      {
        code: 200,
        difference:
          'A un 200 a un SUBSCRIBE le sigue un NOTIFY con el estado actual; el 204 confirma la suscripción y, a propósito, no envía ninguno.',
      },
      {
        code: 412,
        difference:
          'El 204 responde a un SUBSCRIBE cuyo entity-tag sigue coincidiendo; el 412 responde a un PUBLISH cuyo entity-tag ya no coincide con ninguna publicación.',
      },
    ],
  },
];
