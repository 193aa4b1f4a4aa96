import { en } from './en';

/** Every message a person can read; `nl.ts` must have exactly these keys (the compiler checks). */
export type MessageKey = keyof typeof en;
export type MessageParams = Record<string, string | number>;
export type Catalogue = Record<MessageKey, string>;
