import type { ResponseCodeTranslation } from '../types.js';

/** 6xx en español: fallo global. */
export const GLOBAL_FAILURE_CODES_ES: readonly ResponseCodeTranslation[] = [
  {
    code: 600,
    gloss: 'Ocupado en todas partes',
    summary: 'el destinatario está ocupado y ninguna otra ubicación (equipos, buzón) atenderá',
    meaning:
      'Se llegó al sistema final del destinatario y está ocupado, y sabe que ningún otro destino (otros dispositivos, el buzón de voz) aceptará la llamada, así que los proxies deben dejar de intentarlo. Puede incluir Retry-After.',
    whenSeen:
      'Rara vez: algunas PBX en la nube cuando todos los dispositivos del usuario están ocupados y no hay buzón de voz, y algunos operadores o funciones de no molestar.',
    fix:
      'No hay nada que corregir en la red: el usuario está ocupado; vuelve a intentarlo más tarde. Si el buzón de voz debería haber atendido la llamada, el lado del destinatario debería indicar ocupado con un 486 (que permite que la llamada pase a otros destinos) en lugar de un 600.',
    confusedWith: [
      {
        code: 486,
        difference:
          'El 486 dice que este dispositivo está ocupado y que otras ubicaciones aún pueden contestar; el 600 dice que todas las ubicaciones están ocupadas y que el forking debe parar.',
      },
      {
        code: 603,
        difference:
          'El 603 es un rechazo deliberado; el 600 informa de que el destinatario está ocupado.',
      },
    ],
  },
  {
    code: 603,
    gloss: 'Declinada',
    summary: 'el destinatario rechazó la llamada y no debe probarse ninguna otra ubicación',
    meaning:
      'Se llegó al dispositivo del destinatario, pero el usuario no quiere (o no puede) participar, y no debe probarse ninguna otra ubicación. Retry-After puede sugerir un momento mejor.',
    whenSeen:
      'Usuarios que pulsan rechazar en teléfonos y aplicaciones móviles (algunos envían 486 en su lugar), filtrado de llamadas, no molestar configurado para rechazar, y bloqueos del operador a ciertos destinos o llamantes.',
    fix:
      'Normalmente es decisión del destinatario; no hay nada que corregir. Si es inesperado, comprueba si el dispositivo del destinatario rechaza automáticamente (no molestar asociado a 603), las listas de bloqueo y los bloqueos antifraude o contra llamadas automáticas (robocalls) del operador contra el número llamante.',
    confusedWith: [
      {
        code: 486,
        difference:
          'El 486 indica un dispositivo ocupado, y otras ubicaciones aún pueden contestar; el 603 es un rechazo explícito que termina la búsqueda.',
      },
      {
        code: 403,
        difference:
          'El 403 es una decisión de política de un servidor concreto; el 603 es el destinatario (o su dispositivo) rechazando, válido para cualquier ubicación.',
      },
      {
        code: 607,
        difference:
          'El 607 además marca al llamante como no deseado (spam), lo que puede alimentar los servicios de análisis de llamadas; el 603 solo rechaza esta llamada.',
      },
    ],
  },
  {
    code: 604,
    gloss: 'No existe en ninguna parte',
    summary: 'respuesta autoritativa: el usuario llamado no existe en ninguna parte',
    meaning:
      'El servidor tiene información autoritativa de que el usuario indicado en la Request-URI no existe en ninguna parte, así que es inútil probar otros servidores.',
    whenSeen:
      'Poco habitual: algunos operadores y bases de datos de consulta de números o de enrutamiento para números no asignados o inválidos (muchos envían 404 en el mismo caso).',
    fix:
      'Revisa el propio número o dirección (formato, erratas, código de país); si es correcto, el número no está en servicio: actualiza los datos del contacto o de enrutamiento.',
    confusedWith: [
      {
        code: 404,
        difference:
          'El 404 solo abarca el dominio del que es responsable este servidor; el 604 afirma que el usuario no existe en ninguna parte.',
      },
      {
        code: 410,
        difference:
          'El 410 dice que el usuario existió aquí y se fue; el 604 dice que el usuario no existe en ninguna parte.',
      },
    ],
  },
  {
    code: 606,
    gloss: 'No aceptable',
    summary: 'la sesión propuesta no es aceptable en ninguna parte (medios, ancho de banda, direcciones)',
    meaning:
      'Se llegó al agente del destinatario, pero alguna parte de la descripción de sesión (tipo de medio, ancho de banda, direccionamiento) no es aceptable, y esto vale para cualquier ubicación. Un encabezado Warning puede explicarlo.',
    whenSeen:
      'Extremos que rechazan vídeo o códecs no admitidos con un 606 en lugar de un 488; raro en comparación con el 488.',
    fix:
      'Trátalo como un 488: lee el encabezado Warning y el SDP, ofrece un códec y unos medios que el destinatario admita, y elimina en el SBC las líneas de medios no admitidas (vídeo, por ejemplo).',
    confusedWith: [
      {
        code: 488,
        difference:
          'El 488 solo afecta a este dispositivo, así que otras ramas pueden aceptar la oferta; el 606 dice que ninguna ubicación lo hará.',
      },
      {
        code: 406,
        difference:
          'El 406 trata de los tipos de contenido de los cuerpos de respuesta; el 606 trata de la sesión descrita en el SDP.',
      },
    ],
  },
  {
    code: 607,
    gloss: 'No deseada',
    summary: 'el llamado marcó esta llamada como no deseada (spam o robocall)',
    meaning:
      'El llamado no quiere esta llamada y marca al llamante como no deseado; las redes y los servicios de análisis de llamadas pueden usar esa señal, y es probable que las siguientes llamadas del mismo origen también se rechacen.',
    whenSeen:
      'Usuarios que pulsan un botón de «bloquear» o «denunciar spam» en dispositivos o aplicaciones del operador; servicios de filtrado de spam que actúan en nombre del usuario.',
    fix:
      'Si eres el llamante y el tráfico es legítimo: revisa la reputación de tus números llamantes con los proveedores de análisis, firma las llamadas con STIR/SHAKEN con atestación completa y contacta con el operador de terminación. No te limites a reintentar.',
    confusedWith: [
      {
        code: 603,
        difference:
          'El 603 rechaza esta llamada; el 607 dice además que el llamante no es deseado, lo que puede usarse para bloquear llamadas futuras.',
      },
      {
        code: 608,
        difference:
          'El 607 es decisión del usuario llamado; el 608 es decisión de un intermediario de la red (como un motor de análisis).',
      },
    ],
  },
  {
    code: 608,
    gloss: 'Rechazada',
    summary: 'un intermediario (como un motor de análisis) rechazó la llamada, no el usuario',
    meaning:
      'Un intermediario, no el usuario llamado, rechazó la llamada, normalmente un filtro automático de análisis de llamadas o de llamadas automáticas (robocalls). La respuesta puede llevar un encabezado Call-Info con un contacto para los llamantes que crean haber sido bloqueados por error.',
    whenSeen:
      'Bloqueo de robocalls y de fraude a nivel de operador, servicios empresariales de filtrado de llamadas.',
    fix:
      'Como llamante, busca en el 608 el Call-Info y úsalo para pedir que se levante el bloqueo; revisa la reputación de tus números, la atestación STIR/SHAKEN y tus patrones de llamada (tasas de llamadas muy altas, llamadas muy cortas).',
    confusedWith: [
      {
        code: 607,
        difference:
          'El 607 viene del llamado; el 608 viene de una máquina o servicio de la red.',
      },
      {
        code: 603,
        difference:
          'El 603 es el destinatario rechazando; el 608 es un intermediario que rechaza la llamada antes de que intervenga el destinatario.',
      },
      {
        code: 403,
        difference:
          'El 403 es un rechazo por política de un servidor, que otras rutas podrían no compartir; el 608 es un rechazo global pensado para detener los reintentos en todas partes.',
      },
    ],
  },
];
