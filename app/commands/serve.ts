import type { Command } from './command';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the service (npm start runs this).',
  usage: `een-bridge serve

Runs the HTTP service. With no credentials set, every external system is served by its
local sandbox emulator, on 127.0.0.1 unless EEN_HOST says otherwise, and the store is SQLite
in $EEN_DATA_DIR. Once one system has credentials, no emulator runs and systems without
credentials are off. Stops gracefully on SIGTERM or SIGINT.`,
  run: async (ctx) => (await import('./impl/serve')).run(ctx),
};
