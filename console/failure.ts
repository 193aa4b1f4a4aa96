import type { Request, Response } from 'restify';
import type { Logger } from '../core';
import { acceptedLanguage, sendFailure } from '../inbound';

/**
 * The console API's failures: the one presenter's answer (core/failure.ts) rendered as JSON in
 * the language the console page asks for (its fetches send Accept-Language: the page's lang).
 */
export function sendConsoleFailure(req: Request, res: Response, err: unknown, log: Logger): void {
  sendFailure(res, err, log, 'console', acceptedLanguage(req));
}
