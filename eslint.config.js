import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'web/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Outbound HTTP only through the guarded client (SSRF policy, pinned address, every hop).
    files: ['src/**/*.ts'],
    ignores: ['src/evidence/outbound.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({
          name,
          message: 'Outbound requests go through guardedRequest (src/evidence/outbound.ts).',
        })),
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          // Another folder only through its index.ts (STYLE.md); shared/ is a set of utilities.
          // test/structure/architecture.test.ts checks the same, and the folder graph's DAG.
          patterns: [
            {
              regex: String.raw`^(?:\.\./)+(?!shared/)[\w-]+/(?!index\.js$).+`,
              message: 'Import another folder of src/ through its index.ts.',
            },
          ],
          paths: [
            ...['undici', 'node:http', 'http', 'node:https', 'https', 'node:http2', 'http2'].map(
              (name) => ({
                name,
                allowTypeImports: true,
                message: 'Outbound requests go through guardedRequest (src/evidence/outbound.ts).',
              }),
            ),
            ...['node:net', 'net', 'node:tls', 'tls'].map((name) => ({
              name,
              importNames: ['connect', 'createConnection'],
              message: 'Outbound connections go through guardedRequest (src/evidence/outbound.ts).',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
