import { CATALOGS, translate, type MessageKey } from './translate';
import type { Locale } from './locales';

/**
 * The display text of an error leaving the server, from its `extensions.code` (and `reason` for
 * FORBIDDEN): `error.<CODE>.<REASON>` or `error.<CODE>` in the catalog. English keeps the server's own,
 * more specific message (undefined here); codes without a catalog text (input and limit errors, which
 * name fields and figures for developers) stay as raised. Used by the HTTP error formatter and the
 * WebSocket server alike.
 */
export function localizeErrorMessage(locale: Locale, code: unknown, reason: unknown): string | undefined {
  if (locale === 'en' || typeof code !== 'string') return undefined;
  const specific = typeof reason === 'string' ? `error.${code}.${reason}` : undefined;
  const key = specific && specific in CATALOGS.en ? specific : `error.${code}`;
  return key in CATALOGS.en ? translate(locale, key as MessageKey) : undefined;
}
