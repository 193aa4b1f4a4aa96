import type { AuditLog } from '../audit-log';
import { UserError } from '../errors';
import type { MessageKey, MessageParams } from '../i18n/catalogue';
import { DEFAULT_LOCALE, normaliseLocale } from '../i18n';
import type { OrganisationKind, ServedOrganisations } from './organisations';
import type { User, UserDirectory, UserFields } from './users';

/**
 * Where an identity lives. An id means something only inside its home: a Slack user id
 * inside its workspace (team id), an AAD object id inside its Entra tenant. The pair is the
 * identity; an e-mail address never is.
 */
export type IdentityHome =
  | { system: 'slack'; teamId: string; userId: string }
  | { system: 'teams'; tenantId: string; aadObjectId: string }
  /**
   * A Webex person id is unique across Webex (base64 of `ciscospark://us/PEOPLE/<uuid>`,
   * developer.webex.com "REST API Basics": IDs); `orgId` is Person.orgId, whose being served
   * decides whether the person may be linked at all.
   */
  | { system: 'webex'; orgId: string | undefined; personId: string };

/** What an edge learnt about the person from their home system, before een-bridge trusts any of it. */
export interface ClaimedIdentity {
  home: IdentityHome;
  email?: string | undefined;
  /**
   * The home system vouches for the address: Slack's users.info `is_email_confirmed`; for
   * Teams, a member (not a guest) of the tenant whose user principal name it is; for Webex, an
   * address People API lists for a person of the served organisation (see the adapters).
   */
  emailVerified: boolean;
  displayName?: string | undefined;
  locale?: string | undefined;
  timeZone?: string | undefined;
}

/** A refusal to link, said in the language the person's home system gave for them. */
export class IdentityRefused extends UserError {
  constructor(
    key: MessageKey,
    params: MessageParams,
    readonly locale: string,
  ) {
    super(key, params, 403);
    this.name = 'IdentityRefused';
  }
}

const SYSTEM_NAME = { slack: 'Slack', teams: 'Microsoft Teams', webex: 'Webex' } as const;
const HOME_KIND: Record<IdentityHome['system'], OrganisationKind> = { slack: 'slack-team', teams: 'teams-tenant', webex: 'webex-org' };

/**
 * The one identity-linking use case (issue 13, "account takeover by matching e-mail"):
 * - a known identity is found by its home and id only;
 * - a new identity is linked to a person een-bridge already knows (imported with a licence
 *   or a KPN EEN line, or known from the other surface) by e-mail only when its workspace or
 *   tenant is served, the address is in a served mail domain, and its home system vouches
 *   for the address; otherwise the person is refused, in their language, and nothing changes;
 * - a person already linked to an identity of that system is never re-linked to another;
 * - a new person keeps their address only when it is trusted that way, so that the KPN EEN
 *   line lookup by e-mail (LineLinker) only ever sees trusted addresses.
 * Every decision is audited.
 */
export class IdentityLinker {
  constructor(
    private readonly users: UserDirectory,
    private readonly organisations: Pick<ServedOrganisations, 'allows' | 'allowsEmail'>,
    private readonly audit: AuditLog,
  ) {}

  /** The user behind an identity, when it is known already. */
  async known(home: IdentityHome): Promise<User | undefined> {
    if (home.system === 'webex') return this.users.byWebexPersonId(home.personId);
    return home.system === 'slack' ? this.users.bySlackUser(home.teamId, home.userId) : this.users.byTeamsUser(home.tenantId, home.aadObjectId);
  }

