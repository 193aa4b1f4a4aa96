import type { SlackAuthorization, WorkspaceInstallations } from '../core';

// The installations and their sealed bot tokens are kept by the core (WorkspaceInstallations).
export type { SlackAuthorization, SlackInstallation } from '../core';

/**
 * Bolt's `authorize`: the workspace's stored installation, else the single SLACK_BOT_TOKEN.
 * Bolt calls `auth.test` before the first listener when it has neither this nor the bot
 * ids; offline, that would hold the ack past Slack's 3 seconds.
 */
export function installationAuthorize(installations: Pick<WorkspaceInstallations, 'find'>, singleToken: SlackAuthorization | undefined) {
  return async function authorize(source: { teamId?: string | undefined; enterpriseId?: string | undefined }): Promise<SlackAuthorization> {
    const stored = source.teamId ? await installations.find(source.teamId) : undefined;
    if (stored) return stored;
    if (singleToken) return { ...singleToken, ...(source.teamId ? { teamId: source.teamId } : {}) };
    throw new Error(`workspace ${source.teamId ?? '(none)'} has not installed the app`);
  };
}
