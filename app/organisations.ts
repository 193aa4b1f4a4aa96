import os from 'node:os';
import type { AuditLog } from '../core/audit-log';
import type { Config } from '../core/config';
import { ServedOrganisations, type OrganisationKind } from '../core/identity/organisations';
import type { Store } from '../core/store/store';
// Not from the emulators: those load restify and the Bot Framework, and the CLI needs only the ids.
import { SANDBOX_SLACK_TEAM_ID, SANDBOX_TEAMS_TENANT_ID, SANDBOX_WEBEX_ORG_ID } from '../sandbox/organisation-ids';

/** The mail domain of the sandbox's people (sandbox/broadworks-xsi/directory-seed.ts). */
const SANDBOX_EMAIL_DOMAIN = 'sandbox.kpneen.nl';

/**
 * The organisations a deployment serves without an administrator listing them: the one
 * tenant of a single-tenant Teams bot (MICROSOFT_APP_TENANT_ID), and in sandbox mode the
 * emulators' own organisations. Everything else is allowed with `een-bridge orgs allow`.
 */
export function configuredOrganisations(config: Config): Partial<Record<OrganisationKind, string[]>> {
  const out: Partial<Record<OrganisationKind, string[]>> = {};
  const add = (kind: OrganisationKind, value: string) => (out[kind] ??= []).push(value);
  const { teams, slack, webexBot, webexMeetings, xsi } = config.systems;
  if (teams.mode === 'real' && teams.settings.MICROSOFT_APP_TENANT_ID) add('teams-tenant', teams.settings.MICROSOFT_APP_TENANT_ID);
  if (teams.mode === 'sandbox') add('teams-tenant', SANDBOX_TEAMS_TENANT_ID);
  if (slack.mode === 'sandbox') add('slack-team', SANDBOX_SLACK_TEAM_ID);
  if (webexBot.mode === 'sandbox' || webexMeetings.mode === 'sandbox') add('webex-org', SANDBOX_WEBEX_ORG_ID);
  if (xsi.mode === 'sandbox' || slack.mode === 'sandbox' || teams.mode === 'sandbox') add('email-domain', SANDBOX_EMAIL_DOMAIN);
  return out;
}

export function servedOrganisations(store: Store, audit: AuditLog, config: Config): ServedOrganisations {
  return new ServedOrganisations(store.db, audit, configuredOrganisations(config));
}

/** Who an administrator's CLI change is recorded as. */
export function cliActor(): string {
  let name = 'unknown';
  try {
    name = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit still says it came from the CLI.
  }
  return `cli:${name}`;
}
