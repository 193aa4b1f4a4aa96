import type { Command } from './command';

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'Which Jira projects, Trello boards and OneDrive folders Webex spaces may follow; approve or deny their requests.',
  actions: ['list', 'allow', 'revoke', 'requests', 'approve', 'deny'],
  usage: `een-bridge sources list [--json]
       een-bridge sources allow <jira|trello|onedrive> <key> [--org <Webex org id>]
       een-bridge sources revoke <jira|trello|onedrive> <key> [--org <Webex org id>]
       een-bridge sources requests [--all] [--json]
       een-bridge sources approve <request number>
       een-bridge sources deny <request number>

A Webex space may follow only what is on this list (for its requester's organisation, or for
every served organisation when --org is left out). Keys: a Jira project key (KAN); a Trello
board id or the link of the board; a OneDrive drive id (all its folders) or driveId/folderId.
Anything else a space asks for becomes a request; approving it adds it to the list for the
requester's organisation, and the running service then subscribes the space and tells it
(within 15 seconds). Every change and decision is written to the audit log.`,
  options: { org: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
  run: async (ctx) => (await import('./impl/sources')).run(ctx),
};
