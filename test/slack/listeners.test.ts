import type { RespondFn, webApi } from '@slack/bolt';
import type { Actor, Calling, MeetingService, User, WebexAccounts } from '../../core/internal';
import type { SlackActors } from '../../slack-app/actors';
import { parseWebexCommand } from '../../slack-app/command-text';
import { SlackRouter, slackListeners, type SlackCommandTurn } from '../../slack-app/listeners';
import { helpMessage, plain } from '../../slack-app/messages';
import { SCHEDULE_CALLBACK_ID } from '../../slack-app/schedule-modal';
import { memoryLogger } from '../helpers/service';

/** The /webex subcommands, buttons, modal and App Home as listener files (issue 14): every kind the parser gives has exactly one. */
describe('the Slack app listeners', () => {
  const deps = { meetings: {} as MeetingService, accounts: {} as WebexAccounts, actors: {} as SlackActors, calling: {} as Calling, log: memoryLogger().log };
  const KINDS = ['start', 'schedule', 'list', 'cancel', 'connect', 'disconnect', 'room', 'call', 'recent', 'hangup', 'help'] as const;

  function turnOf(locale: string): { turn: SlackCommandTurn; answers: unknown[] } {
    const answers: unknown[] = [];
    const respond = (async (message: unknown) => void answers.push(message)) as unknown as RespondFn;
    const who = { user: { id: 'u1' } as User, actor: { locale, timeZone: 'Europe/Amsterdam' } as Actor };
    return { turn: { who, client: {} as webApi.WebClient, respond, triggerId: 't1', channelId: 'C1' }, answers };
  }

  it('has a listener for every kind the parser gives, the buttons, the schedule modal and App Home', () => {
    const router = slackListeners(deps);
    expect(router.unclaimed(KINDS)).toEqual([]);
    // Every line the parser can read reaches a listener.
    for (const line of ['', '<@U123ABC> standup', 'plan morgen 10:00', 'lijst', 'annuleer 2', 'koppel', 'ontkoppel', 'ruimte', 'bel 0612345678', 'recent', 'ophangen', 'hulp', 'dans']) {
      expect(router.unclaimed([parseWebexCommand(line).kind])).toEqual([]);
    }
    expect(router.actions().map((a) => String(a.id))).toEqual([String(/^webex_call_\d+$/), 'webex_hangup', String(/^webex_(join|connect)/)]);
    expect(router.modals().map(([id]) => id)).toEqual([SCHEDULE_CALLBACK_ID]);
    expect(router.homeOpened()).toBeDefined();
  });

  it('hands a parsed command to its own listener', async () => {
    const router = slackListeners(deps);
    const help = turnOf('nl-NL');
    await router.run(help.turn, parseWebexCommand('dans'));
    expect(help.answers).toEqual([helpMessage('nl-NL', 'dans')]);
    const call = turnOf('nl-NL');
    await router.run(call.turn, parseWebexCommand('bel'));
    expect(call.answers).toEqual([plain('nl-NL', 'slack.call.usage')]);
  });

  it('refuses two listeners for one kind, button, modal or App Home, and says which kinds have none', async () => {
    const router = new SlackRouter();
    router.command('help', async () => undefined);
    expect(() => router.command('help', async () => undefined)).toThrow(/two Slack listeners claim the command "help"/);
    router.action('webex_hangup', async () => undefined);
    expect(() => router.action('webex_hangup', async () => undefined)).toThrow(/two Slack listeners claim the action webex_hangup/);
    router.action(/^webex_call_\d+$/, async () => undefined);
    expect(() => router.action(/^webex_call_\d+$/, async () => undefined)).toThrow(/action/);
    router.view(SCHEDULE_CALLBACK_ID, async () => undefined);
    expect(() => router.view(SCHEDULE_CALLBACK_ID, async () => undefined)).toThrow(/modal/);
    router.onHomeOpened(async () => undefined);
    expect(() => router.onHomeOpened(async () => undefined)).toThrow(/app_home_opened/);
    expect(router.unclaimed(['help', 'call', 'start'])).toEqual(['call', 'start']);
    expect(() => router.run(turnOf('en').turn, { kind: 'call', target: '1' })).toThrow(/no Slack listener for the command "call"/);
  });
});
