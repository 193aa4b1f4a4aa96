import type { Command } from './command';

export const subscriptionsCommand: Command = {
  name: 'subscriptions',
  summary: 'List, add or remove what Webex spaces are notified about, set how each is written (format, skip-own, important), how long a space gathers a burst into one digest, and whether it carries restricted items.',
  actions: ['list', 'add', 'remove', 'set', 'digest', 'restricted'],
  usage: `een-bridge subscriptions list [--space <roomId>] [--json]
       een-bridge subscriptions add <roomId> <jira|trello|graph> <project key | board id | folder key> [--filter <expression> | --jql <JQL> | --filter <json>] [--subscriber <e-mail>] [--locale nl-NL|en-GB]
       een-bridge subscriptions remove <roomId> <id>
       een-bridge subscriptions digest <roomId> [<seconds> | default] [--json]
       een-bridge subscriptions digest <roomId> daily HH:MM | weekly <day> HH:MM | off | timezone <zone> [--json]
       een-bridge subscriptions set <roomId> <id> [--format compact|full] [--skip-own on|off] [--important status,created,deleted] [--filter <expression>|off] [--jql <JQL>] [--subscriber <e-mail>]
       een-bridge subscriptions restricted <id> allow|deny

The same subscriptions a space makes with the bot (\`subscribe jira KAN\`), for operators and
demos. --filter takes the filter language the bot's \`filter\` takes, in English or Dutch words
(docs/notifications.md, "Filters"): e.g. 'label=klant and status->Done', 'created or list->Done',
'name=*.docx', 'toegewezen=ik en niet prioriteit=Low'; --jql a JQL subset evaluated on each change
('project = KAN AND labels in (klant, urgent) AND status changed to Done'); what it cannot read or
express is refused, naming the part and its position. assignee=me (currentUser()) means the person
given with --subscriber. --filter off (set) removes the filter. The older JSON filter is still taken
when --filter starts with {: '{"kinds":["issue.created"],"minPriority":"High"}' or '{"lists":["Doing"]}'.
list shows the filter in its canonical form.
add refuses a filter key or term it does not know and a space the bot is not in; adding what a space
already follows replaces its filter (and its locale, with --locale), and says what changed. Spaces are shown by
title when the bot can look them up. A Trello board added here also needs its board webhook; the bot registers it, this command does not.
digest sets how long a change to the space waits for others, so a burst goes out as one message
(0 to 300 seconds; 0 sends each change at once; default: WEBEX_DIGEST_SECONDS, 3), and prints
the change; without seconds it shows the space's window and its schedule.
digest daily|weekly|off schedules a digest, as the bot's \`digest daily 09:00\`: the space's changes
are collected and sent as one message grouped by item at that time in the space's time zone
(Europe/Amsterdam unless \`digest <roomId> timezone Europe/London\` says otherwise; the Dutch words
dagelijks, wekelijks maandag, uit work too). off sends what was collected at once and stops.
list shows each space's schedule, next due time and how many changes are collected.
list shows each subscription's health: working, or why it broke (source gone, webhook removed,
renewal failing, undelivered, silent), its last change received and delivered, and whether it
carries restricted items; --json prints all of it, upstream state and Graph expiry included.
set changes how one subscription's changes are written, as the bot's \`format\`, \`skip-own\` and
\`important\` do: compact is one line per change with the item link, full the whole card (the
default); skip-own on leaves out changes made by people in the space (by e-mail, where Jira or
OneDrive gives it); important lists what also gets a line at the top of the space when the details
go into the item's thread (created, deleted, comment, status, assignee, priority, summary, due,
closed, member; default status,created,deleted).
restricted lets a subscription carry restricted items into its space (Jira issues with a
security level, comments visible to a role or group, cards on private Trello boards), or stops
it; by default the space only hears how many were not shown. Audited.`,
  options: {
    space: { type: 'string' },
    filter: { type: 'string' },
    jql: { type: 'string' },
    subscriber: { type: 'string' },
    locale: { type: 'string' },
    json: { type: 'boolean' },
    format: { type: 'string' },
    'skip-own': { type: 'string' },
    important: { type: 'string' },
  },
  run: async (ctx) => (await import('./impl/subscriptions')).run(ctx),
};
