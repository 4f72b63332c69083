import type { GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { payloadOf } from '../realtime/delivery';
import { AgentRealtimeResolver } from './internal/agent-realtime.resolver';
import { RealtimeResolver } from './public/realtime.resolver';

/** The resolvers whose subscriptions deliver through `deliver` (src/realtime/delivery.ts), public and internal. */
const SUBSCRIPTION_RESOLVERS: readonly object[] = [RealtimeResolver, AgentRealtimeResolver];

/**
 * Every event a subscription delivers executes its root field, whose resolver only unwraps the
 * payload (`payloadOf`): no middleware, no roles, the arguments unused (they are read at subscribe
 * time). type-graphql's wrapper around such a resolver still costs a resolver instance lookup, a
 * middleware chain, and an asynchronous conversion and validation of each argument — several
 * promises per delivery, thousands per queue move — so both schemas, when built (src/schema.ts), make
 * the root fields of the subscription resolvers below resolve to `payloadOf(root)` directly. Authorization is unchanged:
 * it happens in `subscribe` and at delivery (`deliver`), and the payload's own fields keep their
 * resolvers and guards. Refuses to do it if a middleware or role was ever added to one of them.
 */
export function resolveSubscriptionPayloadsDirectly(schema: GraphQLSchema): void {
  const fields = schema.getSubscriptionType()?.getFields() ?? {};
  for (const metadata of getMetadataStorage().subscriptions.filter((s) => SUBSCRIPTION_RESOLVERS.includes(s.target as never))) {
    const field = fields[metadata.schemaName];
    if (!field) continue;
    if (metadata.middlewares?.length || metadata.roles !== undefined) throw new Error(`subscription ${metadata.schemaName} has middlewares or roles: its resolver must stay type-graphql's`);
    field.resolve = (root: unknown) => payloadOf(root);
  }
}
