import { AuditLog, ServedOrganisations, SpaceWriters, SubscriptionRepository, UserDirectory, loadConfig, openStore, type Environment, type LicenceTier, type Store, type Subscription } from '../core/internal';

/**
 * The administrator's part of the stories, done on the service's own store with the core's
 * repositories: what `een-bridge users set-licence` and `een-bridge subscriptions add` (or the
 * Webex bot's `subscribe jira KEY`) would store, without a CLI process per step. For a service the demo
 * did not start, the store is the one EEN_DATA_DIR / DATABASE_URL of this shell name.
 */
async function withStore<T>(env: Environment, work: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const store = openStore(config.database);
  try {
    return await work(store);
  } catch (err) {
    const where = config.database.kind === 'sqlite' ? config.database.file : 'DATABASE_URL';
    throw new Error(`the service's store (${where}) refused: ${(err as Error).message}; with --url, set EEN_DATA_DIR or DATABASE_URL to the running service's store`);
  } finally {
    await store.close();
  }
}

/** Gives the person with this e-mail address a licence tier, creating them when unknown. */
export function grantLicence(env: Environment, email: string, licenceTier: LicenceTier): Promise<void> {
  return withStore(env, async (store) => {
    const users = new UserDirectory(store.db);
    const known = await users.byEmail(email);
    if (known) await users.update(known.id, { licenceTier });
    else await users.create({ email, licenceTier });
  });
}

/**
 * Lets een-bridge link addresses of a mail domain to the people it knows, as
 * `een-bridge orgs allow email-domain <domain>` does (issue 13: never for an unlisted domain).
 */
export function allowMailDomain(env: Environment, domain: string): Promise<void> {
  return withStore(env, async (store) => {
    await new ServedOrganisations(store.db, new AuditLog(store.db)).allow('email-domain', domain, 'een-bridge demo');
  });
}

/** Subscribes a Webex space to a Jira project. */
export function subscribeSpace(env: Environment, spaceId: string, projectKey: string): Promise<Subscription> {
  return withStore(env, (store) => new SubscriptionRepository(store.db).subscribe({ spaceId, source: 'jira', sourceKey: projectKey, locale: 'en-GB', createdBy: 'een-bridge demo' }));
}

/** Lets everyone served in a space write back to its sources, as `een-bridge writers allow <space> *` does. */
export function allowWritingFrom(env: Environment, spaceId: string): Promise<void> {
  return withStore(env, async (store) => {
    await new SpaceWriters(store.db, new AuditLog(store.db)).grant(spaceId, '*', 'een-bridge demo');
  });
}
