import type { EventStreams } from './event-stream';
import { createHash, randomUUID } from 'node:crypto';
import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import {
  JIRA_IDENTIFIER_HEADER,
  JIRA_SIGNATURE_HEADER,
  SANDBOX_JIRA_WEBHOOK_SECRET,
  UserError,
  signJiraBody,
  type AuditLog,
  type Config,
  type Logger,
  type Notifications,
} from '../core';
import { jsonBody } from '../inbound';
import type { Emulator } from '../sandbox/emulator';
import { SANDBOX_TEAMS_MEMBERS, SANDBOX_TEAMS_TENANT_ID, TeamsConnectorEmulator } from '../sandbox/teams-connector/connector-emulator';
import { SANDBOX_SLACK_SIGNING_SECRET, SANDBOX_SLACK_TEAM_ID, SlackEmulator, type SlackCall } from '../sandbox/slack-api/slack-emulator';
import { WebexEmulator } from '../sandbox/webex-api/webex-emulator';
import { messagingOf } from '../sandbox/webex-api/messaging-state';
import { SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_BOARD_ID, SANDBOX_TRELLO_TOKEN, TrelloEmulator } from '../sandbox/trello-api/trello-emulator';
import { GraphEmulator } from '../sandbox/graph-api/graph-emulator';
import { signSlackRequest } from '../slack-app/signature';
import { jiraIssueCreated } from './sources';
import { sendConsoleFailure } from './failure';

export interface PlaygroundDeps {
  config: Config;
  log: Logger;
  audit: AuditLog;
  notifications: Notifications;
  emulators: readonly Emulator[];
  /** This process's own base URL (the playground calls the public routes over loopback). */
  self: () => string;
  /** The live streams (Server-Sent Events), ended when the service stops. */
  events: EventStreams;
}

/** A browser's playground conversation: random, chosen by the page, kept in its sessionStorage. */
const conversation = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const locale = z.enum(['nl-NL', 'en-US', 'en-GB']);
const zone = z.enum(['Europe/Amsterdam', 'Europe/London', 'America/New_York', 'Asia/Tokyo']);

export interface ChatEntry {
  id: string;
  from: 'user' | 'bot';
  name: string;
  text?: string;
  /** Adaptive cards (Teams, Webex) or Block Kit blocks (Slack), rendered by the page. */
  attachments?: unknown[];
  blocks?: unknown[];
  /** A Slack modal the app opened (views.open). */
  view?: unknown;
  updated?: boolean;
}

interface Transcript { entries: ChatEntry[]; cursor: number; touched: number }

const MAX_TRANSCRIPTS = 200;

/** Transcripts per conversation, the oldest forgotten beyond MAX_TRANSCRIPTS (the sandbox runs for days). */
class Transcripts {
  private readonly all = new Map<string, Transcript>();
  of(key: string): Transcript {
    let t = this.all.get(key);
    if (!t) {
      t = { entries: [], cursor: 0, touched: Date.now() };
      this.all.set(key, t);
      if (this.all.size > MAX_TRANSCRIPTS) this.all.delete(this.all.keys().next().value!);
    }
    t.touched = Date.now();
    return t;
  }
}

/** A Map that forgets its oldest keys beyond MAX_TRANSCRIPTS (the sandbox may run for days). */
class BoundedMap<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > MAX_TRANSCRIPTS) this.delete(this.keys().next().value!);
    return this;
  }
}

function find<T extends Emulator>(emulators: readonly Emulator[], type: abstract new (...args: never[]) => T): T | undefined {
  return emulators.find((e): e is T => e instanceof type);
}

/** Which playground panes exist: one per emulator this sandbox runs. */
export function playgroundSurfaces(config: Config, emulators: readonly Emulator[]) {
  const s = config.systems;
  return {
    teams: s.teams.mode === 'sandbox' && Boolean(find(emulators, TeamsConnectorEmulator)),
    slack: s.slack.mode === 'sandbox' && Boolean(find(emulators, SlackEmulator)),
    webex: s.webexBot.mode === 'sandbox' && Boolean(find(emulators, WebexEmulator)),
    jira: s.jira.mode === 'sandbox',
    trello: s.trello.mode === 'sandbox' && Boolean(find(emulators, TrelloEmulator)),
    onedrive: s.graph.mode === 'sandbox' && Boolean(find(emulators, GraphEmulator)),
  };
}

