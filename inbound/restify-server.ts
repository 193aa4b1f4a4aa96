import { createRequire } from 'node:module';
import type { RequestHandler, Server } from 'restify';

/**
 * restify's index (lib/index.js) requires every one of its ~30 plugins when it loads
 * (lib/plugins/index.js: formidable, csv, http-signature with sshpk, send, pidusage...): about
 * 200 of the 420 modules `require('restify')` loads before the service can listen (issue 17).
 * een-bridge uses one plugin, queryParser. So the server is made as restify's own createServer
 * makes it (restify 11 lib/index.js: a pino logger named after the server, a Router, a Server)
 * from the files that uses, resolved from restify's index so they are restify's own, pino
 * included. A restify that moves them fails every test that starts the service.
 */
const fromIndex = createRequire(require.resolve('restify'));
// Loaded with this module, as `import restify from 'restify'` was: the service imports inbound/
// while its store opens (app/service.ts), not after.
const ServerClass = fromIndex('./server') as new (options: Record<string, unknown>) => Server;
const Router = fromIndex('./router') as new (options: Record<string, unknown>) => unknown;
const pino = fromIndex('pino') as (options: { name: string }) => unknown;
const queryParser = fromIndex('./plugins/query') as (options: { mapParams: boolean }) => RequestHandler;

/** A restify server without uncaught-exception handling (guard.ts wraps every handler), and restify's queryParser. */
export function restifyServer(name: string): { server: Server; queryParser: (options: { mapParams: boolean }) => RequestHandler } {
  const options: Record<string, unknown> = { name, handleUncaughtExceptions: false, log: pino({ name }) };
  options.router = new Router(options);
  return { server: new ServerClass(options), queryParser };
}
