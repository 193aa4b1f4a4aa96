import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { assertBuilt, root } from '../helpers/built';

/**
 * webex-bot/sdk-in-turns.ts (issue 17): the webex SDK is loaded after the service listens, and in
 * one piece it held up every request that arrived meanwhile for the whole load. Loaded a part at a
 * time, the event loop turns between the parts. Run in a fresh process: Jest's may have loaded it.
 */
describe('the webex SDK loaded in turns', () => {
  beforeAll(() => assertBuilt());

  it('lets the event loop turn between its parts, and loads the same SDK', () => {
    const script = `
      const { loadWebexSdkInTurns } = require(${JSON.stringify(path.join(root, 'dist/webex-bot/sdk-in-turns.js'))});
      let turns = 0;
      const counting = setInterval(() => turns++, 0);
      loadWebexSdkInTurns().then(() => {
        clearInterval(counting);
        const webex = require(require.resolve('webex', { paths: [${JSON.stringify(path.join(root, 'webex-bot'))}] }));
        process.stdout.write(JSON.stringify({ turns, init: typeof webex.init }));
      });
    `;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const { turns, init } = JSON.parse(r.stdout) as { turns: number; init: string };
    // A timer ran between the parts (six of them, then the slim SDK itself).
    expect(turns).toBeGreaterThanOrEqual(6);
    // What the framework gets: slim-webex.ts's SDK, with its init.
    expect(init).toBe('function');
  }, 90_000);
});
