// Every botbuilder touchpoint of een-bridge lives in this file (the Bot Framework SDK is
// archived upstream; a move to the Microsoft 365 Agents SDK should only replace this file).
import {
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationReference,
  type Request as BotRequest,
  type Response as BotResponse,
} from 'botbuilder';
import type { Next, Request, RequestHandler, Response } from 'restify';
import { normaliseLocale, own, type Logger } from '../core';
import { sendError } from '../inbound';
import type { ConversationMember, IncomingTurn, OutgoingMessage, TurnHandler, TurnIo } from './turn';

export interface BotSettings {
  /** Unset in sandbox mode: Bot Framework authentication is then off. */
  appId: string | undefined;
  appPassword: string | undefined;
  tenantId: string | undefined;
  appType: string | undefined;
}

/**
 * The handler of POST /api/messages (after its JSON body is read): a CloudAdapter. teams-app/mount.ts
 * imports this file, and so botbuilder, at the route's first request (inbound/lazy-route.ts).
 */
export function botFrameworkRoute(settings: BotSettings, handler: TurnHandler, log: Logger): RequestHandler {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: settings.appId ?? '',
    MicrosoftAppPassword: settings.appPassword ?? '',
    MicrosoftAppTenantId: settings.tenantId ?? '',
    MicrosoftAppType: settings.appType ?? (settings.tenantId ? 'SingleTenant' : 'MultiTenant'),
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, err) => {
    log.error({ err, activityType: context.activity.type }, 'Teams turn failed');
  };
  const sandbox = !settings.appId;
  const botAppId = settings.appId ?? '';

  return function botFrameworkTurn(req: Request, res: Response, next: Next): void {
    // With authentication off (sandbox), replies go wherever serviceUrl says: only to
    // this machine, so an unsigned activity cannot make een-bridge post elsewhere.
    if (sandbox && !isLoopbackUrl((req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl)) {
      sendError(res, 400, 'teams.sandboxServiceUrl');
      return next(false);
    }
    // The SDK writes its answer into `buffered`; we then answer in our own error shape, and
    // a token that could not be verified at all (signing keys unreachable) is a 401 too:
    // nothing unauthenticated may reach the bot logic.
    const buffered = new BufferedResponse();
    let entered = false;
    /** The status of the invoke response the handler gave, if any. */
    let answered: number | undefined;
    adapter
      .process(req as unknown as BotRequest, buffered as unknown as BotResponse, async (context) => {
        entered = true;
        const result = await handler.onTurn(incomingOf(context.activity), ioFor(context, adapter, botAppId));
        if (result && context.activity.type === 'invoke') {
          answered = result.status;
          await context.sendActivity({ type: 'invokeResponse', value: { status: result.status, body: result.body } });
        }
      })
      .then(
        () => {
          const status = buffered.statusCode;
          if (entered && answered !== undefined && status === answered) {
            // Our own invoke response goes to Teams as is: status 501 ("not supported") for an invoke
            // een-bridge does not handle is what botbuilder's ActivityHandler/TeamsActivityHandler
            // answer (botbuilder-js libraries/botbuilder-core/src/activityHandler.ts
            // onInvokeActivity, libraries/botbuilder/src/teamsActivityHandler.ts), not a failure.
            if (buffered.body !== undefined && typeof buffered.body === 'object') res.send(status, buffered.body);
            else res.send(status);
          } else if (status === 401 || (status >= 500 && !entered)) {
            log.warn({ status, reason: String(buffered.body ?? '').slice(0, 200) }, 'unauthenticated activity refused');
            sendError(res, 401, 'teams.unauthorized');
          } else if (status >= 500) {
            sendError(res, 500, 'http.internal', { ref: 'teams-turn' });
          } else if (buffered.body !== undefined && typeof buffered.body === 'object') {
            res.send(status, buffered.body);
          } else {
            res.send(status);
          }
          next();
        },
        (err: unknown) => {
          // A body that is JSON but not an activity is refused by the SDK's schema check.
          log.warn({ err }, 'activity refused');
          sendError(res, 400, 'http.badJson', { detail: 'not a Bot Framework activity' });
          next(false);
        },
      );
  };
}

