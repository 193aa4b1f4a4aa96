import type { Actor, ClaimedIdentity, ClaimOf, Identity, User } from '../core';
import type { IncomingTurn, RosterMember } from './turn';

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

/**
 * What the roster says about the sender, and whether Teams vouches for the address: only for
 * a member of the activity's own tenant who is not a guest (a guest's userRole is 'guest';
 * their home is another tenant), and only their user principal name, whose domain Entra
 * accepts only once the tenant proved it owns it ("You cannot use an associated domain with
 * your Microsoft Entra tenant until ownership is verified", learn.microsoft.com/graph/api/
 * domain-post-domains). The roster's `email` is the mail attribute, which a tenant may set to
 * any address, so it is never trusted for linking.
 */
export function teamsClaim(turn: IncomingTurn, member: RosterMember | undefined): Omit<ClaimedIdentity, 'home'> {
  const ownTenant = member?.tenantId === undefined || member.tenantId.toLowerCase() === turn.tenantId.toLowerCase();
  const upn = member?.userPrincipalName?.includes('@') ? member.userPrincipalName : undefined;
  return {
    email: upn ?? member?.email,
    emailVerified: upn !== undefined && ownTenant && member?.userRole !== 'guest',
    displayName: turn.from.name,
    locale: turn.locale,
  };
}
