import { helpCard } from '../cards';
import type { WebexCommandRouter } from './router';
import type { SpaceDeps } from './space';

/**
 * `help` / `hulp` (and an empty message): what the bot does in a space, with the digest
 * commands and, where calling and meetings are on, the personal commands.
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('help', async ({ language, t }) => {
    const help = `${t('webexbot.help')}\n${t('digest.help')}${deps.moreHelp?.(language) ?? ''}`;
    return { markdown: help, card: helpCard(language, help) };
  });
}
