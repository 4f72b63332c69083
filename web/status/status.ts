/**
 * The live status page served at `GET /status` (STAT-1, STAT-2). Reads every component once over
 * HTTP (`GET /graphql`, cacheable: docs/dashboards.md), then listens to `applicationStatusChanged`
 * over Server-Sent Events (`GET /graphql/stream`, graphql-sse's distinct-connections mode, which a
 * plain `EventSource` speaks). After a lost stream (a restart, a proxy) it reconnects and reads the
 * whole state again, since changes may have been missed meanwhile. No sign-in: the status is public.
 */

import './status.css';

interface ComponentStatus {
  component: string;
  name: string;
  status: string;
  message: string | null;
  updatedAt: string | null;
}

/** Display texts (kept together so they can be translated). */
const TEXT = {
  title: 'Application status',
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost — reconnecting…',
  updated: 'Updated',
  never: 'No report',
  status: {
    OPERATIONAL: 'Operational',
    DEGRADED_PERFORMANCE: 'Degraded performance',
    PARTIAL_OUTAGE: 'Partial outage',
    MAJOR_OUTAGE: 'Major outage',
    MAINTENANCE: 'Maintenance',
  } as Record<string, string>,
};

const FIELDS = 'component name status message updatedAt';
const QUERY = `query ApplicationStatus { applicationStatus { ${FIELDS} } }`;
const SUBSCRIPTION = `subscription ApplicationStatusChanged { applicationStatusChanged { ${FIELDS} } }`;
const MAX_RETRY_MS = 10_000;

const rows = new Map<string, HTMLElement>();
const list = document.getElementById('components')!;
const connection = document.getElementById('connection')!;

function setConnection(state: 'connecting' | 'live' | 'reconnecting'): void {
  connection.dataset.state = state;
  connection.textContent = TEXT[state];
}

function render(status: ComponentStatus): void {
  let row = rows.get(status.component);
  if (!row) {
    row = document.createElement('li');
    row.dataset.component = status.component;
    for (const field of ['name', 'status', 'message', 'updated']) {
      const cell = document.createElement('span');
      cell.dataset.field = field;
      row.append(cell);
    }
    rows.set(status.component, row);
    list.append(row);
  }
  row.dataset.status = status.status;
  const cell = (field: string) => row!.querySelector<HTMLElement>(`[data-field="${field}"]`)!;
  cell('name').textContent = status.name;
  cell('status').textContent = TEXT.status[status.status] ?? status.status;
  cell('message').textContent = status.message ?? '';
  cell('updated').textContent = status.updatedAt ? `${TEXT.updated} ${new Date(status.updatedAt).toLocaleString()}` : TEXT.never;
}

async function readAll(): Promise<void> {
  // a GET the server answers with an ETag: an unchanged status costs a 304
  const res = await fetch(`/graphql?query=${encodeURIComponent(QUERY)}`, { headers: { 'apollo-require-preflight': 'true' } });
  const body = (await res.json()) as { data?: { applicationStatus: ComponentStatus[] } };
  for (const status of body.data?.applicationStatus ?? []) render(status);
}

let retryMs = 1_000;
function listen(): void {
  const source = new EventSource(`/graphql/stream?query=${encodeURIComponent(SUBSCRIPTION)}`);
  source.addEventListener('open', () => {
    retryMs = 1_000;
    // (re)connected: read everything, changes may have happened while the stream was down
    readAll().then(
      () => setConnection('live'),
      () => setConnection('reconnecting'),
    );
  });
  source.addEventListener('next', (event) => {
    const result = JSON.parse((event as MessageEvent<string>).data) as { data?: { applicationStatusChanged?: ComponentStatus } };
    if (result.data?.applicationStatusChanged) render(result.data.applicationStatusChanged);
  });
  source.addEventListener('error', () => {
    setConnection('reconnecting');
    // EventSource retries network errors itself; after an HTTP error (e.g. 503 while draining) it gives up
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(listen, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  });
}

document.title = TEXT.title;
document.getElementById('title')!.textContent = TEXT.title;
setConnection('connecting');
listen();
