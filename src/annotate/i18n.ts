/**
 * The languages siplens writes its explanations, notes and findings in. English is the
 * default everywhere; Spanish is chosen with `--lang es` or from a Spanish locale.
 */

export type Lang = 'en' | 'es';

/** Every supported language, default first. */
export const LANGS: readonly Lang[] = Object.freeze(['en', 'es'] as const);

export const DEFAULT_LANG: Lang = 'en';

/** True for the language codes siplens supports ("en", "es"). */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Thrown when a caller (JavaScript, or a value read at run time) names a language siplens lacks. */
export class UnsupportedLangError extends RangeError {
  readonly lang: unknown;
  constructor(lang: unknown) {
    super(`unsupported language ${JSON.stringify(lang)}: siplens speaks ${LANGS.join(', ')}`);
    this.name = 'UnsupportedLangError';
    this.lang = lang;
  }
}

/** Returns the language unchanged, or throws {@link UnsupportedLangError}. */
export function checkLang(lang: unknown): Lang {
  if (!isLang(lang)) throw new UnsupportedLangError(lang);
  return lang;
}

/**
 * The language asked for by the locale environment, as POSIX resolves LC_MESSAGES: the first
 * non-empty of LC_ALL, LC_MESSAGES and LANG decides, so `LC_ALL=C LANG=es_ES.UTF-8` is English.
 * A Spanish locale (`es`, `es_ES.UTF-8`, `es_MX`, `es-AR`, `es@euro` …) gives 'es'; anything
 * else, or nothing set, gives 'en'.
 */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = env[name]?.trim();
    if (value) return /^es(?:[_.@-]|$)/i.test(value) ? 'es' : 'en';
  }
  return DEFAULT_LANG;
}