/**
 * The sandbox playground's API under /api/console/sandbox/. Each call acts as a platform would:
 * it signs with the sandbox secrets and calls een-bridge's own public routes over loopback, so
 * the real verification paths run. Mounted only in sandbox mode (see console/routes.ts).
 */
export function mountPlayground(server: Server, deps: PlaygroundDeps): void {
  const surfaces = playgroundSurfaces(deps.config, deps.emulators);
  const base = '/api/console/sandbox';
  const handle = (fn: (req: Request) => Promise<unknown>) => (req: Request, res: Response, next: Next) => {
    fn(req).then(
      (body) => {
        res.setHeader('Cache-Control', 'no-store');
        res.send(200, body);
        next();
      },
      (err: unknown) => {
        sendConsoleFailure(req, res, err, deps.log);
        next(false);
      },
    );
  };
  const teams = find(deps.emulators, TeamsConnectorEmulator);
  if (surfaces.teams && teams) mountTeams(server, base, deps, teams, handle);
  const slack = find(deps.emulators, SlackEmulator);
  if (surfaces.slack && slack) mountSlack(server, base, deps, slack, handle);
  const webex = find(deps.emulators, WebexEmulator);
  if (surfaces.webex && webex) mountWebex(server, base, deps, webex, handle);
  mountSources(server, base, deps, surfaces, handle);
  server.get(`${base}/timeline`, handle(async () => ({ entries: await timeline(deps) })));
  // Live updates by Server-Sent Events (WHATWG HTML, "Server-sent events"): the page is told when
  // an emulator received something or een-bridge stored something, and then reloads its panes and
  // the timeline; without EventSource, or when the stream cannot be opened, it polls instead.
  server.get(`${base}/events`, (req: Request, res: Response, next: Next) => {
    deps.events.serve(req, res, async () => {
      const [audit, outbox] = await Promise.all([deps.audit.recent(1), deps.notifications.outbox.counts()]);
      const logs = deps.emulators.map((e) => {
        const list = e.log.list();
        return `${e.name}:${list.length}:${list[list.length - 1]?.at ?? ''}`;
      });
      return JSON.stringify({ logs, audit: audit[0]?.id ?? 0, outbox });
    }, 500);
    next();
  });
}

type Handle = (fn: (req: Request) => Promise<unknown>) => (req: Request, res: Response, next: Next) => void;

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UserError('console.badRequest', { detail: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
  return result.data;
}

const query = (req: Request) => (req.query ?? {}) as Record<string, unknown>;

async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.text() };
}

// ---------------------------------------------------------------- Teams

const teamsSend = z.object({
  conversation,
  member: z.string().max(64),
  locale,
  text: z.string().trim().min(1).max(500).optional(),
  value: z.record(z.string(), z.unknown()).optional(),
  /** The pressed button's title, for the transcript. */
  label: z.string().max(100).optional(),
}).refine((b) => b.text !== undefined || b.value !== undefined, 'text or value is required');

/**
 * A Teams user in a personal chat with the bot: message activities as Teams delivers them to
 * /api/messages (Bot Framework Activity schema, microsoft/botframework-sdk specs/botframework-activity;
 * an Action.Submit press arrives as a message whose `value` is the button's data, Teams docs
 * "Card actions"), with serviceUrl pointing at the Bot Connector emulator.
 */
