import { IntlMessageFormat } from 'intl-messageformat';
import de from './catalogs/de.json';
import en from './catalogs/en.json';
import es from './catalogs/es.json';
import fr from './catalogs/fr.json';
import it from './catalogs/it.json';
import ja from './catalogs/ja.json';
import nl from './catalogs/nl.json';
import pt from './catalogs/pt.json';
import { DEFAULT_LOCALE, type Locale } from './locales';

/** Every key of the English catalog: the only keys code may ask for. */
export type MessageKey = keyof typeof en;

/** Values of a message's ICU placeholders: text, numbers (plurals) and instants (dates). */
export type MessageParams = Record<string, string | number | Date>;

/** The catalogs, one per display language (src/i18n/catalogs/<locale>.json). */
export const CATALOGS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = { en, de, fr, it, es, pt, nl, ja };

export interface TranslateOptions {
  /** IANA zone in which `{x, date, weekdayTime}` placeholders are shown (default UTC). */
  timeZone?: string;
}

/** Named date formats the catalogs may use, in the zone the caller gives. */
function formatsFor(timeZone: string) {
  return {
    date: {
      // "Monday 07:00": a weekday and a 24-hour time, as an opening time is said
      weekdayTime: { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone },
      day: { year: 'numeric', month: 'long', day: 'numeric', timeZone },
    },
  } as const;
}

const compiled = new Map<string, IntlMessageFormat>();

/** The compiled message, cached per locale, key and zone (a catalog never changes at run time). */
function formatter(locale: Locale, key: MessageKey, timeZone: string): IntlMessageFormat {
  const id = `${locale}\u0000${key}\u0000${timeZone}`;
  let format = compiled.get(id);
  if (!format) {
    // a key missing in a catalog falls back to English (the catalog test keeps this from happening)
    const source = CATALOGS[locale][key] ?? en[key];
    format = new IntlMessageFormat(source, locale, formatsFor(timeZone) as never, { ignoreTag: true });
    compiled.set(id, format);
  }
  return format;
}

/** The text of `key` in `locale`, placeholders filled in (ICU MessageFormat: plurals, dates). */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams, opts: TranslateOptions = {}): string {
  return String(formatter(locale, key, opts.timeZone ?? 'UTC').format(params));
}

/** A translate function bound to one locale, as a context carries it. */
export type Translate = (key: MessageKey, params?: MessageParams, opts?: TranslateOptions) => string;

export function translator(locale: Locale = DEFAULT_LOCALE): Translate {
  return (key, params, opts) => translate(locale, key, params, opts);
}

/** The language's name in `locale` ("Deutsch", "allemand", "ドイツ語"), from CLDR through `Intl`. */
export function languageName(locale: Locale, tag: string): string {
  return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
}

/** Weekday names in `locale`, index 0 = Sunday, from CLDR. */
export function weekdayName(locale: Locale, day: number): string {
  // 2026-01-04 was a Sunday
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 4 + day)));
}
