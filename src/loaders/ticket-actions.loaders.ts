import DataLoader from 'dataloader';
import type { Context } from '../context';
import { Message, ProxyAccessChange, TicketFeedback } from '../entities';

/**
 * Loaders for the follow-up / closing / proxy-access fields, built lazily once per context (so a list
 * of tickets asking `viewerCanReply` costs one query per batch, not per ticket).
 */
function build(ctx: Context) {
  const { em } = ctx;
  return {
    /** Number of e-mails per ticket. */
    messageCount: new DataLoader<number, number>(async (ids) => {
      const rows = await em.find(Message, { ticket: { $in: [...ids] } }, { fields: ['id', 'ticket'] });
      const counts = new Map<number, number>();
      for (const row of rows) counts.set(row.ticket.id, (counts.get(row.ticket.id) ?? 0) + 1);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    feedback: new DataLoader<number, TicketFeedback | null>(async (ids) => {
      const rows = await em.find(TicketFeedback, { ticket: { $in: [...ids] } });
      const map = new Map(rows.map((r) => [r.ticket.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    /** The viewer's own proxy-access changes per ticket, oldest first. */
    proxyChanges: new DataLoader<number, ProxyAccessChange[]>(async (ids) => {
      const accountId = ctx.viewer.kind === 'customer' ? ctx.viewer.accountId : null;
      const groups = new Map<number, ProxyAccessChange[]>(ids.map((id) => [id, []]));
      if (accountId) {
        const rows = await em.find(ProxyAccessChange, { ticket: { $in: [...ids] }, account: accountId }, { orderBy: { changedAt: 'asc', id: 'asc' } });
        for (const row of rows) groups.get(row.ticket.id)?.push(row);
      }
      return ids.map((id) => groups.get(id) ?? []);
    }),
  };
}

export type TicketActionLoaders = ReturnType<typeof build>;

const cache = new WeakMap<Context, TicketActionLoaders>();

export function ticketActionLoaders(ctx: Context): TicketActionLoaders {
  let loaders = cache.get(ctx);
  if (!loaders) cache.set(ctx, (loaders = build(ctx)));
  return loaders;
}
