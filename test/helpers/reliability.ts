import { signJiraBody, SubscriptionRepository, type Store } from '../../core/internal';
import { createHttpServer, type HttpServer } from '../../inbound';
import { createEmulators } from '../../app/emulators';
import { mountEmulator } from '../../sandbox/emulator';
import { messagingOf, type EmulatedMessage } from '../../sandbox/webex-api/messaging-state';
import { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { memoryLogger } from './service';
import { createSpace, webexCall } from './webex-sandbox';

/**
 * A Webex emulator on its own loopback server in the test process: it outlives the service
 * processes a test kills or restarts, and counts what arrived.
 */
export interface WebexOutside {
  emulator: WebexEmulator;
  /** e.g. http://127.0.0.1:1234/sandbox/webex; the service's WEBEX_API_URL is `${base}/v1`. */
  base: string;
  messages(): readonly EmulatedMessage[];
  close(): Promise<void>;
}

export async function startWebexOutside(): Promise<WebexOutside> {
  const emulator = createEmulators().find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
  const server: HttpServer = createHttpServer({ bodyLimitBytes: 1 << 20, log: memoryLogger().log, isReady: async () => true });
  mountEmulator(server.restify, emulator);
  const address = await server.listen(0, '127.0.0.1');
  return {
    emulator,
    base: `http://127.0.0.1:${address.port}/sandbox/webex`,
    messages: () => messagingOf(emulator.context).messages,
    close: () => server.close(100),
  };
}

/**
 * Two 1:1 spaces (a bot can list those, so an in-doubt send is checked before it is repeated)
 * and one group space (it cannot, so an in-doubt send there may show up twice, and the service
 * logs it as such).
 */
export async function notificationSpaces(webex: WebexOutside): Promise<{ direct: string[]; group: string; all: string[] }> {
  const direct: string[] = [];
  for (const email of ['anouk@example.nl', 'pieter@example.nl']) {
    const hello = await webexCall<{ roomId: string }>(webex.base, 'POST', '/messages', { toPersonEmail: email, text: 'Hoi' });
    direct.push(hello.body.roomId);
  }
  const group = await createSpace(webex.base, 'Klantportaal');
  return { direct, group, all: [...direct, group] };
}

export async function subscribeAll(store: Store, spaces: string[]): Promise<void> {
  const repo = new SubscriptionRepository(store.db);
  for (const spaceId of spaces) await repo.subscribe({ spaceId, source: 'jira', sourceKey: 'KAN', locale: 'en' });
}

/**
 * Posts Jira's "issue updated" for KAN-n, signed; answers the status, or 0 when the connection failed.
 * With `items`, change n is about one of that many issues instead, in runs of `run` changes to the
 * same issue (so threads start and fill while digests fold), each change its own body (its
 * changelog id), the same body again when change n is retried.
 */
export async function sendJira(url: string, secret: string, n: number, timeoutMs = 10_000, threaded?: { items: number; run: number }): Promise<number> {
  const key = threaded ? `KAN-${1 + (Math.floor(n / threaded.run) % threaded.items)}` : `KAN-${n}`;
  const body = JSON.stringify({
    ...jiraIssueUpdated,
    issue: { ...jiraIssueUpdated.issue, key },
    ...(threaded ? { changelog: { ...jiraIssueUpdated.changelog, id: String(50_000 + n) } } : {}),
  });
  try {
    const res = await fetch(`${url}/hooks/jira`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature': signJiraBody(body, secret), 'x-atlassian-webhook-identifier': `reliab-${n}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** How many times each `${roomId} KAN-n` arrived; bursts go out as digests, so count the keys the messages carry. */
export function deliveryCounts(messages: readonly EmulatedMessage[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const m of messages) {
    for (const [, key] of (m.markdown ?? '').matchAll(/\[(KAN-\d+)\]/g)) seen.set(`${m.roomId} ${key}`, (seen.get(`${m.roomId} ${key}`) ?? 0) + 1);
  }
  return seen;
}

export function deliveredKeys(messages: readonly EmulatedMessage[]): number {
  return messages.reduce((n, m) => n + [...(m.markdown ?? '').matchAll(/\[KAN-\d+\]/g)].length, 0);
}

/**
 * Every event n in `events` reached every space exactly once, except that a group-space send the
 * service logged as in doubt ("may duplicate") may have arrived twice. Answers the duplicates seen.
 */
export function expectExactlyOnce(messages: readonly EmulatedMessage[], spaces: { all: string[]; group: string }, events: number[], ambiguous: number): number {
  const seen = deliveryCounts(messages);
  const problems: string[] = [];
  let groupDuplicates = 0;
  for (const spaceId of spaces.all) {
    for (const n of events) {
      const times = seen.get(`${spaceId} KAN-${n}`) ?? 0;
      if (times === 1) continue;
      if (spaceId === spaces.group && times === 2) {
        groupDuplicates++;
        continue;
      }
      problems.push(`${spaceId === spaces.group ? 'group' : 'direct'} space ${spaceId.slice(-6)} KAN-${n}: ${times} times`);
    }
  }
  if (groupDuplicates > ambiguous) problems.push(`${groupDuplicates} group-space duplicates, but only ${ambiguous} sends logged as in doubt`);
  if (problems.length > 0) throw new Error(`not delivered exactly once:\n${problems.slice(0, 20).join('\n')}`);
  return groupDuplicates;
}
