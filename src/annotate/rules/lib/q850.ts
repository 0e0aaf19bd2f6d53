/**
 * ITU-T Q.850 cause values (carried in SIP by `Reason: Q.850;cause=N`, RFC 3326) and the SIP
 * warn-codes (RFC 3261 §20.43, RFC 5630), with the meaning an engineer needs.
 */
export const Q850_CAUSES: ReadonlyMap<number, string> = new Map([
  [1, 'unallocated (unassigned) number'],
  [2, 'no route to the specified transit network'],
  [3, 'no route to destination'],
  [4, 'send special information tone'],
  [5, 'misdialled trunk prefix'],
  [6, 'channel unacceptable'],
  [7, 'call awarded and being delivered in an established channel'],
  [8, 'preemption'],
  [9, 'preemption: circuit reserved for reuse'],
  [16, 'normal call clearing'],
  [17, 'user busy'],
  [18, 'no user responding'],
  [19, 'no answer from user (user alerted)'],
  [20, 'subscriber absent'],
  [21, 'call rejected'],
  [22, 'number changed'],
  [23, 'redirection to new destination'],
  [25, 'exchange routing error'],
  [26, 'non-selected user clearing'],
  [27, 'destination out of order'],
  [28, 'invalid number format (address incomplete)'],
  [29, 'facility rejected'],
  [30, 'response to STATUS ENQUIRY'],
  [31, 'normal, unspecified'],
  [34, 'no circuit/channel available'],
  [38, 'network out of order'],
  [41, 'temporary failure'],
  [42, 'switching equipment congestion'],
  [43, 'access information discarded'],
  [44, 'requested circuit/channel not available'],
  [46, 'precedence call blocked'],
  [47, 'resource unavailable, unspecified'],
  [49, 'quality of service not available'],
  [50, 'requested facility not subscribed'],
  [53, 'outgoing calls barred within CUG'],
  [55, 'incoming calls barred within CUG'],
  [57, 'bearer capability not authorized'],
  [58, 'bearer capability not presently available'],
  [62, 'inconsistency in designated outgoing access information and subscriber class'],
  [63, 'service or option not available, unspecified'],
  [65, 'bearer capability not implemented'],
  [66, 'channel type not implemented'],
  [69, 'requested facility not implemented'],
  [70, 'only restricted digital information bearer capability is available'],
  [79, 'service or option not implemented, unspecified'],
  [81, 'invalid call reference value'],
  [82, 'identified channel does not exist'],
  [83, 'a suspended call exists, but this call identity does not'],
  [84, 'call identity in use'],
  [85, 'no call suspended'],
  [86, 'call having the requested call identity has been cleared'],
  [87, 'user not member of CUG'],
  [88, 'incompatible destination'],
  [90, 'non-existent CUG'],
  [91, 'invalid transit network selection'],
  [95, 'invalid message, unspecified'],
  [96, 'mandatory information element is missing'],
  [97, 'message type non-existent or not implemented'],
  [98, 'message not compatible with call state or message type non-existent or not implemented'],
  [99, 'information element / parameter non-existent or not implemented'],
  [100, 'invalid information element contents'],
  [101, 'message not compatible with call state'],
  [102, 'recovery on timer expiry'],
  [103, 'parameter non-existent or not implemented, passed on'],
  [110, 'message with unrecognized parameter, discarded'],
  [111, 'protocol error, unspecified'],
  [127, 'interworking, unspecified'],
]);

/** What q850Meaning() says of a cause Q.850 does not define. */
export const Q850_UNDEFINED = 'not a cause value defined in Q.850';

export function q850Meaning(cause: number): string {
  return Q850_CAUSES.get(cause) ?? Q850_UNDEFINED;
}

/** SIP warn-codes: RFC 3261 §20.43 (3xx for session description problems) and RFC 5630 (380, 381). */
export const WARN_CODES: ReadonlyMap<number, string> = new Map([
  [300, 'incompatible network protocol'],
  [301, 'incompatible network address formats'],
  [302, 'incompatible transport protocol'],
  [303, 'incompatible bandwidth units'],
  [304, 'media type not available'],
  [305, 'incompatible media format'],
  [306, 'attribute not understood'],
  [307, 'session description parameter not understood'],
  [330, 'multicast not available'],
  [331, 'unicast not available'],
  [370, 'insufficient bandwidth'],
  [380, 'SIPS not allowed'],
  [381, 'SIPS required'],
  [399, 'miscellaneous warning'],
]);

/** What warnCodeMeaning() says of a Warning without a code, and of a code no RFC registers. */
export const NO_WARN_CODE = 'no warn-code';
export const UNREGISTERED_WARN_CODE = 'not a registered warn-code';

export function warnCodeMeaning(code: number | null): string {
  return code === null ? NO_WARN_CODE : (WARN_CODES.get(code) ?? UNREGISTERED_WARN_CODE);
}

