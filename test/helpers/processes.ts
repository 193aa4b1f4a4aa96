import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { captureLog, captureSecrets } from './log-capture';

export const repoRoot = path.resolve(__dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything written to stdout so far (JSON log lines). */
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs the built CLI (`node dist/bin/een-bridge.js …`), as `npm start` would. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): RunningCli {
  captureSecrets(env);
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/bin/een-bridge.js'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const take = (c: Buffer) => {
    out += c.toString('utf8');
    captureLog(c.toString('utf8'));
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
