import { Migration } from '@mikro-orm/migrations';

export class Migration20261123142411_ticket_reference extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "ticket_reference" ("id" serial primary key, "ticket_id" int not null, "referenced_ticket_id" int null, "referenced_escalation_id" int null, "created_at" timestamptz not null);`);
    this.addSql(`create index "ticket_reference_ticket_id_index" on "ticket_reference" ("ticket_id");`);

    this.addSql(`alter table "ticket_reference" add constraint "ticket_reference_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "ticket_reference" add constraint "ticket_reference_referenced_ticket_id_foreign" foreign key ("referenced_ticket_id") references "ticket" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "ticket_reference" add constraint "ticket_reference_referenced_escalation_id_foreign" foreign key ("referenced_escalation_id") references "escalation" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ticket_reference" cascade;`);
  }

}