/** Collects what CloudAdapter.process answers (its Response interface: status, header, send, end). */
class BufferedResponse {
  statusCode = 200;
  body: unknown = undefined;
  readonly socket = undefined;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  header(_name: string, _value: unknown): this {
    return this;
  }
  send(body?: unknown): this {
    this.body = body;
    return this;
  }
  end(): this {
    return this;
  }
}

function incomingOf(a: Activity): IncomingTurn {
  const channelData = (a.channelData ?? {}) as { tenant?: { id?: string } };
  return {
    type: a.type,
    name: a.name,
    text: typeof own(a, 'text') === 'string' ? a.text : '',
    value: a.value,
    // Teams sends the client's locale; anything that is not a locale tag is dropped here
    // (it is stored and shown later, e.g. in `een-bridge users list`).
    locale: normaliseLocale(a.locale),
    replyToId: a.replyToId,
    from: { id: a.from?.id ?? '', aadObjectId: a.from?.aadObjectId, name: a.from?.name },
    tenantId: a.conversation?.tenantId ?? channelData.tenant?.id ?? 'default',
    conversationId: a.conversation?.id ?? '',
    conversationType: a.conversation?.conversationType,
    botId: a.recipient?.id ?? '',
    membersAdded: (a.membersAdded ?? []).map((m) => m.id),
  };
}

function toActivity(message: OutgoingMessage): Partial<Activity> {
  if (message.card) return MessageFactory.attachment(CardFactory.adaptiveCard(message.card));
  return MessageFactory.text(message.text ?? '');
}

function ioFor(context: TurnContext, adapter: CloudAdapter, botAppId: string): TurnIo {
  const reference: Partial<ConversationReference> = TurnContext.getConversationReference(context.activity);
  return {
    async send(message) {
      return (await context.sendActivity(toActivity(message)))?.id;
    },
    async update(activityId, message) {
      await context.updateActivity({ ...toActivity(message), id: activityId });
    },
    async member() {
      try {
        const m = await TeamsInfo.getMember(context, context.activity.from.id);
        return { email: m.email ?? undefined, userPrincipalName: m.userPrincipalName ?? undefined, tenantId: m.tenantId ?? undefined, userRole: m.userRole ?? undefined };
      } catch {
        // Not in Teams (Bot Framework Emulator) or no roster access: link by import instead.
        return undefined;
      }
    },
    async members(max) {
      const found: ConversationMember[] = [];
      let continuationToken: string | undefined;
      try {
        // Pages of at most 500 (Teams' largest; "Get paged members", learn.microsoft.com
        // microsoftteams/platform/bots/how-to/get-teams-context), until `max` or the last page.
        do {
          const page = await TeamsInfo.getPagedMembers(context, Math.min(500, Math.max(50, max)), continuationToken);
          for (const m of page.members ?? []) {
            found.push({ aadObjectId: m.aadObjectId ?? undefined, name: m.name ?? undefined, email: m.email ?? undefined, userPrincipalName: m.userPrincipalName ?? undefined, tenantId: m.tenantId ?? undefined, userRole: m.userRole ?? undefined });
          }
          continuationToken = page.continuationToken ?? undefined;
        } while (continuationToken && found.length < max);
        return found.slice(0, max);
      } catch {
        // The bot is not in this chat (a message extension works where the bot was never added:
        // 403 BotNotInConversationRoster), or there is no roster (Bot Framework Emulator).
        return undefined;
      }
    },
    later() {
      return (activityId, message) =>
        adapter.continueConversationAsync(botAppId, reference, async (ctx) => {
          await ctx.updateActivity({ ...toActivity(message), id: activityId });
        });
    },
  };
}

function isLoopbackUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const host = new URL(value).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}
