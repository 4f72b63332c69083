// ESLint flat config: typescript-eslint's recommended rules, unused code as errors, and the one
// rule about the database driver that an import graph cannot see (docs/architecture.md,
// "Rules CI enforces"). Import direction is checked by dependency-cruiser (.dependency-cruiser.cjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // unused code: variables, parameters after the last used one, imports, caught errors
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'all', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // TypeScript checks these itself (tsc --noEmit in CI)
      'no-undef': 'off',
      'no-redeclare': 'off',
      // the code base's own conventions, not defects: tests read loosely typed GraphQL results, and
      // `require` loads the driver of the configured database only (src/db/orm.ts)
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  {
    // only src/read/ reaches into the SQL driver: MikroORM's knex (getKnex) included, which an
    // import graph does not show (the driver imports themselves: .dependency-cruiser.cjs)
    files: ['src/**/*.ts'],
    ignores: ['src/read/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='getKnex']",
          message: 'Only src/read/ may use the SQL driver (getKnex): add a read model there (docs/architecture.md, "Rules CI enforces").',
        },
      ],
    },
  },
);
