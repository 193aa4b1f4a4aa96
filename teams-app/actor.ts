import type { Actor, ClaimOf, Identity, User } from '../core';

/** What a Teams request says about its sender: the activity (bot) or the SSO token (tab). */
export interface TeamsSender {
  tenantId: string;
  aadObjectId: string;
  /** The activity's `locale` (Bot Framework Activity schema: "the locale of the sender"); the tab has none. */
  locale?: string | undefined;
  /** What they typed, for the language rule when Teams gives no locale. */
  text?: string | undefined;
}

/**
 * The Actor of a Teams request, built once at the edge: the core user behind tenant + AAD object
 * id (Identity façade; `claimOf` asks the roster only when needed), and the language by the one
 * rule (the activity's locale; without it the locale learnt at first contact, then what they typed).
 */
export async function teamsActor(identity: Identity, sender: TeamsSender, claimOf: ClaimOf, askAgain?: (known: User) => boolean): Promise<{ user: User; actor: Actor }> {
  const home = { system: 'teams', tenantId: sender.tenantId, aadObjectId: sender.aadObjectId } as const;
  const user = await identity.resolve(home, claimOf, askAgain ? { askAgain } : {});
  // Only a Webex person outside the served organisations resolves to nobody.
  if (!user) throw new Error('the Identity façade resolved a Teams identity to nobody');
  const actor = identity.actor(user, home, { platformLocale: sender.locale ?? user.locale, typed: sender.text === undefined ? undefined : { text: sender.text } });
  return { user, actor };
}
