import { Migration } from '@mikro-orm/migrations';

// Issue 20 point 3: idempotent replies and chat lines (the caller's scope, the key, a fingerprint of
// the request; unique per scope and key), and LANG-1's code of a chat's SYSTEM lines.
// Written by hand from the generated diff: SQLite's comparator also proposed rebuilding most tables
// (type-affinity noise), which is not a change and is left out.
export class Migration20261202062353_message_idempotency extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`message\` add column \`idempotency_scope\` text null;`);
    this.addSql(`alter table \`message\` add column \`idempotency_key\` text null;`);
    this.addSql(`alter table \`message\` add column \`request_fingerprint\` text null;`);
    this.addSql(`create unique index \`message_idempotency_scope_idempotency_key_unique\` on \`message\` (\`idempotency_scope\`, \`idempotency_key\`);`);

    this.addSql(`alter table \`chat_transcript_entry\` add column \`system_notice\` json null;`);
    this.addSql(`alter table \`chat_transcript_entry\` add column \`idempotency_scope\` text null;`);
    this.addSql(`alter table \`chat_transcript_entry\` add column \`idempotency_key\` text null;`);
    this.addSql(`alter table \`chat_transcript_entry\` add column \`idempotency_position\` integer null;`);
    this.addSql(`alter table \`chat_transcript_entry\` add column \`request_fingerprint\` text null;`);
    this.addSql(`create unique index \`chat_transcript_entry_idempotency_scope_idempotency_key_idempotency_position_unique\` on \`chat_transcript_entry\` (\`idempotency_scope\`, \`idempotency_key\`, \`idempotency_position\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`chat_transcript_entry_idempotency_scope_idempotency_key_idempotency_position_unique\`;`);
    for (const column of ['request_fingerprint', 'idempotency_position', 'idempotency_key', 'idempotency_scope', 'system_notice']) {
      this.addSql(`alter table \`chat_transcript_entry\` drop column \`${column}\`;`);
    }
    this.addSql(`drop index \`message_idempotency_scope_idempotency_key_unique\`;`);
    for (const column of ['request_fingerprint', 'idempotency_key', 'idempotency_scope']) {
      this.addSql(`alter table \`message\` drop column \`${column}\`;`);
    }
  }

}
