import type { Request, Response } from 'restify';
import { Identity, translate, type Calling, type Subscriptions, type User, type WebexMessages } from '../../core/internal';
import { sendConsoleFailure } from '../../console/failure';
import { TeamsCallingBot } from '../../teams-app/handler';
import type { CallWatcher } from '../../core/internal';
import type { IncomingTurn, OutgoingMessage, TurnIo } from '../../teams-app/turn';
import { SpaceCommands } from '../../webex-bot';
import { memoryLogger } from '../helpers/service';

/**
 * One failure presenter (issue 14): on every surface, an error nobody expected (a port or façade
 * throwing a plain Error) is answered, in the person's language, with a reference that is the
 * one logged beside the error, never with silence or the error's own text.
 */
const bug = () => new Error('disk on fire at /var/lib/een');

/** The reference the presenter logged for `where`, and that log line. */
function loggedRef(lines: () => Record<string, unknown>[], where: string): string {
  const line = lines().find((l) => l.where === where && l.msg === 'unexpected failure');
  expect(line).toBeDefined();
  expect(String((line!.err as { message?: string }).message)).toContain('disk on fire');
  return String(line!.ref);
}

/** The real Identity façade's Actor rule over a person already known (no store needed). */
function identityOf(user: User | undefined): Identity {
  const identity = new Identity({} as ConstructorParameters<typeof Identity>[0]);
  return Object.assign(identity, { known: async () => user, resolve: async () => user });
}

describe('an unexpected error on each surface', () => {
  it('Teams: the person gets an error card in their language with the logged reference', async () => {
    const { log, lines } = memoryLogger();
    const anna: User = { id: 'u-anna', email: 'anna@example.nl', broadworksUserId: 'anna@kpneen' } as User;
    const bot = new TeamsCallingBot({
      calling: { recentCalls: () => Promise.reject(bug()) } as unknown as Calling,
      identity: identityOf(anna),
      watcher: {} as CallWatcher,
      log,
    });
    const sent: OutgoingMessage[] = [];
    const io = { send: async (m: OutgoingMessage) => void sent.push(m), update: async () => undefined, member: async () => undefined, later: () => undefined } as unknown as TurnIo;
    const turn: IncomingTurn = {
      type: 'message', name: undefined, text: 'recent', value: undefined, locale: 'nl-NL', replyToId: undefined,
      from: { id: '29:anna', aadObjectId: 'aad-anna', name: 'Anna' }, tenantId: 'tenant-1', conversationId: 'c-1', conversationType: 'personal', botId: 'bot', membersAdded: [],
    };
    await bot.onTurn(turn, io);
    const ref = loggedRef(lines, 'teams');
    expect(sent).toHaveLength(1);
    const card = JSON.stringify(sent[0]!.card);
    expect(card).toContain(JSON.stringify(translate('nl', 'http.internal', { ref })).slice(1, -1));
    expect(card).not.toContain('disk on fire');
  });

  it('Webex bot: a command in a space gets an answer in the language it was typed in, with the logged reference', async () => {
    const { log, lines } = memoryLogger();
    const commands = new SpaceCommands({
      subscriptions: { serves: async () => true, list: () => Promise.reject(bug()) } as unknown as Subscriptions,
      identity: identityOf(undefined),
      webex: {} as WebexMessages,
      trello: undefined,
      log,
    });
    const reply = await commands.handle({ roomId: 'room-1', personId: 'p-1', personEmail: 'anouk@example.nl', personOrgId: undefined, text: 'abonnementen' });
    const ref = loggedRef(lines, 'webex-bot');
    expect(reply.markdown).toBe(translate('nl', 'webexbot.failed', { reason: translate('nl', 'http.internal', { ref }) }));
  });

  it('Webex bot: a button press is answered too (it was silence before)', async () => {
    const { log, lines } = memoryLogger();
    const commands = new SpaceCommands({
      subscriptions: { serves: () => Promise.reject(bug()), list: async () => [] } as unknown as Subscriptions,
      identity: identityOf(undefined),
      webex: {} as WebexMessages,
      trello: undefined,
      log,
    });
    const reply = await commands.handleAction({ action: 'subscriptions', lang: 'en' } as Parameters<SpaceCommands['handleAction']>[0], { roomId: 'room-1', personId: 'p-1', personEmail: 'anouk@example.nl', personOrgId: undefined });
    const ref = loggedRef(lines, 'webex-bot');
    expect(reply.markdown).toBe(translate('en', 'webexbot.failed', { reason: translate('en', 'http.internal', { ref }) }));
  });

  it('console API: a 500 in the page’s language with the logged reference, also as `ref`', () => {
    const { log, lines } = memoryLogger();
    const sent: { status: number; body: unknown }[] = [];
    const res = { send: (status: number, body: unknown) => void sent.push({ status, body }), setHeader: () => undefined } as unknown as Response;
    sendConsoleFailure({ headers: { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.5' } } as unknown as Request, res, bug(), log);
    const ref = loggedRef(lines, 'console');
    expect(sent).toEqual([{ status: 500, body: { error: { code: 'http.internal', message: translate('nl', 'http.internal', { ref }), ref } } }]);
  });
});
