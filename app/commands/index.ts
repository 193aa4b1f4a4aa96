import type { Command } from './command';
import { doctorCommand } from './doctor';
import { manifestsCommand } from './manifests';
import { outboxCommand } from './outbox';
import { policyCommand } from './policy';
import { serveCommand } from './serve';
import { usersCommand } from './users';

/** Every `een-bridge` command; each capability adds its own file and one line here. */
export const commands: Command[] = [serveCommand, usersCommand, policyCommand, outboxCommand, manifestsCommand, doctorCommand];
