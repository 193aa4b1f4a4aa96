import { escapeMarkdown } from '../../core';
import type { WebexCommandRouter } from './router';
import { text } from './space';

/** A first word no listener knows: say so, and point at `help`. */
export function register(router: WebexCommandRouter): void {
  router.space('unknown', async ({ t }, command) => text(t('webexbot.unknown', { command: escapeMarkdown(command.word.slice(0, 40)) })));
}
