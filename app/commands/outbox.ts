import type { Command } from './command';

export const outboxCommand: Command = {
  name: 'outbox',
  summary: 'Show notification deliveries; retry or purge dead letters.',
  actions: ['list', 'retry', 'purge-dead'],
  usage: `een-bridge outbox list [--status pending|sending|delivered|dead] [--limit N] [--json]
       een-bridge outbox retry <id>... | --all
       een-bridge outbox purge-dead <id>... | --all

list        the newest deliveries (default: dead letters first, then the rest), with their last error;
            spaces by title when the Webex bot is configured (--json: the counts and full rows)
retry       puts dead letters back in the queue with a fresh attempt count; a running service sends them
purge-dead  deletes dead letters for good (their events stay, so a late Jira retry is still recognised)

Works on the store of the configuration (EEN_DATA_DIR or DATABASE_URL), also while the service runs.`,
  options: {
    status: { type: 'string' },
    limit: { type: 'string' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  run: async (ctx) => (await import('./impl/outbox')).run(ctx),
};
