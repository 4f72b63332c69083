import { Migration } from '@mikro-orm/migrations';

// Issue 20: the durable event log behind real time (docs/realtime.md, *The event log*).
export class Migration20261202060907_event_log extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "event_log" ("id" bigserial primary key, "type" varchar(40) not null, "ticket_id" int null, "payload" jsonb not null, "recorded_at" timestamptz not null);`);
    this.addSql(`create index "event_log_recorded_at_index" on "event_log" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "event_log" cascade;`);
  }

}
