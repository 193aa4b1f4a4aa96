import { WebexCommandRouter, type ListenerTurn } from '../../webex-bot/listeners';
import { personalActionOf } from '../../webex-bot/personal-cards';

describe('the Webex bot listeners router (webex-bot/listeners/)', () => {
  const router = new WebexCommandRouter();
  const heard: string[] = [];
  router.command({ call: 'en', bel: 'nl' }, (turn) => Promise.resolve(void heard.push(`call:${turn.text}`)));
  router.command({ hangup: 'en', ophangen: 'nl' }, () => Promise.resolve(void heard.push('hangup')));
  router.command({ recent: 'en', recente: 'nl' }, () => Promise.resolve(void heard.push('recent')));

  it('finds a command by its first word in either language, case-insensitively, with the rest of the text', () => {
    expect(router.match('Bel  Anna de Vries ')).toMatchObject({ language: 'nl', rest: 'Anna de Vries' });
    expect(router.match('CALL 06 1234 5678')).toMatchObject({ language: 'en', rest: '06 1234 5678' });
    expect(router.match('recente gesprekken')).toMatchObject({ language: 'nl', rest: 'gesprekken' });
  });

  it('reads "hang up" as one command, and leaves anything else to the space commands', () => {
    expect(router.match('hang up')).toMatchObject({ language: 'en', rest: '' });
    expect(router.match('hangover')).toBeUndefined();
    expect(router.match('subscribe jira KAN')).toBeUndefined();
    expect(router.match('')).toBeUndefined();
  });

  it('refuses two listeners that claim the same word', () => {
    expect(() => router.command({ bel: 'nl' }, () => Promise.resolve())).toThrow(/two Webex listeners claim "bel"/);
  });

  it('lists every word for the framework\'s hears', () => {
    expect(router.words()).toEqual(['call', 'bel', 'hangup', 'ophangen', 'recent', 'recente']);
  });

  it('runs the listener of a pressed button only for its own action', async () => {
    const pressed: string[] = [];
    router.action('call', (_turn, action) => Promise.resolve(void pressed.push(action.target)));
    const turn = { text: '' } as ListenerTurn;
    await router.press(turn, { action: 'call', target: '1001', lang: 'en' });
    expect(pressed).toEqual(['1001']);
    expect(router.press(turn, { action: 'hangup', callId: 'c1', target: '', lang: 'en' })).toBe(false);
  });
});

describe('card buttons of the calling cards (personalActionOf)', () => {
  it('reads our own Call and Hang up buttons', () => {
    expect(personalActionOf({ action: 'call', target: '+31612345678', lang: 'nl' })).toEqual({ action: 'call', target: '+31612345678', lang: 'nl' });
    expect(personalActionOf({ action: 'hangup', callId: 'callhalf-1:0', target: 'Anna', lang: 'en' })).toEqual({ action: 'hangup', callId: 'callhalf-1:0', target: 'Anna', lang: 'en' });
  });

  it.each([
    null, 'call', [], {}, { action: 'call' }, { action: 'call', target: '' }, { action: 'call', target: 'x'.repeat(65) }, { action: 'call', target: 42 },
    { action: 'hangup' }, { action: 'hangup', callId: 'x'.repeat(129) }, JSON.parse('{"__proto__":{"action":"call","target":"1001"}}'), { action: 'unsubscribe', subscriptionId: 1 },
  ])('ignores %j', (inputs) => {
    expect(personalActionOf(inputs)).toBeUndefined();
  });
});