/** The Q.850 meanings in Spanish, for the same cause values as Q850_CAUSES. */
export const Q850_CAUSES_ES: ReadonlyMap<number, string> = new Map([
  [1, 'número no asignado (no atribuido)'],
  [2, 'no hay ruta hacia la red de tránsito especificada'],
  [3, 'no hay ruta hacia el destino'],
  [4, 'enviar tono de información especial'],
  [5, 'prefijo de troncal marcado erróneamente'],
  [6, 'canal inaceptable'],
  [7, 'llamada adjudicada y entregada en un canal ya establecido'],
  [8, 'preferencia'],
  [9, 'preferencia: circuito reservado para reutilización'],
  [16, 'liberación normal de la llamada'],
  [17, 'usuario ocupado'],
  [18, 'el usuario no responde'],
  [19, 'no hay respuesta del usuario (usuario avisado)'],
  [20, 'abonado ausente'],
  [21, 'llamada rechazada'],
  [22, 'número cambiado'],
  [23, 'redirección a un destino nuevo'],
  [25, 'error de enrutamiento en la central'],
  [26, 'liberación de un usuario no seleccionado'],
  [27, 'destino fuera de servicio'],
  [28, 'formato de número no válido (dirección incompleta)'],
  [29, 'facilidad rechazada'],
  [30, 'respuesta a STATUS ENQUIRY'],
  [31, 'normal, no especificada'],
  [34, 'no hay circuito/canal disponible'],
  [38, 'red fuera de servicio'],
  [41, 'fallo temporal'],
  [42, 'congestión del equipo de conmutación'],
  [43, 'información de acceso descartada'],
  [44, 'el circuito/canal solicitado no está disponible'],
  [46, 'llamada con precedencia bloqueada'],
  [47, 'recurso no disponible, no especificado'],
  [49, 'calidad de servicio no disponible'],
  [50, 'facilidad solicitada no contratada'],
  [53, 'llamadas salientes prohibidas dentro del CUG'],
  [55, 'llamadas entrantes prohibidas dentro del CUG'],
  [57, 'capacidad portadora no autorizada'],
  [58, 'capacidad portadora no disponible en este momento'],
  [62, 'incoherencia entre la información de acceso saliente designada y la clase de abonado'],
  [63, 'servicio u opción no disponible, no especificado'],
  [65, 'capacidad portadora no implementada'],
  [66, 'tipo de canal no implementado'],
  [69, 'facilidad solicitada no implementada'],
  [70, 'solo está disponible la capacidad portadora de información digital restringida'],
  [79, 'servicio u opción no implementado, no especificado'],
  [81, 'valor de referencia de llamada no válido'],
  [82, 'el canal identificado no existe'],
  [83, 'existe una llamada suspendida, pero no esta identidad de llamada'],
  [84, 'identidad de llamada en uso'],
  [85, 'no hay ninguna llamada suspendida'],
  [86, 'la llamada con la identidad solicitada ya se liberó'],
  [87, 'el usuario no es miembro del CUG'],
  [88, 'destino incompatible'],
  [90, 'CUG inexistente'],
  [91, 'selección de red de tránsito no válida'],
  [95, 'mensaje no válido, no especificado'],
  [96, 'falta un elemento de información obligatorio'],
  [97, 'tipo de mensaje inexistente o no implementado'],
  [98, 'mensaje no compatible con el estado de la llamada, o tipo de mensaje inexistente o no implementado'],
  [99, 'elemento de información / parámetro inexistente o no implementado'],
  [100, 'contenido de elemento de información no válido'],
  [101, 'mensaje no compatible con el estado de la llamada'],
  [102, 'recuperación al vencer un temporizador'],
  [103, 'parámetro inexistente o no implementado, transmitido'],
  [110, 'mensaje con un parámetro no reconocido, descartado'],
  [111, 'error de protocolo, no especificado'],
  [127, 'interfuncionamiento, no especificado'],
]);

/** The warn-code meanings in Spanish, for the same codes as WARN_CODES. */
export const WARN_CODES_ES: ReadonlyMap<number, string> = new Map([
  [300, 'protocolo de red incompatible'],
  [301, 'formatos de dirección de red incompatibles'],
  [302, 'protocolo de transporte incompatible'],
  [303, 'unidades de ancho de banda incompatibles'],
  [304, 'tipo de medio no disponible'],
  [305, 'formato de medio incompatible'],
  [306, 'atributo no entendido'],
  [307, 'parámetro de la descripción de sesión no entendido'],
  [330, 'multicast no disponible'],
  [331, 'unicast no disponible'],
  [370, 'ancho de banda insuficiente'],
  [380, 'SIPS no permitido'],
  [381, 'SIPS obligatorio'],
  [399, 'aviso diverso'],
]);

/**
 * Every meaning q850Meaning() and warnCodeMeaning() can return, English -> Spanish: the values
 * table a rule's Spanish texts use to show them (the finding's data keeps the English meaning).
 */
export function meaningsEs(): Record<string, string> {
  const out: Record<string, string> = {
    [Q850_UNDEFINED]: 'no es un valor de causa definido en Q.850',
    [NO_WARN_CODE]: 'sin warn-code',
    [UNREGISTERED_WARN_CODE]: 'no es un warn-code registrado',
  };
  for (const [cause, meaning] of Q850_CAUSES) out[meaning] = Q850_CAUSES_ES.get(cause) ?? meaning;
  for (const [code, meaning] of WARN_CODES) out[meaning] = WARN_CODES_ES.get(code) ?? meaning;
  return out;
}
