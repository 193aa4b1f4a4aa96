import type { Actor, Identity, Language } from '../core';

/** Who wrote to the bot or pressed its button, as the framework's trigger gives it (Webex People API). */
export interface WebexSender {
  roomId: string;
  personId: string;
  personEmail: string;
  personOrgId: string | undefined;
}

/**
 * The Actor of a Webex message, built once at the edge. The person is linked to their core user
 * only when their organisation (or mail domain) is served (Identity façade); their address is
 * Webex's, the one the account signs in with, which Webex verified when the account was made
 * (developer.webex.com People API: `emails`). Webex has no per-person locale and een-bridge
 * stores no space language yet, so the language rule goes on to what they typed: the language
 * of the command word the parser recognised (webex-bot/command-parser.ts).
 */
export async function webexActor(identity: Identity, sender: WebexSender, typed: Language): Promise<Actor> {
  const home = { system: 'webex', orgId: sender.personOrgId, personId: sender.personId } as const;
  const user = await identity.resolve(home, async () => ({ email: sender.personEmail || undefined, emailVerified: sender.personEmail !== '' }));
  return identity.actor(user, home, { typed: { language: typed } }, sender.personEmail);
}
