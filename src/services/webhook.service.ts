import { randomBytes, randomUUID } from 'node:crypto';
import { canCoverBrand, canManageWebhooks, ownsWebhook } from '../auth/webhook-access';
import type { IntegrationViewer } from '../auth/viewer';
import { defaultWebhookSettings } from '../config';
import type { Context } from '../context';
import { checkWebhookUrlSyntax, hostOf, resolvePublicAddresses } from '../delivery/webhook-address';
import { writeWebhookDelivery } from '../delivery/webhook-producer';
import { DomainError, DomainErrorCode, StateReason, type InputProblem } from '../domain/errors';
import { Brand, OutboxEntry, OutboxStatus, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent } from '../entities';

/** Webhooks one integration may have. */
export const MAX_WEBHOOKS_PER_INTEGRATION = 20;
/** Deliveries the log shows at most per request. */
export const MAX_DELIVERY_LOG_PAGE = 100;

/** Where a delivery is: waiting or retrying, delivered, or given up (outbox status, or the last attempt once the outbox row is purged). */
export type WebhookDeliveryState = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface WebhookAttemptView {
  attempt: number;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  succeeded: boolean;
  error: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  event: WebhookEvent;
  eventId: string;
  ticketId: number | null;
  createdAt: Date;
  redeliveryOf: string | null;
  state: WebhookDeliveryState;
  /** Oldest first. */
  attempts: WebhookAttemptView[];
}

export interface WebhookRegistration {
  url: string;
  events: WebhookEvent[];
  brandIds: string[];
  description?: string | null;
}

export interface WebhookChange {
  id: string;
  url?: string | null;
  events?: WebhookEvent[] | null;
  brandIds?: string[] | null;
  description?: string | null;
  paused?: boolean | null;
  rotateSecret?: boolean | null;
}

