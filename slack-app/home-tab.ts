import { policyFor, type Meeting, type User } from '../core';
import { escapeMrkdwn, say, when } from './messages';

export interface HomeState {
  connected: boolean;
  /** Consent URL when not connected. */
  connectUrl: string | undefined;
  /** Upcoming meetings; undefined when Webex could not be asked. */
  meetings: Meeting[] | undefined;
}

const yesNo = (locale: string, v: boolean) => say(locale, v ? 'slack.home.yes' : 'slack.home.no');

/** The App Home tab (api.slack.com/surfaces/app-home): connection, licence, upcoming meetings. */
export function homeView(actor: User, state: HomeState): Record<string, unknown> {
  const locale = actor.locale;
  const p = policyFor(actor.licenceTier);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: say(locale, 'slack.home.title') } },
    state.connected
      ? { type: 'section', text: { type: 'mrkdwn', text: say(locale, 'slack.home.connected') } }
      : {
          type: 'section',
          text: { type: 'mrkdwn', text: say(locale, 'slack.home.notConnected') },
          ...(state.connectUrl
            ? { accessory: { type: 'button', style: 'primary', action_id: 'webex_connect', url: state.connectUrl, text: { type: 'plain_text', text: say(locale, 'slack.button.connect') } } }
            : {}),
        },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: say(locale, 'slack.home.licence', {
          tier: p.tier,
          participants: p.spaceMeetingParticipants,
          length: p.maxLengthMinutes === undefined ? say(locale, 'slack.home.unlimited') : `${p.maxLengthMinutes / 60} h`,
          scheduling: yesNo(locale, p.scheduling),
          recording: yesNo(locale, p.recording),
        }),
      },
    },
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: `*${say(locale, 'slack.home.upcoming')}*` } },
  ];
  if (state.meetings === undefined) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: say(locale, state.connected ? 'slack.home.webexDown' : 'slack.home.connectFirst') }] });
  } else if (state.meetings.length === 0) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: say(locale, 'slack.list.empty') }] });
  } else {
    state.meetings.forEach((m, i) =>
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: say(locale, 'slack.list.item', { number: i + 1, when: when(locale, m.start, actor.timeZone), title: escapeMrkdwn(m.title) }) },
        accessory: { type: 'button', action_id: `webex_join_home_${i + 1}`, url: m.webLink, text: { type: 'plain_text', text: say(locale, 'slack.button.join') } },
      }),
    );
  }
  return { type: 'home', blocks };
}
