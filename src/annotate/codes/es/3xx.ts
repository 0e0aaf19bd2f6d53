import type { ResponseCodeTranslation } from '../types.js';

/** 3xx en español: redirección. */
export const REDIRECTION_CODES_ES: readonly ResponseCodeTranslation[] = [
  {
    code: 300,
    gloss: 'Múltiples opciones',
    summary: 'el destino corresponde a varias direcciones; elige una de Contact y reintenta',
    meaning:
      'La Request-URI corresponde a varias ubicaciones posibles, listadas en Contact (quizá con valores q) o en el cuerpo. El cliente o su usuario elige una y envía la petición allí.',
    whenSeen:
      'Rara vez: servidores de redirección, o registradores que actúan como servidores de redirección para un usuario con varios dispositivos registrados. La mayoría de los teléfonos prueban el primer Contact o lo tratan como un fallo.',
    fix:
      'Haz que el lado llamante siga las redirecciones (el UAC, o un proxy o SBC anterior configurado para recursar ante un 3xx). Si lo que se quería era hacer sonar todos los dispositivos a la vez, configura el servidor para que haga forking de la llamada en lugar de redirigirla.',
    confusedWith: [
      {
        code: 302,
        difference:
          'El 302 suele indicar una única dirección nueva para este intento; el 300 ofrece elegir entre varias igualmente válidas.',
      },
      {
        code: 485,
        difference:
          'El 485 es un fallo que dice que la dirección era ambigua (puede listar candidatos); el 300 es una redirección que espera que el cliente elija y reintente.',
      },
    ],
  },
  {
    code: 301,
    gloss: 'Movido permanentemente',
    summary: 'el usuario se trasladó de forma permanente; reintenta en Contact y actualiza tus datos',
    meaning:
      'La dirección de la Request-URI ya no es válida; el cliente debe reintentar en la dirección de Contact y puede sustituir la dirección antigua en sus propios registros.',
    whenSeen:
      'Poco habitual: migraciones de cuentas o números entre plataformas, servidores de redirección para direcciones retiradas.',
    fix:
      'Sigue la URI de Contact y actualiza el destino guardado (ruta de la troncal, entrada del directorio, marcación rápida). Si el llamante no sigue redirecciones, activa el tratamiento de 3xx en él o en el proxy que tiene delante.',
    confusedWith: [
      {
        code: 302,
        difference:
          'El 301 dice que el traslado es permanente y que hay que actualizar las direcciones guardadas; el 302 solo vale para este intento.',
      },
      {
        code: 410,
        difference:
          'El 410 dice que el usuario ya no está y que no se conoce ninguna dirección nueva; el 301 dice que el usuario ya no está aquí y da la dirección nueva.',
      },
    ],
  },
  {
    code: 302,
    gloss: 'Movido temporalmente',
    summary: 'reintenta la petición en la(s) dirección(es) de Contact; redirección temporal',
    meaning:
      'El cliente debe volver a enviar la petición a la(s) dirección(es) de Contact indicadas; la redirección solo vale por ahora (un valor de Expires puede acotarla), así que las direcciones guardadas no cambian.',
    whenSeen:
      'Es el 3xx más común: desvíos de llamada hechos por redirección (algunas PBX en la nube, CUCM), motores de enrutamiento o de enrutamiento de menor coste que responden a un INVITE de consulta con un 302 que lista los gateways a usar, y servicios de consulta de números o de portabilidad que devuelven su resultado en Contact.',
    fix:
      'Asegúrate de que el lado que recibe el 302 actúa en consecuencia: el UAC, o el proxy/SBC que tiene delante, debe enviar un nuevo INVITE al Contact (activa el seguimiento de redirecciones en esa troncal, o haz que el motor de enrutamiento actúe como proxy en lugar de redirigir). Si el nuevo intento falla, comprueba que el Contact es alcanzable desde el lado redirigido; una cadena de 302 que vuelve al principio es un bucle.',
    confusedWith: [
      {
        code: 301,
        difference:
          'El 302 es temporal y vale para este intento; el 301 es permanente e invita al cliente a actualizar sus registros.',
      },
      {
        code: 181,
        difference:
          'El 181 es provisional: el propio servidor desvía la llamada. El 302 es final: el llamante debe hacer la nueva petición.',
      },
      {
        code: 305,
        difference:
          'El 302 cambia el destino; el 305 mantiene el destino pero indica por qué proxy debe pasar la petición.',
      },
    ],
  },
  {
    code: 305,
    gloss: 'Usar proxy',
    summary: 'la petición debe enviarse a través del proxy indicado en Contact',
    meaning:
      'El recurso solo es accesible a través del proxy indicado en Contact; el cliente debe reenviar la petición a través de ese proxy.',
    whenSeen:
      'Muy raro: configuraciones antiguas de redirección, o redes que exigen un proxy de salida concreto. Como seguirlo a ciegas permite a cualquiera desviar tu tráfico, muchos clientes se niegan a hacerle caso.',
    fix:
      'Comprueba que el proxy indicado es legítimo y configúralo como proxy de salida del cliente (o como ruta en el SBC), en lugar de confiar en que el cliente siga el 305 automáticamente.',
    confusedWith: [
      {
        code: 302,
        difference:
          'El 305 mantiene el destino y cambia el camino (usa este proxy); el 302 cambia el propio destino.',
      },
      {
        code: 380,
        difference:
          'El 380 dice que la llamada no puede completarse tal como se pidió y describe otro servicio; el 305 dice que la misma petición funcionará a través de otro proxy.',
      },
    ],
  },
  {
    code: 380,
    gloss: 'Servicio alternativo',
    summary: 'no se pudo completar como se pidió; se ofrece un servicio alternativo (p. ej. emergencia)',
    meaning:
      'La llamada no pudo completarse tal como se pidió, pero hay servicios alternativos posibles; el cuerpo indica cuáles.',
    whenSeen:
      'Sobre todo en IMS/VoLTE: cuando un teléfono marca un número de emergencia que no reconoció como tal, la red responde 380 con un cuerpo XML de 3GPP que le indica que establezca la llamada como llamada de emergencia. Fuera de ahí es raro.',
    fix:
      'El teléfono debe reintentar la llamada como sesión de emergencia, como indica el cuerpo; si no lo hace, revisa sus listas de números de emergencia (incluidas las que descarga de la red). Fuera de IMS, lee el cuerpo para ver la alternativa propuesta.',
    confusedWith: [
      {
        code: 302,
        difference:
          'El 302 indica una dirección nueva para el mismo servicio; el 380 dice que lo que debe cambiar es el servicio (por ejemplo, a una llamada de emergencia).',
      },
      {
        code: 305,
        difference:
          'El 305 deja la petición como está e indica un proxy por el que enviarla; el 380 describe otro servicio que usar.',
      },
    ],
  },
];
