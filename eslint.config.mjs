// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// Modules that serve HTTP. The core keeps parse, verify and accept over raw bytes and its
// outbound clients use fetch, so none of these belongs in it; inbound/ serves.
const httpServers = ['restify', 'restify-*', 'node:http', 'http', 'node:https', 'https', 'node:http2', 'http2', 'express', 'fastify'];

// core/internal.ts is the composition root's and the tests' door (the store, its tables and the
// repositories); an adapter that needs something from there needs a façade or port instead (issue 14).
const coreInternal = 'import the core only through core/index.ts: core/internal.ts (the store, its tables and repositories) is for app/, bench/, demo/ and tests; add a façade or port to core/index.ts instead.';

const chatSdks = ['botbuilder', 'botbuilder-*', 'botframework-*', '@slack/*', 'webex-node-bot-framework', '@microsoft/teams-js'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '.ci/**', 'teams-app/tab/static/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The core owns the business rules and knows no adapter, no emulator and no chat SDK.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/teams-app', '**/teams-app/**', '**/slack-app', '**/slack-app/**', '**/webex-bot', '**/webex-bot/**'], message: 'core must not import an adapter.' },
          { group: ['**/sandbox', '**/sandbox/**'], message: 'core must not import the sandbox emulators.' },
          { group: ['**/app', '**/app/**', '**/bin/**'], message: 'core must not import the composition root.' },
          { group: chatSdks, message: 'core must not import a chat-platform SDK; adapters translate for it.' },
          { group: ['**/inbound', '**/inbound/**'], message: 'core must not import the inbound HTTP edge; it hands the core raw bytes and headers.' },
          { group: ['**/console', '**/console/**'], message: 'core must not import an adapter.' },
          { group: httpServers, message: 'core must not serve HTTP: routes and servers live in inbound/ (core keeps parse, verify and accept).' },
        ],
      }],
    },
  },
  {
    // The inbound HTTP edge reaches the core only through its front door, and knows no chat adapter.
    files: ['inbound/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/core/*', '!**/core/index', '!**/core/internal'], message: 'import the core only through core/index.ts.' },
          { group: ['**/core/internal'], message: coreInternal },
          { group: ['**/teams-app', '**/teams-app/**', '**/slack-app', '**/slack-app/**', '**/webex-bot', '**/webex-bot/**', '**/console', '**/console/**'], message: 'inbound must not import a chat adapter.' },
          { group: chatSdks, message: 'inbound must not import a chat-platform SDK; the chat adapters own those.' },
        ],
      }],
    },
  },
  {
    // Adapters and emulators come in through the front door only.
    files: ['teams-app/**/*.ts', 'slack-app/**/*.ts', 'webex-bot/**/*.ts', 'sandbox/**/*.ts', 'console/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/core/*', '!**/core/index', '!**/core/internal'], message: 'import the core only through core/index.ts.' },
          { group: ['**/core/internal'], message: coreInternal },
          { group: ['**/inbound/*', '!**/inbound/index'], message: 'import the inbound HTTP edge only through inbound/index.ts.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['bin/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
