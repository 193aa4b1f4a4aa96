import type { Command } from './command';

export const writersCommand: Command = {
  name: 'writers',
  summary: 'Who may create Trello cards from which Webex space.',
  actions: ['list', 'allow', 'revoke'],
  usage: `een-bridge writers list [--space <roomId>] [--json]
       een-bridge writers allow <roomId> <e-mail address | *>
       een-bridge writers revoke <roomId> <e-mail address | *>

Nobody may write from a Webex space (\`trello card <list> <title>\` creates a card as the
service's Trello account) until an administrator allows it here, for one person or for
everyone (*) a space serves. Every change is written to the audit log.`,
  options: { space: { type: 'string' }, json: { type: 'boolean' } },
  run: async (ctx) => (await import('./impl/writers')).run(ctx),
};
