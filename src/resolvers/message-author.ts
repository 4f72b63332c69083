import type { Context } from '../context';
import type { AccountName, AgentName } from '../loaders';
import type { ChatTranscriptEntry } from '../entities';
import { AuthorKind } from './types/enums';
import type { MessageAuthorType } from './types/ticket.types';

/**
 * Who wrote a message, as the ticket shows it: the name and the kind, nothing else. A customer is
 * shown by first and last name (the username when both are empty), as participants are; an agent by
 * the display name the assignee field shows. An e-mail without a known author (a recorded ticket,
 * a forwarded one) is shown as the team or the customer, in the reader's language.
 */
export function messageAuthor(ctx: Pick<Context, 't'>, kind: AuthorKind, account: AccountName | null, agent: AgentName | null): MessageAuthorType {
  if (kind === AuthorKind.AGENT) return { kind, name: agent?.displayName ?? ctx.t('author.support') };
  if (kind === AuthorKind.CUSTOMER) return { kind, name: account ? `${account.firstName} ${account.lastName}`.trim() || account.username : ctx.t('author.customer') };
  return { kind, name: ctx.t('author.support') };
}

/** A chat line's author: the name recorded with it; the hub's own lines in the reader's language. */
export function lineAuthor(ctx: Pick<Context, 't'>, line: ChatTranscriptEntry): MessageAuthorType {
  const kind = line.authorKind as unknown as AuthorKind;
  return { kind, name: kind === AuthorKind.SYSTEM ? ctx.t('author.support') : line.authorName };
}

/** A chat line's text: what its author wrote, or the hub's notice in the reader's language (LANG-1). */
export function lineText(ctx: Pick<Context, 't'>, line: ChatTranscriptEntry): string {
  const notice = line.systemNotice;
  if (!notice) return line.text;
  switch (notice.code) {
    case 'AGENT_JOINED':
      return ctx.t('chat.system.AGENT_JOINED', { agent: notice.agentName ?? ctx.t('author.support') });
    case 'QUEUE_LEFT':
      return ctx.t('chat.system.QUEUE_LEFT');
    case 'ENDED_BY_CUSTOMER':
      return ctx.t('chat.system.ENDED_BY_CUSTOMER');
    case 'ENDED_BY_AGENT':
      return ctx.t('chat.system.ENDED_BY_AGENT');
  }
}
