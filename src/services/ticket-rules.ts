import sanitizeHtml from 'sanitize-html';
import { TicketKind } from '../entities/enums';
import { DomainError, DomainErrorCode } from '../domain/errors';
import type { Translate } from '../i18n';

/**
 * HIST-7: a conference ticket is always `Conference call – <username>`; a phone ticket without a
 * subject is `Phone call – <username>`; other kinds keep the subject given.
 */
export function ticketSubject(kind: TicketKind, username: string, subject?: string | null): string {
  const given = subject?.trim();
  if (kind === TicketKind.CONFERENCE) return `Conference call – ${username}`;
  if (kind === TicketKind.PHONE && !given) return `Phone call – ${username}`;
  return given ?? '';
}

/**
 * FUP-2: what a stored message body may contain: simple formatting and links, no script, no event
 * handlers, links only http(s)/mailto. A maintained sanitizer, not regexes.
 */
export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['b', 'strong', 'i', 'em', 'u', 'a', 'p', 'br', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre'],
    allowedAttributes: { a: ['href', 'title', 'rel'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
  });
}

/**
 * A blank (whitespace-only) description is not a description: refused where one is required, and
 * where it is optional an empty one means "none" but a blank one is refused too, so a form never
 * stores spaces as the problem statement. The texts are in the answer language of `t` (LANG-1).
 */
export function checkDescription(t: Translate, description: string | null | undefined, required: boolean, field: string[] = ['input', 'description']): void {
  const blank = (description ?? '').trim() === '';
  if (!blank) return;
  if (required) throw DomainError.input(field, DomainErrorCode.REQUIRED, t('userError.description.required'));
  if (description) throw DomainError.input(field, DomainErrorCode.INVALID, t('userError.description.blank'));
}
