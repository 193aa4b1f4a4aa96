/**
 * The external systems een-bridge talks to, each with its own group of settings.
 * A system with all `required` settings is "real"; with none it is served by its sandbox
 * emulator when the whole process is in sandbox mode, and "off" otherwise (one real system,
 * an https EEN_PUBLIC_URL or EEN_SANDBOX=off: see `loadConfig`); a half-filled group is a
 * configuration error.
 */
export const systems = {
  xsi: {
    label: 'KPN EEN (BroadWorks Xsi-Actions)',
    required: ['XSI_BASE_URL', 'XSI_USERNAME', 'XSI_PASSWORD'],
    // A BroadWorks user whose view of the enterprise directory is searched to link people
    // by e-mail; Xsi directories hang under /user/<userid>. Default: XSI_USERNAME.
    optional: ['XSI_DIRECTORY_USER'],
  },
  teams: {
    label: 'Microsoft Teams (Bot Framework)',
    required: ['MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD'],
    optional: ['MICROSOFT_APP_TENANT_ID', 'MICROSOFT_APP_TYPE', 'TEAMS_TAB_AUDIENCE'],
  },
  slack: {
    label: 'Slack',
    // One workspace: SLACK_BOT_TOKEN. Several: SLACK_CLIENT_ID + SLACK_CLIENT_SECRET (OAuth
    // install at /slack/install). The composition root requires one of the two.
    required: ['SLACK_SIGNING_SECRET'],
    optional: ['SLACK_BOT_TOKEN', 'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET'],
  },
  webexMeetings: {
    label: 'Webex Meetings (integration)',
    required: ['WEBEX_CLIENT_ID', 'WEBEX_CLIENT_SECRET'],
    optional: ['WEBEX_API_URL'],
  },
  webexBot: {
    label: 'Webex bot',
    required: ['WEBEX_BOT_TOKEN', 'WEBEX_WEBHOOK_SECRET'],
    optional: ['WEBEX_API_URL'],
  },
  jira: {
    label: 'Jira Cloud',
    required: ['JIRA_WEBHOOK_SECRET'],
    optional: [],
  },
  jiraApi: {
    // Replies from Webex become Jira comments and transitions (REST v3, Basic auth with an API
    // token: https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/).
    // Optional: without it, Jira notifications still arrive; replies to them are refused politely.
    label: 'Jira Cloud REST (replies and transitions)',
    required: ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN'],
    optional: [],
  },
  trello: {
    label: 'Trello',
    required: ['TRELLO_API_KEY', 'TRELLO_TOKEN', 'TRELLO_API_SECRET'],
    optional: ['TRELLO_API_URL'],
  },
  graph: {
    label: 'Microsoft Graph (OneDrive)',
    required: ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'],
    optional: ['GRAPH_API_URL', 'GRAPH_DRIVE_ID'],
  },
  console: {
    // The web console's sign-in: an Entra ID app registration (web platform, redirect URI
    // <EEN_PUBLIC_URL>/console/callback) and the group id or app role that makes an administrator.
    label: 'Console sign-in (Microsoft Entra ID)',
    required: ['CONSOLE_TENANT_ID', 'CONSOLE_CLIENT_ID', 'CONSOLE_CLIENT_SECRET', 'CONSOLE_ADMIN_GROUP'],
    optional: [],
  },
} as const satisfies Record<string, { label: string; required: readonly string[]; optional: readonly string[] }>;

export type SystemName = keyof typeof systems;
export type SystemMode = 'real' | 'sandbox' | 'off';
export const systemNames = Object.keys(systems) as SystemName[];

export interface SystemConfig {
  mode: SystemMode;
  /** The group's variables that are set, by name. Empty unless the mode is "real". */
  settings: Readonly<Record<string, string>>;
}
