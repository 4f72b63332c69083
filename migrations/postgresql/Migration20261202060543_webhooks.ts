import { Migration } from '@mikro-orm/migrations';

// Issue 18: webhooks, their deliveries and attempts (the delivery log), and WEBHOOK as an outbox transport.
export class Migration20261202060543_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook" ("id" varchar(36) not null, "owner_subject" varchar(200) not null, "url" varchar(2048) not null, "events" jsonb not null, "brand_ids" jsonb not null, "fedramp_cleared" boolean not null, "secret" varchar(100) not null, "paused" boolean not null default false, "description" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_owner_subject_index" on "webhook" ("owner_subject");`);

    this.addSql(`create table "webhook_attempt" ("id" serial primary key, "delivery_id" varchar(36) not null, "attempt" int not null, "at" timestamptz not null, "status_code" int null, "duration_ms" int not null, "succeeded" boolean not null, "error" varchar(500) null);`);
    this.addSql(`create index "webhook_attempt_delivery_id_index" on "webhook_attempt" ("delivery_id");`);

    this.addSql(`create table "webhook_delivery" ("id" varchar(36) not null, "webhook_id" varchar(36) not null, "event" varchar(50) not null, "event_id" varchar(64) not null, "ticket_id" int null, "body" text not null, "outbox_key" varchar(255) not null, "redelivery_of" varchar(36) null, "created_at" timestamptz not null, constraint "webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_webhook_id_created_at_index" on "webhook_delivery" ("webhook_id", "created_at");`);

    this.addSql(`alter table "outbox" drop constraint if exists "outbox_transport_check";`);

    this.addSql(`alter table "outbox" add constraint "outbox_transport_check" check("transport" in ('EMAIL', 'WEBHOOK'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "outbox" where "transport" = 'WEBHOOK';`);

    this.addSql(`drop table if exists "webhook" cascade;`);

    this.addSql(`drop table if exists "webhook_attempt" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`alter table "outbox" drop constraint if exists "outbox_transport_check";`);

    this.addSql(`alter table "outbox" add constraint "outbox_transport_check" check("transport" in ('EMAIL'));`);
  }

}
