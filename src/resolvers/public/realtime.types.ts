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

registerEnumType(TicketChangeKind, {
  name: 'TicketChange',
  description: 'What changed on a ticket (RT-1).',
  valuesConfig: {
    CREATED: { description: 'The ticket was created.' },
    STATUS: { description: 'Its status changed (OPEN, CLOSED, ESCALATED).' },
    MESSAGE: { description: 'A message joined its e-mail thread (TKT-2).' },
    TRANSCRIPT: { description: 'Chat lines were added to its transcript (TKT-5, CHAT-2).' },
    ESCALATION: { description: 'Its escalation was created or moved to another status (ESC-2, ESC-3).' },
    ASSIGNMENT: { description: 'Another support representative was assigned (TKT-1).' },
    CONFERENCE: { description: 'Its conference call was scheduled or accepted (TKT-4).' },
    RESOURCE: { description: 'A support resource link was shared on it (TKT-1).' },
    FEEDBACK: { description: 'Feedback was left on it (CLS-3).' },
    PROXY_ACCESS: { description: 'A user granted or revoked support proxy access for it (PRX-1).' },
    CALLBACK: { description: 'Its phone callback request moved in the queue or changed state (PHN-4, PHN-5).' },
    VERIFICATION: { description: 'Its Enterprise Support verification was completed (ENT-5).' },
  },
});

@ObjectType('TicketEvent', { description: 'A change to a ticket the subscriber can read, with the ticket as it is now (RT-1, RT-3).' })
export class TicketEventType {
  @Field(() => ID, { description: "The event's id in the event log: increasing in delivery order, unique; a subscriber never receives the same id twice. Pass the last one as `after` to resume." })
  eventId!: string;

  @Field(() => TicketChangeKind, { description: 'What changed.' })
  change!: TicketChangeKind;

  @Field(() => TicketInterface, { description: 'The ticket, re-read for this subscriber when the event is delivered.' })
  ticket!: Ticket;
}
