import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import './explorer.css';
import { createClient, type Client } from 'graphql-ws';
import { createRoot } from 'react-dom/client';
import { useMemo, useState } from 'react';

/**
 * The GraphQL explorer served at `GET /graphql` (development, or HUB_EXPLORER=true): GraphiQL from
 * the project's own npm dependencies, bundled by scripts/build-web.ts — nothing from a CDN.
 * Queries and mutations go over HTTP (`POST /graphql`), subscriptions over the WebSocket on the same
 * path, both with the Authorization header from the headers editor (or a picked demo token).
 */

interface DemoToken {
  label: string;
  token: string;
}

/** Display texts (kept together so they can be translated). */
const TEXT = {
  title: 'Customer Success Hub — GraphQL explorer',
  signInAs: 'Sign in as',
  anonymous: 'anonymous',
  hint: 'Picks a demo account: sets the Authorization header for queries and subscriptions.',
};

function readDemoTokens(): DemoToken[] {
  const element = document.getElementById('demo-tokens');
  if (!element?.textContent) return [];
  try {
    return JSON.parse(element.textContent) as DemoToken[];
  } catch {
    return [];
  }
}

type Params = { query: string; operationName?: string | null; variables?: Record<string, unknown> | null };

function authorizationOf(headers: Record<string, unknown> | undefined): string | undefined {
  if (!headers) return undefined;
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  return undefined;
}

/** One WebSocket client per Authorization value (a socket authenticates once, at connection_init). */
const wsClients = new Map<string, Client>();
function wsClient(authorization: string | undefined): Client {
  const key = authorization ?? '';
  let client = wsClients.get(key);
  if (!client) {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    // a function, so a reconnect (after 4403 or a restart) sends the value again
    client = createClient({ url, connectionParams: () => (authorization ? { authorization } : {}) });
    wsClients.set(key, client);
  }
  return client;
}

const isSubscription = (query: string, operationName?: string | null) => {
  // good enough to route: GraphiQL sends one document; a named operation picks its own keyword
  const pattern = operationName ? new RegExp(`subscription\\s+${operationName}\\b`) : /^\s*subscription\b/m;
  return pattern.test(query.replace(/#[^\n]*/g, ''));
};

async function* subscribe(params: Params, authorization: string | undefined) {
  yield* wsClient(authorization).iterate({ query: params.query, operationName: params.operationName ?? undefined, variables: params.variables ?? undefined });
}

function fetcher(params: Params, opts?: { headers?: Record<string, unknown> }) {
  const authorization = authorizationOf(opts?.headers);
  if (isSubscription(params.query, params.operationName)) return subscribe(params, authorization);
  return fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts?.headers as Record<string, string> | undefined) },
    body: JSON.stringify(params),
  }).then((res) => res.json());
}

function Explorer({ demoTokens }: { demoTokens: DemoToken[] }) {
  const [picked, setPicked] = useState('');
  const headers = useMemo(() => (picked ? JSON.stringify({ Authorization: `Bearer ${picked}` }, null, 2) : undefined), [picked]);
  return (
    <div className="hub-explorer">
      {demoTokens.length > 0 && (
        <label className="hub-demo" title={TEXT.hint}>
          {TEXT.signInAs}{' '}
          <select aria-label={TEXT.signInAs} value={picked} onChange={(event) => setPicked(event.target.value)}>
            <option value="">{TEXT.anonymous}</option>
            {demoTokens.map((d) => (
              <option key={d.label} value={d.token}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {/* a new key when the token changes: GraphiQL takes `headers` as its initial value */}
      <GraphiQL key={picked} fetcher={fetcher as never} headers={headers} shouldPersistHeaders={false} defaultEditorToolsVisibility={Boolean(headers) && 'headers'} />
    </div>
  );
}

document.title = TEXT.title;
createRoot(document.getElementById('explorer')!).render(<Explorer demoTokens={readDemoTokens()} />);
