import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from '../errors';

/** Who a sealed value belongs to and what it is for; bound into the ciphertext as AAD. */
export interface SecretBinding {
  owner: string;
  purpose: string;
}

const VERSION = 'v1';
const NONCE_BYTES = 12; // 96-bit nonces are what GCM is specified for (NIST SP 800-38D §8.2).
const TAG_BYTES = 16;

function aad({ owner, purpose }: SecretBinding): Buffer {
  // The NUL separator keeps ("ab","c") and ("a","bc") apart.
  return Buffer.from(`${VERSION}\0${owner}\0${purpose}`, 'utf8');
}

/** Node decodes base64 leniently (stray bits, bad characters); a sealed value must be exact. */
function strictBase64url(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new VaultError('sealed value is not canonical base64url');
  return bytes;
}

/**
 * AES-256-GCM with a fresh random nonce per value. A value sealed for one owner and purpose
 * opens only for the same pair under the same key; anything else is a VaultError, never garbage.
 */
export class TokenVault {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new VaultError('the vault key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  seal(plaintext: string, binding: SecretBinding): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(binding));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, nonce.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  open(sealed: string, binding: SecretBinding): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new VaultError('sealed value has an unknown format');
    const [, nonceText, bodyText, tagText] = parts as [string, string, string, string];
    const [nonce, body, tag] = [nonceText, bodyText, tagText].map(strictBase64url) as [Buffer, Buffer, Buffer];
    if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) throw new VaultError('sealed value is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(binding));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError(`sealed value for ${binding.purpose} does not open: wrong key, wrong owner or tampered`);
    }
  }
}
