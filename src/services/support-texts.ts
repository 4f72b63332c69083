import { ProductArea, SupportLanguage } from '../entities/enums';
import { languageName, weekdayName, type Locale, type Translate } from '../i18n';
import { hoursOf, HoursKind, WEEKDAYS, type Hours, type HoursWindow } from './opening-hours';
import { ContactMethod, UnavailableReason, type MethodAvailability, type MethodWindow, type WeeklyWindow } from './support-hours';

/**
 * The display texts of the contact page (CON-2…8, LANG-1), from the codes and windows of
 * support-hours.ts: plain functions of data and a translate function, so the rules stay free of texts.
 */

/** BCP-47 tag of each support language, as tickets record it (HIST-6) and `Intl` names it. */
export const SUPPORT_LANGUAGE_TAG: Readonly<Record<SupportLanguage, string>> = {
  [SupportLanguage.ENGLISH]: 'en',
  [SupportLanguage.SPANISH]: 'es',
  [SupportLanguage.PORTUGUESE]: 'pt',
  [SupportLanguage.GERMAN]: 'de',
  [SupportLanguage.FRENCH]: 'fr',
  [SupportLanguage.ITALIAN]: 'it',
  [SupportLanguage.DUTCH]: 'nl',
  [SupportLanguage.JAPANESE]: 'ja',
};

/** The zone as people say it in `locale` ("Mountain Time", "Rocky-Mountains-Zeit"); GMT stays GMT. */
export function zoneName(locale: Locale, timeZone: string): string {
  if (timeZone === 'Etc/GMT' || timeZone === 'UTC') return 'GMT';
  const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date(0)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** Days as said in `locale`: a run of consecutive days as a range ("Monday–Friday"), else a list. */
function daysText(t: Translate, locale: Locale, window: HoursWindow): string {
  const indexes = window.days.map((d) => WEEKDAYS.indexOf(d));
  const consecutive = indexes.every((d, i) => i === 0 || d === indexes[i - 1] + 1);
  if (indexes.length > 2 && consecutive) return t('hours.dayRange', { first: weekdayName(locale, indexes[0]), last: weekdayName(locale, indexes[indexes.length - 1]) });
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(indexes.map((d) => weekdayName(locale, d)));
}

/** One line for a method's hours: "Monday–Friday, 07:00–16:30 (Mountain Time)", "24 hours a day, 7 days a week", … */
export function hoursSummary(t: Translate, locale: Locale, hours: Hours): string {
  switch (hours.kind) {
    case HoursKind.ALWAYS:
      return t('hours.always');
    case HoursKind.NOT_OFFERED:
      return t('hours.notOffered');
    case HoursKind.BY_APPOINTMENT:
      return t('hours.scheduled');
    case HoursKind.WEEKLY:
      return hours.windows
        .map((w) => {
          const timeZone = zoneName(locale, w.timeZone);
          if (w.closesDaysLater === 0) return t('hours.window', { days: daysText(t, locale, w), opens: w.opens, closes: w.closes, timeZone });
          const openDay = WEEKDAYS.indexOf(w.days[0]);
          return t('hours.span', { openDay: weekdayName(locale, openDay), opens: w.opens, closeDay: weekdayName(locale, (openDay + w.closesDaysLater) % 7), closes: w.closes, timeZone });
        })
        .join('; ');
    default: {
      const never: never = hours.kind;
      throw new Error(`unknown hours kind ${String(never)}`);
    }
  }
}

/** Hours as data plus their one-line summary in `locale`. */
export function presentHours(t: Translate, locale: Locale, window: MethodWindow, now: Date): Hours & { summary: string } {
  const hours = hoursOf(window, now);
  return { ...hours, summary: hoursSummary(t, locale, hours) };
}

/** CON-4: why a method is not available, as a sentence in `locale`; null when it is available. */
export function unavailableMessage(t: Translate, locale: Locale, m: MethodAvailability, area: ProductArea, language: SupportLanguage, now: Date): string | null {
  const reason = m.unavailableReason;
  if (!reason) return null;
  const productArea = t(`productArea.${area}.name`);
  switch (reason) {
    case UnavailableReason.OUT_OF_HOURS: {
      const window = m.window as WeeklyWindow;
      const { opensAt } = hoursOf(window, now);
      return t('unavailable.OUT_OF_HOURS', { method: m.method, opensAt: opensAt!, timeZone: zoneName(locale, window.timeZone) }, { timeZone: window.timeZone });
    }
    case UnavailableReason.LANGUAGE_NOT_OFFERED:
      return t('unavailable.LANGUAGE_NOT_OFFERED', { method: m.method, language: languageName(locale, SUPPORT_LANGUAGE_TAG[language]) });
    case UnavailableReason.PRODUCT_NOT_COVERED:
      return t('unavailable.PRODUCT_NOT_COVERED', { method: m.method, productArea });
    case UnavailableReason.LICENSE:
      return t('unavailable.LICENSE', { method: m.method });
    case UnavailableReason.NOT_SUCCESS_PACKAGE:
      return t('unavailable.NOT_SUCCESS_PACKAGE');
    case UnavailableReason.SEPARATE_TEAM:
      return t('unavailable.SEPARATE_TEAM', { productArea });
    default: {
      const never: never = reason;
      throw new Error(`unknown reason ${String(never)}`);
    }
  }
}

/** CON-8: when an e-mail written now in `language` is picked up, with the sentence that says so. */
export function pickUp(t: Translate, locale: Locale, window: WeeklyWindow, language: SupportLanguage, now: Date): { pickUpAt: Date; pickUpNotice: string } {
  const pickUpAt = hoursOf(window, now).opensAt!;
  const pickUpNotice = t(
    'contact.pickUp',
    { language: languageName(locale, SUPPORT_LANGUAGE_TAG[language]), pickUpAt, timeZone: zoneName(locale, window.timeZone) },
    { timeZone: window.timeZone },
  );
  return { pickUpAt, pickUpNotice };
}

export const CONTACT_METHODS: readonly ContactMethod[] = [ContactMethod.CHAT, ContactMethod.EMAIL, ContactMethod.PHONE, ContactMethod.CONFERENCE];
