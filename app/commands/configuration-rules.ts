import type { Config } from '../../core/config';
import { resolveSecretKey } from '../../core/secret-key';

/**
 * The rules on settings that startService applies beyond loadConfig, as one function that
 * `serve` runs before starting and `doctor` runs as its configuration check, so doctor never
 * says "configuration ok" where serve exits 2 (issue 16). Throws ConfigError.
 * - the token vault's key: EEN_SECRET_KEY valid, and required with EEN_SANDBOX=off (core/secret-key.ts);
 * - real Slack for meetings: a bot token or a complete OAuth install (app/slack-settings.ts realSlack,
 *   applied by app/service.ts when Slack and Webex Meetings are both on).
 */
export async function checkConfiguration(config: Config): Promise<void> {
  resolveSecretKey(config);
  const { slack, webexMeetings } = config.systems;
  if (slack.mode === 'real' && webexMeetings.mode !== 'off') {
    // Loaded only for this case: app/slack-settings also holds the sandbox's Slack app.
    const { realSlack } = await import('../slack-settings');
    realSlack(slack.settings, config.publicUrl ?? '');
  }
}
