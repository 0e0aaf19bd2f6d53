import type { ResponseCodeTranslation } from '../types.js';

/** 4xx en español: fallo del cliente. */
export const CLIENT_FAILURE_CODES_ES: readonly ResponseCodeTranslation[] = [
  {
    code: 400,
    gloss: 'Petición incorrecta',
    summary: 'la petición está mal formada o le falta algo que el servidor necesita',
    meaning:
      'El servidor no pudo analizar la petición o encontró su sintaxis inválida. La frase de estado suele nombrar el problema («Missing Call-ID», «Invalid Content-Length») y un encabezado Warning puede añadir detalles.',
    whenSeen:
      'Pilas SIP defectuosas o escritas a mano; routers domésticos con un SIP ALG que estropea encabezados o el SDP; mensajes UDP recortados por la fragmentación; un Content-Length que no coincide con el cuerpo; espacios sin escapar o caracteres no permitidos en las URI; encabezados obligatorios que faltan o están duplicados.',
    fix:
      'Lee primero la frase de estado y el encabezado Warning: suelen nombrar el campo culpable. Captura a ambos lados de cualquier router, ALG o SBC y compara lo que se envió con lo que llegó; desactiva el SIP ALG de los routers. Comprueba que To, From, Call-ID, CSeq, Max-Forwards y Via están presentes y bien formados, que las URI están escapadas y que el Content-Length coincide con el cuerpo.',
    confusedWith: [
      {
        code: 488,
        difference:
          'El 400 significa que el propio mensaje no se pudo analizar o es inválido; el 488 significa que se analizó bien pero la oferta SDP no es aceptable.',
      },
      {
        code: 415,
        difference:
          'El 415 rechaza el tipo, la codificación o el idioma de un cuerpo bien formado; el 400 rechaza una sintaxis rota.',
      },
      {
        code: 500,
        difference:
          'El 400 culpa a la petición; el 500 reconoce que el servidor falló con una petición que parecía válida.',
      },
    ],
  },
  {
    code: 401,
    gloss: 'No autorizado',
    summary: 'el UAS o el registrador pide credenciales: reenvía con un encabezado Authorization',
    meaning:
      'Es un desafío de autenticación de un registrador o de un agente de usuario (no de un proxy). WWW-Authenticate indica el realm y el nonce; el cliente reenvía la petición con un encabezado Authorization calculado a partir de sus credenciales.',
    whenSeen:
      'En el primer REGISTER a casi cualquier registrador, y en INVITE a PBX que desafían las llamadas. Un 401 seguido de un éxito es el intercambio normal. Un bucle de REGISTER → 401 → REGISTER con credenciales → 401 significa que las credenciales se rechazan; una avalancha de 401 hacia orígenes desconocidos suele ser un escáner que prueba contraseñas.',
    fix:
      'No hay nada que hacer ante un único desafío. Cuando las credenciales fallan una y otra vez: revisa el usuario de autenticación (a menudo distinto de la extensión o del usuario del From), la contraseña y el realm; un desafío con stale=true solo significa que el nonce caducó, así que basta con reintentar. Comprueba el algoritmo de digest que admiten ambos lados (MD5 frente a SHA-256), y que el cliente envía ACK a un 401 recibido en un INVITE y reintenta con un CSeq mayor. Bloquea los escáneres con una ACL o con fail2ban.',
    confusedWith: [
      {
        code: 407,
        difference:
          'El 401 viene del registrador o del UAS y usa WWW-Authenticate / Authorization; el 407 viene de un proxy y usa Proxy-Authenticate / Proxy-Authorization.',
      },
      {
        code: 403,
        difference:
          'El 401 invita al cliente a reintentar con credenciales; el 403 rechaza sin más y unas credenciales nuevas no cambiarán la respuesta.',
      },
    ],
  },
  {
    code: 402,
    gloss: 'Pago requerido',
    summary: 'código reservado; algunos proveedores lo usan para saldo prepago agotado',
    meaning:
      'Está registrado pero el RFC 3261 lo reserva para uso futuro, así que no tiene un significado estándar. Cuando aparece, casi siempre indica un problema de facturación de la cuenta.',
    whenSeen:
      'Algunos ITSP y plataformas de prepago o facturación, cuando se agota el saldo o se alcanza un límite de crédito.',
    fix:
      'Revisa con el proveedor el saldo y los límites de crédito de la cuenta, y que las llamadas salen por la troncal o la cuenta a la que esperas que se facturen. Los dispositivos que no conocen el código lo tratan como cualquier otro fallo 4xx.',
    confusedWith: [
      {
        code: 403,
        difference:
          'El 403 es el rechazo genérico por política (muchos proveedores también lo usan para «sin saldo»); el 402 es el código reservado que unos pocos usan específicamente para el pago.',
      },
      {
        code: 603,
        difference:
          'El 603 es el destinatario rechazando la llamada; el 402 es el propio proveedor del llamante rechazándola por motivos de facturación.',
      },
    ],
  },
  {
    code: 403,
    gloss: 'Prohibido',
    summary: 'el servidor entendió la petición y la rechaza; las credenciales no servirán',
    meaning:
      'El servidor entendió la petición y no la va a atender, por política. A diferencia del 401/407, volver a autenticarse no sirve. La frase de estado suele llevar la causa real.',
    whenSeen:
      'Muy común: registradores que rechazan una contraseña incorrecta tras el desafío (en lugar de otro 401); troncales cuya IP de origen no está en la lista de permitidas del proveedor; destinos internacionales o de tarificación especial no habilitados en la cuenta; un identificador de llamante (From o P-Asserted-Identity) que no pertenece a la cuenta; bloqueos antifraude; cuentas desactivadas; llamar antes de registrarse; verificadores STIR que rechazan una firma con «Stale Date».',
    fix:
      'Empieza por la frase de estado y por cualquier encabezado Warning. Después comprueba: que el proveedor permite la IP de origen; el usuario de autenticación y la contraseña; que el número llamante pertenece a la troncal; que el número marcado tiene el formato que pide el proveedor (E.164 con +, código de país); que la cuenta está activa y autorizada para llamar a ese destino; y, para un usuario de una PBX, los permisos del plan de marcación o del contexto.',
    confusedWith: [
      {
        code: 401,
        difference:
          'El 401 es un desafío que se responde con credenciales; el 403 es un rechazo que las credenciales no cambiarán.',
      },
      {
        code: 404,
        difference:
          'El 404 dice que el destino no existe aquí; el 403 dice que el destino puede existir perfectamente, pero esta petición no está permitida.',
      },
      {
        code: 603,
        difference:
          'El 603 es el usuario llamado rechazando, válido para cualquier ubicación; el 403 es una decisión de política de este servidor, a menudo del lado del propio llamante.',
      },
    ],
  },
  {
    code: 404,
    gloss: 'No encontrado',
    summary: 'el usuario o número de destino no existe en este dominio',
    meaning:
      'El servidor es responsable del dominio de la Request-URI pero no conoce allí la parte de usuario.',
    whenSeen:
      'El número marcado no coincide con ninguna extensión ni ruta de la PBX; el formato del número es incorrecto (falta el +, el código de país o un prefijo); el usuario nunca se dio de alta; la parte de host no es una que el servidor considere local, así que busca en el dominio equivocado; un DID sin ninguna ruta entrante asociada; algunos servidores también lo usan para usuarios que existen pero no están registrados.',
    fix:
      'Compara la parte de usuario de la Request-URI con el formato de número que espera el lado receptor (E.164, + inicial, prefijo nacional) y la parte de host con los dominios que atiende. En una PBX, confirma que la extensión existe y, para llamadas entrantes, que el DID tiene un destino asignado (ruta entrante).',
    confusedWith: [
      {
        code: 410,
        difference:
          'El 404 dice que el usuario no es conocido aquí y quizá nunca lo fue; el 410 dice que el usuario existió y se ha ido para siempre.',
      },
      {
        code: 480,
        difference:
          'El 480 dice que el usuario existe pero no se le puede localizar ahora (desconectado, sin registrar); el 404 dice que no existe ese usuario.',
      },
      {
        code: 484,
        difference:
          'El 484 dice que el número está incompleto y que más dígitos ayudarían; el 404 dice que la dirección completa no corresponde a nadie.',
      },
      {
        code: 604,
        difference:
          'El 404 solo habla por el dominio de este servidor, así que otros servidores aún pueden conocer al usuario; el 604 afirma que el usuario no existe en ninguna parte.',
      },
    ],
  },
  {
    code: 405,
    gloss: 'Método no permitido',
    summary: 'el servidor conoce el método pero no lo permite para esta dirección',
    meaning:
      'El método se entiende pero no está permitido para el recurso de la Request-URI. La respuesta debe llevar un encabezado Allow con los métodos que sí se aceptan.',
    whenSeen:
      'MESSAGE, SUBSCRIBE (presencia, BLF), PUBLISH, REFER, INFO o UPDATE enviados a un dispositivo o servicio que no los acepta para esa dirección; REGISTER enviado a un proxy o teléfono que no es un registrador.',
    fix:
      'Lee el encabezado Allow y haz que el emisor use un método permitido: desactiva las suscripciones de presencia/BLF hacia ese extremo, envía los DTMF como eventos RFC 4733 en lugar de INFO, usa re-INVITE en lugar de UPDATE; o habilita la funcionalidad en el lado receptor.',
    confusedWith: [
      {
        code: 501,
        difference:
          'El 501 significa que el servidor no implementa el método en absoluto; el 405 significa que lo implementa, pero no para este destino.',
      },
      {
        code: 489,
        difference:
          'El 489 acepta SUBSCRIBE en general, pero no el paquete de eventos indicado; el 405 rechaza el propio método para esta dirección.',
      },
    ],
  },
  {
    code: 406,
    gloss: 'No aceptable',
    summary: 'la respuesta necesitaría un tipo de contenido que el Accept de la petición excluye',
    meaning:
      'El recurso solo puede generar cuerpos de respuesta de tipos que no figuran en el encabezado Accept de la petición.',
    whenSeen:
      'Poco habitual: peticiones SUBSCRIBE u OPTIONS cuyo Accept lista formatos de cuerpo que el servidor no puede generar (por ejemplo, un formato de presencia que el notificador no admite), o un cliente con un Accept fijo demasiado restrictivo.',
    fix:
      'Amplía el encabezado Accept del cliente para incluir un tipo que el servidor pueda generar, o habilita ese formato en el servidor.',
    confusedWith: [
      {
        code: 415,
        difference:
          'El 415 se refiere al cuerpo que envió el cliente; el 406 se refiere al cuerpo que el cliente está dispuesto a recibir.',
      },
      {
        code: 488,
        difference:
          'El 488 rechaza la sesión descrita en el SDP; el 406 trata de los tipos de contenido de los cuerpos de respuesta.',
      },
      {
        code: 606,
        difference:
          'El 606 es un rechazo global de la sesión propuesta; el 406 es una discrepancia de tipo de contenido en este servidor.',
      },
    ],
  },
  {
    code: 407,
    gloss: 'Se requiere autenticación de proxy',
    summary: 'un proxy pide credenciales: reenvía con un encabezado Proxy-Authorization',
    meaning:
      'Es como el 401, pero lo emite un proxy: Proxy-Authenticate lleva el desafío y el cliente reenvía la petición con Proxy-Authorization. Varios proxies de un mismo camino pueden desafiar cada uno.',
    whenSeen:
      'En el primer INVITE (y en otras peticiones) a proveedores y proxies que autentican las llamadas. El patrón normal es INVITE → 407 → ACK → INVITE con credenciales y un CSeq mayor → 100.',
    fix:
      'No hay nada que hacer ante un único desafío. Si se repite: revisa el usuario, la contraseña y el realm; comprueba que el cliente envía ACK al 407, reintenta con el mismo Call-ID y el CSeq incrementado, y responde con Proxy-Authorization (no con Authorization). Algunos clientes sencillos solo saben responder a un 401.',
    confusedWith: [
      {
        code: 401,
        difference:
          'El 407 viene de un proxy del camino (Proxy-Authenticate / Proxy-Authorization); el 401 viene del registrador o del UAS (WWW-Authenticate / Authorization).',
      },
      {
        code: 403,
        difference:
          'El 407 pide credenciales; el 403 rechaza cualesquiera credenciales que se ofrezcan.',
      },
    ],
  },
  {
    code: 408,
    gloss: 'Tiempo de espera de la petición agotado',
    summary: 'no se obtuvo una respuesta final a tiempo (a menudo el destinatario no contestó)',
    meaning:
      'El servidor no pudo producir una respuesta final en un tiempo razonable, por ejemplo porque no pudo localizar o alcanzar al usuario a tiempo; la petición puede reintentarse más tarde. Los proxies y agentes de usuario también informan localmente de un 408 cuando vence su temporizador de transacción (64×T1, unos 32 s) sin ninguna respuesta, así que puede no aparecer en la red.',
    whenSeen:
      'Un proxy que reenvía un INVITE a un teléfono registrado que ya no responde (teléfono fuera de la red, vínculo NAT caducado), un REGISTER u OPTIONS a un servidor que no contesta, un proveedor inalcanzable y, en algunos sistemas, un tiempo de espera por no respuesta.',
    fix:
      'Busca el salto que se quedó en silencio: la última petición de la traza reenviada sin respuesta, ni siquiera un 100. Causas típicas: un NAT o un firewall que descarta las peticiones enviadas hacia el teléfono (intervalo de registro mayor que el tiempo de expiración del NAT; usa rport, re-registros más cortos o keep-alives), una dirección de Contact incorrecta, mensajes UDP grandes perdidos por la fragmentación (usa TCP) o un equipo caído. Si es un tiempo de espera por no respuesta deliberado, envía la llamada al buzón de voz.',
    confusedWith: [
      {
        code: 480,
        difference:
          'El 480 es una respuesta explícita de que el usuario no está disponible; el 408 significa que no llegó ninguna respuesta a tiempo.',
      },
      {
        code: 504,
        difference:
          'El 504 dice que un servidor agotó el tiempo esperando a otro servidor al que consultó (un gateway o una búsqueda); el 408 dice que la propia petición no pudo completarse a tiempo.',
      },
      {
        code: 487,
        difference:
          'El 487 sigue a un CANCEL o BYE del llamante; el 408 sigue al vencimiento de un temporizador.',
      },
    ],
  },
  {
    code: 410,
    gloss: 'Ya no existe',
    summary: 'el usuario estuvo aquí pero se fue para siempre, sin dirección de reenvío',
    meaning:
      'El recurso ya no existe en este servidor y no se conoce ninguna dirección de reenvío; se espera que la situación sea permanente.',
    whenSeen:
      'Cuentas y números dados de baja; gateways a la RTC que traducen una causa de liberación de «número cambiado»; operadores que responden por números desconectados.',
    fix:
      'Elimina o actualiza el número o la URI: reintentar no servirá. Si el usuario debería seguir existiendo, la cuenta o el número se dio de baja por error y hay que restaurarlo en el servidor.',
    confusedWith: [
      {
        code: 404,
        difference:
          'El 410 dice que el usuario existió y se fue para siempre; el 404 dice que el usuario no es conocido aquí, sin suponer ningún historial.',
      },
      {
        code: 301,
        difference:
          'El 301 dice que el usuario se trasladó y da la dirección nueva; el 410 dice que el usuario ya no está y que no se conoce ninguna dirección nueva.',
      },
      {
        code: 604,
        difference:
          'El 604 afirma que el usuario no existe en ninguna parte; el 410 solo habla por este servidor.',
      },
    ],
  },
  {
    code: 412,
    gloss: 'Falló la petición condicional',
    summary: 'el refresco de un PUBLISH citó un entity-tag que el servidor ya no tiene',
    meaning:
      'El entity-tag de SIP-If-Match de un PUBLISH no coincidió con ninguna publicación vigente (caducó o nunca existió), así que se rechazó el refresco o la modificación; el cliente debe volver a publicar su estado completo sin SIP-If-Match.',
    whenSeen:
      'Clientes de presencia e IMS/RCS que refrescan una publicación después de que caducara, después de que el servidor de presencia se reiniciara y perdiera su estado, o cuando un balanceador de carga envía el refresco a un nodo que nunca vio el PUBLISH original.',
    fix:
      'El cliente debe enviar un PUBLISH inicial nuevo con el cuerpo completo y sin SIP-If-Match. Haz que refresque antes de que la publicación caduque, y asegúrate de que los refrescos llegan al nodo (o al almacén compartido) que guarda la publicación.',
    confusedWith: [
      {
        code: 481,
        difference:
          'El 481 significa que no coincide ningún diálogo ni transacción; el 412 significa que ninguna publicación coincide con el entity-tag de un PUBLISH.',
      },
      {
        code: 423,
        difference:
          'El 423 objeta que la expiración pedida es demasiado corta; el 412 objeta el entity-tag.',
      },
    ],
  },
  {
    code: 413,
    gloss: 'Entidad de la petición demasiado grande',
    summary: 'el cuerpo de la petición es mayor de lo que el servidor acepta',
    meaning:
      'El cuerpo de la petición es mayor de lo que el servidor quiere o puede manejar. Si el límite es temporal, Retry-After puede indicar cuándo volver a intentarlo.',
    whenSeen:
      'INVITE con un SDP muy grande (listas de códecs largas, vídeo, muchos candidatos ICE de clientes WebRTC), cuerpos multiparte que llevan ISUP o XML, cargas MESSAGE grandes.',
    fix:
      'Reduce el cuerpo: recorta las listas de códecs, quita las líneas de medios y candidatos ICE que no se usan, envía los contenidos grandes por MSRP o HTTP en lugar de MESSAGE; o aumenta el límite de tamaño de cuerpo del servidor.',
    confusedWith: [
      {
        code: 513,
        difference:
          'El 513 trata de la longitud del mensaje completo (encabezados incluidos) y es un fallo del servidor; el 413 trata solo del cuerpo.',
      },
      {
        code: 414,
        difference:
          'El 414 trata de que la Request-URI es demasiado larga; el 413 trata del cuerpo.',
      },
    ],
  },
  {
    code: 414,
    gloss: 'Request-URI demasiado larga',
    summary: 'la Request-URI es más larga de lo que el servidor está dispuesto a interpretar',
    meaning: 'La Request-URI es demasiado larga para que el servidor la procese.',
    whenSeen:
      'Raro: URI con muchos parámetros o encabezados incrustados, partes de usuario muy largas, lógica de enrutamiento que añade un parámetro en cada pasada (señal de un bucle), tráfico de fuzzing o de ataques.',
    fix:
      'Acorta la Request-URI: quita los encabezados incrustados y los parámetros innecesarios. Si cada salto vuelve a añadir el mismo parámetro, corrige el bucle de enrutamiento que lo provoca.',
    confusedWith: [
      {
        code: 413,
        difference:
          'El 413 se queja del tamaño del cuerpo; el 414 se queja solo de la Request-URI.',
      },
      {
        code: 400,
        difference:
          'El 400 es para errores de sintaxis en general; el 414 significa que la URI puede ser válida pero es demasiado larga.',
      },
    ],
  },
  {
    code: 415,
    gloss: 'Tipo de medio no admitido',
    summary: 'el servidor no admite el tipo, la codificación o el idioma del cuerpo',
    meaning:
      'El cuerpo de la petición usa un Content-Type, Content-Encoding o Content-Language que el servidor no admite. La respuesta indica lo que sí acepta en Accept, Accept-Encoding o Accept-Language.',
    whenSeen:
      'INVITE con cuerpos multipart/mixed (SDP más ISUP, para SIP-I/SIP-T) hacia dispositivos que solo aceptan application/sdp; MESSAGE con un tipo de contenido no admitido; cuerpos comprimidos; INFO con un tipo de cuerpo de DTMF que el otro extremo no conoce.',
    fix:
      'Compara el Content-Type de la petición con los encabezados Accept de la respuesta y haz que el emisor use un tipo admitido: elimina los cuerpos ISUP en el SBC, envía SDP simple, desactiva la compresión de cuerpos o elige el formato de DTMF que espera el otro extremo.',
    confusedWith: [
      {
        code: 406,
        difference:
          'El 406 trata de los tipos de cuerpo que el cliente aceptará en la respuesta; el 415 trata del cuerpo que envió el cliente.',
      },
      {
        code: 488,
        difference:
          'El 488 significa que el SDP se entendió pero la sesión que describe no es aceptable; el 415 significa que el propio formato del cuerpo no se admite.',
      },
      {
        code: 400,
        difference:
          'El 400 es para un mensaje mal formado; el 415 es para un cuerpo bien formado de un tipo que el servidor no maneja.',
      },
    ],
  },
  {
    code: 416,
    gloss: 'Esquema de URI no admitido',
    summary: 'el servidor no admite el esquema de la Request-URI (tel:, sips:, por ejemplo)',
    meaning: 'El esquema de la Request-URI es uno que el servidor no maneja.',
    whenSeen:
      'URI tel: enviadas a servidores que solo enrutan sip:, sips: enviadas a servidores sin TLS, im:/pres: u otros esquemas no SIP que salen de ENUM o de un directorio.',
    fix:
      'Convierte la dirección a un esquema que el servidor admita (por ejemplo sip:+15551234567@dominio;user=phone en lugar de tel:+15551234567), o habilita TLS para sips:. Revisa el plan de marcación o la salida de ENUM que generó la URI.',
    confusedWith: [
      {
        code: 400,
        difference:
          'El 400 es para una sintaxis mal formada; el 416 significa que la URI está bien formada pero usa un esquema que el servidor no atiende.',
      },
      {
        code: 404,
        difference:
          'El 404 busca al usuario y no lo encuentra; el 416 ni siquiera llega a buscarlo por culpa del esquema.',
      },
    ],
  },
  {
    code: 417,
    gloss: 'Resource-Priority desconocido',
    summary: 'el espacio de nombres o el valor de Resource-Priority no se entiende aquí',
    meaning:
      'La petición requería tratamiento de prioridad de recursos pero usaba un espacio de nombres o un valor de prioridad que el servidor no entiende. La respuesta indica los que conoce en Accept-Resource-Priority.',
    whenSeen:
      'Redes de llamadas con prioridad: esquemas gubernamentales de preferencia en emergencias (ets, wps), redes de defensa (dsn, drsn) y redes de servicios de emergencia, cuando un salto no está configurado para el espacio de nombres que usa el llamante.',
    fix:
      'Compara el Resource-Priority de la petición con el Accept-Resource-Priority de la respuesta y configura espacios de nombres y valores coincidentes en ambos lados, o haz que el elemento frontera elimine Resource-Priority (y su Require) hacia redes que no lo admiten.',
    confusedWith: [
      {
        code: 420,
        difference:
          'El 420 significa que la extensión indicada en Require no se admite en absoluto; el 417 significa que la extensión de prioridad de recursos se admite, pero el espacio de nombres o el valor son desconocidos.',
      },
      {
        code: 403,
        difference:
          'El 403 es la respuesta cuando el llamante no tiene derecho a la prioridad que pide; el 417 es la respuesta cuando ni siquiera se entiende el valor de prioridad.',
      },
    ],
  },
  {
    code: 420,
    gloss: 'Extensión incorrecta',
    summary: 'al servidor le falta una extensión listada en Require o Proxy-Require',
    meaning:
      'La petición listaba en Require o Proxy-Require etiquetas de opción que el servidor no admite; el encabezado Unsupported de la respuesta las nombra. El cliente puede reintentar sin exigirlas.',
    whenSeen:
      'Require: 100rel hacia un dispositivo que no sabe hacer PRACK, Require: timer hacia un dispositivo sin temporizadores de sesión, Require: precondition fuera de IMS, Proxy-Require: sec-agree en un proxy que no es IMS, Require: replaces en una transferencia.',
    fix:
      'Lee el encabezado Unsupported y deja de exigir esa extensión: pásala de Require a Supported en el llamante (por ejemplo, configura 100rel como «supported» en lugar de «required» en la PBX o el SBC), o habilita la extensión en el lado receptor.',
    confusedWith: [
      {
        code: 421,
        difference:
          'El 420 es el servidor rechazando una extensión que exigió el cliente; el 421 es el servidor exigiendo una extensión que el cliente no ofreció.',
      },
      {
        code: 400,
        difference:
          'El 400 es un problema de sintaxis; el 420 es una petición bien formada que necesita una funcionalidad que el servidor no tiene.',
      },
    ],
  },
  {
    code: 421,
    gloss: 'Se requiere una extensión',
    summary: 'el servidor solo seguirá si el cliente admite una extensión que exige',
    meaning:
      'El servidor necesita una extensión que la petición no listó en Supported; el encabezado Require de la respuesta dice cuál.',
    whenSeen:
      'Servidores que exigen respuestas provisionales fiables (100rel), elementos IMS que exigen precondiciones o sec-agree, registradores que exigen soporte de outbound o GRUU.',
    fix:
      'Lee el encabezado Require del 421 y habilita esa extensión en el cliente (PRACK, precondiciones, temporizadores de sesión, outbound…), o relaja la exigencia del servidor.',
    confusedWith: [
      {
        code: 420,
        difference:
          'El 421 pide al cliente que admita algo; el 420 dice que el servidor no admite algo que el cliente exigió.',
      },
      {
        code: 422,
        difference:
          'El 422 es específico de los temporizadores de sesión e indica el intervalo mínimo en Min-SE; el 421 es el genérico «debes admitir la extensión X».',
      },
      {
        code: 494,
        difference:
          'El 494 es específico del acuerdo de mecanismos de seguridad y lista los mecanismos en Security-Server; el 421 es la forma genérica.',
      },
    ],
  },
  {
    code: 422,
    gloss: 'Intervalo de sesión demasiado corto',
    summary: 'Session-Expires está por debajo del mínimo que admite este elemento (ver Min-SE)',
    meaning:
      'El intervalo del temporizador de sesión de la petición (Session-Expires) es más corto de lo que acepta un proxy o el UAS. La respuesta lleva Min-SE, y el cliente debe reintentar con un Session-Expires al menos de ese valor.',
    whenSeen:
      'INVITE, re-INVITE o UPDATE con un Session-Expires corto (90 s, por ejemplo) hacia operadores o SBC que exigen uno más largo. INVITE → 422 → INVITE con un valor mayor es un intercambio normal que se corrige solo.',
    fix:
      'Normalmente nada: el llamante reintenta con el valor de Min-SE. Si la llamada falla en el 422, el cliente no implementa el reintento: sube sus ajustes de session-expires / min-se (1800 s es una elección habitual) o deja que el SBC normalice los temporizadores de sesión.',
    confusedWith: [
      {
        code: 423,
        difference:
          'El 423 es la misma idea para la expiración de REGISTER/SUBSCRIBE (Min-Expires); el 422 es para los intervalos del temporizador de sesión (Min-SE).',
      },
      {
        code: 421,
        difference:
          'El 421 pide que se admita una extensión; el 422 acepta los temporizadores de sesión pero quiere un intervalo más largo.',
      },
    ],
  },
  {
    code: 423,
    gloss: 'Intervalo demasiado breve',
    summary: 'el Expires pedido es demasiado corto; Min-Expires indica el mínimo',
    meaning:
      'El registrador o el notificador lo rechaza porque la expiración pedida es más corta de lo que permite; Min-Expires en la respuesta indica el menor valor que acepta.',
    whenSeen:
      'Teléfonos configurados para re-registrarse cada 30-60 s para mantener abiertos los vínculos NAT, hacia registradores con un mínimo mayor; peticiones SUBSCRIBE con una expiración muy corta.',
    fix:
      'Configura la expiración del registro o de la suscripción a Min-Expires como mínimo. Para mantener abiertos los vínculos NAT, usa keep-alives (CRLF, OPTIONS, STUN) en lugar de registros muy cortos.',
    confusedWith: [
      {
        code: 422,
        difference:
          'El 422 se refiere a los intervalos del temporizador de sesión de una llamada (Min-SE); el 423 se refiere a la expiración de un registro o de una suscripción (Min-Expires).',
      },
      {
        code: 400,
        difference:
          'El 400 significaría que el valor de Expires está mal formado; el 423 significa que es válido pero demasiado pequeño.',
      },
    ],
  },
  {
    code: 424,
    gloss: 'Información de ubicación incorrecta',
    summary: 'la ubicación enviada (encabezado Geolocation / PIDF-LO) está mal formada o no sirve',
    meaning:
      'La ubicación que acompañaba a la petición (un cuerpo PIDF-LO o una referencia a una ubicación en el encabezado Geolocation) no se pudo usar: está mal formada, falta o no se pudo obtener. Un encabezado Geolocation-Error da un código.',
    whenSeen:
      'Llamadas de emergencia (NG911/NG112 y similares): elementos de enrutamiento o PSAP que rechazan llamadas cuya ubicación está mal formada, cuya URI de ubicación por referencia no se puede resolver, o cuyo encabezado Geolocation apunta a una parte del cuerpo que no está.',
    fix:
      'Lee el código de Geolocation-Error. Valida el XML PIDF-LO (cívico o geodésico), asegúrate de que una referencia cid: coincide con una parte del cuerpo que está realmente presente, y de que una URI por referencia es alcanzable y el destinatario está autorizado a consultarla.',
    confusedWith: [
      {
        code: 400,
        difference:
          'El 400 trata del mensaje SIP; el 424 trata de la información de ubicación que transporta.',
      },
      {
        code: 425,
        difference:
          'El 425 rechaza el contenido de alerta (CAP) de un mensaje de emergencia no interactivo; el 424 rechaza la información de ubicación.',
      },
    ],
  },
  {
    code: 425,
    gloss: 'Mensaje de alerta incorrecto',
    summary: 'se rechazó la alerta CAP de un MESSAGE de emergencia no interactivo',
    meaning:
      'Para llamadas de emergencia solo de datos (no interactivas) enviadas como SIP MESSAGE con un contenido Common Alerting Protocol: el destinatario no pudo usar el cuerpo CAP. Un encabezado AlertMsg-Error da el motivo (contenido ausente, dañado o con información insuficiente).',
    whenSeen:
      'Redes de servicios de emergencia que reciben alertas automáticas de sensores, vehículos u otros dispositivos que envían datos pero no voz.',
    fix:
      'Lee el código de AlertMsg-Error; valida el XML CAP contra su esquema, comprueba que el contenido va realmente adjunto donde el mensaje dice, y que están rellenos los campos que necesita la autoridad receptora.',
    confusedWith: [
      {
        code: 424,
        difference:
          'El 424 rechaza la ubicación enviada con una petición; el 425 rechaza el propio contenido de la alerta.',
      },
      {
        code: 415,
        difference:
          'El 415 significa que el tipo de cuerpo no se admite en absoluto; el 425 significa que el cuerpo CAP es del tipo correcto pero no se puede usar.',
      },
    ],
  },
  {
    code: 428,
    gloss: 'Usar el encabezado Identity',
    summary: 'el verificador exige un encabezado Identity (STIR) y la petición no lo traía',
    meaning:
      'La política del servicio de verificación exige que las llamadas lleven un encabezado Identity (un PASSporT firmado), y esta petición no lo llevaba.',
    whenSeen:
      'Despliegues de STIR/SHAKEN: una red de terminación o una empresa que rechaza llamadas sin firmar, a menudo porque el SBC de origen no firmó o un elemento intermedio eliminó el encabezado Identity.',
    fix:
      'Asegúrate de que el servicio de autenticación de origen (el tuyo o el de tu operador) firma las llamadas y de que ningún SBC o gateway del camino elimina el encabezado Identity; comprueba que el número llamante es uno que el firmante puede atestiguar.',
    confusedWith: [
      {
        code: 438,
        difference:
          'El 438 significa que había un encabezado Identity pero no superó la verificación; el 428 significa que no había ninguno.',
      },
      {
        code: 436,
        difference:
          'El 436 significa que la referencia al certificado del encabezado Identity no se pudo usar; el 428 significa que el encabezado faltaba por completo.',
      },
    ],
  },
  {
    code: 429,
    gloss: 'Aportar la identidad de quien refiere',
    summary: 'el destino del REFER quiere un token Referred-By firmado y no recibió ninguno',
    meaning:
      'Para peticiones provocadas por un REFER (transferencia de llamada): el destino de la transferencia exige un token de seguridad Referred-By válido (un cuerpo firmado con S/MIME) y la petición no lo llevaba. Quien recibió el REFER debe comunicarlo a quien lo envió, que puede reenviar el REFER con un token.',
    whenSeen:
      'Rara vez: destinos de transferencia con políticas estrictas sobre Referred-By. Ojo: no es el 429 «Too Many Requests» de HTTP; SIP no tiene ese código.',
    fix:
      'Haz que quien envía el REFER incluya un token Referred-By, o relaja la política del destino de la transferencia. Si lo que buscabas era limitación de tasa, SIP la expresa con 503 y Retry-After.',
    confusedWith: [
      {
        code: 503,
        difference:
          'HTTP usa el 429 para la limitación de tasa, pero en SIP la sobrecarga y los límites de tasa se señalizan con 503 (normalmente con Retry-After); el 429 de SIP solo trata de los tokens Referred-By.',
      },
      {
        code: 403,
        difference:
          'El 403 es un rechazo sin más; el 429 nombra lo que falta (un token Referred-By), de modo que la petición puede tener éxito cuando se aporte.',
      },
    ],
  },
  {
    code: 430,
    gloss: 'Falló el flujo',
    summary: 'un proxy de borde informa de que su flujo saliente hacia el agente de usuario está roto',
    meaning:
      'SIP Outbound: un proxy de borde indica al proxy autoritativo que un flujo (conexión) concreto hacia un agente de usuario ha fallado, para que pruebe otro flujo u otro contacto del mismo agente de usuario. Los dispositivos finales no deberían recibirlo, y uno que lo reciba lo trata como un 400.',
    whenSeen:
      'Despliegues que usan SIP Outbound con proxies de borde (a menudo para clientes WebRTC o móviles sobre TCP, TLS o WebSocket) cuando la conexión del cliente se ha caído.',
    fix:
      'El cliente debe reconectarse y volver a registrarse en un flujo nuevo. Comprueba que su intervalo de keep-alive (CRLF o STUN) es más corto que los tiempos de inactividad de los NAT, firewalls y balanceadores de carga intermedios, y revisa los logs del proxy de borde para ver por qué se cerró la conexión.',
    confusedWith: [
      {
        code: 480,
        difference:
          'El 480 dice que el usuario no está disponible; el 430 dice que solo falló una conexión hacia el usuario y que otra aún puede funcionar.',
      },
      {
        code: 439,
        difference:
          'El 439 rechaza un registro porque el primer salto no admite Outbound; el 430 informa de un flujo fallido al enrutar una petición.',
      },
      {
        code: 408,
        difference:
          'El 408 informa de un tiempo de espera agotado sin respuesta; el 430 es un aviso explícito del proxy de borde de que su flujo está muerto.',
      },
    ],
  },
  {
    code: 433,
    gloss: 'Anonimato no permitido',
    summary: 'la política del destinatario rechaza a llamantes anónimos (con identidad oculta)',
    meaning:
      'El servidor o el destinatario rechaza la petición porque es anónima (From anónimo, Privacy: id o similares) y su política no acepta peticiones anónimas.',
    whenSeen:
      'Usuarios llamados u operadores con el rechazo de llamadas anónimas activado, cuando el llamante oculta su número (CLIR, *67) o una PBX/SBC aplica privacidad en su nombre.',
    fix:
      'Presenta la identidad del llamante y reintenta: desactiva la ocultación del número o el encabezado Privacy para esa llamada. Si la identidad debería haberse mostrado, revisa cómo trata la privacidad la PBX/SBC (From puesto como anónimo o Privacy: id añadido por error).',
    confusedWith: [
      {
        code: 403,
        difference:
          'El 403 es un rechazo genérico; el 433 dice exactamente por qué: la petición era anónima.',
      },
      {
        code: 603,
        difference:
          'El 603 es el destinatario rechazando una llamada concreta; el 433 es una política permanente contra llamantes anónimos, que se resuelve presentando una identidad.',
      },
    ],
  },
  {
    code: 436,
    gloss: 'Información de identidad incorrecta',
    summary: 'la referencia al certificado del encabezado Identity no se puede usar',
    meaning:
      'El verificador no pudo usar la referencia a la credencial del encabezado Identity (el parámetro info, la URL del certificado): no se pudo obtener, usa un esquema no admitido o está mal formada. El RFC 4474 lo llamaba «Bad Identity-Info».',
    whenSeen:
      'STIR/SHAKEN: URL de certificado (x5u) que el verificador de terminación no puede alcanzar (errores de DNS o HTTP, firewall), o que apuntan fuera de los repositorios en los que confía.',
    fix:
      'Revisa la URL del certificado en el encabezado Identity: debe ser accesible por HTTPS desde la red que verifica y servir la cadena de certificados en el formato esperado. Corrige la configuración del servicio de autenticación que la establece.',
    confusedWith: [
      {
        code: 437,
        difference:
          'El 437 significa que se obtuvo el certificado pero no se acepta; el 436 significa que no se pudo obtener ni usar en absoluto.',
      },
      {
        code: 438,
        difference:
          'El 438 significa que la firma o los datos firmados son incorrectos; el 436 significa que el verificador nunca obtuvo una credencial utilizable con la que comprobarlos.',
      },
    ],
  },
  {
    code: 437,
    gloss: 'Credencial no admitida',
    summary: 'el verificador no acepta la credencial (el certificado) usada para firmar',
    meaning:
      'El verificador obtuvo la credencial del firmante pero no puede validarla o no confía en ella (emisor desconocido, tipo no admitido). El RFC 4474 lo llamaba «Unsupported Certificate».',
    whenSeen:
      'STIR/SHAKEN: certificados de una CA en la que el verificador no confía, certificados caducados o revocados, certificados de prueba o autofirmados en producción.',
    fix:
      'Obtén el certificado de una autoridad de certificación en la que confíen las redes de terminación, sirve la cadena completa y vigila las fechas de caducidad; en el lado verificador, revisa los anclajes de confianza.',
    confusedWith: [
      {
        code: 436,
        difference:
          'El 436 significa que la credencial no se pudo obtener ni usar; el 437 significa que se obtuvo pero no es aceptable.',
      },
      {
        code: 438,
        difference:
          'El 438 significa que la credencial está bien pero la firma no se verifica contra la petición; el 437 significa que se rechaza la propia credencial.',
      },
    ],
  },
  {
    code: 438,
    gloss: 'Encabezado Identity inválido',
    summary: 'la firma o los datos firmados del encabezado Identity no superaron la verificación',
    meaning:
      'El verificador tenía una credencial utilizable, pero la firma del encabezado Identity no se verifica, o los datos firmados (números llamante y llamado) no coinciden con la petición tal como llegó.',
    whenSeen:
      'Llamadas con STIR/SHAKEN en las que un salto reescribió el número de From o de To después de la firma (añadiendo o quitando el +, un prefijo o el código de país), encabezados dañados, o un firmante que usa una clave que no corresponde a su certificado.',
    fix:
      'Asegúrate de que nada cambia los números llamante y llamado después de la firma (o vuelve a firmar tras el cambio), normaliza los números a E.164 de la misma forma en ambos lados y comprueba que la clave de firma corresponde al certificado publicado. Una firma que simplemente es demasiado antigua se notifica con un 403 «Stale Date».',
    confusedWith: [
      {
        code: 436,
        difference:
          'El 436 significa que el verificador no pudo acceder a la credencial; el 438 significa que sí pudo, y la firma o los datos firmados no cuadraron.',
      },
      {
        code: 428,
        difference:
          'El 428 significa que faltaba el encabezado Identity; el 438 significa que estaba pero no era válido.',
      },
    ],
  },
  {
    code: 439,
    gloss: 'El primer salto no admite Outbound',
    summary: 'el registrador admite SIP Outbound pero el proxy del primer salto no',
    meaning:
      'Un agente de usuario se registró usando SIP Outbound (reg-id e instance-id) y el registrador lo admite, pero el proxy de borde por el que llegó el registro no indicó que admitiera Outbound, así que el registrador se niega a crear un registro Outbound.',
    whenSeen:
      'Clientes WebRTC o móviles con Outbound activado que se registran a través de un proxy de borde o un SBC que no lo implementa (no añade un encabezado Path con el parámetro ob).',
    fix:
      'Habilita Outbound en el proxy de borde (Path con el parámetro ob), o desactiva Outbound en el cliente (sin reg-id/instance), y vuelve a registrar.',
    confusedWith: [
      {
        code: 430,
        difference:
          'El 430 informa de un flujo roto al enrutar una petición; el 439 rechaza un registro porque el camino no puede soportar Outbound.',
      },
      {
        code: 421,
        difference:
          'El 421 pide al cliente que admita una extensión; el 439 dice que el cliente la admite pero su primer salto no.',
      },
    ],
  },
  {
    code: 440,
    gloss: 'Max-Breadth superado',
    summary: 'se agotó el límite de forking (Max-Breadth); no se permiten más ramas',
    meaning:
      'Max-Breadth limita cuántas ramas paralelas puede tener en total una petición bifurcada. Un proxy que necesitaría hacer forking pero no tiene amplitud que repartir la rechaza con un 440.',
    whenSeen:
      'Forking en paralelo con muchos contactos por usuario, grupos de llamada anidados o cadenas de proxies que hacen forking; el límite también protege contra ataques de amplificación por forking.',
    fix:
      'Reduce el número de ramas (menos contactos simultáneos, búsqueda secuencial en lugar de paralela), busca proxies que hacen forking y se enrutan entre sí, y solo después plantéate subir Max-Breadth en el origen.',
    confusedWith: [
      {
        code: 483,
        difference:
          'El 483 trata de la profundidad (Max-Forwards se agotó a lo largo de un camino); el 440 trata de la amplitud (demasiadas ramas paralelas).',
      },
      {
        code: 482,
        difference:
          'El 482 informa de un bucle detectado; el 440 informa de que se agotó el presupuesto de ramas, algo que los bucles pueden causar pero no necesariamente.',
      },
    ],
  },
  {
    code: 469,
    gloss: 'Info Package incorrecto',
    summary: 'el INFO usó un Info Package que el receptor no aceptó recibir',
    meaning:
      'Una petición INFO indicó un Info Package (encabezado Info-Package) que el receptor no declaró en Recv-Info para este diálogo. El 469 lista los paquetes aceptables en Recv-Info; el diálogo en sí continúa.',
    whenSeen:
      'DTMF u otros datos a mitad de llamada enviados por INFO (por ejemplo, peticiones de actualización rápida de vídeo o paquetes IMS) a un extremo que no anunció el paquete durante el establecimiento de la llamada.',
    fix:
      'Revisa los encabezados Recv-Info intercambiados en el INVITE y en su respuesta y configura ambos extremos para que acuerden el paquete; para DTMF, enviar eventos RFC 4733 en los medios evita el INFO por completo.',
    confusedWith: [
      {
        code: 489,
        difference:
          'El 489 rechaza un paquete de eventos (SUBSCRIBE/NOTIFY); el 469 rechaza un Info Package (INFO).',
      },
      {
        code: 415,
        difference:
          'El 415 rechaza el tipo de cuerpo; el 469 rechaza el paquete al que pertenece el INFO.',
      },
    ],
  },
  {
    code: 470,
    gloss: 'Se necesita consentimiento',
    summary: 'un relay necesita el permiso del destinatario antes de enviar a este destino',
    meaning:
      'Según el marco de consentimiento de SIP, un relay (como un servidor de listas de URI que distribuye una petición a muchos destinatarios) la rechaza porque un destino no ha concedido permiso. Permission-Missing lista esos destinos; el emisor puede pedir permiso primero.',
    whenSeen:
      'Servicios de listas de URI: INVITE masivos a conferencias, distribuidores de MESSAGE, servicios de grupo IMS/RCS que implementan el marco de consentimiento. Raro en otros contextos.',
    fix:
      'Obtén el consentimiento de los destinatarios mediante el mecanismo de consentimiento (peticiones de permiso) o quítalos de la lista.',
    confusedWith: [
      {
        code: 403,
        difference:
          'El 403 es un rechazo sin más; el 470 dice que lo que falta es el permiso del destinatario e indica de quién.',
      },
      {
        code: 433,
        difference:
          'El 433 trata de que el emisor es anónimo; el 470 trata de que el destinatario no ha aceptado recibir peticiones a través del relay.',
      },
    ],
  },
  {
    code: 480,
    gloss: 'Temporalmente no disponible',
    summary: 'el destinatario existe pero no se le localiza ahora (sin registro, DND, desconectado)',
    meaning:
      'El usuario es conocido (o se llegó al sistema final), pero no puede atender la llamada ahora: no está registrado, cerró sesión, tiene activado no molestar. Retry-After puede sugerir cuándo reintentar, y la frase de estado puede ser más concreta.',
    whenSeen:
      'Al llamar a una extensión cuyo teléfono está desconectado o cuyo registro ha caducado, con no molestar activado, con softphones móviles que no se pudieron despertar con una notificación push, y en proxies cuyas ramas de forking fallaron todas sin una respuesta mejor.',
    fix:
      'Comprueba si el destinatario tiene un registro vigente en la tabla de ubicaciones del registrador y, si no, por qué: pérdida de red, una expiración del registro mayor que el tiempo de expiración del NAT, la configuración de notificaciones push. Revisa los ajustes de no molestar. Enviar el 480 al buzón de voz es el comportamiento normal.',
    confusedWith: [
      {
        code: 404,
        difference:
          'El 404 dice que el usuario no existe aquí; el 480 dice que el usuario existe pero no se le puede localizar ahora.',
      },
      {
        code: 486,
        difference:
          'El 486 significa que se llegó al dispositivo del destinatario y está ocupado; el 480 significa que no se pudo llegar al destinatario en absoluto.',
      },
      {
        code: 408,
        difference:
          'El 408 significa que nada respondió a tiempo; el 480 es una declaración explícita de que el usuario no está disponible.',
      },
    ],
  },
  {
    code: 481,
    gloss: 'La llamada o transacción no existe',
    summary: 'el receptor no tiene ningún diálogo ni transacción que corresponda a esta petición',
    meaning:
      'Una petición destinada a un diálogo o a una transacción existente (BYE, re-INVITE, UPDATE, PRACK, NOTIFY, CANCEL…) no coincide con nada que el receptor conozca.',
    whenSeen:
      'BYE o re-INVITE después de que el otro lado ya terminara la llamada (BYE cruzados, un reinicio), un CANCEL que llega después de la respuesta final, un NOTIFY de una suscripción caducada, un refresco de sesión después de que el extremo remoto diera la sesión por caducada, B2BUA o SBC que alteran el Call-ID o las etiquetas de forma incoherente, balanceadores de carga que envían peticiones dentro del diálogo a otro nodo.',
    fix:
      'Compara el Call-ID, la etiqueta From y la etiqueta To de la petición que falla con los mensajes que crearon el diálogo. Comprueba que las peticiones dentro del diálogo siguen el conjunto de Record-Route hasta el mismo nodo, si el temporizador de sesión venció o el otro lado ya envió un BYE y, si es un NOTIFY, renueva la suscripción con un SUBSCRIBE nuevo.',
    confusedWith: [
      {
        code: 487,
        difference:
          'El 487 responde a un INVITE que fue cancelado; el 481 responde a una petición (a menudo el propio CANCEL o BYE) que no coincide con ningún diálogo ni transacción conocidos.',
      },
      {
        code: 408,
        difference:
          'El 408 significa que no llegó respuesta a tiempo; el 481 es una respuesta inmediata de que el diálogo es desconocido.',
      },
      {
        code: 404,
        difference:
          'El 404 trata del usuario de destino de una petición nueva; el 481 trata del diálogo o la transacción de una petición dentro de un diálogo.',
      },
    ],
  },
  {
    code: 482,
    gloss: 'Bucle detectado',
    summary: 'la petición volvió a un servidor por el que ya había pasado',
    meaning:
      'Un proxy detectó que la petición ya había pasado por él en la misma forma, es decir, que está en un bucle.',
    whenSeen:
      'Una PBX que enruta un número hacia su proveedor mientras el proveedor lo devuelve; un dominio que resuelve (por DNS) al propio proxy pero que falta en su lista de dominios locales; dos usuarios que se desvían el uno al otro; un servidor que no considera local una de sus propias direcciones.',
    fix:
      'Lee los encabezados Via para ver el camino y corrige las rutas para que el destino termine en un solo lado. Asegúrate de que cada proxy incluye todos sus nombres de host y direcciones IP como dominios locales o alias, y rompe los desvíos de llamada circulares.',
    confusedWith: [
      {
        code: 483,
        difference:
          'El 483 significa que Max-Forwards llegó a cero, lo que puede ser un bucle o no; el 482 significa que se detectó un bucle con certeza.',
      },
      {
        code: 440,
        difference:
          'El 440 trata de demasiadas ramas paralelas; el 482 trata de la misma petición que vuelve a pasar.',
      },
    ],
  },
  {
    code: 483,
    gloss: 'Demasiados saltos',
    summary: 'Max-Forwards llegó a cero antes de que la petición alcanzara su destino',
    meaning:
      'La petición llegó, con Max-Forwards ya a cero, a un elemento que tendría que reenviarla.',
    whenSeen:
      'Bucles de enrutamiento en los que cada pasada altera la petición de modo que la detección de bucles no salta (los B2BUA que reinician Max-Forwards los empeoran), cadenas de proxies muy largas, o un cliente que empieza con un Max-Forwards minúsculo. Un OPTIONS enviado con Max-Forwards: 0 es una forma deliberada de hacer ping al primer salto, que entonces puede responder él mismo al OPTIONS.',
    fix:
      'Cuenta los encabezados Via y busca hosts que se repiten; corrige el bucle de enrutamiento. Asegúrate de que los agentes de usuario empiezan con Max-Forwards 70 y de que los B2BUA lo decrementan en lugar de reiniciarlo.',
    confusedWith: [
      {
        code: 482,
        difference:
          'El 482 significa que el proxy vio su propia pasada anterior de la petición; el 483 solo significa que se agotó el presupuesto de saltos.',
      },
      {
        code: 440,
        difference:
          'El 440 limita el número total de ramas paralelas (amplitud); el 483 limita el número de saltos a lo largo de un camino (profundidad).',
      },
    ],
  },
  {
    code: 484,
    gloss: 'Dirección incompleta',
    summary: 'el número marcado está incompleto; faltan dígitos',
    meaning:
      'La Request-URI está incompleta; hacen falta más dígitos o más información. Es la base de la marcación solapada (overlap), en la que los dígitos se envían a medida que se marcan.',
    whenSeen:
      'Marcación solapada con gateways RDSI/ISUP, planes de marcación de PBX que coinciden con un prefijo pero necesitan más dígitos, teléfonos que envían la llamada antes de que el usuario termine de marcar (tiempo entre dígitos corto, mapa de dígitos incorrecto).',
    fix:
      'Marca el número completo (con código de área o de país); corrige el mapa de dígitos o el tiempo entre dígitos del teléfono para que envíe números completos; configura los gateways para envío en bloque si no se quiere marcación solapada.',
    confusedWith: [
      {
        code: 404,
        difference:
          'El 404 dice que la dirección completa no corresponde a nadie; el 484 dice que la dirección aún no está completa.',
      },
      {
        code: 485,
        difference:
          'El 485 dice que la dirección corresponde a varios usuarios; el 484 dice que todavía no identifica a nadie.',
      },
    ],
  },
  {
    code: 485,
    gloss: 'Ambigua',
    summary: 'la Request-URI corresponde a varios usuarios; puede que se listen candidatos',
    meaning:
      'La Request-URI es ambigua; la respuesta puede listar las direcciones posibles en Contact (un servidor puede ocultarlas por privacidad).',
    whenSeen:
      'Raro: marcación por nombre o por alias (varios usuarios llamados «juan»), códigos cortos que corresponden a más de un usuario.',
    fix:
      'Llama a una dirección más concreta; corrige la configuración del directorio o de los alias para que cada alias corresponda exactamente a un usuario.',
    confusedWith: [
      {
        code: 300,
        difference:
          'El 300 es una redirección que ofrece ubicaciones equivalentes del mismo usuario; el 485 es un fallo porque la dirección corresponde a usuarios distintos.',
      },
      {
        code: 484,
        difference:
          'El 484 dice que la dirección está incompleta; el 485 dice que corresponde a más de un usuario.',
      },
    ],
  },
  {
    code: 486,
    gloss: 'Ocupado aquí',
    summary: 'el dispositivo del destinatario está ocupado; el buzón u otros equipos aún pueden atender',
    meaning:
      'Se llegó al sistema final del destinatario, pero no puede atender otra llamada ahora. El «aquí» importa: otras ubicaciones (otros dispositivos, el buzón de voz) aún pueden aceptarla, así que los proxies pueden seguir probando otras ramas. Puede incluir Retry-After.',
    whenSeen:
      'Un teléfono que ya está en una llamada con la llamada en espera desactivada, usuarios que pulsan rechazar en algunos teléfonos, límites de llamadas simultáneas por extensión o por troncal en las PBX, y gateways a la RTC que traducen una liberación por «usuario ocupado».',
    fix:
      'Normalmente es un estado real del usuario. Si ocurre cuando no debería, revisa la llamada en espera, el límite de llamadas por dispositivo o por usuario de la PBX y los límites de canales de la troncal; configura el desvío por ocupado al buzón de voz si los llamantes no deben recibir sin más el tono de ocupado.',
    confusedWith: [
      {
        code: 600,
        difference:
          'El 600 dice que el destinatario está ocupado en todas partes y que no hay que probar a nadie más; el 486 dice que solo este dispositivo está ocupado.',
      },
      {
        code: 480,
        difference:
          'El 480 significa que no se pudo llegar al destinatario; el 486 significa que se llegó al dispositivo y está ocupado.',
      },
      {
        code: 603,
        difference:
          'El 603 es un rechazo explícito; el 486 indica ocupado (aunque algunos teléfonos envían 486 cuando el usuario rechaza una llamada).',
      },
    ],
  },
  {
    code: 487,
    gloss: 'Petición terminada',
    summary: 'el INVITE se canceló (con CANCEL o BYE) antes de ser contestado',
    meaning:
      'La petición terminó por un CANCEL o un BYE antes de completarse. Es la respuesta final al INVITE tras un CANCEL; el propio CANCEL recibe su propio 200.',
    whenSeen:
      'El llamante cuelga mientras aún está sonando; un proxy que hace forking cancela las demás ramas en cuanto un dispositivo contesta (los dispositivos cancelados responden 487); tiempos de espera de timbrado implementados enviando CANCEL; grupos de salto que pasan al siguiente miembro.',
    fix:
      'No hace falta corregir nada cuando el llamante simplemente desistió. Si las llamadas se cancelan de forma inesperada, averigua quién envió el CANCEL (su Via) y por qué: un temporizador de no respuesta del lado llamante, un tiempo de timbrado de la PBX, un temporizador de un SBC que espera el 180. Un encabezado Reason en el CANCEL (por ejemplo, la causa 200, «call completed elsewhere») explica las ramas canceladas porque otro dispositivo contestó.',
    confusedWith: [
      {
        code: 481,
        difference:
          'El 481 responde a un CANCEL o BYE que no coincide con nada; el 487 responde al INVITE con el que el CANCEL sí coincidió y al que detuvo.',
      },
      {
        code: 408,
        difference:
          'El 408 proviene de un temporizador sin respuesta; el 487 proviene de alguien que cancela activamente la petición.',
      },
      {
        code: 199,
        difference:
          'El 199 cierra un diálogo temprano mientras el INVITE continúa; el 487 termina el INVITE.',
      },
    ],
  },
  {
    code: 488,
    gloss: 'No aceptable aquí',
    summary: 'la oferta SDP no es aceptable aquí: códecs, tipos de medios, cifrado',
    meaning:
      'Alguna parte de la descripción de sesión (códecs, tipo de medio, transporte, ancho de banda, cifrado) no es aceptable para este agente de usuario. Un encabezado Warning puede decir cuál (por ejemplo, formato de medios incompatible o tipo de medio no disponible).',
    whenSeen:
      'Códecs incompatibles (solo G.729 frente a solo G.711), SRTP obligatorio en un lado y RTP sin cifrar ofrecido (RTP/SAVP frente a RTP/AVP), un re-INVITE de T.38 hacia un dispositivo sin soporte de fax, vídeo ofrecido a un gateway solo de audio, ofertas WebRTC (DTLS-SRTP, ICE) hacia equipos antiguos, SDP extraños al poner o quitar una llamada en espera.',
    fix:
      'Compara las líneas m= y los códecs rtpmap de la oferta con lo que admite el destinatario; habilita un códec común o la transcodificación en el SBC/PBX; alinea la configuración de SRTP (obligatorio, opcional, desactivado); lee el encabezado Warning; para fax, habilita T.38 o recurre al paso transparente en G.711.',
    confusedWith: [
      {
        code: 606,
        difference:
          'El 606 dice que la sesión no es aceptable en ninguna ubicación; el 488 solo habla por este dispositivo, así que otras ramas aún pueden aceptar la oferta.',
      },
      {
        code: 415,
        difference:
          'El 415 significa que el propio tipo de cuerpo no se admite; el 488 significa que el SDP se entendió pero la sesión que propone no es aceptable.',
      },
      {
        code: 580,
        difference:
          'El 580 significa que no se pueden cumplir las precondiciones exigidas (QoS, seguridad); el 488 significa que los propios medios ofrecidos no son aceptables.',
      },
    ],
  },
  {
    code: 489,
    gloss: 'Evento incorrecto',
    summary: 'el servidor no admite el paquete de eventos del encabezado Event',
    meaning:
      'Un SUBSCRIBE (o un NOTIFY, o un PUBLISH) indicó un paquete de eventos que el servidor no entiende; Allow-Events en la respuesta lista los que sí entiende.',
    whenSeen:
      'Teléfonos que se suscriben a BLF (dialog), presencia, indicación de buzón de voz (message-summary), reg o eventos propietarios (por ejemplo, sincronización de teclas de función) hacia servidores que no los ofrecen, y NOTIFY no solicitados hacia dispositivos que no los esperan.',
    fix:
      'Lee Allow-Events y desactiva en el teléfono la suscripción no admitida, o habilita el paquete en el servidor (hints de BLF, notificación de buzón de voz, módulo de presencia).',
    rfc: 'RFC 6665 (definido por primera vez en el RFC 3265)',
    confusedWith: [
      {
        code: 405,
        difference:
          'El 405 rechaza el método para esta dirección; el 489 acepta el método pero no el paquete de eventos indicado.',
      },
      {
        code: 481,
        difference:
          'El 481 responde a un NOTIFY de una suscripción que ya no existe; el 489 rechaza el propio paquete de eventos.',
      },
    ],
  },
  {
    code: 491,
    gloss: 'Petición pendiente',
    summary: 'un re-INVITE/UPDATE chocó con otro ya pendiente en el diálogo (glare)',
    meaning:
      'El receptor tiene pendiente su propio intercambio de oferta y respuesta en el mismo diálogo, así que rechaza este. Cada lado reintenta tras un retardo aleatorio: el lado dueño del Call-ID (el que envió el INVITE original) espera entre 2,1 y 4 s, y el otro lado entre 0 y 2 s.',
    whenSeen:
      'Ambos extremos envían re-INVITE a la vez (poner y quitar la espera, refrescos del temporizador de sesión, cambios de códec o de medios hechos por SBC, transferencias), o un lado envía una oferta nueva antes de que termine el intercambio anterior, incluido su ACK o PRACK.',
    fix:
      'Normalmente se corrige solo tras la espera aleatoria. Si sigue ocurriendo, asegúrate de que solo un lado refresca los temporizadores de sesión (el parámetro refresher), de que ambos respetan la espera aleatoria y de que no se envía ningún UPDATE ni re-INVITE mientras haya una oferta pendiente.',
    confusedWith: [
      {
        code: 500,
        difference:
          'Un UAS que recibe un INVITE nuevo mientras aún está respondiendo a uno anterior en el mismo diálogo responde 500 con Retry-After; el 491 es para dos ofertas que se cruzan (glare).',
      },
      {
        code: 481,
        difference:
          'El 481 significa que el diálogo es desconocido; el 491 significa que el diálogo existe pero está ocupado con otra oferta.',
      },
    ],
  },
  {
    code: 493,
    gloss: 'Indescifrable',
    summary: 'el receptor no puede descifrar un cuerpo S/MIME (no tiene la clave adecuada)',
    meaning:
      'La petición llevaba un cuerpo S/MIME cifrado que el receptor no puede descifrar porque no tiene una clave adecuada.',
    whenSeen:
      'Muy rara vez: el S/MIME de extremo a extremo en SIP casi nunca se despliega; aparece sobre todo en pruebas de interoperabilidad.',
    fix:
      'Cifra con la clave pública correcta del destinatario (comprueba qué certificado se usó), o envía el cuerpo sin cifrar y confía en TLS salto a salto.',
    confusedWith: [
      {
        code: 415,
        difference:
          'El 415 significa que el tipo de cuerpo no se admite; el 493 significa que el cuerpo S/MIME se admite pero no se puede descifrar.',
      },
      {
        code: 400,
        difference:
          'El 400 trata de una sintaxis mal formada; el 493 trata de un cuerpo cifrado que está bien formado pero que este receptor no puede leer.',
      },
    ],
  },
  {
    code: 494,
    gloss: 'Se requiere acuerdo de seguridad',
    summary: 'el servidor exige primero un acuerdo de mecanismo de seguridad (sec-agree)',
    meaning:
      'Acuerdo de mecanismos de seguridad: el servidor exige que el cliente negocie un mecanismo de seguridad (TLS, IPsec, digest…) antes de continuar. Security-Server en la respuesta lista los mecanismos que ofrece; el cliente establece uno y reintenta con Security-Verify.',
    whenSeen:
      'Acceso IMS/VoLTE (P-CSCF) y SBC que lo emulan, hacia clientes que no incluyeron Security-Client ni Require: sec-agree. En IMS de 3GPP el primer REGISTER suele recibir un desafío 401 con Security-Server en lugar de un 494.',
    fix:
      'Habilita sec-agree en el cliente (o desactívalo en el P-CSCF para clientes que no son de 3GPP). Asegúrate de que el cliente envía Security-Client con los mecanismos que admite, establece el elegido (por ejemplo, asociaciones de seguridad IPsec) y devuelve sin cambios la lista del servidor en Security-Verify.',
    confusedWith: [
      {
        code: 421,
        difference:
          'El 421 pide una extensión en general; el 494 pide específicamente acordar un mecanismo de seguridad y lista las opciones.',
      },
      {
        code: 401,
        difference:
          'El 401 pide credenciales; el 494 pide negociar primero un canal protegido (después puede venir la autenticación).',
      },
    ],
  },
];
