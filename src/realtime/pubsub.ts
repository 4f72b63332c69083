import type { PubSub } from 'type-graphql';

/**
 * type-graphql refuses subscriptions without a PubSub, but ours never use topics: each has its own
 * `subscribe` over the domain event bus (see delivery.ts). This one says so if anything tries.
 */
export const subscriptionPubSub: PubSub = {
  publish() {
    throw new Error('publish domain events on the EventBus (src/realtime/events.ts), not on the type-graphql PubSub');
  },
  subscribe() {
    throw new Error('subscriptions declare their own subscribe function (src/realtime/delivery.ts)');
  },
};
