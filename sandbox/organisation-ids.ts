/**
 * The sandbox's own organisations, in a module with no imports: app/organisations.ts needs
 * them for every CLI command that reads the served organisations, and importing them from
 * the emulators loaded restify, the Bot Framework and 1,500 modules with them (issue 16).
 * The emulators re-export them from here, so there is one value each.
 */
export const SANDBOX_TEAMS_TENANT_ID = '72f988bf-0000-4000-8000-00000000e1e1';
export const SANDBOX_SLACK_TEAM_ID = 'T0SANDBOX';
export const SANDBOX_WEBEX_ORG_ID = Buffer.from('ciscospark://us/ORGANIZATION/sandbox-org').toString('base64url');
