import { Migration } from '@mikro-orm/migrations';

// Issue 18: webhooks, their deliveries and attempts (the delivery log), and WEBHOOK as an outbox
// transport. Written from the generated diff: SQLite cannot alter a check constraint, so `outbox` is
// rebuilt; the comparator's other rebuilds (type-affinity noise on every table) are no change and left out.

/** SQLite cannot alter a check constraint: `outbox` is rebuilt with the transports allowed. */
function rebuildOutbox(migration: Migration, transports: string): void {
  migration.addSql(`pragma foreign_keys = off;`);
  migration.addSql(`create table \`outbox__temp_alter\` (\`id\` integer not null primary key autoincrement, \`transport\` text check (\`transport\` in (${transports})) not null, \`topic\` text not null, \`destination\` text not null, \`delivery_key\` text not null, \`payload\` json not null, \`ticket_id\` integer null, \`status\` text check (\`status\` in ('PENDING', 'DELIVERED', 'FAILED')) not null default 'PENDING', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`claimed_until\` datetime null, \`claimed_by\` text null, \`last_error\` text null, \`created_at\` datetime not null, \`delivered_at\` datetime null);`);
  migration.addSql(`insert into \`outbox__temp_alter\` select \`id\`, \`transport\`, \`topic\`, \`destination\`, \`delivery_key\`, \`payload\`, \`ticket_id\`, \`status\`, \`attempts\`, \`next_attempt_at\`, \`claimed_until\`, \`claimed_by\`, \`last_error\`, \`created_at\`, \`delivered_at\` from \`outbox\`;`);
  migration.addSql(`drop table \`outbox\`;`);
  migration.addSql(`alter table \`outbox__temp_alter\` rename to \`outbox\`;`);
  migration.addSql(`create unique index \`outbox_delivery_key_unique\` on \`outbox\` (\`delivery_key\`);`);
  migration.addSql(`create index \`outbox_ticket_id_index\` on \`outbox\` (\`ticket_id\`);`);
  migration.addSql(`create index \`outbox_status_next_attempt_at_index\` on \`outbox\` (\`status\`, \`next_attempt_at\`);`);
  migration.addSql(`pragma foreign_keys = on;`);
}

export class Migration20261202060543_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`webhook\` (\`id\` text not null, \`owner_subject\` text not null, \`url\` text not null, \`events\` json not null, \`brand_ids\` json not null, \`fedramp_cleared\` integer not null, \`secret\` text not null, \`paused\` integer not null default false, \`description\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_owner_subject_index\` on \`webhook\` (\`owner_subject\`);`);

    this.addSql(`create table \`webhook_attempt\` (\`id\` integer not null primary key autoincrement, \`delivery_id\` text not null, \`attempt\` integer not null, \`at\` datetime not null, \`status_code\` integer null, \`duration_ms\` integer not null, \`succeeded\` integer not null, \`error\` text null);`);
    this.addSql(`create index \`webhook_attempt_delivery_id_index\` on \`webhook_attempt\` (\`delivery_id\`);`);

    this.addSql(`create table \`webhook_delivery\` (\`id\` text not null, \`webhook_id\` text not null, \`event\` text not null, \`event_id\` text not null, \`ticket_id\` integer null, \`body\` text not null, \`outbox_key\` text not null, \`redelivery_of\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_delivery_webhook_id_created_at_index\` on \`webhook_delivery\` (\`webhook_id\`, \`created_at\`);`);
    rebuildOutbox(this, `'EMAIL', 'WEBHOOK'`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from \`outbox\` where \`transport\` = 'WEBHOOK';`);
    rebuildOutbox(this, `'EMAIL'`);
    this.addSql(`drop table if exists \`webhook_attempt\`;`);
    this.addSql(`drop table if exists \`webhook_delivery\`;`);
    this.addSql(`drop table if exists \`webhook\`;`);
  }

}
