import type { Next, Request, Response, Server } from 'restify';
import type { SystemName } from '../core';
import { RequestLog } from './request-log';

/** A local stand-in for one external system, mounted under `/sandbox/<name>/` in sandbox mode only. */
export interface Emulator {
  /** Path segment under /sandbox/. */
  readonly name: string;
  /** The systems whose sandbox mode this emulator serves. */
  readonly serves: readonly SystemName[];
  readonly log: RequestLog;
  mount(server: Server, basePath: string): void;
  /** Stops timers; called on shutdown. */
  close?(): void;
}

export function sandboxPath(name: string): string {
  return `/sandbox/${name}`;
}

/** Records each request into the emulator's log; put it first in every emulator route. */
export function recordInto(log: RequestLog) {
  return function recordSandboxRequest(req: Request, _res: Response, next: Next): void {
    log.record(req);
    next();
  };
}

/** Mounts the emulator and its `GET /sandbox/<name>/_log`. */
export function mountEmulator(server: Server, emulator: Emulator): void {
  const base = sandboxPath(emulator.name);
  server.get(`${base}/_log`, (_req: Request, res: Response, next: Next) => {
    res.send(200, { emulator: emulator.name, requests: emulator.log.list() });
    next();
  });
  server.del(`${base}/_log`, (_req: Request, res: Response, next: Next) => {
    emulator.log.clear();
    res.send(204);
    next();
  });
  emulator.mount(server, base);
}
