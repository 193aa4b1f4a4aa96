import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, loadConfig, type Environment, type Logger } from '../../core';
import { startService, type Service } from '../../app/service';
import type { Emulator } from '../../sandbox/emulator';
import { captureLog, captureSecrets } from './log-capture';
import { dropSchema, freshSchemaName, postgresUrl } from './postgres';

export interface TestService extends Service {
  dataDir: string;
  /** The PostgreSQL schema it runs in; pass it to a later startTestService to restart on the same store. */
  schema: string | undefined;
  /** Everything the service logged, one parsed JSON object per line. */
  logLines: () => Record<string, unknown>[];
  /** Stops the service and removes its data dir (and PostgreSQL schema). */
  dispose(): Promise<void>;
}

export interface TestServiceOptions {
  env?: Environment;
  store?: 'sqlite' | 'postgres';
  emulators?: Emulator[];
  sandboxUpstreams?: Readonly<Record<string, string>>;
  /** On PostgreSQL, an existing schema (a restart) instead of a fresh one. */
  schema?: string;
}

export function memoryLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      captureLog(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger({ level: 'debug', destination });
  const lines = () =>
    chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines };
}

/** A whole een-bridge on a free loopback port with a temp data dir, as `npm start` would run it. */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-bridge-test-'));
  const schema = options.store === 'postgres' ? (options.schema ?? freshSchemaName()) : undefined;
  captureSecrets(options.env ?? {});
  const config = loadConfig({
    EEN_PORT: '0',
    EEN_HOST: '127.0.0.1',
    EEN_DATA_DIR: dataDir,
    ...(schema ? { DATABASE_URL: postgresUrl } : {}),
    ...options.env,
  });
  const { log, lines } = memoryLogger();
  const service = await startService({
    config,
    log,
    ...(schema ? { schema } : {}),
    ...(options.emulators ? { emulators: options.emulators } : {}),
    ...(options.sandboxUpstreams ? { sandboxUpstreams: options.sandboxUpstreams } : {}),
  });
  let disposed = false;
  return Object.assign(service, {
    dataDir,
    schema,
    logLines: lines,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await service.stop();
      if (schema) await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
