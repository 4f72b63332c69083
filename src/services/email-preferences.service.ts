import type { EntityManager } from '@mikro-orm/core';
import type { Context } from '../context';
import { DomainError, DomainErrorCode, InputProblems, StateReason } from '../domain/errors';
import type { EmailPreferenceChange, EmailPreferences } from '../domain/profile';
import type { Translate } from '../i18n';
import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { canUnsubscribe, emailPreferencesEligibility, preferenceCategoriesFor } from '../auth/profile-access';
import { Account, EmailPreference, PendingPreferenceChange } from '../entities';
import { BrandRole, EmailPreferenceCategory } from '../entities/enums';

/** PREF-5: a saved change takes effect this long after it was saved. */
export const PREFERENCE_DELAY_MS = 24 * 60 * 60 * 1000;

/** PREF-6: how long a manage link works. */
export const MANAGE_LINK_TTL_SECONDS = 30 * 24 * 60 * 60;

const LINK_AUDIENCE = 'hub:email-preferences';

/** PREF-6: the manage-link signing key, derived from the auth secret so it never equals a login key. */
export function derivePreferenceLinkKey(authSecret: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', authSecret).update('hub/email-preferences-link/v1').digest());
}

/** PREF-6: signs a manage-link token bound to one address. */
export async function signManageLinkToken(key: Uint8Array, email: string, now: Date, ttlSeconds = MANAGE_LINK_TTL_SECONDS): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ email: email.toLowerCase() })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(LINK_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(key);
}

/** PREF-6: the address a manage-link token is bound to; a userError (in `t`'s language) when invalid or expired. */
export async function verifyManageLinkToken(key: Uint8Array | undefined, token: string, now: Date, t: Translate): Promise<string> {
  const refuse = (message: string) => DomainError.input(['input', 'token'], DomainErrorCode.INVALID, message);
  if (!key) throw refuse(t('userError.manageLink.disabled'));
  try {
    const { payload } = await jwtVerify(token, key, { audience: LINK_AUDIENCE, algorithms: ['HS256'], currentDate: now });
    if (typeof payload.email !== 'string' || payload.email === '') throw new Error('no address');
    return payload.email;
  } catch (error) {
    const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
    throw refuse(t(expired ? 'userError.manageLink.expired' : 'userError.manageLink.invalid'));
  }
}

/**
 * PREF-1…6: preferences keyed by e-mail address; changes are stored as pending and applied by
 * `applyDuePreferenceChanges` when due.
 */
export class EmailPreferencesService {
  constructor(private readonly ctx: Context) {}

  private get em(): EntityManager {
    return this.ctx.em;
  }

  /** Current values with the pending changes, for the categories of `role`. */
  async get(email: string, role: BrandRole): Promise<EmailPreferences> {
    const address = email.toLowerCase();
    const [rows, pending] = await Promise.all([
      this.em.find(EmailPreference, { email: address }),
      this.em.find(PendingPreferenceChange, { email: address, appliedAt: null }, { orderBy: { id: 'asc' } }),
    ]);
    const current = new Map(rows.map((r) => [r.category, r.subscribed]));
    const pendingBy = new Map(pending.map((p) => [p.category, p]));
    return {
      email: address,
      settings: preferenceCategoriesFor(role).map((category) => {
        const p = pendingBy.get(category);
        return {
          category,
          subscribed: canUnsubscribe(category) ? (current.get(category) ?? true) : true,
          canUnsubscribe: canUnsubscribe(category),
          pending: p ? { subscribed: p.subscribed, effectiveAt: p.effectiveAt, requestedAt: p.requestedAt } : null,
        };
      }),
    };
  }

  /**
   * Saves changes as pending (effective 24 h later), replacing any earlier pending change of the same
   * category; a change back to the current value just cancels the pending one. Every change is
   * checked first: one refusal and nothing is saved.
   */
  async save(email: string, role: BrandRole, changes: EmailPreferenceChange[], source: 'HUB' | 'MANAGE_LINK'): Promise<void> {
    const now = this.ctx.now();
    const allowed = new Set(preferenceCategoriesFor(role));
    const problems = new InputProblems();
    const seen = new Set<EmailPreferenceCategory>();
    changes.forEach((change, i) => {
      const field = ['input', 'changes', String(i), 'category'];
      if (!allowed.has(change.category)) {
        problems.add(field, DomainErrorCode.INVALID, this.ctx.t('userError.emailPreferences.categoryNotOffered', { category: change.category }));
      } else if (!canUnsubscribe(change.category) && !change.subscribed) {
        problems.add(['input', 'changes', String(i), 'subscribed'], DomainErrorCode.INVALID, this.ctx.t('userError.operationalUpdatesRequired'));
      } else if (seen.has(change.category)) {
        problems.add(field, DomainErrorCode.INVALID, this.ctx.t('userError.emailPreferences.listedTwice', { category: change.category }));
      }
      seen.add(change.category);
    });
    problems.throwIfAny();
    const address = email.toLowerCase();
    await this.em.transactional(async (em) => {
      for (const change of changes) {
        if (!canUnsubscribe(change.category)) continue; // always subscribed: nothing to store
        await em.nativeDelete(PendingPreferenceChange, { email: address, category: change.category, appliedAt: null });
        const current = await em.findOne(EmailPreference, { email: address, category: change.category });
        if ((current?.subscribed ?? true) === change.subscribed) continue;
        em.create(PendingPreferenceChange, {
          email: address,
          category: change.category,
          subscribed: change.subscribed,
          source,
          requestedAt: now,
          effectiveAt: new Date(now.getTime() + PREFERENCE_DELAY_MS),
        });
      }
    });
  }

  /** PREF-6: the role that decides the categories of an address: brand admin if any eligible account with it is. */
  async roleForAddress(email: string): Promise<BrandRole> {
    const accounts = await this.em.find(Account, { email: email.toLowerCase() }, { populate: ['brand'] });
    const eligible = accounts.filter((a) => emailPreferencesEligibility({ accountType: a.accountType, isFedramp: a.brand.getEntity().fedramp }).available);
    if (eligible.length === 0) {
      throw DomainError.state(['input', 'token'], StateReason.EMAIL_PREFERENCES_NOT_ELIGIBLE, this.ctx.t('userError.emailPreferences.notEligible'));
    }
    return eligible.some((a) => a.role === BrandRole.BRAND_ADMIN) ? BrandRole.BRAND_ADMIN : BrandRole.STANDARD;
  }
}

/**
 * PREF-5: applies every pending change due at `now`, each exactly once even when several instances
 * run this at the same time: a row is claimed with `update … set applied_at = now where id = ? and
 * applied_at is null` and only the caller whose update affected the row applies it, in the same
 * transaction. Returns how many changes this call applied.
 */
export async function applyDuePreferenceChanges(rootEm: EntityManager, now: Date, batchSize = 500): Promise<number> {
  const em = rootEm.fork({ clear: true });
  const due = await em.find(
    PendingPreferenceChange,
    { appliedAt: null, effectiveAt: { $lte: now } },
    { orderBy: { id: 'asc' }, limit: batchSize },
  );
  let applied = 0;
  for (const change of due) {
    const claimed = await em.fork({ clear: true }).transactional(async (tx) => {
      const affected = await tx.nativeUpdate(PendingPreferenceChange, { id: change.id, appliedAt: null }, { appliedAt: now });
      if (affected !== 1) return false;
      await tx.upsert(EmailPreference, { email: change.email, category: change.category, subscribed: change.subscribed, updatedAt: now });
      return true;
    });
    if (claimed) applied += 1;
  }
  return applied;
}
