import type { ResponseCodeTranslation } from '../types.js';

/** 1xx en español: respuestas provisionales. */
export const PROVISIONAL_CODES_ES: readonly ResponseCodeTranslation[] = [
  {
    code: 100,
    gloss: 'Intentando',
    summary: 'el siguiente salto recibió la petición y la está procesando',
    meaning:
      'Es un acuse de recibo salto a salto: el siguiente elemento SIP (proxy, SBC, PBX) se ha hecho cargo del INVITE, así que el emisor puede dejar de retransmitirlo. No dice nada del destinatario, y un proxy con estado no reenvía hacia atrás los 100 que recibe, sino que envía el suyo propio.',
    whenSeen:
      'A los pocos milisegundos de casi cualquier INVITE, enviado por el primer proxy, SBC o PBX del camino: una transacción servidora de INVITE lo envía salvo que sepa que otra respuesta saldrá en menos de 200 ms. Es raro en peticiones que no son INVITE, de las que se espera una respuesta final rápida.',
    fix:
      'No hace falta corregir nada: es la primera respuesta normal a un INVITE. Si la traza se queda en el 100 durante muchos segundos, el salto que lo envió aceptó la llamada pero su propia pata saliente está atascada: mira el INVITE que ese elemento envía a continuación (resolución DNS/SRV del destino, un gateway caído, un firewall que lo descarta). Si el llamante sigue retransmitiendo el INVITE aunque se envió un 100, ese 100 no le llega: revisa el encabezado Via superior (sent-by, rport) y el NAT intermedio.',
    confusedWith: [
      {
        code: 180,
        difference:
          'El 100 lo genera el siguiente salto y solo prueba que ese salto tiene la petición; el 180 lo genera el propio dispositivo llamado y viaja de extremo a extremo: significa que se está avisando a alguien.',
      },
      {
        code: 183,
        difference:
          'El 100 nunca lleva SDP ni crea un diálogo temprano; el 183 viene del extremo remoto (o de un gateway que habla por él), normalmente con SDP para que pueda fluir early media.',
      },
    ],
  },
  {
    code: 180,
    gloss: 'Sonando',
    summary: 'el dispositivo llamado está avisando a su usuario; el llamante debería oír tono de llamada',
    meaning:
      'El agente de usuario que recibió el INVITE está avisando a su usuario. La respuesta es de extremo a extremo, suele llevar etiqueta en el To y por tanto crea un diálogo temprano; si no lleva SDP, se espera que el llamante genere localmente el tono de llamada.',
    whenSeen:
      'En cuanto un teléfono empieza a sonar. Con forking en paralelo verás un 180 por cada dispositivo que suena, cada uno con su propia etiqueta To. Los gateways a la RTC lo envían cuando la red informa de que el destino está sonando, a veces con SDP.',
    fix:
      'No hace falta corregir nada: la llamada está sonando. Si el llamante oye silencio tras el 180, probablemente el 180 llevaba SDP y el llamante espera un early media que nunca llega (o al revés): comprueba si el 180 tiene cuerpo y la configuración de tono de llamada y early media del llamante. Si el 180 lleva Require: 100rel, el llamante debe responderlo con PRACK; si no, el destinatario lo retransmite y puede cortar la llamada.',
    confusedWith: [
      {
        code: 183,
        difference:
          'El 180 indica que se está avisando al usuario y normalmente el llamante reproduce su propio tono de llamada; el 183 informa de otro tipo de progreso y suele traer SDP para que la red reproduzca tonos o locuciones como early media.',
      },
      {
        code: 100,
        difference:
          'El 180 viene del dispositivo llamado y prueba que se llegó hasta él; el 100 solo prueba que el siguiente salto recibió la petición.',
      },
    ],
  },
  {
    code: 181,
    gloss: 'La llamada se está desviando',
    summary: 'un servidor está desviando la llamada hacia otro destino',
    meaning:
      'Es informativa: un proxy o el agente de usuario llamado está enviando la llamada a otro destino (desvío de llamadas). La llamada sigue adelante y no se le pide nada al llamante.',
    whenSeen:
      'En desvíos de llamada (incondicional, por ocupado o por no respuesta) en PBX y servidores de servicios, a menudo junto a un encabezado Diversion o History-Info que indica el destino original. Muchos sistemas desvían sin enviarlo nunca.',
    fix:
      'No hace falta corregir nada: la llamada se está desviando. Si acaba en un destino inesperado, lee los encabezados Diversion / History-Info del INVITE desviado y revisa las reglas de desvío del usuario llamado; un desvío que apunta a sí mismo aparece más adelante como 482 o 483.',
    confusedWith: [
      {
        code: 302,
        difference:
          'El 181 indica que el propio servidor desvía la llamada y la transacción continúa; el 302 es una respuesta final que le dice al llamante que envíe él mismo una nueva petición a la dirección de Contact.',
      },
      {
        code: 180,
        difference:
          'El 181 solo informa de que hay un desvío en curso; el 180 significa que un dispositivo está realmente avisando a su usuario.',
      },
    ],
  },
  {
    code: 182,
    gloss: 'En cola',
    summary: 'el destinatario está ocupado o no disponible y la llamada espera en una cola',
    meaning:
      'El destinatario no puede atender la llamada ahora, pero el servidor la retiene en una cola en lugar de rechazarla; la respuesta final llega cuando se atiende o cuando se desiste. Puede repetirse, y la frase de estado puede incluir detalles de la cola.',
    whenSeen:
      'Colas de centros de llamadas, ACD y grupos de salto cuando todos los agentes están ocupados. Es poco habitual: muchos sistemas de colas responden con 200 y ponen música.',
    fix:
      'No hace falta corregir nada mientras la espera sea aceptable. Si las llamadas en cola terminan en 408 o 487, el llamante o un temporizador de un proxy (el temporizador de INVITE del proxy, Timer C, supera los tres minutos) se rindió antes: revisa la capacidad de la cola y la disponibilidad de agentes, o anuncia un destino de desbordamiento.',
    confusedWith: [
      {
        code: 486,
        difference:
          'El 486 rechaza la llamada porque el destinatario está ocupado; el 182 mantiene la llamada pendiente y la respuesta final llega más tarde.',
      },
      {
        code: 180,
        difference:
          'El 180 significa que un dispositivo está sonando ya; el 182 significa que la llamada espera antes de que suene ningún dispositivo.',
      },
    ],
  },
  {
    code: 183,
    gloss: 'Progreso de la sesión',
    summary: 'progreso del establecimiento, casi siempre con SDP para early media (tonos, locuciones)',
    meaning:
      'Es un informe genérico de progreso de una llamada que aún se está estableciendo. En la práctica casi siempre lleva una respuesta SDP para que el llamante oiga early media (tono de llamada remoto, locuciones, menús de IVR) antes de que se conteste la llamada.',
    whenSeen:
      'Desde gateways a la RTC y operadores cuando la red tiene tonos o locuciones en banda, desde SBC y PBX que reproducen el tono de llamada, antes de locuciones del tipo «número fuera de servicio» que terminan en un 4xx/5xx, y en IMS/VoLTE, donde el 183 con precondiciones dirige el establecimiento de la QoS (normalmente con 100rel/PRACK).',
    fix:
      'No hace falta corregir nada en sí. Si falta el audio temprano o solo se oye en un sentido, revisa la dirección de conexión del SDP (una IP privada detrás de NAT), los pinholes del firewall para RTP, el acuerdo de códecs y si el dispositivo del llamante tiene permitido reproducir early media. Si el 183 lleva Require: 100rel, el llamante debe enviar PRACK.',
    confusedWith: [
      {
        code: 180,
        difference:
          'El 183 informa de progreso y suele traer early media desde la red; el 180 significa específicamente que se está avisando a un usuario, y se espera tono de llamada local cuando no lleva SDP.',
      },
      {
        code: 199,
        difference:
          'El 183 abre o actualiza un diálogo temprano; el 199 anuncia que un diálogo temprano ha terminado.',
      },
    ],
  },
  {
    code: 199,
    gloss: 'Diálogo temprano terminado',
    summary: 'un diálogo temprano (una rama del forking) terminó antes de la respuesta final',
    meaning:
      'Un proxy que hace forking, o el UAS, avisa hacia atrás de que el diálogo temprano con esta etiqueta To ha desaparecido, antes de que el INVITE reciba su respuesta final. El llamante puede liberar los recursos de medios ligados a esa rama; la transacción INVITE sigue adelante.',
    whenSeen:
      'Sobre todo en IMS/VoLTE con forking en paralelo, cuando un dispositivo rechaza (con 486 o 603, por ejemplo) mientras otros siguen sonando, y solo si el llamante anunció Supported: 199.',
    fix:
      'No hace falta corregir nada. Si el llamante sigue reproduciendo early media de la rama muerta, comprueba que envía Supported: 199 y que actúa al recibir esta respuesta; recuerda que la llamada sigue en curso hasta que llega una respuesta final.',
    confusedWith: [
      {
        code: 487,
        difference:
          'El 487 es una respuesta final que termina todo el INVITE; el 199 es provisional y solo cierra un diálogo temprano mientras las demás ramas continúan.',
      },
      {
        code: 183,
        difference:
          'El 183 informa de progreso en un diálogo temprano vivo; el 199 informa de que un diálogo temprano ha terminado.',
      },
    ],
  },
];
