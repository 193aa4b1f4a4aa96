import { randomBytes } from 'node:crypto';
import { TokenVault, VaultError } from '../../core/internal';

const binding = { owner: 'user-1', purpose: 'webex.oauth' };

describe('TokenVault', () => {
  const vault = new TokenVault(randomBytes(32));

  it('opens what it sealed for the same owner and purpose', () => {
    const sealed = vault.seal('access-token-123', binding);
    expect(vault.open(sealed, binding)).toBe('access-token-123');
    expect(sealed).not.toContain('access-token-123');
  });

  it('uses a fresh nonce for every value', () => {
    expect(vault.seal('same', binding)).not.toBe(vault.seal('same', binding));
  });

  it('refuses a value sealed for another owner or purpose', () => {
    const sealed = vault.seal('secret', binding);
    expect(() => vault.open(sealed, { ...binding, owner: 'user-2' })).toThrow(VaultError);
    expect(() => vault.open(sealed, { ...binding, purpose: 'xsi.password' })).toThrow(VaultError);
  });

  it('refuses a value sealed under another key', () => {
    const sealed = new TokenVault(randomBytes(32)).seal('secret', binding);
    expect(() => vault.open(sealed, binding)).toThrow(VaultError);
  });

  it('refuses every single-character tampering of the ciphertext, nonce or tag', () => {
    const sealed = vault.seal('a token worth stealing', binding);
    for (let i = 3; i < sealed.length; i++) {
      if (sealed[i] === '.') continue;
      const flipped = sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
      if (flipped === sealed) continue;
      expect(() => vault.open(flipped, binding)).toThrow(VaultError);
    }
  });

  it.each([[''], ['v1.abc'], ['v2.a.b.c'], ['v1..x.']])('refuses the malformed value %p', (sealed) => {
    expect(() => vault.open(sealed, binding)).toThrow(VaultError);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new TokenVault(randomBytes(16))).toThrow(VaultError);
  });
});
