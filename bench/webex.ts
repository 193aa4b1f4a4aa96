import { createLogger } from '../core';
import { createHttpServer } from '../inbound';
import { mountEmulator } from '../sandbox/emulator';
import { membershipsFeature } from '../sandbox/webex-api/memberships';
import { messagesFeature } from '../sandbox/webex-api/messages';
import { messagingOf, type MessagingState } from '../sandbox/webex-api/messaging-state';
import { peopleFeature } from '../sandbox/webex-api/people';
import { roomsFeature } from '../sandbox/webex-api/rooms';
import { webhooksFeature } from '../sandbox/webex-api/webhooks';
import { SANDBOX_WEBEX_BOT_TOKEN, WebexEmulator } from '../sandbox/webex-api/webex-emulator';

/** One request the emulator answered: when (ms, performance.now()), what, and its status. */
export interface SeenRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  /** How long the emulator took to answer it (ms): the bench checks it is not the bottleneck. */
  answerMs: number;
}

export interface BenchWebex {
  emulator: WebexEmulator;
  state: MessagingState;
  /** Spaces the bot is in, created up front. */
  spaces: string[];
  /** Every request, unlike the emulator's own log, which keeps the last 1000. */
  seen: SeenRequest[];
  /** The environment that points a service's Webex bot at this emulator. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The Webex emulator in the benchmark's own process, so the service talks to it over loopback
 * as it would to webexapis.com, with Webex's 429 + Retry-After above `rateLimitPerSecond`.
 */
export async function startBenchWebex(rateLimitPerSecond: number, spaceCount: number): Promise<BenchWebex> {
  const log = createLogger({ level: 'silent', pretty: false });
  const emulator = new WebexEmulator({ rateLimitPerSecond, features: [peopleFeature, roomsFeature, membershipsFeature, messagesFeature, webhooksFeature] });
  const server = createHttpServer({ bodyLimitBytes: 1 << 20, log, isReady: async () => true });
  const seen: SeenRequest[] = [];
  server.restify.pre((req, res, next) => {
    const at = performance.now();
    res.once('finish', () => seen.push({ at, method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0]!, status: res.statusCode, answerMs: performance.now() - at }));
    next();
  });
  mountEmulator(server.restify, emulator);
  const port = (await server.listen(0, '127.0.0.1')).port;
  const state = messagingOf(emulator.context);
  const bot = emulator.context.people.get(emulator.context.tokens.get(SANDBOX_WEBEX_BOT_TOKEN)!)!;
  const spaces = Array.from({ length: spaceCount }, (_, i) => state.createRoom(`Bench ${i + 1}`, 'group', bot).id);
  return {
    emulator,
    state,
    spaces,
    seen,
    env: {
      WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
      WEBEX_WEBHOOK_SECRET: 'bench-webex-secret',
      WEBEX_API_URL: `http://127.0.0.1:${port}/sandbox/webex/v1`,
    },
    close: () => server.close(100),
  };
}
