import { SourceAllowList, SpaceWriters, type AuditLog, type SourceName, type Store } from '../../core/internal';
import type { Emulator } from '../../sandbox/emulator';
import { messagingOf, type EmulatedMessage } from '../../sandbox/webex-api/messaging-state';
import { SANDBOX_WEBEX_BOT_TOKEN, WebexEmulator } from '../../sandbox/webex-api/webex-emulator';

/** Calls the Webex emulator as the sandbox bot. `base` is e.g. http://127.0.0.1:1234/sandbox/webex. */
export async function webexCall<T>(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${SANDBOX_WEBEX_BOT_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A group space with the bot in it. */
export async function createSpace(base: string, title: string): Promise<string> {
  const res = await webexCall<{ id: string }>(base, 'POST', '/rooms', { title });
  if (res.status !== 200) throw new Error(`could not create a space: ${res.status}`);
  return res.body.id;
}

interface LoggedRequest {
  method: string;
  path: string;
  body: string;
}

/** Every POST /v1/messages the emulator received, from its `_log` (refused ones included). */
export async function postedMessages(base: string): Promise<LoggedRequest[]> {
  const log = (await (await fetch(`${base}/_log`)).json()) as { requests: LoggedRequest[] };
  return log.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/v1/messages'));
}

/** The messages the emulator of this service accepted (failed POSTs are in `_log` too, so read its state). */
export function acceptedMessages(emulators: readonly Emulator[]): readonly EmulatedMessage[] {
  const webex = emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator);
  if (!webex) throw new Error('no Webex emulator in this service');
  return messagingOf(webex.context).messages;
}

/**
 * A person in the Webex emulator who makes spaces with the bot in them and talks to it.
 * `base` is the emulator's API root, e.g. http://127.0.0.1:1234/sandbox/webex/v1.
 */
export function spacePerson(webex: WebexEmulator, base: string, person: { token: string; email: string }) {
  const state = messagingOf(webex.context);
  webex.context.tokens.set(person.token, state.person({ personEmail: person.email })!.id);
  const asPerson = async <T>(method: string, path: string, body?: unknown, token = person.token): Promise<T> => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await res.json()) as T;
  };
  return {
    asPerson,
    /** A new group space with the bot as a member (after its welcome, so that is not taken for an answer). */
    async space(title: string): Promise<string> {
      const room = await asPerson<{ id: string }>('POST', '/rooms', { title });
      await asPerson('POST', '/memberships', { roomId: room.id, personEmail: 'een-bridge@webex.bot' });
      for (let i = 0; i < 200 && !state.messages.some((m) => m.roomId === room.id && m.personEmail === 'een-bridge@webex.bot'); i++) {
        await state.settled();
        await new Promise((r) => setTimeout(r, 20));
      }
      return room.id;
    },
    /** Says something to the bot (mentioning it) and waits for its answer. */
    async say(roomId: string, text: string): Promise<string> {
      const before = state.messages.length;
      await asPerson('POST', '/messages', { roomId, text: `een-bridge ${text}`, markdown: `<@personEmail:een-bridge@webex.bot|een-bridge> ${text}` });
      for (let i = 0; i < 200; i++) {
        await state.settled();
        const reply = state.messages.slice(before).find((m) => m.roomId === roomId && m.personEmail === 'een-bridge@webex.bot');
        if (reply) return reply.markdown ?? '';
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no answer to "${text}"`);
    },
  };
}
export type SpacePerson = ReturnType<typeof spacePerson>;

/**
 * Puts sources on the administrator's allow-list of a test service, for every served
 * organisation, as `een-bridge sources allow <source> <key>` would (the bot now follows only
 * what is listed; docs/security.md, "Webex spaces: who may follow what, and who may write").
 */
export async function allowSources(service: { store: Store; audit: AuditLog }, entries: [SourceName, string][]): Promise<void> {
  const list = new SourceAllowList(service.store.db, service.audit);
  for (const [source, key] of entries) await list.allow(source, key, undefined, 'test:admin');
}

/** Lets `person` (default: everyone served) create Trello cards from `spaceId`, as `een-bridge writers allow` would. */
export async function allowWriting(service: { store: Store; audit: AuditLog }, spaceId: string, person = '*'): Promise<void> {
  await new SpaceWriters(service.store.db, service.audit).grant(spaceId, person, 'test:admin');
}
