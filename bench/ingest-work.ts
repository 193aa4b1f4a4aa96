import type { Classify } from './cpu-profile';

/**
 * The kinds of work a webhook costs the service, for the ingest benchmark's profiles: a frame of
 * een-bridge's own build (dist/) or of a library it calls is classified by its file; Node.js
 * internals belong to whoever called them (see timeByKind). Order matters: the first match wins.
 */
const KINDS: [kind: string, files: RegExp][] = [
  ['logging and metrics', /\/node_modules\/(pino|@pinojs|thread-stream|sonic-boom)\/|\/dist\/vendor\/prom-client|\/dist\/(core\/log|inbound\/metrics)\.js/],
  ['store (group commit, statements, messages to the store)', /\/dist\/core\/store\/|\/dist\/vendor\/kysely|\/node_modules\/(pg|pg-pool|pg-protocol|pg-types|postgres-[a-z]+)\/|\/dist\/core\/(notifications\/inbox|time-ordered-id)\.js/],
  ['router (fan-out to spaces)', /\/dist\/core\/notifications\/(router|subscriptions|following|space-[a-z-]+|filter\/[^/]+)\.js/],
  [
    'outbox (claims, digests, rendering, Webex requests)',
    /\/dist\/core\/notifications\/(outbox|outbox-worker|webex-delivery|webex-messages|render|markdown|rich-text|send-pacer|threads|less-noise|wake-up-call|digests\/[^/]+|restricted\/[^/]+|replies\/[^/]+)\.js|^node:internal\/deps\/undici\//,
  ],
  ['webhook (body, signature, parse, validation)', /\/dist\/(inbound\/(body|guard)|core\/(raw-body|untrusted|replay-guard|notifications\/hooks|notifications\/sources\/[^/]+))\.js|\/dist\/vendor\/zod|^node:internal\/crypto\//],
  ['HTTP server (node:http, restify)', /^node:_http_|\/node_modules\/restify\/|\/dist\/inbound\/[^/]+\.js/],
  ['other een-bridge code', /\/dist\//],
];

export const ingestWork: Classify = ({ url }) => {
  for (const [kind, files] of KINDS) if (files.test(url)) return kind;
  return undefined;
};

/** The kinds in the order tables list them. */
export const INGEST_KINDS = [...KINDS.map(([kind]) => kind), 'runtime', 'garbage collection', 'idle'];
