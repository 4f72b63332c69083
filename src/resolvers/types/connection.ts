import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { badUserInput } from '../../auth/errors';
import type { PageRequest } from '../../domain/ticket-list';

/** The largest page a connection serves; also the default cap for `first`/`last`. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ simpleResolvers: true, description: 'Relay page information.' })
export class PageInfo {
  @Field({ description: 'More items follow the last edge.' })
  hasNextPage!: boolean;

  @Field({ description: 'More items precede the first edge.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge.' })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Items after \`after\`; at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor to page forward from.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Items before \`before\`; at most ${MAX_PAGE_SIZE}.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor to page backward from.' })
  before?: string | null;
}

export type { PageRequest };

/** Validates Relay paging arguments into one direction and size. */
export function pageRequest(args: ConnectionArgs): PageRequest {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw badUserInput('Pass either `first` or `last`, not both.', 'first');
  if (after != null && before != null) throw badUserInput('Pass either `after` or `before`, not both.', 'after');
  if (last == null && before != null) throw badUserInput('`before` pages backward: pass it with `last`.', 'before');
  if (first == null && after != null && last != null) throw badUserInput('`after` pages forward: pass it with `first`.', 'after');
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(`\`${name}\` must be between 0 and ${MAX_PAGE_SIZE}, got ${value}.`, name);
    }
  }
  if (last != null) return { forward: false, size: last, cursor: before ?? null };
  return { forward: true, size: first ?? DEFAULT_PAGE_SIZE, cursor: after ?? null };
}
