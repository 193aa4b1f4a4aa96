import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { ConfigError } from './errors';
import { PRIVATE_FILE_MODE, ensurePrivateDir } from './private-files';

export const SECRET_KEY_BYTES = 32;
export const SECRET_KEY_FILE = 'secret.key';

function decode(variable: string, base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64.trim()) || key.length !== SECRET_KEY_BYTES) {
    throw new ConfigError(
      variable,
      `must be ${SECRET_KEY_BYTES} random bytes in base64 (make one with: openssl rand -base64 32)`,
    );
  }
  return key;
}

/**
 * The key of the token vault. Production must set EEN_SECRET_KEY; sandbox mode keeps a
 * generated key in the data dir (mode 0600) so tokens survive restarts on one machine.
 */
export function resolveSecretKey(config: Config): Buffer {
  if (config.secretKeyBase64) return decode('EEN_SECRET_KEY', config.secretKeyBase64);
  if (config.sandbox === 'off') {
    throw new ConfigError('EEN_SECRET_KEY', 'is required when EEN_SANDBOX=off (make one with: openssl rand -base64 32)');
  }
  const file = path.join(config.dataDir, SECRET_KEY_FILE);
  // 0700 directory and 0600 files, also for a key an earlier start left readable.
  ensurePrivateDir(config.dataDir);
  if (existsSync(file)) return decode(file, readFileSync(file, 'utf8'));
  const key = randomBytes(SECRET_KEY_BYTES);
  writeFileSync(file, key.toString('base64') + '\n', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  chmodSync(file, PRIVATE_FILE_MODE);
  return key;
}
