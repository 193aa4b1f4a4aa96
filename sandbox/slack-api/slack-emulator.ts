/**
 * The part of the Slack Web API een-bridge calls, under /sandbox/slack/api/<method>, plus a
 * catcher for `response_url` posts under /sandbox/slack/response/<id>. Shapes follow
 * https://api.slack.com/methods/chat.postMessage, chat.postEphemeral, views.open and
 * users.info: always HTTP 200 with `{ ok: true, … }` or `{ ok: false, error }`.
 */
import { randomBytes } from 'node:crypto';
import type { Next, Request, Response, Server } from 'restify';
import type { SystemName } from '../../core';
import { recordInto, type Emulator } from '../emulator';
import { RequestLog } from '../request-log';
import { blockProblems, refusal, viewProblems } from './block-kit';

/** Used by the composition root in sandbox mode, where SLACK_* is not set, and by tests to sign requests. */
export const SANDBOX_SLACK_SIGNING_SECRET = 'sandbox-slack-signing-secret';
export const SANDBOX_SLACK_BOT_TOKEN = 'xoxb-sandbox-bot-token';
import { SANDBOX_SLACK_TEAM_ID } from '../organisation-ids';
export { SANDBOX_SLACK_TEAM_ID };
export const SANDBOX_SLACK_BOT_USER_ID = 'U0SANDBOXBOT';
/** The sandbox app's OAuth client, for the multi-workspace install flow. */
export const SANDBOX_SLACK_CLIENT_ID = '0000000000.sandbox';
export const SANDBOX_SLACK_CLIENT_SECRET = 'sandbox-slack-client-secret';

export interface SlackUserProfile {
  id: string;
  name: string;
  realName: string;
  email: string;
  tz: string;
  locale: string;
  /** The user's own workspace (`team_id` of users.info); another one for a Slack Connect guest. Default: the sandbox's. */
  teamId?: string;
  /** users.info `is_email_confirmed`; default true. */
  emailConfirmed?: boolean;
}

/**
 * Members of the sandbox workspace whose addresses the sandbox's KPN EEN directory knows
 * (sandbox/broadworks-xsi/directory-seed.ts), as SANDBOX_TEAMS_MEMBERS are for the Teams tenant:
 * what a demo needs to call from Slack over HTTP alone. Any other id is a stranger at example.com.
 */
export const SANDBOX_SLACK_MEMBERS: readonly SlackUserProfile[] = [
  { id: 'U0SANDBOXSANNE', name: 'sanne', realName: 'Sanne Visser', email: 'sanne.visser@sandbox.kpneen.nl', tz: 'Europe/Amsterdam', locale: 'en-US' },
];

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  /** The bot token the call was made with (in-process only; the HTTP log hides it). */
  token?: string;
}

function parseBody(req: Request): Record<string, unknown> {
  const raw = Buffer.isBuffer(req.rawBody) ? req.rawBody.toString('utf8') : '';
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const form = Object.fromEntries(new URLSearchParams(raw)) as Record<string, unknown>;
  // WebClient sends arrays and objects (blocks, view) as JSON text inside the form.
  for (const key of ['blocks', 'view', 'attachments']) {
    if (typeof form[key] === 'string') {
      try {
        form[key] = JSON.parse(form[key] as string);
      } catch {
        // leave it as text, as Slack would complain about it
      }
    }
  }
  return form;
}

/**
 * Slack truncates `text` over 40,000 characters and posts it with a warning
 * (https://api.slack.com/changelog/2018-04-truncating-really-long-messages).
 */
const MAX_TEXT_CHARACTERS = 40_000;
const TRUNCATED_WARNING = {
  warning: 'message_truncated',
  response_metadata: { warnings: ['message_truncated'], messages: ['[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters.'] },
};

function truncatedText(value: unknown): { text: string; truncated: boolean } {
  const chars = [...(typeof value === 'string' ? value : '')];
  return { text: chars.slice(0, MAX_TEXT_CHARACTERS).join(''), truncated: chars.length > MAX_TEXT_CHARACTERS };
}

/**
 * What chat.postMessage and chat.postEphemeral refuse (https://docs.slack.dev/reference/methods/chat.postMessage,
 * "Errors"): nothing to show (`no_text`: text is required unless blocks or attachments are given),
 * blocks that are not JSON (`invalid_blocks_format`), and blocks against the Block Kit limits
 * (`invalid_blocks`, at most 50 in a message).
 */
