import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { freePorts } from './support/freePort.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('ordo start', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await removeTempDir(dir);
  });

  it('launches the embedded nats-server, serves HTTP and stops both on SIGTERM', async () => {
    const dataDir = await makeTempDir('ordo-start-');
    dirs.push(dataDir);
    const [natsPort, httpPort] = await freePorts(2);
    const child = spawn(process.execPath, ['bin/ordo.js', 'start', '--data-dir', dataDir, '--nats-port', String(natsPort), '--http-port', String(httpPort), '--partitions', '8', '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    try {
      const deadline = Date.now() + 30_000;
      while (!stdout.includes('is running') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(stdout, stderr).toContain(`nats://127.0.0.1:${natsPort}`);
      expect(await portOpen(natsPort)).toBe(true);
      const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }

    expect(await exited).toBe(0);
    expect(await portOpen(natsPort)).toBe(false);
  });

  it('refuses a partition count other than the recorded one with both values', async () => {
    const dataDir = await makeTempDir('ordo-start-p-');
    dirs.push(dataDir);
    const [natsPort, httpPort] = await freePorts(2);
    const run = (partitions: number) =>
      new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/ordo.js', 'start', '--data-dir', dataDir, '--nats-port', String(natsPort), '--http-port', String(httpPort), '--partitions', String(partitions), '--log-level', 'warn']);
        let stderr = '';
        let stdout = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          if (stdout.includes('is running')) child.kill('SIGTERM');
        });
        child.once('exit', (code) => resolve({ code, stderr, stdout }));
      });

    expect((await run(8)).code).toBe(0);
    const second = await run(16);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/ERR_PARTITION_COUNT_MISMATCH.*16 partitions.*records 8/);
  });
});
