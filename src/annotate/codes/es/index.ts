/** Los textos en español de la base de conocimiento, reunidos en un solo sitio. */
import type { ResponseCodeTranslation } from '../types.js';
import { PROVISIONAL_CODES_ES } from './1xx.js';
import { SUCCESS_CODES_ES } from './2xx.js';
import { REDIRECTION_CODES_ES } from './3xx.js';
import { CLIENT_FAILURE_CODES_ES } from './4xx.js';
import { SERVER_FAILURE_CODES_ES } from './5xx.js';
import { GLOBAL_FAILURE_CODES_ES } from './6xx.js';

export { RESPONSE_CLASSES_ES, CLASS_PHRASE_ES } from './classes.js';
export { GENERATED_ES } from './generated.js';
export { METHOD_NOTES_ES, RESPONSE_IN_CONTEXT_ES, TIMELINE_NOTES_ES, UNKNOWN_METHOD_NOTE_ES } from './methods.js';

/** Every Spanish code entry, 1xx to 6xx. */
export const CODE_TEXTS_ES: readonly ResponseCodeTranslation[] = [
  ...PROVISIONAL_CODES_ES,
  ...SUCCESS_CODES_ES,
  ...REDIRECTION_CODES_ES,
  ...CLIENT_FAILURE_CODES_ES,
  ...SERVER_FAILURE_CODES_ES,
  ...GLOBAL_FAILURE_CODES_ES,
];
