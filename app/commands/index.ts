import type { Command } from './command';
import { outboxCommand } from './outbox';
import { serveCommand } from './serve';

/** Every `een-bridge` command; each capability adds its own file and one line here. */
export const commands: Command[] = [serveCommand, outboxCommand];
