import { UpstreamError } from '../errors';
import { fetchTransport, type HttpAnswer, type HttpTransport } from '../http-transport';
import { own } from '../untrusted';

/** A message as Webex returns it (https://developer.webex.com/docs/api/v1/messages). */
export interface WebexMessage {
  id: string;
  roomId: string;
  roomType?: string;
  /** Set on a reply in a thread: the thread's first message ("The parent message to reply to"). */
  parentId?: string;
  text?: string;
  markdown?: string;
  personId?: string;
  personEmail?: string;
  created: string;
  attachments?: { contentType: string; content: unknown }[];
}

export interface NewWebexMessage {
  roomId: string;
  /** A reply in the thread of this top-level message ("The parent message to reply to"). */
  parentId?: string;
  /** Plain text; with markdown it is the fallback for clients that cannot render rich text. */
  text: string;
  markdown?: string;
  attachments?: { contentType: string; content: unknown }[];
}

export interface WebexMessagesOptions {
  /** e.g. https://webexapis.com/v1; asked per request (the sandbox's port is known after listen). */
  baseUrl: () => string;
  token: () => string;
  timeoutMs?: number;
  /** How requests go out; fetch unless the composition root gives one (app/keep-alive-transport.ts). */
  transport?: HttpTransport;
}

/** A webhook as GET /v1/webhooks lists it (https://developer.webex.com/docs/api/v1/webhooks). */
export interface WebexWebhook {
  id: string;
  name: string;
  targetUrl: string;
  resource: string;
  event: string;
  secret?: string;
  status?: string;
}

/**
 * The calls notifications need, over the transport the options give (fetch by default). Failures become UpstreamError with the
 * status (undefined for timeouts and network errors) and Retry-After on 429, which is what
 * the outbox worker decides on. Kept apart from any SDK so the bot framework never sends them.
 */
export class WebexMessages {
  constructor(private readonly options: WebexMessagesOptions) {}

  create(message: NewWebexMessage): Promise<WebexMessage> {
    return this.request<WebexMessage>('POST', '/messages', message);
  }

  /**
   * A message to one person in their 1:1 space with the bot, made if it does not exist yet
   * (Create a Message with `toPersonId` instead of `roomId`;
   * https://developer.webex.com/docs/api/v1/messages/create-a-message).
   */
  direct(toPersonId: string, message: Omit<NewWebexMessage, 'roomId' | 'parentId'>): Promise<WebexMessage> {
    return this.request<WebexMessage>('POST', '/messages', { toPersonId, ...message });
  }

  /**
   * Replaces the text of a message the bot posted (Edit a Message, PUT /messages/{messageId};
   * https://developer.webex.com/docs/api/v1/messages/edit-a-message): `roomId` is required with
   * `text` or `markdown`. Webex refuses to edit a message with files or attachments (a card), and
   * more than 10 edits of one message, with 400.
   */
  edit(messageId: string, message: { roomId: string; text?: string; markdown?: string }): Promise<WebexMessage> {
    return this.request<WebexMessage>('PUT', `/messages/${encodeURIComponent(messageId)}`, message);
  }

  /** The newest messages in a room, newest first (Webex's order). */
  async list(roomId: string, max = 50): Promise<WebexMessage[]> {
    const query = new URLSearchParams({ roomId, max: String(max) });
    const page = await this.request<{ items: WebexMessage[] }>('GET', `/messages?${query}`);
    return page.items;
  }

