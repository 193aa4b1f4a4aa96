import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line. Matched at any depth up to three levels. */
const secretKeys = [
  'authorization', 'Authorization', 'cookie', 'set-cookie', 'x-hub-signature', 'x-spark-signature',
  'x-slack-signature', 'x-trello-webhook', 'token', 'accessToken', 'access_token', 'refreshToken',
  'refresh_token', 'idToken', 'id_token', 'secret', 'clientSecret', 'client_secret', 'password',
  'passwd', 'apiKey', 'api_key', 'clientState', 'sealed',
];

/** Keys that hold phone numbers: kept to their last three digits, enough to tell calls apart. */
const phoneKeys = ['phone', 'number', 'phoneNumber', 'target', 'address', 'callingNumber', 'calledNumber', 'msisdn'];

function atAnyDepth(keys: string[]): string[] {
  return keys.flatMap((k) => {
    const identifier = /^[A-Za-z_$][\w$]*$/.test(k);
    const step = identifier ? `.${k}` : `["${k}"]`;
    // fast-redact has no recursive wildcard, so name the depths we log at.
    return [...(identifier ? [k] : []), `*${step}`, `*.*${step}`, `*.*.*${step}`];
  });
}

const phonePaths = new Set(atAnyDepth(phoneKeys));

/** "+31 6 1234 5678" -> "***678"; values with fewer than 4 digits are left alone. */
export function maskPhoneNumber(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const digits = String(value).replace(/\D/g, '');
  return digits.length < 4 ? value : `***${digits.slice(-3)}`;
}

export interface LogOptions {
  level: string;
  /** Pretty output for people; JSON otherwise. Defaults to "stdout is a terminal". */
  pretty?: boolean;
  destination?: DestinationStream;
}

export function createLogger(options: LogOptions): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== 'production');
  const redact = {
    paths: [...atAnyDepth(secretKeys), ...phonePaths],
    censor: (value: unknown, path: string[]): unknown => {
      const key = path[path.length - 1] ?? '';
      return phoneKeys.includes(key) ? maskPhoneNumber(value) : '[redacted]';
    },
  };
  const base = { level: options.level, redact, base: { service: 'een-bridge' } };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' } } });
  }
  return pino(base);
}
