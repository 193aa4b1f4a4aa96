import type { Command } from './command';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check configuration, store, migrations and the credentials of every real system.',
  usage: `een-bridge doctor [--json] [--timeout-ms 5000]

Checks the configuration, the secret key, that the store is reachable and migrated, and,
for every external system with real settings, that its credentials work (one cheap
authenticated call each). Prints a table (or JSON with --json). Exit code 0 when nothing
is failing, 1 otherwise, 2 when the configuration itself is wrong.`,
  options: { json: { type: 'boolean' }, 'timeout-ms': { type: 'string' } },
  run: async (ctx) => (await import('./impl/doctor')).run(ctx),
};
