// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

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
          { group: ['**/core/*', '!**/core/index'], message: 'import the core only through core/index.ts.' },
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
