import type { Kysely } from 'kysely';
import type { Database, SecretStore } from '../core';

export interface SlackInstallation {
  teamId: string;
  enterpriseId: string | undefined;
  teamName: string | undefined;
  botUserId: string;
  botId: string | undefined;
  botToken: string;
}

/** What Bolt's `authorize` needs for a workspace, found without calling Slack. */
export interface SlackAuthorization {
  botToken: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  enterpriseId?: string;
}

const PURPOSE = 'slack-bot-token';
const owner = (teamId: string) => `slack-team:${teamId}`;

/** Workspaces that installed the app (multi-workspace OAuth); bot tokens sealed in the SecretStore. */
export class SlackInstallations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretStore,
  ) {}

  async save(i: SlackInstallation, now = new Date()): Promise<void> {
    const at = now.toISOString();
    const row = { enterprise_id: i.enterpriseId ?? null, team_name: i.teamName ?? null, bot_user_id: i.botUserId, bot_id: i.botId ?? null, updated_at: at };
    await this.db
      .insertInto('slack_installations')
      .values({ team_id: i.teamId, installed_at: at, ...row })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(row))
      .execute();
    await this.secrets.put({ owner: owner(i.teamId), purpose: PURPOSE }, i.botToken);
  }

  async find(teamId: string): Promise<SlackAuthorization | undefined> {
    const row = await this.db.selectFrom('slack_installations').selectAll().where('team_id', '=', teamId).executeTakeFirst();
    if (!row) return undefined;
    const token = await this.secrets.get({ owner: owner(teamId), purpose: PURPOSE });
    if (!token) return undefined;
    return {
      botToken: token.value,
      botUserId: row.bot_user_id,
      ...(row.bot_id ? { botId: row.bot_id } : {}),
      teamId: row.team_id,
      ...(row.enterprise_id ? { enterpriseId: row.enterprise_id } : {}),
    };
  }

  async remove(teamId: string): Promise<void> {
    await this.db.deleteFrom('slack_installations').where('team_id', '=', teamId).execute();
    await this.secrets.delete({ owner: owner(teamId), purpose: PURPOSE });
  }
}

/**
 * Bolt's `authorize`: the workspace's stored installation, else the single SLACK_BOT_TOKEN.
 * Bolt calls `auth.test` before the first listener when it has neither this nor the bot
 * ids; offline, that would hold the ack past Slack's 3 seconds.
 */
export function installationAuthorize(installations: SlackInstallations, singleToken: SlackAuthorization | undefined) {
  return async function authorize(source: { teamId?: string | undefined; enterpriseId?: string | undefined }): Promise<SlackAuthorization> {
    const stored = source.teamId ? await installations.find(source.teamId) : undefined;
    if (stored) return stored;
    if (singleToken) return { ...singleToken, ...(source.teamId ? { teamId: source.teamId } : {}) };
    throw new Error(`workspace ${source.teamId ?? '(none)'} has not installed the app`);
  };
}
