import Module, { createRequire } from 'node:module';

/**
 * The webex SDK without the plugins the bot framework never calls (issue 17: footprint).
 *
 * webex-node-bot-framework does `require('webex')` (lib/framework.js), and the `webex` package's
 * entry (webex 2.4.2, dist/webex.js) loads every plugin of the SDK, among them
 * @webex/plugin-meetings, @webex/internal-plugin-calendar and @webex/plugin-device-manager: about
 * 30 MB of the service's resident memory and 0.5 s of its start, for WebRTC meetings and calendars
 * a bot in webhook mode never touches. The framework uses webex.messages, memberships, people,
 * rooms, webhooks, attachmentActions and internal.device / internal.services (grep of
 * lib/framework.js and lib/bot.js), which the plugins below provide.
 *
 * This module builds the same `Webex` class as dist/webex.js does — WebexCore.extend with the
 * package's own config merged in Webex.init — from those plugins only, and puts it in
 * require.cache under the path `require('webex')` resolves to (Node documents require.cache as
 * writable: https://nodejs.org/api/modules.html#requirecache), so the framework gets it. It must
 * be imported before webex-node-bot-framework; framework.ts does so on its first line.
 */
const entry = require.resolve('webex');
// Resolved as the webex package itself resolves them: the versions it depends on.
const fromWebex = createRequire(entry);

/** webex 2.4.2 dist/webex.js's plugins, less meetings, calendar and device-manager. */
const PLUGINS = [
  '@webex/plugin-authorization',
  '@webex/internal-plugin-device',
  '@webex/internal-plugin-presence',
  '@webex/internal-plugin-support',
  '@webex/plugin-attachment-actions',
  '@webex/plugin-logger',
  '@webex/plugin-messages',
  '@webex/plugin-memberships',
  '@webex/plugin-people',
  '@webex/plugin-rooms',
  '@webex/plugin-teams',
  '@webex/plugin-team-memberships',
  '@webex/plugin-webhooks',
];

interface WebexClass {
  extend(props: Record<string, unknown>): WebexClass;
  new (attrs: Record<string, unknown>): unknown;
  init?: (attrs?: Record<string, unknown>) => unknown;
}

if (!require.cache[entry]) {
  // As dist/index.js: the SDK expects the babel polyfill's globals.
  if (!(global as { _babelPolyfill?: unknown })._babelPolyfill) fromWebex('@babel/polyfill');
  for (const plugin of PLUGINS) fromWebex(plugin);
  const merge = fromWebex('lodash/merge') as (...objects: unknown[]) => Record<string, unknown>;
  const WebexCore = (fromWebex('@webex/webex-core') as { default: WebexClass }).default;
  const config: unknown = fromWebex('./config');
  const { version } = fromWebex('../package.json') as { version: string };
  const Webex = WebexCore.extend({ webex: true, version });
  Webex.init = (attrs: Record<string, unknown> = {}) => new Webex({ ...attrs, config: merge({}, config, attrs.config) });
  const cached = new Module(entry);
  cached.filename = entry;
  cached.loaded = true;
  cached.exports = Webex;
  require.cache[entry] = cached;
}
