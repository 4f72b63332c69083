import { createHash } from 'node:crypto';
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context } from '../context';
import { DomainError, DomainErrorCode, StateReason } from '../domain/errors';

/*
 * Idempotent writes (issue 20 point 3): the one mechanism behind every mutation that takes an
 * `idempotencyKey` (the four contact mutations, replies, chat lines). The rows a request writes carry
 * its key under a unique constraint scoped to the caller, so:
 * - a retry finds them and answers with them, writing nothing;
 * - two requests racing with the same key both try to insert; the database keeps one, and the loser
 *   answers with the winner's rows (its own transaction, mails included, is rolled back);
 * - the same key with a different request is refused (TAKEN, reason IDEMPOTENCY_KEY_REUSED): it is
 *   a client bug, and answering with another request's result would hide it.
 */

/** One idempotent write: how to find what a key already produced, whether that answers this request, and the write. */
export interface IdempotentWrite<T> {
  /** The client's key; without one the write simply runs. */
  key: string | null | undefined;
  /** What `key` already produced for this caller, read through `em` (null when nothing). */
  find: (em: EntityManager) => Promise<T | null>;
  /** Whether the stored result was produced by the same request as this one. */
  sameRequest: (stored: T) => boolean;
  /** The write itself (one transaction; publish events only after it returned). */
  write: () => Promise<T>;
}

/** Whose keys a viewer's requests use: keys of different callers never meet. */
export function idempotencyScope(ctx: Context): string {
  const { viewer } = ctx;
  if (viewer.kind === 'customer') return `account:${viewer.accountId}`;
  if (viewer.kind === 'agent') return `agent:${viewer.agentId}`;
  if (viewer.kind === 'integration') return `integration:${viewer.subject}`;
  return 'anonymous';
}

/** A digest of a request's input (its fields in a fixed order), stored beside the key. */
export function requestFingerprint(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

/** Replays, refuses or performs `spec`; `replayed` says which of the first and the last happened. */
export async function idempotent<T>(ctx: Context, spec: IdempotentWrite<T>): Promise<{ result: T; replayed: boolean }> {
  const check = (stored: T): { result: T; replayed: boolean } => {
    if (!spec.sameRequest(stored)) {
      throw DomainError.input(['input', 'idempotencyKey'], DomainErrorCode.TAKEN, ctx.t('userError.idempotencyKeyReused'), StateReason.IDEMPOTENCY_KEY_REUSED);
    }
    return { result: stored, replayed: true };
  };
  if (!spec.key) return { result: await spec.write(), replayed: false };
  const stored = await spec.find(ctx.em);
  if (stored) return check(stored);
  try {
    return { result: await spec.write(), replayed: false };
  } catch (error) {
    // a concurrent request with the same key won the insert: answer with what it stored
    if (error instanceof UniqueConstraintViolationException) {
      const winner = await spec.find(ctx.em.fork({ clear: true }));
      if (winner) return check(winner);
    }
    throw error;
  }
}
