// The only door into the core: adapters, the sandbox and the CLI import from here.
export * from './errors';
export * from './config';
export * from './systems';
export * from './secret-key';
export * from './clock';
export * from './log';
export * from './i18n';
export * from './audit-log';
export * from './store/store';
export * from './store/schema';
export * from './identity/token-vault';
export * from './identity/secrets';
export * from './identity/users';
export * from './http/server';
export * from './http/body';
export * from './http/respond';
export * from './calling';
