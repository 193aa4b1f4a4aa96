/**
 * The short-code prefixes added to every policy by migration 0102 (issue 13). A leaf module: the
 * migration (calling-tables.ts) reads it without importing the dial policy, which imports the
 * store's schema, which imports the calling tables (the store's import circle, issue 14).
 */
export const DEFAULT_BLOCKED_SHORT_CODES = ['16', '18'];
