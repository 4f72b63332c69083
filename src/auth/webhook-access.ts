import { ForbiddenReason } from './errors';
import type { Decision } from './ticket-access';
import type { IntegrationViewer, Viewer } from './viewer';

/** What the rules read of a webhook: whose it is, the brands it covers, and its FedRAMP clearance. */
export interface WebhookAudienceFacts {
  ownerSubject: string;
  brandIds: readonly string[];
  fedrampCleared: boolean;
}

/**
 * The viewer a webhook receives ticket events as: its integration, scoped to the webhook's brands,
 * with FedRAMP brands left out unless the webhook was registered by a FedRAMP-cleared integration
 * (FED-1: FedRAMP data never reaches a non-FedRAMP integration). `fedrampBrandIds` are the brands
 * that are FedRAMP now (read at enqueue and again at send time), so a brand that becomes FedRAMP
 * stops reaching uncleared webhooks at once. Events pass `canReadTicket` with this viewer: the same
 * ticket visibility rule as every query.
 */
export function webhookAudience(hook: WebhookAudienceFacts, fedrampBrandIds: ReadonlySet<string>): IntegrationViewer {
  const brandIds = hook.brandIds.filter((id) => hook.fedrampCleared || !fedrampBrandIds.has(id));
  return { kind: 'integration', subject: hook.ownerSubject, fedrampCleared: hook.fedrampCleared, brandIds };
}

/** May this caller manage webhooks at all? Integrations (`hub:integration`) only: the endpoints belong to them. */
export function canManageWebhooks(viewer: Viewer): Decision {
  if (viewer.kind === 'integration') return { allowed: true };
  return { allowed: false, reason: ForbiddenReason.NOT_AN_INTEGRATION, message: 'Webhooks are registered by integrations.' };
}

/** May this integration cover this brand with a webhook? A FedRAMP brand needs a FedRAMP-cleared token. */
export function canCoverBrand(viewer: IntegrationViewer, brand: { fedramp: boolean }): boolean {
  return !brand.fedramp || viewer.fedrampCleared === true;
}

/** Is this webhook the caller's? Integrations see and change only the webhooks they registered. */
export function ownsWebhook(viewer: IntegrationViewer, hook: { ownerSubject: string }): boolean {
  return hook.ownerSubject === viewer.subject;
}
