import type { Actor } from '../actor';
import { DEFAULT_TIME_ZONE } from '../meetings/schedule-parser';
import type { AuditLog } from '../audit-log';
import { chooseLanguage, type LanguageEvidence } from '../i18n/language-rule';
import { KeyedSerial } from '../keyed-serial';
import { IdentityLinker, IdentityRefused, homeOrganisation, type ClaimedIdentity, type IdentityHome } from './linking';
import type { ServedOrganisations } from './organisations';
import type { User, UserDirectory } from './users';

export interface IdentityDeps {
  users: UserDirectory;
  organisations: Pick<ServedOrganisations, 'allows' | 'allowsEmail'>;
  audit: AuditLog;
}

/** What the platform says about a person on first contact (asked only then: it costs an API call). */
export type ClaimOf = () => Promise<Omit<ClaimedIdentity, 'home'>>;

export interface ResolveOptions {
  /**
   * A known user the platform is asked about again: Teams asks the roster again for a user with
   * neither a KPN EEN line nor an address, as their tenant or mail domain may have been allowed since.
   */
  askAgain?: (known: User) => boolean;
}

/**
 * The Identity use cases (issue 14): one way for every surface to find or link the core user
 * behind a Teams user (tenant + AAD object id), a Slack user (team + user id) or a Webex person
 * (of a served organisation), with the binding rules of IdentityLinker (issue 13: no linking by
 * an unverified address, a link is never moved), and with first contacts that race:
 * - in one process, first contacts of the same person (same home, or same address) run one
 *   after another, so the second finds what the first made;
 * - across replicas, the loser of the race hits a unique column and links again, now finding
 *   the person the winner made (by home, or by the address the winner kept).
 */
export class Identity {
  private readonly linker: IdentityLinker;
  private readonly serial = new KeyedSerial();

  constructor(private readonly deps: IdentityDeps) {
    this.linker = new IdentityLinker(deps.users, deps.organisations, deps.audit);
  }

  /** The user behind an identity, when it is known already (nothing is asked or written). */
  known(home: IdentityHome): Promise<User | undefined> {
    return this.linker.known(home);
  }

  /**
   * The core user behind an identity: the known one, or one linked or made now from what the
   * platform says (`claimOf`, asked only when needed). Undefined only for a Webex person
   * outside the served organisations: anyone on Webex can write to the bot, and een-bridge
   * keeps no record of people it does not serve. Throws IdentityRefused when linking is refused.
   */
  async resolve(home: IdentityHome, claimOf: ClaimOf, options: ResolveOptions = {}): Promise<User | undefined> {
    const known = await this.linker.known(home);
    if (known && !options.askAgain?.(known)) return known;
    const claim: ClaimedIdentity = { ...(await claimOf()), home };
    if (home.system === 'webex' && !known && !(await this.serves(home, claim.email))) return undefined;
    const email = claim.email?.trim().toLowerCase();
    // Same home, and same address across homes: the two keys a first contact can collide on.
    return this.serial.run(homeKey(home), () => (email ? this.serial.run(`email:${email}`, () => this.linkRacing(claim)) : this.linkRacing(claim)));
  }

  /** Whether an administrator allowed this organisation (`een-bridge orgs`): a Slack workspace, Teams tenant or Webex organisation. */
  organisationServed(kind: 'slack-team' | 'teams-tenant' | 'webex-org', value: string): Promise<boolean> {
    return this.deps.organisations.allows(kind, value);
  }

  /** The Actor every façade call takes, from the resolved user and what the edge knows about language. */
  actor(user: User | undefined, home: IdentityHome, evidence: LanguageEvidence, email?: string): Actor {
    const { locale, language } = chooseLanguage(evidence);
    const address = email ?? user?.email;
    return {
      who: { userId: user?.id, platform: home, ...(address ? { email: address } : {}) },
      organisation: homeOrganisation(home),
      locale,
      language,
      timeZone: user?.timeZone ?? DEFAULT_TIME_ZONE,
    };
  }

  private async serves(home: Extract<IdentityHome, { system: 'webex' }>, email: string | undefined): Promise<boolean> {
    return (await this.deps.organisations.allows('webex-org', home.orgId)) || (await this.deps.organisations.allowsEmail(email));
  }

  private async linkRacing(claim: ClaimedIdentity): Promise<User> {
    try {
      return await this.linker.link(claim);
    } catch (err) {
      if (err instanceof IdentityRefused) throw err;
      // Another replica made this person (its address is a unique column) between our read and
      // our write; linking again finds that row and applies the same rules to it.
      return this.linker.link(claim);
    }
  }
}

function homeKey(home: IdentityHome): string {
  if (home.system === 'webex') return `webex:${home.personId}`;
  return home.system === 'slack' ? `slack:${home.teamId}:${home.userId}` : `teams:${home.tenantId.toLowerCase()}:${home.aadObjectId}`;
}
