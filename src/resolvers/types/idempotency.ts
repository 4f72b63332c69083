import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';

/** The `idempotencyKey` of the mutations that post a message or a chat line (issue 20; src/services/idempotency.ts). */
@InputType({ description: 'An input a client may retry safely.' })
export abstract class IdempotentMessageInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Client-chosen key (1–100 characters, e.g. a UUID per message); retrying with the same key and the same input returns what the first request stored and stores nothing new. The same key with a different input is refused: a TAKEN userError with reason IDEMPOTENCY_KEY_REUSED.',
  })
  @IsOptional()
  @Length(1, 100)
  idempotencyKey?: string | null;
}