function mountTeams(server: Server, base: string, deps: PlaygroundDeps, teams: TeamsConnectorEmulator, handle: Handle): void {
  const transcripts = new Transcripts();
  const conversationId = (conv: string) => `a:console-${conv}`;
  const sync = (conv: string): ChatEntry[] => {
    const t = transcripts.of(`teams:${conv}`);
    const id = conversationId(conv);
    for (; t.cursor < teams.activities.length; t.cursor++) {
      const a = teams.activities[t.cursor]!;
      if (a.conversationId !== id) continue;
      const entry: ChatEntry = {
        id: a.id,
        from: 'bot',
        name: 'een-bridge',
        ...(typeof a.activity.text === 'string' ? { text: a.activity.text } : {}),
        ...(Array.isArray(a.activity.attachments) ? { attachments: a.activity.attachments.map((x: { content?: unknown }) => x.content) } : {}),
      };
      const at = t.entries.findIndex((e) => e.id === a.id);
      if (a.operation === 'update' && at >= 0) t.entries[at] = { ...entry, updated: true };
      else if (a.activity.type === 'message') t.entries.push(entry);
    }
    return t.entries;
  };
  server.get(`${base}/teams/messages`, handle(async (req) => ({ entries: sync(parse(conversation, query(req).conversation)) })));
  server.post(`${base}/teams/messages`, jsonBody(), handle(async (req) => {
    const b = parse(teamsSend, req.body);
    const member = SANDBOX_TEAMS_MEMBERS.find((m) => m.id === b.member) ?? SANDBOX_TEAMS_MEMBERS[0]!;
    sync(b.conversation);
    const id = randomUUID();
    transcripts.of(`teams:${b.conversation}`).entries.push({ id, from: 'user', name: member.name, text: b.text ?? `[${b.label ?? Object.values(b.value ?? {}).join(' ')}]` });
    const activity = {
      type: 'message',
      id,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: `${deps.self()}/sandbox/teams/`,
      from: { id: member.id, name: member.name, aadObjectId: member.aadObjectId },
      conversation: { id: conversationId(b.conversation), conversationType: 'personal', tenantId: SANDBOX_TEAMS_TENANT_ID },
      recipient: { id: '28:een-bridge', name: 'een-bridge' },
      locale: b.locale,
      ...(b.text !== undefined ? { text: b.text, textFormat: 'plain' } : {}),
      ...(b.value !== undefined ? { value: b.value } : {}),
      channelData: { tenant: { id: SANDBOX_TEAMS_TENANT_ID } },
    };
    const answer = await post(`${deps.self()}/api/messages`, { 'content-type': 'application/json' }, JSON.stringify(activity));
    return { status: answer.status, entries: sync(b.conversation) };
  }));
}

// ---------------------------------------------------------------- Slack

const slackCommand = z.object({ conversation, locale, zone, text: z.string().trim().min(1).max(500) });
const slackAction = z.object({
  conversation,
  locale,
  zone,
  actionId: z.string().min(1).max(255),
  blockId: z.string().max(255).optional(),
  text: z.string().max(200),
  url: z.string().max(3000).optional(),
  value: z.string().max(2000).optional(),
});
const slackView = z.object({
  conversation,
  locale,
  zone,
  entry: z.string().max(100),
  values: z.record(z.string().max(64), z.union([z.string().max(500), z.array(z.string().max(64)).max(20)])),
});

/** One Slack user per conversation, language and zone: Slack's users.info is read once per user. */
/** The sandbox Slack user's e-mail address (what users.info answers, and what Webex must match). */
function slackEmail(userId: string): string {
  return `console.${userId.toLowerCase()}@sandbox.kpneen.nl`;
}

function slackUser(conv: string, loc: string, tz: string): { id: string; channel: string } {
  const h = createHash('sha256').update(`${conv}|${loc}|${tz}`).digest('hex').slice(0, 8).toUpperCase();
  return { id: `U0C${h}`, channel: `C0C${createHash('sha256').update(conv).digest('hex').slice(0, 8).toUpperCase()}` };
}

/**
 * A Slack user typing `/webex …`: a slash-command POST signed as Slack signs it (X-Slack-Signature,
 * https://api.slack.com/authentication/verifying-requests-from-slack; fields from
 * https://api.slack.com/interactivity/slash-commands "Preparing your app to receive Commands"),
 * with a response_url on the Slack emulator. The user's language and zone are what the emulator's
 * users.info answers for them.
 */
