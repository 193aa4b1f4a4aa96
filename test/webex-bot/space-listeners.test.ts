import { translate, type Actor, type Subscriptions } from '../../core/internal';
import { parseCommand } from '../../webex-bot';
import type { Replies } from '../../core/internal';
import { WebexCommandRouter, webexEventListeners, webexSpaceListeners, type EventDeps, type SpaceDeps, type SpaceTurn } from '../../webex-bot/listeners';
import { tFor } from '../../webex-bot/listeners/space';
import { memoryLogger } from '../helpers/service';

/** The space commands as listener files (issue 14): every name the parser gives has exactly one. */
describe('the Webex space-command listeners', () => {
  const deps = { subscriptions: {} as Subscriptions, identity: {}, webex: {}, trello: undefined, log: memoryLogger().log } as unknown as SpaceDeps;
  const turnIn = (language: 'en' | 'nl'): SpaceTurn => ({
    who: { roomId: 'room-1', personId: 'p-1', personEmail: 'anouk@example.nl', personOrgId: undefined },
    actor: {} as Actor,
    language,
    t: tFor(language),
  });

  it('has a listener for every command name the parser gives', () => {
    const names = ['subscribe', 'invalid', 'subscriptions', 'unsubscribe', 'configure', 'filter', 'trelloCard', 'trelloCardUsage', 'digest', 'timeZone', 'help', 'unknown'] as const;
    expect(webexSpaceListeners(deps).unclaimed(names)).toEqual([]);
  });

  it('hands a parsed command to its own listener, in the language it was typed in', async () => {
    const router = webexSpaceListeners(deps);
    const help = parseCommand('hulp');
    expect((await router.answer(turnIn(help.language), help.command)).markdown).toContain(translate('nl', 'webexbot.help'));
    const unknown = parseCommand('dance *now*');
    expect((await router.answer(turnIn(unknown.language), unknown.command)).markdown).toBe(translate('en', 'webexbot.unknown', { command: 'dance' }));
    const usage = parseCommand('trello kaart');
    expect((await router.answer(turnIn(usage.language), usage.command)).markdown).toBe(translate('nl', 'webexbot.cardUsage'));
  });

  it('refuses two listeners for one name or one button, and says which names have none', () => {
    const router = new WebexCommandRouter();
    router.space('help', async () => ({ markdown: 'help' }));
    expect(() => router.space('help', async () => ({ markdown: 'again' }))).toThrow(/two Webex listeners claim the space command "help"/);
    router.spaceAction('subscriptions', async () => ({ markdown: 'list' }));
    expect(() => router.spaceAction('subscriptions', async () => ({ markdown: 'again' }))).toThrow(/card action "subscriptions"/);
    expect(router.unclaimed(['help', 'filter', 'digest'])).toEqual(['filter', 'digest']);
  });

  it('throws for a command or button without a listener (the dispatcher answers that with a reference)', async () => {
    const router = new WebexCommandRouter();
    expect(() => router.answer(turnIn('en'), { name: 'help' })).toThrow(/no Webex listener for the space command "help"/);
    expect(() => router.answerPress(turnIn('en'), { action: 'unsubscribe', subscriptionId: 1, lang: 'en' })).toThrow(/card action "unsubscribe"/);
  });

  it('keeps the space commands out of the personal words the framework hears', () => {
    expect(webexSpaceListeners(deps).words()).toEqual([]);
  });
});

describe('the Webex event listeners', () => {
  const deps = { subscriptions: {}, identity: {}, webex: {}, log: memoryLogger().log } as unknown as Omit<EventDeps, 'replies'>;

  it('listen to being added and removed always, and to thread replies and Jira buttons only where replies reach their sources', () => {
    const without = webexEventListeners({ ...deps, replies: undefined });
    expect([without.event('added'), without.event('removed')].every(Boolean)).toBe(true);
    expect(without.event('threadReply')).toBeUndefined();
    expect(without.event('jiraStatus')).toBeUndefined();
    const withReplies = webexEventListeners({ ...deps, replies: {} as Replies });
    expect(withReplies.event('threadReply')).toBeDefined();
    expect(withReplies.event('jiraStatus')).toBeDefined();
  });

  it('says a thread message that is no reply to a notification is a command', async () => {
    const replies = { reply: async () => undefined } as unknown as Replies;
    const said: unknown[] = [];
    const answered = await webexEventListeners({ ...deps, replies }).event('threadReply')!(
      { roomId: 'room-1', say: async (reply) => void said.push(reply) },
      { personId: 'p-1', email: 'anouk@example.nl', orgId: undefined, spaceId: 'room-1', displayName: 'Anouk' },
      'parent-1',
      'subscriptions',
    );
    expect(answered).toBe(false);
    expect(said).toEqual([]);
  });

  it('refuses two listeners for one event', () => {
    const router = new WebexCommandRouter();
    router.on('removed', async () => undefined);
    expect(() => router.on('removed', async () => undefined)).toThrow(/two Webex listeners claim the event "removed"/);
  });
});
