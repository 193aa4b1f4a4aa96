// The door into the inbound HTTP edge (the server, its plumbing, the webhook routes and the
// OAuth callbacks): chat adapters, the console, the sandbox and the composition root import from here.
export * from './server';
export * from './body';
export * from './respond';
export * from './target';
export * from './guard';
export * from './lazy-route';
export * from './metrics';
export * from './webhooks';
export * from './graph-hook';
export * from './webex-oauth';
