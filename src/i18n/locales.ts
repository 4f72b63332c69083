import Negotiator from 'negotiator';

/**
 * The hub's display languages (LANG-1), as BCP-47 primary tags. English first: it is the fallback and
 * the source language of every catalog.
 */
export const LOCALES = ['en', 'de', 'fr', 'it', 'es', 'pt', 'nl', 'ja'] as const;

/** One of the hub's display languages. */
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

const AVAILABLE: string[] = [...LOCALES];

/**
 * The best display language for an `Accept-Language` value (q-values honoured, `de-DE` falls back to
 * `de`, `q=0` excluded, `*` ignored), or undefined when the header is absent or names no language the
 * hub serves.
 */
export function localeFromAcceptLanguage(header: string | undefined | null): Locale | undefined {
  if (!header) return undefined;
  // `*` says "anything": no preference, so the account's language still decides
  const ranges = header.split(',').filter((range) => range.split(';')[0].trim() !== '*');
  if (ranges.length === 0) return undefined;
  // negotiator ranks by q, then by specificity, then by order; a region tag matches its language
  const [best] = new Negotiator({ headers: { 'accept-language': ranges.join(',') } }).languages(AVAILABLE);
  return best ? (best.toLowerCase() as Locale) : undefined;
}

const MAX_REMEMBERED = 1000;
const resolved = new Map<string, Locale>();

/**
 * LANG-1: the request's `Accept-Language`, else the account's preferred language (a BCP-47 tag such as
 * `it` or `it-IT`), else English. Resolved once per request and per subscription event.
 */
export function resolveLocale(acceptLanguage: string | undefined | null, accountLanguage?: string | null): Locale {
  // a subscription event resolves it for every subscriber: the few distinct pairs are remembered
  const id = `${acceptLanguage ?? ''}\u0000${accountLanguage ?? ''}`;
  let locale = resolved.get(id);
  if (!locale) {
    locale = localeFromAcceptLanguage(acceptLanguage) ?? localeFromAcceptLanguage(accountLanguage) ?? DEFAULT_LOCALE;
    if (resolved.size >= MAX_REMEMBERED) resolved.clear();
    resolved.set(id, locale);
  }
  return locale;
}