/** A new signing secret: 32 random bytes. Shown to the integration once (register, rotate). */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * Webhooks of integrations (docs/webhooks.md): register, list, change, pause, remove, the delivery
 * log and redelivery. An integration sees and changes only its own webhooks (others' are NOT_FOUND);
 * a webhook names the brands it covers, FedRAMP brands only with a FedRAMP-cleared token. Which events
 * reach it is decided when they happen (src/delivery/webhook-producer.ts).
 */
export class WebhookService {
  constructor(private readonly ctx: Context) {}

  private get viewer(): IntegrationViewer {
    const decision = canManageWebhooks(this.ctx.viewer);
    if (!decision.allowed) throw DomainError.forbidden(decision.reason, decision.message);
    return this.ctx.viewer as IntegrationViewer;
  }

  private get allowPrivate(): boolean {
    return (this.ctx.webhooks ?? defaultWebhookSettings(true)).allowPrivateUrls;
  }

  /** The caller's webhooks, oldest first. */
  async list(): Promise<Webhook[]> {
    return this.ctx.em.find(Webhook, { ownerSubject: this.viewer.subject }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** One of the caller's webhooks, or NOT_FOUND at `field`. */
  private async own(id: string, field: string[]): Promise<Webhook> {
    const hook = await this.ctx.em.findOne(Webhook, { id });
    if (!hook || !ownsWebhook(this.viewer, hook)) throw DomainError.input(field, DomainErrorCode.NOT_FOUND, this.ctx.t('userError.webhookNotFound'));
    return hook;
  }

  /** Refuses a URL that may not receive webhooks (scheme, credentials, addresses: SSRF). */
  private async checkUrl(url: string): Promise<InputProblem | undefined> {
    try {
      await resolvePublicAddresses(hostOf(checkWebhookUrlSyntax(url, this.allowPrivate)), this.allowPrivate);
      return undefined;
    } catch (error) {
      // the detail is the URL check's English text: other languages show the reason's own
      return {
        field: ['input', 'url'],
        code: DomainErrorCode.INVALID,
        reason: StateReason.WEBHOOK_URL_NOT_ALLOWED,
        message: this.ctx.t('userError.webhookUrlRefused', { detail: (error as Error).message }),
        messageKey: 'userError.refusal.WEBHOOK_URL_NOT_ALLOWED',
      };
    }
  }

  /** Every brand must exist and may be covered by this integration (FedRAMP needs clearance). */
  private async checkBrands(brandIds: readonly string[]): Promise<InputProblem[]> {
    const brands = new Map((await this.ctx.em.find(Brand, { id: { $in: [...brandIds] } })).map((b) => [b.id, b]));
    const problems: InputProblem[] = [];
    brandIds.forEach((brandId, i) => {
      const brand = brands.get(brandId);
      const field = ['input', 'brandIds', String(i)];
      if (!brand) problems.push({ field, code: DomainErrorCode.NOT_FOUND, message: this.ctx.t('userError.brandNotFound', { brandId }) });
      else if (!canCoverBrand(this.viewer, brand)) problems.push({ field, code: DomainErrorCode.INVALID, reason: StateReason.FEDRAMP_NOT_CLEARED, message: this.ctx.t('userError.fedrampBrandNotCleared', { brandId }) });
    });
    return problems;
  }

  private static throwIfAny(problems: (InputProblem | undefined)[]): void {
    const found = problems.filter((p): p is InputProblem => p !== undefined);
    if (found.length) throw DomainError.of(found);
  }

  async register(input: WebhookRegistration): Promise<{ webhook: Webhook; secret: string }> {
    const viewer = this.viewer;
    const brandIds = [...new Set(input.brandIds)];
    WebhookService.throwIfAny([await this.checkUrl(input.url), ...(await this.checkBrands(brandIds))]);
    const em = this.ctx.em;
    if ((await em.count(Webhook, { ownerSubject: viewer.subject })) >= MAX_WEBHOOKS_PER_INTEGRATION) {
      throw DomainError.input(['input'], DomainErrorCode.LIMIT_EXCEEDED, this.ctx.t('userError.webhookLimit', { max: MAX_WEBHOOKS_PER_INTEGRATION }));
    }
    const now = this.ctx.now();
    const secret = newSecret();
    const webhook = em.create(Webhook, {
      id: randomUUID(),
      ownerSubject: viewer.subject,
      url: input.url,
      events: [...new Set(input.events)],
      brandIds,
      fedrampCleared: viewer.fedrampCleared === true,
      secret,
      description: input.description ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
    return { webhook, secret };
  }

  /** Changes what is given; `paused` pauses or resumes; `rotateSecret` returns the new secret (the old one stops signing at once). */
  async update(input: WebhookChange): Promise<{ webhook: Webhook; secret: string | null }> {
    const hook = await this.own(input.id, ['input', 'id']);
    const brandIds = input.brandIds ? [...new Set(input.brandIds)] : undefined;
    WebhookService.throwIfAny([input.url ? await this.checkUrl(input.url) : undefined, ...(brandIds ? await this.checkBrands(brandIds) : [])]);
    if (input.url) hook.url = input.url;
    if (input.events) hook.events = [...new Set(input.events)];
    if (brandIds) {
      hook.brandIds = brandIds;
      // the clearance follows the token that last chose the brands
      hook.fedrampCleared = this.viewer.fedrampCleared === true;
    }
    if (input.description !== undefined) hook.description = input.description;
    if (input.paused !== undefined && input.paused !== null) hook.paused = input.paused;
    const secret = input.rotateSecret ? newSecret() : null;
    if (secret) hook.secret = secret;
    hook.updatedAt = this.ctx.now();
    await this.ctx.em.flush();
    return { webhook: hook, secret };
  }

  /** Removes the webhook; its waiting deliveries fail when their turn comes, the log goes with it. */
  async remove(id: string): Promise<string> {
    const hook = await this.own(id, ['input', 'id']);
    const em = this.ctx.em;
    await em.transactional(async (tx) => {
      const deliveries = await tx.find(WebhookDelivery, { webhookId: hook.id }, { fields: ['id'] });
      if (deliveries.length) await tx.nativeDelete(WebhookAttempt, { deliveryId: { $in: deliveries.map((d) => d.id) } });
      await tx.nativeDelete(WebhookDelivery, { webhookId: hook.id });
      await tx.nativeDelete(Webhook, { id: hook.id });
    });
    return hook.id;
  }

  /** Sends a delivery's body again as a new delivery (new `Hub-Delivery`, same `eventId`). */
  async redeliver(deliveryId: string): Promise<WebhookDeliveryView> {
    const field = ['input', 'deliveryId'];
    const original = await this.ctx.em.findOne(WebhookDelivery, { id: deliveryId });
    const hook = original ? await this.ctx.em.findOne(Webhook, { id: original.webhookId }) : null;
    if (!original || !hook || !ownsWebhook(this.viewer, hook)) throw DomainError.input(field, DomainErrorCode.NOT_FOUND, this.ctx.t('userError.webhookDeliveryNotFound'));
    if (hook.paused) throw DomainError.state(field, StateReason.WEBHOOK_PAUSED, this.ctx.t('userError.refusal.WEBHOOK_PAUSED'));
    const delivery = await writeWebhookDelivery(
      this.ctx.em,
      {
        webhookId: hook.id,
        event: original.event,
        eventId: original.eventId,
        ticketId: original.ticketId ?? null,
        body: original.body,
        outboxKey: `webhook:${hook.id}:${original.eventId}:redelivery:${randomUUID()}`,
        redeliveryOf: original.id,
      },
      this.ctx.now(),
    );
    return (await this.views([delivery!]))[0];
  }

  /** The delivery log of one of the caller's webhooks, newest first. */
  async deliveries(hook: Webhook, first: number): Promise<WebhookDeliveryView[]> {
    if (!ownsWebhook(this.viewer, hook)) return [];
    const rows = await this.ctx.em.find(WebhookDelivery, { webhookId: hook.id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: Math.min(Math.max(first, 0), MAX_DELIVERY_LOG_PAGE) });
    return this.views(rows);
  }

  private async views(rows: WebhookDelivery[]): Promise<WebhookDeliveryView[]> {
    if (rows.length === 0) return [];
    const em = this.ctx.em;
    const [attempts, outbox] = await Promise.all([
      em.find(WebhookAttempt, { deliveryId: { $in: rows.map((r) => r.id) } }, { orderBy: { id: 'asc' } }),
      em.find(OutboxEntry, { deliveryKey: { $in: rows.map((r) => r.outboxKey) } }, { fields: ['deliveryKey', 'status'] }),
    ]);
    const statusByKey = new Map(outbox.map((o) => [o.deliveryKey, o.status]));
    return rows.map((row) => {
      const own = attempts.filter((a) => a.deliveryId === row.id).map((a) => ({ attempt: a.attempt, at: a.at, statusCode: a.statusCode ?? null, durationMs: a.durationMs, succeeded: a.succeeded, error: a.error ?? null }));
      const status = statusByKey.get(row.outboxKey);
      const state: WebhookDeliveryState = status ? (status === OutboxStatus.PENDING ? 'PENDING' : status === OutboxStatus.DELIVERED ? 'DELIVERED' : 'FAILED') : own.at(-1)?.succeeded ? 'DELIVERED' : 'FAILED';
      return { id: row.id, webhookId: row.webhookId, event: row.event as WebhookEvent, eventId: row.eventId, ticketId: row.ticketId ?? null, createdAt: row.createdAt, redeliveryOf: row.redeliveryOf ?? null, state, attempts: own };
    });
  }
}
