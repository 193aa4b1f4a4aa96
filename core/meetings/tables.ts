/**
 * Tables of the meetings capability (Webex accounts, list snapshots) and of the Slack app
 * that fronts it (installations, seen request signatures). Timestamps are ISO-8601 UTC text.
 */
export interface MeetingsTables {
  /** Pending Webex OAuth consents: the state's SHA-256, bound to one user, used once. */
  webex_oauth_states: {
    state_hash: string;
    user_id: string;
    expires_at: string;
    created_at: string;
    /** SHA-256 of the cookie of the browser that opened the link; null until it is opened. */
    browser_hash: string | null;
    /** Where the link was asked for (slack, teams, webex), for the wording of its pages; null before 0410. */
    surface: string | null;
  };
  /** The meetings a user last saw in `/webex list`, so `/webex cancel 2` means that list's 2. */
  meeting_lists: {
    user_id: string;
    meeting_ids: string;
    listed_at: string;
  };
  /** Slack workspaces that installed the app; the bot token itself is in `secrets`. */
  slack_installations: {
    team_id: string;
    enterprise_id: string | null;
    team_name: string | null;
    bot_user_id: string;
    bot_id: string | null;
    installed_at: string;
    updated_at: string;
  };
  /** Pending Slack app installs (OAuth v2): the state's SHA-256, used once. */
  slack_oauth_states: {
    state_hash: string;
    expires_at: string;
    created_at: string;
  };
  /** Signatures of accepted Slack requests within the replay window. */
  slack_seen_requests: {
    signature: string;
    seen_at: string;
  };
}