  /** GET /rooms/{roomId}: the space, with `lastActivity` (time of its latest message). */
  room(roomId: string): Promise<{ id: string; type: string; title?: string; isLocked?: boolean; lastActivity?: string }> {
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}`);
  }

  /** GET /messages/{messageId}: webhooks carry only the id, never the text. */
  get(messageId: string): Promise<WebexMessage & { roomType?: string; mentionedPeople?: string[] }> {
    return this.request('GET', `/messages/${encodeURIComponent(messageId)}`);
  }

  /** GET /people/me: who the token belongs to (the bot). */
  me(): Promise<{ id: string; displayName: string; emails: string[]; type: string }> {
    return this.request('GET', '/people/me');
  }

  /**
   * GET /people/{personId}: a person's addresses and organisation (Person.orgId, "the ID of the
   * organization to which this person belongs"; webex/webex-openapi-specs public-spec/webex-messaging.json).
   */
  person(personId: string): Promise<{ id: string; emails: string[]; orgId?: string }> {
    return this.request('GET', `/people/${encodeURIComponent(personId)}`);
  }

  /** A person's membership of a space, for the moderator check of moderated (locked) spaces. */
  async membership(roomId: string, personId: string): Promise<{ isModerator: boolean } | undefined> {
    const query = new URLSearchParams({ roomId, personId });
    const page = await this.request<{ items: { personId: string; isModerator: boolean }[] }>('GET', `/memberships?${query}`);
    return page.items.find((m) => m.personId === personId);
  }

  /**
   * The e-mail addresses of a space's members (List Memberships by roomId, webex/webex-openapi-specs
   * public-spec/webex-messaging.json: `max` defaults to 100; the largest page asked for here).
   */
  async memberEmails(roomId: string): Promise<string[]> {
    const query = new URLSearchParams({ roomId, max: '1000' });
    const page = await this.request<{ items: { personEmail?: string }[] }>('GET', `/memberships?${query}`);
    return page.items.flatMap((m) => (m.personEmail ? [m.personEmail] : []));
  }

  listWebhooks(): Promise<{ items: WebexWebhook[] }> {
    return this.request('GET', '/webhooks');
  }

  updateWebhook(id: string, hook: { name: string; targetUrl: string; secret: string; status: 'active' }): Promise<WebexWebhook> {
    return this.request('PUT', `/webhooks/${encodeURIComponent(id)}`, hook);
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.request('DELETE', `/webhooks/${encodeURIComponent(id)}`);
  }

  createWebhook(hook: { name: string; targetUrl: string; resource: string; event: string; secret: string }): Promise<{ id: string }> {
    return this.request('POST', '/webhooks', hook);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: HttpAnswer;
    try {
      res = await (this.options.transport ?? fetchTransport)({
        method,
        url: `${this.options.baseUrl().replace(/\/+$/, '')}${path}`,
        headers: {
          authorization: `Bearer ${this.options.token()}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: this.options.timeoutMs ?? 10_000,
      });
    } catch (err) {
      const detail = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
      throw new UpstreamError('Webex', undefined, 'upstream.unavailable', undefined, detail);
    }
    if (res.status === 204) return undefined as T;
    if (res.status >= 200 && res.status < 300) {
      try {
        return JSON.parse(res.text) as T;
      } catch {
        // A 2xx that is not JSON (a proxy's page, say) is no answer of Webex's: retried like one that never came.
        throw new UpstreamError('Webex', res.status, 'upstream.unavailable', undefined, `answer was not JSON: ${res.text.slice(0, 200)}`);
      }
    }
    const detail = messageOf(res.text);
    if (res.status === 429) {
      // Webex sends Retry-After in seconds on every 429 (https://developer.webex.com/docs/basics#rate-limiting).
      const seconds = Number(res.header('retry-after'));
      throw new UpstreamError('Webex', 429, 'upstream.rateLimited', Number.isFinite(seconds) && seconds >= 0 ? seconds : 60, detail);
    }
    const key = res.status === 401 || res.status === 403 ? 'upstream.unauthorized' : 'upstream.unavailable';
    throw new UpstreamError('Webex', res.status, key, undefined, detail);
  }
}

function messageOf(body: string): string {
  try {
    const message = own(JSON.parse(body), 'message');
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: a proxy's error page, say; keep its start.
  }
  return body.slice(0, 200);
}
