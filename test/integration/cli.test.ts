import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertBuilt, builtCli, root } from '../helpers/built';

const cleanEnv = (extra: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...extra });

describe('the een-bridge command', () => {
  beforeAll(assertBuilt);

  it('prints help and exits 0', () => {
    const run = spawnSync(process.execPath, [builtCli, '--help'], { encoding: 'utf8', env: cleanEnv({}) });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: een-bridge/);
    expect(run.stdout).toMatch(/serve/);
  });

  it('stops with exit code 2 and one line naming EEN_PORT when it is not a number', () => {
    const run = spawnSync(process.execPath, [builtCli], { encoding: 'utf8', env: cleanEnv({ EEN_PORT: 'abc' }), cwd: os.tmpdir() });
    expect(run.status).toBe(2);
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/EEN_PORT/);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('ends quietly when its reader stops reading (een-bridge … | head)', async () => {
    const child = spawn(process.execPath, [builtCli, '--help'], { env: cleanEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the command has written anything, as `head` does once it has its lines.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('refuses an unknown command with usage and exit code 2', () => {
    const run = spawnSync(process.execPath, [builtCli, 'dance'], { encoding: 'utf8', env: cleanEnv({}) });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command "dance"/);
  });

  it('serves /healthz in sandbox mode within 15 s and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-cli-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const started = Date.now();
    const child = spawn(process.execPath, [builtCli, 'serve'], {
      cwd: root,
      env: cleanEnv({ EEN_PORT: String(port), EEN_HOST: '127.0.0.1', EEN_DATA_DIR: dataDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let healthy = false;
      while (!healthy && Date.now() - started < 15_000) {
        healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
        if (!healthy) await new Promise((r) => setTimeout(r, 100));
      }
      expect(healthy).toBe(true);
      // The log lines travel through a pipe and may arrive just after the first answer.
      for (let i = 0; i < 50 && !/Microsoft Graph \(OneDrive\): sandbox/.test(output); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toMatch(/KPN EEN \(BroadWorks Xsi-Actions\): sandbox/);
      expect(output).toContain(`http://127.0.0.1:${port}`);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toMatch(/stopped/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
