// Click-to-dial through KPN EEN (BroadWorks Xsi-Actions).
export * from './phone-number';
export * from './telephony';
export * from './xsi-client';
export * from './dial-policy';
export * from './line-linking';
export * from './calling';
export * from './user-import';
export * from './wiring';
export * from './call-watcher';
