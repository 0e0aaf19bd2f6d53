/**
 * The one mechanism for a renderer's own words (column titles, severity and outcome names,
 * "Why/Fix/See", summary phrases) in every language. A catalog is declared once with
 * {@link defineWords}: English is the model, and every other language must have exactly its
 * shape (the same keys, strings where English has strings, functions of the same parameters
 * where English has functions): TypeScript rejects a missing, extra or mistyped word.
 * Plurals and placeholders are functions (`(n: number) => ...`), so nothing is filled in by
 * searching text. Every catalog is registered, so a test can compare the languages word by word.
 */
import { LANGS, type Lang } from '../annotate/i18n.js';

/** The shape another language must give a catalog: T with every string widened to string. */
export type Shape<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Shape<R>
    : T extends object
      ? { readonly [K in keyof T]: Shape<T[K]> }
      : T;

/** A catalog in every language, English the model. */
export type Words<T> = { readonly [L in Lang]: Shape<T> } & { readonly en: T };

const REGISTRY = new Map<string, Words<unknown>>();

/**
 * Declares the words of one renderer (by name, unique) in every language; `es` must have
 * exactly the shape of `en`. Returns the catalog: `catalog[timeline.lang].word`.
 */
export function defineWords<const T extends object>(name: string, catalog: { readonly en: T; readonly es: NoInfer<Shape<T>> }): Words<T> {
  if (REGISTRY.has(name)) throw new Error(`words "${name}" are defined twice`);
  for (const lang of LANGS) if (!(lang in catalog)) throw new Error(`words "${name}" lack ${lang}`);
  const words = catalog as Words<T>;
  REGISTRY.set(name, words as Words<unknown>);
  return words;
}

/** Every catalog declared so far, by name (for the test that compares the languages). */
export function registeredWords(): ReadonlyMap<string, Words<unknown>> {
  return REGISTRY;
}

/** `${n} ${one}` for 1, `${n} ${other}` otherwise: the plural every catalog function writes. */
export function plural(n: number, one: string, other: string): string {
  return `${n} ${n === 1 ? one : other}`;
}

/** The words of a catalog in a language. */
export function wordsIn<T>(words: Words<T>, lang: Lang): Shape<T> {
  return words[lang];
}
