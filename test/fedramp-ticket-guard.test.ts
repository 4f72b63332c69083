import { describe, expect, it } from 'vitest';
import { canReadTicketField, FEDRAMP_TICKET_RECEIPT_FIELDS } from '../src/auth/fedramp-ticket-guard';
import type { Viewer } from '../src/auth/viewer';
import { BrandRole } from '../src/entities';

const customer = (isFedramp: boolean): Viewer =>
  ({ kind: 'customer', accountId: 'a', brandId: 'b', role: BrandRole.STANDARD, isFedramp, account: {} as never, brand: {} as never }) as Viewer;

describe('FED-1: ticket fields a FedRAMP customer may read when a mutation hands a ticket back', () => {
  it.each(['messages', 'participants', 'assignee', 'escalation', 'status', 'lastActivityAt', 'closedAt', 'transcript', 'conferenceCall', 'references', 'viewerCanReply', 'feedback', 'proxyAccess'])(
    'FED-1: %s is history and refused to FedRAMP customers, allowed to others',
    (field) => {
      expect(canReadTicketField(customer(true), field)).toBe(false);
      expect(canReadTicketField(customer(false), field)).toBe(true);
      expect(canReadTicketField({ kind: 'agent', agentId: 'x', agent: {} as never }, field)).toBe(true);
    },
  );

  it.each([...FEDRAMP_TICKET_RECEIPT_FIELDS])('FED-1: the receipt field %s stays readable for FedRAMP customers', (field) => {
    expect(canReadTicketField(customer(true), field)).toBe(true);
  });
});