function messageRefusal(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const hasText = typeof body.text === 'string' && body.text.trim() !== '';
  if (!hasText && body.blocks === undefined && body.attachments === undefined) return { ok: false, error: 'no_text' };
  if (body.blocks === undefined) return undefined;
  if (typeof body.blocks === 'string') return { ok: false, error: 'invalid_blocks_format' };
  const problems = blockProblems(body.blocks, 50);
  return problems.length > 0 ? refusal('invalid_blocks', problems) : undefined;
}

export class SlackEmulator implements Emulator {
  readonly name = 'slack';
  readonly serves: readonly SystemName[] = ['slack'];
  readonly log = new RequestLog();
  /** Every Web API call and response_url post, parsed, oldest first. */
  readonly calls: SlackCall[] = [];
  private readonly users = new Map<string, SlackUserProfile>(SANDBOX_SLACK_MEMBERS.map((u) => [u.id, u]));
  private readonly botTokens = new Set([SANDBOX_SLACK_BOT_TOKEN]);
  /** OAuth v2 codes handed out by the emulated consent page, one use each. */
  private readonly codes = new Map<string, { teamId: string; clientId: string; redirectUri: string; scope: string }>();
  /** The sandbox app's Redirect URLs (its "OAuth & Permissions" settings). */
  private readonly redirectUris = new Set<string>();

  /** Adds a Redirect URL to the sandbox app, as its owner does in the app's settings. */
  registerRedirectUri(uri: string): void {
    this.redirectUris.add(uri);
  }
  private waiters: { test: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];

  addUser(user: SlackUserProfile): void {
    this.users.set(user.id, user);
  }

