import { Migration } from '@mikro-orm/migrations';

// FUP-5 references. Written by hand from the generated diff: SQLite's comparator also proposed
// rebuilding every table (type-affinity noise), which is not a change and is left out.
export class Migration20261123142410_ticket_reference extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`ticket_reference\` (\`id\` integer not null primary key autoincrement, \`ticket_id\` integer not null, \`referenced_ticket_id\` integer null, \`referenced_escalation_id\` integer null, \`created_at\` datetime not null, constraint \`ticket_reference_ticket_id_foreign\` foreign key(\`ticket_id\`) references \`ticket\`(\`id\`) on delete cascade on update cascade, constraint \`ticket_reference_referenced_ticket_id_foreign\` foreign key(\`referenced_ticket_id\`) references \`ticket\`(\`id\`) on delete set null on update cascade, constraint \`ticket_reference_referenced_escalation_id_foreign\` foreign key(\`referenced_escalation_id\`) references \`escalation\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`ticket_reference_referenced_ticket_id_index\` on \`ticket_reference\` (\`referenced_ticket_id\`);`);
    this.addSql(`create index \`ticket_reference_referenced_escalation_id_index\` on \`ticket_reference\` (\`referenced_escalation_id\`);`);
    this.addSql(`create index \`ticket_reference_ticket_id_index\` on \`ticket_reference\` (\`ticket_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`ticket_reference\`;`);
  }

}
