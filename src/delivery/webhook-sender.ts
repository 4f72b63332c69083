import type { EntityManager } from '@mikro-orm/core';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { canReadTicket } from '../auth/ticket-access';
import { webhookAudience } from '../auth/webhook-access';
import type { WebhookSettings } from '../config';
import { Webhook, WebhookAttempt } from '../entities';
import { readTicketAccessFacts } from '../read/access-facts';
import { readFedrampBrandIds } from '../read/webhooks';
import type { ClaimedEntry } from './outbox-store';
import type { WebhookPayload } from './payloads';
import { checkWebhookUrlSyntax, guardedLookup, hostOf, resolvePublicAddresses, WebhookAddressError } from './webhook-address';
import { PermanentDeliveryError, type Sender } from './worker';

/** `Hub-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (docs/webhooks.md). */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Statuses worth another attempt: the receiver is down or busy, or asked us to come back. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** An answer of the receiver that is not a success. */
class ReceiverAnswer extends Error {
  constructor(readonly status: number) {
    super(status >= 300 && status < 400 ? `answered ${status}: redirects are not followed` : `answered ${status}`);
  }
}

/**
 * Sends WEBHOOK outbox entries: a signed POST of the stored body (src/delivery/payloads.ts) to the
 * webhook's current URL with its current secret. Before each attempt it re-reads the webhook (removed
 * or paused: fails at once) and applies the audience rule again with the brands' FedRAMP flags of
 * now; the URL's addresses are checked inside the socket's lookup (SSRF, webhook-address.ts). Every
 * attempt is written to `webhook_attempt` (the delivery log). A 2xx delivers; 408, 429, 5xx, a
 * timeout or a network error is retried on the outbox schedule; any other answer (other 4xx, 3xx:
 * redirects are not followed) and a refused address fail at once.
 */
export class WebhookSender implements Sender {
  constructor(
    private readonly rootEm: EntityManager,
    private readonly settings: WebhookSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(entry: ClaimedEntry): Promise<void> {
    const payload = entry.payload as unknown as WebhookPayload;
    const em = this.rootEm.fork({ clear: true });
    const hook = await em.findOne(Webhook, { id: payload.webhookId });
    if (!hook) throw new PermanentDeliveryError('the webhook was removed');
    if (hook.paused) throw new PermanentDeliveryError('the webhook is paused (resume it, then redeliver)');
    if (payload.ticketId !== null) {
      const facts = (await readTicketAccessFacts(em, [payload.ticketId])).get(payload.ticketId);
      const audience = webhookAudience(hook, await readFedrampBrandIds(em, hook.brandIds));
      if (!facts || !canReadTicket(audience, facts)) throw new PermanentDeliveryError("the ticket is no longer in the webhook's audience");
    }

    const at = this.now();
    const started = performance.now();
    let status: number | null = null;
    let failure: Error | undefined;
    try {
      status = await this.post(hook, payload, Math.floor(at.getTime() / 1000));
      if (status < 200 || status >= 300) failure = new ReceiverAnswer(status);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    const durationMs = Math.round(performance.now() - started);
    await em.insert(WebhookAttempt, {
      deliveryId: payload.deliveryId,
      attempt: entry.attempt,
      at,
      statusCode: status,
      durationMs,
      succeeded: !failure,
      error: failure ? failure.message.slice(0, 500) : null,
    });
    if (!failure) return;
    if (failure instanceof WebhookAddressError) throw new PermanentDeliveryError(`refused address: ${failure.message}`);
    if (failure instanceof ReceiverAnswer && !isRetryableStatus(failure.status)) throw new PermanentDeliveryError(failure.message);
    throw failure;
  }

  /** One POST; resolves with the status code as soon as the answer's head arrives. */
  private async post(hook: Webhook, payload: WebhookPayload, timestamp: number): Promise<number> {
    const allowPrivate = this.settings.allowPrivateUrls;
    const url = (() => {
      try {
        return checkWebhookUrlSyntax(hook.url, allowPrivate);
      } catch (error) {
        throw new WebhookAddressError((error as Error).message);
      }
    })();
    // a literal address never reaches the socket's lookup: checked here
    if (isIP(hostOf(url))) await resolvePublicAddresses(hostOf(url), allowPrivate);
    const body = Buffer.from(payload.body, 'utf8');
    const timeoutMs = this.settings.timeoutMs;
    return new Promise<number>((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(allowPrivate),
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'user-agent': 'CustomerSuccessHub-Webhooks/1.0',
          'hub-event': payload.event,
          'hub-delivery': payload.deliveryId,
          'hub-signature': webhookSignature(hook.secret, timestamp, payload.body),
        },
      });
      // one deadline for the whole attempt (connect, send, the answer's head), inside the outbox lease
      const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      request.on('response', (response) => {
        clearTimeout(deadline);
        resolve(response.statusCode ?? 0);
        // the answer's body is not needed: drop the connection
        response.destroy();
      });
      request.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      request.end(body);
    });
  }
}
