import { rmSync } from 'node:fs';
import { environmentWithDotenv, type Environment } from '../core';
import { startService, waitFor } from '../bench/lib';

/** The een-bridge the demo talks to, and where its store is (for the admin steps). */
export interface DemoTarget {
  url: string;
  /** Settings that locate the service's store: its temp EEN_DATA_DIR, or this shell's settings. */
  storeEnv: Environment;
  started: boolean;
  stop(): Promise<void>;
}

/** A service the demo starts may take this long to answer /readyz (migrations on a cold disk). */
const START_TIMEOUT_MS = 30_000;
/** A service someone else started should be up already; a closed port fails fast. */
const ATTACH_TIMEOUT_MS = 3_000;

/** Starts the built service in sandbox mode on a free port, in its own process, with a temp data dir. */
export async function startOwnService(): Promise<DemoTarget> {
  // bench's startService picks a random high port; another process may hold it, so a service
  // that exits at once is tried again on another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (err) {
      if (!(err instanceof ExitedEarly) || attempt === 3) throw err;
    }
  }
}

class ExitedEarly extends Error {}

async function startOnce(): Promise<DemoTarget> {
  const { service } = startService();
  const exited = new Promise<never>((_resolve, reject) => {
    service.child.once('exit', (code, signal) => reject(new ExitedEarly(`the service exited before it was ready (code ${code}, signal ${signal})`)));
  });
  exited.catch(() => undefined);
  const stop = async () => {
    await service.stop();
    rmSync(service.dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.race([waitFor(`${service.url}/readyz`, START_TIMEOUT_MS), exited]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: service.url, storeEnv: { EEN_DATA_DIR: service.dataDir }, started: true, stop };
}

/** Uses a service that is already running; its store is the one this shell's settings (and .env) name. */
export async function attach(url: string, env: Environment = process.env): Promise<DemoTarget> {
  const base = url.replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new Error(`"${url}" is not a URL (expected e.g. http://127.0.0.1:3978)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`"${url}" is not an http(s) URL`);
  await waitFor(`${base}/readyz`, ATTACH_TIMEOUT_MS);
  return { url: base, storeEnv: environmentWithDotenv(env, process.cwd()), started: false, stop: async () => undefined };
}
