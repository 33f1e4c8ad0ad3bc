// ESLint (flat config) with typescript-eslint's type-aware rules, run with --max-warnings 0 in `npm test`.
// Formatting is Prettier's job (npm run format:check); nothing here overlaps with it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'test/fixtures/**', 'test/editor/workspace/**', 'examples/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Non-null assertions mark facts the code established a line above (a Map entry just set); banning them costs clarity.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // node:test's describe/test return promises the runner tracks itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'test', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON (SARIF, schemas, package.json) and assert on its shape; typing every such read adds nothing.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests match ANSI color codes, and async helpers keep one signature whether or not they await.
      'no-control-regex': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Code passed to page.evaluate() runs in the browser.
    files: ['test/smoke/**/*.mjs', 'test/editor/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'module' },
  },
  {
    // The editor suite runs inside VS Code's extension host under mocha (CommonJS).
    files: ['test/editor/suite/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.mocha }, sourceType: 'commonjs' },
  },
);
