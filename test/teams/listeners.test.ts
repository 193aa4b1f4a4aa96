import type { Calling, CallWatcher, Identity } from '../../core/internal';
import { parseCommand } from '../../teams-app/commands';
import { TeamsActionRouter, teamsBotListeners, type TeamsTurn } from '../../teams-app/listeners';
import { teamsText } from '../../teams-app/markdown';
import type { IncomingTurn, OutgoingMessage, TurnIo } from '../../teams-app/turn';
import { memoryLogger } from '../helpers/service';

/** The Teams bot's commands as listener files (issue 14): every kind the parser gives has exactly one. */
describe('the Teams bot listeners', () => {
  const deps = { calling: {} as Calling, identity: {} as Identity, watcher: {} as CallWatcher, log: memoryLogger().log };

  function turnOf(text: string): { turn: TeamsTurn; sent: OutgoingMessage[] } {
    const sent: OutgoingMessage[] = [];
    const io = { send: async (m: OutgoingMessage) => void sent.push(m) } as unknown as TurnIo;
    const incoming = { type: 'message', text, value: undefined, locale: 'nl-NL' } as IncomingTurn;
    const never = () => Promise.reject(new Error('not asked for help'));
    return { turn: { turn: incoming, io, locale: 'nl-NL', user: never, actor: never, who: never }, sent };
  }

  it('has a listener for every command kind the parser gives, the card-button invoke and the install event', () => {
    const router = teamsBotListeners(deps);
    expect(router.unclaimed(['call', 'hangup', 'recent', 'meet', 'plan', 'meetings', 'cancelMeeting', 'connectWebex', 'help', 'unknown'])).toEqual([]);
    expect(router.forInvokeName('composeExtension/onCardButtonClicked')).toBeDefined();
    expect(router.forInvokeName('composeExtension/query')).toBeUndefined();
    expect(router.forInvokeName(undefined)).toBeUndefined();
    expect(router.forEvent('installed')).toBeDefined();
  });

  it('hands a parsed command to its own listener', async () => {
    const router = teamsBotListeners(deps);
    const help = turnOf('hulp');
    await router.run(help.turn, parseCommand('hulp', undefined));
    expect(help.sent).toHaveLength(1);
    expect(help.sent[0]).toEqual({ text: teamsText('nl-NL', 'teams.help') });
    const unknown = turnOf('dans');
    await router.run(unknown.turn, parseCommand('dans', undefined));
    expect(unknown.sent).toEqual([{ text: teamsText('nl-NL', 'teams.unknownCommand', { text: 'dans' }) }]);
  });

  it('refuses two listeners for one kind, invoke or event, and says which kinds have none', () => {
    const router = new TeamsActionRouter();
    router.command('help', async () => undefined);
    expect(() => router.command('help', async () => undefined)).toThrow(/two Teams listeners claim the bot command "help"/);
    router.invoke('composeExtension/onCardButtonClicked', async () => ({ status: 200 }));
    expect(() => router.invoke('composeExtension/onCardButtonClicked', async () => ({ status: 200 }))).toThrow(/invoke/);
    router.on('installed', async () => undefined);
    expect(() => router.on('installed', async () => undefined)).toThrow(/event "installed"/);
    expect(router.unclaimed(['help', 'call', 'meet'])).toEqual(['call', 'meet']);
    expect(() => router.run(turnOf('bel 1').turn, { kind: 'call', target: '1' })).toThrow(/no Teams listener for the bot command "call"/);
  });
});
