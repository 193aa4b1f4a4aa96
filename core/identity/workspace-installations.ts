import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { SecretStore } from './secrets';

/** A Slack workspace that installed the app (oauth.v2.access's answer, https://api.slack.com/methods/oauth.v2.access). */
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

/**
 * What the Slack install flow and Bolt's `authorize` ask of the store (the port; the table and
 * the secret store behind it stay in the core): installations with their bot tokens sealed, and
 * the install states already used, so a state is taken once.
 */
export interface WorkspaceInstallations {
  save(installation: SlackInstallation, now?: Date): Promise<void>;
  find(teamId: string): Promise<SlackAuthorization | undefined>;
  remove(teamId: string): Promise<void>;
  /** Whether an install already used this state. */
  stateUsed(state: string): Promise<boolean>;
  /** Refuses this state from now until `ttlMs` from now, when it expires anyway. */
  useState(state: string, ttlMs: number, now?: Date): Promise<void>;
}

const PURPOSE = 'slack-bot-token';
const owner = (teamId: string) => `slack-team:${teamId}`;
/** Only a hash of a state is kept: the row must not be a state one could use. */
const hash = (state: string) => createHash('sha256').update(state).digest('hex');

/** Workspaces that installed the app (multi-workspace OAuth); bot tokens sealed in the SecretStore. */
export class SlackInstallations implements WorkspaceInstallations {
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

  async stateUsed(state: string): Promise<boolean> {
    return (await this.db.selectFrom('slack_oauth_states').select('state_hash').where('state_hash', '=', hash(state)).executeTakeFirst()) !== undefined;
  }

  async useState(state: string, ttlMs: number, now = new Date()): Promise<void> {
    // One row per installation Slack granted (not per visit); expired ones are cleared on the way.
    await this.db.deleteFrom('slack_oauth_states').where('expires_at', '<', now.toISOString()).execute();
    await this.db
      .insertInto('slack_oauth_states')
      .values({ state_hash: hash(state), expires_at: new Date(now.getTime() + ttlMs).toISOString(), created_at: now.toISOString() })
      .onConflict((oc) => oc.column('state_hash').doNothing())
      .execute();
  }
}
