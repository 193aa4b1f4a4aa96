/**
 * Which database a store runs on. Its own module, with no imports, so every capability's
 * migrations can name it without importing the store (store.ts → migrations.ts → a capability's
 * tables → store.ts was the store's import circle, issue 14).
 */
export type Dialect = 'sqlite' | 'postgres';
