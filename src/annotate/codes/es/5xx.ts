import type { ResponseCodeTranslation } from '../types.js';

/** 5xx en español: fallo del servidor. */
export const SERVER_FAILURE_CODES_ES: readonly ResponseCodeTranslation[] = [
  {
    code: 500,
    gloss: 'Error interno del servidor',
    summary: 'el servidor sufrió un error inesperado con una petición por lo demás válida',
    meaning:
      'Algo inesperado falló dentro del servidor mientras atendía la petición; Retry-After puede indicar cuándo reintentar. También es la respuesta prescrita, con Retry-After, cuando llega un INVITE nuevo a un diálogo mientras aún se está respondiendo al anterior.',
    whenSeen:
      'Errores de script o de plan de marcación en PBX y proxies, una base de datos o una API externa (enrutamiento, facturación) caída, fallos al reservar recursos de medios o de proxy RTP, límites de licencia en algunos productos, y re-INVITE solapados.',
    fix:
      'Mira los logs del servidor en el momento de la respuesta; la frase de estado o un encabezado Warning a veces nombran el fallo. Revisa los servicios de los que depende (base de datos, proxy RTP, API de enrutamiento). Para re-INVITE solapados, respeta el Retry-After y evita enviar un INVITE nuevo antes de que se complete el anterior.',
    confusedWith: [
      {
        code: 503,
        difference:
          'El 503 dice que el servidor no puede atender temporalmente (sobrecarga, mantenimiento, sin capacidad) y que se puede probar otro servidor; el 500 dice que falló de forma inesperada al intentarlo.',
      },
      {
        code: 491,
        difference:
          'El 491 es para dos ofertas que se cruzan (glare) en un diálogo; el 500 con Retry-After es para un INVITE nuevo que llega mientras el UAS aún está respondiendo al anterior.',
      },
      {
        code: 400,
        difference:
          'El 400 culpa a la petición; el 500 reconoce que el fallo es del servidor.',
      },
    ],
  },
  {
    code: 501,
    gloss: 'No implementado',
    summary: 'el servidor no implementa en absoluto este método de petición',
    meaning:
      'El servidor no admite lo que la petición necesita; normalmente no reconoce el método en absoluto, para ninguna dirección.',
    whenSeen:
      'UPDATE, PRACK, MESSAGE, INFO, PUBLISH, REFER o SUBSCRIBE enviados a gateways y dispositivos mínimos o antiguos, o métodos propietarios enviados a equipos estándar.',
    fix:
      'Revisa el encabezado Allow del otro extremo (en la respuesta a un OPTIONS o en respuestas anteriores) y deja de enviar los métodos que no tiene: refresca las sesiones con re-INVITE en lugar de UPDATE, envía los DTMF como eventos RFC 4733 en lugar de INFO, desactiva las suscripciones hacia ese dispositivo.',
    confusedWith: [
      {
        code: 405,
        difference:
          'El 405 significa que el método existe en el servidor pero no está permitido para esta dirección; el 501 significa que el servidor no lo implementa en ningún caso.',
      },
      {
        code: 420,
        difference:
          'El 420 trata de una extensión listada en Require; el 501 trata del propio método.',
      },
    ],
  },
  {
    code: 502,
    gloss: 'Gateway incorrecto',
    summary: 'un gateway o proxy recibió una respuesta inválida del siguiente servidor',
    meaning:
      'El servidor, actuando como gateway o proxy, recibió una respuesta inválida de un servidor posterior al que consultó para completar la petición.',
    whenSeen:
      'SBC y B2BUA que trasladan un fallo posterior, gateways a la RTC cuyo lado de red falló (algunas causas de liberación de la RTC, como «destination out of order», se traducen a 502) y proxies que no pudieron resolver o alcanzar el siguiente salto.',
    fix:
      'Sigue la llamada un salto más allá: captura al otro lado del gateway o del SBC y encuentra la respuesta o el fallo que no pudo usar. Lee cualquier encabezado Reason en busca de una causa de la RTC (Q.850) y revisa la troncal hacia el operador.',
    confusedWith: [
      {
        code: 504,
        difference:
          'El 504 significa que el servidor posterior no respondió a tiempo; el 502 significa que respondió, pero con algo inservible.',
      },
      {
        code: 503,
        difference:
          'El 503 dice que este mismo servidor no puede atender ahora; el 502 dice que un servidor situado detrás de él se comportó mal.',
      },
      {
        code: 500,
        difference:
          'El 500 es un fallo dentro de este servidor; el 502 es un fallo del que se informa desde más adelante en el camino.',
      },
    ],
  },
  {
    code: 503,
    gloss: 'Servicio no disponible',
    summary: 'el servidor está sobrecargado, en mantenimiento o sin ruta/capacidad ahora mismo',
    meaning:
      'El servidor no puede atender la petición temporalmente (sobrecarga, mantenimiento, falta de recursos); Retry-After puede indicar cuándo volver. Los clientes lo toman como señal para pasar al siguiente servidor (el siguiente destino DNS SRV, por ejemplo), y un proxy normalmente no reenvía un 503 hacia atrás tal cual.',
    whenSeen:
      'Muy común: límites de canales o de llamadas por segundo del operador, ninguna ruta utilizable porque todos los gateways están marcados como caídos, control de sobrecarga del SBC, servidores reiniciándose, límites de licencia y limitación de tasa (SIP no tiene un código «Too Many Requests», así que el 503 cumple ese papel).',
    fix:
      'Lee el Retry-After y la frase de estado. Revisa los límites de canales/CPS del operador y el estado de la cuenta; comprueba si todas las rutas o gateways están marcados como caídos (pings OPTIONS que fallan) y por qué; configura la conmutación a un segundo servidor o destino SRV; limita el ritmo de origen si eres tú quien lo sobrecarga.',
    confusedWith: [
      {
        code: 500,
        difference:
          'El 500 es un error interno inesperado; el 503 es una incapacidad temporal conocida (carga, mantenimiento, capacidad).',
      },
      {
        code: 480,
        difference:
          'El 480 dice que el destinatario no está disponible; el 503 dice que el servidor (o sus rutas) no está disponible, sea quien sea el llamado.',
      },
      {
        code: 504,
        difference:
          'El 504 dice que un servidor más adelante no respondió a tiempo; el 503 dice que este servidor no está atendiendo ahora.',
      },
    ],
  },
  {
    code: 504,
    gloss: 'Tiempo de espera del servidor agotado',
    summary: 'un servidor del que dependía (siguiente salto, DNS, consulta de ruta) no contestó a tiempo',
    meaning:
      'El servidor no recibió a tiempo la respuesta de otro servidor que necesitaba para completar la petición, como el siguiente salto, un servicio de localización o el DNS.',
    whenSeen:
      'Proxies y SBC cuyo INVITE reenviado agotó el tiempo más adelante (algunos productos informan un 504 en este caso, otros un 408), consultas lentas de DNS, ENUM o portabilidad numérica, API HTTP de enrutamiento que no responden a tiempo.',
    fix:
      'Encuentra la dependencia que agotó el tiempo: un siguiente salto inalcanzable (firewall, dirección o puerto erróneos, UDP frente a TCP), un servidor DNS/ENUM lento, una API de enrutamiento lenta. Corrígela, ajusta los tiempos de espera y añade rutas alternativas.',
    confusedWith: [
      {
        code: 408,
        difference:
          'El 408 dice que la propia petición no pudo completarse a tiempo (a menudo el destinatario no contestó); el 504 dice que no respondió un servidor al que este consultó.',
      },
      {
        code: 502,
        difference:
          'El 502 significa que el servidor posterior respondió con algo inválido; el 504 significa que no respondió a tiempo.',
      },
    ],
  },
  {
    code: 505,
    gloss: 'Versión no admitida',
    summary: 'el servidor no admite la versión de SIP de la línea de petición',
    meaning:
      'La versión del protocolo SIP de la petición (en la práctica, cualquier cosa que no sea SIP/2.0) no se admite.',
    whenSeen:
      'Casi nunca en tráfico normal: escáneres y fuzzers que envían versiones raras, o un ALG o proxy defectuoso que corrompe la línea de petición.',
    fix:
      'Asegúrate de que la línea de petición termina en «SIP/2.0»; busca un dispositivo que reescriba la línea inicial; si el origen es un escáner, bloquéalo.',
    confusedWith: [
      {
        code: 400,
        difference:
          'El 400 es para errores de sintaxis generales; el 505 trata específicamente de la versión del protocolo en la línea de petición.',
      },
      {
        code: 501,
        difference:
          'El 501 trata del método; el 505 trata de la versión del protocolo.',
      },
    ],
  },
  {
    code: 513,
    gloss: 'Mensaje demasiado grande',
    summary: 'el mensaje completo es más largo de lo que el servidor puede procesar',
    meaning: 'La longitud del mensaje supera lo que el servidor puede manejar.',
    whenSeen:
      'INVITE grandes (SDP extensos con muchos códecs o candidatos ICE, varios cuerpos, cadenas largas de Via o Record-Route), normalmente sobre UDP, donde además corren el riesgo de fragmentación IP. SIP espera que los mensajes cercanos a la MTU del camino (o de más de 1300 bytes cuando no se conoce) viajen por un transporte con control de congestión como TCP.',
    fix:
      'Reduce el mensaje (quita encabezados, códecs, candidatos o cuerpos innecesarios), envía los mensajes grandes por TCP o TLS, o aumenta el tamaño máximo de mensaje del servidor.',
    confusedWith: [
      {
        code: 413,
        difference:
          'El 413 es un fallo del cliente sobre el tamaño del cuerpo; el 513 es un fallo del servidor sobre el tamaño del mensaje completo.',
      },
      {
        code: 414,
        difference:
          'El 414 trata solo de la Request-URI; el 513 trata del mensaje entero.',
      },
    ],
  },
  {
    code: 555,
    gloss: 'Servicio de notificaciones push no admitido',
    summary: 'el proxy no puede usar el servicio push indicado en el parámetro pn-provider',
    meaning:
      'Notificaciones push en SIP: el agente de usuario se registró con parámetros de URI pn-* que indican un servicio de notificaciones push (pn-provider), y el proxy no admite ese servicio, así que no puede despertar al dispositivo con un push.',
    whenSeen:
      'Softphones móviles que se registran con parámetros push en un registrador o proxy que no admite el proveedor indicado, o a los que se dio un valor de pn-provider erróneo.',
    fix:
      'Configura la aplicación para que use un proveedor push que el servidor admita, o habilita ese proveedor en el proxy; si no, regístrala sin parámetros pn-* y mantén el cliente alcanzable de otra forma (keep-alives, permanecer en primer plano).',
    confusedWith: [
      {
        code: 501,
        difference:
          'El 501 significa que un método no está implementado; el 555 significa que no se admite un servicio push concreto, aunque el mecanismo de registro en sí funciona.',
      },
      {
        code: 480,
        difference:
          'El 480 es lo que reciben los llamantes cuando no se puede llegar a un dispositivo (por ejemplo, un push que no logró despertarlo); el 555 es lo que recibe el dispositivo al registrarse cuando el servicio push no se admite en absoluto.',
      },
    ],
  },
  {
    code: 580,
    gloss: 'Fallo de precondición',
    summary: 'no se pueden cumplir las precondiciones de QoS/seguridad exigidas para la sesión',
    meaning:
      'Marco de precondiciones: la oferta hacía depender la sesión de precondiciones (normalmente una reserva de recursos de QoS, a veces de seguridad) que el UAS no puede o no quiere cumplir, así que la sesión no se establece.',
    whenSeen:
      'IMS/VoLTE, donde las llamadas esperan a que se reserven portadoras dedicadas; fallos en la reserva de recursos de red (control de políticas, establecimiento de la portadora) e interconexión con extremos que no manejan precondiciones obligatorias.',
    fix:
      'Revisa los atributos curr/des/conf del SDP y si la reserva de recursos falló en la red (servidor de políticas, establecimiento de la portadora). Hacia extremos que no admiten precondiciones, deja que el SBC elimine las precondiciones obligatorias de la oferta.',
    confusedWith: [
      {
        code: 488,
        difference:
          'El 488 significa que los propios medios (códecs, transportes) no son aceptables; el 580 significa que los medios están bien pero no se pueden cumplir las precondiciones exigidas.',
      },
      {
        code: 420,
        difference:
          'El 420 significa que el otro extremo no admite la extensión de precondiciones en absoluto; el 580 significa que la admite pero la condición falló.',
      },
    ],
  },
];