function mountSlack(server: Server, base: string, deps: PlaygroundDeps, slack: SlackEmulator, handle: Handle): void {
  const transcripts = new Transcripts();
  const views = new BoundedMap<string, Record<string, unknown>>();
  /** The Slack users each conversation has been (one per language and zone): the app DMs them. */
  const usersOf = new BoundedMap<string, Set<string>>();
  const sign = (body: string) => {
    const ts = Math.floor(Date.now() / 1000);
    return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(SANDBOX_SLACK_SIGNING_SECRET, ts, body) };
  };
  const sync = (conv: string): ChatEntry[] => {
    const t = transcripts.of(`slack:${conv}`);
    const mine = (c: SlackCall) => {
      if (c.method === `response:console-${conv}`) return true;
      if (String(c.body.trigger_id ?? '').startsWith(`console.${conv}.`)) return true;
      const channel = typeof c.body.channel === 'string' ? c.body.channel : '';
      return channel === slackUser(conv, '', '').channel || (usersOf.get(conv)?.has(channel) ?? false);
    };
    for (; t.cursor < slack.calls.length; t.cursor++) {
      const c = slack.calls[t.cursor]!;
      if (!mine(c)) continue;
      const id = `s${t.cursor}`;
      if (c.method === 'views.open') {
        const view = c.body.view as Record<string, unknown>;
        views.set(`${conv}:${id}`, view);
        t.entries.push({ id, from: 'bot', name: 'een-bridge', view });
      } else {
        t.entries.push({
          id,
          from: 'bot',
          name: 'een-bridge',
          ...(typeof c.body.text === 'string' ? { text: c.body.text } : {}),
          ...(Array.isArray(c.body.blocks) ? { blocks: c.body.blocks } : {}),
        });
      }
    }
    return t.entries;
  };
  const register = (conv: string, loc: string, tz: string) => {
    const user = slackUser(conv, loc, tz);
    usersOf.set(conv, (usersOf.get(conv) ?? new Set()).add(user.id));
    const nl = loc.startsWith('nl');
    slack.addUser({ id: user.id, name: nl ? 'anna' : 'anna.en', realName: `Anna de Vries (Slack ${loc}, ${tz})`, email: slackEmail(user.id), tz, locale: loc });
    return user;
  };
  server.get(`${base}/slack/messages`, handle(async (req) => ({ entries: sync(parse(conversation, query(req).conversation)) })));
  server.post(`${base}/slack/commands`, jsonBody(), handle(async (req) => {
    const b = parse(slackCommand, req.body);
    const user = register(b.conversation, b.locale, b.zone);
    sync(b.conversation);
    const t = transcripts.of(`slack:${b.conversation}`);
    t.entries.push({ id: randomUUID(), from: 'user', name: 'Anna de Vries', text: b.text });
    const [command = '/webex', ...rest] = b.text.split(/\s+/);
    const form = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: SANDBOX_SLACK_TEAM_ID,
      team_domain: 'sandbox',
      channel_id: user.channel,
      channel_name: 'console',
      user_id: user.id,
      user_name: 'anna',
      command: command.startsWith('/') ? command : `/${command}`,
      text: rest.join(' '),
      api_app_id: 'A0SANDBOX',
      is_enterprise_install: 'false',
      response_url: `${deps.self()}/sandbox/slack/response/console-${b.conversation}`,
      trigger_id: `console.${b.conversation}.${randomUUID()}`,
    }).toString();
    const answer = await post(`${deps.self()}/slack/events`, sign(form), form);
    // An ack may carry the answer itself (Bolt's ack({ text, blocks })).
    if (answer.status === 200 && answer.body.trim().startsWith('{')) {
      const ack = JSON.parse(answer.body) as { text?: string; blocks?: unknown[] };
      if (ack.text || ack.blocks) t.entries.push({ id: randomUUID(), from: 'bot', name: 'een-bridge', ...(ack.text ? { text: ack.text } : {}), ...(ack.blocks ? { blocks: ack.blocks } : {}) });
    }
    await waitBriefly(() => slack.calls.length > t.cursor);
    // The person's address shows in the pane: the Webex account they connect must have it.
    return { status: answer.status, entries: sync(b.conversation), email: slackEmail(user.id) };
  }));
  // A button press (block_actions, https://api.slack.com/reference/interaction-payloads/block-actions):
  // Slack sends one for link buttons too, and the app must acknowledge it.
  server.post(`${base}/slack/actions`, jsonBody(), handle(async (req) => {
    const b = parse(slackAction, req.body);
    const user = register(b.conversation, b.locale, b.zone);
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: 'anna', name: 'anna', team_id: SANDBOX_SLACK_TEAM_ID },
      api_app_id: 'A0SANDBOX',
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: `${Math.floor(Date.now() / 1000)}.000100`, channel_id: user.channel, is_ephemeral: true },
      trigger_id: `console.${b.conversation}.${randomUUID()}`,
      team: { id: SANDBOX_SLACK_TEAM_ID, domain: 'sandbox' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: user.channel, name: 'console' },
      response_url: `${deps.self()}/sandbox/slack/response/console-${b.conversation}`,
      actions: [{
        action_id: b.actionId,
        block_id: b.blockId ?? randomUUID().slice(0, 5),
        text: { type: 'plain_text', text: b.text, emoji: true },
        type: 'button',
        ...(b.url ? { url: b.url } : {}),
        ...(b.value ? { value: b.value } : {}),
        action_ts: `${(Date.now() / 1000).toFixed(6)}`,
      }],
    };
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const answer = await post(`${deps.self()}/slack/events`, sign(form), form);
    return { status: answer.status };
  }));
  // A modal's submission (view_submission, https://api.slack.com/reference/interaction-payloads/views).
  server.post(`${base}/slack/views`, jsonBody(), handle(async (req) => {
    const b = parse(slackView, req.body);
    const view = views.get(`${b.conversation}:${b.entry}`);
    if (!view) throw new UserError('console.badRequest', { detail: 'no such dialog' });
    const user = register(b.conversation, b.locale, b.zone);
    const values: Record<string, Record<string, unknown>> = {};
    for (const block of (view.blocks as { type?: string; block_id?: string; element?: { type?: string; action_id?: string; options?: { text: unknown; value: string }[] } }[] | undefined) ?? []) {
      if (block.type !== 'input' || !block.block_id || !block.element?.action_id) continue;
      const given = b.values[block.block_id];
      const el = block.element;
      const one = typeof given === 'string' ? given : '';
      const state: Record<string, unknown> = { type: el.type };
      if (el.type === 'datepicker') state.selected_date = one || null;
      else if (el.type === 'timepicker') state.selected_time = one || null;
      else if (el.type === 'static_select') state.selected_option = el.options?.find((o) => o.value === one) ?? null;
      else if (el.type === 'multi_users_select') state.selected_users = Array.isArray(given) ? given : [];
      else state.value = one || null;
      values[block.block_id] = { [el.action_id as string]: state };
    }
    const payload = {
      type: 'view_submission',
      team: { id: SANDBOX_SLACK_TEAM_ID, domain: 'sandbox' },
      user: { id: user.id, username: 'anna', name: 'anna', team_id: SANDBOX_SLACK_TEAM_ID },
      api_app_id: 'A0SANDBOX',
      token: 'deprecated-verification-token',
      trigger_id: `console.${b.conversation}.${randomUUID()}`,
      view: { ...view, id: `V${b.entry.toUpperCase()}`, team_id: SANDBOX_SLACK_TEAM_ID, type: 'modal', state: { values }, hash: randomUUID(), app_id: 'A0SANDBOX', bot_id: 'B0SANDBOX' },
      response_urls: [],
      is_enterprise_install: false,
    };
    const t = transcripts.of(`slack:${b.conversation}`);
    sync(b.conversation);
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const answer = await post(`${deps.self()}/slack/events`, sign(form), form);
    let errors: unknown;
    if (answer.body.trim().startsWith('{')) errors = (JSON.parse(answer.body) as { errors?: unknown }).errors;
    await waitBriefly(() => slack.calls.length > t.cursor);
    return { status: answer.status, errors: errors ?? null, entries: sync(b.conversation) };
  }));
}

