import { connectHint, translate, type ConnectSurface } from '../../core';

/**
 * Issue 14: the meetings messages told every person "/webex connect", which only Slack knows. The
 * `{connect}` and `{platform}` of those messages are filled by the surface the person is on.
 */
describe('how to connect Webex, per surface', () => {
  const keys = ['meetings.notConnected', 'meetings.reconnect', 'meetings.oauth.badState', 'meetings.oauth.refused', 'meetings.oauth.otherBrowser', 'meetings.oauth.wrongAccount'] as const;

  it.each(['en-GB', 'nl-NL'])('fills every placeholder for each surface (%s)', (locale) => {
    for (const surface of ['slack', 'teams', 'webex', undefined] as (ConnectSurface | undefined)[]) {
      for (const key of [...keys, 'meetings.oauth.noEmail'] as const) expect(translate(locale, key, connectHint(locale, surface))).not.toMatch(/\{\w+\}/);
    }
  });

  it.each([
    ['en-GB', 'slack', 'type /webex connect in Slack', 'Slack user'],
    ['en-GB', 'teams', 'send connect to the een-bridge bot in Teams', 'Teams user'],
    ['en-GB', 'webex', 'send connect to the een-bridge bot in your 1:1 space with it in Webex', 'Webex user'],
    ['nl-NL', 'slack', 'typ /webex connect in Slack', 'Slack-gebruiker'],
    ['nl-NL', 'teams', 'stuur koppel naar de een-bridge-bot in Teams', 'Teams-gebruiker'],
    ['nl-NL', 'webex', 'stuur koppel naar de een-bridge-bot in je 1-op-1-ruimte ermee in Webex', 'Webex-gebruiker'],
  ] as const)('tells a %s %s user their own way', (locale, surface, how, user) => {
    const hint = connectHint(locale, surface);
    for (const key of keys) expect(translate(locale, key, hint)).toContain(how);
    expect(translate(locale, 'meetings.oauth.wrongAccount', hint)).toContain(user);
    // Only Slack has the /webex command.
    if (surface !== 'slack') for (const key of keys) expect(translate(locale, key, hint)).not.toContain('/webex');
  });

  it('names every way for a link made before surfaces were stored', () => {
    const text = translate('en-GB', 'meetings.oauth.badState', connectHint('en-GB', undefined));
    expect(text).toContain('/webex connect in Slack');
    expect(text).toContain('Teams or Webex');
  });
});