  /** Resolves with the first call (already made or still to come) that passes `test`. */
  waitFor(test: (c: SlackCall) => boolean, timeoutMs = 10_000): Promise<SlackCall> {
    const seen = this.calls.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching Slack call within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ test, resolve: (c) => (clearTimeout(timer), resolve(c)) });
    });
  }

  private received(call: SlackCall): void {
    this.calls.push(call);
    const [hit, rest] = [this.waiters.filter((w) => w.test(call)), this.waiters.filter((w) => !w.test(call))];
    this.waiters = rest;
    for (const w of hit) w.resolve(call);
  }

  /** The profile users.info gives for `id` (tests sign in at Webex with its e-mail address). */
  profile(id: string): SlackUserProfile {
    return this.user(id);
  }

  private user(id: string): SlackUserProfile {
    return this.users.get(id) ?? { id, name: id.toLowerCase(), realName: `Slack ${id}`, email: `${id.toLowerCase()}@example.com`, tz: 'Europe/Amsterdam', locale: 'en-US' };
  }

  mount(server: Server, base: string): void {
    const record = recordInto(this.log);
    server.post(`${base}/response/:id`, record, (req: Request, res: Response, next: Next) => {
      this.received({ method: `response:${String(req.params.id)}`, body: parseBody(req) });
      res.send(200, 'ok');
      next();
    });
    // https://api.slack.com/authentication/oauth-v2: the installer consents (here: at once)
    // and comes back to redirect_uri with `code` and `state`; `team` picks the workspace.
    server.get(`${base}/oauth/v2/authorize`, record, (req: Request, res: Response, next: Next) => {
      const q = (req.query ?? {}) as Record<string, string | undefined>;
      if (!q.client_id || !q.redirect_uri) {
        res.send(400, 'client_id and redirect_uri are required');
        return next();
      }
      // Slack sends the installer only to a Redirect URL of the app ("bad_redirect_uri" otherwise,
      // https://api.slack.com/authentication/oauth-v2#asking); never to one given in the query alone.
      if (q.client_id !== SANDBOX_SLACK_CLIENT_ID || !this.redirectUris.has(q.redirect_uri)) {
        res.send(400, q.client_id !== SANDBOX_SLACK_CLIENT_ID ? 'invalid_client_id' : 'bad_redirect_uri');
        return next();
      }
      const code = randomBytes(12).toString('hex');
      this.codes.set(code, { teamId: q.team ?? 'T0SANDBOX2', clientId: q.client_id, redirectUri: q.redirect_uri, scope: q.scope ?? '' });
      const back = new URL(q.redirect_uri);
      back.searchParams.set('code', code);
      if (q.state) back.searchParams.set('state', q.state);
      res.redirect(302, back.toString(), next);
    });
    server.post(`${base}/api/:method`, record, (req: Request, res: Response, next: Next) => {
      const method = String(req.params.method);
      const body = parseBody(req);
      if (method === 'oauth.v2.access') {
        this.received({ method, body: { ...body, client_secret: '[hidden]' } });
        res.send(200, this.exchange(body));
        return next();
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof body.token === 'string' ? body.token : '');
      if (!this.botTokens.has(token)) {
        res.send(200, { ok: false, error: 'invalid_auth' });
        return next();
      }
      this.received({ method, body, token });
      res.send(200, this.answer(method, body));
      next();
    });
  }

  /** oauth.v2.access, shaped as https://api.slack.com/methods/oauth.v2.access ("Example response"). */
  private exchange(body: Record<string, unknown>): Record<string, unknown> {
    const code = typeof body.code === 'string' ? body.code : '';
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (!grant || grant.clientId !== body.client_id || grant.redirectUri !== body.redirect_uri) return { ok: false, error: 'invalid_code' };
    if (body.client_secret !== SANDBOX_SLACK_CLIENT_SECRET) return { ok: false, error: 'bad_client_secret' };
    const token = `xoxb-sandbox-${grant.teamId}-${randomBytes(8).toString('hex')}`;
    this.botTokens.add(token);
    return {
      ok: true,
      access_token: token,
      token_type: 'bot',
      scope: grant.scope,
      bot_user_id: `U0BOT${grant.teamId}`,
      app_id: 'A0SANDBOX',
      team: { name: `Sandbox ${grant.teamId}`, id: grant.teamId },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U0INSTALLER' },
    };
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const ts = `${Math.floor(Date.now() / 1000)}.${randomBytes(3).readUIntBE(0, 3).toString().padStart(6, '0').slice(0, 6)}`;
    switch (method) {
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        if (!body.channel) return { ok: false, error: 'channel_not_found' };
        if (method === 'chat.postEphemeral' && !body.user) return { ok: false, error: 'user_not_found' };
        const refused = messageRefusal(body);
        if (refused) return refused;
        const { text, truncated } = truncatedText(body.text);
        const warning = truncated ? TRUNCATED_WARNING : {};
        if (method === 'chat.postEphemeral') return { ok: true, message_ts: ts, ...warning };
        return { ok: true, channel: body.channel, ts, message: { type: 'message', text, bot_id: 'B0SANDBOX', ts }, ...warning };
      }
      case 'views.open':
      case 'views.publish': {
        // https://docs.slack.dev/reference/methods/views.open (trigger_id, view) and views.publish (user_id, view).
        const missing = method === 'views.open' ? (typeof body.trigger_id === 'string' ? undefined : 'trigger_id') : typeof body.user_id === 'string' ? undefined : 'user_id';
        if (missing || !body.view) return refusal('invalid_arguments', [`missing required field: ${missing ?? 'view'}`]);
        const problems = viewProblems(body.view);
        if ((body.view as { type?: unknown }).type !== (method === 'views.open' ? 'modal' : 'home')) problems.unshift(`must be ${method === 'views.open' ? 'modal' : 'home'} [json-pointer:/view/type]`);
        if (problems.length > 0) return refusal('invalid_arguments', problems);
        return { ok: true, view: { id: `V${randomBytes(5).toString('hex').toUpperCase()}`, ...(body.view as object) } };
      }
      case 'users.info': {
        if (typeof body.user !== 'string') return { ok: false, error: 'user_not_found' };
        const u = this.user(body.user);
        return {
          ok: true,
          user: {
            id: u.id,
            // Fields as in the published User type of users.info (@slack/web-api
            // src/types/response/UsersInfoResponse.ts: team_id, is_email_confirmed).
            team_id: u.teamId ?? SANDBOX_SLACK_TEAM_ID,
            is_email_confirmed: u.emailConfirmed ?? true,
            name: u.name,
            real_name: u.realName,
            tz: u.tz,
            tz_label: u.tz,
            is_bot: false,
            ...(body.include_locale === 'true' || body.include_locale === true ? { locale: u.locale } : {}),
            profile: { email: u.email, real_name: u.realName, display_name: u.name },
          },
        };
      }
      case 'auth.test':
        return { ok: true, url: 'https://sandbox.slack.com/', team: 'Sandbox', user: 'een-bridge', team_id: SANDBOX_SLACK_TEAM_ID, user_id: SANDBOX_SLACK_BOT_USER_ID, bot_id: 'B0SANDBOX' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
