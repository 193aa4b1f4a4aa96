import { randomUUID } from 'node:crypto';
import type { JWK, KeyLike } from 'jose';
import type { Next, Request, Response, Server } from 'restify';
import { type SystemName } from '../../core';
import { jsonBody } from '../../inbound';
import { recordInto, type Emulator } from '../emulator';
import { RequestLog } from '../request-log';

/** An activity the bot sent, as the connector received it. */
export interface ConnectorActivity {
  id: string;
  conversationId: string;
  /** POST to the conversation, POST as a reply, or PUT (update of `id`). */
  operation: 'send' | 'reply' | 'update';
  replyToId: string | undefined;
  activity: Record<string, unknown>;
}

/** A Teams member the emulator knows (GET …/members/{memberId}, TeamsInfo.getMember). */
export interface SandboxTeamsMember {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
  userPrincipalName: string;
  tenantId: string;
  /** TeamsChannelAccount.userRole (botframework-schema teams/index.d.ts): 'user' or 'guest'; default 'user'. */
  userRole?: string;
}

/** Audience and issuer of sandbox tab tokens; the tab's verifier expects the same. */
export const SANDBOX_TAB_AUDIENCE = 'een-bridge-sandbox-tab';
const sandboxIssuer = (tid: string) => `https://login.sandbox.invalid/${tid}/v2.0`;

import { SANDBOX_TEAMS_TENANT_ID } from '../organisation-ids';
export { SANDBOX_TEAMS_TENANT_ID };

export const SANDBOX_TEAMS_MEMBERS: readonly SandboxTeamsMember[] = [
  {
    id: '29:1sandbox-anna',
    aadObjectId: '6d3f1f5e-0000-4000-8000-00000000a001',
    name: 'Anna de Vries',
    email: 'anna.devries@sandbox.kpneen.nl',
    userPrincipalName: 'anna.devries@sandbox.kpneen.nl',
    tenantId: SANDBOX_TEAMS_TENANT_ID,
  },
  {
    id: '29:1sandbox-pieter',
    aadObjectId: '6d3f1f5e-0000-4000-8000-00000000a003',
    name: 'Pieter Bakker',
    email: 'pieter.bakker@sandbox.kpneen.nl',
    userPrincipalName: 'pieter.bakker@sandbox.kpneen.nl',
    tenantId: SANDBOX_TEAMS_TENANT_ID,
  },
];

/**
 * The Bot Connector REST API (v3) as the bot sees it in sandbox mode: the activity's
 * serviceUrl points here, and replies and card updates are recorded instead of shown in
 * Teams. Shapes from the Bot Connector API reference (learn.microsoft.com, "API reference -
 * Bot Service"): Send to / Reply to / Update activity answer a ResourceResponse `{ id }`;
 * errors are `{ error: { code, message } }`.
 *
 * Like Teams, it refuses to let the bot post into, or read the members of, a group chat or
 * channel it is not a member of: 403 `{"error":{"code":"BotNotInConversationRoster","message":
 * "The bot is not part of the conversation roster."}}` (status code table in Microsoft Learn,
 * Teams "Send and receive messages" / conversation-messages.md, MicrosoftDocs/msteams-docs;
 * the exact body as reported in MicrosoftDocs/bot-docs#1527). A personal chat (`a:…`) always
 * has the bot in it; group chats and channels only after addBotTo(), as after installing the
 * app there. Not emulated: the bearer token the real connector requires, since sandbox mode
 * runs without Bot Framework credentials.
 */
export class TeamsConnectorEmulator implements Emulator {
  readonly name = 'teams';
  readonly serves: readonly SystemName[] = ['teams'];
  readonly log = new RequestLog();
  readonly activities: ConnectorActivity[] = [];
  /** The roster: the sandbox's people, and any a test adds (another tenant's user, a guest). */
  private readonly members: SandboxTeamsMember[] = [...SANDBOX_TEAMS_MEMBERS];
  private keys: Promise<{ privateKey: KeyLike; jwk: JWK }> | undefined;
  private readonly rosters = new Set<string>();
  /** Who is in each group chat or team (member ids), as addBotTo was told. */
  private readonly conversationMembers = new Map<string, string[]>();

  /**
   * Adds the bot to a group chat or team channel, as installing the app there does; `memberIds`
   * are the people in it (GET …/pagedmembers lists them), none when not said.
   */
  addBotTo(conversationId: string, memberIds: readonly string[] = []): void {
    this.rosters.add(baseConversationId(conversationId));
    this.conversationMembers.set(baseConversationId(conversationId), [...memberIds]);
  }

  private botIsIn(conversationId: string): boolean {
    const id = baseConversationId(conversationId);
    return id.startsWith('a:') || this.rosters.has(id);
  }

