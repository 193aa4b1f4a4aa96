import type { Command } from './command';
import { doctorCommand } from './doctor';
import { manifestsCommand } from './manifests';
import { orgsCommand } from './orgs';
import { outboxCommand } from './outbox';
import { policyCommand } from './policy';
import { serveCommand } from './serve';
import { sourcesCommand } from './sources';
import { subscriptionsCommand } from './subscriptions';
import { usersCommand } from './users';
import { webexCommand } from './webex';
import { writersCommand } from './writers';

/** Every `een-bridge` command; each capability adds its own file and one line here. */
export const commands: Command[] = [
  serveCommand,
  usersCommand,
  policyCommand,
  orgsCommand,
  subscriptionsCommand,
  sourcesCommand,
  writersCommand,
  outboxCommand,
  manifestsCommand,
  webexCommand,
  doctorCommand,
];
