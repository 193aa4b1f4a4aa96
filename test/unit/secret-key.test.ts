import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, resolveSecretKey } from '../../core';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'een-key-'));

describe('resolveSecretKey', () => {
  it('uses EEN_SECRET_KEY when it is 32 bytes of base64', () => {
    const key = randomBytes(32);
    expect(resolveSecretKey(loadConfig({ EEN_SECRET_KEY: key.toString('base64'), EEN_DATA_DIR: tempDir() })).equals(key)).toBe(true);
  });

  it.each([['too short', randomBytes(16).toString('base64')], ['not base64', '!'.repeat(44)]])('refuses a key that is %s', (_why, value) => {
    expect(() => resolveSecretKey(loadConfig({ EEN_SECRET_KEY: value, EEN_DATA_DIR: tempDir() }))).toThrow(ConfigError);
    expect(() => resolveSecretKey(loadConfig({ EEN_SECRET_KEY: value, EEN_DATA_DIR: tempDir() }))).toThrow(/EEN_SECRET_KEY: must be 32 random bytes/);
  });

  it('generates a key in sandbox mode, keeps it with mode 0600 and reuses it', () => {
    const dir = tempDir();
    const config = loadConfig({ EEN_DATA_DIR: dir });
    const first = resolveSecretKey(config);
    const file = path.join(dir, 'secret.key');
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first)).toBe(true);
    expect(resolveSecretKey(config).equals(first)).toBe(true);
  });

  it('requires EEN_SECRET_KEY when the sandbox is off', () => {
    expect(() => resolveSecretKey(loadConfig({ EEN_SANDBOX: 'off', EEN_DATA_DIR: tempDir() }))).toThrow(/EEN_SECRET_KEY: is required/);
  });
});
