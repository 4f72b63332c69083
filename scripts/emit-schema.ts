import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildInternalSchema, buildPublicSchema } from '../src/schema';

/** `npm run schema`: writes schema.graphql (public) and schema.internal.graphql from the code. */
async function main(): Promise<void> {
  const root = process.cwd();
  writeFileSync(join(root, 'schema.graphql'), printSchema(await buildPublicSchema()) + '\n');
  writeFileSync(join(root, 'schema.internal.graphql'), printSchema(await buildInternalSchema()) + '\n');
  console.log('wrote schema.graphql and schema.internal.graphql');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
