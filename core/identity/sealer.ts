import { hkdfSync } from 'node:crypto';
import { TokenVault, type SecretBinding } from './token-vault';

/**
 * What an adapter needs to keep something in a client's hands that it can neither read nor
 * forge (the console's sign-in cookies): seal and open, bound to an owner and purpose. The
 * vault and its key stay in the core.
 */
export interface Sealer {
  seal(plaintext: string, binding: SecretBinding): string;
  /** Throws VaultError for anything this sealer did not seal for the same binding. */
  open(sealed: string, binding: SecretBinding): string;
}

/**
 * A Sealer under its own key derived from EEN_SECRET_KEY with HKDF-SHA-256 (RFC 5869; no salt,
 * `info` names the use), so what one use sealed never opens for another, nor for the secret store.
 */
export function sealerFor(secretKey: Buffer, info: string): Sealer {
  return new TokenVault(Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), info, 32)));
}
