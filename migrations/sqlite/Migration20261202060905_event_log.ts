import { Migration } from '@mikro-orm/migrations';

// Issue 20: the durable event log behind real time (docs/realtime.md, *The event log*). Written by
// hand from the generated diff: SQLite's comparator also proposed rebuilding every table
// (type-affinity noise), which is not a change and is left out.
export class Migration20261202060905_event_log extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`event_log\` (\`id\` integer not null primary key autoincrement, \`type\` text not null, \`ticket_id\` integer null, \`payload\` json not null, \`recorded_at\` datetime not null);`);
    this.addSql(`create index \`event_log_recorded_at_index\` on \`event_log\` (\`recorded_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`event_log\`;`);
  }

}
