import type { EntityManager } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { Viewer } from './auth/viewer';
import { resolveLocale, translator, type Locale, type Translate } from './i18n';
import { DEFAULT_SUPPORT_SETTINGS, type SupportSettings, type WebhookSettings } from './config';
import { createLoaders, type Loaders } from './loaders';
import type { EventBus } from './realtime/events';
import type { RealtimeRuntime } from './realtime/runtime';
import type { TicketMailer } from './mail/ticket-mailer';
import type { StagedUploads } from './services/attachment-storage';
import type { AttachmentLinks } from './services/attachment-links';

/** What every resolver receives: a fresh entity-manager fork, the viewer and fresh loaders. */
export interface Context {
  em: EntityManager;
  viewer: Viewer;
  loaders: Loaders;
  requestId: string;
  /**
   * LANG-1: the display language of this request or subscription event, resolved once here from
   * `Accept-Language` (or the WebSocket's), else the account's language, else English.
   */
  locale: Locale;
  /** Texts for display in `locale` (src/i18n); services and field resolvers call only this. */
  t: Translate;
  /** The instant the request is evaluated at; injectable so time rules are testable. */
  now: () => Date;
  /** Operational settings of the support flow (from the configuration). */
  settings: SupportSettings;
  /** In-process domain event bus; logged events reach it from the event log once committed (src/realtime/event-log.ts). */
  events?: EventBus;
  /** Staged attachment uploads (FUP-3), linked to messages by `replyToTicket`. */
  uploads?: StagedUploads;
  /** PREF-6: key of the e-mail preference manage links; undefined when links are not enabled. */
  preferenceLinkKey?: Uint8Array;
  /** CON-9/CON-10: writes the ticket mails into the outbox, inside the service's transaction. */
  mailer?: TicketMailer;
  /** FUP-6: signs the short-lived attachment URLs. */
  attachmentLinks?: AttachmentLinks;
  /** Webhook URL rules (private addresses allowed or not); unset: production rules. */
  webhooks?: WebhookSettings;
  /**
   * Subscriptions only (RT-3): a brand-new context, viewer re-read from the database, for one event
   * (contexts for the same `eventId` share their fork and loaders on this instance).
   */
  renew?: (eventId?: string) => Promise<Context>;
  /** Subscriptions only: the server's real-time runtime (in-flight deliveries, queue fan-out). */
  realtime?: RealtimeRuntime;
  /** Subscriptions over SSE only: the stream's `Last-Event-ID` header (where a ticket subscription resumes). */
  lastEventId?: string;
}

/** What the server passes to every context besides the viewer. */
export interface ContextOptions {
  requestId?: string;
  now?: () => Date;
  settings?: SupportSettings;
  events?: EventBus;
  uploads?: StagedUploads;
  preferenceLinkKey?: Uint8Array;
  mailer?: TicketMailer;
  attachmentLinks?: AttachmentLinks;
  webhooks?: WebhookSettings;
  /** LANG-1: the request's (or WebSocket's) `Accept-Language`. */
  acceptLanguage?: string;
}

/**
 * One context per request and per subscription event. Never reuses a fork: a subscription outlives its
 * events, and cached entities or loaders would serve stale data.
 */
export function createContext(rootEm: EntityManager, viewer: Viewer, opts: ContextOptions = {}): Context {
  const em = rootEm.fork({ clear: true });
  const locale = localeFor(viewer, opts.acceptLanguage);
  return {
    em,
    viewer,
    loaders: createLoaders(em),
    requestId: opts.requestId ?? randomUUID(),
    locale,
    t: translator(locale),
    now: opts.now ?? (() => new Date()),
    settings: opts.settings ?? DEFAULT_SUPPORT_SETTINGS,
    preferenceLinkKey: opts.preferenceLinkKey,
    events: opts.events,
    uploads: opts.uploads,
    mailer: opts.mailer,
    attachmentLinks: opts.attachmentLinks,
    webhooks: opts.webhooks,
  };
}

/** LANG-1 for one viewer: the header's language, else the customer account's, else English. */
export function localeFor(viewer: Viewer, acceptLanguage: string | undefined): Locale {
  return resolveLocale(acceptLanguage, viewer.kind === 'customer' ? viewer.account.language : undefined);
}