  /** 403 BotNotInConversationRoster for a conversation the bot is not a member of; true when refused. */
  private refusedOutsideRoster(req: Request, res: Response, next: Next): boolean {
    if (this.botIsIn(String(req.params.conversationId))) return false;
    res.send(403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
    next(false);
    return true;
  }

  addMember(member: SandboxTeamsMember): void {
    this.members.push(member);
  }

  mount(server: Server, base: string): void {
    const record = recordInto(this.log);
    const v3 = `${base}/v3/conversations/:conversationId`;
    const store = (operation: ConnectorActivity['operation']) => (req: Request, res: Response, next: Next) => {
      if (this.refusedOutsideRoster(req, res, next)) return;
      const body = req.body as Record<string, unknown>;
      if (!body || typeof body !== 'object' || typeof body.type !== 'string') {
        res.send(400, { error: { code: 'BadArgument', message: 'Activity must have a type' } });
        return next(false);
      }
      const activityId = req.params.activityId as string | undefined;
      const id = operation === 'update' ? String(activityId) : `1:${randomUUID()}`;
      if (operation === 'update' && !this.activities.some((a) => a.id === id)) {
        res.send(404, { error: { code: 'ActivityNotFoundInConversation', message: 'The activity was not found' } });
        return next(false);
      }
      this.activities.push({ id, conversationId: String(req.params.conversationId), operation, replyToId: operation === 'reply' ? activityId : undefined, activity: body });
      res.send(operation === 'send' ? 201 : 200, { id });
      next();
    };
    server.post(`${v3}/activities`, record, jsonBody(), store('send'));
    server.post(`${v3}/activities/:activityId`, record, jsonBody(), store('reply'));
    server.put(`${v3}/activities/:activityId`, record, jsonBody(), store('update'));
    // Stand-in for Entra ID in sandbox mode: signs Teams-SSO-shaped tokens for the tab.
    server.get(`${base}/tab/jwks`, record, (_req: Request, res: Response, next: Next) => {
      this.signingKeys().then(({ jwk }) => {
        res.send(200, { keys: [jwk] });
        next();
      }, next);
    });
    server.post(`${base}/tab/token`, record, (req: Request, res: Response, next: Next) => {
      const wanted = (req.query as Record<string, unknown> | undefined)?.member;
      const member = this.members.find((m) => m.aadObjectId === wanted || m.id === wanted) ?? SANDBOX_TEAMS_MEMBERS[0]!;
      this.signTabToken(member).then((token) => {
        res.send(200, { token });
        next();
      }, next);
    });
    // "Get paged members" (Bot Connector v3, GET /v3/conversations/{conversationId}/pagedmembers
    // ?pageSize&continuationToken, answering PagedMembersResult { continuationToken, members };
    // botframework-connector conversations.getConversationPagedMembers). Teams pages by at least
    // 50 and at most 500 ("Get paged members", learn.microsoft.com/microsoftteams/platform/bots/
    // how-to/get-teams-context); a personal chat has its one person, whom this emulator does not track.
    server.get(`${v3}/pagedmembers`, record, (req: Request, res: Response, next: Next) => {
      if (this.refusedOutsideRoster(req, res, next)) return;
      const query = (req.query ?? {}) as Record<string, unknown>;
      const pageSize = Math.min(500, Math.max(50, Number(query.pageSize) || 200));
      const offset = typeof query.continuationToken === 'string' ? Number(query.continuationToken) : 0;
      if (!Number.isInteger(offset) || offset < 0) {
        res.send(400, { error: { code: 'BadArgument', message: 'Invalid continuation token' } });
        return next(false);
      }
      const ids = this.conversationMembers.get(baseConversationId(String(req.params.conversationId))) ?? [];
      const people = ids.flatMap((id) => this.members.filter((m) => m.id === id)).map((m) => ({ ...m, userRole: m.userRole ?? 'user' }));
      const page = people.slice(offset, offset + pageSize);
      const more = offset + pageSize < people.length;
      res.send(200, { members: page, ...(more ? { continuationToken: String(offset + pageSize) } : {}) });
      next();
    });
    server.get(`${v3}/members/:memberId`, record, (req: Request, res: Response, next: Next) => {
      if (this.refusedOutsideRoster(req, res, next)) return;
      const member = this.members.find((m) => m.id === req.params.memberId || m.aadObjectId === req.params.memberId);
      if (!member) res.send(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found' } });
      else res.send(200, { ...member, givenName: member.name.split(' ')[0], surname: member.name.split(' ').slice(1).join(' '), userRole: member.userRole ?? 'user' });
      next();
    });
  }

  /** A token like Teams SSO gives a tab (aud, iss, tid, oid, preferred_username, name), valid 1 h. */
  async signTabToken(member: SandboxTeamsMember, overrides: { audience?: string; expiresIn?: string | number } = {}): Promise<string> {
    const { privateKey, jwk } = await this.signingKeys();
    // A guest's token names the issuer of their home account in `idp` (learn.microsoft.com,
    // "Access token claims reference": idp is the issuer unless the account is not in the
    // issuer's tenant, such as guests); an e-mail one-time-passcode guest shows "mail".
    const guest = member.userRole === 'guest' ? { idp: 'mail' } : {};
    const { SignJWT } = await import('jose');
    return new SignJWT({ tid: member.tenantId, oid: member.aadObjectId, preferred_username: member.email, name: member.name, ver: '2.0', ...guest })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid!, typ: 'JWT' })
      .setIssuer(sandboxIssuer(member.tenantId))
      .setAudience(overrides.audience ?? SANDBOX_TAB_AUDIENCE)
      .setSubject(member.aadObjectId)
      .setIssuedAt()
      .setExpirationTime(overrides.expiresIn ?? '1h')
      .sign(privateKey);
  }

  private signingKeys(): Promise<{ privateKey: KeyLike; jwk: JWK }> {
    // jose (about 80 modules) is loaded with the first key, not when the sandbox starts (issue 17).
    this.keys ??= import('jose').then(async ({ exportJWK, generateKeyPair }) => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: `sandbox-${randomUUID().slice(0, 8)}`, alg: 'ES256', use: 'sig' } };
    });
    return this.keys;
  }
}

/** A channel reply thread is `19:…@thread.tacv2;messageid=…`: the roster is the channel's. */
function baseConversationId(id: string): string {
  return id.split(';')[0]!;
}
