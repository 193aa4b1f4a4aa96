import { createRequire } from 'node:module';

/**
 * The largest parts of the webex SDK the bot framework loads, in the order its own load reaches
 * them (webex 2.4.x: its plugins require @webex/webex-core, which requires @webex/http-core and
 * @webex/common; http-core requires `request`, which requires tough-cookie, with psl's list of
 * every public suffix, and har-validator, with ajv). Each is a chain of packages from `webex`,
 * every one resolved as the one before it resolves it, so these are the very files the SDK's load
 * uses, and nothing it does not load anyway (test/unit/sdk-loading.test.ts lists what it leaves out).
 */
const PARTS: readonly (readonly string[])[] = [
  ['@webex/http-core', 'request', 'tough-cookie'],
  ['@webex/http-core', 'request', 'har-validator'],
  ['@webex/http-core', 'request'],
  ['@webex/common'],
  ['@webex/http-core'],
  ['@webex/webex-core'],
];

/** One turn of the event loop: requests that arrived meanwhile are served before the next part. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Loads the webex SDK (slim-webex.ts) a part at a time. Loading it is about 900 modules of
 * synchronous work on the event loop (0.5 s or more) right after the service starts listening,
 * when the bot registers its webhook: in one piece, every request that arrived then (/readyz,
 * a webhook delivery) waited for all of it (issue 17). In parts, each waits for one part at most.
 * A part that cannot be loaded is left to the load of the whole, which reports it.
 */
export async function loadWebexSdkInTurns(): Promise<void> {
  for (const chain of PARTS) {
    await turn();
    try {
      let from = createRequire(require.resolve('webex'));
      for (const owner of chain.slice(0, -1)) from = createRequire(from.resolve(owner));
      from(chain.at(-1)!);
    } catch {
      // See above: the whole load (framework.ts) fails with the real error.
    }
  }
  await turn();
  await import('./slim-webex');
  await turn();
}
