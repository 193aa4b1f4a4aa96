import type { Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';
import type { SecretBinding, TokenVault } from './token-vault';

export interface StoredSecret {
  value: string;
  expiresAt: Date | undefined;
}

/** Tokens and credentials at rest: only sealed values touch the store. */
export class SecretStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly vault: TokenVault,
    private readonly clock: Clock = systemClock,
  ) {}

  async put(binding: SecretBinding, value: string, expiresAt?: Date): Promise<void> {
    const now = isoNow(this.clock);
    const sealed = this.vault.seal(value, binding);
    const expires_at = expiresAt?.toISOString() ?? null;
    await this.db
      .insertInto('secrets')
      .values({ ...binding, sealed, expires_at, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['owner', 'purpose']).doUpdateSet({ sealed, expires_at, updated_at: now }))
      .execute();
  }

  async get(binding: SecretBinding): Promise<StoredSecret | undefined> {
    const row = await this.db
      .selectFrom('secrets')
      .select(['sealed', 'expires_at'])
      .where('owner', '=', binding.owner)
      .where('purpose', '=', binding.purpose)
      .executeTakeFirst();
    if (!row) return undefined;
    return { value: this.vault.open(row.sealed, binding), expiresAt: row.expires_at ? new Date(row.expires_at) : undefined };
  }

  async delete(binding: SecretBinding): Promise<boolean> {
    const result = await this.db
      .deleteFrom('secrets')
      .where('owner', '=', binding.owner)
      .where('purpose', '=', binding.purpose)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
