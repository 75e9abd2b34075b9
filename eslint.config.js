// typescript-eslint strict-type-checked, jsx-a11y for the client, and the layer boundaries of STYLE.md.
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_ONLY = ['express', 'mongoose', 'mongodb', 'mongodb-memory-server', 'pino', 'pino-http', 'node:*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Flags every mongoose schema definition and Date from lean documents; no safety gained here.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Small scripts served to browsers by the server (CSP forbids inline scripts).
    files: ['server/**/static/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['server/**/*.ts', 'lti/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // lti/ is the protocol core: jose and zod only, never the server or its framework and database.
    files: ['lti/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['express', 'mongoose', 'mongodb', '**/server/**', '**/client/**'],
              message: 'lti/ must stay free of express, mongoose and the server (STYLE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // The client imports server/contract and nothing else from the server, and no Node-only packages.
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'jsx-a11y': jsxA11y, 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...jsxA11y.flatConfigs.strict.rules,
      'jsx-a11y/label-has-associated-control': ['error', { depth: 4 }],
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/*', '!**/server/contract', '**/server/!(contract)/**'],
              message: 'The client may import server/contract only.',
            },
            { group: ['**/lti/**'], message: 'The client does not import the LTI core.' },
            { group: NODE_ONLY, message: 'Node-only package in the client.' },
          ],
        },
      ],
    },
  },
  {
    // curriculum/ is data + pure code, shared by server, client and tools.
    files: ['curriculum/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/client/**', '**/lti/**', 'express', 'mongoose'],
              message: 'curriculum/ stays independent of the app layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
