import { type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedFieldsAt } from '../src/resolvers/types/look-ahead';

/** The resolve info of the root field of `query`, as far as `selectedFieldsAt` reads it. */
function infoOf(query: string): GraphQLResolveInfo {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments } as unknown as GraphQLResolveInfo;
}

describe('look-ahead of a connection (which relations a ticket page loads up front)', () => {
  it('finds fields selected directly, in inline fragments and in named fragments, nested or repeated', () => {
    const info = infoOf(`{
      tickets(first: 5) {
        totalCount
        edges { cursor node { id subject } }
        ...More
        edges { node { ... on EmailTicket { participants { username } ...Who } } }
      }
    }
    fragment More on TicketConnection { edges { node { ...Who } } }
    fragment Who on Ticket { submitter { username } ... on PhoneTicket { assignee { name } } }`);
    expect([...selectedFieldsAt(info, ['edges', 'node'])].sort()).toEqual(['assignee', 'id', 'participants', 'subject', 'submitter']);
    expect([...selectedFieldsAt(info, ['edges'])].sort()).toEqual(['cursor', 'node']);
    expect([...selectedFieldsAt(info, [])].sort()).toEqual(['edges', 'totalCount']);
  });

  it('finds nothing under a path the query does not select, and survives a fragment that spreads itself', () => {
    expect(selectedFieldsAt(infoOf('{ tickets(first: 5) { totalCount } }'), ['edges', 'node']).size).toBe(0);
    const cyclic = infoOf('{ tickets(first: 1) { ...A } } fragment A on TicketConnection { totalCount ...A }');
    expect([...selectedFieldsAt(cyclic, [])]).toEqual(['totalCount']);
  });
});
