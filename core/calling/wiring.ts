import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit-log';
import type { SecretStore } from '../identity/secrets';
import type { UserDirectory } from '../identity/users';
import type { Database } from '../store/schema';
import type { Dialect } from '../store/store';
import { Calling } from './calling';
import { DialGuard, DialPolicyStore } from './dial-policy';
import { LineLinker } from './line-linking';
import type { Telephony } from './telephony';
import { XsiClient, type XsiCredentials } from './xsi-client';

/** Where the enterprise administrator credential lives in the token vault. */
export const XSI_CREDENTIAL = { owner: 'system:xsi', purpose: 'xsi-enterprise-admin' } as const;

export interface CallingWiring {
  db: Kysely<Database>;
  dialect: Dialect;
  users: UserDirectory;
  audit: AuditLog;
  secrets: SecretStore;
  /** XSI_BASE_URL, or the emulator's URL (known only after listen). */
  xsiBaseUrl: () => string;
  /** Written sealed into the vault at start: XSI_USERNAME/XSI_PASSWORD or the sandbox's. */
  credentials: XsiCredentials;
  /** BroadWorks user whose enterprise directory is searched for linking; default the admin. */
  directoryUserId?: string | undefined;
  timeoutMs?: number;
}

export interface CallingService {
  calling: Calling;
  telephony: Telephony;
  policies: DialPolicyStore;
}

/** Builds the calling use cases over the Xsi-Actions client, credentials from the vault. */
export async function createCallingService(w: CallingWiring): Promise<CallingService> {
  await w.secrets.put(XSI_CREDENTIAL, JSON.stringify(w.credentials));
  let cached: { value: XsiCredentials; until: number } | undefined;
  const credentials = async (): Promise<XsiCredentials> => {
    // Read through the vault, but not on every request: a minute is short enough for a rotation.
    if (cached && cached.until > Date.now()) return cached.value;
    const stored = await w.secrets.get(XSI_CREDENTIAL);
    const value = stored ? (JSON.parse(stored.value) as XsiCredentials) : w.credentials;
    cached = { value, until: Date.now() + 60_000 };
    return value;
  };
  const telephony = new XsiClient({ baseUrl: w.xsiBaseUrl, credentials, ...(w.timeoutMs ? { timeoutMs: w.timeoutMs } : {}) });
  const policies = new DialPolicyStore(w.db);
  const lines = new LineLinker(w.users, telephony, w.audit, async () => w.directoryUserId ?? (await credentials()).username);
  const calling = new Calling({ telephony, lines, guard: new DialGuard(policies, w.audit, { db: w.db, dialect: w.dialect }), audit: w.audit });
  return { calling, telephony, policies };
}
