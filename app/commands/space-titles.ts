import type { Config } from '../../core/config';

/** Webex's API root when WEBEX_API_URL is unset (core/meetings/webex-meetings.ts DEFAULT_WEBEX_API_URL, not imported: it loads the meetings client). */
const WEBEX_API = 'https://webexapis.com/v1';
/** sandbox/webex-api/webex-emulator.ts SANDBOX_WEBEX_BOT_TOKEN (that module loads restify). */
const SANDBOX_WEBEX_BOT_TOKEN = 'sandbox-webex-bot-token';

/**
 * A Webex room id as a person can tell it apart. Room ids are base64url of
 * `ciscospark://us/ROOM/<uuid>` (https://developer.webex.com/docs/api/v1/rooms), so every
 * truncated id began `Y2lzY29zcGFyazo…`; the uuid's first part differs per room.
 */
export function shortSpaceId(id: string): string {
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const uuid = /^ciscospark:\/\/[^/]+\/ROOM\/([0-9a-f-]+)$/i.exec(decoded)?.[1];
  if (uuid) return `room ${uuid.slice(0, 8)}`;
  return id.length > 20 ? `${id.slice(0, 19)}…` : id;
}

/**
 * Titles of Webex spaces, looked up with the bot's token (GET /rooms/{roomId}, "title";
 * https://developer.webex.com/docs/api/v1/rooms/get-room-details) when the bot is configured
 * for real, once per space per command (a memory cache: a list names a space many times).
 * A space the bot cannot see, or no bot, keeps its short id. Never slower than 3 s in all.
 */
export async function spaceTitles(config: Config, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const titles = new Map(unique.map((id) => [id, shortSpaceId(id)]));
  const signal = AbortSignal.timeout(3000);
  await Promise.all(
    unique.map(async (id) => {
      const room = await lookUpRoom(config, id, signal);
      if (room.kind === 'found' && room.title.trim() !== '') titles.set(id, room.title);
    }),
  );
  return titles;
}

/** Whether a string is a Webex room id at all (base64url of ciscospark://<region>/ROOM/<uuid>). */
export function isWebexRoomId(id: string): boolean {
  return /^ciscospark:\/\/[^/]+\/ROOM\/[0-9a-f-]+$/i.test(Buffer.from(id, 'base64url').toString('utf8'));
}

export type RoomLookup = { kind: 'found'; title: string } | { kind: 'not found' } | { kind: 'unknown' };

/**
 * What the bot knows of a room: GET /rooms/{roomId} with its token. With a real bot, Webex;
 * in sandbox mode, the emulator of a service running with this configuration (the sandbox
 * bot token; sandbox/webex-api). 404 (or 403) is "the bot is not in that space"; no bot, no
 * answer or another status is "unknown".
 */
export async function lookUpRoom(config: Config, id: string, signal: AbortSignal = AbortSignal.timeout(3000)): Promise<RoomLookup> {
  const bot = config.systems.webexBot;
  let base: string;
  let token: string;
  if (bot.mode === 'real') {
    base = (bot.settings.WEBEX_API_URL ?? WEBEX_API).replace(/\/+$/, '');
    token = bot.settings.WEBEX_BOT_TOKEN!;
  } else if (bot.mode === 'sandbox') {
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    base = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/sandbox/webex/v1`;
    token = SANDBOX_WEBEX_BOT_TOKEN;
  } else return { kind: 'unknown' };
  try {
    const res = await fetch(`${base}/rooms/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` }, signal });
    if (res.status === 404 || res.status === 403) return { kind: 'not found' };
    if (!res.ok) return { kind: 'unknown' };
    const room = (await res.json()) as { title?: unknown };
    return { kind: 'found', title: typeof room.title === 'string' ? room.title : '' };
  } catch {
    // Unreachable (no service running in sandbox mode) or too slow.
    return { kind: 'unknown' };
  }
}
