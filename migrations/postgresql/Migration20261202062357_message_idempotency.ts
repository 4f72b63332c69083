import { Migration } from '@mikro-orm/migrations';

// Issue 20 point 3: idempotent replies and chat lines; LANG-1: the code of a chat's SYSTEM lines.

export class Migration20261202062357_message_idempotency extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "message" add column "idempotency_scope" varchar(80) null, add column "idempotency_key" varchar(100) null, add column "request_fingerprint" varchar(64) null;`);
    this.addSql(`alter table "message" add constraint "message_idempotency_scope_idempotency_key_unique" unique ("idempotency_scope", "idempotency_key");`);

    this.addSql(`alter table "chat_transcript_entry" add column "system_notice" jsonb null, add column "idempotency_scope" varchar(80) null, add column "idempotency_key" varchar(100) null, add column "idempotency_position" int null, add column "request_fingerprint" varchar(64) null;`);
    this.addSql(`alter table "chat_transcript_entry" add constraint "chat_transcript_entry_idempotency_scope_idempoten_f0979_unique" unique ("idempotency_scope", "idempotency_key", "idempotency_position");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "chat_transcript_entry" drop constraint "chat_transcript_entry_idempotency_scope_idempoten_f0979_unique";`);
    this.addSql(`alter table "chat_transcript_entry" drop column "system_notice", drop column "idempotency_scope", drop column "idempotency_key", drop column "idempotency_position", drop column "request_fingerprint";`);

    this.addSql(`alter table "message" drop constraint "message_idempotency_scope_idempotency_key_unique";`);
    this.addSql(`alter table "message" drop column "idempotency_scope", drop column "idempotency_key", drop column "request_fingerprint";`);
  }

}
