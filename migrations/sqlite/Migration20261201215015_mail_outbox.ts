import { Migration } from '@mikro-orm/migrations';

// Issue 16: the generic outbox (e-mail now, webhooks next), staged uploads and file bytes in the
// database, Message-IDs of thread messages. Pending rows of the old outbox_email are carried over.
// Written by hand from the generated diff: SQLite's comparator also proposed rebuilding every table
// (type-affinity noise), which is not a change and is left out.
export class Migration20261201215015_mail_outbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`outbox\` (\`id\` integer not null primary key autoincrement, \`transport\` text check (\`transport\` in ('EMAIL')) not null, \`topic\` text not null, \`destination\` text not null, \`delivery_key\` text not null, \`payload\` json not null, \`ticket_id\` integer null, \`status\` text check (\`status\` in ('PENDING', 'DELIVERED', 'FAILED')) not null default 'PENDING', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`claimed_until\` datetime null, \`claimed_by\` text null, \`last_error\` text null, \`created_at\` datetime not null, \`delivered_at\` datetime null);`);
    this.addSql(`create unique index \`outbox_delivery_key_unique\` on \`outbox\` (\`delivery_key\`);`);
    this.addSql(`create index \`outbox_ticket_id_index\` on \`outbox\` (\`ticket_id\`);`);
    this.addSql(`create index \`outbox_status_next_attempt_at_index\` on \`outbox\` (\`status\`, \`next_attempt_at\`);`);
    this.addSql(`create table \`staged_upload\` (\`id\` text not null, \`account_id\` text not null, \`file_name\` text not null, \`content_type\` text not null, \`size_bytes\` integer not null, \`sha256\` text not null, \`storage_key\` text not null, \`expires_at\` datetime not null, \`claimed_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`staged_upload_expires_at_index\` on \`staged_upload\` (\`expires_at\`);`);
    this.addSql(`create table \`stored_file\` (\`key\` text not null, \`content\` blob not null, \`size_bytes\` integer not null, \`created_at\` datetime not null, primary key (\`key\`));`);
    this.addSql(`insert into \`outbox\` (\`transport\`, \`topic\`, \`destination\`, \`delivery_key\`, \`payload\`, \`ticket_id\`, \`status\`, \`attempts\`, \`next_attempt_at\`, \`created_at\`) select 'EMAIL', \`template\`, \`to\`, '<legacy-outbox-' || \`id\` || '@hub.invalid>', json_object('to', json_array(\`to\`), 'subject', \`subject\`, 'text', \`body\`, 'messageId', '<legacy-outbox-' || \`id\` || '@hub.invalid>'), \`ticket_id\`, 'PENDING', 0, \`created_at\`, \`created_at\` from \`outbox_email\` where \`sent_at\` is null;`);
    this.addSql(`drop table if exists \`outbox_email\`;`);
    this.addSql(`alter table \`message\` add column \`email_message_id\` text null;`);
    this.addSql(`create unique index \`message_email_message_id_unique\` on \`message\` (\`email_message_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`create table \`outbox_email\` (\`id\` integer not null primary key autoincrement, \`to\` text not null, \`subject\` text not null, \`body\` text not null, \`template\` text not null, \`ticket_id\` integer null, \`created_at\` datetime not null, \`sent_at\` datetime null);`);
    this.addSql(`create index \`outbox_email_sent_at_index\` on \`outbox_email\` (\`sent_at\`);`);
    this.addSql(`drop table if exists \`outbox\`;`);
    this.addSql(`drop table if exists \`staged_upload\`;`);
    this.addSql(`drop table if exists \`stored_file\`;`);
    this.addSql(`drop index if exists \`message_email_message_id_unique\`;`);
    this.addSql(`alter table \`message\` drop column \`email_message_id\`;`);
  }

}
