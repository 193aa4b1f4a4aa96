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
 *
 * Two more things dist/index.js and those plugins load are left out (issue 17, second round):
 *
 * - @babel/polyfill (core-js 2's global shims and regenerator-runtime). The SDK's modules take
 *   their helpers from @babel/runtime-corejs2 by require, not from globals (no dist file of
 *   @webex/* or webex-node-bot-framework names `regeneratorRuntime` or `_babelPolyfill`; only
 *   webex/dist/index.js loads the polyfill), and Node 20 has every feature it shims natively. It
 *   replaced String.prototype.trim and Function.prototype.toString for the whole process, and
 *   cost about 290 modules and 9 MB.
 * - @webex/internal-plugin-conversation and @webex/internal-plugin-mercury (with encryption,
 *   node-jose, pkijs and a WebCrypto polyfill under them): the messages, memberships, rooms and
 *   attachment-actions plugins require them only for `listen()` over Mercury websockets and
 *   for the read-status methods (listWithReadStatus, getWithReadStatus, updateLastSeen: see each
 *   plugin's dist/*.js). The framework uses websockets only without a webhookUrl (framework.js
 *   start(): "There was no webhookUrl specified so we will use websockets instead"), and
 *   newBotFramework always gives one; it never calls the read-status methods. They are put in
 *   require.cache as empty modules, so the plugins load without them: about 490 modules,
 *   15 MB and a third of the SDK's load time. Calling one of those methods throws a TypeError
 *   (`webex.internal.mercury` is undefined) instead of working.
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

/** Required by plugins in PLUGINS for websockets and read status only (see above). */
const LEFT_OUT = ['@webex/internal-plugin-conversation', '@webex/internal-plugin-mercury'];

/** An empty module in require.cache at `file`: a later require of that file gets `{}`. */
function cacheEmpty(file: string): void {
  if (require.cache[file]) return;
  const empty = new Module(file);
  empty.filename = file;
  empty.loaded = true;
  require.cache[file] = empty;
}

if (!require.cache[entry]) {
  // Resolved from each plugin that requires them, so a nested copy is left out as well.
  for (const plugin of PLUGINS) {
    const fromPlugin = createRequire(fromWebex.resolve(plugin));
    for (const name of LEFT_OUT) cacheEmpty(fromPlugin.resolve(name));
  }
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

/**
 * webex-node-bot-framework's lib/validator.js does `require('validator')` and uses two of its
 * functions, `validator.isEmail` and `validator.isURL` (grep of lib/, webex-node-bot-framework
 * 2.3.x); the package's index loads all 113 of its modules, about 8 MB of resident memory. The
 * framework is the only package here that depends on validator (npm ls validator). It gets an
 * object with the very same functions, each loaded from its own file (validator's index.js sets
 * `isEmail: _isEmail.default` from ./lib/isEmail, and likewise for every validator), so any
 * other name a later framework version reads is loaded from lib/ when first read.
 */
const validatorEntry = createRequire(require.resolve('webex-node-bot-framework')).resolve('validator');
if (!require.cache[validatorEntry]) {
  const fromValidator = createRequire(validatorEntry);
  const loaded: Record<string, unknown> = {};
  const fromLib = (name: string): unknown => (loaded[name] ??= (fromValidator(`./lib/${name}`) as { default: unknown }).default);
  fromLib('isEmail');
  fromLib('isURL');
  const cached = new Module(validatorEntry);
  cached.filename = validatorEntry;
  cached.loaded = true;
  // Other names: their lib/ file if there is one (undefined otherwise, as on the real object);
  // `default` is the object itself, as validator's index exports it.
  const validator: Record<string, unknown> = new Proxy(loaded, {
    get: (target, name) => {
      if (typeof name !== 'string' || Object.hasOwn(target, name)) return Reflect.get(target, name);
      if (name === 'default') return validator;
      if (!/^[A-Za-z]+$/.test(name)) return undefined;
      try {
        return fromLib(name);
      } catch {
        return undefined;
      }
    },
  });
  cached.exports = validator;
  require.cache[validatorEntry] = cached;
}
