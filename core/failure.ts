import { randomUUID } from 'node:crypto';
import { EenError, UpstreamError, UserError, VaultError } from './errors';
import type { MessageKey, MessageParams } from './i18n/catalogue';
import type { Logger } from './log';

/**
 * Any failure as a surface shows it: a message key and its parameters (rendered in the
 * person's language by each surface: card, mrkdwn, Webex markdown, JSON), a wait before
 * trying again where the cause says so, and a reference for one we did not expect. The one
 * place an error becomes something a person reads, so Teams, Slack, Webex, the console and
 * every HTTP route agree; an unexpected error always gets an answer with a reference.
 */
export interface Failure {
  key: MessageKey;
  params: MessageParams;
  /** Seconds to wait before trying again (a rate limit upstream). */
  retryAfter?: number;
  /** Logged beside the error, so a person can quote it to their administrator. */
  ref?: string;
  /** What an HTTP surface answers with. */
  status: number;
  /** The error's own class, for a surface that renders one kind differently (e.g. a Connect button). */
  kind: 'user' | 'upstream' | 'vault' | 'unexpected';
}

/** A short reference, unique enough to find one log line. */
export function newReference(): string {
  return randomUUID().slice(0, 8);
}

/**
 * Turns what a use case threw into a Failure, and logs what an operator needs: nothing for a
 * person's own mistake, a warning for an upstream or vault problem, an error with the
 * reference for anything else. `where` names the surface or route for the log line.
 */
export function presentFailure(err: unknown, log: Logger, where: string): Failure {
  if (err instanceof UserError) return { key: err.key, params: err.params, status: err.httpStatus, kind: 'user' };
  if (err instanceof UpstreamError) {
    log.warn({ err, system: err.system, status: err.status, where }, 'upstream failure');
    const rateLimited = err.status === 429;
    return {
      key: err.key,
      params: { system: err.system, seconds: err.retryAfterSeconds ?? 60 },
      ...(err.retryAfterSeconds !== undefined ? { retryAfter: err.retryAfterSeconds } : {}),
      status: rateLimited ? 503 : 502,
      kind: 'upstream',
    };
  }
  if (err instanceof VaultError) {
    const ref = newReference();
    log.warn({ err, ref, where }, 'a sealed secret could not be opened');
    return { key: 'vault.cannotOpen', params: {}, ref, status: 500, kind: 'vault' };
  }
  const ref = newReference();
  log.error({ err, ref, where, ours: err instanceof EenError }, 'unexpected failure');
  return { key: 'http.internal', params: { ref }, ref, status: 500, kind: 'unexpected' };
}
