import { Field, ID, InterfaceType } from 'type-graphql';
import { badUserInput } from '../../auth/errors';
import { TicketRow } from '../../read/tickets';
import { ChatTranscriptEntry, Escalation, Message, Ticket } from '../../entities';
import { TicketKind } from '../../entities/enums';
import { DomainError, DomainErrorCode } from '../../domain/errors';
import type { TicketOrEscalationRef } from '../../domain/tickets';
import { toGlobalId } from '../../domain/global-id';
import type { MessageKey, Translate } from '../../i18n';

const TICKET_TYPE_NAMES: Record<TicketKind, string> = {
  [TicketKind.EMAIL]: 'EmailTicket',
  [TicketKind.PHONE]: 'PhoneTicket',
  [TicketKind.CHAT]: 'ChatTicket',
  [TicketKind.CONFERENCE]: 'ConferenceTicket',
};

/** The object types served as a Node that are plain objects, not rows or entities: they carry their type name. */
export type TaggedNodeType = 'Viewer' | 'Brand' | 'Contract' | 'BillingInquiry';

const NODE_TYPE = Symbol('nodeType');

/** Marks a plain object as a Node of `type`, so `nodeTypeName` (and `node(id)`) knows what it is. */
export function asNode<T extends object>(type: TaggedNodeType, value: T): T {
  return { ...value, [NODE_TYPE]: type };
}

/**
 * The GraphQL object type of an object served as a Node (also the Ticket interface's resolver): a
 * ticket row or entity, an escalation, or a plain object marked with `asNode`.
 */
export function nodeTypeName(value: object): string | undefined {
  if (value instanceof TicketRow || value instanceof Ticket) return TICKET_TYPE_NAMES[value.kind];
  if (value instanceof Escalation) return 'Escalation';
  if (value instanceof Message) return 'TicketMessage';
  if (value instanceof ChatTranscriptEntry) return 'ChatTranscriptEntry';
  return (value as { [NODE_TYPE]?: TaggedNodeType })[NODE_TYPE];
}

/** The Relay node interface: anything with an opaque global id that `node(id)` can fetch again. */
@InterfaceType('Node', {
  description: 'An object with a globally unique, opaque id that `node(id:)` resolves.',
  autoRegisterImplementations: false,
  resolveType: (value: object) => nodeTypeName(value),
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id.' })
  id!: string;
}

// defined below the GraphQL layer: webhook bodies name tickets by the same ids
export { toGlobalId };

/** Decodes a global id; throws BAD_USER_INPUT for anything that is not one of ours. */
export function fromGlobalId(globalId: string): { type: string; localId: string } {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep <= 0 || sep === decoded.length - 1 || toGlobalId(decoded.slice(0, sep), decoded.slice(sep + 1)) !== globalId) {
    throw badUserInput(`"${globalId}" is not a valid id.`, 'id');
  }
  return { type: decoded.slice(0, sep), localId: decoded.slice(sep + 1) };
}

/** Decodes a global id that must be of `type`, returning its numeric local id. */
export function numericIdOf(type: string, globalId: string): number {
  const { type: actual, localId } = fromGlobalId(globalId);
  const n = Number(localId);
  if (actual !== type || !Number.isSafeInteger(n) || n <= 0) {
    throw badUserInput(`"${globalId}" is not a ${type} id.`, 'id');
  }
  return n;
}

/**
 * A global id given in a mutation's input, as its numeric local id. A malformed id or one of another
 * type names nothing the caller can see: a NOT_FOUND userError at `field`, like an unknown id, with
 * the catalog text `key` in the answer language of `t` (LANG-1).
 */
export function inputIdOf(t: Translate, type: string, globalId: string, field: string[], key: MessageKey = 'userError.noSuchTicket'): number {
  try {
    return numericIdOf(type, globalId);
  } catch {
    throw DomainError.input(field, DomainErrorCode.NOT_FOUND, t(key));
  }
}

/** FUP-5: a reference to an earlier ticket or escalation; null when the id is neither. */
export function ticketOrEscalationRef(globalId: string): TicketOrEscalationRef {
  try {
    const { type } = fromGlobalId(globalId);
    if (type === 'Ticket' || type === 'Escalation') return { type, id: numericIdOf(type, globalId) };
  } catch {
    // not one of our ids
  }
  return null;
}
