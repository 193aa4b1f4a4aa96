import type { Command } from './command';
import { outboxCommand } from './outbox';
import { serveCommand } from './serve';
import { subscriptionsCommand } from './subscriptions';

/** Every `een-bridge` command; each capability adds its own file and one line here. */
export const commands: Command[] = [serveCommand, outboxCommand, subscriptionsCommand];
