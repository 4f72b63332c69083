import 'reflect-metadata';
import { defaultFieldResolver, type GraphQLError, GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { canReadTicketField, FEDRAMP_TICKET_RECEIPT_FIELDS } from '../src/auth/fedramp-ticket-guard';
import { buildInternalSchema, buildPublicSchema } from '../src/schema';
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

describe('FED-1: the guard sits on every field of every ticket type of both schemas', () => {
  it.each([
    ['public', buildPublicSchema],
    ['internal', buildInternalSchema],
  ] as const)('FED-1: %s schema — every history field of every ticket type refuses a FedRAMP customer and serves everyone else', async (_name, build) => {
    const schema = await build();
    const ticketTypes = Object.values(schema.getTypeMap()).filter(
      (type): type is GraphQLObjectType => type instanceof GraphQLObjectType && type.getInterfaces().some((i) => i.name === 'Ticket'),
    );
    expect(ticketTypes.map((type) => type.name).sort()).toEqual(expect.arrayContaining(['ChatTicket', 'ConferenceTicket', 'EmailTicket', 'PhoneTicket']));
    let historyFields = 0;
    for (const type of ticketTypes) {
      for (const field of Object.values(type.getFields())) {
        const info = { fieldName: field.name, parentType: type } as unknown as GraphQLResolveInfo;
        const run = (viewer: Viewer) => (field.resolve ?? defaultFieldResolver)({ [field.name]: 'value' }, {}, { viewer }, info);
        if (FEDRAMP_TICKET_RECEIPT_FIELDS.has(field.name)) continue;
        historyFields++;
        let refused: unknown;
        try {
          run(customer(true));
        } catch (error) {
          refused = error;
        }
        expect((refused as GraphQLError | undefined)?.extensions, `${type.name}.${field.name}`).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
      }
      // a plain field still resolves for a customer of a commercial brand
      const status = type.getFields().status;
      expect(status.resolve!({ status: 'OPEN' }, {}, { viewer: customer(false) }, { fieldName: 'status', parentType: type } as unknown as GraphQLResolveInfo)).toBe('OPEN');
    }
    expect(historyFields).toBeGreaterThan(20);
  });
});
