import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { ChatRefusal } from '../src/auth/chat-access';
import { ErrorCode, ForbiddenReason, InputErrorReason } from '../src/auth/errors';
import { SectionUnavailableReason } from '../src/auth/profile-access';
import { isAuthorizationRefusal, TicketActionRefusal } from '../src/auth/ticket-actions';
import { DomainErrorCode } from '../src/domain/errors';
import { CATALOGS, LOCALES, translate, type MessageKey } from '../src/i18n';

/** Every ICU argument of a message as "name:type" (plural/select options included), sorted. */
function placeholders(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.argument) found.add(`${el.value}:text`);
      else if (el.type === TYPE.number) found.add(`${el.value}:number`);
      else if (el.type === TYPE.date || el.type === TYPE.time) found.add(`${el.value}:date`);
      else if (el.type === TYPE.plural) {
        found.add(`${el.value}:plural`);
        for (const option of Object.values(el.options)) walk(option.value);
      } else if (el.type === TYPE.select) {
        found.add(`${el.value}:select(${Object.keys(el.options).filter((o) => o !== 'other').sort().join(',')})`);
        for (const option of Object.values(el.options)) walk(option.value);
      } else if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return [...found].sort();
}

const english = CATALOGS.en;
const englishKeys = Object.keys(english).sort();

describe('LANG-1: message catalogs', () => {
  it.each(LOCALES.filter((l) => l !== 'en'))('LANG-1: %s has every English key and no other', (locale) => {
    const keys = Object.keys(CATALOGS[locale]).sort();
    expect(englishKeys.filter((k) => !keys.includes(k)), `keys missing in ${locale}`).toEqual([]);
    expect(keys.filter((k) => !englishKeys.includes(k)), `keys in ${locale} that English lacks`).toEqual([]);
  });

  it.each(LOCALES.filter((l) => l !== 'en'))('LANG-1: every %s message has the placeholders of its English source', (locale) => {
    const differing = englishKeys
      .filter((key) => key in CATALOGS[locale])
      .filter((key) => JSON.stringify(placeholders(CATALOGS[locale][key])) !== JSON.stringify(placeholders(english[key])))
      .map((key) => `${key}: ${placeholders(CATALOGS[locale][key]).join(' ')} ≠ ${placeholders(english[key]).join(' ')}`);
    expect(differing).toEqual([]);
  });

  it.each(LOCALES)('LANG-1: every %s message is valid ICU, is not empty and formats', (locale) => {
    for (const key of englishKeys as MessageKey[]) {
      const source = CATALOGS[locale][key];
      expect(source.trim(), `${locale} ${key}`).not.toBe('');
      const params = Object.fromEntries(
        placeholders(english[key]).map((p) => {
          const [name, type] = p.split(':');
          return [name, type === 'date' ? new Date('2026-03-09T13:00:00Z') : type === 'plural' ? 2 : type.startsWith('select') ? 'CHAT' : 'x'];
        }),
      );
      const text = translate(locale, key, params, { timeZone: 'America/Denver' });
      expect(text, `${locale} ${key}`).not.toMatch(/[{}]/);
    }
  });

  it('LANG-1: a translation differs from English wherever the text is not a product name', () => {
    // product names stay as the seeds write them (XM Directory, Stats iQ, API (v3), …); everything else is translated
    const same = LOCALES.filter((l) => l !== 'en').flatMap((locale) => englishKeys.filter((key) => CATALOGS[locale][key] === english[key]).map((key) => `${locale}:${key}`));
    const untranslatable = /^(productArea\.[A-Z0-9_]+\.name|component\.(API_V3|XM_DIRECTORY|EMPLOYEE_360|LOGINS)\.name|method\.(CHAT|EMAIL)|hours\.(dayRange|withEnterprise)|hours\.window)$/;
    expect(same.filter((entry) => !untranslatable.test(entry.split(':')[1]))).toEqual([]);
  });
});

describe('LANG-1: every code and reason a client gets has its text', () => {
  // the completeness test above then holds each of them to all eight languages
  const missing = (keys: string[]) => keys.filter((key) => !(key in english));

  it('LANG-1: every FORBIDDEN reason (ForbiddenReason, and the who-you-are TicketActionRefusals) has error.FORBIDDEN.<REASON>', () => {
    const forbidden = [...Object.values(ForbiddenReason), ...Object.values(TicketActionRefusal).filter(isAuthorizationRefusal)];
    expect(missing(forbidden.map((reason) => `error.FORBIDDEN.${reason}`))).toEqual([]);
  });

  it("LANG-1: every state refusal of the access rules (ticket actions, chat) has the text its userError shows", () => {
    const ticketStates = Object.values(TicketActionRefusal).filter((reason) => !isAuthorizationRefusal(reason));
    expect(ticketStates.length).toBeGreaterThan(0);
    expect(missing(ticketStates.map((reason) => `userError.ticketState.${reason}`))).toEqual([]);
    expect(missing(Object.values(ChatRefusal).map((reason) => `userError.refusal.${reason}`))).toEqual([]);
  });

  it('LANG-1: every BAD_USER_INPUT reason, error code, userError code and section reason has a text', () => {
    expect(missing(Object.values(InputErrorReason).map((reason) => `error.BAD_USER_INPUT.${reason}`))).toEqual([]);
    // FORBIDDEN always carries a reason (above)
    expect(missing(Object.values(ErrorCode).filter((code) => code !== ErrorCode.FORBIDDEN).map((code) => `error.${code}`))).toEqual([]);
    expect(missing(Object.values(DomainErrorCode).filter((code) => code !== DomainErrorCode.FORBIDDEN).map((code) => `userError.code.${code}`))).toEqual([]);
    const sectionKeys = Object.keys(english).filter((key) => key.startsWith('section.'));
    expect(Object.values(SectionUnavailableReason).filter((reason) => !sectionKeys.some((key) => key.endsWith(`.${reason}`)))).toEqual([]);
  });
});
