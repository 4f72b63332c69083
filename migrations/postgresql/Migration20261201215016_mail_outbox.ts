import { Migration } from '@mikro-orm/migrations';

// Issue 16: the generic outbox (e-mail now, webhooks next), staged uploads and file bytes in the
// database, Message-IDs of thread messages. Pending rows of the old outbox_email are carried over.
export class Migration20261201215016_mail_outbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "outbox" ("id" serial primary key, "transport" text check ("transport" in ('EMAIL')) not null, "topic" varchar(50) not null, "destination" varchar(320) not null, "delivery_key" varchar(255) not null, "payload" jsonb not null, "ticket_id" int null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "claimed_until" timestamptz null, "claimed_by" varchar(100) null, "last_error" text null, "created_at" timestamptz not null, "delivered_at" timestamptz null);`);
    this.addSql(`alter table "outbox" add constraint "outbox_delivery_key_unique" unique ("delivery_key");`);
    this.addSql(`create index "outbox_ticket_id_index" on "outbox" ("ticket_id");`);
    this.addSql(`create index "outbox_status_next_attempt_at_index" on "outbox" ("status", "next_attempt_at");`);

    this.addSql(`create table "staged_upload" ("id" varchar(36) not null, "account_id" varchar(64) not null, "file_name" varchar(255) not null, "content_type" varchar(100) not null, "size_bytes" int not null, "sha256" varchar(64) not null, "storage_key" varchar(200) not null, "expires_at" timestamptz not null, "claimed_at" timestamptz null, "created_at" timestamptz not null, constraint "staged_upload_pkey" primary key ("id"));`);
    this.addSql(`create index "staged_upload_expires_at_index" on "staged_upload" ("expires_at");`);

    this.addSql(`create table "stored_file" ("key" varchar(200) not null, "content" bytea not null, "size_bytes" int not null, "created_at" timestamptz not null, constraint "stored_file_pkey" primary key ("key"));`);

    this.addSql(`insert into "outbox" ("transport", "topic", "destination", "delivery_key", "payload", "ticket_id", "status", "attempts", "next_attempt_at", "created_at") select 'EMAIL', "template", "to", '<legacy-outbox-' || "id" || '@hub.invalid>', jsonb_build_object('to', jsonb_build_array("to"), 'subject', "subject", 'text', "body", 'messageId', '<legacy-outbox-' || "id" || '@hub.invalid>'), "ticket_id", 'PENDING', 0, "created_at", "created_at" from "outbox_email" where "sent_at" is null;`);
    this.addSql(`drop table if exists "outbox_email" cascade;`);

    this.addSql(`alter table "message" add column "email_message_id" varchar(255) null;`);
    this.addSql(`alter table "message" add constraint "message_email_message_id_unique" unique ("email_message_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`create table "outbox_email" ("id" serial primary key, "to" varchar(320) not null, "subject" varchar(300) not null, "body" text not null, "template" varchar(50) not null, "ticket_id" int4 null, "created_at" timestamptz(6) not null, "sent_at" timestamptz(6) null);`);
    this.addSql(`create index "outbox_email_sent_at_index" on "outbox_email" ("sent_at");`);

    this.addSql(`drop table if exists "outbox" cascade;`);

    this.addSql(`drop table if exists "staged_upload" cascade;`);

    this.addSql(`drop table if exists "stored_file" cascade;`);

    this.addSql(`alter table "message" drop constraint "message_email_message_id_unique";`);
    this.addSql(`alter table "message" drop column "email_message_id";`);
  }

}
