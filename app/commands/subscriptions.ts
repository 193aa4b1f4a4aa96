import type { Command } from './command';

export const subscriptionsCommand: Command = {
  name: 'subscriptions',
  summary: 'List, add or remove what Webex spaces are notified about; set how long a space gathers a burst into one digest.',
  actions: ['list', 'add', 'remove', 'digest'],
  usage: `een-bridge subscriptions list [--space <roomId>] [--json]
       een-bridge subscriptions add <roomId> <jira|trello> <project key | board id> [--filter <json>] [--locale nl-NL|en-GB]
       een-bridge subscriptions remove <roomId> <id>
       een-bridge subscriptions digest <roomId> [<seconds> | default]

The same subscriptions a space makes with the bot (\`subscribe jira KAN\`), for operators and
demos. --filter takes e.g. '{"kinds":["issue.created"],"minPriority":"High"}' or '{"lists":["Doing"]}'.
add refuses a filter key it does not know and a space the bot is not in; adding what a space
already follows replaces its filter (and its locale, with --locale), and says what changed. Spaces are shown by
title when the bot can look them up. A Trello board added here also needs its board webhook; the bot registers it, this command does not.
digest sets how long a change to the space waits for others, so a burst goes out as one message
(0 to 300 seconds; 0 sends each change at once; default: WEBEX_DIGEST_SECONDS, 3), and prints
the change; without seconds it shows the space's window.`,
  options: { space: { type: 'string' }, filter: { type: 'string' }, locale: { type: 'string' }, json: { type: 'boolean' } },
  run: async (ctx) => (await import('./impl/subscriptions')).run(ctx),
};
