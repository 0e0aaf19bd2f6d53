/**
 * Spanish shared by several rules' translations: the words the shared readers (call.ts,
 * waiting.ts) put into report data, and option texts that several rules repeat. Data keeps the
 * English value; these only change how a Spanish sentence shows it (RuleTexts.values).
 */

/** methodOf(), unansweredData() and friends say 'request' when a message has no method. */
export const REQUEST_ES = 'mensaje de petición';

/** A method placeholder: methodOf(), groupData(), unansweredData() say 'request' when there is none. */
export const METHOD_VALUES_ES = { request: REQUEST_ES } as const;

/** A URI placeholder: targetOf() (groupData) says '(unknown)' when the request was not captured. */
export const URI_VALUES_ES = { '(unknown)': '(desconocida)' } as const;

/** The words groupData() (responseGroups) can put into method and uri, for rules whose texts use both. */
export const GROUP_VALUES_ES = { method: METHOD_VALUES_ES, uri: URI_VALUES_ES } as const;

/** The t1Ms option, as every rule that estimates T1 describes it. */
export const T1_MS_OPTION_ES = 'T1 en milisegundos cuando la llamada no muestra ninguna retransmisión de la que medirlo (500 ms por defecto en la RFC 3261).';
