import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, environmentWithDotenv, loadConfig, systemNames } from '../../core';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to port 3978, ./data, SQLite and sandbox for every system', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3978);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.database).toEqual({ kind: 'sqlite', file: path.resolve('data', 'een-bridge.db') });
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.logLevel).toBe('info');
    expect(config.webexSendPerSecond).toBe(48);
    for (const s of systemNames) expect(config.systems[s].mode).toBe('sandbox');
  });

  it.each([
    ['EEN_PORT', 'abc', /port number/],
    ['EEN_PORT', '70000', /between 0 and 65535/],
    ['EEN_PORT', '12.5', /whole number/],
    ['DATABASE_URL', 'mysql://localhost/db', /postgres:\/\//],
    ['EEN_PUBLIC_URL', 'not a url', /http\(s\) URL/],
    ['EEN_LOG_LEVEL', 'loud', /one of/],
    ['EEN_SANDBOX', 'maybe', /"auto" or "off"/],
    ['EEN_BODY_LIMIT', '10', /at least 1024/],
    ['WEBEX_SEND_RATE', 'fast', /messages per second/],
    ['WEBEX_SEND_RATE', '-1', /0 \(unpaced\) or more/],
  ])('names %s when it is %p', (variable, value, problem) => {
    const err = configError({ [variable]: value });
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(problem);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  // The checks zod made before config.ts checked by hand (issue 17), kept as they were.
  it.each([
    ['EEN_PORT', '1e20', /whole number/],
    ['EEN_PORT', 'Infinity', /port number/],
    ['WEBEX_SEND_RATE', '1e400', /messages per second/],
    ['EEN_PUBLIC_URL', 'http:example.nl', /http\(s\) URL/],
    ['EEN_PUBLIC_URL', 'ftp://example.nl', /http\(s\) URL/],
    ['DATABASE_URL', 'postgres://a b', /valid URL/],
    ['EEN_METRICS_ADDR', 'localhost', /host:port/],
    ['EEN_HEALTH_CHECK_SECONDS', '0.5', /at least 1/],
  ])('still refuses %s=%p', (variable, value, problem) => {
    const err = configError({ [variable]: value });
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(problem);
  });

  it('reports the first bad variable in the order they are checked, and trims URLs', () => {
    expect(configError({ WEBEX_SEND_RATE: 'x', EEN_PORT: 'y' }).variable).toBe('EEN_PORT');
    const config = loadConfig({ EEN_PUBLIC_URL: ' https://een.example.nl/ ', DATABASE_URL: 'postgres://db/een\n', EEN_PORT: ' 0x10 ' });
    expect(config.publicUrl).toBe('https://een.example.nl');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://db/een' });
    expect(config.port).toBe(16);
  });

  it('selects PostgreSQL for a postgres:// DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/een' }).database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/een' });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ EEN_PORT: '  ', XSI_BASE_URL: '' }).port).toBe(3978);
  });

  it('makes a system real when its whole group is set', () => {
    const config = loadConfig({ XSI_BASE_URL: 'https://xsi.example.nl', XSI_USERNAME: 'admin@example.nl', XSI_PASSWORD: 'pw' });
    expect(config.systems.xsi).toEqual({
      mode: 'real',
      settings: { XSI_BASE_URL: 'https://xsi.example.nl', XSI_USERNAME: 'admin@example.nl', XSI_PASSWORD: 'pw' },
    });
    // Sandbox is all or nothing: the others are off, not emulated (test/security/sandbox-all-or-nothing.test.ts).
    expect(config.systems.slack.mode).toBe('off');
  });

  it('refuses a half-filled group, naming the missing variable', () => {
    const err = configError({ XSI_BASE_URL: 'https://xsi.example.nl', XSI_USERNAME: 'admin' });
    expect(err.variable).toBe('XSI_PASSWORD');
    expect(err.message).toMatch(/required for KPN EEN/);
  });

  it('checks URLs inside a system group', () => {
    const err = configError({ XSI_BASE_URL: 'ftp://x', XSI_USERNAME: 'a', XSI_PASSWORD: 'b' });
    expect(err.variable).toBe('XSI_BASE_URL');
  });

  it('turns unconfigured systems off, not sandboxed, with EEN_SANDBOX=off', () => {
    const config = loadConfig({ EEN_SANDBOX: 'off' });
    for (const s of systemNames) expect(config.systems[s].mode).toBe('off');
  });

  it('reads .env, with the real environment winning', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-env-'));
    writeFileSync(path.join(dir, '.env'), 'EEN_PORT=4000\nEEN_LOG_LEVEL=debug\n');
    const env = environmentWithDotenv({ EEN_PORT: '5000' }, dir);
    const config = loadConfig(env);
    expect(config.port).toBe(5000);
    expect(config.logLevel).toBe('debug');
  });
});
