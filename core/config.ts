import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { ConfigError } from './errors';
import { systemNames, systems, type SystemConfig, type SystemName } from './systems';

export type Environment = Readonly<Record<string, string | undefined>>;

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  /** Base64 as given; resolved (or generated in sandbox mode) by `resolveSecretKey`. */
  secretKeyBase64: string | undefined;
  publicUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** EEN_SANDBOX as set: "auto" (the default) or "off" (never mount an emulator). */
  sandbox: 'auto' | 'off';
  /**
   * The mode in force, all or nothing (issue 13): "sandbox" when no system has settings, the
   * public URL is not https and EEN_SANDBOX is not off: every system is emulated on this
   * process. Otherwise "real": no emulator is mounted, no sandbox secret is accepted, and a
   * system without settings is off.
   */
  mode: 'sandbox' | 'real';
  /** Why the mode is what it is, for the start-up log and `een-bridge doctor`. */
  modeReason: string;
  bodyLimitBytes: number;
  systems: Readonly<Record<SystemName, SystemConfig>>;
  /** Webex sends per second the outbox allows itself (0: unpaced); see OutboxWorkerOptions. */
  webexSendPerSecond: number;
  /**
   * How long a change waits for others to the same space, so a burst goes out as one digest
   * (0: at once); a space may set its own with `een-bridge subscriptions digest`.
   */
  digestWindowMs: number;
  /** EEN_HEALTH_CHECK_SECONDS in ms. */
  healthCheckMs: number;
  /** EEN_METRICS_ADDR: where /metrics is served instead of the public port; unset: on the public port. */
  metricsAddress: { host: string; port: number } | undefined;
}

/** `host:port` or `[ipv6]:port`, port 0-65535 (0: any free port, for tests). */
function parseListenAddress(value: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}


const schema = z.object({
  EEN_PORT: z.coerce
    .number({ error: 'must be a port number (0-65535)' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3978),
  // Default: loopback in sandbox mode (its emulators and fixed secrets must not face a network),
  // every interface in real mode. See `loadConfig`.
  EEN_HOST: z.string().min(1).optional(),
  EEN_DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for SQLite)')
    .pipe(z.url('must be a valid URL'))
    .optional(),
  EEN_SECRET_KEY: z.string().optional(),
  EEN_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  EEN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }).default('info'),
  EEN_SANDBOX: z.enum(['auto', 'off'], { error: 'must be "auto" or "off"' }).default('auto'),
  EEN_BODY_LIMIT: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int('must be a whole number of bytes')
    .min(1024, 'must be at least 1024 bytes')
    .default(1024 * 1024),
  EEN_METRICS_ADDR: z
    .string()
    .refine((v) => parseListenAddress(v) !== undefined, 'must be host:port, such as 127.0.0.1:9464 or [::1]:9464')
    .optional(),
  WEBEX_SEND_RATE: z.coerce
    .number({ error: 'must be a number of messages per second' })
    .min(0, 'must be 0 (unpaced) or more')
    .max(1000, 'must be at most 1000')
    .default(48),
  WEBEX_DIGEST_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(0, 'must be 0 (no waiting) or more')
    .max(300, 'must be at most 300')
    .default(3),
  /** How often the subscription health check runs (issue 15, "Failing loudly"). */
  EEN_HEALTH_CHECK_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(1, 'must be at least 1')
    .max(86_400, 'must be at most 86400 (a day)')
    .default(900),
});

/** Reads `.env` in `cwd` if present; the real environment wins over it. */
export function environmentWithDotenv(env: Environment, cwd: string): Environment {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return env;
  return { ...parseDotenv(readFileSync(file)), ...env };
}

/** Validates every setting once; throws a ConfigError that names the first bad variable. */
export function loadConfig(env: Environment): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'configuration');
    throw new ConfigError(variable, issue?.message ?? 'is invalid');
  }
  const s = parsed.data;
  const dataDir = path.resolve(s.EEN_DATA_DIR);
  const publicUrl = s.EEN_PUBLIC_URL?.replace(/\/+$/, '');
  const { mode, modeReason } = modeInForce(blankAsUnset, s.EEN_SANDBOX, publicUrl);
  return {
    port: s.EEN_PORT,
    host: s.EEN_HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    dataDir,
    database: s.DATABASE_URL
      ? { kind: 'postgres', url: s.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') },
    secretKeyBase64: s.EEN_SECRET_KEY,
    publicUrl,
    logLevel: s.EEN_LOG_LEVEL,
    sandbox: s.EEN_SANDBOX,
    mode,
    modeReason,
    bodyLimitBytes: s.EEN_BODY_LIMIT,
    systems: systemConfigs(blankAsUnset, mode),
    webexSendPerSecond: s.WEBEX_SEND_RATE,
    digestWindowMs: Math.round(s.WEBEX_DIGEST_SECONDS * 1000),
    healthCheckMs: Math.round(s.EEN_HEALTH_CHECK_SECONDS * 1000),
    metricsAddress: s.EEN_METRICS_ADDR ? parseListenAddress(s.EEN_METRICS_ADDR) : undefined,
  };
}

/**
 * Sandbox is all or nothing: one real system (or an https public URL, which only a deployment
 * has) makes the whole process real, so no emulator and no sandbox secret from the source
 * can sit beside real credentials on a public port.
 */
function modeInForce(env: Environment, sandbox: 'auto' | 'off', publicUrl: string | undefined): { mode: Config['mode']; modeReason: string } {
  if (sandbox === 'off') return { mode: 'real', modeReason: 'EEN_SANDBOX=off' };
  const real = systemNames.filter((name) => systems[name].required.some((v) => env[v] !== undefined));
  if (real.length > 0) return { mode: 'real', modeReason: `settings for ${real.map((n) => systems[n].label).join(', ')}` };
  if (publicUrl?.startsWith('https:')) return { mode: 'real', modeReason: 'EEN_PUBLIC_URL is https' };
  return { mode: 'sandbox', modeReason: 'no system has settings' };
}

function systemConfigs(env: Environment, mode: Config['mode']): Record<SystemName, SystemConfig> {
  const result = {} as Record<SystemName, SystemConfig>;
  for (const name of systemNames) {
    const group = systems[name];
    const names: readonly string[] = [...group.required, ...group.optional];
    const set = names.filter((v) => env[v] !== undefined);
    const requiredSet = group.required.filter((v) => env[v] !== undefined);
    if (requiredSet.length === 0) {
      result[name] = { mode: mode === 'real' ? 'off' : 'sandbox', settings: {} };
      continue;
    }
    const missing = group.required.find((v) => env[v] === undefined);
    if (missing) {
      throw new ConfigError(missing, `is required for ${group.label} because ${requiredSet.join(', ')} is set`);
    }
    for (const v of set) {
      if (v.endsWith('_URL') && !z.url({ protocol: /^https?$/ }).safeParse(env[v]).success) {
        throw new ConfigError(v, 'must be an http(s) URL');
      }
    }
    result[name] = { mode: 'real', settings: Object.fromEntries(set.map((v) => [v, env[v] as string])) };
  }
  return result;
}
