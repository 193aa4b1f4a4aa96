import type { webApi } from '@slack/bolt';
import { type User, type UserDirectory } from '../core';

/**
 * The een-bridge user behind a Slack user. On first contact their email, locale and time
 * zone come from users.info (after the ack); a person already known by email (imported
 * with their licence tier) is linked rather than duplicated.
 */
export class SlackActors {
  constructor(private readonly users: UserDirectory) {}

  async resolve(client: webApi.WebClient, teamId: string, slackUserId: string): Promise<User> {
    const known = await this.users.bySlackUser(teamId, slackUserId);
    if (known) return known;
    const profile = await this.profile(client, slackUserId);
    const fields = {
      slack: { teamId, userId: slackUserId },
      ...(profile.locale ? { locale: profile.locale } : {}),
      ...(profile.timeZone ? { timeZone: profile.timeZone } : {}),
      ...(profile.name ? { displayName: profile.name } : {}),
    };
    const byEmail = profile.email ? await this.users.byEmail(profile.email) : undefined;
    try {
      if (byEmail) return (await this.users.update(byEmail.id, fields))!;
      return await this.users.create({ ...fields, ...(profile.email ? { email: profile.email } : {}) });
    } catch (err) {
      // Two first commands at once: the other one linked the user already.
      const raced = await this.users.bySlackUser(teamId, slackUserId);
      if (raced) return raced;
      throw err;
    }
  }

  /** Email, locale and zone of any Slack user (also for invitees). */
  async profile(client: webApi.WebClient, slackUserId: string): Promise<{ email?: string; locale?: string; timeZone?: string; name?: string }> {
    const info = await client.users.info({ user: slackUserId, include_locale: true });
    const u = info.user;
    return {
      ...(u?.profile?.email ? { email: u.profile.email } : {}),
      ...(u?.locale ? { locale: u.locale } : {}),
      ...(u?.tz ? { timeZone: u.tz } : {}),
      ...(u?.real_name || u?.name ? { name: (u.real_name || u.name)! } : {}),
    };
  }
}