  async link(claim: ClaimedIdentity): Promise<User> {
    // Anyone with a Webex account can write to the bot, and a Webex person id is not bound to an
    // organisation een-bridge chose: a Webex person acts as a user only while their organisation
    // is served, on every turn, known or not (docs/security.md, "Identities").
    if (claim.home.system === 'webex' && !(await this.organisations.allows('webex-org', claim.home.orgId))) {
      await this.audit.record({ actor: `webex:${claim.home.personId}`, action: 'identity.link', outcome: 'denied', detail: { ...homeDetail(claim.home), reason: 'identity.link.notServed' } });
      throw new IdentityRefused('identity.link.notServed', { system: SYSTEM_NAME.webex }, normaliseLocale(claim.locale) ?? DEFAULT_LOCALE);
    }
    const known = await this.known(claim.home);
    if (known && (known.email !== undefined || !claim.email)) return known;
    const locale = normaliseLocale(claim.locale) ?? DEFAULT_LOCALE;
    const email = claim.email?.trim().toLowerCase() || undefined;
    const homeServed = await this.organisations.allows(HOME_KIND[claim.home.system], homeOrganisation(claim.home));
    const domainServed = email !== undefined && (await this.organisations.allowsEmail(email));
    const trusted = email !== undefined && claim.emailVerified && homeServed && domainServed;
    const detail = { ...homeDetail(claim.home), email, emailVerified: claim.emailVerified, homeServed, domainServed };
    const actor = `${claim.home.system}:${homeDetail(claim.home).id}`;

    // Nobody outside the served organisations becomes a person (docs/security.md, "Served
    // organisations"): a workspace or tenant that is not allowed, with an address in no allowed
    // mail domain, is refused and leaves no row, as a Webex person of another organisation does.
    if (!known && !homeServed && !domainServed) {
      await this.audit.record({ actor, action: 'identity.link', outcome: 'denied', detail: { ...detail, reason: 'identity.notServed' } });
      throw new IdentityRefused('identity.notServed', {}, locale);
    }
    const person = email ? await this.users.byEmail(email) : undefined;
    if (known) {
      // Known, but without an address (not trusted at first contact): it is kept once it is
      // trusted and nobody else has it; a person imported with it meanwhile stays separate.
      if (!trusted || person) return known;
      const updated = (await this.users.update(known.id, { email })) ?? known;
      await this.audit.record({ actor, action: 'identity.email', outcome: 'succeeded', detail: { ...detail, personId: known.id } });
      return updated;
    }
    const fields: UserFields = {
      ...homeFields(claim.home),
      ...(claim.displayName ? { displayName: claim.displayName } : {}),
      ...(normaliseLocale(claim.locale) ? { locale } : {}),
      ...(claim.timeZone ? { timeZone: claim.timeZone } : {}),
    };
    try {
      if (person) {
        const refusal = !homeServed || !domainServed
          ? 'identity.link.notServed'
          : !claim.emailVerified
            ? 'identity.link.unverified'
            : linkedIn(person, claim.home.system)
              ? 'identity.link.alreadyLinked'
              : undefined;
        if (refusal) {
          await this.audit.record({ actor, action: 'identity.link', outcome: 'denied', detail: { ...detail, personId: person.id, reason: refusal } });
          throw new IdentityRefused(refusal, { system: SYSTEM_NAME[claim.home.system] }, locale);
        }
        const linked = (await this.users.update(person.id, { ...fields, ...(person.displayName ? { displayName: person.displayName } : {}) })) ?? person;
        await this.audit.record({ actor, action: 'identity.link', outcome: 'succeeded', detail: { ...detail, personId: person.id } });
        return linked;
      }
      const created = await this.users.create({ ...fields, ...(trusted ? { email } : {}) });
      await this.audit.record({ actor, action: 'identity.create', outcome: 'succeeded', detail: { ...detail, personId: created.id, emailKept: trusted } });
      return created;
    } catch (err) {
      if (err instanceof IdentityRefused) throw err;
      // Two first messages at once: the other one linked the identity already.
      const raced = await this.known(claim.home);
      if (raced) return raced;
      // The object id is held under another tenant (a unique column): that is not this identity.
      if (claim.home.system === 'teams' && (await this.users.byTeamsAadObjectId(claim.home.aadObjectId))) {
        await this.audit.record({ actor, action: 'identity.link', outcome: 'denied', detail: { ...detail, reason: 'identity.link.alreadyLinked' } });
        throw new IdentityRefused('identity.link.alreadyLinked', { system: SYSTEM_NAME[claim.home.system] }, locale);
      }
      throw err;
    }
  }
}

/** The organisation an identity belongs to: Slack team, Entra tenant, Webex org. */
export function homeOrganisation(home: IdentityHome): string | undefined {
  return home.system === 'slack' ? home.teamId : home.system === 'teams' ? home.tenantId : home.orgId;
}

function homeDetail(home: IdentityHome): { organisation: string | undefined; id: string } {
  const id = home.system === 'slack' ? home.userId : home.system === 'teams' ? home.aadObjectId : home.personId;
  return { organisation: homeOrganisation(home), id };
}

function homeFields(home: IdentityHome): UserFields {
  if (home.system === 'webex') return { webexPersonId: home.personId };
  return home.system === 'slack'
    ? { slack: { teamId: home.teamId, userId: home.userId } }
    : { teamsAadObjectId: home.aadObjectId, teamsTenantId: home.tenantId };
}

function linkedIn(user: User, system: IdentityHome['system']): boolean {
  if (system === 'webex') return user.webexPersonId !== undefined;
  return system === 'slack' ? user.slack !== undefined : user.teamsAadObjectId !== undefined;
}
