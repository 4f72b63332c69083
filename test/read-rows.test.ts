import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectArrays, selectRows } from '../src/read/driver';
import { TICKET_COLUMNS, TicketRow } from '../src/read/tickets';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, startTestServer, type TestServer } from './utils/harness';

/**
 * The read path's plain rows (src/read/driver.ts): arrays and objects carry the same values in the
 * select order, on a pooled connection and inside a transaction (where statements run through the ORM
 * so they see the transaction's writes).
 */
describe.each(DATABASE_TARGETS)('plain rows for the read path ($name)', (target) => {
  let t: TestServer;
  let number: number;

  beforeAll(async () => {
    t = await startTestServer(target);
    const fx = new Fixtures(t);
    await fx.brand('acme');
    await fx.account('sam', 'acme');
    await fx.agent('agent-1');
    ({ number } = await fx.ticket({
      kind: 'PHONE',
      submitterId: 'sam',
      assigneeId: 'agent-1',
      subject: 'Line drops',
      createdAt: '2026-01-02T03:04:05.000Z',
      phone: { number: '+41445551234', country: 'CH', confirmationEmail: 'sam@example.com', recordingConsent: true },
    }));
  });
  afterAll(() => t?.close());

  const sql = `select ${TICKET_COLUMNS} from ticket t where t.id = ?`;

  it('selectArrays gives the values of selectRows in select order, outside and inside a transaction', async () => {
    const em = t.orm.em.fork();
    const [objectRow] = await selectRows(em, sql, [number]);
    const [arrayRow] = await selectArrays(em, sql, [number]);
    expect(arrayRow).toEqual(Object.values(objectRow));
    const inside = await em.transactional(async (trx) => (await selectArrays(trx, sql, [number]))[0]);
    expect(inside).toEqual(arrayRow);
  });

  it('a TicketRow read from an array holds the ticket as written, in a transaction too', async () => {
    const em = t.orm.em.fork();
    const [values] = await selectArrays(em, sql, [number]);
    const row = new TicketRow(values);
    expect(row).toMatchObject({
      id: number,
      kind: 'PHONE',
      subject: 'Line drops',
      submitter: { id: 'sam' },
      assignee: { id: 'agent-1' },
      brand: { id: 'acme' },
      conference: null,
      phone: { number: '+41445551234', country: 'CH', confirmationEmail: 'sam@example.com', recordingConsent: true, extension: null },
    });
    expect(row.createdAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    const inside = await em.transactional(async (trx) => new TicketRow((await selectArrays(trx, sql, [number]))[0]));
    expect(inside).toEqual(row);
  });
});