/** Gives an answer sent right after the ack (Slack apps answer on response_url) a moment to arrive. */
async function waitBriefly(done: () => boolean, ms = 3000): Promise<void> {
  for (const until = Date.now() + ms; !done() && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
}

// ---------------------------------------------------------------- Webex

// `parentId`: a reply in the thread of that message (Create a Message, public-spec/webex-messaging.json).
const webexSay = z.object({ conversation, roomId: z.string().max(200), text: z.string().trim().min(1).max(500), parentId: z.string().max(200).optional() });
const webexPress = z.object({ conversation, messageId: z.string().max(200), inputs: z.record(z.string(), z.unknown()) });
const webexSpace = z.object({ conversation, title: z.string().trim().min(1).max(100) });
const WEBEX_MEMBER_EMAIL = 'anna.devries@sandbox.kpneen.nl';
const BOT_EMAIL = 'een-bridge@webex.bot';

/**
 * A member of a Webex space: makes a space with the bot, mentions it and presses its cards'
 * buttons, through the Webex emulator's public API with a person's token — so the emulator sends
 * the bot its signed webhooks as Webex does.
 */
function mountWebex(server: Server, base: string, deps: PlaygroundDeps, webex: WebexEmulator, handle: Handle): void {
  const state = messagingOf(webex.context);
  const tokenOf = (conv: string) => {
    const token = `sandbox-console-${conv}`;
    if (!webex.context.tokens.has(token)) {
      const person = state.person({ personEmail: WEBEX_MEMBER_EMAIL })!;
      // Her Webex profile, as her organisation's directory would give it.
      if (person.displayName === 'anna.devries') Object.assign(person, { displayName: 'Anna de Vries', firstName: 'Anna', lastName: 'de Vries' });
      webex.context.tokens.set(token, person.id);
    }
    return token;
  };
  const api = async <T>(conv: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${deps.self()}/sandbox/webex/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${tokenOf(conv)}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const parsed = (await res.json()) as T & { message?: string };
    if (!res.ok) throw new UserError('console.badRequest', { detail: parsed.message ?? String(res.status) });
    return parsed;
  };
  const spaces = new BoundedMap<string, string[]>();
  const entries = (roomId: string): ChatEntry[] => state.messages
    .filter((m) => m.roomId === roomId)
    .map((m) => ({
      id: m.id,
      from: m.personEmail === BOT_EMAIL ? 'bot' : 'user',
      name: m.personEmail === BOT_EMAIL ? 'een-bridge' : (webex.context.people.get(m.personId)?.displayName ?? m.personEmail),
      // A Webex client shows a message's card instead of its text (the text is for clients without cards).
      ...(!m.attachments && (m.markdown ?? m.text) ? { text: (m.markdown ?? m.text)!.replace(/<@personEmail:[^|>]+\|([^>]+)>/g, '@$1') } : {}),
      ...(m.attachments ? { attachments: m.attachments.map((a) => a.content) } : {}),
    }));
  const mySpace = (conv: string, roomId: string) => {
    if (!(spaces.get(conv) ?? []).includes(roomId)) throw new UserError('console.badRequest', { detail: 'not a space of this console' });
  };
  server.get(`${base}/webex/spaces`, handle(async (req) => {
    const conv = parse(conversation, query(req).conversation);
    return { spaces: (spaces.get(conv) ?? []).map((id) => ({ id, title: state.rooms.get(id)?.title ?? id })) };
  }));
  server.post(`${base}/webex/spaces`, jsonBody(), handle(async (req) => {
    const b = parse(webexSpace, req.body);
    const room = await api<{ id: string; title: string }>(b.conversation, 'POST', '/rooms', { title: b.title });
    spaces.set(b.conversation, [...(spaces.get(b.conversation) ?? []), room.id].slice(-20));
    await api(b.conversation, 'POST', '/memberships', { roomId: room.id, personEmail: BOT_EMAIL });
    await waitBriefly(() => state.messages.some((m) => m.roomId === room.id && m.personEmail === BOT_EMAIL));
    await state.settled();
    return { space: { id: room.id, title: room.title }, entries: entries(room.id) };
  }));
  server.get(`${base}/webex/messages`, handle(async (req) => {
    const conv = parse(conversation, query(req).conversation);
    const roomId = String(query(req).roomId ?? '');
    mySpace(conv, roomId);
    return { entries: entries(roomId) };
  }));
  server.post(`${base}/webex/messages`, jsonBody(), handle(async (req) => {
    const b = parse(webexSay, req.body);
    mySpace(b.conversation, b.roomId);
    const before = state.messages.length;
    // A mention as the Webex clients write it in markdown (https://developer.webex.com/docs/basics, "Formatting Messages").
    await api(b.conversation, 'POST', '/messages', { roomId: b.roomId, ...(b.parentId ? { parentId: b.parentId } : {}), text: `een-bridge ${b.text}`, markdown: `<@personEmail:${BOT_EMAIL}|een-bridge> ${b.text}` });
    await waitBriefly(() => state.messages.slice(before).some((m) => m.roomId === b.roomId && m.personEmail === BOT_EMAIL));
    return { entries: entries(b.roomId) };
  }));
  // A card's Action.Submit: POST /v1/attachment/actions (https://developer.webex.com/docs/api/v1/attachment-actions).
  server.post(`${base}/webex/actions`, jsonBody(), handle(async (req) => {
    const b = parse(webexPress, req.body);
    const message = state.messages.find((m) => m.id === b.messageId);
    if (!message) throw new UserError('console.badRequest', { detail: 'no such message' });
    mySpace(b.conversation, message.roomId);
    const before = state.messages.length;
    await api(b.conversation, 'POST', '/attachment/actions', { type: 'submit', messageId: b.messageId, inputs: b.inputs });
    await waitBriefly(() => state.messages.length > before);
    return { entries: entries(message.roomId) };
  }));
}

// ---------------------------------------------------------------- Jira, Trello, OneDrive

/**
 * One click, one realistic change (a JSON POST, like every playground call, so no cross-site
 * form can make one): Jira's signed webhook straight to /hooks/jira (Jira has no
 * emulator), a card added through the Trello emulator's REST API (which then sends its signed
 * webhooks, as Trello does), a file added in the Graph emulator's drive (which then notifies
 * the subscriptions, as Graph does).
 */
function mountSources(server: Server, base: string, deps: PlaygroundDeps, surfaces: ReturnType<typeof playgroundSurfaces>, handle: Handle): void {
  let n = 0;
  if (surfaces.jira) {
    server.post(`${base}/sources/jira`, jsonBody(), handle(async () => {
      n += 1;
      const { body, identifier } = jiraIssueCreated('KAN', n, n % 2 ? 'Klik-en-bel faalt bij doorverbinden' : 'Wachtrijmelding te laat in Teams');
      const answer = await post(`${deps.self()}/hooks/jira`, {
        'content-type': 'application/json',
        [JIRA_SIGNATURE_HEADER]: signJiraBody(body, SANDBOX_JIRA_WEBHOOK_SECRET),
        [JIRA_IDENTIFIER_HEADER]: identifier,
        'user-agent': 'Atlassian Webhook HTTP Client',
      }, body);
      return { status: answer.status, answer: safeJson(answer.body) };
    }));
  }
  const trello = find(deps.emulators, TrelloEmulator);
  if (surfaces.trello && trello) {
    server.post(`${base}/sources/trello`, jsonBody(), handle(async () => {
      n += 1;
      const list = [...trello.lists.values()].find((l) => l.idBoard === SANDBOX_TRELLO_BOARD_ID && !l.closed);
      const q = new URLSearchParams({ key: SANDBOX_TRELLO_API_KEY, token: SANDBOX_TRELLO_TOKEN, idList: list?.id ?? '', name: `Klantvraag ${n}: terugbellen` });
      const answer = await post(`${deps.self()}/sandbox/trello/1/cards?${q}`, { 'content-type': 'application/json' }, '{}');
      await trello.settled();
      return { status: answer.status, answer: safeJson(answer.body) };
    }));
  }
  const graph = find(deps.emulators, GraphEmulator);
  if (surfaces.onedrive && graph) {
    server.post(`${base}/sources/onedrive`, jsonBody(), handle(async () => {
      n += 1;
      const body = JSON.stringify({ parentPath: 'Documenten', name: `Offerte ${new Date().toISOString().slice(0, 10)} (${n}).docx`, by: 'Bram de Groot', content: 'offerte' });
      const answer = await post(`${deps.self()}/sandbox/graph/_drive/items`, { 'content-type': 'application/json' }, body);
      await graph.settled();
      return { status: answer.status, answer: safeJson(answer.body) };
    }));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------- Timeline

export interface TimelineEntry { at: string; source: string; kind: 'received' | 'stored'; summary: string; detail: string }

/** What each emulator received (their request logs) and what een-bridge stored (outbox, audit). */
async function timeline(deps: PlaygroundDeps): Promise<TimelineEntry[]> {
  const out: TimelineEntry[] = [];
  for (const e of deps.emulators) {
    for (const r of e.log.list().slice(-60)) {
      out.push({ at: r.at, source: e.name, kind: 'received', summary: `${r.method} ${r.path}`, detail: readable(r.body) });
    }
  }
  for (const d of await deps.notifications.outbox.list({ limit: 30 })) {
    out.push({ at: iso(d.deliveredAt ?? d.createdAt), source: 'outbox', kind: 'stored', summary: `${d.source} ${d.kind} ${d.subjectKey} → ${d.status}`, detail: d.lastError ?? '' });
  }
  for (const a of await deps.audit.recent(30)) {
    out.push({ at: iso(a.at), source: 'audit', kind: 'stored', summary: `${a.action} (${a.outcome})`, detail: `${a.actor} ${JSON.stringify(a.detail)}` });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, 150);
}

function iso(at: string): string {
  const d = new Date(at.includes('T') || at.endsWith('Z') ? at : `${at.replace(' ', 'T')}Z`);
  return Number.isNaN(d.getTime()) ? at : d.toISOString();
}

/** A body as a person reads it: form fields decoded, long text cut. */
function readable(body: string): string {
  let text = body;
  if (/^[\w.%-]+=/.test(body) && !body.trim().startsWith('{')) {
    text = [...new URLSearchParams(body)].map(([k, v]) => `${k}=${v}`).join('\n');
  }
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
