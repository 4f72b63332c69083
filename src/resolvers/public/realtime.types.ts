import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { Ticket } from '../../entities';
import { TicketInterface } from '../types/ticket.types';

/** The kinds of ticket change a TicketEvent names (mirrors `TicketChange` in src/realtime/events.ts). */
export enum TicketChangeKind {
  CREATED = 'CREATED',
  STATUS = 'STATUS',
  MESSAGE = 'MESSAGE',
  TRANSCRIPT = 'TRANSCRIPT',
  ESCALATION = 'ESCALATION',
  ASSIGNMENT = 'ASSIGNMENT',
  CONFERENCE = 'CONFERENCE',
  RESOURCE = 'RESOURCE',
  FEEDBACK = 'FEEDBACK',
  PROXY_ACCESS = 'PROXY_ACCESS',
  CALLBACK = 'CALLBACK',
  VERIFICATION = 'VERIFICATION',
}

registerEnumType(TicketChangeKind, { name: 'TicketChange', description: 'What changed on a ticket (RT-1).' });

@ObjectType('TicketEvent', { description: 'A change to a ticket the subscriber can read, with the ticket as it is now (RT-1, RT-3).' })
export class TicketEventType {
  @Field(() => ID, { description: 'Unique per event; a subscriber never receives the same id twice.' })
  eventId!: string;

  @Field(() => TicketChangeKind, { description: 'What changed.' })
  change!: TicketChangeKind;

  @Field(() => TicketInterface, { description: 'The ticket, re-read for this subscriber when the event is delivered.' })
  ticket!: Ticket;
}
