import type { AuthConfig } from '../config';
import { DEMO_IDENTITIES } from '../db/demo-seed';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, signLocalToken } from './token';

/** A ready-to-use token of a demo identity and the endpoint it is for. */
export interface DemoToken {
  label: string;
  endpoint: '/graphql' | '/internal/graphql';
  token: string;
}

/**
 * The tokens the embedded default prints at start-up (src/main.ts), one per demo identity: signed
 * with the local secret, and as long-lived as tokens may be (`AUTH_MAX_TOKEN_LIFETIME_SECONDS`), so
 * the server accepts them until they expire; a restart prints fresh ones.
 */
export async function demoTokens(auth: Extract<AuthConfig, { kind: 'secret' }>): Promise<DemoToken[]> {
  const lifetime = auth.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  return Promise.all(
    DEMO_IDENTITIES.map(async (identity) => ({
      label: identity.label,
      endpoint: identity.scopes.length ? ('/internal/graphql' as const) : ('/graphql' as const),
      token: await signLocalToken(auth.secret, identity.subject, { expiresIn: `${lifetime}s`, scopes: identity.scopes, issuer: auth.issuer, audience: auth.audience }),
    })),
  );
}

/** How long the demo tokens are valid, for people ("24 hours"). */
export function demoTokenValidity(auth: AuthConfig): string {
  const lifetime = auth.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  return lifetime >= 3600 && lifetime % 3600 === 0 ? `${lifetime / 3600} hours` : `${lifetime} seconds`;
}
