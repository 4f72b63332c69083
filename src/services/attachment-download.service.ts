import { canUseTicketHistory } from '../auth/ticket-access';
import { forbidden } from '../auth/errors';
import type { Context } from '../context';
import { Attachment } from '../entities';
import type { AttachmentStorage } from './attachment-storage';
import { TicketQueryService } from './ticket-query.service';

export interface OpenedAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/**
 * FUP-6: the bytes of an attachment for the context's viewer, under exactly the rule of `ticket(id)`:
 * FedRAMP customers are refused (FED-1), anyone who cannot read the ticket gets null, the same
 * answer as for an attachment that does not exist.
 */
export async function openAttachment(ctx: Context, storage: AttachmentStorage, attachmentId: number): Promise<OpenedAttachment | null> {
  const history = canUseTicketHistory(ctx.viewer);
  if (!history.allowed) throw forbidden(history.reason, history.message);
  const attachment = await ctx.em.findOne(Attachment, { id: attachmentId }, { populate: ['message'] });
  if (!attachment) return null;
  const ticket = await new TicketQueryService(ctx).findReadableRow(attachment.message.getEntity().ticket.id);
  if (!ticket) return null;
  const content = await storage.get(attachment.storageKey);
  if (!content) return null;
  return { fileName: attachment.fileName, contentType: attachment.contentType, content };
}
