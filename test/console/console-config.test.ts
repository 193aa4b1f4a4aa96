import { ConfigError, loadConfig } from '../../core';
import { signInSettings } from '../../console/sign-in';
import { SANDBOX_CONSOLE_CLIENT_ID } from '../../sandbox/entra-id/entra-emulator';

const all = { CONSOLE_TENANT_ID: 't-1', CONSOLE_CLIENT_ID: 'c-1', CONSOLE_CLIENT_SECRET: 's-1', CONSOLE_ADMIN_GROUP: 'g-1' };

describe('console sign-in settings (CONSOLE_*)', () => {
  it('uses the app registration when every CONSOLE_* is set', () => {
    expect(signInSettings(loadConfig(all))).toEqual({ tenantId: 't-1', clientId: 'c-1', clientSecret: 's-1', adminGroup: 'g-1', sandbox: false });
  });

  it('uses the sandbox issuer when none is set, and nothing with EEN_SANDBOX=off', () => {
    expect(signInSettings(loadConfig({}))).toMatchObject({ clientId: SANDBOX_CONSOLE_CLIENT_ID, sandbox: true });
    expect(signInSettings(loadConfig({ EEN_SANDBOX: 'off' }))).toBeUndefined();
  });

  it('refuses a half-filled group, naming the missing variable', () => {
    const { CONSOLE_ADMIN_GROUP: _omitted, ...rest } = all;
    expect(() => loadConfig(rest)).toThrow(ConfigError);
    expect(() => loadConfig(rest)).toThrow(/CONSOLE_ADMIN_GROUP/);
  });
});
