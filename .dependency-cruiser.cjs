/**
 * Which way imports may point (docs/architecture.md, "Rules CI enforces"): transport → resolvers →
 * services → entities / read side → database. `npm run lint` runs it over src/ with the known
 * violations (.dependency-cruiser-known-violations.json) ignored; that baseline only ever shrinks
 * and must end empty.
 */

/**
 * Paths start at the repository root; test/fixtures/dependency-rules/ holds a small tree with one
 * deliberate violation of each rule (test/architecture-rules.test.ts checks that each is caught).
 */
const ROOT = '^(test/fixtures/dependency-rules/)?';
/** The layers below the GraphQL layer: none of them may import src/resolvers. */
const BELOW_RESOLVERS = `${ROOT}src/(services|realtime|auth|loaders|db|read|domain|delivery|mail)/`;
/** The SQL driver and the query builder under MikroORM, and their type packages. */
const DRIVER = '^node_modules/(@types/)?(better-sqlite3|pg|knex|@mikro-orm/knex)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-resolvers-below-graphql',
      comment:
        'Services, real time, auth, loaders, the read side and the outbox delivery never import src/resolvers: domain errors and plain types live below it, global ids are decoded in resolvers.',
      severity: 'error',
      from: { path: BELOW_RESOLVERS },
      to: { path: `${ROOT}src/resolvers/` },
    },
    {
      name: 'no-graphql-in-services',
      comment: 'Services take and return plain types and throw domain errors: no graphql or type-graphql import (types included).',
      severity: 'error',
      from: { path: `${ROOT}src/services/` },
      to: { path: '^node_modules/(@types/)?(graphql|type-graphql)/' },
    },
    {
      name: 'driver-only-in-read',
      comment: 'Only src/read/ touches the database driver (better-sqlite3, pg, knex, @mikro-orm/knex): a MikroORM upgrade then touches one folder.',
      severity: 'error',
      from: { path: `${ROOT}src/`, pathNot: `${ROOT}src/read/` },
      to: { path: DRIVER },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports count: a service importing a GraphQL type depends on GraphQL all the same
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
