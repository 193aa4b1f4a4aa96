import type { MessageKey, MessageParams } from './i18n/catalogue';

/** Base of every error een-bridge raises on purpose; anything else is a bug. */
export abstract class EenError extends Error {
  abstract readonly kind: string;
}

/**
 * Something the person can fix or should know, said in their language.
 * Adapters render `key` + `params` through the message catalogue; `message` is for logs.
 */
export class UserError extends EenError {
  readonly kind = 'user';
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    readonly httpStatus = 400,
  ) {
    super(key);
    this.name = 'UserError';
  }
}

/** A setting is missing or wrong; start-up stops with exit code 2 and this one line. */
export class ConfigError extends EenError {
  readonly kind = 'config';
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** An external system (Xsi, Webex, Trello, Graph…) failed or refused us. */
export class UpstreamError extends EenError {
  readonly kind = 'upstream';
  constructor(
    readonly system: string,
    readonly status: number | undefined,
    readonly key: MessageKey,
    readonly retryAfterSeconds?: number,
    detail?: string,
  ) {
    super(`${system} ${status ?? 'no response'}${detail ? `: ${detail}` : ''}`);
    this.name = 'UpstreamError';
  }
}

/** A sealed secret did not open: wrong key, tampered value, or bound to another owner. */
export class VaultError extends EenError {
  readonly kind = 'vault';
  constructor(reason: string) {
    super(reason);
    this.name = 'VaultError';
  }
}
