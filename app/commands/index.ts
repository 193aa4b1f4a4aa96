import type { Command } from './command';
import { manifestsCommand } from './manifests';
import { dialPolicyCommand } from './dial-policy';
import { serveCommand } from './serve';
import { usersCommand } from './users';

/** Every `een-bridge` command; each capability adds its own file and one line here. */
export const commands: Command[] = [serveCommand, usersCommand, manifestsCommand, dialPolicyCommand];
