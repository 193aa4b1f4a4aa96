import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
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


/*
 * The settings are checked by hand rather than with zod (issue 17, footprint): zod's 95 modules
 * took about 90 ms to load, which every CLI command paid for reading 13 environment variables,
 * so `een-bridge policy show` could not start in under 300 ms. The checks below keep what the
 * zod schema did (zod 4.6 v4/core/schemas.cjs and checks.cjs, the versions this replaced),
 * message for message: a number is coerced with Number() and must be finite, `int` means a
 * safe integer, a URL is trimmed and stripped of tabs and newlines, and an http(s) URL must
 * start with http:// or https:// before URL parsing. The variables are checked in this order
 * and the first problem is the one reported.
 */
type Check<T> = (value: string) => { ok: true; value: T } | { ok: false; message: string };

const ASCII_TAB_OR_NEWLINE = /[\t\n\r]/g;

/** As zod's z.url(): anything URL parsing accepts; with `http`, also http(s):// and an http(s) protocol. */
function urlValue(value: string, http: boolean): string | undefined {
  const trimmed = value.trim();
  if (http) {
    if (!/^https?:\/\//i.test(trimmed)) return undefined;
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (!/^https?$/.test(url.protocol.endsWith(':') ? url.protocol.slice(0, -1) : url.protocol)) return undefined;
  } else if (!URL.canParse(trimmed)) {
    return undefined;
  }
  return trimmed.replace(ASCII_TAB_OR_NEWLINE, '');
}

/** Is `value` an http(s) URL, as the settings of a system group must be. */
function isHttpUrl(value: string): boolean {
  return urlValue(value, true) !== undefined;
}

function aNumber(notANumber: string, rules: { whole?: string; min?: [number, string]; max?: [number, string] }): Check<number> {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isFinite(value)) return { ok: false, message: notANumber };
    if (rules.whole !== undefined && !Number.isSafeInteger(value)) return { ok: false, message: rules.whole };
    if (rules.min && value < rules.min[0]) return { ok: false, message: rules.min[1] };
    if (rules.max && value > rules.max[0]) return { ok: false, message: rules.max[1] };
    return { ok: true, value };
  };
}

function oneOf<const T extends string>(values: readonly T[], message: string): Check<T> {
  return (raw) => ((values as readonly string[]).includes(raw) ? { ok: true, value: raw as T } : { ok: false, message });
}

const anyText: Check<string> = (raw) => ({ ok: true, value: raw });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Each setting's check and default (undefined: optional), in the order they are checked. */
const settings = {
  EEN_PORT: {
    check: aNumber('must be a port number (0-65535)', { whole: 'must be a whole number', min: [0, 'must be between 0 and 65535'], max: [65535, 'must be between 0 and 65535'] }),
    default: 3978,
  },
  // Default: loopback in sandbox mode (its emulators and fixed secrets must not face a network),
  // every interface in real mode. See `loadConfig`.
  EEN_HOST: { check: anyText, default: undefined },
  EEN_DATA_DIR: { check: anyText, default: './data' },
  DATABASE_URL: {
    check: ((raw) => {
      if (!/^postgres(ql)?:\/\//.test(raw)) return { ok: false, message: 'must be a postgres:// URL (leave it unset for SQLite)' };
      const url = urlValue(raw, false);
      return url === undefined ? { ok: false, message: 'must be a valid URL' } : { ok: true, value: url };
    }) as Check<string>,
    default: undefined,
  },
  EEN_SECRET_KEY: { check: anyText, default: undefined },
  EEN_PUBLIC_URL: {
    check: ((raw) => {
      const url = urlValue(raw, true);
      return url === undefined ? { ok: false, message: 'must be an http(s) URL' } : { ok: true, value: url };
    }) as Check<string>,
    default: undefined,
  },
  EEN_LOG_LEVEL: { check: oneOf(LOG_LEVELS, 'must be one of fatal, error, warn, info, debug, trace, silent'), default: 'info' },
  EEN_SANDBOX: { check: oneOf(['auto', 'off'], 'must be "auto" or "off"'), default: 'auto' },
  EEN_BODY_LIMIT: {
    check: aNumber('must be a number of bytes', { whole: 'must be a whole number of bytes', min: [1024, 'must be at least 1024 bytes'] }),
    default: 1024 * 1024,
  },
  EEN_METRICS_ADDR: {
    check: ((raw) => (parseListenAddress(raw) !== undefined ? { ok: true, value: raw } : { ok: false, message: 'must be host:port, such as 127.0.0.1:9464 or [::1]:9464' })) as Check<string>,
    default: undefined,
  },
  WEBEX_SEND_RATE: {
    check: aNumber('must be a number of messages per second', { min: [0, 'must be 0 (unpaced) or more'], max: [1000, 'must be at most 1000'] }),
    default: 48,
  },
  WEBEX_DIGEST_SECONDS: {
    check: aNumber('must be a number of seconds', { min: [0, 'must be 0 (no waiting) or more'], max: [300, 'must be at most 300'] }),
    default: 3,
  },
  /** How often the subscription health check runs (issue 15, "Failing loudly"). */
  EEN_HEALTH_CHECK_SECONDS: {
    check: aNumber('must be a number of seconds', { min: [1, 'must be at least 1'], max: [86_400, 'must be at most 86400 (a day)'] }),
    default: 900,
  },
} satisfies Record<keyof Parsed, { check: Check<unknown>; default: unknown }>;

/** The settings once checked, defaults filled in. */
interface Parsed {
  EEN_PORT: number;
  EEN_HOST: string | undefined;
  EEN_DATA_DIR: string;
  DATABASE_URL: string | undefined;
  EEN_SECRET_KEY: string | undefined;
  EEN_PUBLIC_URL: string | undefined;
  EEN_LOG_LEVEL: Config['logLevel'];
  EEN_SANDBOX: Config['sandbox'];
  EEN_BODY_LIMIT: number;
  EEN_METRICS_ADDR: string | undefined;
  WEBEX_SEND_RATE: number;
  WEBEX_DIGEST_SECONDS: number;
  EEN_HEALTH_CHECK_SECONDS: number;
}

/** Every setting checked and defaulted; throws a ConfigError naming the first bad variable. */
function parseSettings(env: Environment): Parsed {
  const parsed: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(settings) as [string, { check: Check<unknown>; default: unknown }][]) {
    const raw = env[name];
    if (raw === undefined) {
      parsed[name] = setting.default;
      continue;
    }
    const result = setting.check(raw);
    if (!result.ok) throw new ConfigError(name, result.message);
    parsed[name] = result.value;
  }
  return parsed as unknown as Parsed;
}

/** Reads `.env` in `cwd` if present; the real environment wins over it. */
export function environmentWithDotenv(env: Environment, cwd: string): Environment {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return env;
  return { ...parseDotenv(readFileSync(file)), ...env };
}

/** Validates every setting once; throws a ConfigError that names the first bad variable. */
export function loadConfig(env: Environment): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const s = parseSettings(blankAsUnset);
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
      if (v.endsWith('_URL') && !isHttpUrl(env[v]!)) {
        throw new ConfigError(v, 'must be an http(s) URL');
      }
    }
    result[name] = { mode: 'real', settings: Object.fromEntries(set.map((v) => [v, env[v] as string])) };
  }
  return result;
}
