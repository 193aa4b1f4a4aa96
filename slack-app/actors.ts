import type { webApi } from '@slack/bolt';
import { normaliseLocale, type Actor, type Identity, type User } from '../core';

/** What users.info tells about a Slack user (the fields een-bridge reads). */
export interface SlackProfile {
  email?: string;
  locale?: string;
  timeZone?: string;
  name?: string;
  /** The user's own workspace: another one for a Slack Connect member from elsewhere. */
  teamId?: string;
  emailConfirmed: boolean;
  /** A user een-bridge's workspace does not share a channel with (Slack Connect). */
  stranger: boolean;
}

/**
 * The een-bridge user behind a Slack user, who is (team id, user id). On first contact their
 * e-mail, locale and time zone come from users.info (after the ack), and the Identity façade
 * decides whether the person with that e-mail (imported with their licence tier) may be linked;
 * two first requests at once make one user.
 */
export class SlackActors {
  constructor(private readonly identity: Identity) {}

  async resolve(client: webApi.WebClient, teamId: string, slackUserId: string): Promise<User> {
    return (await this.actor(client, teamId, slackUserId)).user;
  }

  /**
   * The Actor of a Slack request, built once at the edge. Language by the one rule: the user's
   * Slack locale (users.info with include_locale, stored at first contact), then what they typed.
   */
  async actor(client: webApi.WebClient, teamId: string, slackUserId: string, typed?: string): Promise<{ user: User; actor: Actor }> {
    const home = { system: 'slack', teamId, userId: slackUserId } as const;
    const user = await this.identity.resolve(home, () => this.claim(client, teamId, slackUserId));
    if (!user) throw new Error('the Identity façade resolved a Slack identity to nobody');
    return { user, actor: this.identity.actor(user, home, { platformLocale: user.locale, typed: typed === undefined ? undefined : { text: typed } }) };
  }

  private async claim(client: webApi.WebClient, teamId: string, slackUserId: string) {
    const profile = await this.profile(client, slackUserId);
    return {
      email: profile.email,
      // Slack vouches for the address only when it is confirmed (users.info `is_email_confirmed`)
      // and the user belongs to the workspace the request came from: a Slack Connect member of
      // another organisation has its own `team_id` (docs.slack.dev, users.info, "External members";
      // @slack/web-api src/types/response/UsersInfoResponse.ts: team_id, is_email_confirmed, is_stranger).
      emailVerified: profile.emailConfirmed && !profile.stranger && (profile.teamId === undefined || profile.teamId === teamId),
      displayName: profile.name,
      locale: profile.locale,
      timeZone: profile.timeZone,
    };
  }

  /** Email, locale and zone of any Slack user (also for invitees). */
  async profile(client: webApi.WebClient, slackUserId: string): Promise<SlackProfile> {
    const info = await client.users.info({ user: slackUserId, include_locale: true });
    const u = info.user;
    const locale = normaliseLocale(u?.locale);
    return {
      ...(u?.profile?.email ? { email: u.profile.email } : {}),
      ...(locale ? { locale } : {}),
      ...(u?.tz ? { timeZone: u.tz } : {}),
      ...(u?.real_name || u?.name ? { name: (u.real_name || u.name)! } : {}),
      ...(u?.team_id ? { teamId: u.team_id } : {}),
      emailConfirmed: u?.is_email_confirmed === true,
      stranger: u?.is_stranger === true,
    };
  }
}
